#include "analysis/ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace latent {

namespace {

struct ClassCounts {
  long long positives = 0, negatives = 0;
};

ClassCounts countClasses(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size())
    throw std::invalid_argument("scores and labels differ in length");
  for (double s : scores)
    if (!std::isfinite(s)) throw std::invalid_argument("scores must be finite");
  ClassCounts c;
  for (bool p : positive) (p ? c.positives : c.negatives)++;
  if (c.positives == 0 || c.negatives == 0)
    throw std::invalid_argument("both normal and anomalous samples are needed for a curve");
  return c;
}

/// Sample indices by decreasing score (stable, so equal scores keep their order).
std::vector<int> byDecreasingScore(const std::vector<double>& scores) {
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] > scores[b]; });
  return order;
}

/// Walks the samples by decreasing score and calls visit(threshold, tp, fp) once per distinct
/// score, after every sample with that score has been flagged.
template <typename Visit>
void sweepThresholds(const std::vector<double>& scores, const std::vector<bool>& positive,
                     Visit visit) {
  const std::vector<int> order = byDecreasingScore(scores);
  long long tp = 0, fp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    (positive[order[i]] ? tp : fp)++;
    const bool lastOfScore = i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]];
    if (lastOfScore) visit(scores[order[i]], tp, fp);
  }
}

}  // namespace

RocCurve rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive) {
  const ClassCounts c = countClasses(scores, positive);
  RocCurve roc;
  roc.points.push_back({std::numeric_limits<double>::infinity(), 0.0, 0.0});
  double area = 0;
  sweepThresholds(scores, positive, [&](double threshold, long long tp, long long fp) {
    const RocPoint& last = roc.points.back();
    const RocPoint next{threshold, double(fp) / double(c.negatives),
                        double(tp) / double(c.positives)};
    // Trapezoids: a run of tied scores is a diagonal step, which counts ties half.
    area += (next.falsePositiveRate - last.falsePositiveRate) *
            (next.truePositiveRate + last.truePositiveRate) / 2;
    roc.points.push_back(next);
  });
  roc.auc = area;
  return roc;
}

PrCurve precisionRecallCurve(const std::vector<double>& scores, const std::vector<bool>& positive) {
  const ClassCounts c = countClasses(scores, positive);
  PrCurve pr;
  double lastRecall = 0;
  sweepThresholds(scores, positive, [&](double threshold, long long tp, long long fp) {
    const double recall = double(tp) / double(c.positives);
    const double precision = double(tp) / double(tp + fp);
    pr.averagePrecision += (recall - lastRecall) * precision;
    lastRecall = recall;
    pr.points.push_back({threshold, recall, precision});
  });
  return pr;
}

double thresholdAtFalsePositiveRate(const std::vector<double>& scores,
                                    const std::vector<bool>& positive, double rate) {
  const ClassCounts c = countClasses(scores, positive);
  double best = std::numeric_limits<double>::infinity();
  sweepThresholds(scores, positive, [&](double threshold, long long, long long fp) {
    if (double(fp) / double(c.negatives) <= rate) best = threshold;
  });
  return best;
}

Confusion confusionAt(const std::vector<double>& scores, const std::vector<bool>& positive,
                      double threshold) {
  if (scores.size() != positive.size())
    throw std::invalid_argument("scores and labels differ in length");
  Confusion m;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool flagged = scores[i] >= threshold;
    if (positive[i])
      (flagged ? m.truePositives : m.falseNegatives)++;
    else
      (flagged ? m.falsePositives : m.trueNegatives)++;
  }
  return m;
}

std::vector<int> topK(const std::vector<double>& scores, int k) {
  std::vector<int> order = byDecreasingScore(scores);
  order.resize(std::min<size_t>(order.size(), size_t(std::max(0, k))));
  return order;
}

}  // namespace latent
