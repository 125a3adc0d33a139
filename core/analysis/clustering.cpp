#include "analysis/clustering.h"

#include <Eigen/Dense>
#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

#include "data/rng.h"

namespace latent {

namespace {

double squaredDistance(const Matrix& a, Eigen::Index i, const Matrix& b, Eigen::Index j) {
  return (a.col(i).cast<double>() - b.col(j).cast<double>()).squaredNorm();
}

/// k-means++: each next seed is a point drawn with probability ∝ its squared distance to the
/// nearest seed so far.
Matrix seedCentroids(const Matrix& points, int k, Rng& rng) {
  const Eigen::Index n = points.cols();
  Matrix centroids(points.rows(), k);
  centroids.col(0) = points.col(Eigen::Index(rng.below(uint64_t(n))));
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  for (int c = 1; c < k; ++c) {
    double total = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      nearest[i] = std::min(nearest[i], squaredDistance(points, i, centroids, c - 1));
      total += nearest[i];
    }
    double pick = rng.uniform() * total;
    Eigen::Index chosen = n - 1;
    for (Eigen::Index i = 0; i < n; ++i)
      if ((pick -= nearest[i]) < 0) {
        chosen = i;
        break;
      }
    centroids.col(c) = points.col(chosen);
  }
  return centroids;
}

/// Assigns every point to its nearest centroid; returns whether any assignment changed.
bool assign(const Matrix& points, const Matrix& centroids, KMeansResult& r) {
  bool changed = false;
  r.inertia = 0;
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    int best = 0;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (Eigen::Index c = 0; c < centroids.cols(); ++c) {
      const double d = squaredDistance(points, i, centroids, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = int(c);
      }
    }
    changed = changed || r.assignment[i] != best;
    r.assignment[i] = best;
    r.inertia += bestDistance;
  }
  return changed;
}

void updateCentroids(const Matrix& points, KMeansResult& r) {
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(points.rows(), r.centroids.cols());
  std::vector<int> counts(r.centroids.cols(), 0);
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    sums.col(r.assignment[i]) += points.col(i).cast<double>();
    ++counts[r.assignment[i]];
  }
  for (Eigen::Index c = 0; c < r.centroids.cols(); ++c)
    if (counts[c] > 0) r.centroids.col(c) = (sums.col(c) / counts[c]).cast<Scalar>();
  // An emptied cluster keeps its centroid; it may win points back in the next assignment.
}

long long pairs(long long n) { return n * (n - 1) / 2; }

}  // namespace

KMeansResult kmeans(const Matrix& points, int k, unsigned seed, int maxIterations) {
  if (k < 1 || k > points.cols())
    throw std::invalid_argument("k-means: k must be between 1 and the number of points");
  Rng rng(seed);
  KMeansResult r;
  r.centroids = seedCentroids(points, k, rng);
  r.assignment.assign(points.cols(), -1);
  while (r.iterations < maxIterations) {
    ++r.iterations;
    if (!assign(points, r.centroids, r)) break;
    updateCentroids(points, r);
  }
  return r;
}

double silhouetteScore(const Matrix& points, const std::vector<int>& assignment) {
  const Eigen::Index n = points.cols();
  if (Eigen::Index(assignment.size()) != n)
    throw std::invalid_argument("silhouette: points and assignment differ in count");
  const int clusters = n == 0 ? 0 : *std::max_element(assignment.begin(), assignment.end()) + 1;
  std::vector<int> sizes(clusters, 0);
  for (int a : assignment) ++sizes[a];
  double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (sizes[assignment[i]] <= 1) continue;
    std::vector<double> meanDistance(clusters, 0.0);
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i) meanDistance[assignment[j]] += std::sqrt(squaredDistance(points, i, points, j));
    const double a = meanDistance[assignment[i]] / (sizes[assignment[i]] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (int c = 0; c < clusters; ++c)
      if (c != assignment[i] && sizes[c] > 0) b = std::min(b, meanDistance[c] / sizes[c]);
    if (std::isfinite(b) && std::max(a, b) > 0) total += (b - a) / std::max(a, b);
  }
  return n == 0 ? 0.0 : total / double(n);
}

double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("adjusted Rand index: sizes differ");
  std::map<std::pair<int, int>, long long> joint;
  std::map<int, long long> rows, cols;
  for (size_t i = 0; i < a.size(); ++i) {
    ++joint[{a[i], b[i]}];
    ++rows[a[i]];
    ++cols[b[i]];
  }
  double index = 0, rowPairs = 0, colPairs = 0;
  for (const auto& [key, count] : joint) index += double(pairs(count));
  for (const auto& [key, count] : rows) rowPairs += double(pairs(count));
  for (const auto& [key, count] : cols) colPairs += double(pairs(count));
  const double total = double(pairs(static_cast<long long>(a.size())));
  const double expected = total > 0 ? rowPairs * colPairs / total : 0;
  const double maximum = (rowPairs + colPairs) / 2;
  if (maximum == expected) return 1.0;  // both partitions trivial (all one or all singletons)
  return (index - expected) / (maximum - expected);
}

}  // namespace latent
