// Normal classes for anomaly detection: keep only the samples of chosen classes (training on
// "normal" data alone) and mark the samples of every other class as anomalies.
#pragma once

#include <vector>

#include "data/dataset.h"

namespace latent {

/// Throws latent::Error(InvalidArgument) naming the dataset when it has no labels, `classes` is
/// empty, or a class is not one of its labels (0 … classCount−1).
void requireClasses(const Dataset& data, const std::vector<int>& classes);

/// The entries of `indices` whose sample's label is in `classes`, in their order. Validates
/// `classes` as requireClasses does.
std::vector<int> keepClasses(const Dataset& data, const std::vector<int>& indices,
                             const std::vector<int>& classes);

/// Per sample: true when its label is not in `normal` (an anomaly). Validates as requireClasses.
std::vector<bool> outsideClasses(const Dataset& data, const std::vector<int>& normal);

}  // namespace latent
