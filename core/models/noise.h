// Input corruption for denoising, shared by training (Model) and the panels that show or measure
// what the noise does to a clean sample.
#pragma once

#include "data/rng.h"
#include "data/types.h"
#include "models/modelspec.h"

namespace latent {

/// noisy = clean corrupted by `noise` (Gaussian: + sigma·N(0,1); Mask: each value zeroed with
/// probability p; SaltPepper: each value set to 0 or 1 with probability p; Dropout: each value
/// zeroed with probability p, the others multiplied by 1/(1-p)). None copies.
void applyNoise(const NoiseSpec& noise, const Matrix& clean, Rng& rng, Matrix& noisy);

}  // namespace latent
