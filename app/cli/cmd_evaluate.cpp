// latentlab-cli evaluate: reconstruction error of a saved model on a dataset; for sequence data
// (windows) also the per-window error and, with normal/anomalous labels, its ROC AUC as an anomaly
// score.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/ranking.h"
#include "analysis/reconstructionerror.h"
#include "commands.h"
#include "common.h"
#include "io/atomicfile.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct EvaluateOptions {
  std::string model, data, errorsOut;
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

/// The class that labels anomalies: one named "anomalous"/"anomaly", else class 1 of exactly two
/// (the built-in Signals and any normal/anomaly labelling); -1 when the labels are not that.
int anomalousClass(const latent::Dataset& data) {
  if (!data.hasLabels()) return -1;
  for (size_t c = 0; c < data.classNames.size(); ++c)
    if (data.classNames[c] == "anomalous" || data.classNames[c] == "anomaly") return int(c);
  return data.classCount() == 2 ? 1 : -1;
}

/// Per-window error summary, and its ROC AUC when the labels mark anomalies.
nlohmann::json windowReport(const latent::Dataset& data, const std::vector<double>& errors) {
  nlohmann::json report = {{"windows", data.count()}};
  double sum = 0;
  for (double e : errors) sum += e;
  report["mean"] = sum / double(errors.size());
  report["median"] = quantile(errors, 0.5);
  report["p95"] = quantile(errors, 0.95);
  report["max"] = *std::max_element(errors.begin(), errors.end());
  if (const int cls = anomalousClass(data); cls >= 0) {
    std::vector<bool> anomalous(data.labels.size());
    for (size_t i = 0; i < anomalous.size(); ++i) anomalous[i] = data.labels[i] == cls;
    const long long count = std::count(anomalous.begin(), anomalous.end(), true);
    if (count > 0 && count < (long long)anomalous.size()) {
      report["anomalies"] = count;
      report["auc"] = latent::rocCurve(errors, anomalous).auc;
    }
  }
  return report;
}

/// index,label,error per sample (label empty without labels).
void writeErrors(const std::string& path, const latent::Dataset& data,
                 const std::vector<double>& errors) {
  std::ostringstream csv;
  csv.precision(9);
  csv << "index,label,error\n";
  for (size_t i = 0; i < errors.size(); ++i) {
    csv << i << ',';
    if (data.hasLabels()) csv << data.labels[i];
    csv << ',' << errors[i] << '\n';
  }
  const std::string text = csv.str();
  latent::writeFileAtomically(path, text.data(), text.size());
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
  const bool sequences = data->shape.kind == latent::Shape::Kind::Sequence && data->count() > 0;
  std::vector<double> errors;
  if (sequences || !o.errorsOut.empty())
    errors = latent::reconstructionErrors(*loaded.model, data->samples);
  if (!o.errorsOut.empty()) writeErrors(o.errorsOut, *data, errors);
  nlohmann::json report = {{"mse", mse}, {"bce", bce}, {"samples", data->count()}};
  if (sequences) report["window_error"] = windowReport(*data, errors);
  if (o.json) {
    std::cout << report.dump() << std::endl;
    return;
  }
  std::cout << data->count() << " samples: MSE per value " << mse << ", BCE per value " << bce
            << "\n";
  if (sequences) {
    const auto& w = report["window_error"];
    std::cout << "per-window MSE: mean " << w["mean"].get<double>() << ", median "
              << w["median"].get<double>() << ", 95th percentile " << w["p95"].get<double>()
              << ", max " << w["max"].get<double>() << "\n";
    if (w.contains("auc"))
      std::cout << "ROC AUC of the per-window error for the " << w["anomalies"].get<long long>()
                << " anomalous windows: " << w["auc"].get<double>() << "\n";
  }
}

}  // namespace

void addEvaluateCommand(CLI::App& app) {
  auto o = std::make_shared<EvaluateOptions>();
  auto* sub = app.add_subcommand("evaluate", "Reconstruction MSE and BCE of a model on a dataset");
  sub->add_option("--model", o->model, "Model file")->required();
  sub->add_option("--data", o->data, DataHelp)->required();
  addDataOptions(sub, o->load);
  sub->add_option("--errors", o->errorsOut,
                  "Write each sample's reconstruction MSE to this CSV (index,label,error)");
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runEvaluate(*o); });
}

}  // namespace cli
