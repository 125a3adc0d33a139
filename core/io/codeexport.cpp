// Codes to CSV and .npy: one sample per row, the label last.
#include "io/codeexport.h"

#include <sstream>
#include <stdexcept>

#include "io/atomicfile.h"
#include "io/npy.h"

namespace latent {
namespace {

void requireLabelCount(const Matrix& codes, const std::vector<int>& labels) {
  if (!labels.empty() && Eigen::Index(labels.size()) != codes.cols())
    throw std::invalid_argument("code export: " + std::to_string(labels.size()) +
                                " labels for codes of shape " +
                                shapeString(codes.rows(), codes.cols()));
}

}  // namespace

void writeCodesCsv(const std::string& path, const Matrix& codes, const std::vector<int>& labels) {
  requireLabelCount(codes, labels);
  std::ostringstream s;
  s.precision(9);  // enough digits for every float32 to read back bit for bit
  for (Eigen::Index j = 0; j < codes.rows(); ++j) s << (j ? "," : "") << "z" << j;
  if (!labels.empty()) s << ",label";
  s << "\n";
  for (Eigen::Index i = 0; i < codes.cols(); ++i) {
    for (Eigen::Index j = 0; j < codes.rows(); ++j) s << (j ? "," : "") << codes(j, i);
    if (!labels.empty()) s << "," << labels[size_t(i)];
    s << "\n";
  }
  const std::string text = s.str();
  writeFileAtomically(path, text.data(), text.size());
}

void writeCodesNpy(const std::string& path, const Matrix& codes, const std::vector<int>& labels) {
  requireLabelCount(codes, labels);
  if (labels.empty()) return writeNpyTransposed(path, codes);
  Matrix rows(codes.rows() + 1, codes.cols());  // one more row: the label, so a sample is a row
  rows.topRows(codes.rows()) = codes;
  for (Eigen::Index i = 0; i < codes.cols(); ++i) rows(codes.rows(), i) = float(labels[size_t(i)]);
  writeNpyTransposed(path, rows);
}

void writeScoresCsv(const std::string& path, const std::vector<int>& samples,
                    const std::vector<int>& labels, const std::vector<double>& scores,
                    double threshold) {
  if (samples.size() != scores.size() || (!labels.empty() && labels.size() != scores.size()))
    throw std::invalid_argument("writeScoresCsv: " + std::to_string(scores.size()) + " scores, " +
                                std::to_string(samples.size()) + " sample numbers and " +
                                std::to_string(labels.size()) + " labels");
  std::ostringstream s;
  s.precision(9);
  s << "sample,label,score,flagged\n";
  for (size_t i = 0; i < scores.size(); ++i) {
    s << samples[i] << ',';
    if (!labels.empty()) s << labels[i];
    s << ',' << scores[i] << ',' << (scores[i] >= threshold ? 1 : 0) << '\n';
  }
  const std::string text = s.str();
  writeFileAtomically(path, text.data(), text.size());
}

}  // namespace latent
