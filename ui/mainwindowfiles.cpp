// MainWindow's file side: datasets loaded on a worker, recent datasets, model files (save/open),
// and the settings kept between sessions.
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QtConcurrent/QtConcurrentRun>
#include <nlohmann/json.hpp>

#include "datasetpanel.h"
#include "guithread.h"
#include "io/load.h"
#include "losschartview.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "reconstructiongrid.h"
#include "trainingsession.h"

namespace {

constexpr auto RecentKey = "datasets/recent";
constexpr auto SpecKey = "model/lastSpec";
constexpr auto GeometryKey = "mainWindow/geometry";
constexpr auto SplitterKey = "mainWindow/splitter";
constexpr auto ModelFilter = "LatentLab models (*.safetensors);;All files (*)";

std::string localPath(const QString& path) { return QFile::encodeName(path).toStdString(); }

/// A window-modal warning that does not block the caller (nor a test driving the window).
void warnLater(QWidget* parent, const QString& title, const QString& text) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace

bool MainWindow::openDataset(const QString& path, const latent::LoadOptions& options) {
  if (isLoadingDataset()) {
    setStatusMessage(tr("still loading %1").arg(QDir::toNativeSeparators(m_loadingPath)), true);
    return false;
  }
  m_loadingPath = path;
  m_loadingOptions = options;
  setStatusMessage(tr("loading %1…").arg(QDir::toNativeSeparators(path)));
  m_loading.setFuture(QtConcurrent::run([file = localPath(path), options]() -> LoadOutcome {
    try {
      latent::LoadResult loaded = latent::loadDatasetWithReport(file, options);
      return {std::make_shared<const latent::Dataset>(std::move(loaded.data)),
              std::move(loaded.report),
              {}};
    } catch (const std::exception& e) {
      return {nullptr, {}, QString::fromUtf8(e.what())};
    }
  }));
  updateButtons();
  return true;
}

bool MainWindow::openDatasetAndWait(const QString& path) {
  QEventLoop loop;
  bool ok = false;
  const auto connection = connect(this, &MainWindow::datasetLoaded, &loop, [&](bool loaded) {
    ok = loaded;
    loop.quit();
  });
  // The watcher reports through the event loop, so the signal cannot have come before exec().
  if (openDataset(path)) loop.exec();
  disconnect(connection);
  return ok;
}

void MainWindow::onDatasetLoadFinished() {
  LATENT_ASSERT_GUI_THREAD();
  const LoadOutcome outcome = m_loading.result();
  updateButtons();
  if (!outcome.dataset) {
    m_datasetPanel->showError(tr("Could not load the dataset: %1").arg(outcome.error));
    setStatusMessage(outcome.error, true);
    emit datasetLoaded(false);
    if (m_loadingOptions.missing == latent::MissingPolicy::Report &&
        outcome.error.contains(QStringLiteral("choose to drop"), Qt::CaseInsensitive))
      offerMissingValuePolicy(m_loadingPath, outcome.error);
    return;
  }
  setDataset(outcome.dataset);
  m_datasetPanel->setLoadReport(outcome.report);
  rememberRecentDataset(m_loadingPath);
  setStatusMessage(tr("loaded %1").arg(QDir::toNativeSeparators(m_loadingPath)));
  emit datasetLoaded(true);
}

void MainWindow::offerMissingValuePolicy(const QString& path, const QString& error) {
  auto* box = new QMessageBox(QMessageBox::Question, tr("Incomplete rows"), error,
                              QMessageBox::Cancel, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setObjectName(QStringLiteral("missingValuesQuestion"));
  QPushButton* drop = box->addButton(tr("Drop those rows"), QMessageBox::AcceptRole);
  QPushButton* fill = box->addButton(tr("Fill with column means"), QMessageBox::AcceptRole);
  connect(box, &QMessageBox::buttonClicked, this, [this, path, drop, fill](QAbstractButton* b) {
    latent::LoadOptions options = m_loadingOptions;
    if (b == drop)
      options.missing = latent::MissingPolicy::DropRows;
    else if (b == fill)
      options.missing = latent::MissingPolicy::FillColumnMean;
    else
      return;
    openDataset(path, options);
  });
  box->open();
}

void MainWindow::openDatasetDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open dataset"), QString(),
      tr("Datasets (*idx* *-ubyte *-ubyte.gz *.csv *.tsv *.txt *.npy *.npz *.npy.gz);;"
         "All files (*)"));
  if (!path.isEmpty()) openDataset(path);
}

void MainWindow::openDatasetFolderDialog() {
  const QString path = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"));
  if (!path.isEmpty()) openDataset(path);
}

QStringList MainWindow::recentDatasets() const {
  return QSettings().value(RecentKey).toStringList();
}

