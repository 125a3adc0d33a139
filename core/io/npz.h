// NumPy .npz archives (np.savez / np.savez_compressed): a data array and optional labels.
#pragma once

#include <string>

#include "io/loadoptions.h"

namespace latent {

/// Loads an .npz archive (stored or deflated entries; zip64 is refused). The data array is the
/// first present of x, X, data, images, x_train, X_train, train_images, features, inputs,
/// arr_0, else the first array; the labels the first present of y, Y, labels, label, y_train,
/// Y_train, train_labels, targets, target, arr_1, else (when the data was not found by name) the
/// second array, when it fits. Labels: 1-D (or N×1) integers (whole-valued floats too), one per
/// sample. The data array follows loadNpy's layout and value rules. Other arrays are listed in
/// the report as ignored. Throws Error naming the file (and the array) and the problem.
LoadResult loadNpz(const std::string& path, const LoadOptions& options = {});

}  // namespace latent
