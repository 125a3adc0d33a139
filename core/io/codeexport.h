// Writing per-sample results for use elsewhere: codes (one sample per row) with their labels as CSV
// or NumPy .npy, shared by `latentlab-cli encode` and the GUI's export; anomaly scores as CSV,
// shared by `latentlab-cli anomalies --scores` and the Anomalies tab.
#pragma once

#include <string>
#include <vector>

#include "data/types.h"

namespace latent {

/// codes: latent × n. Writes a header "z0,…,z{latent-1}[,label]" and one row per sample, values
/// with 9 significant digits (float32 round-trips exactly). `labels` is empty or has n entries.
/// Atomic; throws Error(Io) naming the path, std::invalid_argument on a label count mismatch.
void writeCodesCsv(const std::string& path, const Matrix& codes, const std::vector<int>& labels);

/// The same as a float32 array of shape (n, latent [+ 1]): the label, when given, is the last
/// column (as a float, exact for labels below 2^24). Atomic.
void writeCodesNpy(const std::string& path, const Matrix& codes, const std::vector<int>& labels);

/// Anomaly scores: a header "sample,label,score,flagged" and one row per score, where `sample` is
/// the row in the dataset file (`samples[i]`), label is empty without labels, the score has 9
/// significant digits and flagged is 1 when score >= threshold, else 0. `samples` and `labels`
/// (or empty) have one entry per score. Atomic; throws Error(Io) naming the path,
/// std::invalid_argument on a count mismatch.
void writeScoresCsv(const std::string& path, const std::vector<int>& samples,
                    const std::vector<int>& labels, const std::vector<double>& scores,
                    double threshold);

}  // namespace latent
