#include "analysis/reconstructionerror.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/model.h"

namespace latent {

std::vector<double> reconstructionErrors(const Model& model, const Matrix& data) {
  if (data.rows() != model.inputSize())
    throw std::invalid_argument("reconstruction error: the data does not fit the model");
  std::vector<double> errors(data.cols());
  constexpr Eigen::Index Chunk = 512;
  tbb::parallel_for(Eigen::Index(0), (data.cols() + Chunk - 1) / Chunk, [&](Eigen::Index c) {
    const Eigen::Index from = c * Chunk, count = std::min(Chunk, data.cols() - from);
    const Matrix x = data.middleCols(from, count);
    const Matrix diff = model.reconstruct(x) - x;
    for (Eigen::Index i = 0; i < count; ++i)
      errors[from + i] = diff.col(i).cast<double>().squaredNorm() / double(data.rows());
  });
  return errors;
}

std::vector<double> psnr(const Matrix& clean, const Matrix& other, double peak) {
  if (clean.rows() != other.rows() || clean.cols() != other.cols())
    throw std::invalid_argument("PSNR: the images differ in shape");
  std::vector<double> out(clean.cols());
  for (Eigen::Index i = 0; i < clean.cols(); ++i) {
    const double mse =
        (clean.col(i) - other.col(i)).cast<double>().squaredNorm() / double(clean.rows());
    out[i] =
        mse > 0 ? 10.0 * std::log10(peak * peak / mse) : std::numeric_limits<double>::infinity();
  }
  return out;
}

}  // namespace latent
