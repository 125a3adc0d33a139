// MaxPool2D: the largest value of each kernel×kernel window per channel (padding never wins, as
// in PyTorch); backward routes each output's gradient to the input that won.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/convgeometry.h"
#include "nn/layer.h"

namespace latent {

class MaxPool2D : public Layer {
 public:
  /// stride 0 means stride = kernel (PyTorch's default). padding <= kernel/2.
  MaxPool2D(ImageDims input, int kernel, int stride = 0, int padding = 0);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  int inputSize() const override { return m_geometry.image.size(); }
  int outputSize() const override { return m_outputDims.size(); }
  std::string describe() const override;
  ImageDims outputDims() const { return m_outputDims; }

 private:
  /// out: outputSize × batch; winners: the row of each output's winning input, same layout.
  void pool(const Matrix& input, Matrix& out, std::vector<int32_t>& winners) const;

  ConvGeometry m_geometry;  // windows = patches, one channel at a time
  ImageDims m_outputDims;
  std::vector<int32_t> m_winners;  // outputSize × batch, column-major: input row of each max
  Eigen::Index m_batch = 0;
  Matrix m_output, m_gradInput;
};

}  // namespace latent
