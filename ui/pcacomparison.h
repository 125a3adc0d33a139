// The computations behind the "PCA vs AE" tab, run on workers: the PCA baseline of a dataset
// (fitted once) and the comparison of a model snapshot with it (codes, 2D maps, neighbourhood
// quality). Plain values, no widgets.
#pragma once

#include <memory>
#include <vector>

#include "analysis/pca.h"
#include "data/dataset.h"
#include "latentencoder.h"

namespace pcacomparison {

constexpr int MaxComponents = 64;      // the PCA curve: k = 1 … 64 (fewer for small data)
constexpr int MaxProbeTrain = 5000;    // k-NN / linear probe: training codes used (subsample)
constexpr int MaxProbeTest = 2000;     // … and validation codes classified
constexpr int MaxTrustSamples = 1000;  // trustworthiness is O(n²): a subsample of the validation
constexpr int NeighbourK = 5;          // k of the k-NN vote and of trustworthiness

/// up to `max` of 0..n-1, evenly spaced (all of them when n ≤ max).
std::vector<int> evenSample(int n, int max);

/// What a dataset's PCA baseline needs once: fitted on the training part, measured on the
/// evaluation part (the validation samples; the training ones when there are none).
struct Baseline {
  std::shared_ptr<const latent::Dataset> train, evaluation;
  std::shared_ptr<const latent::Pca> pca;  // MaxComponents (or fewer) components
  Eigen::VectorXd curve;                   // evaluation MSE per value at k = 1 … components
  latent::Matrix points;                   // 2 × evaluation: the PCA 2D projection
  double trustworthiness = 0;              // of that 2D map, on MaxTrustSamples samples
  int trustSamples = 0;
};

/// Fits the baseline of the split of `all` (runs for seconds on MNIST: call on a worker).
Baseline fitBaseline(std::shared_ptr<const latent::Dataset> all, const latent::Split& split);

/// A snapshot measured against a baseline.
struct Comparison {
  long long step = -1;
  int latent = 0;
  std::shared_ptr<const LatentMap> map;  // the AE's 2D latent map of the evaluation samples
  double mse = 0;                        // the AE's evaluation MSE per value
  int pcaK = 0;                          // PCA components compared (= latent, at most all)
  double pcaMse = 0;                     // PCA's evaluation MSE with pcaK components
  // NaN without labels.
  double knnAe = 0, knnPca = 0, probeAe = 0, probePca = 0;
  double trustAe = 0;  // trustworthiness of the AE's 2D map, on the baseline's subsample
  int probeTrain = 0, probeTest = 0;
};

/// Encodes, projects and scores on the calling thread (a worker).
Comparison compare(const Baseline& baseline, std::shared_ptr<const latent::ModelSnapshot> snapshot);

}  // namespace pcacomparison
