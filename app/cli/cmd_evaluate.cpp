// latentlab-cli evaluate: reconstruction error of a saved model on a dataset.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>

#include "commands.h"
#include "common.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct EvaluateOptions {
  std::string model, data;
  bool json = false;
  DataOptions load;
};

/// Per-value binary cross-entropy of reconstructions in (0,1) against targets in [0,1].
double perValueBce(const latent::Matrix& reconstruction, const latent::Matrix& target) {
  constexpr double Eps = 1e-7;  // keeps log finite for saturated outputs
  double sum = 0;
  for (Eigen::Index i = 0; i < target.size(); ++i) {
    const double p = std::clamp(double(reconstruction.data()[i]), Eps, 1 - Eps);
    const double t = target.data()[i];
    sum -= t * std::log(p) + (1 - t) * std::log(1 - p);
  }
  return sum / double(target.size());
}

void runEvaluate(const EvaluateOptions& o) {
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  latent::LoadOptions options = o.load.toLoadOptions();
  options.normalisation = loaded.info.normalisation;  // scaled as the training data was
  const auto data = loadData(o.data, options);
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  const latent::Matrix reconstruction = loaded.model->reconstruct(data->samples);
  const double mse = (reconstruction - data->samples).squaredNorm() / double(data->samples.size());
  const double bce = perValueBce(reconstruction, data->samples);
  if (o.json)
    std::cout << "{\"mse\":" << jsonNumber(mse) << ",\"bce\":" << jsonNumber(bce)
              << ",\"samples\":" << data->count() << "}" << std::endl;
  else
    std::cout << data->count() << " samples: MSE per value " << mse << ", BCE per value " << bce
              << "\n";
}

}  // namespace

void addEvaluateCommand(CLI::App& app) {
  auto o = std::make_shared<EvaluateOptions>();
  auto* sub = app.add_subcommand("evaluate", "Reconstruction MSE and BCE of a model on a dataset");
  sub->add_option("--model", o->model, "Model file")->required();
  sub->add_option("--data", o->data, DataHelp)->required();
  addDataOptions(sub, o->load);
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runEvaluate(*o); });
}

}  // namespace cli
