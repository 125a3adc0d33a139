// MaxPool2D forward (with the winners recorded) and backward (gradients routed to them).
#include "nn/maxpool2d.h"

#include <sstream>

namespace latent {

namespace {
// The winner of the window with top-left (y0, x0) in one plane: its index in the plane.
int32_t windowMax(const Scalar* plane, const ConvGeometry& g, int y0, int x0) {
  const int yBegin = std::max(0, y0), yEnd = std::min(g.image.height, y0 + g.kernel);
  const int xBegin = std::max(0, x0), xEnd = std::min(g.image.width, x0 + g.kernel);
  int32_t best = yBegin * g.image.width + xBegin;
  for (int y = yBegin; y < yEnd; ++y)
    for (int x = xBegin; x < xEnd; ++x) {
      const int32_t i = y * g.image.width + x;
      if (plane[i] > plane[best]) best = i;
    }
  return best;
}
}  // namespace

MaxPool2D::MaxPool2D(ImageDims input, int kernel, int stride, int padding)
    : m_geometry(ConvGeometry::forImage(input, kernel, stride == 0 ? kernel : stride, padding)) {
  if (2 * padding > kernel)
    throw std::invalid_argument("MaxPool2D: padding " + std::to_string(padding) +
                                " is more than half the kernel " + std::to_string(kernel));
  m_outputDims = {input.channels, m_geometry.gridHeight, m_geometry.gridWidth};
}

void MaxPool2D::pool(const Matrix& input, Matrix& out, std::vector<int32_t>& winners) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument("MaxPool2D: expects " + m_geometry.image.describe() + " = " +
                                std::to_string(inputSize()) + " rows, got " +
                                shapeString(input.rows(), input.cols()));
  const ConvGeometry& g = m_geometry;
  const int planeIn = g.image.positions(), planeOut = g.positions();
  out.resize(outputSize(), input.cols());
  winners.resize(size_t(out.size()));
  int32_t* winner = winners.data();
  Scalar* value = out.data();
  for (Eigen::Index b = 0; b < input.cols(); ++b)
    for (int c = 0; c < g.image.channels; ++c) {
      const Scalar* plane = input.col(b).data() + Eigen::Index(c) * planeIn;
      for (int o = 0; o < planeOut; ++o, ++winner, ++value) {
        const int y0 = (o / g.gridWidth) * g.stride - g.padding;
        const int x0 = (o % g.gridWidth) * g.stride - g.padding;
        const int32_t i = windowMax(plane, g, y0, x0);
        *winner = c * planeIn + i;
        *value = plane[i];
      }
    }
}

const Matrix& MaxPool2D::forward(const Matrix& input) {
  pool(input, m_output, m_winners);
  m_batch = input.cols();
  return m_output;
}

const Matrix& MaxPool2D::backward(const Matrix& gradOutput) {
  // dL/dx_i = Σ over the outputs that i won of dL/dy (windows may overlap when stride < kernel).
  m_gradInput.setZero(inputSize(), m_batch);
  const int32_t* winner = m_winners.data();
  for (Eigen::Index b = 0; b < m_batch; ++b)
    for (Eigen::Index o = 0; o < outputSize(); ++o, ++winner)
      m_gradInput(*winner, b) += gradOutput(o, b);
  return m_gradInput;
}

Matrix MaxPool2D::infer(const Matrix& input) const {
  Matrix out;
  std::vector<int32_t> winners;
  pool(input, out, winners);
  return out;
}

std::string MaxPool2D::describe() const {
  std::ostringstream s;
  s << "MaxPool2D " << m_geometry.image.describe() << "→" << m_outputDims.describe() << " k"
    << m_geometry.kernel << " s" << m_geometry.stride;
  if (m_geometry.padding > 0) s << " p" << m_geometry.padding;
  return s.str();
}

}  // namespace latent
