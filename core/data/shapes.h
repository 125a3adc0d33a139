// The built-in "Shapes" dataset: 28×28 grayscale outlines of circles, squares, triangles and
// crosses, generated from a seed so the first run needs no download.
#pragma once

#include "data/dataset.h"

namespace latent {

/// Side of the square images, in pixels.
constexpr int ShapesImageSize = 28;

/// `count` images (Shape::image(1, 28, 28), values in [0,1], samples: 784 × count) of anti-aliased
/// outlines with a random position, size, rotation, stroke width and brightness. Labels 0..3
/// (circle, square, triangle, cross) cycle, so the classes are balanced (counts differ by at most
/// one). Same (count, seed) → same bytes on every platform. Throws std::invalid_argument when
/// count < 0.
Dataset makeShapesDataset(int count, unsigned seed);

}  // namespace latent
