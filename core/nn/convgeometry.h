// Geometry of a 2-D convolution and the data movements around its GEMMs: im2col/col2im and the
// switch between the core's planar sample layout (C×H×W per column) and the channels-last layout
// (C × batch·positions) that turns a whole batch's convolution into one matrix product.
#pragma once

#include <string>

#include "data/types.h"

namespace latent {


/// Channels × height × width of one image; a sample column holds it row-major (c, y, x).
struct ImageDims {
  int channels = 1, height = 1, width = 1;

  int size() const { return channels * height * width; }
  int positions() const { return height * width; }
  /// "16×14×14"
  std::string describe() const;
  bool operator==(const ImageDims&) const = default;
};

/// Output side of a convolution: floor((size + 2·padding - kernel) / stride) + 1, or 0 when the
/// kernel does not fit.
int convOutputSize(int size, int kernel, int stride, int padding);

/// A square kernel sliding with `stride` over an image padded by `padding` zeros on every side.
/// Patch (oy, ox) covers rows oy·stride - padding + [0, kernel) and the same for columns.
struct ConvGeometry {
  ImageDims image;  // the side the patches are cut from (Conv2D input, ConvTranspose2D output)
  int kernel = 1, stride = 1, padding = 0;
  int gridHeight = 1, gridWidth = 1;  // patches per column and per row

  /// The grid a convolution gives: convOutputSize in each direction. Throws std::invalid_argument
  /// naming the sizes when the kernel does not fit or an argument is not positive.
  static ConvGeometry forImage(ImageDims image, int kernel, int stride, int padding);

  int patchSize() const { return image.channels * kernel * kernel; }  // rows of a column matrix
  int positions() const { return gridHeight * gridWidth; }
};

/// col: patchSize × (batch·positions), column b·positions + oy·gridWidth + ox holding patch (oy,
/// ox) of sample b with rows (c·kernel + ky)·kernel + kx, zeros where it hangs over the border.
/// images: image.size() × batch. `col` is resized.
void im2col(const ConvGeometry& g, const MatrixView& images, Matrix& col);

/// The adjoint of im2col: every patch entry is added to the pixel it was cut from; padding
/// entries are dropped. images: image.size() × batch (resized and overwritten).
void col2im(const ConvGeometry& g, const Matrix& col, Matrix& images);

/// planar: (channels·positions) × batch → channelsLast: channels × (batch·positions).
void toChannelsLast(const MatrixView& planar, int channels, int positions, Matrix& channelsLast);
/// The inverse: channelsLast: channels × (batch·positions) → planar: (channels·positions) × batch.
void fromChannelsLast(const Matrix& channelsLast, int channels, int positions, Matrix& planar);

/// planar(c·positions + p, b) += bias(c) for every position and sample. bias: channels × 1.
void addChannelBias(const Matrix& bias, int positions, Matrix& planar);
/// sums(c) (+)= Σ over samples and positions of planar(c·positions + p, b) (or = when !accumulate).
void addChannelSums(const Matrix& planar, int positions, Matrix& sums, bool accumulate);

}  // namespace latent
