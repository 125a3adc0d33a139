// The PCA baseline and a snapshot's comparison with it: core calls composed on a worker.
#include "pcacomparison.h"

#include <limits>

#include "analysis/latentcodes.h"
#include "analysis/neighbourhood.h"
#include "analysis/reconstructionerror.h"
#include "train/snapshot.h"

namespace pcacomparison {
namespace {

latent::Matrix columns(const latent::Matrix& m, const std::vector<int>& indices) {
  latent::Matrix out(m.rows(), Eigen::Index(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) out.col(Eigen::Index(i)) = m.col(indices[i]);
  return out;
}

std::vector<int> labelsOf(const latent::Dataset& d, const std::vector<int>& indices) {
  std::vector<int> out;
  for (int i : indices) out.push_back(d.labels[size_t(i)]);
  return out;
}

struct Scores {
  double knn = std::numeric_limits<double>::quiet_NaN();
  double probe = std::numeric_limits<double>::quiet_NaN();
};

/// k-NN and linear-probe accuracy of codes (trainCodes of the probe's training samples,
/// testCodes of its test samples).
Scores classify(const latent::Dataset& train, const std::vector<int>& trainIdx,
                const latent::Matrix& trainCodes, const latent::Dataset& test,
                const std::vector<int>& testIdx, const latent::Matrix& testCodes) {
  Scores s;
  if (!train.hasLabels() || !test.hasLabels() || trainIdx.size() <= size_t(NeighbourK)) return s;
  const std::vector<int> trainLabels = labelsOf(train, trainIdx),
                         testLabels = labelsOf(test, testIdx);
  s.knn = latent::knnAccuracy(trainCodes, trainLabels, testCodes, testLabels, NeighbourK);
  s.probe = latent::linearProbeAccuracy(trainCodes, trainLabels, testCodes, testLabels);
  return s;
}

}  // namespace

std::vector<int> evenSample(int n, int max) {
  const int count = std::max(0, std::min(n, max));
  std::vector<int> out(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) out[size_t(i)] = int((long long)i * n / count);
  return out;
}

Baseline fitBaseline(std::shared_ptr<const latent::Dataset> all, const latent::Split& split) {
  Baseline b;
  b.train = std::make_shared<const latent::Dataset>(all->subset(split.train));
  b.evaluation = split.validation.empty()
                     ? b.train
                     : std::make_shared<const latent::Dataset>(all->subset(split.validation));
  const int components = std::min({MaxComponents, b.train->features(), b.train->count()});
  b.pca = std::make_shared<const latent::Pca>(latent::Pca::fit(b.train->samples, components));
  b.curve = b.pca->reconstructionMseCurve(b.evaluation->samples);
  if (components >= 2) b.points = b.pca->truncated(2).encode(b.evaluation->samples);
  const std::vector<int> trust = evenSample(b.evaluation->count(), MaxTrustSamples);
  b.trustSamples = int(trust.size());
  if (components >= 2 && b.trustSamples > 2 * NeighbourK + 1)
    b.trustworthiness = latent::trustworthiness(columns(b.evaluation->samples, trust),
                                                columns(b.points, trust), NeighbourK);
  return b;
}

Comparison compare(const Baseline& b, std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  Comparison c;
  const latent::Model& model = *snapshot->model;
  c.step = snapshot->step;
  c.latent = model.latentSize();
  c.map = buildLatentMap({snapshot, b.evaluation, {}}, 0);
  const std::vector<double> errors = latent::reconstructionErrors(model, b.evaluation->samples);
  for (double e : errors) c.mse += e / double(errors.size());
  c.pcaK = std::min(c.latent, b.pca->componentCount());
  c.pcaMse = b.curve(c.pcaK - 1);

  const std::vector<int> trainIdx = evenSample(b.train->count(), MaxProbeTrain);
  const std::vector<int> testIdx = evenSample(b.evaluation->count(), MaxProbeTest);
  c.probeTrain = int(trainIdx.size());
  c.probeTest = int(testIdx.size());
  const latent::Matrix trainX = columns(b.train->samples, trainIdx);
  const latent::Matrix testX = columns(b.evaluation->samples, testIdx);
  const Scores ae = classify(*b.train, trainIdx, latent::encodeAll(model, trainX).mean,
                             *b.evaluation, testIdx, columns(c.map->codes.mean, testIdx));
  const latent::Pca pcaK = b.pca->truncated(c.pcaK);
  const Scores pca =
      classify(*b.train, trainIdx, pcaK.encode(trainX), *b.evaluation, testIdx, pcaK.encode(testX));
  c.knnAe = ae.knn;
  c.probeAe = ae.probe;
  c.knnPca = pca.knn;
  c.probePca = pca.probe;

  const std::vector<int> trust = evenSample(b.evaluation->count(), MaxTrustSamples);
  if (int(trust.size()) > 2 * NeighbourK + 1)
    c.trustAe = latent::trustworthiness(columns(b.evaluation->samples, trust),
                                        columns(c.map->points, trust), NeighbourK);
  return c;
}

}  // namespace pcacomparison
