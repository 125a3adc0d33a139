// MainWindow: layout, menus, dataset loading (menu, drops, start-up), the train/pause/stop flow
// and the status bar fed by TrainingSession's progress.
#include "mainwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "analysispanels.h"
#include "anomalypanel.h"
#include "data/builtin.h"
#include "data/shapes.h"
#include "data/signals.h"
#include "datasetpanel.h"
#include "guithread.h"
#include "imagefolder.h"
#include "latentexplorer.h"
#include "losschartview.h"
#include "modelpanel.h"
#include "recommendpanel.h"
#include "reconstructiongrid.h"
#include "runcheckpoint.h"
#include "trainingsession.h"

namespace {

constexpr int LeftColumnMinWidth = 340;
constexpr auto DefaultDataset = "data/mnist10k/train-images-idx3-ubyte.gz";

QString formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
  const long long s = std::llround(seconds);
  if (s >= 3600)
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/// Of several dropped files, the images file (its labels are found by name).
QString pickDroppedPath(const QList<QUrl>& urls) {
  QStringList paths;
  for (const QUrl& url : urls)
    if (url.isLocalFile() && MainWindow::isSupportedDatasetPath(url.toLocalFile()))
      paths << url.toLocalFile();
  for (const QString& p : paths)
    if (QFileInfo(p).fileName().contains(QStringLiteral("images"), Qt::CaseInsensitive)) return p;
  return paths.value(0);
}

latent::Split splitFor(const latent::Dataset& data, const latent::ModelSpec& spec) {
  return latent::splitIndices(data.count(), spec.training.validationFraction, spec.training.seed,
                              data.labels);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("LatentLab"));
  setAcceptDrops(true);
  installImageFolderLoader();  // dropped folders of images load through the core's entry
  m_session = new TrainingSession(this);
  buildMenus();
  buildRunSafety();
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  splitter->addWidget(buildLeftColumn());
  splitter->addWidget(buildCentre());
  splitter->setStretchFactor(1, 1);
  setCentralWidget(splitter);
  buildStatusBar();
  connectSession();
  connect(&m_loading, &QFutureWatcher<LoadOutcome>::finished, this,
          &MainWindow::onDatasetLoadFinished);
  restoreSettings();
  if (qEnvironmentVariableIsSet("LATENTLAB_NO_CONFIRM")) m_confirmClose = false;
  updateButtons();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open dataset…"), this, &MainWindow::openDatasetDialog);
  open->setShortcut(QKeySequence::Open);
  file->addAction(tr("Open image &folder…"), this, &MainWindow::openDatasetFolderDialog)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
  m_recentMenu = file->addMenu(tr("Open &recent dataset"));
  rebuildRecentMenu();
  QMenu* builtIn = file->addMenu(tr("&Built-in datasets"));
  builtIn->addAction(tr("&Shapes (circles, squares, triangles, crosses)"), this,
                     &MainWindow::useBuiltInShapes);
  builtIn->addAction(tr("Si&gnals (sequences with labelled anomalies)"), this,
                     &MainWindow::useBuiltInSignals);
  for (const latent::BuiltinInfo& b : latent::builtinDatasets())
    if (b.name != "shapes" && b.name != "signals")
      builtIn->addAction(QStringLiteral("%1 (%2)").arg(QString::fromStdString(b.title),
                                                       QString::fromStdString(b.description)),
                         this, [this, name = b.name] { useBuiltIn(name); });
  file->addSeparator();
  QAction* openModel = file->addAction(tr("Open &model…"), this, &MainWindow::openModelDialog);
  openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  m_saveModelAction = file->addAction(tr("&Save model…"), this, &MainWindow::saveModelDialog);
  m_saveModelAction->setShortcut(QKeySequence::Save);
  file->addAction(tr("&Export loss chart…"), this, [this] { m_lossChart->exportWithDialog(); });
  m_exportMenu = file->addMenu(tr("E&xport"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  m_logScaleAction = view->addAction(tr("&Logarithmic loss axis"));
  m_logScaleAction->setCheckable(true);
}

QWidget* MainWindow::buildLeftColumn() {
  auto* panels = new QWidget;
  auto* panelsLayout = new QVBoxLayout(panels);
  m_datasetPanel = new DatasetPanel(panels);
  m_modelPanel = new ModelPanel(panels);
  panelsLayout->addWidget(m_datasetPanel);
  panelsLayout->addWidget(m_modelPanel);
  panelsLayout->addStretch();
  auto* scroll = new QScrollArea;
  scroll->setWidget(panels);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(std::max(LeftColumnMinWidth, panels->sizeHint().width() + 24));

  m_trainButton = new QPushButton(tr("Train"));
  m_trainButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  m_trainButton->setToolTip(tr("Train a new model on the current dataset (Ctrl+Return)."));
  m_pauseButton = new QPushButton(tr("Pause"));
  m_pauseButton->setShortcut(QKeySequence(Qt::Key_Space));
  m_pauseButton->setToolTip(tr("Pause or resume training (Space)."));
  m_stopButton = new QPushButton(tr("Stop"));
  m_stopButton->setShortcut(QKeySequence(Qt::Key_Escape));
  m_stopButton->setToolTip(
      tr("Stop training after the current batch (Esc); the model so far is kept."));
  m_resetButton = new QPushButton(tr("Reset"));
  m_resetButton->setToolTip(
      tr("Reset weights: forget the current model so the next run starts from fresh random "
         "weights. Without a reset, Train continues the current model when its architecture is "
         "unchanged."));
  connect(m_trainButton, &QPushButton::clicked, this, &MainWindow::startTraining);
  connect(m_pauseButton, &QPushButton::clicked, this, &MainWindow::togglePause);
  connect(m_stopButton, &QPushButton::clicked, this, &MainWindow::stopTraining);
  connect(m_resetButton, &QPushButton::clicked, this, &MainWindow::resetWeights);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_trainButton, 2);
  buttons->addWidget(m_pauseButton, 1);
  buttons->addWidget(m_stopButton, 1);
  buttons->addWidget(m_resetButton, 1);

  auto* column = new QWidget;
  auto* layout = new QVBoxLayout(column);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll, 1);
  layout->addLayout(buttons);
  return column;
}

