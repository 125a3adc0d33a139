// LSTM: a long short-term memory layer over sequences stored time-major in each column
// (T steps × F features, value (t, f) at row t·F + f), as PyTorch's nn.LSTM (gate order i, f, g,
// o; two biases). Forward runs one GEMM for every step's input projection, then one GEMM per step
// for the recurrent projection of all four gates; backward is backpropagation through time with
// the weight gradients gathered in one GEMM each after the loop.
#pragma once

#include "nn/layer.h"

namespace latent {

class Lstm : public Layer {
 public:
  /// returnSequences: output every step's hidden state (T·hidden rows, time-major), else only the
  /// last step's (hidden rows).
  Lstm(int steps, int inputs, int hidden, bool returnSequences);

  /// PyTorch's default, every weight and bias ~ U(-1/sqrt(hidden), 1/sqrt(hidden)), except the
  /// forget gate's biases: bias_ih `forgetBias` and bias_hh 0, so the cell keeps its memory at
  /// the start of training (1 is Keras' unit_forget_bias).
  void initialise(Rng& rng, Scalar forgetBias = 1);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  std::vector<Parameter*> parameters() override {
    return {&m_weightIh, &m_weightHh, &m_biasIh, &m_biasHh};
  }
  int inputSize() const override { return m_steps * m_inputs; }
  int outputSize() const override { return m_returnSequences ? m_steps * m_hidden : m_hidden; }
  std::string describe() const override;

  /// The values a forward pass keeps for backpropagation through time. Columns b·T + t.
  struct Trace {
    Matrix gates;      // 4H × (batch·T): activated i, f, g, o
    Matrix cells;      // H × (batch·T): c_t
    Matrix tanhCells;  // H × (batch·T): tanh(c_t)
    Matrix hidden;     // (T·H) × batch, i.e. H × (batch·T): h_t
  };

 private:
  void run(const MatrixView& input, Trace& trace) const;
  void step(int t, Trace& trace) const;
  void backwardStep(int t, const Matrix& gradOutput);
  void checkRows(const char* where, Eigen::Index rows) const;

  int m_steps, m_inputs, m_hidden;
  bool m_returnSequences;
  Parameter m_weightIh;  // 4H × F: input projection of the gates i, f, g, o (row blocks of H)
  Parameter m_weightHh;  // 4H × H: recurrent projection
  Parameter m_biasIh;    // 4H × 1
  Parameter m_biasHh;    // 4H × 1
  const Matrix* m_input = nullptr;  // (T·F) × batch
  Trace m_trace;
  Matrix m_output;      // (T·H or H) × batch
  Matrix m_gradGates;   // 4H × (batch·T): dL/d(gate pre-activations)
  Matrix m_gradHidden;  // H × batch: dL/dh_t flowing back from step t + 1
  Matrix m_gradCell;    // H × batch: dL/dc_t flowing back from step t + 1
  Matrix m_hiddenPrev;  // H × (batch·T): h_{t-1} at column b·T + t (zero for t = 0)
  Matrix m_gradBias;    // 4H × 1: Σ over samples and steps of dL/dz
  Matrix m_gradInput;   // (T·F) × batch
};

}  // namespace latent
