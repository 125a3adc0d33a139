// ConvTranspose2D forward/backward: the Conv2D products with the roles of input and output
// swapped (forward = a convolution's input gradient, backward = its forward).
#include "nn/convtranspose2d.h"

#include <cmath>
#include <sstream>

#include "nn/gemm.h"
#include "nn/parameterinit.h"

namespace latent {

namespace {
constexpr Eigen::Index DeconvInferChunk = 256;  // samples per im2col buffer in inference

ConvGeometry outputGeometry(ImageDims input, int outChannels, const ConvTransposeOptions& o) {
  const ImageDims out{outChannels,
                      ConvTranspose2D::outputSizeFor(input.height, o.kernel, o.stride, o.padding,
                                                     o.outputPaddingHeight),
                      ConvTranspose2D::outputSizeFor(input.width, o.kernel, o.stride, o.padding,
                                                     o.outputPaddingWidth)};
  const auto fail = [&](const std::string& why) {
    return std::invalid_argument("ConvTranspose2D on " + input.describe() + " (kernel " +
                                 std::to_string(o.kernel) + ", stride " + std::to_string(o.stride) +
                                 ", padding " + std::to_string(o.padding) + ", output padding " +
                                 std::to_string(o.outputPaddingHeight) + "," +
                                 std::to_string(o.outputPaddingWidth) + "): " + why);
  };
  if (outChannels <= 0 || out.height <= 0 || out.width <= 0) throw fail("gives no output pixels");
  const auto outsideStride = [&](int op) { return op < 0 || op >= o.stride; };
  if (outsideStride(o.outputPaddingHeight) || outsideStride(o.outputPaddingWidth))
    throw fail("output padding must be in [0, stride)");
  const ConvGeometry g = ConvGeometry::forImage(out, o.kernel, o.stride, o.padding);
  if (g.gridHeight != input.height || g.gridWidth != input.width)
    throw fail("the output " + out.describe() + " does not convolve back to the input");
  return g;
}
}  // namespace

int ConvTranspose2D::outputSizeFor(int size, int kernel, int stride, int padding,
                                   int outputPadding) {
  return (size - 1) * stride - 2 * padding + kernel + outputPadding;
}

ConvTranspose2D::ConvTranspose2D(ImageDims input, int outChannels, ConvTransposeOptions options)
    : m_inputDims(input),
      m_geometry(outputGeometry(input, outChannels, options)),
      m_outputPaddingHeight(options.outputPaddingHeight),
      m_outputPaddingWidth(options.outputPaddingWidth),
      m_activation(options.activation),
      m_weight(zeroParameter("weight", input.channels, m_geometry.patchSize(),
                             {input.channels, outChannels, options.kernel, options.kernel})),
      m_bias(zeroParameter("bias", outChannels, 1)) {}

void ConvTranspose2D::initialise(Rng& rng) {
  const Scalar bound = Scalar(1) / std::sqrt(Scalar(m_geometry.patchSize()));
  fillUniform(*m_weight.value, bound, rng);
  fillUniform(*m_bias.value, bound, rng);
}

void ConvTranspose2D::checkRows(const char* where, const Matrix& input) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument(std::string(where) + ": expects " + m_inputDims.describe() + " = " +
                                std::to_string(inputSize()) + " rows, got " +
                                shapeString(input.rows(), input.cols()));
}

void ConvTranspose2D::transposedConvolve(const MatrixView& input, Matrix& xc, Matrix& col,
                                         Matrix& z) const {
  toChannelsLast(input, m_inputDims.channels, m_inputDims.positions(), xc);
  gemmInputGradient(*m_weight.value, xc, col);  // col = Wᵀ · xc
  col2im(m_geometry, col, z);
  addChannelBias(*m_bias.value, m_geometry.image.positions(), z);
}

const Matrix& ConvTranspose2D::forward(const Matrix& input) {
  checkRows("ConvTranspose2D::forward", input);
  const bool keepZ = activationNeedsPreActivation(m_activation);
  Matrix& z = keepZ ? m_preActivation : m_output;
  transposedConvolve(input, m_xc, m_col, z);
  if (keepZ) m_output = z;
  activateInPlace(m_activation, m_output);
  return m_output;
}

const Matrix& ConvTranspose2D::backward(const Matrix& gradOutput) {
  // z = col2im(Wᵀ·xc) + b:  dL/dcol = im2col(dL/dz);  dL/dW += xc · dL/dcolᵀ;
  // dL/dxc = W · dL/dcol;  dL/db = Σ over samples and positions of dL/dz.
  derivativeProduct(m_activation, m_preActivation, m_output, gradOutput, m_gradZ);
  const bool accumulateBias = m_bias.accumulateNext();
  addChannelSums(m_gradZ, m_geometry.image.positions(), m_bias.grad, accumulateBias);
  im2col(m_geometry, m_gradZ, m_gradCol);
  gemmWeightGradient(m_xc, m_gradCol, m_weight.grad, m_weight.accumulateNext());
  if (m_computeInputGradient) {
    gemmForward(*m_weight.value, m_gradCol, m_gradXc);
    fromChannelsLast(m_gradXc, m_inputDims.channels, m_inputDims.positions(), m_gradInput);
  }
  return m_gradInput;
}

Matrix ConvTranspose2D::infer(const Matrix& input) const {
  checkRows("ConvTranspose2D::infer", input);
  Matrix y(outputSize(), input.cols()), xc, col, z;
  for (Eigen::Index begin = 0; begin < input.cols(); begin += DeconvInferChunk) {
    const Eigen::Index n = std::min(DeconvInferChunk, input.cols() - begin);
    transposedConvolve(input.middleCols(begin, n), xc, col, z);
    y.middleCols(begin, n) = z;
  }
  activateInPlace(m_activation, y);
  return y;
}

std::string ConvTranspose2D::describe() const {
  std::ostringstream s;
  s << "ConvTranspose2D " << m_inputDims.describe() << "→" << outputDims().describe() << " k"
    << m_geometry.kernel << " s" << m_geometry.stride << " p" << m_geometry.padding;
  if (m_outputPaddingHeight > 0 || m_outputPaddingWidth > 0)
    s << " op" << m_outputPaddingHeight << "," << m_outputPaddingWidth;
  if (m_activation != Activation::Identity) s << ' ' << toString(m_activation);
  return s.str();
}

}  // namespace latent