QWidget* MainWindow::buildCentre() {
  m_tabs = new QTabWidget;
  m_lossChart = new LossChartView;
  m_reconstructions = new ReconstructionGrid;
  auto* gridScroll = new QScrollArea;
  gridScroll->setWidget(m_reconstructions);
  gridScroll->setWidgetResizable(true);
  gridScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  gridScroll->setFrameShape(QFrame::NoFrame);
  auto* training = new QSplitter(Qt::Vertical);
  training->setObjectName(QStringLiteral("trainingSplitter"));
  training->addWidget(m_lossChart);
  training->addWidget(gridScroll);
  training->setStretchFactor(0, 1);
  m_tabs->addTab(training, tr("Training"));
  m_latentExplorer = new LatentExplorer;
  m_tabs->addTab(m_latentExplorer, tr("Latent space"));
  m_anomalyPanel = new AnomalyPanel;
  m_tabs->addTab(m_anomalyPanel, tr("Anomalies"));
  m_analysis = new AnalysisPanels(m_session, m_latentExplorer, this);
  m_analysis->addTabs(m_tabs);
  m_analysis->addExportActions(m_exportMenu, m_lossChart, m_reconstructions);
  m_exportMenu->addAction(tr("&Anomaly scores (CSV)…"), m_anomalyPanel,
                          &AnomalyPanel::exportScoresWithDialog);
  m_recommendPanel = new RecommendPanel;
  m_tabs->addTab(m_recommendPanel, tr("Recommendations"));
  connect(m_logScaleAction, &QAction::toggled, m_lossChart, &LossChartView::setLogScale);
  connect(m_lossChart, &LossChartView::logScaleChanged, m_logScaleAction, &QAction::setChecked);
  return m_tabs;
}

