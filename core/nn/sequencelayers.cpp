// RepeatVector, TimeDistributedDense and ReverseTime.
#include "nn/sequencelayers.h"

#include <cmath>
#include <sstream>

#include "nn/parameterinit.h"

namespace latent {

namespace {

void checkRows(const char* where, Eigen::Index expected, const Matrix& input) {
  if (input.rows() != expected)
    throw std::invalid_argument(std::string(where) + ": expects " + std::to_string(expected) +
                                " rows, got " + shapeString(input.rows(), input.cols()));
}

void checkPositive(const char* what, std::initializer_list<int> sizes) {
  for (int s : sizes)
    if (s <= 0) throw std::invalid_argument(std::string(what) + ": sizes must be positive");
}

// A (steps·features) × batch matrix seen as features × (batch·steps): one column per step.
Eigen::Map<const Matrix> perStep(const Matrix& m, int features) {
  return {m.data(), features, m.size() / features};
}
Eigen::Map<Matrix> perStep(Matrix& m, int features) {
  return {m.data(), features, m.size() / features};
}

}  // namespace

// --- RepeatVector -----------------------------------------------------------------------------

RepeatVector::RepeatVector(int steps, int features) : m_steps(steps), m_features(features) {
  checkPositive("RepeatVector", {steps, features});
}

const Matrix& RepeatVector::forward(const Matrix& input) {
  checkRows("RepeatVector", m_features, input);
  m_output.resize(outputSize(), input.cols());
  for (int t = 0; t < m_steps; ++t)
    m_output.middleRows(Eigen::Index(t) * m_features, m_features) = input;
  return m_output;
}

const Matrix& RepeatVector::backward(const Matrix& gradOutput) {
  // Every step used the same input: dL/dx = Σ_t dL/dy_t.
  m_gradInput = gradOutput.topRows(m_features);
  for (int t = 1; t < m_steps; ++t)
    m_gradInput += gradOutput.middleRows(Eigen::Index(t) * m_features, m_features);
  return m_gradInput;
}

Matrix RepeatVector::infer(const Matrix& input) const {
  checkRows("RepeatVector", m_features, input);
  return input.replicate(m_steps, 1);
}

// Descriptions are built with streams: GCC 12 warns falsely (-Wrestrict, bug 105329) on chained
// string '+'.
std::string RepeatVector::describe() const {
  std::ostringstream s;
  s << "RepeatVector " << m_features << "→" << m_steps << "×" << m_features;
  return s.str();
}

// --- TimeDistributedDense ---------------------------------------------------------------------

TimeDistributedDense::TimeDistributedDense(int steps, int inputs, int outputs,
                                           Activation activation)
    : m_steps(steps),
      m_inputs(inputs),
      m_outputs(outputs),
      m_activation(activation),
      m_weight(zeroParameter("weight", outputs, inputs)),
      m_bias(zeroParameter("bias", outputs, 1)) {
  checkPositive("TimeDistributedDense", {steps, inputs, outputs});
}

void TimeDistributedDense::initialise(Rng& rng) {
  const Scalar bound = Scalar(1) / std::sqrt(Scalar(m_inputs));
  fillUniform(*m_weight.value, bound, rng);
  fillUniform(*m_bias.value, bound, rng);
}

void TimeDistributedDense::product(const Matrix& input, Matrix& z) const {
  checkRows("TimeDistributedDense", inputSize(), input);
  z.resize(outputSize(), input.cols());
  auto zSteps = perStep(z, m_outputs);
  zSteps.noalias() = *m_weight.value * perStep(input, m_inputs);
  zSteps.colwise() += m_bias.value->col(0);
}

const Matrix& TimeDistributedDense::forward(const Matrix& input) {
  m_input = &input;
  const bool keepZ = activationNeedsPreActivation(m_activation);
  Matrix& z = keepZ ? m_preActivation : m_output;
  product(input, z);
  if (keepZ) m_output = z;
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& TimeDistributedDense::backward(const Matrix& gradOutput) {
  // A Dense layer on every step: dL/dW += Σ_t dL/dz_t x_tᵀ (one GEMM over all steps).
  derivativeProduct(m_activation, m_preActivation, m_output, gradOutput, m_gradZ);
  const auto gradZ = perStep(static_cast<const Matrix&>(m_gradZ), m_outputs);
  const auto x = perStep(*m_input, m_inputs);
  m_weight.addToGrad(gradZ * x.transpose());
  m_bias.addToGrad(gradZ.rowwise().sum());
  if (m_computeInputGradient) {
    m_gradInput.resize(inputSize(), gradOutput.cols());
    perStep(m_gradInput, m_inputs).noalias() = m_weight.value->transpose() * gradZ;
  }
  return m_gradInput;
}

Matrix TimeDistributedDense::infer(const Matrix& input) const {
  Matrix y;
  product(input, y);
  activateInPlace(m_activation, y);
  return y;
}

std::string TimeDistributedDense::describe() const {
  std::ostringstream s;
  s << "TimeDistributed(Dense " << m_inputs << "→" << m_outputs << ") ×" << m_steps;
  if (m_activation != Activation::Identity) s << " " << toString(m_activation);
  return s.str();
}

// --- ReverseTime ------------------------------------------------------------------------------

ReverseTime::ReverseTime(int steps, int features) : m_steps(steps), m_features(features) {
  checkPositive("ReverseTime", {steps, features});
}

void ReverseTime::reverse(const Matrix& in, Matrix& out) const {
  checkRows("ReverseTime", inputSize(), in);
  out.resize(in.rows(), in.cols());
  for (int t = 0; t < m_steps; ++t)
    out.middleRows(Eigen::Index(t) * m_features, m_features) =
        in.middleRows(Eigen::Index(m_steps - 1 - t) * m_features, m_features);
}

const Matrix& ReverseTime::forward(const Matrix& input) {
  reverse(input, m_output);
  return m_output;
}

const Matrix& ReverseTime::backward(const Matrix& gradOutput) {
  reverse(gradOutput, m_gradInput);  // a permutation is its own adjoint's inverse: reverse again
  return m_gradInput;
}

Matrix ReverseTime::infer(const Matrix& input) const {
  Matrix out;
  reverse(input, out);
  return out;
}

std::string ReverseTime::describe() const {
  std::ostringstream s;
  s << "ReverseTime " << m_steps << "×" << m_features;
  return s.str();
}

}  // namespace latent
