// Latent grids: the k×k points a manifold image decodes, over a region of the 2D map or over the
// standard normal prior's quantiles (Kingma & Welling 2014, Figure 4).
#pragma once

#include "data/types.h"

namespace latent {

/// Φ⁻¹(p), the standard normal quantile, for 0 < p < 1 (Acklam's rational approximation refined
/// by one Halley step: |error| < 1e-12). Throws std::invalid_argument outside (0, 1).
double normalQuantile(double p);

/// k×k cell centres of the rectangle [x0, x1] × [y0, y1]: 2 × k², column r·k + c is row r (top
/// row r = 0 at the largest y, as on screen) and column c (left c = 0 at the smallest x).
/// Throws std::invalid_argument when k < 1.
Matrix gridPoints(double x0, double x1, double y0, double y1, int k);

/// k×k points at the prior's quantiles around `centre`: coordinate c is centre + Φ⁻¹((c+½)/k), so
/// each row and column holds an equal share of N(0, 1) (same layout as gridPoints).
Matrix priorQuantileGrid(int k, double centreX = 0, double centreY = 0);

}  // namespace latent
