// MainWindow: assembles the panels (dataset, model, loss chart, future latent/analysis tabs), the
// train/pause/stop controls and the status bar, and loads datasets from menus and drops.
#pragma once

#include <QMainWindow>
#include <memory>

#include "train/trainer.h"

class DatasetPanel;
class LatentExplorer;
class LossChartView;
class ModelPanel;
class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class TrainingSession;

/// Holds no training state itself: TrainingSession owns the run, the panels show values.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  static constexpr int ProgressSteps = 1000;  // resolution of the status progress bar
  static constexpr int BuiltInShapesCount = 4000;
  static constexpr unsigned BuiltInShapesSeed = 1;

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// data/mnist10k/train-images-idx3-ubyte.gz next to the build tree (../../ from the
  /// executable) or under the current directory; empty when neither exists.
  static QString defaultDatasetPath();
  /// Whether a drop of `localPath` is offered to the loader (folders and IDX-named files).
  static bool isSupportedDatasetPath(const QString& localPath);

  /// Loads `path` (IDX file or folder). On failure shows the error in the dataset panel, keeps
  /// the previous dataset and returns false.
  bool openDataset(const QString& path);
  void setDataset(std::shared_ptr<const latent::Dataset> dataset);
  void useBuiltInShapes();
  /// The default MNIST subset when present, else the built-in Shapes.
  void openDefaultDataset();

  /// Closing while training asks first unless this is off (or LATENTLAB_NO_CONFIRM is set).
  void setConfirmCloseWhileTraining(bool on) { m_confirmClose = on; }

  // Panels and controls, for tests and for the panels a later issue adds.
  DatasetPanel* datasetPanel() const { return m_datasetPanel; }
  ModelPanel* modelPanel() const { return m_modelPanel; }
  LossChartView* lossChart() const { return m_lossChart; }
  LatentExplorer* latentExplorer() const { return m_latentExplorer; }
  QTabWidget* tabs() const { return m_tabs; }
  TrainingSession* trainingSession() const { return m_session; }
  QPushButton* trainButton() const { return m_trainButton; }
  QPushButton* pauseButton() const { return m_pauseButton; }
  QPushButton* stopButton() const { return m_stopButton; }
  QProgressBar* statusProgress() const { return m_progress; }
  QString statusMessage() const;
  QString statusEpochText() const;

 public slots:
  void startTraining();
  void togglePause();
  void stopTraining();
  void openDatasetDialog();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
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
  LatentExplorer* m_latentExplorer = nullptr;
  QTabWidget* m_tabs = nullptr;
  TrainingSession* m_session = nullptr;
  QPushButton* m_trainButton = nullptr;
  QPushButton* m_pauseButton = nullptr;
  QPushButton* m_stopButton = nullptr;
  QAction* m_logScaleAction = nullptr;
  QLabel* m_epochLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_speedLabel = nullptr;
  QLabel* m_timeLabel = nullptr;
  QLabel* m_threadsLabel = nullptr;
  QLabel* m_messageLabel = nullptr;
  bool m_confirmClose = true;
};
