// One entry for every dataset format: load(path) picks the loader from the path.
#pragma once

#include <string>

#include "data/dataset.h"

namespace latent {

/// Loads a dataset file or folder. Today: MNIST-style IDX files (raw or .gz) and folders holding
/// them. Throws Error naming the file and the problem (including unsupported formats).
Dataset loadDataset(const std::string& path);

}  // namespace latent
