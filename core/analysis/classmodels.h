// Class-wise models for anomaly detection: one autoencoder per normal class, each trained with the
// user's spec on that class's training samples alone. A model that has only seen 4s reconstructs a
// 9 worse than a model of all digits does (it never learnt the closed top), so the lowest error any
// class model gives separates the held-out class far better than one shared model's error (held-out
// MNIST 9s: ROC AUC 0.85 against 0.77, tests/core/tst_classmodels.cpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "data/dataset.h"
#include "models/modelspec.h"

namespace latent {

class Model;

struct ClassModels {
  std::vector<int> classes;  // the normal labels, ascending, one model each
  std::vector<std::shared_ptr<const Model>> models;
  std::vector<int> epochs;  // what each model trained for
};

/// Epochs for a class model with `classSamples` samples so that it takes as many optimizer steps
/// (mini-batches of `batchSize`) as `epochs` epochs on all `normalSamples` would: a class with a
/// ninth of the data runs about nine times the epochs, and each class model costs about what the
/// shared model costs. A class smaller than a batch takes one step per epoch.
int classModelEpochs(int epochs, long long normalSamples, long long classSamples, int batchSize);

/// Called between epochs with the fraction of the whole job done; returning false cancels.
using ClassModelProgress = std::function<bool(double fraction)>;

/// Trains one model per class of `normal` on the training part of `data`'s split (the split the
/// app and the CLI make: splitIndices with the spec's validation fraction and seed), one after the
/// other with the spec's thread count, so the same spec and data give the same models. The class
/// with label c uses seed spec.seed + c. Returns nothing when `progress` cancels. Throws
/// Error(InvalidArgument) for classes that do not fit the data (as keepClasses) or a class without
/// training samples, and Error(InvalidArgument) naming the class when its model diverges.
std::optional<ClassModels> trainClassModels(const ModelSpec& spec, const Dataset& data,
                                            std::vector<int> normal,
                                            const ClassModelProgress& progress = {});

/// Per column of `data`: the lowest per-value MSE any class model gives it, and which model.
struct BestClassErrors {
  std::vector<double> errors;
  std::vector<int> model;  // index into ClassModels::models
};
BestClassErrors bestClassErrors(const ClassModels& models, const Matrix& data);

}  // namespace latent
