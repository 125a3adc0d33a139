// Reshape (Flatten / Unflatten): a sample column already holds C×H×W row-major, which is also the
// flattened vector, so the layer passes data through unchanged. It exists so that layer lists and
// parameter indices read like PyTorch's (nn.Flatten, nn.Unflatten).
#pragma once

#include <string>

#include "nn/layer.h"

namespace latent {

class Reshape : public Layer {
 public:
  /// description: what the user sees, e.g. "Flatten 32×7×7→1568".
  Reshape(int size, std::string description)
      : m_size(size), m_description(std::move(description)) {}

  const Matrix& forward(const Matrix& input) override { return input; }
  const Matrix& backward(const Matrix& gradOutput) override { return gradOutput; }
  Matrix infer(const Matrix& input) const override { return input; }
  int inputSize() const override { return m_size; }
  int outputSize() const override { return m_size; }
  std::string describe() const override { return m_description; }

 private:
  int m_size;
  std::string m_description;
};

}  // namespace latent
