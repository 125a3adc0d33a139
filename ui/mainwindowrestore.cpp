// MainWindow's crash-safe runs: the checkpoint settings (Training menu), the offer to restore a
// run a crash interrupted, and the restore itself (model, optimizer state and history from the
// checkpoint, then its dataset reloaded; Continue resumes the run).
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>

#include "datasetpanel.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "runcheckpoint.h"
#include "train/checkpointer.h"
#include "trainingsession.h"

void MainWindow::buildRunSafety() {
  m_runCheckpoint = new RunCheckpoint(m_session, this);
  QMenu* training = menuBar()->addMenu(tr("&Training"));
  training->addAction(tr("&Checkpoint interval…"), this, [this] {
    bool ok = false;
    const int minutes = QInputDialog::getInt(
        this, tr("Checkpoint interval"),
        tr("While training, the run is saved to your data folder at every epoch end and every "
           "N minutes, so a crash loses at most that much. N:"),
        m_runCheckpoint->intervalMinutes(), 1, 1440, 1, &ok);
    if (ok) m_runCheckpoint->setIntervalMinutes(minutes);
  });
}

namespace {

QString describeCheckpoint(const latent::LoadedModel& run, const QString& path) {
  const latent::ModelSpec& spec = run.model->spec();
  const int epoch = run.info.history.empty() ? 0 : run.info.history.back().epoch;
  const QString dataset =
      run.info.datasetPath.empty()
          ? QObject::tr("(generated in the app)")
          : QDir::toNativeSeparators(QString::fromStdString(run.info.datasetPath));
  return QObject::tr(
             "A training run did not finish: LatentLab closed while it was training.\n\n"
             "Dataset: %1\nModel: %2 autoencoder, %3\nProgress: %4 of %5 epochs "
             "completed, %6 optimizer steps\nSaved: %7\n\n"
             "Restore it to continue training from epoch %8, or discard it?")
      .arg(dataset, QString::fromStdString(latent::toString(spec.kind)),
           QString::fromStdString(spec.describeLayers(run.info.dataShape)))
      .arg(epoch)
      .arg(spec.training.epochs)
      .arg(QLocale().toString(run.info.optimizer ? run.info.optimizer->step : 0))
      .arg(QLocale().toString(QFileInfo(path).lastModified(), QLocale::ShortFormat))
      .arg(epoch + 1);
}

}  // namespace

void MainWindow::offerRunRestore() {
  const QString path = RunCheckpoint::checkpointPath();
  std::optional<latent::LoadedModel> run;
  try {
    run = latent::Checkpointer::find(QFile::encodeName(path).toStdString());
  } catch (const std::exception& e) {  // torn beyond repair or from elsewhere: say so, drop it
    setStatusMessage(tr("the unfinished run's checkpoint could not be read (%1); it was removed")
                         .arg(QString::fromUtf8(e.what())),
                     true);
    RunCheckpoint::discardNow();
    return;
  }
  if (!run) return;
  auto* box = new QMessageBox(QMessageBox::Question, tr("Restore the unfinished run?"),
                              describeCheckpoint(*run, path), QMessageBox::NoButton, this);
  box->setObjectName(QStringLiteral("restoreRunQuestion"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  QPushButton* restore = box->addButton(tr("Restore"), QMessageBox::AcceptRole);
  box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
  box->setDefaultButton(restore);
  connect(box, &QMessageBox::buttonClicked, this, [this, restore, path](QAbstractButton* b) {
    if (b == restore)
      restoreRun(path);
    else
      RunCheckpoint::discardNow();
  });
  box->open();  // window-modal, without blocking the caller
}

void MainWindow::restoreRun(const QString& path) {
  if (!openModel(path)) return;  // says why; the checkpoint stays for the next launch
  const auto snapshot = m_session->latestSnapshot();
  // Continue then trains what the run had left, not its whole epoch count again.
  latent::ModelSpec spec = snapshot->model->spec();
  spec.training.epochs = std::max(1, spec.training.epochs - snapshot->epoch);
  m_modelPanel->setSpec(spec);
  const QString resumed = tr("restored the unfinished run at epoch %1 (%2 optimizer steps): "
                             "Continue resumes it")
                              .arg(snapshot->epoch)
                              .arg(snapshot->step);
  const QString dataset = QString::fromStdString(m_modelData.datasetPath);
  const auto current = m_datasetPanel->dataset();
  if (dataset.isEmpty() || (current && current->sourcePath == m_modelData.datasetPath)) {
    updateButtons();
    setStatusMessage(resumed);
    return;
  }
  auto* once = new QObject(this);  // the connection below lives for one load
  connect(this, &MainWindow::datasetLoaded, once, [this, once, resumed](bool ok) {
    if (ok) setStatusMessage(resumed);
    once->deleteLater();
  });
  if (!openDataset(dataset)) once->deleteLater();
}
