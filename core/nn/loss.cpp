// Loss values and gradients (see loss.h for the reductions).
#include "nn/loss.h"

#include <algorithm>
#include <cmath>

namespace latent {

namespace {
double denominator(const Matrix& m, int batchTotal, Reduction r) {
  return r == Reduction::MeanPerElement ? double(m.rows()) * batchTotal : double(batchTotal);
}

void requireSameShape(const char* what, const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    throw std::invalid_argument(std::string(what) + ": prediction " +
                                shapeString(a.rows(), a.cols()) + " and target " +
                                shapeString(b.rows(), b.cols()) + " differ");
}

// The terms are evaluated in float into a buffer (vectorised: a cast inside the expression would
// force scalar log/exp calls), then added in double with independent partial sums, so the loss
// resolves changes far below one float ulp of the total (finite-difference checks rely on it).
template <typename Expr>
double sumInDouble(const Expr& terms) {
  thread_local Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> buffer;
  buffer = terms;
  const Scalar* v = buffer.data();
  const Eigen::Index n = buffer.size();
  double partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  Eigen::Index i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) partial[k] += v[i + k];
  for (; i < n; ++i) partial[0] += v[i];
  double sum = 0;
  for (double p : partial) sum += p;
  return sum;
}

// Keeps ρ̂ away from 0 and 1 so the logarithms stay finite.
Scalar clampRate(Scalar r) { return std::clamp(r, Scalar(1e-6), Scalar(1 - 1e-6)); }
}  // namespace

std::string describe(Reduction r) {
  return r == Reduction::MeanPerElement ? "mean per value"
                                        : "sum over features, mean over the batch";
}

double mseLoss(const Matrix& prediction, const Matrix& target, int batchTotal, Reduction r,
               Matrix& grad) {
  requireSameShape("mseLoss", prediction, target);
  const double d = denominator(prediction, batchTotal, r);
  grad = prediction - target;
  const double sum = sumInDouble(grad.array().square());
  grad *= Scalar(2.0 / d);
  return sum / d;
}

double bceWithLogitsLoss(const Matrix& logits, const Matrix& target, int batchTotal, Reduction r,
                         Matrix& grad) {
  requireSameShape("bceWithLogitsLoss", logits, target);
  const double d = denominator(logits, batchTotal, r);
  const auto x = logits.array();
  const auto t = target.array();
  // log(1 + e^-|x|) with the argument in (1, 2]: plain log is accurate there and vectorises
  // (Eigen's float log1p falls back to scalar libm calls).
  const double sum = sumInDouble(x.max(Scalar(0)) - x * t + (Scalar(1) + (-x.abs()).exp()).log());
  // sigmoid(x) via tanh: stable for large |x|
  grad = ((Scalar(0.5) * (Scalar(0.5) * x).tanh() + Scalar(0.5) - t) * Scalar(1.0 / d)).matrix();
  return sum / d;
}

double gaussianKlLoss(const Matrix& mu, const Matrix& logVar, int batchTotal, Matrix& gradMu,
                      Matrix& gradLogVar) {
  requireSameShape("gaussianKlLoss", mu, logVar);
  // KL = -½ Σ (1 + lv - mu² - e^lv);  dKL/dmu = mu;  dKL/dlv = ½ (e^lv - 1)
  const Scalar inv = Scalar(1.0 / batchTotal);
  const auto var = logVar.array().exp();
  const double sum =
      -0.5 * (Scalar(1) + logVar.array() - mu.array().square() - var).template cast<double>().sum();
  gradMu = mu * inv;
  gradLogVar = (Scalar(0.5) * inv * (var - Scalar(1))).matrix();
  return sum / batchTotal;
}

double l1SparsityPenalty(const Matrix& activations, Scalar weight, int batchTotal, Matrix& grad) {
  const Scalar scale = weight / Scalar(batchTotal);
  grad.array() += scale * activations.array().sign();
  return double(weight) * activations.cwiseAbs().template cast<double>().sum() / batchTotal;
}

double klSparsityValue(const Vector& meanActivation, Scalar rho, Scalar weight) {
  double sum = 0.0;
  for (Eigen::Index j = 0; j < meanActivation.size(); ++j) {
    const double r = clampRate(meanActivation[j]);
    sum += rho * std::log(rho / r) + (1.0 - rho) * std::log((1.0 - rho) / (1.0 - r));
  }
  return weight * sum;
}

void addKlSparsityGradient(const Vector& meanActivation, Scalar rho, Scalar weight, int batchTotal,
                           Matrix& grad) {
  // dP/dρ̂_j = w (-ρ/ρ̂_j + (1-ρ)/(1-ρ̂_j));  ρ̂_j = (1/B) Σ_i h_ji  ⇒  dP/dh_ji = dP/dρ̂_j / B
  Vector perUnit(meanActivation.size());
  for (Eigen::Index j = 0; j < perUnit.size(); ++j) {
    const Scalar r = clampRate(meanActivation[j]);
    perUnit[j] = weight * (-rho / r + (1 - rho) / (1 - r)) / Scalar(batchTotal);
  }
  grad.colwise() += perUnit;
}

}  // namespace latent
