// im2col/col2im and the planar ↔ channels-last permutations. Memory movement only: the arithmetic
// of a convolution is in the GEMMs of its layer.
#include "nn/convgeometry.h"

#include <algorithm>
#include <stdexcept>

namespace latent {

namespace {

using ConstMap = Eigen::Map<const Matrix>;
using MutableMap = Eigen::Map<Matrix>;

// One kernel row of a patch that may hang over the border: `kernel` values from image row y
// starting at column x0, zero outside the image.
void cutClippedRow(const Scalar* plane, int height, int width, int y, int x0, int kernel,
                   Scalar* out) {
  if (y < 0 || y >= height) {
    std::fill_n(out, kernel, Scalar(0));
    return;
  }
  const Scalar* row = plane + Eigen::Index(y) * width;
  for (int kx = 0; kx < kernel; ++kx) {
    const int x = x0 + kx;
    out[kx] = (x >= 0 && x < width) ? row[x] : Scalar(0);
  }
}

void addClippedRow(const Scalar* in, int height, int width, int y, int x0, int kernel,
                   Scalar* plane) {
  if (y < 0 || y >= height) return;
  Scalar* row = plane + Eigen::Index(y) * width;
  for (int kx = 0; kx < kernel; ++kx) {
    const int x = x0 + kx;
    if (x >= 0 && x < width) row[x] += in[kx];
  }
}

// Patch with top-left corner (y0, x0) (padding already subtracted). Interior patches (the common
// case) copy whole kernel rows without bounds checks. `Kernel` > 0 fixes the width at compile
// time so the row loops unroll; 0 reads it from the geometry.
template <int Kernel>
void cutPatch(const ConvGeometry& g, const Scalar* image, int y0, int x0, Scalar* patch) {
  const int k = Kernel > 0 ? Kernel : g.kernel, h = g.image.height, w = g.image.width;
  const bool inside = y0 >= 0 && x0 >= 0 && y0 + k <= h && x0 + k <= w;
  for (int c = 0; c < g.image.channels; ++c) {
    const Scalar* plane = image + Eigen::Index(c) * h * w;
    for (int ky = 0; ky < k; ++ky, patch += k) {
      if (!inside) {
        cutClippedRow(plane, h, w, y0 + ky, x0, k, patch);
        continue;
      }
      const Scalar* row = plane + Eigen::Index(y0 + ky) * w + x0;
      for (int kx = 0; kx < k; ++kx) patch[kx] = row[kx];
    }
  }
}

template <int Kernel>
void addPatch(const ConvGeometry& g, const Scalar* patch, int y0, int x0, Scalar* image) {
  const int k = Kernel > 0 ? Kernel : g.kernel, h = g.image.height, w = g.image.width;
  const bool inside = y0 >= 0 && x0 >= 0 && y0 + k <= h && x0 + k <= w;
  for (int c = 0; c < g.image.channels; ++c) {
    Scalar* plane = image + Eigen::Index(c) * h * w;
    for (int ky = 0; ky < k; ++ky, patch += k) {
      if (!inside) {
        addClippedRow(patch, h, w, y0 + ky, x0, k, plane);
        continue;
      }
      Scalar* row = plane + Eigen::Index(y0 + ky) * w + x0;
      for (int kx = 0; kx < k; ++kx) row[kx] += patch[kx];
    }
  }
}

// Every patch of one sample, in grid order.
template <int Kernel>
void imageToColumns(const ConvGeometry& g, const Scalar* image, Scalar* patch) {
  for (int oy = 0; oy < g.gridHeight; ++oy)
    for (int ox = 0; ox < g.gridWidth; ++ox, patch += g.patchSize())
      cutPatch<Kernel>(g, image, oy * g.stride - g.padding, ox * g.stride - g.padding, patch);
}

template <int Kernel>
void columnsToImage(const ConvGeometry& g, const Scalar* patch, Scalar* image) {
  for (int oy = 0; oy < g.gridHeight; ++oy)
    for (int ox = 0; ox < g.gridWidth; ++ox, patch += g.patchSize())
      addPatch<Kernel>(g, patch, oy * g.stride - g.padding, ox * g.stride - g.padding, image);
}

using SampleMove = void (*)(const ConvGeometry&, const Scalar*, Scalar*);

// The instantiation for this kernel width: 1 to 5 unrolled, wider ones generic.
template <template <int> class Move>
SampleMove forKernel(int kernel) {
  switch (kernel) {
    case 1:
      return Move<1>::run;
    case 2:
      return Move<2>::run;
    case 3:
      return Move<3>::run;
    case 4:
      return Move<4>::run;
    case 5:
      return Move<5>::run;
    default:
      return Move<0>::run;
  }
}

template <int Kernel>
struct Cut {
  static void run(const ConvGeometry& g, const Scalar* image, Scalar* col) {
    imageToColumns<Kernel>(g, image, col);
  }
};

template <int Kernel>
struct Add {
  static void run(const ConvGeometry& g, const Scalar* col, Scalar* image) {
    columnsToImage<Kernel>(g, col, image);
  }
};

}  // namespace

std::string ImageDims::describe() const {
  return std::to_string(channels) + "×" + std::to_string(height) + "×" + std::to_string(width);
}

int convOutputSize(int size, int kernel, int stride, int padding) {
  const int span = size + 2 * padding - kernel;
  return span < 0 ? 0 : span / stride + 1;
}

ConvGeometry ConvGeometry::forImage(ImageDims image, int kernel, int stride, int padding) {
  if (image.channels <= 0 || image.height <= 0 || image.width <= 0 || kernel <= 0 || stride <= 0 ||
      padding < 0)
    throw std::invalid_argument("convolution on " + image.describe() + " with kernel " +
                                std::to_string(kernel) + ", stride " + std::to_string(stride) +
                                ", padding " + std::to_string(padding) +
                                ": sizes must be positive (padding >= 0)");
  ConvGeometry g{image, kernel, stride, padding, 0, 0};
  g.gridHeight = convOutputSize(image.height, kernel, stride, padding);
  g.gridWidth = convOutputSize(image.width, kernel, stride, padding);
  if (g.gridHeight == 0 || g.gridWidth == 0)
    throw std::invalid_argument("a " + std::to_string(kernel) + "×" + std::to_string(kernel) +
                                " kernel with padding " + std::to_string(padding) +
                                " does not fit a " + image.describe() + " image");
  return g;
}

void im2col(const ConvGeometry& g, const MatrixView& images, Matrix& col) {
  const Eigen::Index batch = images.cols(), positions = g.positions();
  col.resize(g.patchSize(), batch * positions);
  const SampleMove cut = forKernel<Cut>(g.kernel);
  for (Eigen::Index b = 0; b < batch; ++b)
    cut(g, images.col(b).data(), col.col(b * positions).data());
}

void col2im(const ConvGeometry& g, const Matrix& col, Matrix& images) {
  const Eigen::Index positions = g.positions(), batch = col.cols() / positions;
  images.setZero(g.image.size(), batch);
  const SampleMove add = forKernel<Add>(g.kernel);
  for (Eigen::Index b = 0; b < batch; ++b)
    add(g, col.col(b * positions).data(), images.col(b).data());
}

void toChannelsLast(const MatrixView& planar, int channels, int positions, Matrix& channelsLast) {
  const Eigen::Index batch = planar.cols(), block = Eigen::Index(channels) * positions;
  channelsLast.resize(channels, batch * positions);
  for (Eigen::Index b = 0; b < batch; ++b)
    MutableMap(channelsLast.data() + b * block, channels, positions) =
        ConstMap(planar.col(b).data(), positions, channels).transpose();
}

void fromChannelsLast(const Matrix& channelsLast, int channels, int positions, Matrix& planar) {
  const Eigen::Index block = Eigen::Index(channels) * positions;
  const Eigen::Index batch = channelsLast.cols() / positions;
  planar.resize(block, batch);
  for (Eigen::Index b = 0; b < batch; ++b)
    MutableMap(planar.col(b).data(), positions, channels) =
        ConstMap(channelsLast.data() + b * block, channels, positions).transpose();
}

void addChannelBias(const Matrix& bias, int positions, Matrix& planar) {
  const auto channels = bias.rows();
  for (Eigen::Index b = 0; b < planar.cols(); ++b)
    MutableMap(planar.col(b).data(), positions, channels).rowwise() += bias.col(0).transpose();
}

void addChannelSums(const Matrix& planar, int positions, Matrix& sums, bool accumulate) {
  const Eigen::Index channels = planar.rows() / positions;
  if (!accumulate) sums.setZero(channels, 1);
  for (Eigen::Index b = 0; b < planar.cols(); ++b)
    sums.col(0) += ConstMap(planar.col(b).data(), positions, channels).colwise().sum().transpose();
}

}  // namespace latent
