// NumPy .npz archives (np.savez / np.savez_compressed): a data array and optional labels.
#pragma once

#include <string>

#include "io/loadoptions.h"

namespace latent {

/// Loads an .npz archive (stored or deflated entries; zip64 is refused). The data array is the
/// first present of x, X, data, images, x_train, X_train, train_images, features, inputs,
/// arr_0, else the first array. Labels: the first present of y, Y, labels, label, y_train,
/// Y_train, train_labels, targets, target, which must fit (else Error naming the array); else
/// np.savez's unnamed arr_1, or (when the data was not found by name) the second array, used only
/// when it fits and otherwise noted as ignored ("array 'arr_1' (shape (4, 5) <f4) is not labels
/// for 12 samples; ignored"): it may be a second table. Labels fit when 1-D (or N×1), one per
/// sample, of whole numbers (integer, bool or whole-valued float) or of strings (NumPy str 'U',
/// UTF-32; bytes 'S', UTF-8 or else Latin-1): strings become class names, sorted, as a CSV label
/// column's do; a string holding a NUL or an invalid code point, or empty, does not fit. The data
/// array follows loadNpy's layout and value rules. Other arrays are listed in the report as
/// ignored. Throws Error naming the file (and the array) and the problem.
LoadResult loadNpz(const std::string& path, const LoadOptions& options = {});

}  // namespace latent
