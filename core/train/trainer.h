// Trainer: epochs of shuffled mini-batches, each batch split across TBB workers (data parallel:
// per-worker gradients, then a reduction in a fixed order, so the same seed and thread count give
// bit-identical weights). Pause, resume, stop and learning-rate/beta changes are thread-safe calls
// that take effect at the next batch.
//
// Thread contract: construct, configure and read results on one thread (the owner). start() runs
// training on a background thread; the observer is called on that thread and must not block.
// pause/resume/requestStop/setLearningRate/setBeta/latestSnapshot may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "data/dataset.h"
#include "train/snapshot.h"

namespace latent {

class Trainer {
 public:
  enum class State { Idle, Running, Paused, Finished, Stopped, Diverged, Failed };
  /// A step that grows the weights' norm by more than this factor is a divergence (checked every
  /// batch, like a non-finite loss or weight): no sane rate does that, a far too high one (100)
  /// does it in its first step.
  static constexpr double MaxNormGrowthPerStep = 10.0;
  using Observer = std::function<void(const TrainingProgress&)>;

  /// train and validation hold the same number of features (validation may be empty or null).
  /// Throws Error when the spec does not fit the data.
  Trainer(ModelSpec spec, std::shared_ptr<const Dataset> train,
          std::shared_ptr<const Dataset> validation);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Continue from saved weights, optimizer state and history (before start/run).
  void resumeFrom(const Model& weights, const OptimizerState& optimizer,
                  const std::vector<EpochRecord>& history);

  void setObserver(Observer observer);
  /// Minimum seconds between Batch events (epoch ends always report). Default 0.05.
  void setProgressInterval(double seconds);
  /// Minimum seconds between published snapshots (epoch ends always publish). Default 0.25.
  void setSnapshotInterval(double seconds);
  /// Target epoch count; raising it after a finished run lets start() continue (a cosine
  /// learning-rate schedule then stretches over the new count).
  void setEpochs(int epochs);

  /// Trains on the calling thread until the target epoch, a stop, a divergence or an error.
  State run();
  /// run() on a background thread.
  void start();
  /// Blocks until a background run ends.
  void wait();

  void pause();
  void resume();
  void requestStop();
  /// The set (peak) learning rate; a schedule scales it per step.
  void setLearningRate(float lr);
  void setBeta(float beta);
  /// The next Batch event (mid-epoch) carries a snapshot with the optimizer state, for a timed
  /// checkpoint; epoch ends always do.
  void requestCheckpoint();

  State state() const;
  bool isActive() const;  // Running or Paused
  int threads() const;
  int completedEpochs() const;
  std::shared_ptr<const ModelSnapshot> latestSnapshot() const;
  /// The live model: only between runs (not while active).
  const Model& model() const;
  const ModelSpec& spec() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

std::string toString(Trainer::State s);

/// The factor on the set learning rate for optimizer step `step` (1-based) of a run of `epochs`
/// epochs of `batchesPerEpoch` steps, W = lrWarmupEpochs · batchesPerEpoch and T = all steps:
/// step / W during the warm-up; then 1 (constant), or ½(1 + cos(π (step - 1 - W) / (T - W)))
/// (cosine: 1 at the first step after the warm-up, near 0 at the last, 0 beyond it). The step
/// count comes from the optimizer, so a resumed run continues the schedule.
double learningRateFactor(const TrainingSpec& training, long long step, int batchesPerEpoch,
                          int epochs);

}  // namespace latent
