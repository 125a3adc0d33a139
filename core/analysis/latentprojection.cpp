// LatentProjection: dimension picking and a 2-component PCA of the codes.
#include "analysis/latentprojection.h"

#include <cmath>
#include <stdexcept>

#include "analysis/pca.h"

namespace latent {

namespace {

std::string subscript(int n) {
  static const char* digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string s;
  for (char c : std::to_string(n)) s += digits[c - '0'];
  return s;
}

}  // namespace

LatentProjection LatentProjection::dimensions(int latent, int i, int j, const Vector& rest) {
  const bool single = latent == 1;
  if (latent < 1 || i < 0 || i >= latent || (!single && (j < 0 || j >= latent || i == j)))
    throw std::invalid_argument("LatentProjection::dimensions: dimensions " + std::to_string(i) +
                                " and " + std::to_string(j) + " of a " + std::to_string(latent) +
                                "-dimensional latent space");
  if (rest.size() != latent)
    throw std::invalid_argument("LatentProjection::dimensions: rest has " +
                                std::to_string(rest.size()) + " entries, latent is " +
                                std::to_string(latent));
  LatentProjection p;
  p.m_kind = Kind::Dimensions;
  p.m_origin = rest;
  p.m_directions = Matrix::Zero(latent, 2);
  p.m_origin(i) = 0;
  p.m_directions(i, 0) = 1;
  p.m_dims[0] = i;
  p.m_dims[1] = single ? -1 : j;
  if (!single) {
    p.m_origin(j) = 0;
    p.m_directions(j, 1) = 1;
  }
  return p;
}

LatentProjection LatentProjection::pca(const Matrix& codes) {
  if (codes.rows() < 2 || codes.cols() < 2)
    throw std::invalid_argument("LatentProjection::pca needs latent ≥ 2 and 2 codes, got " +
                                shapeString(codes.rows(), codes.cols()));
  const Pca fit = Pca::fit(codes, 2);
  LatentProjection p;
  p.m_kind = Kind::Pca;
  p.m_origin = fit.mean();
  p.m_directions = fit.components();
  p.m_dims[0] = p.m_dims[1] = -1;
  const Eigen::VectorXd ratio = fit.explainedVarianceRatio();
  p.m_ratio[0] = ratio(0);
  p.m_ratio[1] = ratio(1);
  return p;
}

Matrix LatentProjection::project(const Matrix& codes) const {
  if (codes.rows() != latentSize())
    throw std::invalid_argument(
        "LatentProjection::project: codes are " + shapeString(codes.rows(), codes.cols()) +
        ", the projection takes " + shapeString(latentSize(), 2) + " directions");
  return m_directions.transpose() * (codes.colwise() - m_origin);
}

Matrix LatentProjection::lift(const Matrix& points) const {
  if (points.rows() != 2)
    throw std::invalid_argument("LatentProjection::lift: points are " +
                                shapeString(points.rows(), points.cols()) + ", expected 2 × n");
  return (m_directions * points).colwise() + m_origin;
}

Vector LatentProjection::lift(float x, float y) const {
  return m_origin + m_directions.col(0) * x + m_directions.col(1) * y;
}

std::string LatentProjection::axisName(int axis) const {
  // Appending (not "literal" + string) also sidesteps GCC 12's false -Wrestrict (bug 105329).
  std::string name;
  if (m_kind == Kind::Dimensions) {
    if (m_dims[axis] < 0) return "—";
    name = "z";
    name += subscript(m_dims[axis]);
    return name;
  }
  name = "PC";
  name += std::to_string(axis + 1);
  name += " (";
  name += std::to_string(static_cast<int>(std::lround(100 * m_ratio[axis])));
  name += "%)";
  return name;
}

}  // namespace latent
