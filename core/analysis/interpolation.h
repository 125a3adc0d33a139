// Interpolation between two latent vectors: straight lines, and great circles about the origin
// (slerp, White 2016) for VAEs, whose prior puts little mass near the straight line's middle.
#pragma once

#include "data/types.h"

namespace latent {

enum class InterpolationKind { Linear, Slerp };

/// a + t (b − a).
Vector lerp(const Vector& a, const Vector& b, float t);
/// The direction moves along the great circle from â to b̂ (sin((1−t)θ)/sin θ · â + sin(tθ)/sin θ
/// · b̂, θ the angle between them) while the length goes linearly from |a| to |b|. With |a| = |b|
/// this is White's slerp; unlike his formula applied to unequal lengths it never overshoots
/// (|a| = 0.2, |b| = 2.7 at 158° would put the middle at length 6.5). Falls back to lerp when θ is
/// below 1e-4 rad or a or b is zero (no direction there). t = 0 and t = 1 give a and b exactly.
/// Throws std::invalid_argument when the sizes differ.
Vector slerp(const Vector& a, const Vector& b, float t);

/// n ≥ 2 points from a to b (both included, evenly spaced in t): latent × n, column 0 == a and
/// column n−1 == b exactly. Throws std::invalid_argument when n < 2 or the sizes differ.
Matrix interpolate(const Vector& a, const Vector& b, int n, InterpolationKind kind);

}  // namespace latent
