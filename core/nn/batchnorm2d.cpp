// BatchNorm2D: statistics per channel over the slice's samples and positions (a channel's rows
// are contiguous within each column: rows c·H·W .. (c+1)·H·W - 1).
#include "nn/batchnorm2d.h"

#include <cmath>

#include "nn/parameterinit.h"

namespace latent {

BatchNorm2D::BatchNorm2D(ImageDims dims, Scalar momentum, Scalar epsilon)
    : m_dims(dims),
      m_momentum(momentum),
      m_epsilon(epsilon),
      m_weight(zeroParameter("weight", dims.channels, 1)),
      m_bias(zeroParameter("bias", dims.channels, 1)),
      m_runningMean(zeroParameter("running_mean", dims.channels, 1)),
      m_runningVar(zeroParameter("running_var", dims.channels, 1)) {
  if (dims.size() <= 0) throw std::invalid_argument("BatchNorm2D: empty image " + dims.describe());
  m_weight.value->setOnes();
  m_runningVar.value->setOnes();
}

void BatchNorm2D::checkRows(const char* where, const Matrix& input) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument(std::string(where) + ": expects " + m_dims.describe() + " = " +
                                std::to_string(inputSize()) + " rows, got " +
                                shapeString(input.rows(), input.cols()));
}

void BatchNorm2D::updateRunningStatistics(int c, double mean, double variance, Eigen::Index n) {
  if (!m_updatesBuffers) return;
  const double unbiased = n > 1 ? variance * double(n) / double(n - 1) : variance;
  Scalar& runningMean = (*m_runningMean.value)(c, 0);
  Scalar& runningVar = (*m_runningVar.value)(c, 0);
  runningMean = Scalar((1 - m_momentum) * runningMean + m_momentum * mean);
  runningVar = Scalar((1 - m_momentum) * runningVar + m_momentum * unbiased);
}

const Matrix& BatchNorm2D::forward(const Matrix& input) {
  checkRows("BatchNorm2D::forward", input);
  const int positions = m_dims.positions();
  const Eigen::Index count = Eigen::Index(positions) * input.cols();
  m_normalised.resize(input.rows(), input.cols());
  m_output.resize(input.rows(), input.cols());
  m_inverseStd.resize(m_dims.channels);
  for (int c = 0; c < m_dims.channels; ++c) {
    const auto x = input.middleRows(Eigen::Index(c) * positions, positions);
    const double mean = x.cast<double>().sum() / double(count);
    const double variance = (x.cast<double>().array() - mean).square().sum() / double(count);
    m_inverseStd(c) = Scalar(1 / std::sqrt(variance + m_epsilon));
    auto xHat = m_normalised.middleRows(Eigen::Index(c) * positions, positions);
    xHat = (x.array() - Scalar(mean)) * m_inverseStd(c);
    m_output.middleRows(Eigen::Index(c) * positions, positions) =
        (xHat.array() * (*m_weight.value)(c, 0) + (*m_bias.value)(c, 0)).matrix();
    updateRunningStatistics(c, mean, variance, count);
  }
  return m_output;
}

const Matrix& BatchNorm2D::backward(const Matrix& gradOutput) {
  // With N values per channel, g = dL/dy:  dL/dγ = Σ g x̂,  dL/dβ = Σ g,
  // dL/dx = γ/(N σ) (N g - Σ g - x̂ Σ g x̂)   (σ = sqrt(var + ε); μ and σ depend on every x).
  const int positions = m_dims.positions();
  const double count = double(positions) * double(gradOutput.cols());
  Vector& sumGrad = m_sumGrad;
  Vector& sumGradXHat = m_sumGradXHat;
  sumGrad.resize(m_dims.channels);
  sumGradXHat.resize(m_dims.channels);
  m_gradInput.resize(gradOutput.rows(), gradOutput.cols());
  for (int c = 0; c < m_dims.channels; ++c) {
    const Eigen::Index first = Eigen::Index(c) * positions;
    const auto g = gradOutput.middleRows(first, positions);
    const auto xHat = m_normalised.middleRows(first, positions);
    sumGrad(c) = Scalar(g.cast<double>().sum());
    sumGradXHat(c) = Scalar((g.cast<double>().array() * xHat.cast<double>().array()).sum());
    if (!m_computeInputGradient) continue;
    const Scalar scale = (*m_weight.value)(c, 0) * m_inverseStd(c) / Scalar(count);
    m_gradInput.middleRows(first, positions) =
        (scale * (Scalar(count) * g.array() - sumGrad(c) - xHat.array() * sumGradXHat(c))).matrix();
  }
  m_weight.addToGrad(sumGradXHat);
  m_bias.addToGrad(sumGrad);
  return m_gradInput;
}

Matrix BatchNorm2D::infer(const Matrix& input) const {
  checkRows("BatchNorm2D::infer", input);
  const int positions = m_dims.positions();
  Matrix y(input.rows(), input.cols());
  for (int c = 0; c < m_dims.channels; ++c) {
    const Scalar scale =
        (*m_weight.value)(c, 0) / std::sqrt((*m_runningVar.value)(c, 0) + m_epsilon);
    const Scalar shift = (*m_bias.value)(c, 0) - scale * (*m_runningMean.value)(c, 0);
    y.middleRows(Eigen::Index(c) * positions, positions) =
        (input.middleRows(Eigen::Index(c) * positions, positions).array() * scale + shift).matrix();
  }
  return y;
}

}  // namespace latent
