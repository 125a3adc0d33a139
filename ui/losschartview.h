// LossChartView: the training curves of one run (Qt Charts): per-epoch training and validation
// loss, a smoothed per-batch training loss, and for VAEs the reconstruction and KL terms.
#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <array>
#include <optional>

#include "models/modelspec.h"

class QAbstractAxis;
class QAction;
class QLineSeries;
class QTimer;
namespace latent {
struct EpochRecord;
struct TrainingProgress;
}  // namespace latent

/// Progress arrives at up to ~30 Hz; points are kept in lists and the series are refreshed
/// together by a single-shot timer (series->replace), so a burst costs one redraw.
class LossChartView : public QChartView {
  Q_OBJECT

 public:
  enum class Series {
    TrainEpoch,
    ValidationEpoch,
    TrainBatchSmoothed,
    Reconstruction,
    Kl,
    Sparsity
  };
  static constexpr int SeriesCount = 6;
  /// Weight of the newest batch in the exponential moving average of the batch loss.
  static constexpr double SmoothingAlpha = 0.1;  // per batch

  explicit LossChartView(QWidget* parent = nullptr);

  /// Clears the curves for a new run of `spec` (titles name the loss reduction; VAE terms shown
  /// only for VAEs).
  void reset(const latent::ModelSpec& spec);
  void addProgress(const latent::TrainingProgress& progress);
  /// reset(spec), then the per-epoch points of a finished run (e.g. a model opened from a file).
  void showHistory(const latent::ModelSpec& spec, const std::vector<latent::EpochRecord>& history);

  /// Writes what the chart shows; false (and nothing half-written) when the file cannot be saved.
  bool exportPng(const QString& path);
  bool exportSvg(const QString& path);
  /// One row per epoch: epoch, training, validation, reconstruction, KL and sparsity terms.
  bool exportCsv(const QString& path) const;
  QString csvText() const;
  /// Asks for a file name; the suffix (.png, .svg, .csv) picks the format.
  void exportWithDialog();

  bool isLogScale() const { return m_logScale; }
  void setLogScale(bool on);

  // For tests and other panels: what the chart currently draws.
  int pointCount(Series s) const;
  QList<QPointF> points(Series s) const;
  std::optional<double> lastValidationLoss() const;
  QString yAxisTitle() const;

 signals:
  void logScaleChanged(bool on);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void createSeries();
  void showHoveredValue(Series s, const QPointF& point, bool entered);
  void scheduleRedraw();
  void redraw();
  void installYAxis();
  void updateRanges();
  QLineSeries* series(Series s) const { return m_series[static_cast<int>(s)]; }
  QList<QPointF>& data(Series s) { return m_points[static_cast<int>(s)]; }

  std::array<QLineSeries*, SeriesCount> m_series{};  // owned by the chart
  std::array<QList<QPointF>, SeriesCount> m_points;  // pending data, copied on redraw
  QAbstractAxis* m_xAxis = nullptr;
  QAbstractAxis* m_yAxis = nullptr;
  QTimer* m_redrawTimer = nullptr;
  QAction* m_logAction = nullptr;
  QString m_yTitle;
  std::optional<double> m_smoothedBatch;
  long long m_lastStep = 0;  // optimizer step of the last batch event
  int m_epochs = 1;
  bool m_variational = false;
  bool m_sparse = false;
  bool m_logScale = false;
};
