// Leave-one-out ranking evaluation. Ranks are computed against every unseen item (no sampled
// negatives), so the numbers compare with published full-ranking results.
#include "analysis/recommend.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "data/rng.h"
#include "models/model.h"

namespace latent {

ModelSpec recommenderSpec() {
  ModelSpec spec;
  spec.kind = ModelKind::Denoising;
  spec.hidden = {64};
  spec.latent = 16;
  spec.loss = LossKind::Bce;
  spec.noise = NoiseSpec::parse("dropout:0.5");
  spec.training.epochs = 30;
  spec.training.batchSize = 64;
  spec.training.optimizer.learningRate = 3e-3f;
  return spec;
}

LeaveOneOut leaveOneOut(const Matrix& interactions, const std::vector<int>& users, unsigned seed) {
  LeaveOneOut split;
  std::vector<Vector> inputs;
  for (int u : users) {
    if (u < 0 || u >= interactions.cols())
      throw std::invalid_argument("leaveOneOut: user " + std::to_string(u) + " of " +
                                  std::to_string(interactions.cols()));
    std::vector<int> known;
    for (Eigen::Index i = 0; i < interactions.rows(); ++i)
      if (interactions(i, u) != 0) known.push_back(int(i));
    if (known.size() < 2) continue;
    Rng rng = Rng::derive(seed, uint64_t(u));
    const int hidden = known[size_t(rng.below(known.size()))];
    split.users.push_back(u);
    split.heldOut.push_back(hidden);
    Vector shown = (interactions.col(u).array() != 0).cast<Scalar>();
    shown(hidden) = 0;
    inputs.push_back(std::move(shown));
  }
  split.inputs.resize(interactions.rows(), Eigen::Index(inputs.size()));
  for (size_t c = 0; c < inputs.size(); ++c) split.inputs.col(Eigen::Index(c)) = inputs[c];
  return split;
}

int rankAmongUnseen(const Vector& scores, const Vector& known, int item) {
  if (scores.size() != known.size() || item < 0 || item >= scores.size())
    throw std::invalid_argument("rankAmongUnseen: " + std::to_string(scores.size()) + " scores, " +
                                std::to_string(known.size()) + " known flags, item " +
                                std::to_string(item));
  const Scalar s = scores(item);
  int rank = 0;
  for (Eigen::Index j = 0; j < scores.size(); ++j) {
    if (j == item || known(j) != 0) continue;
    rank += scores(j) > s || (scores(j) == s && j < item);
  }
  return rank;
}

std::vector<ScoredItem> topUnseen(const Vector& scores, const Vector& known, int n) {
  if (scores.size() != known.size())
    throw std::invalid_argument("topUnseen: " + std::to_string(scores.size()) + " scores, " +
                                std::to_string(known.size()) + " known flags");
  std::vector<int> unseen;
  for (Eigen::Index j = 0; j < scores.size(); ++j)
    if (known(j) == 0) unseen.push_back(int(j));
  const auto better = [&](int a, int b) {
    return scores(a) > scores(b) || (scores(a) == scores(b) && a < b);
  };
  const size_t kept = std::min(unseen.size(), size_t(std::max(n, 0)));
  std::partial_sort(unseen.begin(), unseen.begin() + ptrdiff_t(kept), unseen.end(), better);
  std::vector<ScoredItem> top;
  for (size_t i = 0; i < kept; ++i) top.push_back({unseen[i], double(scores(unseen[i]))});
  return top;
}

RankingMetrics rankingMetrics(const std::vector<int>& ranks, int k) {
  RankingMetrics m;
  m.k = k;
  m.users = int(ranks.size());
  if (ranks.empty()) return m;
  for (int r : ranks)
    if (r < k) {
      m.hitRate += 1;
      m.ndcg += 1.0 / std::log2(r + 2.0);  // the ideal DCG of one relevant item is 1
    }
  m.hitRate /= double(ranks.size());
  m.ndcg /= double(ranks.size());
  return m;
}

Vector itemPopularity(const Matrix& interactions) {
  return (interactions.array() != 0).cast<Scalar>().rowwise().sum();
}

Matrix recommendationScores(const Model& model, const Matrix& inputs) {
  if (model.inputSize() != inputs.rows())
    throw std::invalid_argument("recommendationScores: the model takes " +
                                std::to_string(model.inputSize()) + " items, the data has " +
                                shapeString(inputs.rows(), inputs.cols()));
  return model.reconstruct(inputs);
}

RecommendationReport evaluateLeaveOneOut(const Model& model, const Matrix& interactions,
                                         const std::vector<int>& users, unsigned seed, int k) {
  const LeaveOneOut split = leaveOneOut(interactions, users, seed);
  Matrix visible = interactions;
  for (size_t i = 0; i < split.users.size(); ++i) visible(split.heldOut[i], split.users[i]) = 0;
  const Vector popularity = itemPopularity(visible);
  const Matrix scores = recommendationScores(model, split.inputs);
  std::vector<int> modelRanks, popularRanks;
  for (size_t i = 0; i < split.users.size(); ++i) {
    const Vector known = split.inputs.col(Eigen::Index(i));
    modelRanks.push_back(rankAmongUnseen(scores.col(Eigen::Index(i)), known, split.heldOut[i]));
    popularRanks.push_back(rankAmongUnseen(popularity, known, split.heldOut[i]));
  }
  return {rankingMetrics(modelRanks, k), rankingMetrics(popularRanks, k), int(interactions.rows())};
}

}  // namespace latent
