#include "analysis/neighbourhood.h"

#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace latent {

namespace {

void requireLabels(const Matrix& codes, const std::vector<int>& labels, const char* what) {
  if (codes.cols() != Eigen::Index(labels.size()))
    throw std::invalid_argument(std::string(what) + ": codes and labels differ in count");
  if (labels.empty()) throw std::invalid_argument(std::string(what) + ": no samples");
}

/// Squared distances between every column of `a` and every column of `b` (a.cols × b.cols).
Eigen::MatrixXd squaredDistances(const Matrix& a, const Matrix& b) {
  const Eigen::MatrixXd ad = a.cast<double>(), bd = b.cast<double>();
  Eigen::MatrixXd d = -2.0 * ad.transpose() * bd;
  d.colwise() += ad.colwise().squaredNorm().transpose();
  d.rowwise() += bd.colwise().squaredNorm();
  return d.cwiseMax(0.0);
}

/// Indices of the k smallest entries of `row`, nearest first (`skip` excluded).
std::vector<int> nearest(const Eigen::VectorXd& row, int k, int skip = -1) {
  std::vector<int> idx(row.size());
  std::iota(idx.begin(), idx.end(), 0);
  if (skip >= 0) idx.erase(idx.begin() + skip);
  k = std::min<int>(k, int(idx.size()));
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                    [&](int a, int b) { return row[a] < row[b] || (row[a] == row[b] && a < b); });
  idx.resize(k);
  return idx;
}

int vote(const std::vector<int>& neighbours, const std::vector<int>& labels) {
  std::map<int, int> counts;
  int best = labels[neighbours.front()], bestCount = 0;
  for (int n : neighbours) {
    const int c = ++counts[labels[n]];
    if (c > bestCount) {  // strictly more: on a tie the label seen first (nearest) stays
      best = labels[n];
      bestCount = c;
    }
  }
  return best;
}

}  // namespace

double knnAccuracy(const Matrix& trainCodes, const std::vector<int>& trainLabels,
                   const Matrix& testCodes, const std::vector<int>& testLabels, int k) {
  requireLabels(trainCodes, trainLabels, "k-NN training set");
  requireLabels(testCodes, testLabels, "k-NN test set");
  if (trainCodes.rows() != testCodes.rows())
    throw std::invalid_argument("k-NN: training and test codes differ in size");
  std::vector<char> correct(testLabels.size(), 0);
  constexpr Eigen::Index Chunk = 256;  // bounds the distance matrix held at once
  tbb::parallel_for(Eigen::Index(0), (testCodes.cols() + Chunk - 1) / Chunk, [&](Eigen::Index c) {
    const Eigen::Index from = c * Chunk, count = std::min(Chunk, testCodes.cols() - from);
    const Eigen::MatrixXd d = squaredDistances(testCodes.middleCols(from, count), trainCodes);
    for (Eigen::Index i = 0; i < count; ++i)
      correct[from + i] = vote(nearest(d.row(i), k), trainLabels) == testLabels[from + i];
  });
  return double(std::count(correct.begin(), correct.end(), 1)) / double(correct.size());
}

double linearProbeAccuracy(const Matrix& trainCodes, const std::vector<int>& trainLabels,
                           const Matrix& testCodes, const std::vector<int>& testLabels,
                           double ridge) {
  requireLabels(trainCodes, trainLabels, "linear probe training set");
  requireLabels(testCodes, testLabels, "linear probe test set");
  const int classes = *std::max_element(trainLabels.begin(), trainLabels.end()) + 1;
  const Eigen::Index d = trainCodes.rows();
  const Eigen::MatrixXd x = trainCodes.cast<double>();
  const Eigen::VectorXd mean = x.rowwise().mean();
  Eigen::VectorXd scale = ((x.colwise() - mean).array().square().rowwise().mean()).sqrt();
  scale = scale.unaryExpr([](double s) { return s > 1e-12 ? 1.0 / s : 1.0; });
  const auto design = [&](const Matrix& codes) {  // standardised codes with a bias row
    Eigen::MatrixXd z(d + 1, codes.cols());
    z.topRows(d) = (codes.cast<double>().colwise() - mean).array().colwise() * scale.array();
    z.row(d).setOnes();
    return z;
  };
  const Eigen::MatrixXd z = design(trainCodes);
  Eigen::MatrixXd targets = Eigen::MatrixXd::Zero(classes, z.cols());
  for (size_t i = 0; i < trainLabels.size(); ++i) targets(trainLabels[i], Eigen::Index(i)) = 1;
  Eigen::MatrixXd gram = z * z.transpose();
  gram.diagonal().head(d).array() += ridge * double(z.cols());  // the bias is not shrunk
  const Eigen::MatrixXd weights = gram.ldlt().solve(z * targets.transpose());  // (d+1) × classes
  const Eigen::MatrixXd outputs = weights.transpose() * design(testCodes);
  long long correct = 0;
  for (Eigen::Index i = 0; i < outputs.cols(); ++i) {
    Eigen::Index predicted = 0;
    outputs.col(i).maxCoeff(&predicted);
    correct += predicted == testLabels[size_t(i)];
  }
  return double(correct) / double(outputs.cols());
}

double trustworthiness(const Matrix& original, const Matrix& embedded, int k) {
  const Eigen::Index n = original.cols();
  if (embedded.cols() != n) throw std::invalid_argument("trustworthiness: sample counts differ");
  if (k < 1 || 2 * k >= n) throw std::invalid_argument("trustworthiness: needs 1 <= k < n/2");
  const Eigen::MatrixXd dOriginal = squaredDistances(original, original);
  const Eigen::MatrixXd dEmbedded = squaredDistances(embedded, embedded);
  std::vector<double> penalty(n, 0.0);
  tbb::parallel_for(Eigen::Index(0), n, [&](Eigen::Index i) {
    // rank[j]: position of j in i's neighbour list in the original space (1 = nearest).
    const std::vector<int> order = nearest(dOriginal.row(i), int(n - 1), int(i));
    std::vector<int> rank(n, 0);
    for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = int(r) + 1;
    for (int j : nearest(dEmbedded.row(i), k, int(i)))
      if (rank[j] > k) penalty[i] += rank[j] - k;
  });
  const double total = std::accumulate(penalty.begin(), penalty.end(), 0.0);
  return 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * total;
}

}  // namespace latent