void MainWindow::buildStatusBar() {
  m_epochLabel = new QLabel(this);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, ProgressSteps);
  m_progress->setValue(0);
  m_progress->setMaximumWidth(200);
  m_speedLabel = new QLabel(this);
  m_timeLabel = new QLabel(this);
  m_threadsLabel = new QLabel(this);
  m_messageLabel = new QLabel(this);
  statusBar()->addWidget(m_epochLabel);
  statusBar()->addWidget(m_progress);
  statusBar()->addWidget(m_speedLabel);
  statusBar()->addWidget(m_timeLabel);
  statusBar()->addWidget(m_threadsLabel);
  statusBar()->addWidget(m_messageLabel, 1);
  m_speedLabel->setToolTip(tr("Training samples processed per second"));
  m_timeLabel->setToolTip(tr("Time since the run started, and the estimated time left"));
}

void MainWindow::connectSession() {
  connect(m_session, &TrainingSession::progress, this, &MainWindow::onProgress);
  connect(m_session, &TrainingSession::finished, this, &MainWindow::onFinished);
  connect(m_session, &TrainingSession::snapshotReady, m_latentExplorer,
          &LatentExplorer::setSnapshot);
  connect(m_session, &TrainingSession::pausedChanged, this, [this](bool paused) {
    updateButtons();
    setStatusMessage(paused ? tr("paused") : tr("training"));
  });
  connect(m_session, &TrainingSession::snapshotReady, m_reconstructions,
          &ReconstructionGrid::setSnapshot);
  connect(m_session, &TrainingSession::snapshotReady, m_anomalyPanel, &AnomalyPanel::setSnapshot);
  connect(m_anomalyPanel, &AnomalyPanel::sampleActivated, this, [this](int sample, bool all) {
    m_tabs->setCurrentWidget(m_latentExplorer);
    m_latentExplorer->locateSample(sample, all);
  });
  connect(m_session, &TrainingSession::snapshotReady, m_recommendPanel,
          &RecommendPanel::setSnapshot);
  connect(m_recommendPanel, &RecommendPanel::suggestedSpecRequested, this,
          [this](latent::ModelSpec spec) {
            // The suggestion is about the model; where and how fast it runs stays the user's.
            const latent::TrainingSpec current = m_modelPanel->spec().training;
            spec.training.threads = current.threads;
            spec.training.seed = current.seed;
            spec.training.precision = current.precision;
            m_modelPanel->setSpec(spec);
          });
  connect(m_modelPanel, &ModelPanel::specChanged, this, &MainWindow::updateButtons);
  connect(m_modelPanel, &ModelPanel::learningRateEdited, m_session,
          &TrainingSession::setLearningRate);
  connect(m_modelPanel, &ModelPanel::betaEdited, m_session, &TrainingSession::setBeta);
}

QString MainWindow::defaultDatasetPath() {
  const QString besideBuild = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(QStringLiteral("../../") + DefaultDataset);
  if (QFileInfo::exists(besideBuild)) return QDir::cleanPath(besideBuild);
  const QString inCurrent = QDir::current().absoluteFilePath(DefaultDataset);
  return QFileInfo::exists(inCurrent) ? inCurrent : QString();
}

bool MainWindow::isSupportedDatasetPath(const QString& localPath) {
  const QFileInfo info(localPath);
  if (info.isDir()) return true;
  const QString name = info.fileName().toLower();
  static const QStringList suffixes{QStringLiteral(".csv"),   QStringLiteral(".tsv"),
                                    QStringLiteral(".npy"),   QStringLiteral(".npz"),
                                    QStringLiteral("-ubyte"), QStringLiteral("-ubyte.gz")};
  return name.contains(QStringLiteral("idx")) ||
         std::any_of(suffixes.begin(), suffixes.end(),
                     [&](const QString& s) { return name.endsWith(s); });
}

