// Creating and initialising parameters for the layers beyond Dense (which keeps its own).
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"

namespace latent {

/// A rows × cols parameter of zeros (value and gradient), stored in files with `fileShape`
/// (empty: rows × cols).
Parameter zeroParameter(const std::string& name, int rows, int cols,
                        std::vector<int64_t> fileShape = {});

/// Draws every value from U(-bound, bound) in column-major order (PyTorch's default for Linear
/// and Conv layers is bound = 1/sqrt(fan_in)).
void fillUniform(Matrix& values, Scalar bound, Rng& rng);

}  // namespace latent
