// PcaComparisonPanel: the "PCA vs AE" tab, the classic question "is the network worth it?".
// Reconstruction MSE against code size for PCA (k = 1 … 64) and for every autoencoder trained
// since the app opened; PCA's 2D projection beside the AE's latent map in the same class colours;
// neighbourhood quality of both codes; and what the code's compression costs.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "latestjob.h"
#include "pcacomparison.h"

class LatentMapView;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

/// Reads snapshots and datasets; owns no training state. The PCA fit (once per dataset) and each
/// snapshot's comparison run on workers (LatestJob, latest wins), only while the tab is visible.
class PcaComparisonPanel : public QWidget {
  Q_OBJECT

 public:
  /// One trained autoencoder on the chart.
  struct RunPoint {
    int latent = 0;
    double mse = 0;  // its last validation MSE per value
    QString description;
  };
  enum Row { MseRow, KnnRow, ProbeRow, TrustRow, RowCount };
  enum Column { PcaColumn, AeColumn };

  explicit PcaComparisonPanel(QWidget* parent = nullptr);
  ~PcaComparisonPanel() override;

  /// The dataset and its train/validation split; the PCA is fitted again only when they change
  /// (the trained-run points are forgotten only when the dataset itself changes).
  void setData(std::shared_ptr<const latent::Dataset> all, const latent::Split& split);
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  /// A run finished with this snapshot: its latent size and last validation MSE become a point.
  void recordRun(std::shared_ptr<const latent::ModelSnapshot> snapshot);

  // Parts and state, for tests.
  QLineSeries* pcaSeries() const { return m_pcaSeries; }
  QScatterSeries* autoencoderSeries() const { return m_aeSeries; }
  const std::vector<RunPoint>& runs() const { return m_runs; }
  QLabel* qualityLabel(Row row, Column column) const { return m_quality[row][column]; }
  QLabel* compressionLabel() const { return m_compression; }
  LatentMapView* pcaMap() const { return m_pcaMap; }
  LatentMapView* autoencoderMap() const { return m_aeMap; }
  std::shared_ptr<const pcacomparison::Baseline> baseline() const { return m_baseline; }
  std::shared_ptr<const pcacomparison::Comparison> comparison() const { return m_comparison; }

  /// "0.9625", "–" for NaN: how accuracies and scores are written.
  static QString formatScore(double v);

 signals:
  void baselineShown();
  void comparisonShown();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QWidget* buildChart();
  QWidget* buildQuality();
  void requestFit();
  void requestComparison();
  void showBaseline(std::shared_ptr<const pcacomparison::Baseline> baseline);
  void showComparison(std::shared_ptr<const pcacomparison::Comparison> comparison);
  void updateRunSeries();
  void updateAxes();
  void updateCompression();
  QStringList classNames() const;

  QChartView* m_chartView = nullptr;
  QLineSeries* m_pcaSeries = nullptr;
  QScatterSeries* m_aeSeries = nullptr;
  QValueAxis* m_axisX = nullptr;
  QValueAxis* m_axisY = nullptr;
  QLabel* m_quality[RowCount][2] = {};
  QLabel* m_qualityNote = nullptr;
  QLabel* m_compression = nullptr;
  QLabel* m_status = nullptr;
  LatentMapView* m_pcaMap = nullptr;
  LatentMapView* m_aeMap = nullptr;

  std::shared_ptr<const latent::Dataset> m_all;
  latent::Split m_split;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;
  std::shared_ptr<const pcacomparison::Baseline> m_baseline;
  std::shared_ptr<const pcacomparison::Comparison> m_comparison;
  std::vector<RunPoint> m_runs;
  bool m_fitDue = false;         // the data changed: fit when visible
  bool m_comparisonDue = false;  // a snapshot arrived: compare when visible and fitted
  LatestJob<std::shared_ptr<const pcacomparison::Baseline>> m_fitJob;
  LatestJob<std::shared_ptr<const pcacomparison::Comparison>> m_compareJob;
};
