// One entry for every dataset format: loadDataset(path) picks the loader from the file's content
// (magic bytes) and name, and returns the samples with a report of what it found.
#pragma once

#include <functional>
#include <string>

#include "data/dataset.h"
#include "io/loadoptions.h"

namespace latent {

/// Loads a dataset file or folder and reports what was detected, dropped, filled or skipped.
/// Formats, detected by content first, then by name:
///  - IDX (MNIST-style, raw or .gz; a folder holding MNIST-named files; labels paired by name);
///  - NumPy .npy (magic \x93NUMPY) and .npz (a zip archive);
///  - CSV / TSV / whitespace-separated text (.csv, .tsv, .txt, .dat, or any text), or, with
///    options.windowLength > 0, a time series cut into windows;
///  - a folder of images (sub-folders = classes), through the loader installed with
///    setImageFolderLoader (the Qt side installs it; without one such a folder is an error).
/// Throws latent::Error naming the file and the problem; never returns a partial dataset.
LoadResult loadDatasetWithReport(const std::string& path, const LoadOptions& options = {});

/// loadDatasetWithReport without the report (warnings are dropped; errors still throw).
Dataset loadDataset(const std::string& path, const LoadOptions& options = {});

/// Loads an image folder: installed by a module that can decode images (core cannot: no Qt).
using ImageFolderLoader = std::function<LoadResult(const std::string& path, const LoadOptions&)>;

/// Installs (or with an empty function removes) the image-folder loader. Thread-safe; meant to be
/// called once at start-up, before loads.
void setImageFolderLoader(ImageFolderLoader loader);

/// Re-expresses `data`'s stored values in `target` (original = stored * scale + offset for both),
/// so data loaded on its own is scaled like another dataset. Throws Error(InvalidArgument) when a
/// vector of `target` has neither 1 entry nor one per value of a sample.
void renormalise(Dataset& data, const Normalisation& target);

}  // namespace latent