void MainWindow::setDataset(std::shared_ptr<const latent::Dataset> dataset) {
  m_modelPanel->setInputShape(dataset ? dataset->shape : latent::Shape{});
  setWindowTitle(dataset ? tr("LatentLab — %1").arg(QString::fromStdString(dataset->name))
                         : tr("LatentLab"));
  m_datasetPanel->setDataset(dataset);
  if (dataset && !m_session->isActive()) {
    // The form may hold an unparsable field (its own error is shown there): the split then uses
    // the default settings until the form is fixed and Train recomputes it.
    latent::ModelSpec spec = ModelPanel::defaultSpec();
    try {
      spec = m_modelPanel->spec();
    } catch (const std::exception&) {
    }
    const latent::Split split = splitFor(*dataset, spec);
    auto validation = std::make_shared<const latent::Dataset>(dataset->subset(split.validation));
    m_reconstructions->setSamples(validation, spec);
    m_analysis->setData(dataset, split, validation);
    m_latentExplorer->setData(dataset, validation);
    m_recommendPanel->setData(dataset, split.validation);
    m_anomalyPanel->setData(dataset, std::move(validation), split.validation);
  }
  updateButtons();
}

void MainWindow::useBuiltInShapes() {
  setDataset(std::make_shared<const latent::Dataset>(
      latent::makeShapesDataset(BuiltInShapesCount, BuiltInShapesSeed)));
}

void MainWindow::useBuiltInSignals() {
  setDataset(std::make_shared<const latent::Dataset>(
      latent::makeSignalsDataset(BuiltInSignalsCount, BuiltInShapesSeed)));
}

void MainWindow::useBuiltIn(const std::string& name) {
  setDataset(std::make_shared<const latent::Dataset>(
      latent::makeBuiltinDataset({.name = name, .seed = BuiltInShapesSeed})));
}

void MainWindow::openDefaultDataset() {
  const QString path = defaultDatasetPath();
  if (path.isEmpty() || !openDatasetAndWait(path)) useBuiltInShapes();
}

void MainWindow::startTraining() {
  const auto data = m_datasetPanel->dataset();
  if (m_session->isActive() || !data || !m_modelPanel->isValid()) return;
  try {
    const latent::ModelSpec spec = m_modelPanel->spec();
    const latent::Split split = splitFor(*data, spec);
    // "Train on normal classes only" filters what trains; the panels keep every class.
    const latent::Split trained = m_anomalyPanel->trainingSplit(*data, split);
    auto train = std::make_shared<const latent::Dataset>(data->subset(trained.train));
    auto validation = std::make_shared<const latent::Dataset>(data->subset(split.validation));
    auto trainedValidation =
        trained.validation == split.validation
            ? validation
            : std::make_shared<const latent::Dataset>(data->subset(trained.validation));
    const bool continuing = m_session->canContinue(spec, data->features());
    m_session->start(spec, std::move(train), std::move(trainedValidation), continuing);
    if (!continuing) {
      m_lossChart->reset(spec);
      m_modelData = {data->shape, data->normalisation, data->classNames, data->sourcePath, {}, {}};
    }
    m_reconstructions->setSamples(validation, spec);
    if (continuing) m_reconstructions->setSnapshot(m_session->latestSnapshot());
    m_latentExplorer->setData(data, validation);
    m_analysis->setData(data, split, validation);
    m_anomalyPanel->setData(data, validation, split.validation);
    m_recommendPanel->setData(data, split.validation);
    m_runCheckpoint->runStarted(m_modelData);
  } catch (const std::exception& e) {
    setStatusMessage(tr("cannot train: %1").arg(QString::fromUtf8(e.what())), true);
    return;
  }
  m_progress->setValue(0);
  m_tabs->setCurrentIndex(0);
  m_modelPanel->setTrainingActive(true);
  setStatusMessage(tr("training"));
  updateButtons();
}

void MainWindow::togglePause() {
  if (!m_session->isActive()) return;
  if (m_session->isPaused())
    m_session->resume();
  else
    m_session->pause();
}

void MainWindow::stopTraining() {
  if (!m_session->isActive()) return;
  m_session->stop();
  setStatusMessage(tr("stopping…"));
}

