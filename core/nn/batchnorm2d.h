// BatchNorm2D: per channel, y = γ (x - μ) / sqrt(σ² + ε) + β. Training (forward) normalises with
// the statistics of the batch slice it is given and updates running averages; inference uses the
// running averages. As PyTorch's nn.BatchNorm2d (momentum 0.1, ε 1e-5, unbiased running var).
#pragma once

#include "nn/convgeometry.h"
#include "nn/layer.h"

namespace latent {

class BatchNorm2D : public Layer {
 public:
  explicit BatchNorm2D(ImageDims dims, Scalar momentum = Scalar(0.1),
                       Scalar epsilon = Scalar(1e-5));

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
  std::vector<Parameter*> buffers() override { return {&m_runningMean, &m_runningVar}; }
  int inputSize() const override { return m_dims.size(); }
  int outputSize() const override { return m_dims.size(); }
  std::string describe() const override { return "BatchNorm2D " + m_dims.describe(); }

 private:
  void checkRows(const char* where, const Matrix& input) const;
  void updateRunningStatistics(int channel, double mean, double variance, Eigen::Index count);

  ImageDims m_dims;
  Scalar m_momentum, m_epsilon;
  Parameter m_weight;               // γ: C × 1, starts at 1
  Parameter m_bias;                 // β: C × 1, starts at 0
  Parameter m_runningMean;          // buffer: C × 1, starts at 0
  Parameter m_runningVar;           // buffer: C × 1, starts at 1
  Vector m_inverseStd;              // C: 1 / sqrt(σ²_batch + ε) of the last forward
  Matrix m_normalised;              // (C·H·W) × batch: x̂ of the last forward
  Vector m_sumGrad, m_sumGradXHat;  // C: Σ dL/dy and Σ dL/dy·x̂ of the last backward
  Matrix m_output, m_gradInput;
};

}  // namespace latent
