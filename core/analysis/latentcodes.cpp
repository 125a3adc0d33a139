// LatentCodes: chunked parallel encoding on TBB (no Qt here: the GUI runs this on its own worker
// thread and receives the value).
#include "analysis/latentcodes.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "data/blasthreads.h"
#include "models/model.h"

namespace latent {

LatentCodes encodeAll(const Model& model, const Matrix& samples, std::stop_token stop,
                      int chunkColumns) {
  useSingleThreadedBlas();
  const Eigen::Index n = samples.cols(), chunk = std::max(1, chunkColumns);
  const Eigen::Index chunks = (n + chunk - 1) / chunk;
  const int latent = model.latentSize();
  const bool vae = model.isVariational();
  if (samples.rows() != model.inputSize())
    throw std::invalid_argument("encodeAll: the model takes " + std::to_string(model.inputSize()) +
                                " values per sample, got " + shapeString(samples.rows(), n));
  LatentCodes codes{Matrix(latent, n), vae ? Matrix(latent, n) : Matrix()};
  tbb::parallel_for(Eigen::Index(0), chunks, [&](Eigen::Index c) {
    if (stop.stop_requested()) return;
    const Eigen::Index begin = c * chunk, size = std::min(chunk, n - begin);
    const Matrix x = samples.middleCols(begin, size);
    if (vae) {
      GaussianCode g = model.encodeDistribution(x);
      codes.mean.middleCols(begin, size) = g.mean;
      codes.logVar.middleCols(begin, size) = g.logVar;
    } else {
      codes.mean.middleCols(begin, size) = model.encode(x);
    }
  });
  return codes;
}

Eigen::VectorXd klPerDimension(const Matrix& mean, const Matrix& logVar) {
  if (mean.rows() != logVar.rows() || mean.cols() != logVar.cols() || mean.cols() == 0)
    throw std::invalid_argument("klPerDimension: mean is " + shapeString(mean.rows(), mean.cols()) +
                                ", logVar is " + shapeString(logVar.rows(), logVar.cols()));
  const Eigen::ArrayXXd mu = mean.cast<double>().array(), lv = logVar.cast<double>().array();
  const Eigen::ArrayXXd kl = 0.5 * (mu.square() + lv.exp() - lv - 1.0);
  return kl.rowwise().mean().matrix();
}

Matrix projectedCovariances(const LatentProjection& projection, const Matrix& logVar) {
  const Matrix& d = projection.directions();
  if (logVar.rows() != d.rows())
    throw std::invalid_argument("projectedCovariances: logVar is " +
                                shapeString(logVar.rows(), logVar.cols()) + ", directions are " +
                                shapeString(d.rows(), d.cols()));
  const Matrix var = logVar.array().exp().matrix();  // latent × n
  Matrix cov(3, logVar.cols());
  cov.row(0) = d.col(0).array().square().matrix().transpose() * var;
  cov.row(1) = (d.col(0).array() * d.col(1).array()).matrix().transpose() * var;
  cov.row(2) = d.col(1).array().square().matrix().transpose() * var;
  return cov;
}

}  // namespace latent
