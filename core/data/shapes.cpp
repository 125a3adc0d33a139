// Shapes dataset rendering: each pixel's intensity comes from its distance to the shape's outline
// (analytic for the circle, nearest segment for the polygons and the cross), which anti-aliases
// the stroke without supersampling.
#include "data/shapes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "data/rng.h"

namespace latent {

namespace {

constexpr int ClassCount = 4;  // circle, square, triangle, cross
constexpr float Size = float(ShapesImageSize);

struct Point {
  float x = 0, y = 0;
};

/// One image's random parameters, in pixel units (pixel centres at i + 0.5).
struct ShapeParams {
  int kind = 0;
  Point centre;
  float radius = 0;      // circumradius of the polygon, or the circle's radius
  float angle = 0;       // rotation in radians
  float stroke = 0;      // line width
  float brightness = 0;  // peak intensity
};

ShapeParams drawParams(int kind, Rng& rng) {
  ShapeParams p;
  p.kind = kind;
  p.radius = 5.0f + 5.0f * rng.uniform();
  p.stroke = 1.2f + 1.6f * rng.uniform();
  p.angle = 2.0f * std::numbers::pi_v<float> * rng.uniform();
  p.brightness = 0.75f + 0.25f * rng.uniform();
  // Keep the whole stroke (plus a pixel of anti-aliasing) inside the image.
  const float margin = p.radius + 0.5f * p.stroke + 1.0f;
  p.centre.x = margin + (Size - 2 * margin) * rng.uniform();
  p.centre.y = margin + (Size - 2 * margin) * rng.uniform();
  return p;
}

float squaredDistanceToSegment(Point p, Point a, Point b) {
  const float abx = b.x - a.x, aby = b.y - a.y;
  const float apx = p.x - a.x, apy = p.y - a.y;
  const float t = std::clamp((apx * abx + apy * aby) / (abx * abx + aby * aby), 0.0f, 1.0f);
  const float dx = apx - t * abx, dy = apy - t * aby;
  return dx * dx + dy * dy;
}

/// The outline as line segments (all shapes but the circle), already rotated and placed.
struct Segments {
  std::array<Point, 8> ends;  // segment i runs from ends[2i] to ends[2i+1]
  int count = 0;
};

Point onCircle(const ShapeParams& s, float radius, float angle) {
  return {s.centre.x + radius * std::cos(s.angle + angle),
          s.centre.y + radius * std::sin(s.angle + angle)};
}

Segments segmentsOf(const ShapeParams& s) {
  constexpr float Pi = std::numbers::pi_v<float>;
  Segments out;
  if (s.kind == 3) {  // cross: two perpendicular strokes through the centre
    out.ends = {onCircle(s, s.radius, 0), onCircle(s, s.radius, Pi), onCircle(s, s.radius, Pi / 2),
                onCircle(s, s.radius, 3 * Pi / 2)};
    out.count = 2;
    return out;
  }
  const int corners = s.kind == 1 ? 4 : 3;
  const float radius = s.kind == 1 ? s.radius * 0.85f : s.radius;  // similar visual size
  for (int i = 0; i < corners; ++i) {
    out.ends[2 * i] = onCircle(s, radius, 2 * Pi * i / corners);
    out.ends[2 * i + 1] = onCircle(s, radius, 2 * Pi * (i + 1) / corners);
  }
  out.count = corners;
  return out;
}

float distanceToOutline(const ShapeParams& s, const Segments& segments, Point p) {
  if (s.kind == 0) return std::abs(std::hypot(p.x - s.centre.x, p.y - s.centre.y) - s.radius);
  float d2 = std::numeric_limits<float>::max();
  for (int i = 0; i < segments.count; ++i)
    d2 = std::min(d2, squaredDistanceToSegment(p, segments.ends[2 * i], segments.ends[2 * i + 1]));
  return std::sqrt(d2);
}

/// Writes one image (row-major, ShapesImageSize² values, zero-initialised) into `out`.
void render(const ShapeParams& s, Scalar* out) {
  const Segments segments = segmentsOf(s);
  // Coverage falls linearly over one pixel around the stroke's edge: a cheap box-filter estimate.
  const float halfStroke = 0.5f * s.stroke;
  // Only pixels within reach of the outline can be non-zero (drawParams keeps them in the image).
  const float reach = s.radius + halfStroke + 1.0f;
  const int x0 = std::max(0, int(s.centre.x - reach)),
            x1 = std::min(ShapesImageSize, int(s.centre.x + reach) + 1);
  const int y0 = std::max(0, int(s.centre.y - reach)),
            y1 = std::min(ShapesImageSize, int(s.centre.y + reach) + 1);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const float d = distanceToOutline(s, segments, {x + 0.5f, y + 0.5f});
      const float coverage = std::clamp(halfStroke + 0.5f - d, 0.0f, 1.0f);
      out[y * ShapesImageSize + x] = s.brightness * coverage;
    }
}

}  // namespace

Dataset makeShapesDataset(int count, unsigned seed) {
  if (count < 0)
    throw std::invalid_argument("makeShapesDataset: count must be >= 0, got " +
                                std::to_string(count));
  Dataset d;
  d.name = "Shapes (built-in)";
  d.shape = Shape::image(1, ShapesImageSize, ShapesImageSize);
  d.classNames = {"circle", "square", "triangle", "cross"};
  d.normalisation.kind = Normalisation::Kind::Range01;
  d.normalisation.scale = {1.0f};
  d.normalisation.offset = {0.0f};
  d.samples = Matrix::Zero(d.shape.size(), count);
  d.labels.resize(count);
  for (int i = 0; i < count; ++i) {
    Rng rng = Rng::derive(seed, uint64_t(i));  // per image: independent of the count
    d.labels[i] = i % ClassCount;
    render(drawParams(d.labels[i], rng), d.samples.col(i).data());
  }
  return d;
}

}  // namespace latent
