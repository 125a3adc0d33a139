// The built-in tabular datasets: two moons, Swiss roll and Gaussian blobs, embedded in 3–10
// dimensions and labelled, generated from a seed (the classic manifolds to watch an AE unroll).
#pragma once

#include "data/dataset.h"

namespace latent {

struct TabularOptions {
  int dims = 3;         // features per sample, 3..10 (blobs: 2..10)
  float noise = 0.05f;  // std of the Gaussian noise, relative to the manifold's extent
  int classes = 4;      // blobs: number of blobs; Swiss roll: segments along the roll
};

/// Two interleaved half circles (labels 0/1: upper, lower moon; class names "upper moon",
/// "lower moon"), in the first two coordinates before a rotation into `dims` dimensions.
/// Shape::tabular(dims). Every generator here: samples alternate through the classes (counts
/// differ by at most one); the extra dimensions carry only noise; a random rotation drawn from the
/// seed mixes all coordinates (so no single feature holds the structure); every feature is then
/// scaled to [0,1] (Normalisation::Range01, recorded, so the default sigmoid output fits).
/// Same (count, seed, options) → same bytes. Throws std::invalid_argument for count < 0, dims
/// outside 3..10, noise < 0.
Dataset makeMoonsDataset(int count, unsigned seed, const TabularOptions& options = {});

/// The Swiss roll: (t cos t, h, t sin t) with t in [1.5π, 4.5π], h in [0, 21]; labels are
/// `classes` equal segments of t, from the inside out ("segment 1", …).
Dataset makeSwissRollDataset(int count, unsigned seed, const TabularOptions& options = {});

/// `classes` isotropic Gaussian blobs (std 1) around centres drawn uniformly in [-10, 10]^dims;
/// labels are the blob ("blob 1", …). `noise` is ignored; dims may be 2..10; classes 1..20.
Dataset makeBlobsDataset(int count, unsigned seed, const TabularOptions& options = {});

}  // namespace latent
