// Writing NumPy .npy arrays (float32, C order), for exporting codes.
#pragma once

#include <string>

#include "data/types.h"

namespace latent {

/// Writes `rows` as a float32 array of shape (rows.cols(), rows.rows()): one sample per row, as
/// NumPy users expect (the core keeps one sample per column). Atomic.
void writeNpyTransposed(const std::string& path, const Matrix& columns);

}  // namespace latent
