// Values the trainer publishes: progress events, per-epoch history and immutable model snapshots.
// Everything here is a plain value or shared_ptr<const>, safe to hand to another thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/model.h"

namespace latent {

struct EpochRecord {
  int epoch = 0;
  LossTerms train;       // mean over the epoch's batches (weighted by batch size)
  LossTerms validation;  // whole validation set, no noise, VAE at the mean
  bool hasValidation = false;
  double seconds = 0;           // training time of the epoch (validation excluded)
  double samplesPerSecond = 0;  // training samples / seconds
  float beta = 1;               // the VAE's effective beta at the epoch's end (after warm-up)
};

struct OptimizerState {
  std::map<std::string, Matrix> tensors;  // Optimizer::state()
  long long step = 0;
};

/// An immutable copy of the weights at one moment, with the history up to it. The GUI decodes and
/// encodes on it while training goes on.
struct ModelSnapshot {
  std::shared_ptr<const Model> model;
  int epoch = 0;       // completed epochs
  long long step = 0;  // optimizer steps so far
  std::vector<EpochRecord> history;
  std::shared_ptr<const OptimizerState> optimizer;  // set at epoch ends and at the end of a run
};

struct TrainingProgress {
  enum class Kind { Started, Batch, EpochEnd, Finished, Stopped, Diverged, Failed };
  Kind kind = Kind::Started;
  int epoch = 0;   // the epoch in progress (1-based); at EpochEnd, the one just completed
  int epochs = 0;  // target number of epochs
  int batch = 0;   // batches done in this epoch
  int batchesPerEpoch = 0;
  long long step = 0;
  LossTerms batchLoss;                      // the last batch
  LossTerms trainLoss;                      // running mean over this epoch
  std::optional<LossTerms> validationLoss;  // at EpochEnd with a validation set
  double samplesPerSecond = 0;
  double elapsedSeconds = 0;
  double etaSeconds = 0;
  float learningRate = 0;  // the rate of the last step (Started: the set rate), after the schedule
  float beta = 0;          // effective beta (after warm-up)
  int threads = 0;
  std::string message;  // Finished/Stopped/Diverged/Failed: what happened, in words
  std::shared_ptr<const ModelSnapshot> snapshot;  // set when this event published one
};

}  // namespace latent
