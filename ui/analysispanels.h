// AnalysisPanels: what autoencoders are for, as tabs (Denoising, PCA vs AE, Clusters), and the
// File ▸ Export actions for codes and pictures. Keeps MainWindow small: it creates this once,
// adds the tabs and the menu, and hands it the data; snapshots and run ends come from the session.
#pragma once

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

#include "data/dataset.h"

class ClusterPanel;
class DenoisingPanel;
class LatentExplorer;
class LossChartView;
class PcaComparisonPanel;
class QMenu;
class QTabWidget;
class QWidget;
class ReconstructionGrid;
class TrainingSession;

class AnalysisPanels : public QObject {
  Q_OBJECT

 public:
  static constexpr int SheetGap = 2;  // pixels between the exported reconstruction cells

  /// Listens to `session` (snapshots, run ends) and colours `explorer`'s map by cluster.
  AnalysisPanels(TrainingSession* session, LatentExplorer* explorer, QObject* parent = nullptr);
  ~AnalysisPanels() override;

  /// Adds the three tabs to `tabs` (which owns them from then on).
  void addTabs(QTabWidget* tabs);
  /// Adds the export actions to `menu`; the pictures come from `reconstructions` and the
  /// explorer, the loss history from `chart`.
  void addExportActions(QMenu* menu, LossChartView* chart, ReconstructionGrid* reconstructions);

  /// The dataset, the split of the run (or of the run the form would start) and its validation
  /// part: the same object the latent explorer shows, so clusters can colour its map.
  void setData(std::shared_ptr<const latent::Dataset> all, const latent::Split& split,
               std::shared_ptr<const latent::Dataset> validation);

  /// The reconstruction grid's cells as one picture (rows as shown: input, [noisy],
  /// reconstruction, error; SheetGap apart; each cell at its native size); null when empty.
  static QImage reconstructionSheet(const ReconstructionGrid& grid);
  /// Writes reconstructionSheet(grid) to `path` as PNG, atomically.
  static bool exportReconstructions(const ReconstructionGrid& grid, const QString& path,
                                    QString* error = nullptr);

  DenoisingPanel* denoising() const { return m_denoising; }
  PcaComparisonPanel* pcaComparison() const { return m_pca; }
  ClusterPanel* clusters() const { return m_clusters; }

 private:
  void exportPicture(QWidget* parent, const QString& title, const QString& fileName,
                     const std::function<bool(const QString&, QString*)>& write);

  TrainingSession* m_session = nullptr;
  QPointer<LatentExplorer> m_explorer;
  DenoisingPanel* m_denoising = nullptr;  // owned by the tab widget once added
  PcaComparisonPanel* m_pca = nullptr;
  ClusterPanel* m_clusters = nullptr;
};
