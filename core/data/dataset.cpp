// Dataset helpers: shape descriptions, validation, subsets and the deterministic split.
#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "data/rng.h"

namespace latent {

int Shape::size() const {
  int n = 1;
  for (int d : dims) n *= d;
  return dims.empty() ? 0 : n;
}

std::string Shape::describe() const {
  std::ostringstream s;
  switch (kind) {
    case Kind::Tabular:
      s << size() << " features";
      break;
    case Kind::Image:
      s << dims.at(0) << "×" << dims.at(1) << "×" << dims.at(2) << " image";
      break;
    case Kind::Sequence:
      s << dims.at(0) << "×" << dims.at(1) << " sequence";
      break;
  }
  return s.str();
}

std::string Normalisation::describe() const {
  switch (kind) {
    case Kind::None:
      return "values as stored";
    case Kind::Range01:
      return "scaled to [0,1]";
    case Kind::Standardise:
      return "standardised per feature";
  }
  return {};
}

int Dataset::classCount() const {
  if (labels.empty()) return 0;
  return *std::max_element(labels.begin(), labels.end()) + 1;
}

void Dataset::validate() const {
  if (shape.size() != samples.rows())
    throw std::invalid_argument("dataset '" + name + "': shape " + shape.describe() + " has " +
                                std::to_string(shape.size()) +
                                " values per sample but samples are " +
                                shapeString(samples.rows(), samples.cols()));
  if (!labels.empty() && static_cast<Eigen::Index>(labels.size()) != samples.cols())
    throw std::invalid_argument("dataset '" + name + "': " + std::to_string(labels.size()) +
                                " labels for " + std::to_string(samples.cols()) + " samples");
  if (std::any_of(labels.begin(), labels.end(), [](int l) { return l < 0; }))
    throw std::invalid_argument("dataset '" + name + "': negative label");
}

Dataset Dataset::subset(const std::vector<int>& indices) const {
  Dataset out;
  out.name = name;
  out.sourcePath = sourcePath;
  out.shape = shape;
  out.classNames = classNames;
  out.normalisation = normalisation;
  out.samples.resize(samples.rows(), static_cast<Eigen::Index>(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) out.samples.col(i) = samples.col(indices[i]);
  if (hasLabels()) {
    out.labels.reserve(indices.size());
    for (int i : indices) out.labels.push_back(labels[i]);
  }
  return out;
}

Split splitIndices(int n, double validationFraction, unsigned seed,
                   const std::vector<int>& labels) {
  if (n < 0 || validationFraction < 0.0 || validationFraction >= 1.0)
    throw std::invalid_argument("splitIndices: need n >= 0 and 0 <= fraction < 1");
  Rng rng(seed);
  Split split;
  std::map<int, std::vector<int>> groups;  // ordered, so the split does not depend on hashing
  for (int i = 0; i < n; ++i)
    groups[labels.size() == static_cast<size_t>(n) ? labels[i] : 0].push_back(i);
  for (auto& [label, members] : groups) {
    rng.shuffle(members.begin(), members.end());
    const auto nVal = static_cast<size_t>(std::llround(members.size() * validationFraction));
    split.validation.insert(split.validation.end(), members.begin(), members.begin() + nVal);
    split.train.insert(split.train.end(), members.begin() + nVal, members.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

}  // namespace latent
