// Standalone activation and dropout layers, for networks that keep the activation separate from
// the Dense layer (Dense normally fuses it).
#pragma once

#include "nn/activation.h"
#include "nn/layer.h"

namespace latent {

class ActivationLayer : public Layer {
 public:
  ActivationLayer(int size, Activation activation) : m_size(size), m_activation(activation) {}

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;
  int inputSize() const override { return m_size; }
  int outputSize() const override { return m_size; }
  std::string describe() const override { return toString(m_activation); }

 private:
  int m_size;
  Activation m_activation;
  const Matrix* m_input = nullptr;  // size × batch (pre-activation)
  Matrix m_output, m_gradInput;     // size × batch
};

/// Inverted dropout: in training each value is zeroed with probability `rate` and the survivors
/// are scaled by 1/(1-rate), so inference is the identity.
class Dropout : public Layer {
 public:
  Dropout(int size, Scalar rate);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override { return input; }
  int inputSize() const override { return m_size; }
  int outputSize() const override { return m_size; }
  std::string describe() const override;
  void setTraining(bool training, Rng* rng) override {
    m_training = training;
    m_rng = rng;
  }

 private:
  int m_size;
  Scalar m_rate;
  bool m_training = false;
  Rng* m_rng = nullptr;  // owned by the caller (one per replica)
  Matrix m_mask;         // size × batch: 0 or 1/(1-rate)
  Matrix m_output, m_gradInput;
};

}  // namespace latent
