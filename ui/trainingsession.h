// TrainingSession: the only bridge between the GUI and a core training run. It owns the
// latent::Trainer, turns its events (raised on the training thread) into queued signals carrying
// values, and keeps the latest immutable model snapshot.
#pragma once

#include <QObject>
#include <QString>
#include <chrono>
#include <memory>

#include "train/trainer.h"

Q_DECLARE_METATYPE(latent::TrainingProgress)
Q_DECLARE_METATYPE(std::shared_ptr<const latent::ModelSnapshot>)
Q_DECLARE_METATYPE(latent::Trainer::State)

/// Thread contract: create, call and connect on the GUI thread. The trainer's observer runs on
/// the training thread and only posts values to this object's thread; every signal is emitted on
/// the GUI thread. pause/resume/stop/setLearningRate/setBeta are direct calls on the trainer
/// (atomics), so they act within one batch even though the training thread never runs an event
/// loop.
class TrainingSession : public QObject {
  Q_OBJECT

 public:
  /// Batch progress reaches the GUI at most this often (epoch ends and the end always do): the
  /// chart redraws at most 10 times a second anyway, and every event costs the GUI thread.
  static constexpr double MaxBatchEventsPerSecond = 15.0;

  explicit TrainingSession(QObject* parent = nullptr);
  ~TrainingSession() override;

  /// Starts a run on a background thread, replacing (stopping) any previous one. With
  /// `continueCurrent` (see canContinue) the run starts from the current model's weights,
  /// optimizer state and history and trains spec.training.epochs more epochs. Throws
  /// latent::Error when the spec does not fit the data.
  void start(const latent::ModelSpec& spec, std::shared_ptr<const latent::Dataset> train,
             std::shared_ptr<const latent::Dataset> validation, bool continueCurrent = false);
  void pause();
  void resume();
  /// Asks the run to stop at the next batch; `finished(Stopped, …)` follows.
  void stop();
  /// Stops and joins the training thread before returning (used when the window closes).
  void stopAndWait();
  void setLearningRate(float lr);
  void setBeta(float beta);
  /// The next batch's progress event carries a snapshot with the optimizer state (a timed
  /// checkpoint); nothing when no run is active.
  void requestCheckpoint();

  /// Makes `snapshot` (e.g. a model opened from a file) the current model; emits snapshotReady.
  void adopt(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  /// Forgets the current model, so the next run starts from fresh weights ("Reset weights").
  void discardModel();
  /// Whether a run of `spec` on `inputSize` features can continue from the current model: same
  /// architecture (training settings may differ) and input size, and not training now.
  bool canContinue(const latent::ModelSpec& spec, int inputSize) const;

  /// True from start() until `finished` has been emitted.
  bool isActive() const { return m_active; }
  bool isPaused() const { return m_paused; }
  /// The spec of the current (or last) run.
  const latent::ModelSpec& spec() const { return m_spec; }
  /// The current model: the latest snapshot of the current or last run, or the adopted one.
  std::shared_ptr<const latent::ModelSnapshot> latestSnapshot() const { return m_snapshot; }

 signals:
  void progress(const latent::TrainingProgress& progress);
  void snapshotReady(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  /// The run ended: state Finished, Stopped, Diverged or Failed, and the trainer's message.
  void finished(latent::Trainer::State state, const QString& message);
  void pausedChanged(bool paused);

 private:
  /// Loads `from` into `trainer` and sets its target to `moreEpochs` past the snapshot.
  static void continueFrom(latent::Trainer& trainer, const latent::ModelSnapshot& from,
                           int moreEpochs);
  /// Runs on the training thread: throttles Batch events and posts the rest to the GUI thread.
  void observe(const latent::TrainingProgress& p, int generation);
  /// Runs on the GUI thread: emits the signals for one event of run `generation`.
  void deliver(const latent::TrainingProgress& p, int generation);

  std::unique_ptr<latent::Trainer> m_trainer;
  latent::ModelSpec m_spec;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;  // GUI thread only
  int m_generation = 0;   // GUI thread; bumped per run so late events of an old run are dropped
  bool m_active = false;  // GUI thread
  bool m_paused = false;  // GUI thread
  // Training thread only (reset by start() before the thread exists).
  std::chrono::steady_clock::time_point m_lastBatchPost;
};
