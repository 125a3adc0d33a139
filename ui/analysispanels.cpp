// AnalysisPanels: creating and wiring the analysis tabs, and the export menu.
#include "analysispanels.h"

#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QTabWidget>

#include "clusterpanel.h"
#include "decoderimage.h"
#include "denoisingpanel.h"
#include "imagesave.h"
#include "interpolationstrip.h"
#include "latentexplorer.h"
#include "latentgridpanel.h"
#include "losschartview.h"
#include "pcacomparisonpanel.h"
#include "reconstructiongrid.h"
#include "trainingsession.h"

AnalysisPanels::AnalysisPanels(TrainingSession* session, LatentExplorer* explorer, QObject* parent)
    : QObject(parent), m_session(session), m_explorer(explorer) {
  m_denoising = new DenoisingPanel;
  m_pca = new PcaComparisonPanel;
  m_clusters = new ClusterPanel;
  connect(session, &TrainingSession::snapshotReady, m_denoising, &DenoisingPanel::setSnapshot);
  connect(session, &TrainingSession::snapshotReady, m_pca, &PcaComparisonPanel::setSnapshot);
  connect(session, &TrainingSession::snapshotReady, m_clusters, &ClusterPanel::setSnapshot);
  connect(session, &TrainingSession::finished, m_pca, [this](latent::Trainer::State state) {
    using State = latent::Trainer::State;
    if (state == State::Finished || state == State::Stopped)
      m_pca->recordRun(m_session->latestSnapshot());
  });
  connect(m_clusters, &ClusterPanel::mapColouringChanged, this,
          [this](std::shared_ptr<const latent::Dataset> data, std::vector<int> clusters) {
            if (m_explorer) m_explorer->setClusterColouring(std::move(data), std::move(clusters));
          });
}

AnalysisPanels::~AnalysisPanels() = default;

void AnalysisPanels::addTabs(QTabWidget* tabs) {
  tabs->addTab(m_denoising, tr("Denoising"));
  tabs->addTab(m_pca, tr("PCA vs AE"));
  tabs->addTab(m_clusters, tr("Clusters"));
}

void AnalysisPanels::setData(std::shared_ptr<const latent::Dataset> all, const latent::Split& split,
                             std::shared_ptr<const latent::Dataset> validation) {
  m_denoising->setData(validation);
  m_clusters->setData(all, validation);
  m_pca->setData(std::move(all), split);
}

void AnalysisPanels::addExportActions(QMenu* menu, LossChartView* chart,
                                      ReconstructionGrid* reconstructions) {
  QWidget* parent = menu->parentWidget();
  menu->addAction(tr("&Codes of every sample (CSV or .npy)…"), m_clusters,
                  &ClusterPanel::exportCodesWithDialog);
  menu->addAction(tr("&Reconstructions (PNG)…"), this, [=, this] {
    exportPicture(parent, tr("Export reconstructions"), QStringLiteral("reconstructions.png"),
                  [reconstructions](const QString& path, QString* error) {
                    return exportReconstructions(*reconstructions, path, error);
                  });
  });
  menu->addAction(tr("Latent &grid: manifold or prior samples (PNG)…"), this, [=, this] {
    exportPicture(parent, tr("Export latent grid"), QStringLiteral("latent-grid.png"),
                  [this](const QString& path, QString* error) {
                    return savePngAtomically(m_explorer->gridPanel()->image(), path, error);
                  });
  });
  menu->addAction(tr("&Interpolation strip (PNG)…"), this, [=, this] {
    exportPicture(parent, tr("Export interpolation strip"), QStringLiteral("interpolation.png"),
                  [this](const QString& path, QString* error) {
                    return savePngAtomically(m_explorer->strip()->stripImage(), path, error);
                  });
  });
  menu->addAction(tr("&Loss history (CSV)…"), this, [=] {
    const QString path = QFileDialog::getSaveFileName(
        parent, tr("Export loss history"), QStringLiteral("loss-history.csv"), tr("CSV (*.csv)"));
    if (!path.isEmpty() && !chart->exportCsv(path))
      QMessageBox::warning(parent, tr("Export failed"), tr("Could not write %1.").arg(path));
  });
}

void AnalysisPanels::exportPicture(QWidget* parent, const QString& title, const QString& fileName,
                                   const std::function<bool(const QString&, QString*)>& write) {
  const QString path =
      QFileDialog::getSaveFileName(parent, title, fileName, tr("PNG images (*.png)"));
  QString error;
  if (!path.isEmpty() && !write(path, &error))
    QMessageBox::warning(parent, tr("Export failed"), error);
}

QImage AnalysisPanels::reconstructionSheet(const ReconstructionGrid& grid) {
  using Row = ReconstructionGrid::Row;
  QList<Row> rows{Row::Input};
  if (grid.showsNoisyRow()) rows << Row::Noisy;
  rows << Row::Reconstruction << Row::Error;
  QList<QImage> cells;
  for (Row row : rows)
    for (int i = 0; i < grid.sampleCount(); ++i) {
      const QImage cell = grid.cell(row, i);
      if (cell.isNull()) return {};  // not reconstructed yet
      cells << cell.convertToFormat(QImage::Format_RGB32);
    }
  if (cells.isEmpty()) return {};
  return decoderimage::tile(cells, grid.sampleCount(), 1, SheetGap);
}

bool AnalysisPanels::exportReconstructions(const ReconstructionGrid& grid, const QString& path,
                                           QString* error) {
  return savePngAtomically(reconstructionSheet(grid), path, error);
}
