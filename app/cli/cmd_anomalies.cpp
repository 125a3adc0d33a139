// latentlab-cli anomalies: reconstruction error as an anomaly score. With labels and --normal, the
// classes not listed are the anomalies and the ROC AUC, average precision and the threshold at a
// chosen false-positive rate are reported; always the top-k most anomalous samples.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/ranking.h"
#include "analysis/reconstructionerror.h"
#include "commands.h"
#include "common.h"
#include "data/classfilter.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct AnomalyOptions {
  std::string model, data;
  std::vector<int> normal;
  double fpr = 0.05;
  int top = 10;
  bool json = false;
};

/// Which samples are anomalies: those whose label is not among the normal classes.
std::vector<bool> anomalousByLabel(const latent::Dataset& data, const AnomalyOptions& o) {
  try {
    return latent::outsideClasses(data, o.normal);
  } catch (const latent::Error& e) {
    throw latent::Error(e.code(), std::string("--normal: ") + e.what());
  }
}

nlohmann::json labelledReport(const std::vector<double>& errors, const std::vector<bool>& anomalous,
                              double fpr) {
  const latent::RocCurve roc = latent::rocCurve(errors, anomalous);
  const latent::PrCurve pr = latent::precisionRecallCurve(errors, anomalous);
  const double threshold = latent::thresholdAtFalsePositiveRate(errors, anomalous, fpr);
  const latent::Confusion m = latent::confusionAt(errors, anomalous, threshold);
  return {{"auc", roc.auc},
          {"average_precision", pr.averagePrecision},
          {"anomalies", m.truePositives + m.falseNegatives},
          {"threshold", threshold},
          {"fpr", double(m.falsePositives) / double(m.falsePositives + m.trueNegatives)},
          {"tpr", double(m.truePositives) / double(m.truePositives + m.falseNegatives)},
          {"confusion",
           {{"tp", m.truePositives},
            {"fp", m.falsePositives},
            {"tn", m.trueNegatives},
            {"fn", m.falseNegatives}}}};
}

void runAnomalies(const AnomalyOptions& o) {
  if (!(o.fpr >= 0 && o.fpr <= 1))
    throw latent::Error(latent::Error::Code::InvalidArgument, "--fpr must be between 0 and 1");
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  const auto data = loadData(o.data);
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  const std::vector<double> errors = latent::reconstructionErrors(*loaded.model, data->samples);
  nlohmann::json report = {{"samples", data->count()}};
  double threshold = 0;
  if (!o.normal.empty()) {
    report.update(labelledReport(errors, anomalousByLabel(*data, o), o.fpr));
    threshold = report["threshold"];
  } else {
    threshold = quantile(errors, 1.0 - o.fpr);  // flags the top `fpr` fraction
    report["threshold"] = threshold;
  }
  report["flagged"] =
      std::count_if(errors.begin(), errors.end(), [&](double e) { return e >= threshold; });
  report["top"] = latent::topK(errors, o.top);
  if (o.json) {
    std::cout << report.dump() << std::endl;
    return;
  }
  std::cout << data->count() << " samples, threshold " << threshold << " flags "
            << report["flagged"] << "\n";
  if (report.contains("auc"))
    std::cout << "ROC AUC " << report["auc"] << ", average precision "
              << report["average_precision"] << ", at the threshold TPR " << report["tpr"]
              << " FPR " << report["fpr"] << "\n";
  std::cout << "most anomalous samples: " << report["top"].dump() << "\n";
}

}  // namespace

void addAnomaliesCommand(CLI::App& app) {
  auto o = std::make_shared<AnomalyOptions>();
  auto* sub = app.add_subcommand(
      "anomalies", "Score samples by reconstruction error; ROC AUC when normal classes are given");
  sub->add_option("--model", o->model, "Model file")->required();
  sub->add_option("--data", o->data, "Dataset to score")->required();
  sub->add_option("--normal", o->normal,
                  "Labels that count as normal (e.g. 0,1,2); the others "
                  "are the anomalies")
      ->delimiter(',');
  sub->add_option("--fpr", o->fpr, "False-positive rate that sets the threshold (default 0.05)");
  sub->add_option("--top", o->top, "How many of the most anomalous samples to list (default 10)");
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runAnomalies(*o); });
}

}  // namespace cli
