#include "models/noise.h"

namespace latent {

void applyNoise(const NoiseSpec& noise, const Matrix& clean, Rng& rng, Matrix& noisy) {
  noisy = clean;
  const float level = noise.level;
  Scalar* v = noisy.data();
  const Eigen::Index n = noisy.size();
  switch (noise.kind) {
    case NoiseSpec::Kind::None:
      return;
    case NoiseSpec::Kind::Gaussian:
      for (Eigen::Index i = 0; i < n; ++i) v[i] += level * rng.normal();
      return;
    case NoiseSpec::Kind::Mask:
      for (Eigen::Index i = 0; i < n; ++i)
        if (rng.uniform() < level) v[i] = 0;
      return;
    case NoiseSpec::Kind::SaltPepper:
      for (Eigen::Index i = 0; i < n; ++i)
        if (rng.uniform() < level) v[i] = rng.uniform() < 0.5f ? Scalar(0) : Scalar(1);
      return;
    case NoiseSpec::Kind::Dropout: {
      const Scalar keep = level < 1 ? Scalar(1) / (Scalar(1) - level) : Scalar(0);
      for (Eigen::Index i = 0; i < n; ++i) v[i] = rng.uniform() < level ? Scalar(0) : v[i] * keep;
      return;
    }
  }
}

}  // namespace latent
