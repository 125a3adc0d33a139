// Dense and TiedDense forward/backward.
#include "nn/dense.h"

#include <cmath>
#include <sstream>

#include "nn/gemm.h"

namespace latent {

namespace {
Parameter makeParameter(const std::string& name, int rows, int cols) {
  Parameter p{name, std::make_shared<Matrix>(Matrix::Zero(rows, cols)), Matrix::Zero(rows, cols)};
  return p;
}

// Built with a stream: GCC 12 warns falsely (-Wrestrict, bug 105329) on chained string '+'.
std::string describeDense(const char* kind, int in, int out, Activation a) {
  std::ostringstream s;
  s << kind << ' ' << in << "→" << out;
  if (a != Activation::Identity) s << ' ' << toString(a);
  return s.str();
}
// dL/db (+)= Σ_batch dL/dz, overwriting a gradient that is only flagged zero.
void addBiasGradient(const Matrix& gradZ, Parameter& bias) {
  if (bias.gradIsZero)
    bias.grad.noalias() = gradZ.rowwise().sum();
  else
    bias.grad.noalias() += gradZ.rowwise().sum();
  bias.gradIsZero = false;
}
}  // namespace

Dense::Dense(int inputs, int outputs, Activation activation)
    : m_activation(activation),
      m_weight(makeParameter("weight", outputs, inputs)),
      m_bias(makeParameter("bias", outputs, 1)) {
  if (inputs <= 0 || outputs <= 0)
    throw std::invalid_argument("Dense: sizes must be positive, got " +
                                shapeString(outputs, inputs));
}

void Dense::initialise(Rng& rng) {
  const Scalar bound = Scalar(1) / std::sqrt(static_cast<Scalar>(inputSize()));
  auto draw = [&](Scalar) { return (Scalar(2) * rng.uniform() - Scalar(1)) * bound; };
  *m_weight.value = m_weight.value->unaryExpr(draw);
  *m_bias.value = m_bias.value->unaryExpr(draw);
}

const Matrix& Dense::forward(const Matrix& input) {
  if (input.rows() != inputSize())
    throw std::invalid_argument("Dense::forward: weight " + shapeString(outputSize(), inputSize()) +
                                " cannot take input " + shapeString(input.rows(), input.cols()));
  m_input = &input;
  Matrix& z = activationNeedsPreActivation(m_activation) ? m_preActivation : m_output;
  if (m_mixedPrecision) {  // the bfloat16 copies are reused by backward (weights unchanged till
                           // then)
    toBf16(*m_weight.value, m_weightBf16);
    toBf16(input, m_inputBf16);
    gemmForward(m_weightBf16, m_inputBf16, z);
  } else {
    gemmForward(*m_weight.value, input, z);
  }
  z.colwise() += m_bias.value->col(0);
  if (activationNeedsPreActivation(m_activation)) {
    m_output = z;
  }
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& Dense::backward(const Matrix& gradOutput) {
  // dL/dz = dL/dy ⊙ f'(z);  dL/dW += dL/dz · xᵀ;  dL/db += Σ_batch dL/dz;  dL/dx = Wᵀ · dL/dz
  derivativeProduct(m_activation, m_preActivation, m_output, gradOutput, m_gradZ);
  addBiasGradient(m_gradZ, m_bias);
  const bool accumulate = !m_weight.gradIsZero;
  m_weight.gradIsZero = false;
  if (m_mixedPrecision) {
    toBf16(m_gradZ, m_gradZBf16);
    gemmWeightGradient(m_gradZBf16, m_inputBf16, m_weight.grad, accumulate);
    if (m_computeInputGradient) gemmInputGradient(m_weightBf16, m_gradZBf16, m_gradInput);
  } else {
    gemmWeightGradient(m_gradZ, *m_input, m_weight.grad, accumulate);
    if (m_computeInputGradient) gemmInputGradient(*m_weight.value, m_gradZ, m_gradInput);
  }
  return m_gradInput;
}

Matrix Dense::infer(const Matrix& input) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument("Dense::infer: weight " + shapeString(outputSize(), inputSize()) +
                                " cannot take input " + shapeString(input.rows(), input.cols()));
  Matrix y(outputSize(), input.cols());
  y.noalias() = *m_weight.value * input;
  y.colwise() += m_bias.value->col(0);
  activateInPlace(m_activation, y);
  return y;
}

std::string Dense::describe() const {
  return describeDense("Dense", inputSize(), outputSize(), m_activation);
}

TiedDense::TiedDense(Dense& source, Activation activation)
    : m_source(source),
      m_sourceWeight(source.parameters().at(0)),
      m_activation(activation),
      m_bias(makeParameter("bias", source.inputSize(), 1)) {}

const Matrix& TiedDense::forward(const Matrix& input) {
  if (input.rows() != inputSize())
    throw std::invalid_argument("TiedDense::forward: expects " + std::to_string(inputSize()) +
                                " rows, got " + shapeString(input.rows(), input.cols()));
  m_input = &input;
  Matrix& z = activationNeedsPreActivation(m_activation) ? m_preActivation : m_output;
  z.resize(outputSize(), input.cols());
  z.noalias() = m_sourceWeight->value->transpose() * input;
  z.colwise() += m_bias.value->col(0);
  if (activationNeedsPreActivation(m_activation)) m_output = z;
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& TiedDense::backward(const Matrix& gradOutput) {
  // y = f(Wᵀx + b):  dL/dW += (dL/dz · xᵀ)ᵀ = x · dL/dzᵀ;  dL/dx = W · dL/dz
  derivativeProduct(m_activation, m_preActivation, m_output, gradOutput, m_gradZ);
  m_sourceWeight->materialisedGrad().noalias() += *m_input * m_gradZ.transpose();
  addBiasGradient(m_gradZ, m_bias);
  if (m_computeInputGradient) {
    m_gradInput.resize(inputSize(), gradOutput.cols());
    m_gradInput.noalias() = *m_sourceWeight->value * m_gradZ;
  }
  return m_gradInput;
}

Matrix TiedDense::infer(const Matrix& input) const {
  Matrix y(outputSize(), input.cols());
  y.noalias() = m_sourceWeight->value->transpose() * input;
  y.colwise() += m_bias.value->col(0);
  activateInPlace(m_activation, y);
  return y;
}

std::string TiedDense::describe() const {
  return describeDense("Dense(tied)", inputSize(), outputSize(), m_activation);
}

}  // namespace latent
