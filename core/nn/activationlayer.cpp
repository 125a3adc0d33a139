// ActivationLayer and Dropout.
#include "nn/activationlayer.h"

namespace latent {

const Matrix& ActivationLayer::forward(const Matrix& input) {
  m_input = &input;
  m_output = input;
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& ActivationLayer::backward(const Matrix& gradOutput) {
  m_gradInput = gradOutput;
  multiplyByDerivative(m_activation, *m_input, m_output, m_gradInput);
  return m_gradInput;
}

Matrix ActivationLayer::infer(const Matrix& input) const {
  Matrix y = input;
  activateInPlace(m_activation, y);
  return y;
}

Dropout::Dropout(int size, Scalar rate) : m_size(size), m_rate(rate) {
  if (!(rate >= 0 && rate < 1))
    throw std::invalid_argument("Dropout: rate must be in [0, 1), got " + std::to_string(rate));
}

const Matrix& Dropout::forward(const Matrix& input) {
  if (!m_training || m_rate == 0 || m_rng == nullptr) {
    m_mask.setConstant(input.rows(), input.cols(), Scalar(1));
  } else {
    const Scalar keep = Scalar(1) / (Scalar(1) - m_rate);
    m_mask.resize(input.rows(), input.cols());
    for (Eigen::Index i = 0; i < m_mask.size(); ++i)
      m_mask.data()[i] = m_rng->uniform() < m_rate ? Scalar(0) : keep;
  }
  m_output = input.cwiseProduct(m_mask);
  return m_output;
}

const Matrix& Dropout::backward(const Matrix& gradOutput) {
  m_gradInput = gradOutput.cwiseProduct(m_mask);
  return m_gradInput;
}

std::string Dropout::describe() const { return "Dropout " + std::to_string(m_rate); }

}  // namespace latent
