// Helpers shared by the core tests: seeded random matrices and printable trainer states.
#pragma once

#include <QString>

#include "data/rng.h"
#include "data/types.h"
#include "train/trainer.h"

namespace testutil {

/// rows × cols of scale · N(0, 1) draws from `rng`.
inline latent::Matrix normalMatrix(Eigen::Index rows, Eigen::Index cols, latent::Rng& rng,
                                   float scale = 1.0f) {
  latent::Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.normal();
  return m;
}

/// rows × cols of U[0, 1) draws from `rng`.
inline latent::Matrix uniformMatrix(Eigen::Index rows, Eigen::Index cols, latent::Rng& rng) {
  latent::Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform();
  return m;
}

/// A trainer state as a QString, so QCOMPARE prints it on failure.
inline QString stateName(latent::Trainer::State s) {
  return QString::fromStdString(latent::toString(s));
}

}  // namespace testutil
