// Conv2D: a 2-D convolution (square kernel, stride, zero padding, dilation 1) with a fused
// activation, y = f(W ⋆ x + b), computed as im2col + one GEMM for the whole batch.
#pragma once

#include "nn/activation.h"
#include "nn/convgeometry.h"
#include "nn/layer.h"

namespace latent {

struct ConvOptions {
  int kernel = 3;
  int stride = 1;
  int padding = 0;
  Activation activation = Activation::Identity;
};

class Conv2D : public Layer {
 public:
  /// input: the image each column holds. Throws std::invalid_argument when the kernel does not fit.
  Conv2D(ImageDims input, int outChannels, ConvOptions options);

  /// PyTorch's nn.Conv2d default: W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in·k·k.
  void initialise(Rng& rng);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
  int inputSize() const override { return m_geometry.image.size(); }
  int outputSize() const override { return m_outputDims.size(); }
  std::string describe() const override;

  ImageDims inputDims() const { return m_geometry.image; }
  ImageDims outputDims() const { return m_outputDims; }

 private:
  /// z = W ⋆ x + b for whole columns: col and zc are work buffers.
  void convolve(const MatrixView& input, Matrix& col, Matrix& zc, Matrix& z) const;
  void checkRows(const char* where, const Matrix& input) const;

  ConvGeometry m_geometry;  // input image, kernel, stride, padding, output grid
  ImageDims m_outputDims;   // C_out × grid
  Activation m_activation;
  Parameter m_weight;  // C_out × (C_in·k·k), columns (c·k + ky)·k + kx; file [C_out, C_in, k, k]
  Parameter m_bias;    // C_out × 1
  Matrix m_col;        // (C_in·k·k) × (batch·positions): im2col of the input
  Matrix m_zc;         // C_out × (batch·positions): W·col + b, channels last
  Matrix m_preActivation, m_output;  // (C_out·positions) × batch, planar
  Matrix m_gradZ;                    // (C_out·positions) × batch: dL/dz
  Matrix m_gradZc;                   // C_out × (batch·positions)
  Matrix m_gradCol;                  // (C_in·k·k) × (batch·positions)
  Matrix m_gradInput;                // (C_in·H·W) × batch
};

}  // namespace latent
