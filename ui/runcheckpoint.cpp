// RunCheckpoint: the core Checkpointer fed from TrainingSession's events, a timer for the timed
// checkpoints, and the checkpoint's place in the user's data folder.
#include "runcheckpoint.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <algorithm>

#include "guithread.h"
#include "train/checkpointer.h"
#include "trainingsession.h"

namespace {
constexpr auto IntervalKey = "checkpoint/intervalMinutes";
constexpr auto FileName = "unfinished-run.safetensors";

std::string localPath(const QString& path) { return QFile::encodeName(path).toStdString(); }
}  // namespace

RunCheckpoint::RunCheckpoint(TrainingSession* session, QObject* parent)
    : QObject(parent), m_session(session) {
  QDir().mkpath(QFileInfo(checkpointPath()).absolutePath());
  m_checkpointer =
      std::make_unique<latent::Checkpointer>(localPath(checkpointPath()), latent::ModelFileInfo{});
  m_timer.setInterval(std::chrono::minutes(intervalMinutes()));
  connect(&m_timer, &QTimer::timeout, this, &RunCheckpoint::onTimer);
  connect(session, &TrainingSession::progress, this, &RunCheckpoint::onProgress);
  connect(session, &TrainingSession::finished, this, &RunCheckpoint::onFinished);
}

RunCheckpoint::~RunCheckpoint() = default;  // the Checkpointer writes what is pending, then joins

QString RunCheckpoint::checkpointPath() {
  QString dir = qEnvironmentVariable("LATENTLAB_DATA_DIR");
  if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  return QDir(dir).absoluteFilePath(QString::fromLatin1(FileName));
}

void RunCheckpoint::discardNow() { latent::Checkpointer::discard(localPath(checkpointPath())); }

void RunCheckpoint::runStarted(const latent::ModelFileInfo& data) {
  latent::ModelFileInfo info = data;
  info.history.clear();  // each snapshot brings its own
  info.optimizer.reset();
  m_checkpointer->setData(std::move(info));
  m_running = true;
  m_timer.start();
}

void RunCheckpoint::runEnded() {
  if (!m_running) return;
  m_running = false;
  m_timer.stop();
  m_checkpointer->discardLater();
}

int RunCheckpoint::intervalMinutes() const {
  const int minutes = QSettings().value(IntervalKey, DefaultIntervalMinutes).toInt();
  return std::clamp(minutes, 1, 1440);
}

void RunCheckpoint::setIntervalMinutes(int minutes) {
  minutes = std::clamp(minutes, 1, 1440);
  QSettings().setValue(IntervalKey, minutes);
  setInterval(std::chrono::minutes(minutes));
}

void RunCheckpoint::setInterval(std::chrono::milliseconds interval) {
  m_timer.setInterval(interval);  // a running timer restarts with the new interval
}

void RunCheckpoint::flush() { m_checkpointer->flush(); }
int RunCheckpoint::savedEpoch() const { return m_checkpointer->savedEpoch(); }

void RunCheckpoint::onProgress(const latent::TrainingProgress& p) {
  LATENT_ASSERT_GUI_THREAD();
  using Kind = latent::TrainingProgress::Kind;
  if (!m_running || (p.kind != Kind::EpochEnd && p.kind != Kind::Batch)) return;
  if (!p.snapshot || !p.snapshot->optimizer) return;  // only states a run can resume from
  m_checkpointer->observe(p);  // hands the snapshot to the writer thread; never blocks
  ++m_requested;
}

void RunCheckpoint::onFinished() { runEnded(); }

void RunCheckpoint::onTimer() {
  if (m_running && m_session->isActive() && !m_session->isPaused())
    m_session->requestCheckpoint();  // the next batch event brings the optimizer state
}
