// Dense (fully connected) layer with a fused activation: y = f(W x + b).
#pragma once

#include "nn/activation.h"
#include "nn/gemm.h"
#include "nn/layer.h"

namespace latent {

class Dense : public Layer {
 public:
  Dense(int inputs, int outputs, Activation activation = Activation::Identity);

  /// PyTorch's nn.Linear default: W, b ~ U(-1/sqrt(in), 1/sqrt(in)).
  void initialise(Rng& rng);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override { return {&m_weight, &m_bias}; }
  int inputSize() const override { return static_cast<int>(m_weight.value->cols()); }
  int outputSize() const override { return static_cast<int>(m_weight.value->rows()); }
  std::string describe() const override;

  void setMixedPrecision(bool on) override { m_mixedPrecision = on; }
  Activation activation() const { return m_activation; }
  const Matrix& weight() const { return *m_weight.value; }  // outputs × inputs
  const Matrix& bias() const { return *m_bias.value; }      // outputs × 1

 private:
  Activation m_activation;
  Parameter m_weight;               // outputs × inputs
  Parameter m_bias;                 // outputs × 1
  const Matrix* m_input = nullptr;  // inputs × batch, owned by the previous layer (or the caller)
  Matrix m_preActivation;           // outputs × batch: z = W x + b (kept only when f' needs z)
  Matrix m_output;                  // outputs × batch: y = f(z)
  Matrix m_gradZ;                   // outputs × batch: dL/dz
  Matrix m_gradInput;               // inputs × batch
  bool m_mixedPrecision = false;
  Bf16Matrix m_weightBf16, m_inputBf16, m_gradZBf16;  // bfloat16 copies for mixed precision
};

/// A decoder layer that reuses an encoder Dense's weight transposed ("tied weights"):
/// y = f(Wᵀ x + b'), with its own bias. Its weight gradient is added into the source layer's.
class TiedDense : public Layer {
 public:
  TiedDense(Dense& source, Activation activation);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override { return {&m_bias}; }
  int inputSize() const override { return m_source.outputSize(); }
  int outputSize() const override { return m_source.inputSize(); }
  std::string describe() const override;

 private:
  Dense& m_source;            // same model; outlives this layer
  Parameter* m_sourceWeight;  // the source's weight (outputs_src × inputs_src)
  Activation m_activation;
  Parameter m_bias;  // inputs_src × 1
  const Matrix* m_input = nullptr;
  Matrix m_preActivation, m_output, m_gradZ, m_gradInput;
};

}  // namespace latent
