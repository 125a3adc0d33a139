// Anomaly scores from reconstruction error: the error maps are computed once, in parallel chunks,
// then reduced per sample by the chosen score.
#include "analysis/anomalyscore.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/classmodels.h"
#include "data/classfilter.h"
#include "models/model.h"
#include "nn/convgeometry.h"

namespace latent {
namespace {

constexpr Eigen::Index Chunk = 512;  // as reconstructionErrors: the same float sums

struct ScoreName {
  AnomalyScore score;
  const char* name;
};
constexpr ScoreName Names[] = {
    {AnomalyScore::Mse, "mse"},         {AnomalyScore::Bce, "bce"},
    {AnomalyScore::Blurred, "blurred"}, {AnomalyScore::LocalMax, "localmax"},
    {AnomalyScore::PixelZ, "pixelz"},   {AnomalyScore::Neighbours, "neighbours"},
    {AnomalyScore::Classes, "classes"},
};

Matrix columnsAt(const Matrix& m, const std::vector<int>& indices) {
  Matrix out(m.rows(), Eigen::Index(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) out.col(Eigen::Index(i)) = m.col(indices[i]);
  return out;
}

/// Runs `body(from, count)` over column chunks of an n-column matrix on TBB workers.
template <typename Body>
void forChunks(Eigen::Index n, const Body& body) {
  tbb::parallel_for(Eigen::Index(0), (n + Chunk - 1) / Chunk, [&](Eigen::Index c) {
    const Eigen::Index from = c * Chunk;
    body(from, std::min(Chunk, n - from));
  });
}

Matrix reconstructAll(const Model& model, const Matrix& data) {
  Matrix out(data.rows(), data.cols());
  forChunks(data.cols(), [&](Eigen::Index from, Eigen::Index count) {
    out.middleCols(from, count) = model.reconstruct(data.middleCols(from, count));
  });
  return out;
}

std::vector<double> meanSquares(const Matrix& diff) {
  std::vector<double> out(diff.cols());
  for (Eigen::Index i = 0; i < diff.cols(); ++i)
    out[i] = diff.col(i).cast<double>().squaredNorm() / double(diff.rows());
  return out;
}

std::vector<double> crossEntropies(const Matrix& data, const Matrix& recon) {
  // Clamped like PyTorch's BCELoss (log ≥ -100), so a saturated sigmoid gives a finite score.
  const auto safeLog = [](double p) { return std::max(std::log(p), -100.0); };
  std::vector<double> out(data.cols());
  for (Eigen::Index i = 0; i < data.cols(); ++i) {
    double sum = 0;
    for (Eigen::Index r = 0; r < data.rows(); ++r) {
      const double x = std::clamp(double(data(r, i)), 0.0, 1.0), p = recon(r, i);
      sum -= x * safeLog(p) + (1 - x) * safeLog(1 - p);
    }
    out[i] = sum / double(data.rows());
  }
  return out;
}

/// Window sums of a w×w patch at every valid position of each channel of one sample's map, via a
/// summed-area table: means[c][(y, x)] = Σ patch / w².
std::vector<double> patchMeans(const float* map, ImageDims image, int w) {
  const int H = image.height, W = image.width, outH = H - w + 1, outW = W - w + 1;
  std::vector<double> table(size_t(H + 1) * (W + 1));
  std::vector<double> means;
  means.reserve(size_t(image.channels) * outH * outW);
  for (int c = 0; c < image.channels; ++c) {
    const float* plane = map + size_t(c) * H * W;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        table[(y + 1) * (W + 1) + x + 1] = plane[y * W + x] + table[y * (W + 1) + x + 1] +
                                           table[(y + 1) * (W + 1) + x] - table[y * (W + 1) + x];
    for (int y = 0; y < outH; ++y)
      for (int x = 0; x < outW; ++x) {
        const double sum = table[(y + w) * (W + 1) + x + w] - table[y * (W + 1) + x + w] -
                           table[(y + w) * (W + 1) + x] + table[y * (W + 1) + x];
        means.push_back(sum / double(w * w));
      }
  }
  return means;
}

std::vector<double> blurredErrors(const Matrix& diff, ImageDims image, int w) {
  std::vector<double> out(diff.cols());
  for (Eigen::Index i = 0; i < diff.cols(); ++i) {
    const std::vector<double> blurred = patchMeans(diff.col(i).data(), image, w);
    double sum = 0;
    for (double v : blurred) sum += v * v;
    out[i] = sum / double(blurred.size());
  }
  return out;
}

std::vector<double> worstPatchErrors(const Matrix& diff, ImageDims image, int w) {
  std::vector<double> out(diff.cols());
  for (Eigen::Index i = 0; i < diff.cols(); ++i) {
    const Vector squared = diff.col(i).array().square();
    const std::vector<double> patches = patchMeans(squared.data(), image, w);
    out[i] = *std::max_element(patches.begin(), patches.end());
  }
  return out;
}

std::vector<double> pixelNormalisedErrors(const Matrix& diff, const Matrix& referenceDiff) {
  // A pixel the normal data never gets wrong (the border) must not dominate: the floor is a small
  // fraction of the average pixel's error.
  const Eigen::ArrayXd perPixel = referenceDiff.cast<double>().array().square().rowwise().mean();
  const Eigen::ArrayXd scale = perPixel.max(1e-2 * perPixel.mean() + 1e-12);
  std::vector<double> out(diff.cols());
  for (Eigen::Index i = 0; i < diff.cols(); ++i)
    out[i] = (diff.col(i).cast<double>().array().square() / scale).mean();
  return out;
}

/// Each sample's MSE over the mean MSE of its k nearest reference samples (Euclidean, in the input
/// space): what a normal sample of that look costs to reconstruct sets the scale, so a sample is
/// judged against its own kind (an 8 costs about five times a 1). A reference sample identical to
/// the query (the sample itself, when training samples are scored) is skipped: it would vouch
/// for itself.
std::vector<double> neighbourRelativeErrors(const Matrix& data, const std::vector<double>& errors,
                                            const Matrix& reference,
                                            const std::vector<double>& referenceErrors, int k) {
  const Vector refNorms = reference.colwise().squaredNorm().transpose();
  std::vector<double> out(data.cols());
  forChunks(data.cols(), [&](Eigen::Index from, Eigen::Index count) {
    // ‖r − q‖² = ‖r‖² − 2 r·q + ‖q‖², for all r at once.
    Matrix dist = -2.0f * (reference.transpose() * data.middleCols(from, count));
    dist.colwise() += refNorms;
    std::vector<int> order(reference.cols());
    for (Eigen::Index i = 0; i < count; ++i) {
      dist.col(i).array() += data.col(from + i).squaredNorm();
      const float same = 1e-4f * std::max(1.0f, data.col(from + i).squaredNorm());
      std::iota(order.begin(), order.end(), 0);
      const auto end =
          std::partition(order.begin(), order.end(), [&](int r) { return dist(r, i) > same; });
      const int kept = int(std::min<std::ptrdiff_t>(k, end - order.begin()));
      std::partial_sort(order.begin(), order.begin() + kept, end,
                        [&](int a, int b) { return dist(a, i) < dist(b, i); });
      double typical = 0;
      for (int j = 0; j < kept; ++j) typical += referenceErrors[order[j]];
      out[from + i] = errors[from + i] / std::max(typical / std::max(kept, 1), 1e-12);
    }
  });
  return out;
}

void requireClassModels(const Model& model, const AnomalyScoreOptions& o, const std::string& what) {
  if (!o.classModels || o.classModels->models.empty())
    throw Error(Error::Code::InvalidArgument, what + "needs models trained per normal class");
  for (const auto& m : o.classModels->models)
    if (m->inputSize() != model.inputSize())
      throw Error(Error::Code::InvalidArgument,
                  what + "the class models take " + std::to_string(m->inputSize()) +
                      " inputs, the model " + std::to_string(model.inputSize()));
}

void requireOptions(const Model& model, const Shape& shape, const Matrix& data,
                    const AnomalyScoreOptions& o, const Matrix& reference) {
  const std::string what = "anomaly score '" + toString(o.score) + "': ";
  if (data.rows() != model.inputSize() || shape.size() != model.inputSize())
    throw Error(Error::Code::InvalidArgument,
                what + "the data (" + shapeString(data.rows(), data.cols()) +
                    ") does not fit the model (" + std::to_string(model.inputSize()) + " inputs)");
  if (needsReference(o.score)) {
    if (reference.cols() == 0)
      throw Error(Error::Code::InvalidArgument,
                  what + "needs normal reference samples (the data the model was trained on)");
    if (reference.rows() != data.rows())
      throw Error(
          Error::Code::InvalidArgument,
          what + "the reference samples (" + shapeString(reference.rows(), reference.cols()) +
              ") differ in size from the data (" + shapeString(data.rows(), data.cols()) + ")");
  }
  if (needsClassModels(o.score)) requireClassModels(model, o, what);
  if ((o.score == AnomalyScore::Neighbours || o.score == AnomalyScore::Classes) &&
      (o.neighbours < 1 || o.neighbours > reference.cols()))
    throw Error(Error::Code::InvalidArgument,
                what + "k = " + std::to_string(o.neighbours) + " must be between 1 and the " +
                    std::to_string(reference.cols()) + " reference samples");
  if (needsImage(o.score)) {
    if (shape.kind != Shape::Kind::Image)
      throw Error(Error::Code::InvalidArgument, what + "needs images, not " + shape.describe());
    const int side = std::min(shape.dims[1], shape.dims[2]);
    if (o.window < 1 || o.window > side)
      throw Error(Error::Code::InvalidArgument, what + "the window " + std::to_string(o.window) +
                                                    " must be between 1 and " +
                                                    std::to_string(side) + " pixels");
  }
}

}  // namespace

std::string toString(AnomalyScore s) {
  for (const ScoreName& n : Names)
    if (n.score == s) return n.name;
  return "mse";
}

AnomalyScore anomalyScoreFromString(const std::string& name) {
  for (const ScoreName& n : Names)
    if (name == n.name) return n.score;
  throw Error(Error::Code::InvalidArgument,
              "unknown anomaly score '" + name +
                  "' (mse, bce, blurred, localmax, pixelz, neighbours or classes)");
}

std::vector<AnomalyScore> allAnomalyScores() {
  std::vector<AnomalyScore> out;
  for (const ScoreName& n : Names) out.push_back(n.score);
  return out;
}

bool needsReference(AnomalyScore s) {
  return s == AnomalyScore::PixelZ || s == AnomalyScore::Neighbours || s == AnomalyScore::Classes;
}

bool needsClassModels(AnomalyScore s) { return s == AnomalyScore::Classes; }

bool needsImage(AnomalyScore s) {
  return s == AnomalyScore::Blurred || s == AnomalyScore::LocalMax;
}

Matrix trainingReference(const Dataset& data, const TrainingSpec& training,
                         const std::vector<int>& normal) {
  std::vector<int> train =
      splitIndices(data.count(), training.validationFraction, training.seed, data.labels).train;
  if (!normal.empty()) train = keepClasses(data, train, normal);
  return columnsAt(data.samples, train);
}

Matrix scoreReference(AnomalyScore score, const Dataset& data, const TrainingSpec& training,
                      const std::vector<int>& normal) {
  if (score != AnomalyScore::Classes) return trainingReference(data, training, normal);
  std::vector<int> validation =
      splitIndices(data.count(), training.validationFraction, training.seed, data.labels)
          .validation;
  if (!normal.empty()) validation = keepClasses(data, validation, normal);
  if (validation.empty()) return trainingReference(data, training, normal);
  return columnsAt(data.samples, validation);
}

std::vector<double> anomalyScores(const Model& model, const Shape& shape, const Matrix& data,
                                  const AnomalyScoreOptions& o, const Matrix& reference) {
  requireOptions(model, shape, data, o, reference);
  if (o.score == AnomalyScore::Classes)
    return neighbourRelativeErrors(data, bestClassErrors(*o.classModels, data).errors, reference,
                                   bestClassErrors(*o.classModels, reference).errors, o.neighbours);
  const Matrix recon = reconstructAll(model, data);
  const Matrix diff = recon - data;
  switch (o.score) {
    case AnomalyScore::Mse:
      return meanSquares(diff);
    case AnomalyScore::Bce:
      return crossEntropies(data, recon);
    case AnomalyScore::Blurred:
      return blurredErrors(diff, imageDims(shape), o.window);
    case AnomalyScore::LocalMax:
      return worstPatchErrors(diff, imageDims(shape), o.window);
    case AnomalyScore::PixelZ:
      return pixelNormalisedErrors(diff, reconstructAll(model, reference) - reference);
    case AnomalyScore::Neighbours:
    case AnomalyScore::Classes:
      return neighbourRelativeErrors(data, meanSquares(diff), reference,
                                     meanSquares(reconstructAll(model, reference) - reference),
                                     o.neighbours);
  }
  return meanSquares(diff);
}

}  // namespace latent
