// Interpolation: lerp and slerp, computed in double so long paths stay on the circle.
#include "analysis/interpolation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latent {

namespace {

constexpr double MinSlerpAngle = 1e-4;  // radians; below it slerp and lerp agree to ~1e-9

void checkSizes(const Vector& a, const Vector& b, const char* what) {
  if (a.size() != b.size())
    throw std::invalid_argument(std::string(what) + ": the endpoints have " +
                                std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                                " entries");
}

}  // namespace

Vector lerp(const Vector& a, const Vector& b, float t) {
  checkSizes(a, b, "lerp");
  if (t == 0.0f) return a;
  if (t == 1.0f) return b;
  return (a.cast<double>() + double(t) * (b - a).cast<double>()).cast<Scalar>();
}

Vector slerp(const Vector& a, const Vector& b, float t) {
  checkSizes(a, b, "slerp");
  if (t == 0.0f) return a;
  if (t == 1.0f) return b;
  const Eigen::VectorXd ad = a.cast<double>(), bd = b.cast<double>();
  const double na = ad.norm(), nb = bd.norm();
  if (na == 0 || nb == 0) return lerp(a, b, t);
  const double theta = std::acos(std::clamp(ad.dot(bd) / (na * nb), -1.0, 1.0));
  if (theta < MinSlerpAngle) return lerp(a, b, t);
  const double s = std::sin(theta);
  const Eigen::VectorXd direction =
      (std::sin((1 - t) * theta) / s) * (ad / na) + (std::sin(t * theta) / s) * (bd / nb);
  return (((1 - t) * na + t * nb) * direction).cast<Scalar>();
}

Matrix interpolate(const Vector& a, const Vector& b, int n, InterpolationKind kind) {
  checkSizes(a, b, "interpolate");
  if (n < 2) throw std::invalid_argument("interpolate: needs n ≥ 2, got " + std::to_string(n));
  Matrix path(a.size(), n);
  for (int i = 0; i < n; ++i) {
    const float t = i == n - 1 ? 1.0f : float(i) / float(n - 1);
    path.col(i) = kind == InterpolationKind::Slerp ? slerp(a, b, t) : lerp(a, b, t);
  }
  return path;
}

}  // namespace latent
