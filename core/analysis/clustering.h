// Clustering codes: k-means (k-means++ seeding), the silhouette score of a clustering, and the
// adjusted Rand index between two labelings.
#pragma once

#include <vector>

#include "data/types.h"

namespace latent {

struct KMeansResult {
  Matrix centroids;             // d × k
  std::vector<int> assignment;  // one cluster per column
  double inertia = 0;           // Σ squared distance to the assigned centroid
  int iterations = 0;
};

/// Lloyd's algorithm from k-means++ seeds drawn with `seed`; stops when no assignment changes or
/// after `maxIterations`. points: d × n. Throws std::invalid_argument unless 1 <= k <= n.
KMeansResult kmeans(const Matrix& points, int k, unsigned seed, int maxIterations = 100);

/// Mean silhouette (b − a) / max(a, b) over the samples, in [−1, 1]; samples alone in their
/// cluster count 0. O(n²): pass a subsample of a few thousand.
double silhouetteScore(const Matrix& points, const std::vector<int>& assignment);

/// Adjusted Rand index (Hubert & Arabie): 1 for identical partitions (whatever the label
/// names), about 0 for independent ones.
double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace latent
