// CLI helpers.
#include "common.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "data/builtin.h"
#include "data/useritem.h"
#include "io/load.h"

namespace cli {

const char* const DataHelp =
    "Dataset: IDX, CSV/TSV or .npy/.npz file, an MNIST folder, a folder of images, or builtin:NAME "
    "(shapes, signals, moons, swissroll, blobs, useritem; settings as "
    "builtin:moons:n=2000:dim=5:seed=1)";

latent::LoadOptions DataOptions::toLoadOptions() const {
  latent::LoadOptions o;
  if (missing == "drop")
    o.missing = latent::MissingPolicy::DropRows;
  else if (missing == "mean")
    o.missing = latent::MissingPolicy::FillColumnMean;
  else if (missing != "error")
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "--missing '" + missing + "': choose error, drop or mean");
  if (labelColumn == "none")
    o.noLabelColumn = true;
  else
    o.labelColumn = labelColumn;
  if (window < 0 || stride < 0 || (stride > 0 && window == 0))
    throw latent::Error(
        latent::Error::Code::InvalidArgument,
        "--window/--window-stride: give a positive --window (time steps per sample), and "
        "--window-stride only with it");
  o.windowLength = window;
  o.windowStride = stride;
  return o;
}

void addDataOptions(CLI::App* sub, DataOptions& o) {
  sub->add_option("--missing", o.missing,
                  "Missing or infinite values and ragged rows in tables: error (list them), drop "
                  "(the rows), mean (fill with the column mean)")
      ->capture_default_str();
  sub->add_option("--label-column", o.labelColumn,
                  "Table label column by name or number, or none (default: detected)");
  sub->add_option("--window", o.window,
                  "Read a table as a time series cut into windows of this many steps");
  sub->add_option("--window-stride", o.stride, "Steps between window starts (default: --window)");
  sub->add_flag("--interactions", o.interactions,
                "Read a table as users × items interactions: any value > 0 (a rating, a 1) becomes "
                "1, the rest 0");
}

latent::LoadResult loadDataWithReport(const std::string& path, const latent::LoadOptions& options) {
  if (!latent::isBuiltinReference(path)) return latent::loadDatasetWithReport(path, options);
  latent::LoadResult r;
  r.report.format = "built-in";
  r.data = latent::makeBuiltinDataset(latent::parseBuiltinReference(path));
  r.report.addNote("generated from its seed: " + std::to_string(r.data.count()) + " samples of " +
                   r.data.shape.describe() + ", " + r.data.normalisation.describe());
  if (options.normalisation) {
    latent::renormalise(r.data, *options.normalisation);
    r.report.addNote("scaled like the given normalisation: " + options.normalisation->describe());
  }
  return r;
}

std::shared_ptr<const latent::Dataset> loadData(const std::string& path,
                                                const latent::LoadOptions& options) {
  latent::LoadResult r = loadDataWithReport(path, options);
  for (const std::string& w : r.report.warnings())
    std::cerr << "latentlab-cli: warning: '" << path << "': " << w << "\n";
  return std::make_shared<const latent::Dataset>(std::move(r.data));
}

std::shared_ptr<const latent::Dataset> loadData(const std::string& path, const DataOptions& o) {
  auto data = loadData(path, o.toLoadOptions());
  if (!o.interactions) return data;
  return std::make_shared<const latent::Dataset>(latent::binariseInteractions(*data));
}

void requireFeatures(const latent::Dataset& data, const std::string& path, int expected,
                     const std::string& expectedBy) {
  if (data.features() == expected) return;
  throw latent::Error(latent::Error::Code::InvalidArgument,
                      "'" + path + "' has " + std::to_string(data.features()) +
                          " values per sample but " + expectedBy + " takes " +
                          std::to_string(expected));
}

namespace {
void drawBar(const latent::TrainingProgress& p) {
  constexpr int Width = 30;
  const double fraction = p.batchesPerEpoch > 0 ? double(p.batch) / p.batchesPerEpoch : 0.0;
  const int filled = int(fraction * Width);
  std::fprintf(stderr, "\repoch %d/%d [%s%s] %3d%%  loss %.5f  %.0f samples/s ", p.epoch, p.epochs,
               std::string(filled, '#').c_str(), std::string(Width - filled, ' ').c_str(),
               int(fraction * 100), p.trainLoss.total, p.samplesPerSecond);
  std::fflush(stderr);
}
}  // namespace

void ProgressPrinter::operator()(const latent::TrainingProgress& p) {
  using Kind = latent::TrainingProgress::Kind;
  static const bool terminal = isatty(STDERR_FILENO);
  if (m_quiet) return;
  if (p.kind == Kind::Batch && terminal) drawBar(p);
  if (p.kind == Kind::EpochEnd) {
    if (terminal) std::fprintf(stderr, "\r%80s\r", "");
    std::printf("epoch %d/%d  train loss %.6f", p.epoch, p.epochs, p.trainLoss.total);
    if (p.validationLoss)
      std::printf("  val loss %.6f  val mse %.6f", p.validationLoss->total, p.validationLoss->mse);
    if (p.trainLoss.kl != 0)
      std::printf("  (recon %.4f + kl %.4f)", p.trainLoss.reconstruction, p.trainLoss.kl);
    std::printf("  %.0f samples/s\n", p.samplesPerSecond);
    std::fflush(stdout);
  }
}

std::string jsonNumber(double v) { return nlohmann::json(v).dump(); }

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[size_t(std::clamp(q, 0.0, 1.0) * double(v.size() - 1) + 0.5)];
}

}  // namespace cli
