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
#include <numeric>

#include "analysis/anomalyscore.h"
#include "analysis/classmodels.h"
#include "analysis/ranking.h"
#include "commands.h"
#include "common.h"
#include "data/classfilter.h"
#include "io/codeexport.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct AnomalyOptions {
  std::string model, data;
  std::string scoresOut;  // --scores: every sample's score as CSV
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

/// The file the normal reference comes from: --reference, else the one the model was trained on.
std::shared_ptr<const latent::Dataset> referenceData(const AnomalyOptions& o,
                                                     const latent::LoadedModel& loaded) {
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
  auto reference = loadData(path);
  requireFeatures(*reference, path, loaded.model->inputSize(), "the model in '" + o.model + "'");
  return reference;
}

/// The normal samples the score compares with, as the Anomalies tab takes them: a part of the
/// model's split of the reference file (latent::scoreReference), kept to the --normal classes.
latent::Matrix referenceSamples(const AnomalyOptions& o, const latent::LoadedModel& loaded,
                                const latent::Dataset& reference) {
  try {
    return latent::scoreReference(latent::anomalyScoreFromString(o.score), reference,
                                  loaded.model->spec().training,
                                  reference.hasLabels() ? o.normal : std::vector<int>{});
  } catch (const latent::Error& e) {
    throw latent::Error(e.code(), "--reference '" + reference.sourcePath + "': " + e.what());
  }
}

/// One model per --normal class, trained with the model file's spec on the reference file, as the
/// Anomalies tab trains them; progress on stderr.
std::shared_ptr<const latent::ClassModels> classModels(const AnomalyOptions& o,
                                                       const latent::LoadedModel& loaded,
                                                       const latent::Dataset& reference) {
  if (o.normal.empty() || !reference.hasLabels())
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "--score classes trains one model per normal class: it needs --normal "
                        "and a labelled reference file");
  int reported = -1;
  const auto progress = [&](double fraction) {
    const int percent = int(100 * fraction);
    if (percent / 10 != reported / 10) std::cerr << "class models: " << percent << "%\n";
    reported = percent;
    return true;
  };
  try {
    return std::make_shared<const latent::ClassModels>(
        *latent::trainClassModels(loaded.model->spec(), reference, o.normal, progress));
  } catch (const latent::Error& e) {
    throw latent::Error(e.code(), "--reference '" + reference.sourcePath + "': " + e.what());
  }
}

std::vector<double> scores(const AnomalyOptions& o, const latent::LoadedModel& loaded,
                           const latent::Dataset& data, nlohmann::json& report) {
  latent::AnomalyScoreOptions options;
  options.score = latent::anomalyScoreFromString(o.score);
  options.window = o.window;
  options.neighbours = o.neighbours;
  latent::Matrix reference;
  if (latent::needsReference(options.score)) {
    const auto referenceFile = referenceData(o, loaded);
    reference = referenceSamples(o, loaded, *referenceFile);
    if (latent::needsClassModels(options.score)) {
      options.classModels = classModels(o, loaded, *referenceFile);
      report["class_models"] = {{"classes", options.classModels->classes},
                                {"epochs", options.classModels->epochs}};
    }
  }
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
  nlohmann::json report = {{"samples", data->count()}, {"score", o.score}};
  const std::vector<double> errors = scores(o, loaded, *data, report);
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
  if (!o.scoresOut.empty()) {
    std::vector<int> rows(errors.size());
    std::iota(rows.begin(), rows.end(), 0);
    latent::writeScoresCsv(o.scoresOut, rows, data->labels, errors, threshold);
  }
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
  sub->add_option(
         "--score", o->score,
         "How the reconstruction error is scored: neighbours (MSE over that of the "
         "--neighbours nearest normal training samples) | classes (as neighbours, with the "
         "lowest MSE of one model per --normal class, trained here with the model's "
         "settings) | mse | bce | blurred | localmax (images, --window) | pixelz "
         "(per-pixel over the normal data's)")
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
  sub->add_option("--scores", o->scoresOut,
                  "Write every sample's score to this CSV (sample,label,score,flagged; flagged at "
                  "the reported threshold)");
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runAnomalies(*o); });
}

}  // namespace cli
