// Conv2D forward/backward through im2col and the gemm.h products.
#include "nn/conv2d.h"

#include <cmath>
#include <sstream>

#include "nn/gemm.h"
#include "nn/parameterinit.h"

namespace latent {

namespace {
// Inference converts this many samples at a time, bounding im2col's memory on large sets.
constexpr Eigen::Index ConvInferChunk = 256;
}  // namespace

Conv2D::Conv2D(ImageDims input, int outChannels, ConvOptions options)
    : m_geometry(ConvGeometry::forImage(input, options.kernel, options.stride, options.padding)),
      m_activation(options.activation),
      m_weight(zeroParameter("weight", outChannels, m_geometry.patchSize(),
                             {outChannels, input.channels, options.kernel, options.kernel})),
      m_bias(zeroParameter("bias", outChannels, 1)) {
  if (outChannels <= 0)
    throw std::invalid_argument("Conv2D: output channels must be positive, got " +
                                std::to_string(outChannels));
  m_outputDims = {outChannels, m_geometry.gridHeight, m_geometry.gridWidth};
}

void Conv2D::initialise(Rng& rng) {
  const Scalar bound = Scalar(1) / std::sqrt(Scalar(m_geometry.patchSize()));
  fillUniform(*m_weight.value, bound, rng);
  fillUniform(*m_bias.value, bound, rng);
}

void Conv2D::checkRows(const char* where, const Matrix& input) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument(std::string(where) + ": expects " + inputDims().describe() + " = " +
                                std::to_string(inputSize()) + " rows, got " +
                                shapeString(input.rows(), input.cols()));
}

void Conv2D::convolve(const MatrixView& input, Matrix& col, Matrix& zc, Matrix& z) const {
  im2col(m_geometry, input, col);
  gemmForward(*m_weight.value, col, zc);
  zc.colwise() += m_bias.value->col(0);
  fromChannelsLast(zc, m_outputDims.channels, m_outputDims.positions(), z);
}

const Matrix& Conv2D::forward(const Matrix& input) {
  checkRows("Conv2D::forward", input);
  const bool keepZ = activationNeedsPreActivation(m_activation);
  Matrix& z = keepZ ? m_preActivation : m_output;
  convolve(input, m_col, m_zc, z);
  if (keepZ) m_output = z;
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& Conv2D::backward(const Matrix& gradOutput) {
  // Per position, a Dense layer on the patch: dL/dW += dL/dz · colᵀ, dL/db += Σ dL/dz,
  // dL/dcol = Wᵀ · dL/dz, and col2im (the adjoint of im2col) gives dL/dx.
  derivativeProduct(m_activation, m_preActivation, m_output, gradOutput, m_gradZ);
  toChannelsLast(m_gradZ, m_outputDims.channels, m_outputDims.positions(), m_gradZc);
  m_bias.addToGrad(m_gradZc.rowwise().sum());
  gemmWeightGradient(m_gradZc, m_col, m_weight.grad, m_weight.accumulateNext());
  if (m_computeInputGradient) {
    gemmInputGradient(*m_weight.value, m_gradZc, m_gradCol);
    col2im(m_geometry, m_gradCol, m_gradInput);
  }
  return m_gradInput;
}

Matrix Conv2D::infer(const Matrix& input) const {
  checkRows("Conv2D::infer", input);
  Matrix y(outputSize(), input.cols()), col, zc, z;
  for (Eigen::Index begin = 0; begin < input.cols(); begin += ConvInferChunk) {
    const Eigen::Index n = std::min(ConvInferChunk, input.cols() - begin);
    convolve(input.middleCols(begin, n), col, zc, z);
    y.middleCols(begin, n) = z;
  }
  activateInPlace(m_activation, y);
  return y;
}

std::string Conv2D::describe() const {
  std::ostringstream s;
  s << "Conv2D " << inputDims().describe() << "→" << m_outputDims.describe() << " k"
    << m_geometry.kernel << " s" << m_geometry.stride << " p" << m_geometry.padding;
  if (m_activation != Activation::Identity) s << ' ' << toString(m_activation);
  return s.str();
}

}  // namespace latent
