// Class-wise models: training one Trainer per normal class, then the best error per sample.
#include "analysis/classmodels.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/reconstructionerror.h"
#include "data/classfilter.h"
#include "models/model.h"
#include "train/trainer.h"

namespace latent {
namespace {

/// Trains one class model; nullptr when `keepGoing` cancels.
std::shared_ptr<const Model> trainOne(ModelSpec spec, std::shared_ptr<const Dataset> samples,
                                      int label, const std::function<bool(double)>& keepGoing) {
  spec.training.seed += unsigned(label);
  Trainer trainer(spec, std::move(samples), nullptr);
  bool cancelled = false;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind != TrainingProgress::Kind::EpochEnd || cancelled) return;
    if (!keepGoing(double(p.epoch) / double(std::max(p.epochs, 1)))) {
      cancelled = true;
      trainer.requestStop();
    }
  });
  const Trainer::State state = trainer.run();
  if (cancelled) return nullptr;
  if (state != Trainer::State::Finished)
    throw Error(Error::Code::InvalidArgument, "the model of class " + std::to_string(label) +
                                                  " did not train: " + toString(state) +
                                                  " (try a lower learning rate)");
  return trainer.latestSnapshot()->model;
}

}  // namespace

int classModelEpochs(int epochs, long long normalSamples, long long classSamples, int batchSize) {
  if (classSamples <= 0 || batchSize <= 0) return epochs;
  const auto batches = [&](long long n) { return (n + batchSize - 1) / batchSize; };
  const double steps = double(epochs) * double(batches(normalSamples));
  const double scaled = std::ceil(steps / double(batches(classSamples)));
  return int(std::clamp(scaled, 1.0, double(std::numeric_limits<int>::max() / 2)));
}

std::optional<ClassModels> trainClassModels(const ModelSpec& spec, const Dataset& data,
                                            std::vector<int> normal,
                                            const ClassModelProgress& progress) {
  std::sort(normal.begin(), normal.end());
  normal.erase(std::unique(normal.begin(), normal.end()), normal.end());
  const std::vector<int> train =
      splitIndices(data.count(), spec.training.validationFraction, spec.training.seed, data.labels)
          .train;
  const long long normalCount = static_cast<long long>(keepClasses(data, train, normal).size());
  ClassModels out;
  for (size_t c = 0; c < normal.size(); ++c) {
    const std::vector<int> own = keepClasses(data, train, {normal[c]});
    if (own.empty())
      throw Error(Error::Code::InvalidArgument,
                  "class " + std::to_string(normal[c]) + " has no training samples");
    ModelSpec classSpec = spec;
    classSpec.training.epochs =
        classModelEpochs(spec.training.epochs, normalCount, static_cast<long long>(own.size()),
                         spec.training.batchSize);
    const auto keepGoing = [&](double within) {
      return !progress || progress((double(c) + within) / double(normal.size()));
    };
    auto model = trainOne(classSpec, std::make_shared<const Dataset>(data.subset(own)), normal[c],
                          keepGoing);
    if (!model) return std::nullopt;
    out.classes.push_back(normal[c]);
    out.models.push_back(std::move(model));
    out.epochs.push_back(classSpec.training.epochs);
  }
  return out;
}

BestClassErrors bestClassErrors(const ClassModels& models, const Matrix& data) {
  BestClassErrors best;
  best.errors.assign(size_t(data.cols()), std::numeric_limits<double>::infinity());
  best.model.assign(size_t(data.cols()), -1);
  for (size_t m = 0; m < models.models.size(); ++m) {
    const std::vector<double> errors = reconstructionErrors(*models.models[m], data);
    for (size_t i = 0; i < errors.size(); ++i)
      if (errors[i] < best.errors[i]) {
        best.errors[i] = errors[i];
        best.model[i] = int(m);
      }
  }
  return best;
}

}  // namespace latent
