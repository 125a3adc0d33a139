// LatentCodes: a whole data set encoded in parallel chunks (VAE: posterior means and
// log-variances), and the statistics the latent explorer shows about them.
#pragma once

#include <stop_token>

#include "analysis/latentprojection.h"
#include "data/types.h"

namespace latent {

class Model;

struct LatentCodes {
  Matrix mean;    // latent × n: the AE's code or the VAE's posterior mean
  Matrix logVar;  // latent × n for a VAE, empty otherwise
};

/// Encodes samples (features × n) in chunks of `chunkColumns` on TBB workers; the result equals
/// one model.encode(samples) call. Returns early (with whatever is encoded, unspecified) when
/// `stop` is requested between chunks: callers drop such a result. Throws as Model::encode.
LatentCodes encodeAll(const Model& model, const Matrix& samples, std::stop_token stop = {},
                      int chunkColumns = 1024);

/// KL(N(μ, σ²) ‖ N(0, 1)) per latent dimension, averaged over the n codes (latent; nats):
/// ½ (μ² + σ² − log σ² − 1). Throws std::invalid_argument when the shapes differ or n = 0.
Eigen::VectorXd klPerDimension(const Matrix& mean, const Matrix& logVar);

/// The posterior covariances diag(exp(logVar)) seen through `projection`: Dᵀ Σ D per code, as
/// 3 × n (σ_xx, σ_xy, σ_yy) in map units² (for 1-sigma ellipses).
Matrix projectedCovariances(const LatentProjection& projection, const Matrix& logVar);

}  // namespace latent
