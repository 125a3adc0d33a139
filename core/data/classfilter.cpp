#include "data/classfilter.h"

#include <algorithm>

namespace latent {

namespace {
std::string nameOf(const Dataset& data) {
  return "'" + (data.name.empty() ? std::string("the dataset") : data.name) + "'";
}

bool contains(const std::vector<int>& classes, int label) {
  return std::find(classes.begin(), classes.end(), label) != classes.end();
}
}  // namespace

void requireClasses(const Dataset& data, const std::vector<int>& classes) {
  if (!data.hasLabels())
    throw Error(Error::Code::InvalidArgument,
                nameOf(data) + " has no labels, so no class can be chosen as normal");
  if (classes.empty())
    throw Error(Error::Code::InvalidArgument, "no normal class chosen for " + nameOf(data));
  const int count = data.classCount();
  for (int c : classes)
    if (c < 0 || c >= count)
      throw Error(Error::Code::InvalidArgument,
                  "class " + std::to_string(c) + " is not one of the classes of " + nameOf(data) +
                      " (0–" + std::to_string(count - 1) + ")");
}

std::vector<int> keepClasses(const Dataset& data, const std::vector<int>& indices,
                             const std::vector<int>& classes) {
  requireClasses(data, classes);
  std::vector<int> kept;
  for (int i : indices)
    if (contains(classes, data.labels.at(i))) kept.push_back(i);
  return kept;
}

std::vector<bool> outsideClasses(const Dataset& data, const std::vector<int>& normal) {
  requireClasses(data, normal);
  std::vector<bool> anomalous(data.labels.size());
  for (size_t i = 0; i < anomalous.size(); ++i) anomalous[i] = !contains(normal, data.labels[i]);
  return anomalous;
}

}  // namespace latent
