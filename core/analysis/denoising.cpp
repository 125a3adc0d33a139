// Denoising measured: noise, a parallel reconstruction, PSNR per sample and on average.
#include "analysis/denoising.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "analysis/reconstructionerror.h"
#include "data/rng.h"
#include "models/model.h"
#include "models/noise.h"

namespace latent {
namespace {

/// The mean of the finite values (+inf when there are none) and how many were infinite.
std::pair<double, int> finiteMean(const std::vector<double>& v) {
  double sum = 0;
  int finite = 0;
  for (double x : v)
    if (std::isfinite(x)) {
      sum += x;
      ++finite;
    }
  const int infinite = int(v.size()) - finite;
  return {finite ? sum / finite : std::numeric_limits<double>::infinity(), infinite};
}

/// model.reconstruct(x) in chunks of columns on TBB workers (the model is const and shared).
Matrix reconstructParallel(const Model& model, const Matrix& x) {
  Matrix out(x.rows(), x.cols());
  constexpr Eigen::Index Chunk = 256;
  tbb::parallel_for(Eigen::Index(0), (x.cols() + Chunk - 1) / Chunk, [&](Eigen::Index c) {
    const Eigen::Index from = c * Chunk, count = std::min(Chunk, x.cols() - from);
    out.middleCols(from, count) = model.reconstruct(x.middleCols(from, count));
  });
  return out;
}

}  // namespace

double psnrPeak(const Matrix& clean) {
  if (clean.size() == 0) return 1.0;
  return double(std::max(1.0f, clean.maxCoeff())) - double(std::min(0.0f, clean.minCoeff()));
}

DenoisingResult evaluateDenoising(const Model& model, const Matrix& clean, const NoiseSpec& noise,
                                  unsigned seed) {
  if (clean.rows() != model.inputSize())
    throw std::invalid_argument(
        "denoising: samples of shape " + shapeString(clean.rows(), clean.cols()) +
        " do not fit a model of " + std::to_string(model.inputSize()) + " inputs");
  DenoisingResult r;
  Rng rng(seed);
  applyNoise(noise, clean, rng, r.noisy);
  r.denoised = reconstructParallel(model, r.noisy);
  r.peak = psnrPeak(clean);
  r.psnrNoisy = psnr(clean, r.noisy, r.peak);
  r.psnrDenoised = psnr(clean, r.denoised, r.peak);
  std::tie(r.meanPsnrNoisy, r.unchangedNoisy) = finiteMean(r.psnrNoisy);
  std::tie(r.meanPsnrDenoised, r.unchangedDenoised) = finiteMean(r.psnrDenoised);
  return r;
}

}  // namespace latent
