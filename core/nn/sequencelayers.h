// The small layers around an LSTM autoencoder, on time-major columns (step t's features at rows
// t·F .. t·F + F - 1): RepeatVector feeds one vector to every step, TimeDistributedDense applies
// one Dense layer to every step, ReverseTime flips the order of the steps. Kept together because
// each is a few lines and they only make sense with each other and Lstm.
#pragma once

#include "nn/activation.h"
#include "nn/layer.h"

namespace latent {

/// features × batch → (steps·features) × batch, the input repeated at every step (Keras'
/// RepeatVector). Backward sums the steps' gradients.
class RepeatVector : public Layer {
 public:
  RepeatVector(int steps, int features);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;
  int inputSize() const override { return m_features; }
  int outputSize() const override { return m_steps * m_features; }
  std::string describe() const override;

 private:
  int m_steps, m_features;
  Matrix m_output;     // (steps·features) × batch
  Matrix m_gradInput;  // features × batch
};

/// y_t = f(W x_t + b) at every step with one weight (PyTorch: nn.Linear on a (batch, T, F)
/// tensor). One GEMM for all steps: the time-major columns are already features × (batch·steps).
class TimeDistributedDense : public Layer {
 public:
  TimeDistributedDense(int steps, int inputs, int outputs,
                       Activation activation = Activation::Identity);

  /// PyTorch's nn.Linear default: U(-1/sqrt(inputs), 1/sqrt(inputs)).
  void initialise(Rng& rng);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;
  std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
  int inputSize() const override { return m_steps * m_inputs; }
  int outputSize() const override { return m_steps * m_outputs; }
  std::string describe() const override;

 private:
  void product(const Matrix& input, Matrix& z) const;

  int m_steps, m_inputs, m_outputs;
  Activation m_activation;
  Parameter m_weight;                         // outputs × inputs
  Parameter m_bias;                           // outputs × 1
  const Matrix* m_input = nullptr;            // (steps·inputs) × batch
  Matrix m_preActivation, m_output, m_gradZ;  // (steps·outputs) × batch
  Matrix m_gradInput;                         // (steps·inputs) × batch
};

/// Step t ↔ step T-1-t (for decoders that emit a sequence backwards, "reversed target").
class ReverseTime : public Layer {
 public:
  ReverseTime(int steps, int features);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;
  int inputSize() const override { return m_steps * m_features; }
  int outputSize() const override { return m_steps * m_features; }
  std::string describe() const override;

 private:
  void reverse(const Matrix& in, Matrix& out) const;

  int m_steps, m_features;
  Matrix m_output, m_gradInput;  // (steps·features) × batch
};

}  // namespace latent
