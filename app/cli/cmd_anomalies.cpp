// latentlab-cli anomalies: reconstruction error as an anomaly score. With labels and --normal, the
// classes not listed are the anomalies and the ROC AUC, average precision and the threshold at a
// chosen false-positive rate are reported; always the top-k most anomalous samples. --score picks
// how the reconstruction error is turned into a score (latent::AnomalyScore).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/anomalyscore.h"
#include "analysis/ranking.h"
#include "commands.h"
#include "common.h"
#include "data/classfilter.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct AnomalyOptions {
  std::string model, data;
  std::string reference;  // normal samples for the calibrated scores (default: the model's data)
  std::string score = latent::toString(latent::AnomalyScoreOptions{}.score);
  int window = latent::AnomalyScoreOptions{}.window;
  int neighbours = latent::AnomalyScoreOptions{}.neighbours;
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

/// The normal samples the model learnt from, as the Anomalies tab takes them: the training part of
/// the model's split of the reference file, kept to the --normal classes.
latent::Matrix referenceSamples(const AnomalyOptions& o, const latent::LoadedModel& loaded) {
  const std::string& path = o.reference.empty() ? loaded.info.datasetPath : o.reference;
  const bool found =
      !path.empty() && (std::filesystem::exists(path) || path.starts_with("builtin:"));
  if (!found)
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "--score " + o.score + " compares with the normal training data, but " +
                            (o.reference.empty() ? "the model's training file '" + path +
                                                       "' is not found: pass --reference FILE"
                                                 : "--reference '" + path + "' is not found") +
                            " (or choose --score mse)");
  const auto reference = loadData(path);
  requireFeatures(*reference, path, loaded.model->inputSize(), "the model in '" + o.model + "'");
  try {
    return latent::trainingReference(*reference, loaded.model->spec().training,
                                     reference->hasLabels() ? o.normal : std::vector<int>{});
  } catch (const latent::Error& e) {
    throw latent::Error(e.code(), "--reference '" + path + "': " + e.what());
  }
}

std::vector<double> scores(const AnomalyOptions& o, const latent::LoadedModel& loaded,
                           const latent::Dataset& data) {
  latent::AnomalyScoreOptions options;
  options.score = latent::anomalyScoreFromString(o.score);
  options.window = o.window;
  options.neighbours = o.neighbours;
  const latent::Matrix reference =
      latent::needsReference(options.score) ? referenceSamples(o, loaded) : latent::Matrix();
  return latent::anomalyScores(*loaded.model, data.shape, data.samples, options, reference);
}

void runAnomalies(const AnomalyOptions& o) {
  if (!(o.fpr >= 0 && o.fpr <= 1))
    throw latent::Error(latent::Error::Code::InvalidArgument, "--fpr must be between 0 and 1");
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  const auto data = loadData(o.data);
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  // The classes first: a bad --normal is named as such, not by the reference it would pick.
  const std::vector<bool> anomalous =
      o.normal.empty() ? std::vector<bool>{} : anomalousByLabel(*data, o);
  const std::vector<double> errors = scores(o, loaded, *data);
  nlohmann::json report = {{"samples", data->count()}, {"score", o.score}};
  double threshold = 0;
  if (!o.normal.empty()) {
    report.update(labelledReport(errors, anomalous, o.fpr));
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
  std::cout << data->count() << " samples scored by " << o.score << ", threshold " << threshold
            << " flags " << report["flagged"] << "\n";
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
  sub->add_option("--score", o->score,
                  "How the reconstruction error is scored: neighbours (MSE over that of the "
                  "--neighbours nearest normal training samples) | mse | bce | blurred | localmax "
                  "(images, --window) | pixelz (per-pixel over the normal data's)")
      ->capture_default_str();
  sub->add_option("--window", o->window, "blurred, localmax: patch side in pixels")
      ->capture_default_str();
  sub->add_option("--neighbours", o->neighbours,
                  "neighbours: how many nearest normal codes set a sample's expected error")
      ->capture_default_str();
  sub->add_option(
      "--reference", o->reference,
      "Normal data for neighbours/pixelz: the training part of the model's split of "
      "this file, in the --normal classes (default: the file the model was trained on)");
  sub->add_option("--fpr", o->fpr, "False-positive rate that sets the threshold (default 0.05)");
  sub->add_option("--top", o->top, "How many of the most anomalous samples to list (default 10)");
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runAnomalies(*o); });
}

}  // namespace cli
