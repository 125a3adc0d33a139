// AnomalyPanel: the "Anomalies" tab. Reconstruction error as an anomaly score on the latest model
// snapshot: a histogram with a draggable threshold and the count flagged, the top-k gallery, the
// normal classes (ticked) with ROC and precision-recall curves and the threshold's confusion
// counts, "train on normal classes only", and for sequences the per-window error over time.
#pragma once

#include <QFutureWatcher>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "anomalyanalysis.h"

class AnomalyGallery;
class ErrorHistogramView;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QTimer;
class RocChartView;
class WindowErrorView;

/// Reads snapshots and datasets; owns no training state. Scoring runs on a worker (QtConcurrent)
/// from the immutable snapshot: one job at a time, a newer request replaces a waiting one
/// (latest wins), jobs at least MinRefreshMs apart, and none while the tab is hidden. Moving the
/// threshold only queries the finished analysis (binary searches), so it is instant. The Classes
/// score first trains one model per normal class in that job (minutes on big data): the status
/// line shows its progress, and it is cancelled when its result could no longer be shown.
class AnomalyPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int MinRefreshMs = 400;
  static constexpr int TopK = 8;
  static constexpr int MaxClassBoxes = 32;  // more classes than this: no normal-class choice

  struct JobResult {
    std::shared_ptr<const AnomalyAnalysis> analysis;
    QString error;
    int generation = 0;
  };

  explicit AnomalyPanel(QWidget* parent = nullptr);
  ~AnomalyPanel() override;

  /// The current dataset and its validation part, as the latent explorer gets them, and the
  /// validation samples' rows in `all` (exported scores name them; empty: their positions).
  /// Clears the analysis until the next snapshot; rebuilds the class boxes when the classes
  /// changed.
  void setData(std::shared_ptr<const latent::Dataset> all,
               std::shared_ptr<const latent::Dataset> validation,
               std::vector<int> validationRows = {});
  /// A new model snapshot: re-scored, latest wins.
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  /// How the reconstruction error becomes a score (the CLI's --score); re-scores, latest wins.
  void setScore(latent::AnomalyScore score);
  latent::AnomalyScore score() const;

  /// Score every sample instead of the validation part.
  void setEvaluateAll(bool all);
  bool evaluatesAll() const;

  std::vector<int> normalClasses() const;
  void setNormalClasses(const std::vector<int>& classes);
  bool trainsOnNormalOnly() const;
  void setTrainOnNormalOnly(bool on);
  /// `split` of `data` restricted to the normal classes when "train on normal classes only" is
  /// ticked (training and validation parts), else unchanged. Throws latent::Error when no
  /// training sample is left or the classes do not fit the data.
  latent::Split trainingSplit(const latent::Dataset& data, const latent::Split& split) const;

  double threshold() const { return m_threshold; }
  void setThreshold(double threshold);
  /// Samples at or above the threshold in the shown analysis.
  long long flaggedCount() const;

  /// Writes the shown analysis's scores as CSV (latent::writeScoresCsv: the dataset row, label,
  /// score, and whether the current threshold flags it). False with `error` set when there is no
  /// analysis or the file cannot be written.
  bool exportScores(const QString& path, QString* error) const;
  /// Asks for a file name, then exportScores; a failure is shown in a message box.
  void exportScoresWithDialog();

  // Parts and state, for tests and screenshots.
  std::shared_ptr<const AnomalyAnalysis> analysis() const { return m_analysis; }
  ErrorHistogramView* histogram() const { return m_histogram; }
  QDoubleSpinBox* thresholdBox() const { return m_thresholdBox; }
  QLabel* flaggedLabel() const { return m_flagged; }
  QLabel* confusionLabel() const { return m_confusion; }
  QLabel* statusLabel() const { return m_status; }
  RocChartView* rocChart() const { return m_roc; }
  RocChartView* prChart() const { return m_pr; }
  AnomalyGallery* gallery() const { return m_gallery; }
  WindowErrorView* windowView() const { return m_windows; }
  QCheckBox* classBox(int label) const;
  QComboBox* scoreBox() const { return m_score; }
  QPushButton* exportButton() const { return m_export; }
  QCheckBox* trainNormalBox() const { return m_trainNormal; }

 signals:
  /// A new analysis is shown.
  void analysisUpdated();
  /// The user clicked a gallery sample: its index in the validation part, or in all samples.
  void sampleActivated(int sample, bool inAllSamples);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QWidget* buildToolbar();
  QWidget* buildThresholdRow();
  void rebuildClassBoxes();
  void requestAnalysis();
  void startJobIfDue();
  void onJobFinished();
  void showAnalysis();
  void showRanking();
  void updateThresholdReadouts();
  void setStatus(const QString& text, bool isError = false);
  std::shared_ptr<const latent::Dataset> scoredData() const;
  QStringList captions(const std::vector<AnomalyExample>& examples) const;
  void fillClassModels(AnomalyRequest& request);
  void cancelClassModelsUnlessFor(const AnomalyRequest* request);
  void showClassModelProgress();

  ErrorHistogramView* m_histogram = nullptr;
  QDoubleSpinBox* m_thresholdBox = nullptr;
  QLabel* m_flagged = nullptr;
  QPushButton* m_export = nullptr;
  QLabel* m_confusion = nullptr;
  QLabel* m_status = nullptr;
  RocChartView* m_roc = nullptr;
  RocChartView* m_pr = nullptr;
  AnomalyGallery* m_gallery = nullptr;
  WindowErrorView* m_windows = nullptr;
  QComboBox* m_scope = nullptr;
  QComboBox* m_score = nullptr;  // one entry per latent::AnomalyScore, its value as item data
  QWidget* m_classArea = nullptr;
  QGridLayout* m_classLayout = nullptr;
  QCheckBox* m_trainNormal = nullptr;
  QList<QCheckBox*> m_classBoxes;  // one per class, owned by m_classArea
  QTimer* m_delay = nullptr;       // single shot: the next job after MinRefreshMs
  QTimer* m_progress = nullptr;    // polls a class-model job's progress

  std::shared_ptr<const latent::Dataset> m_all, m_validation;
  std::vector<int> m_validationRows;  // m_validation's rows in m_all, or empty
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;
  std::shared_ptr<const AnomalyAnalysis> m_analysis;  // the one shown
  std::optional<AnomalyRequest> m_pending;            // at most one waits
  std::optional<AnomalyRequest> m_running;            // the job's request while it runs
  // The last class models trained and the request they were trained for (classModelsFit).
  std::shared_ptr<const latent::ClassModels> m_classModels;
  std::optional<AnomalyRequest> m_classModelRequest;
  QFutureWatcher<JobResult> m_job;
  qint64 m_lastJobStart = 0;  // ms since epoch of the last job's start
  int m_generation = 0;       // bumped by setData: older jobs' results are dropped
  double m_threshold = 0;
  bool m_userThreshold = false;  // the user moved it: new analyses keep it
};
