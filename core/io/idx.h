// IDX (the MNIST file format): loading images with their paired label file, and writing ubyte IDX.
// Every header is validated against the file size and the memory cap before anything is allocated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace latent {

struct IdxOptions {
  /// Cap on memory for one file: its (inflated) bytes, and the float32 samples made from it.
  uint64_t maxBytes = 4ull << 30;
};

/// Loads an IDX images file (raw or .gz), or a directory holding MNIST-named files
/// (train-images-idx3-ubyte[.gz], else t10k-images-idx3-ubyte[.gz]; Kaggle's
/// "train-images.idx3-ubyte" spelling too).
/// Layouts: N×H×W → image 1×H×W; N×H×W×C (C 1..4) → image C×H×W (converted to planar);
/// N×D → D features. Values: ubyte / 255; other types min-max scaled to [0,1], the scale and offset
/// recorded in Dataset::normalisation (original = stored * scale + offset).
/// Labels come from the paired file when it exists (see findIdxLabels); none is not an error.
/// Throws latent::Error naming the file: Io (missing), Format (bad header, size mismatch, a label
/// file opened as images, label count mismatch), TooLarge (over options.maxBytes), Unsupported.
Dataset loadIdx(const std::string& path, const IdxOptions& options = {});

/// Loads `imagesPath` as loadIdx does, with labels from `labelsPath` (required: 1-D, integer type,
/// one label per image, each in 0..999999).
Dataset loadIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const IdxOptions& options = {});

/// The label file paired with an images file by name ("train-images-idx3-ubyte.gz" →
/// "train-labels-idx1-ubyte.gz", "x-images.idx3-ubyte" → "x-labels.idx1-ubyte"), trying the same
/// .gz-or-not first, then the other. Empty when no such file exists.
std::string findIdxLabels(const std::string& imagesPath);

/// Writes `n` images of rows×cols ubyte pixels (row-major, image after image) as an IDX file
/// (magic 2051), gzipped when `path` ends in ".gz", atomically.
/// Throws Error(InvalidArgument) when pixels.size() != n*rows*cols or a size is not positive.
void writeIdxImages(const std::string& path, const std::vector<uint8_t>& pixels, int n, int rows,
                    int cols);

/// Writes ubyte labels as an IDX file (magic 2049), gzipped when `path` ends in ".gz", atomically.
void writeIdxLabels(const std::string& path, const std::vector<uint8_t>& labels);

}  // namespace latent
