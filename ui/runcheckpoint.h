// RunCheckpoint: crash-safe training runs in the GUI. While a run trains, its model, optimizer
// state, history, spec and dataset path are written atomically (on the core Checkpointer's own
// thread) at every epoch end and every few minutes to the user's data folder; a run that ends
// (finished, stopped, diverged, failed, or the window closed) removes the checkpoint, so one
// found at start-up is a run a crash interrupted.
#pragma once

#include <QObject>
#include <QTimer>
#include <chrono>
#include <memory>

#include "persist/modelfile.h"
#include "train/trainer.h"

namespace latent {
class Checkpointer;
}
class TrainingSession;

/// Thread contract: GUI thread only. Never blocks on the disk: saves and removals run on the
/// Checkpointer's writer thread (the destructor waits for the one in progress).
class RunCheckpoint : public QObject {
  Q_OBJECT

 public:
  static constexpr int DefaultIntervalMinutes = 5;

  explicit RunCheckpoint(TrainingSession* session, QObject* parent = nullptr);
  ~RunCheckpoint() override;

  /// <user data folder (QStandardPaths::AppDataLocation)>/unfinished-run.safetensors; the
  /// environment variable LATENTLAB_DATA_DIR replaces the folder (tests, portable installs).
  static QString checkpointPath();
  /// Removes the checkpoint now (the user declined the restore).
  static void discardNow();

  /// A run started (or continued) on data described by `data`: checkpoint it from now on.
  void runStarted(const latent::ModelFileInfo& data);
  /// The run ended without the session saying so (the window closes): drop its checkpoint.
  void runEnded();

  /// Minutes between timed checkpoints while training (kept in the settings; 1–1440).
  int intervalMinutes() const;
  void setIntervalMinutes(int minutes);
  /// The timer itself, finer than minutes (tests).
  void setInterval(std::chrono::milliseconds interval);

  /// Waits for the saves and removals requested so far (tests and shutdown).
  void flush();
  /// Completed epochs in the checkpoint written last, -1 when there is none from this run.
  int savedEpoch() const;
  /// Checkpoints written (epoch ends and timed ones) since this object was created.
  int savedCount() const { return m_requested; }

 private:
  void onProgress(const latent::TrainingProgress& p);
  void onFinished();
  void onTimer();

  TrainingSession* m_session = nullptr;
  std::unique_ptr<latent::Checkpointer> m_checkpointer;
  QTimer m_timer;
  bool m_running = false;  // between runStarted and the end of that run
  int m_requested = 0;
};
