// LatentProjection: the affine map between a model's latent space and the 2D latent map, and its
// inverse, so a point clicked on the map names a full latent vector.
#pragma once

#include <string>

#include "data/types.h"

namespace latent {

/// map point p (2) ↔ latent vector z (latent): p = Dᵀ (z − origin), lift(p) = origin + D p.
/// D (latent × 2) has orthonormal columns (or a zero second column when latent = 1), so for a
/// standard normal prior on z the map shows N(project(0), I₂) and lift(project(z)) = z for every z
/// in the plane the map shows. An immutable value: safe to share between threads.
class LatentProjection {
 public:
  enum class Kind { Dimensions, Pca };

  /// Two latent dimensions i ≠ j as the axes; lift fills the other dimensions from `rest`
  /// (latent; usually the codes' mean), its entries i and j are ignored. latent = 1: i = 0 and the
  /// vertical axis shows nothing. Throws std::invalid_argument on an index out of range.
  static LatentProjection dimensions(int latent, int i, int j, const Vector& rest);
  /// The two leading principal directions of `codes` (latent × n, latent ≥ 2, n ≥ 2) about their
  /// mean. Throws std::invalid_argument otherwise.
  static LatentProjection pca(const Matrix& codes);

  /// codes: latent × n → 2 × n. Throws std::invalid_argument naming both shapes on a mismatch.
  Matrix project(const Matrix& codes) const;
  /// points: 2 × n → latent × n.
  Matrix lift(const Matrix& points) const;
  Vector lift(float x, float y) const;

  Kind kind() const { return m_kind; }
  int latentSize() const { return static_cast<int>(m_origin.size()); }
  const Vector& origin() const { return m_origin; }
  /// D: latent × 2.
  const Matrix& directions() const { return m_directions; }
  /// The latent dimension shown on `axis` (0, 1) for Kind::Dimensions, −1 for PCA.
  int dimension(int axis) const { return m_dims[axis]; }
  /// Share of the codes' variance along each PCA axis (0 for Kind::Dimensions).
  double varianceRatio(int axis) const { return m_ratio[axis]; }
  /// "z₀", "z₃", "PC1 (61%)": what an axis of the map shows.
  std::string axisName(int axis) const;

 private:
  Kind m_kind = Kind::Dimensions;
  Vector m_origin;      // latent
  Matrix m_directions;  // latent × 2
  int m_dims[2] = {0, 1};
  double m_ratio[2] = {0, 0};
};

}  // namespace latent
