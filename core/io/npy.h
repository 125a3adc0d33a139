// NumPy .npy arrays: loading any plain numeric array as a dataset, and writing float32 arrays
// (for exporting codes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/types.h"
#include "io/loadoptions.h"

namespace latent {

struct NpyArray;

/// Loads a .npy file (raw or .gz): format versions 1.0, 2.0 and 3.0; dtypes f2/f4/f8, i1–i8,
/// u1–u8, b1 in either byte order; C or Fortran order. Layouts (N = samples):
///  - (N, D): D features (tabular), or with options.windowLength > 0 a time series (N steps of D
///    features) cut into windows;
///  - (N, H, W): 1×H×W images;
///  - (N, H, W, C) when C is 1, 3 or 4 (channels last, converted to planar C×H×W), else
///    (N, C, H, W) when C is 1, 3 or 4;
///  - other ranks, and 4-D arrays fitting neither rule, are refused with the rule stated.
/// Values: uint8 → /255 (Range01, scale 255); bool → 0/1 as stored; other images → kept when all
/// lie in [0,1], else min-max scaled to [0,1]; tabular → options.scaling (see LoadOptions).
/// NaN/inf in tabular data follow options.missing (row/column given as 0-based indices); in
/// images they are an error. The header's shape is checked against the file size and the memory
/// cap before anything is allocated. Throws Error naming the file and the problem.
LoadResult loadNpy(const std::string& path, const LoadOptions& options = {});

/// Labels for datasetFromNpyArray, as the CSV loader reads a label column: one text per sample,
/// whole numbers in decimal ("7"), names otherwise ("cat"), none empty. Whole numbers are used as
/// they are (or, when negative or huge, by sorted value); names become class names, sorted.
struct NpyLabels {
  std::vector<std::string> text;
  std::string source;  // for the report: "array 'y'"
};

/// A dataset from one parsed numeric array, by loadNpy's layout rules, with optional labels (one
/// per sample). Used by loadNpy and loadNpz.
Dataset datasetFromNpyArray(const NpyArray& array, const NpyLabels* labels,
                            const LoadOptions& options, LoadReport& report);

/// Writes `columns` as a float32 array of shape (columns.cols(), columns.rows()): one sample per
/// row, as NumPy users expect (the core keeps one sample per column). Atomic.
void writeNpyTransposed(const std::string& path, const Matrix& columns);

}  // namespace latent
