// Anomaly scores computed from a model's reconstruction error: the plain per-value MSE and
// variants that weigh the same error map differently (BCE, blurred, worst local patch, per-pixel
// or per-neighbourhood normalisation against normal reference samples). One entry point for the
// CLI and the Anomalies tab, so both report the same numbers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "models/modelspec.h"

namespace latent {

class Model;
struct ClassModels;

enum class AnomalyScore {
  Mse,         // mean squared error per value
  Bce,         // mean binary cross-entropy per value (data in [0, 1])
  Blurred,     // MSE of the error map after a window×window box blur (images)
  LocalMax,    // the largest mean squared error of any window×window patch (images)
  PixelZ,      // squared error per value divided by the normal reference's mean at that value
  Neighbours,  // MSE divided by the mean MSE of the k nearest normal reference samples
  Classes,     // Neighbours, with the lowest MSE of one model per normal class (classmodels.h)
};
std::string toString(AnomalyScore s);
/// mse | bce | blurred | localmax | pixelz | neighbours | classes; throws Error(InvalidArgument)
/// otherwise.
AnomalyScore anomalyScoreFromString(const std::string& name);
/// Every score, in the order above (for menus and help texts).
std::vector<AnomalyScore> allAnomalyScores();
/// The score needs normal reference samples (the data the model was trained on).
bool needsReference(AnomalyScore s);
/// The score needs models trained per normal class (AnomalyScoreOptions::classModels).
bool needsClassModels(AnomalyScore s);
/// The score needs an image shape (it looks at neighbouring pixels).
bool needsImage(AnomalyScore s);

/// The default is the score that separates best where we measured it: held-out MNIST 9s after
/// training on 0–8 (tests/core/tst_anomaly.cpp has the table).
struct AnomalyScoreOptions {
  AnomalyScore score = AnomalyScore::Neighbours;
  int window = 3;      // Blurred, LocalMax: side of the square patch, in pixels
  int neighbours = 8;  // Neighbours, Classes: k nearest in the input space
  std::shared_ptr<const ClassModels> classModels;  // Classes: trainClassModels' result
};

/// One score per column of `data` (features × n), higher = more anomalous. `shape` is the samples'
/// layout (images for Blurred and LocalMax). `reference` holds normal samples (features × m, the
/// model's training data) for the kinds that need it, else may be empty. Reconstruction runs in
/// chunks on TBB workers (the model is const and shared). Throws Error(InvalidArgument) naming
/// what is missing: a reference, an image shape, a window or k that does not fit.
std::vector<double> anomalyScores(const Model& model, const Shape& shape, const Matrix& data,
                                  const AnomalyScoreOptions& options, const Matrix& reference = {});

/// The normal samples a model trained with `training` on `data` learnt from: the training part of
/// the split the CLI and the app make (splitIndices with its validation fraction and seed), kept
/// to the `normal` classes when some are given (then `data` needs labels; throws as keepClasses).
Matrix trainingReference(const Dataset& data, const TrainingSpec& training,
                         const std::vector<int>& normal = {});

/// The normal samples `score` compares with: for Classes the validation part of the same split in
/// the `normal` classes, which no class model trained on (a class model that ran many epochs on
/// few samples reconstructs its own training samples too well to set a fair scale: AUC 0.74
/// against 0.85 on held-out MNIST 9s), or the training part when there is no validation part;
/// for the others trainingReference.
Matrix scoreReference(AnomalyScore score, const Dataset& data, const TrainingSpec& training,
                      const std::vector<int>& normal = {});

}  // namespace latent
