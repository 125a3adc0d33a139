// Dataset: float32 samples (one per column) with a shape, optional labels, the normalisation
// applied on load, and a deterministic train/validation split.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/types.h"

namespace latent {

/// How one sample is laid out. Tabular: dims = {D}. Image: {C, H, W}. Sequence: {T, F}.
struct Shape {
  enum class Kind { Tabular, Image, Sequence };
  Kind kind = Kind::Tabular;
  std::vector<int> dims;

  static Shape tabular(int d) { return {Kind::Tabular, {d}}; }
  static Shape image(int c, int h, int w) { return {Kind::Image, {c, h, w}}; }
  static Shape sequence(int t, int f) { return {Kind::Sequence, {t, f}}; }

  /// Number of scalars per sample (product of dims).
  int size() const;
  /// "1×28×28 image", "64×3 sequence", "10 features".
  std::string describe() const;
  bool operator==(const Shape&) const = default;
};

/// Maps stored values back to the file's units: original = stored * scale + offset (per feature,
/// or one value for all features when the vectors have size 1).
struct Normalisation {
  enum class Kind { None, Range01, Standardise };
  Kind kind = Kind::None;
  std::vector<float> scale{1.0f};
  std::vector<float> offset{0.0f};
  std::string describe() const;
};

struct Dataset {
  std::string name;        // what the user sees: file name or built-in name
  std::string sourcePath;  // empty for generated data
  Shape shape;
  Matrix samples;                       // shape.size() × N, one sample per column
  std::vector<int> labels;              // empty or N entries
  std::vector<std::string> classNames;  // may be empty even with labels
  Normalisation normalisation;

  int count() const { return static_cast<int>(samples.cols()); }
  int features() const { return static_cast<int>(samples.rows()); }
  bool hasLabels() const { return !labels.empty(); }
  /// Largest label + 1, or 0 without labels.
  int classCount() const;
  /// Throws std::invalid_argument when samples, shape and labels disagree.
  void validate() const;

  /// The columns listed in `indices`, in that order, with their labels.
  Dataset subset(const std::vector<int>& indices) const;
};

/// A deterministic split: the same seed and dataset size always give the same indices.
struct Split {
  std::vector<int> train;
  std::vector<int> validation;
};

/// Shuffles 0..n-1 with `seed` and keeps `validationFraction` (0..1) of it for validation. With
/// labels the split is stratified (each class keeps the fraction).
Split splitIndices(int n, double validationFraction, unsigned seed,
                   const std::vector<int>& labels = {});

}  // namespace latent
