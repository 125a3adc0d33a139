// Pca: principal component analysis, the linear baseline every autoencoder is compared with.
// Fitted once with the largest code size; truncated(k) gives every smaller one without refitting.
#pragma once

#include <Eigen/Core>

#include "data/types.h"

namespace latent {

/// A fitted PCA: x ≈ mean + W·codes, W (features × k) with orthonormal columns ordered by
/// decreasing explained variance. An immutable value: safe to share between threads.
class Pca {
 public:
  /// Fits on `samples` (features × n, one sample per column), keeping `components` directions.
  /// Directions are the eigenvectors of the scatter matrix of the centred data (features ×
  /// features, or the n × n Gram matrix when features > n), computed in double. Each direction's
  /// sign makes its largest-magnitude entry positive, so a fit is reproducible. Throws
  /// std::invalid_argument naming the shape when components < 1 or components > min(features, n).
  static Pca fit(const Matrix& samples, int components);

  /// The first k components of this fit (1 ≤ k ≤ componentCount()); no refitting, a copy of k
  /// columns. Throws std::invalid_argument otherwise.
  Pca truncated(int k) const;

  /// codes = Wᵀ (x - mean): x is features × n, the result k × n.
  /// Throws std::invalid_argument when x does not have features() rows.
  Matrix encode(const Matrix& x) const;
  /// x̂ = mean + W codes: codes is k × n, the result features × n.
  /// Throws std::invalid_argument when codes does not have componentCount() rows.
  Matrix decode(const Matrix& codes) const;

  /// Mean over all values of (decode(encode(x)) - x)², accumulated in double.
  double reconstructionMse(const Matrix& x) const;
  /// reconstructionMse(x) of truncated(k) for every k = 1..componentCount() (entry k-1), from one
  /// projection in double (for the PCA-vs-autoencoder chart): the residual energy at k is
  /// ‖x - mean‖² minus what the first k codes capture. Throws as encode().
  Eigen::VectorXd reconstructionMseCurve(const Matrix& x) const;

  int features() const { return static_cast<int>(m_components.rows()); }
  int componentCount() const { return static_cast<int>(m_components.cols()); }
  /// The fitting data's mean (features).
  const Vector& mean() const { return m_mean; }
  /// W: features × k, orthonormal columns, by decreasing explained variance.
  const Matrix& components() const { return m_components; }
  /// Variance of the data along each component (k), with the n - 1 denominator as sklearn.
  const Eigen::VectorXd& explainedVariance() const { return m_explainedVariance; }
  /// explainedVariance() / the total variance of the data (k values, summing to ≤ 1); zeros when
  /// the data has no variance.
  Eigen::VectorXd explainedVarianceRatio() const;
  /// Sum of the variances of all features (the denominator of explainedVarianceRatio()).
  double totalVariance() const { return m_totalVariance; }

 private:
  Vector m_mean;                        // features
  Matrix m_components;                  // features × k, orthonormal columns
  Eigen::VectorXd m_explainedVariance;  // k, decreasing
  double m_totalVariance = 0;
};

}  // namespace latent
