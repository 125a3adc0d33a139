// MainWindow: assembles the panels (dataset, model, loss chart, future latent/analysis tabs), the
// train/pause/stop controls and the status bar, and loads datasets from menus and drops.
#pragma once

#include <QFutureWatcher>
#include <QMainWindow>
#include <memory>

#include "io/loadoptions.h"
#include "persist/modelfile.h"
#include "train/trainer.h"

class AnalysisPanels;
class AnomalyPanel;
class DatasetPanel;
class LatentExplorer;
class LossChartView;
class ModelPanel;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;
class RecommendPanel;
class ReconstructionGrid;
class RunCheckpoint;
class TrainingSession;

/// Holds no training state itself: TrainingSession owns the run, the panels show values.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  static constexpr int ProgressSteps = 1000;  // resolution of the status progress bar
  static constexpr int BuiltInShapesCount = 4000;
  static constexpr int BuiltInSignalsCount = 2000;
  static constexpr unsigned BuiltInShapesSeed = 1;

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// data/mnist10k/train-images-idx3-ubyte.gz next to the build tree (../../ from the
  /// executable) or under the current directory; empty when neither exists.
  static QString defaultDatasetPath();
  /// Whether a drop of `localPath` is offered to the loader (folders and IDX-named files).
  static bool isSupportedDatasetPath(const QString& localPath);

  static constexpr int MaxRecentDatasets = 8;

  /// Starts loading `path` (any format the core reads) on a worker; `datasetLoaded` follows.
  /// On failure the error is shown in the dataset panel and the previous dataset is kept.
  /// False (nothing started) while another load is running.
  bool openDataset(const QString& path, const latent::LoadOptions& options = {});
  /// Loads `path` and waits for it (start-up and tests); true when it loaded.
  bool openDatasetAndWait(const QString& path);
  bool isLoadingDataset() const { return m_loading.isRunning(); }
  QStringList recentDatasets() const;
  void setDataset(std::shared_ptr<const latent::Dataset> dataset);
  void useBuiltInShapes();
  void useBuiltInSignals();
  /// A dataset of latent::builtinDatasets by name ("moons", "useritem", …) with its defaults.
  void useBuiltIn(const std::string& name);
  /// The default MNIST subset when present, else the built-in Shapes.
  void openDefaultDataset();

  /// Closing while training asks first unless this is off (or LATENTLAB_NO_CONFIRM is set).
  void setConfirmCloseWhileTraining(bool on) { m_confirmClose = on; }

  /// Saves the current model (with its dataset's shape, history and optimizer state) to `path`
  /// atomically. Shows and returns the error on failure.
  bool saveModel(const QString& path);
  /// Opens a model file: its spec goes to the model panel, its history to the chart, its
  /// reconstructions to the grid; Train then continues it. The previous state stays on error.
  bool openModel(const QString& path);

  // Panels and controls, for tests and for the panels a later issue adds.
  DatasetPanel* datasetPanel() const { return m_datasetPanel; }
  ModelPanel* modelPanel() const { return m_modelPanel; }
  LossChartView* lossChart() const { return m_lossChart; }
  ReconstructionGrid* reconstructions() const { return m_reconstructions; }
  LatentExplorer* latentExplorer() const { return m_latentExplorer; }
  AnalysisPanels* analysisPanels() const { return m_analysis; }
  AnomalyPanel* anomalyPanel() const { return m_anomalyPanel; }
  RecommendPanel* recommendPanel() const { return m_recommendPanel; }
  QTabWidget* tabs() const { return m_tabs; }
  TrainingSession* trainingSession() const { return m_session; }
  RunCheckpoint* runCheckpoint() const { return m_runCheckpoint; }
  QPushButton* trainButton() const { return m_trainButton; }
  QPushButton* pauseButton() const { return m_pauseButton; }
  QPushButton* stopButton() const { return m_stopButton; }
  QPushButton* resetButton() const { return m_resetButton; }
  QProgressBar* statusProgress() const { return m_progress; }
  QString statusMessage() const;
  QString statusEpochText() const;

 public slots:
  void startTraining();
  void togglePause();
  void stopTraining();
  void openDatasetDialog();
  void openDatasetFolderDialog();
  void openModelDialog();
  void saveModelDialog();
  /// Forgets the current model's weights: the next Train starts afresh.
  void resetWeights();
  /// When a crash left a run's checkpoint, asks (window-modal) whether to restore it.
  void offerRunRestore();

 signals:
  /// A dataset load started by openDataset ended (ok: it is now the current dataset).
  void datasetLoaded(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildRunSafety();  // mainwindowrestore.cpp
  void restoreRun(const QString& checkpointPath);
  void buildTrainingMenu();
  void rebuildRecentMenu();
  void rememberRecentDataset(const QString& path);
  void onDatasetLoadFinished();
  /// A text file refused for missing values or ragged rows: ask whether to drop or fill them.
  void offerMissingValuePolicy(const QString& path, const QString& error);
  void restoreSettings();
  void saveSettings() const;
  QWidget* buildLeftColumn();
  QWidget* buildCentre();
  void buildStatusBar();
  void connectSession();
  void onProgress(const latent::TrainingProgress& p);
  void onFinished(latent::Trainer::State state, const QString& message);
  void updateButtons();
  void setStatusMessage(const QString& text, bool isError = false);
  bool confirmStopOnClose();

  DatasetPanel* m_datasetPanel = nullptr;
  ModelPanel* m_modelPanel = nullptr;
  LossChartView* m_lossChart = nullptr;
  ReconstructionGrid* m_reconstructions = nullptr;
  LatentExplorer* m_latentExplorer = nullptr;
  AnalysisPanels* m_analysis = nullptr;
  QMenu* m_exportMenu = nullptr;
  AnomalyPanel* m_anomalyPanel = nullptr;
  RecommendPanel* m_recommendPanel = nullptr;
  QTabWidget* m_tabs = nullptr;
  TrainingSession* m_session = nullptr;
  RunCheckpoint* m_runCheckpoint = nullptr;
  QPushButton* m_trainButton = nullptr;
  QPushButton* m_pauseButton = nullptr;
  QPushButton* m_stopButton = nullptr;
  QPushButton* m_resetButton = nullptr;
  QAction* m_logScaleAction = nullptr;
  QAction* m_saveModelAction = nullptr;
  QMenu* m_recentMenu = nullptr;
  QLabel* m_epochLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_speedLabel = nullptr;
  QLabel* m_timeLabel = nullptr;
  QLabel* m_threadsLabel = nullptr;
  QLabel* m_messageLabel = nullptr;
  bool m_confirmClose = true;
  /// What the current model was trained on (shape, normalisation, classes, path).
  latent::ModelFileInfo m_modelData;
  struct LoadOutcome {
    std::shared_ptr<const latent::Dataset> dataset;
    latent::LoadReport report;
    QString error;
  };
  QFutureWatcher<LoadOutcome> m_loading;
  QString m_loadingPath;
  latent::LoadOptions m_loadingOptions;
};
