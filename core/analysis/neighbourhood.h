// How well codes keep what matters: k-NN and linear-probe classification accuracy on held-out
// codes, and the trustworthiness of a 2-D map (are its neighbours neighbours in the data?).
#pragma once

#include <vector>

#include "data/types.h"

namespace latent {

/// Accuracy of a k-nearest-neighbour vote (Euclidean; ties broken by the nearest neighbour's
/// label) that classifies each test code from the training codes. Codes: d × n, one per column.
double knnAccuracy(const Matrix& trainCodes, const std::vector<int>& trainLabels,
                   const Matrix& testCodes, const std::vector<int>& testLabels, int k = 5);

/// Accuracy of a linear classifier fitted on the training codes: ridge regression to one-hot
/// targets on standardised codes (closed form, deterministic), predicting the largest output.
double linearProbeAccuracy(const Matrix& trainCodes, const std::vector<int>& trainLabels,
                           const Matrix& testCodes, const std::vector<int>& testLabels,
                           double ridge = 1e-3);

/// Trustworthiness T(k) of an embedding (Venna & Kaski): 1 − a penalty for every point that is
/// among a sample's k nearest in `embedded` but not in `original`, weighted by how far down the
/// original ranking it is. 1 = every map neighbour is a true neighbour. O(n²): pass at most a few
/// thousand samples. Requires k < n / 2.
double trustworthiness(const Matrix& original, const Matrix& embedded, int k = 5);

}  // namespace latent
