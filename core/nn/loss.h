// Losses and penalties. Each returns this batch slice's contribution to the loss and writes
// dL/dprediction. `batchTotal` is the size of the whole mini-batch (a slice of it may be processed
// by one worker), so the contributions of all slices add up to the batch loss.
#pragma once

#include "data/types.h"

namespace latent {

/// How a reconstruction loss is reduced. MeanPerElement matches PyTorch's reduction='mean';
/// SumFeaturesMeanBatch (sum over pixels, mean over the batch) is the ELBO convention for VAEs.
enum class Reduction { MeanPerElement, SumFeaturesMeanBatch };

std::string describe(Reduction r);

/// Mean squared error. prediction, target, grad: features × slice.
double mseLoss(const Matrix& prediction, const Matrix& target, int batchTotal, Reduction r,
               Matrix& grad);

/// Binary cross-entropy on logits (numerically stable: max(x,0) - x t + log(1 + e^-|x|)),
/// targets in [0, 1]. grad = (sigmoid(x) - t) / denominator.
double bceWithLogitsLoss(const Matrix& logits, const Matrix& target, int batchTotal, Reduction r,
                         Matrix& grad);

/// KL(N(mu, e^logVar) ‖ N(0, I)) summed over latent units, mean over the batch.
/// mu, logVar: latent × slice. Writes dKL/dmu and dKL/dlogVar.
double gaussianKlLoss(const Matrix& mu, const Matrix& logVar, int batchTotal, Matrix& gradMu,
                      Matrix& gradLogVar);

/// L1 sparsity: weight · Σ|h| / batchTotal; adds its gradient into `grad` (h: units × slice).
double l1SparsityPenalty(const Matrix& activations, Scalar weight, int batchTotal, Matrix& grad);

/// KL sparsity: weight · Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the mean activation of unit j over the whole batch
/// (activations must lie in (0,1)). The value depends on the whole batch, so it is returned by
/// klSparsityValue once; the per-slice gradient is added into `grad`.
double klSparsityValue(const Vector& meanActivation, Scalar rho, Scalar weight);
void addKlSparsityGradient(const Vector& meanActivation, Scalar rho, Scalar weight, int batchTotal,
                           Matrix& grad);

}  // namespace latent
