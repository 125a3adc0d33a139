// Helpers shared by the core tests: seeded random matrices, the finite-difference gradient check
// and printable trainer states.
#pragma once

#include <QString>
#include <QtGlobal>
#include <algorithm>
#include <cmath>
#include <functional>

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

/// Compares analytic[i] with central differences (f(x+h) - f(x-h)) / 2h for entries of `values`
/// (up to maxChecks, spread over the matrix). The error is relative to max(|numeric| + |analytic|,
/// 5% of the largest analytic entry): float evaluation noise is absolute, so tiny entries are
/// judged against the gradient's overall scale, while a wrong derivation still shows as an O(1)
/// error. Each entry is tried with h, h/10 and h/100 and the best agreement counts: a large h
/// suffers from curvature and ReLU kinks, a small one from float rounding; a wrong gradient fails
/// both.
inline double checkGradient(latent::Matrix& values, const latent::Matrix& analytic,
                            const std::function<double()>& f, const char* what, float h = 1e-2f,
                            int maxChecks = 40) {
  double worst = 0;
  const double floor = std::max(1e-4, 0.05 * double(analytic.cwiseAbs().maxCoeff()));
  const Eigen::Index n = values.size();
  const Eigen::Index stride = std::max<Eigen::Index>(1, n / maxChecks);
  auto centralDifference = [&](Eigen::Index i, float step) {
    const float saved = values.data()[i];
    values.data()[i] = saved + step;
    const double up = f();
    values.data()[i] = saved - step;
    const double down = f();
    values.data()[i] = saved;
    return (up - down) / (2.0 * step);
  };
  for (Eigen::Index i = 0; i < n; i += stride) {
    const double a = analytic.data()[i];
    double best = 1e9, bestNumeric = 0;
    for (float step : {h, h / 10, h / 100}) {
      const double numeric = centralDifference(i, step);
      const double err = std::abs(numeric - a) / std::max(floor, std::abs(numeric) + std::abs(a));
      if (err < best) best = err, bestNumeric = numeric;
    }
    worst = std::max(worst, best);
    if (best > 2e-2)
      qWarning("%s[%lld]: analytic %.6g numeric %.6g", what, static_cast<long long>(i), a,
               bestNumeric);
  }
  qInfo("%s: largest relative difference %.2e", what, worst);
  return worst;
}

/// Largest relative difference checkGradient accepts.
constexpr double Tolerance = 2e-2;

/// A trainer state as a QString, so QCOMPARE prints it on failure.
inline QString stateName(latent::Trainer::State s) {
  return QString::fromStdString(latent::toString(s));
}

}  // namespace testutil
