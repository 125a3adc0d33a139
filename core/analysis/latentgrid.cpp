// Latent grids and the normal quantile they need.
#include "analysis/latentgrid.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace latent {

namespace {

void checkK(int k) {
  if (k < 1) throw std::invalid_argument("latent grid: needs k ≥ 1, got " + std::to_string(k));
}

/// Acklam's approximation (relative error < 1.15e-9).
double acklam(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double Low = 0.02425;
  if (p < Low || p > 1 - Low) {
    const double q = std::sqrt(-2 * std::log(p < Low ? p : 1 - p));
    const double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                     ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < Low ? x : -x;
  }
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

Matrix layout(const std::vector<double>& xs, const std::vector<double>& ys) {
  const int k = static_cast<int>(xs.size());
  Matrix points(2, k * k);
  for (int r = 0; r < k; ++r)
    for (int c = 0; c < k; ++c) {
      points(0, r * k + c) = static_cast<Scalar>(xs[c]);
      points(1, r * k + c) = static_cast<Scalar>(ys[k - 1 - r]);
    }
  return points;
}

}  // namespace

double normalQuantile(double p) {
  if (!(p > 0 && p < 1))
    throw std::invalid_argument("normalQuantile: p must be in (0, 1), got " + std::to_string(p));
  double x = acklam(p);
  // One Halley step on Φ(x) − p brings the error to machine precision.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  x = x - u / (1 + x * u / 2);
  return x;
}

Matrix gridPoints(double x0, double x1, double y0, double y1, int k) {
  checkK(k);
  std::vector<double> xs(k), ys(k);
  for (int i = 0; i < k; ++i) {
    xs[i] = x0 + (x1 - x0) * (i + 0.5) / k;
    ys[i] = y0 + (y1 - y0) * (i + 0.5) / k;
  }
  return layout(xs, ys);
}

Matrix priorQuantileGrid(int k, double centreX, double centreY) {
  checkK(k);
  std::vector<double> xs(k), ys(k);
  for (int i = 0; i < k; ++i) {
    const double q = normalQuantile((i + 0.5) / k);
    xs[i] = centreX + q;
    ys[i] = centreY + q;
  }
  return layout(xs, ys);
}

}  // namespace latent
