// AnomalyAnalysis: the worker job (errors, gallery, curves) and the instant threshold queries.
#include "anomalyanalysis.h"

#include <algorithm>
#include <chrono>

#include "data/classfilter.h"
#include "sampleimage.h"

namespace {

constexpr int CellSize = 84;  // gallery pictures of sequences are plotted at this size

long long countAtLeast(const std::vector<double>& sorted, double threshold) {
  return static_cast<long long>(sorted.end() -
                                std::lower_bound(sorted.begin(), sorted.end(), threshold));
}

std::vector<double> sortedCopy(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

/// What the score saw as each input's reconstruction: the model's, or for the Classes score that
/// of the class model that reconstructs the input best.
latent::Matrix reconstructions(const latent::Model& model, const latent::ClassModels* classes,
                               const latent::Matrix& inputs) {
  if (!classes) return model.reconstruct(inputs);
  const std::vector<int> best = latent::bestClassErrors(*classes, inputs).model;
  latent::Matrix out(inputs.rows(), inputs.cols());
  for (Eigen::Index i = 0; i < inputs.cols(); ++i)
    out.col(i) = classes->models[size_t(best[size_t(i)])]->reconstruct(inputs.col(i));
  return out;
}

std::vector<AnomalyExample> gallery(const latent::Model& model, const latent::ClassModels* classes,
                                    const latent::Dataset& data, const std::vector<double>& errors,
                                    int k) {
  std::vector<AnomalyExample> out;
  const std::vector<int> top = latent::topK(errors, k);
  if (top.empty()) return out;
  latent::Matrix inputs(data.features(), Eigen::Index(top.size()));
  for (size_t i = 0; i < top.size(); ++i) inputs.col(Eigen::Index(i)) = data.samples.col(top[i]);
  const latent::Matrix outputs = reconstructions(model, classes, inputs);
  const auto range = sampleimage::DisplayRange::of(data.samples.data(), int(data.samples.size()));
  const float maxError = 0.5f * (range.hi - range.lo);  // as the reconstruction grid's error row
  const bool sequence = data.shape.kind == latent::Shape::Kind::Sequence;
  for (size_t i = 0; i < top.size(); ++i) {
    const float* in = inputs.col(Eigen::Index(i)).data();
    const float* rec = outputs.col(Eigen::Index(i)).data();
    AnomalyExample e{top[i], errors[top[i]], {}, {}, {}};
    if (sequence) {
      e.input = sampleimage::sequencePlot(data.shape, in, nullptr, {CellSize, CellSize});
      e.reconstruction = sampleimage::sequencePlot(data.shape, in, rec, {CellSize, CellSize});
    } else {
      e.input = sampleimage::fromSample(data.shape, in);
      e.reconstruction = sampleimage::fromSample(data.shape, rec);
    }
    e.heatmap = sampleimage::errorHeatmap(data.shape, in, rec, maxError);
    out.push_back(std::move(e));
  }
  return out;
}

/// Labelled part: which samples are anomalies and how well the error ranks them.
void rank(AnomalyAnalysis& a) {
  const latent::Dataset& data = *a.request.data;
  a.anomalous = latent::outsideClasses(data, a.request.normalClasses);
  std::vector<double> positive, negative;
  for (size_t i = 0; i < a.errors.size(); ++i)
    (a.anomalous[i] ? positive : negative).push_back(a.errors[i]);
  a.sortedPositive = sortedCopy(std::move(positive));
  a.sortedNegative = sortedCopy(std::move(negative));
  a.hasRanking = !a.sortedPositive.empty() && !a.sortedNegative.empty();
  if (!a.hasRanking) return;
  a.roc = latent::rocCurve(a.errors, a.anomalous);
  a.pr = latent::precisionRecallCurve(a.errors, a.anomalous);
}

/// The class models for the request: the panel's, or trained here (null when cancelled).
std::shared_ptr<const latent::ClassModels> classModelsFor(const AnomalyRequest& request) {
  if (request.score.classModels) return request.score.classModels;
  const latent::Dataset& all = request.all ? *request.all : *request.data;
  const auto progress = [&](double fraction) {
    if (!request.control) return true;
    request.control->progress = fraction;
    return !request.control->cancel.load();
  };
  auto trained = latent::trainClassModels(request.snapshot->model->spec(), all,
                                          request.normalClasses, progress);
  return trained ? std::make_shared<const latent::ClassModels>(std::move(*trained)) : nullptr;
}

std::vector<double> scores(const AnomalyRequest& request, latent::AnomalyScoreOptions options) {
  const latent::Model& model = *request.snapshot->model;
  const latent::Dataset& data = *request.data;
  latent::Matrix reference;
  if (latent::needsReference(options.score)) {
    const latent::Dataset& all = request.all ? *request.all : data;
    reference =
        latent::scoreReference(options.score, all, model.spec().training,
                               all.hasLabels() ? request.normalClasses : std::vector<int>{});
  }
  return latent::anomalyScores(model, data.shape, data.samples, options, reference);
}

/// The scores of `reuse` still hold: same model, samples, gallery size and score, and for the
/// calibrated scores the same normal classes (they pick the reference).
bool sameScores(const AnomalyRequest& a, const AnomalyRequest& b) {
  return a.snapshot == b.snapshot && a.data == b.data && a.all == b.all && a.topK == b.topK &&
         a.score.score == b.score.score && a.score.window == b.score.window &&
         a.score.neighbours == b.score.neighbours &&
         (!latent::needsReference(a.score.score) || a.normalClasses == b.normalClasses);
}

}  // namespace

bool classModelsFit(const AnomalyRequest& trained, const AnomalyRequest& request) {
  return trained.all == request.all && trained.normalClasses == request.normalClasses &&
         trained.snapshot && request.snapshot &&
         trained.snapshot->model->spec() == request.snapshot->model->spec();
}

long long AnomalyAnalysis::flaggedAt(double threshold) const {
  return countAtLeast(sortedErrors, threshold);
}

latent::Confusion AnomalyAnalysis::confusionAt(double threshold) const {
  latent::Confusion c;
  if (!hasRanking) return c;
  c.truePositives = countAtLeast(sortedPositive, threshold);
  c.falseNegatives = static_cast<long long>(sortedPositive.size()) - c.truePositives;
  c.falsePositives = countAtLeast(sortedNegative, threshold);
  c.trueNegatives = static_cast<long long>(sortedNegative.size()) - c.falsePositives;
  return c;
}

double AnomalyAnalysis::defaultThreshold(double rate) const {
  if (sortedErrors.empty()) return 0;
  if (hasRanking) return latent::thresholdAtFalsePositiveRate(errors, anomalous, rate);
  const auto kept =
      size_t(std::clamp(1.0 - rate, 0.0, 1.0) * double(sortedErrors.size() - 1) + 0.5);
  return sortedErrors[kept];
}

std::shared_ptr<const AnomalyAnalysis> buildAnomalyAnalysis(
    const AnomalyRequest& request, std::shared_ptr<const AnomalyAnalysis> reuse) {
  const auto start = std::chrono::steady_clock::now();
  auto a = std::make_shared<AnomalyAnalysis>();
  a->request = request;
  const latent::Model& model = *request.snapshot->model;
  const latent::Dataset& data = *request.data;
  if (reuse && sameScores(reuse->request, request)) {
    a->errors = reuse->errors;
    a->sortedErrors = reuse->sortedErrors;
    a->top = reuse->top;
    a->classModels = reuse->classModels;
  } else {
    latent::AnomalyScoreOptions options = request.score;
    if (latent::needsClassModels(options.score)) {
      options.classModels = classModelsFor(request);
      if (!options.classModels) return nullptr;  // cancelled
    }
    a->errors = scores(request, options);
    a->sortedErrors = sortedCopy(a->errors);
    a->classModels = options.classModels;
    a->top = gallery(model, a->classModels.get(), data, a->errors, request.topK);
  }
  if (data.hasLabels() && !request.normalClasses.empty()) rank(*a);
  a->suggestedThreshold = a->defaultThreshold(AnomalyAnalysis::SuggestedRate);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return a;
}
