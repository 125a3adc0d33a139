// Upsample: interpolation tables built once, then a separable weighted gather (forward) and its
// adjoint scatter (backward), one channel plane at a time.
#include "nn/upsample.h"

#include <cmath>
#include <sstream>

namespace latent {

namespace {

// PyTorch's source coordinates for an output size given explicitly (scale = in / out).
std::vector<Upsample::Tap> makeTaps(int in, int out, UpsampleMode mode) {
  std::vector<Upsample::Tap> taps(static_cast<size_t>(out));
  const double scale = double(in) / out;
  for (int o = 0; o < out; ++o) {
    Upsample::Tap& t = taps[size_t(o)];
    if (mode == UpsampleMode::Nearest) {
      t.first = t.second = std::min(int(std::floor(o * scale)), in - 1);
      continue;
    }
    const double source = std::max(0.0, scale * (o + 0.5) - 0.5);  // align_corners=False
    t.first = std::min(int(source), in - 1);
    t.second = std::min(t.first + 1, in - 1);
    t.weight = Scalar(source - t.first);
  }
  return taps;
}

// out(y, x) = Σ of the four taps' weighted source pixels, for one plane.
void resizePlane(const Scalar* in, int inWidth, const std::vector<Upsample::Tap>& rows,
                 const std::vector<Upsample::Tap>& columns, Scalar* out) {
  for (const Upsample::Tap& r : rows) {
    const Scalar* top = in + Eigen::Index(r.first) * inWidth;
    const Scalar* bottom = in + Eigen::Index(r.second) * inWidth;
    for (const Upsample::Tap& c : columns) {
      const Scalar upper = top[c.first] + c.weight * (top[c.second] - top[c.first]);
      const Scalar lower = bottom[c.first] + c.weight * (bottom[c.second] - bottom[c.first]);
      *out++ = upper + r.weight * (lower - upper);
    }
  }
}

// The adjoint of resizePlane: each output gradient shared among its taps by their weights.
void scatterPlane(const Scalar* gradOut, int inWidth, const std::vector<Upsample::Tap>& rows,
                  const std::vector<Upsample::Tap>& columns, Scalar* gradIn) {
  for (const Upsample::Tap& r : rows) {
    Scalar* top = gradIn + Eigen::Index(r.first) * inWidth;
    Scalar* bottom = gradIn + Eigen::Index(r.second) * inWidth;
    for (const Upsample::Tap& c : columns) {
      const Scalar g = *gradOut++;
      const Scalar upper = (1 - r.weight) * g, lower = r.weight * g;
      top[c.first] += (1 - c.weight) * upper;
      top[c.second] += c.weight * upper;
      bottom[c.first] += (1 - c.weight) * lower;
      bottom[c.second] += c.weight * lower;
    }
  }
}

}  // namespace

std::string toString(UpsampleMode m) { return m == UpsampleMode::Nearest ? "nearest" : "bilinear"; }

UpsampleMode upsampleModeFromString(const std::string& name) {
  if (name == "nearest") return UpsampleMode::Nearest;
  if (name == "bilinear") return UpsampleMode::Bilinear;
  throw Error(Error::Code::InvalidArgument,
              "unknown upsampling mode '" + name + "' (choose nearest or bilinear)");
}

Upsample::Upsample(ImageDims input, int outHeight, int outWidth, UpsampleMode mode)
    : m_input(input), m_outHeight(outHeight), m_outWidth(outWidth), m_mode(mode) {
  if (input.size() <= 0 || outHeight <= 0 || outWidth <= 0)
    throw std::invalid_argument("Upsample " + input.describe() + " to " +
                                std::to_string(outHeight) + "×" + std::to_string(outWidth) +
                                ": sizes must be positive");
  m_rows = makeTaps(input.height, outHeight, mode);
  m_columns = makeTaps(input.width, outWidth, mode);
}

void Upsample::resize(const MatrixView& input, Matrix& out) const {
  if (input.rows() != inputSize())
    throw std::invalid_argument("Upsample: expects " + m_input.describe() + " = " +
                                std::to_string(inputSize()) + " rows, got " +
                                shapeString(input.rows(), input.cols()));
  out.resize(outputSize(), input.cols());
  const Eigen::Index planeIn = m_input.positions(),
                     planeOut = Eigen::Index(m_outHeight) * m_outWidth;
  for (Eigen::Index b = 0; b < input.cols(); ++b)
    for (int c = 0; c < m_input.channels; ++c)
      resizePlane(input.col(b).data() + c * planeIn, m_input.width, m_rows, m_columns,
                  out.col(b).data() + c * planeOut);
}

const Matrix& Upsample::forward(const Matrix& input) {
  resize(input, m_output);
  return m_output;
}

const Matrix& Upsample::backward(const Matrix& gradOutput) {
  m_gradInput.setZero(inputSize(), gradOutput.cols());
  const Eigen::Index planeIn = m_input.positions(),
                     planeOut = Eigen::Index(m_outHeight) * m_outWidth;
  for (Eigen::Index b = 0; b < gradOutput.cols(); ++b)
    for (int c = 0; c < m_input.channels; ++c)
      scatterPlane(gradOutput.col(b).data() + c * planeOut, m_input.width, m_rows, m_columns,
                   m_gradInput.col(b).data() + c * planeIn);
  return m_gradInput;
}

Matrix Upsample::infer(const Matrix& input) const {
  Matrix out;
  resize(input, out);
  return out;
}

std::string Upsample::describe() const {
  return "Upsample " + m_input.describe() + "→" + resizedDims().describe() + " " + toString(m_mode);
}

}  // namespace latent
