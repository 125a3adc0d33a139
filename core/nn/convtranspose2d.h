// ConvTranspose2D: the adjoint of a convolution ("fractionally strided"), used to upsample in
// decoders: y = f(Wᵀ ⋆ x + b). Output side (H - 1)·stride - 2·padding + kernel + outputPadding,
// as PyTorch's nn.ConvTranspose2d. Computed as one GEMM for the batch + col2im.
#pragma once

#include "nn/activation.h"
#include "nn/convgeometry.h"
#include "nn/layer.h"

namespace latent {

struct ConvTransposeOptions {
  int kernel = 3;
  int stride = 1;
  int padding = 0;
  int outputPaddingHeight = 0;  // extra rows at the bottom; must be < stride
  int outputPaddingWidth = 0;   // extra columns on the right; must be < stride
  Activation activation = Activation::Identity;
};

class ConvTranspose2D : public Layer {
 public:
  /// Throws std::invalid_argument when the sizes do not give a valid output (outputPadding must
  /// be smaller than the stride, as in PyTorch).
  ConvTranspose2D(ImageDims input, int outChannels, ConvTransposeOptions options);

  /// PyTorch's nn.ConvTranspose2d default: U(-1/sqrt(C_out·k·k), 1/sqrt(C_out·k·k)).
  void initialise(Rng& rng);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
  int inputSize() const override { return m_inputDims.size(); }
  int outputSize() const override { return m_geometry.image.size(); }
  std::string describe() const override;

  ImageDims inputDims() const { return m_inputDims; }
  ImageDims outputDims() const { return m_geometry.image; }

  /// The output side for an input side: (size - 1)·stride - 2·padding + kernel + outputPadding.
  static int outputSizeFor(int size, int kernel, int stride, int padding, int outputPadding);

 private:
  /// z = Wᵀ ⋆ x + b for whole columns: xc and col are work buffers.
  void transposedConvolve(const MatrixView& input, Matrix& xc, Matrix& col, Matrix& z) const;
  void checkRows(const char* where, const Matrix& input) const;

  ImageDims m_inputDims;
  ConvGeometry m_geometry;  // over the OUTPUT image: its patches are the input positions
  int m_outputPaddingHeight, m_outputPaddingWidth;
  Activation m_activation;
  Parameter m_weight;  // C_in × (C_out·k·k), columns (c·k + ky)·k + kx; file [C_in, C_out, k, k]
  Parameter m_bias;    // C_out × 1
  Matrix m_xc;         // C_in × (batch·positions_in): the input, channels last
  Matrix m_col;        // (C_out·k·k) × (batch·positions_in): Wᵀ·xc, scattered by col2im
  Matrix m_preActivation, m_output;  // (C_out·H_out·W_out) × batch
  Matrix m_gradZ;                    // (C_out·H_out·W_out) × batch
  Matrix m_gradCol;                  // (C_out·k·k) × (batch·positions_in): im2col of dL/dz
  Matrix m_gradXc;                   // C_in × (batch·positions_in)
  Matrix m_gradInput;                // (C_in·H_in·W_in) × batch
};

}  // namespace latent
