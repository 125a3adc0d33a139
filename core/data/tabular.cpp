// Tabular dataset generation: each sample is drawn in the manifold's own coordinates, padded with
// noise dimensions, rotated by one seeded orthogonal matrix and finally scaled to [0,1].
#include "data/tabular.h"

#include <Eigen/QR>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "data/rng.h"

namespace latent {
namespace {

constexpr float Pi = std::numbers::pi_v<float>;
constexpr int MaxDims = 10;
constexpr int MaxBlobs = 20;
// Noise is given relative to the manifold's radius: 1 for the moons, about 10 for the roll.
constexpr float RollRadius = 10.0f;

// Separate streams so the rotation does not depend on the count.
enum TabularStream : uint64_t { SampleStream = 0, RotationStream = 1, CentreStream = 2 };

void checkArguments(const char* what, int count, const TabularOptions& o, int minDims) {
  if (count < 0 || o.dims < minDims || o.dims > MaxDims || !(o.noise >= 0) || o.classes < 1 ||
      o.classes > MaxBlobs)
    throw std::invalid_argument(std::string(what) + ": need count >= 0, dims " +
                                std::to_string(minDims) + "..10, noise >= 0, classes 1..20; got " +
                                "count " + std::to_string(count) + ", dims " +
                                std::to_string(o.dims) + ", noise " + std::to_string(o.noise) +
                                ", classes " + std::to_string(o.classes));
}

Dataset emptyDataset(const std::string& name, int count, int dims) {
  Dataset d;
  d.name = name + " (built-in)";
  d.shape = Shape::tabular(dims);
  d.samples = Matrix::Zero(dims, count);
  d.labels.resize(size_t(count));
  return d;
}

std::vector<std::string> numberedNames(const std::string& word, int n) {
  std::vector<std::string> names;
  for (int i = 1; i <= n; ++i) names.push_back(word + " " + std::to_string(i));
  return names;
}

// A dims × dims orthogonal matrix: Q of the QR decomposition of a Gaussian matrix.
Matrix randomRotation(int dims, unsigned seed) {
  Rng rng = Rng::derive(seed, RotationStream);
  Matrix g(dims, dims);
  for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = rng.normal();
  return Eigen::HouseholderQR<Matrix>(g).householderQ();
}

// Adds noise of std `sigma` to every coordinate (the extra dimensions get only noise).
void addNoise(Dataset& d, float sigma, unsigned seed) {
  Rng rng = Rng::derive(seed, SampleStream, 1);
  for (Eigen::Index i = 0; i < d.samples.size(); ++i) d.samples.data()[i] += sigma * rng.normal();
}

// Per feature (x - min) / (max - min), recorded so decoded values map back.
void scaleToUnitRange(Dataset& d) {
  Normalisation& n = d.normalisation;
  n.kind = Normalisation::Kind::Range01;
  n.scale.assign(size_t(d.features()), 1.0f);
  n.offset.assign(size_t(d.features()), 0.0f);
  if (d.count() == 0) return;
  for (int f = 0; f < d.features(); ++f) {
    const float lo = d.samples.row(f).minCoeff(), range = d.samples.row(f).maxCoeff() - lo;
    n.offset[f] = lo;
    n.scale[f] = range > 0 ? range : 1.0f;
    d.samples.row(f) = (d.samples.row(f).array() - lo) / n.scale[f];
  }
}

// The shared tail of moons and roll: noise, rotation into every coordinate, [0,1].
void finishManifold(Dataset& d, float sigma, unsigned seed) {
  addNoise(d, sigma, seed);
  d.samples = randomRotation(d.features(), seed) * d.samples;
  scaleToUnitRange(d);
}

}  // namespace

Dataset makeMoonsDataset(int count, unsigned seed, const TabularOptions& o) {
  checkArguments("makeMoonsDataset", count, o, 3);
  Dataset d = emptyDataset("Two moons", count, o.dims);
  d.classNames = {"upper moon", "lower moon"};
  Rng rng = Rng::derive(seed, SampleStream);
  for (int i = 0; i < count; ++i) {
    const int moon = i % 2;
    const float t = Pi * rng.uniform();
    d.labels[i] = moon;
    // As scikit-learn's make_moons: the lower moon is the upper one flipped and shifted.
    d.samples(0, i) = moon == 0 ? std::cos(t) : 1.0f - std::cos(t);
    d.samples(1, i) = moon == 0 ? std::sin(t) : 0.5f - std::sin(t);
  }
  finishManifold(d, o.noise, seed);
  return d;
}

Dataset makeSwissRollDataset(int count, unsigned seed, const TabularOptions& o) {
  checkArguments("makeSwissRollDataset", count, o, 3);
  Dataset d = emptyDataset("Swiss roll", count, o.dims);
  d.classNames = numberedNames("segment", o.classes);
  Rng rng = Rng::derive(seed, SampleStream);
  for (int i = 0; i < count; ++i) {
    const int segment = i % o.classes;
    // t uniform within its segment of [1.5π, 4.5π], so the segments stay balanced.
    const float t = 1.5f * Pi * (1.0f + 2.0f * (float(segment) + rng.uniform()) / float(o.classes));
    d.labels[i] = segment;
    d.samples(0, i) = t * std::cos(t);
    d.samples(1, i) = 21.0f * rng.uniform();
    d.samples(2, i) = t * std::sin(t);
  }
  finishManifold(d, RollRadius * o.noise, seed);
  return d;
}

Dataset makeBlobsDataset(int count, unsigned seed, const TabularOptions& o) {
  checkArguments("makeBlobsDataset", count, o, 2);
  Dataset d = emptyDataset("Blobs", count, o.dims);
  d.classNames = numberedNames("blob", o.classes);
  Rng centreRng = Rng::derive(seed, CentreStream);
  Matrix centres(o.dims, o.classes);
  for (Eigen::Index i = 0; i < centres.size(); ++i)
    centres.data()[i] = 20.0f * centreRng.uniform() - 10.0f;
  Rng rng = Rng::derive(seed, SampleStream);
  for (int i = 0; i < count; ++i) {
    const int blob = i % o.classes;
    d.labels[i] = blob;
    for (int f = 0; f < o.dims; ++f) d.samples(f, i) = centres(f, blob) + rng.normal();
  }
  scaleToUnitRange(d);
  return d;
}

}  // namespace latent