void MainWindow::rememberRecentDataset(const QString& path) {
  QStringList recent = recentDatasets();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > MaxRecentDatasets) recent.removeLast();
  QSettings().setValue(RecentKey, recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList recent = recentDatasets();
  for (int i = 0; i < recent.size(); ++i) {
    const QString path = recent[i];
    QAction* action = m_recentMenu->addAction(
        QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(path)), this,
        [this, path] { openDataset(path); });
    action->setEnabled(QFileInfo::exists(path));
  }
  if (recent.isEmpty()) m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
  m_recentMenu->addSeparator();
  m_recentMenu->addAction(tr("&Clear list"), this, [this] {
    QSettings().remove(RecentKey);
    rebuildRecentMenu();
  });
}

bool MainWindow::saveModel(const QString& path) {
  const auto snapshot = m_session->latestSnapshot();
  if (!snapshot || !snapshot->model) {
    setStatusMessage(tr("no model to save yet: train one first"), true);
    return false;
  }
  latent::ModelFileInfo info = m_modelData;
  info.history = snapshot->history;
  if (snapshot->optimizer) info.optimizer = *snapshot->optimizer;
  try {
    latent::saveModelFile(localPath(path), *snapshot->model, info);
  } catch (const std::exception& e) {
    const QString message = QString::fromUtf8(e.what());
    setStatusMessage(message, true);
    warnLater(this, tr("Model not saved"), message);
    return false;
  }
  setStatusMessage(tr("saved the model (epoch %1) to %2")
                       .arg(snapshot->epoch)
                       .arg(QDir::toNativeSeparators(path)));
  return true;
}

bool MainWindow::openModel(const QString& path) {
  if (m_session->isActive()) {
    setStatusMessage(tr("stop training before opening a model"), true);
    return false;
  }
  latent::LoadedModel loaded;
  try {
    loaded = latent::loadModelFile(localPath(path));
  } catch (const std::exception& e) {
    setStatusMessage(QString::fromUtf8(e.what()), true);
    warnLater(this, tr("Model not opened"), QString::fromUtf8(e.what()));
    return false;
  }
  auto snapshot = std::make_shared<latent::ModelSnapshot>();
  snapshot->history = loaded.info.history;
  snapshot->epoch = snapshot->history.empty() ? 0 : snapshot->history.back().epoch;
  if (loaded.info.optimizer) {
    snapshot->optimizer = std::make_shared<const latent::OptimizerState>(*loaded.info.optimizer);
    snapshot->step = loaded.info.optimizer->step;
  }
  snapshot->model = std::shared_ptr<const latent::Model>(std::move(loaded.model));
  const latent::ModelSpec spec = snapshot->model->spec();
  m_modelData = loaded.info;
  m_modelData.history.clear();
  m_modelData.optimizer.reset();
  m_modelPanel->setSpec(spec);
  m_lossChart->showHistory(spec, snapshot->history);
  if (auto data = m_datasetPanel->dataset()) setDataset(data);  // grid samples for this spec
  m_session->adopt(snapshot);
  const auto data = m_datasetPanel->dataset();
  if (!data || data->features() != snapshot->model->inputSize())
    setStatusMessage(tr("opened %1; it expects %2 values per sample: open its dataset (%3)")
                         .arg(QDir::toNativeSeparators(path))
                         .arg(snapshot->model->inputSize())
                         .arg(QString::fromStdString(m_modelData.datasetPath)),
                     true);
  else
    setStatusMessage(
        tr("opened %1 (epoch %2)").arg(QDir::toNativeSeparators(path)).arg(snapshot->epoch));
  updateButtons();
  return true;
}

void MainWindow::openModelDialog() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open model"), QString(), tr(ModelFilter));
  if (!path.isEmpty()) openModel(path);
}

void MainWindow::saveModelDialog() {
  QString path = QFileDialog::getSaveFileName(this, tr("Save model"),
                                              QStringLiteral("model.safetensors"), tr(ModelFilter));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".safetensors");
  saveModel(path);
}

void MainWindow::resetWeights() {
  if (m_session->isActive()) return;
  m_session->discardModel();
  m_lossChart->reset(m_modelPanel->isValid() ? m_modelPanel->spec() : ModelPanel::defaultSpec());
  if (auto data = m_datasetPanel->dataset()) setDataset(data);
  setStatusMessage(tr("weights reset: the next run starts afresh"));
  updateButtons();
}

void MainWindow::restoreSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value(GeometryKey).toByteArray())) resize(1280, 820);
  static_cast<QSplitter*>(centralWidget())->restoreState(settings.value(SplitterKey).toByteArray());
  const QString spec = settings.value(SpecKey).toString();
  if (spec.isEmpty()) return;
  try {
    m_modelPanel->setSpec(latent::ModelSpec::fromJson(nlohmann::json::parse(spec.toStdString())));
  } catch (const std::exception&) {
    settings.remove(SpecKey);  // from an older version or edited by hand: keep the defaults
  }
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(GeometryKey, saveGeometry());
  settings.setValue(SplitterKey, static_cast<QSplitter*>(centralWidget())->saveState());
  try {
    settings.setValue(SpecKey, QString::fromStdString(m_modelPanel->spec().toJson().dump()));
  } catch (const std::exception&) {
    // A field that does not parse: the last spec that did stays in the settings.
  }
}