void MainWindow::onProgress(const latent::TrainingProgress& p) {
  LATENT_ASSERT_GUI_THREAD();
  m_lossChart->addProgress(p);
  m_epochLabel->setText(tr("epoch %1/%2").arg(p.epoch).arg(p.epochs));
  if (p.threads > 0)
    m_threadsLabel->setText(p.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(p.threads));
  if (p.batchesPerEpoch > 0 && p.epochs > 0) {
    const double done = (p.epoch - 1) * double(p.batchesPerEpoch) + p.batch;
    m_progress->setValue(
        int(std::lround(ProgressSteps * done / (double(p.epochs) * p.batchesPerEpoch))));
  }
  if (p.samplesPerSecond > 0)
    m_speedLabel->setText(
        tr("%1 samples/s").arg(QLocale().toString(std::lround(p.samplesPerSecond))));
  using K = latent::TrainingProgress::Kind;
  if (p.kind == K::Batch || p.kind == K::EpochEnd)
    m_timeLabel->setText(tr("%1 elapsed · ETA %2")
                             .arg(formatDuration(p.elapsedSeconds), formatDuration(p.etaSeconds)));
  else if (p.elapsedSeconds > 0)
    m_timeLabel->setText(tr("%1 elapsed").arg(formatDuration(p.elapsedSeconds)));
}

void MainWindow::onFinished(latent::Trainer::State state, const QString& message) {
  LATENT_ASSERT_GUI_THREAD();
  using State = latent::Trainer::State;
  if (state == State::Finished) m_progress->setValue(ProgressSteps);
  m_timeLabel->setText(m_timeLabel->text().section(QStringLiteral(" · "), 0, 0));  // no ETA now
  // The trainer's messages mostly name the outcome ("finished 10 epochs"); add it when not.
  const QString outcome = QString::fromStdString(latent::toString(state));
  const bool bad = state == State::Diverged || state == State::Failed;
  setStatusMessage(
      message.contains(outcome) ? message : QStringLiteral("%1: %2").arg(outcome, message), bad);
  m_modelPanel->setTrainingActive(false);
  updateButtons();
}

void MainWindow::updateButtons() {
  const bool active = m_session->isActive();
  const auto data = m_datasetPanel->dataset();
  m_trainButton->setEnabled(!active && data && m_modelPanel->isValid() && !isLoadingDataset());
  const bool continuing = data && m_modelPanel->isValid() &&
                          m_session->canContinue(m_modelPanel->spec(), data->features());
  m_trainButton->setText(continuing ? tr("Continue") : tr("Train"));
  m_trainButton->setToolTip(continuing
                                ? tr("Continue training the current model for the epochs set below "
                                     "(Ctrl+Return). Reset starts afresh.")
                                : tr("Train a new model on the current dataset (Ctrl+Return)."));
  m_resetButton->setEnabled(!active && m_session->latestSnapshot() != nullptr);
  m_saveModelAction->setEnabled(m_session->latestSnapshot() != nullptr);
  m_pauseButton->setEnabled(active);
  m_pauseButton->setText(m_session->isPaused() ? tr("Resume") : tr("Pause"));
  m_stopButton->setEnabled(active);
}

void MainWindow::setStatusMessage(const QString& text, bool isError) {
  m_messageLabel->setText(text);
  m_messageLabel->setStyleSheet(isError ? QStringLiteral("color: #c62828;") : QString());
}

QString MainWindow::statusMessage() const { return m_messageLabel->text(); }
QString MainWindow::statusEpochText() const { return m_epochLabel->text(); }

bool MainWindow::confirmStopOnClose() {
  if (!m_session->isActive() || !m_confirmClose) return true;
  return QMessageBox::question(this, tr("Training in progress"),
                               tr("A model is still training. Stop training and quit?"),
                               QMessageBox::Yes | QMessageBox::No,
                               QMessageBox::No) == QMessageBox::Yes;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!confirmStopOnClose()) {
    event->ignore();
    return;
  }
  m_session->stopAndWait();
  m_runCheckpoint->runEnded();  // quitting stops the run: nothing to restore next time
  saveSettings();
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && !pickDroppedPath(event->mimeData()->urls()).isEmpty())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QString path = pickDroppedPath(event->mimeData()->urls());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  openDataset(path);
}
