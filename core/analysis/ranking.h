// Scoring a detector: ROC and precision-recall curves of anomaly scores against known labels, the
// threshold for a chosen false-positive rate, and the confusion counts at a threshold.
#pragma once

#include <vector>

namespace latent {

struct RocPoint {
  double threshold;  // flagged: score >= threshold
  double falsePositiveRate, truePositiveRate;
};

struct RocCurve {
  std::vector<RocPoint> points;  // from (0,0) (threshold +inf) to (1,1), one per distinct score
  double auc = 0.5;              // area under the curve; tied scores count half (Mann–Whitney)
};

struct PrPoint {
  double threshold, recall, precision;
};

struct PrCurve {
  std::vector<PrPoint> points;  // by decreasing threshold
  double averagePrecision = 0;  // Σ (R_i − R_{i−1}) P_i, as scikit-learn defines it
};

struct Confusion {
  long long truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
};

/// Higher score = more anomalous; positive[i] = sample i is a true anomaly. Throws
/// std::invalid_argument when the sizes differ, a score is not finite or a class is missing.
RocCurve rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive);
PrCurve precisionRecallCurve(const std::vector<double>& scores, const std::vector<bool>& positive);

/// The lowest threshold whose false-positive rate on the negatives stays <= `rate`.
double thresholdAtFalsePositiveRate(const std::vector<double>& scores,
                                    const std::vector<bool>& positive, double rate);
Confusion confusionAt(const std::vector<double>& scores, const std::vector<bool>& positive,
                      double threshold);

/// Indices of the `k` highest scores, highest first (ties: lower index first).
std::vector<int> topK(const std::vector<double>& scores, int k);

}  // namespace latent
