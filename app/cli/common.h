// Helpers shared by the CLI subcommands: data loading with a split, terminal progress, JSON output.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/loadoptions.h"
#include "train/snapshot.h"

namespace CLI {
class App;
}

namespace cli {

/// The loading choices a subcommand offers: --missing, --label-column, --window, --stride.
struct DataOptions {
  std::string missing = "error";  // error | drop | mean
  std::string labelColumn;        // NAME, column number, or "none"
  int window = 0, stride = 0;     // time-series windows (CSV or 2-D .npy)
  bool interactions = false;      // users × items: binarise (value > 0 → 1)
  /// As LoadOptions; throws latent::Error(InvalidArgument) naming the bad option.
  latent::LoadOptions toLoadOptions() const;
};

/// Adds the DataOptions flags to `sub`, bound to `o`.
void addDataOptions(CLI::App* sub, DataOptions& o);

/// "Dataset: IDX, CSV/TSV or .npy/.npz file, an MNIST folder, or builtin:NAME", for --data.
extern const char* const DataHelp;

/// A file or folder through latent::loadDatasetWithReport, or a "builtin:NAME[:n=…:dim=…:seed=…]"
/// generated dataset (then options.normalisation, if set, still applies).
latent::LoadResult loadDataWithReport(const std::string& path, const latent::LoadOptions& options);

/// Loads PATH with loadDataWithReport and prints the report's warnings to stderr, one
/// "latentlab-cli: warning: 'PATH': …" line each.
std::shared_ptr<const latent::Dataset> loadData(const std::string& path,
                                                const latent::LoadOptions& options = {});
/// As loadData with `o`'s options; with --interactions the table is binarised (users × items).
std::shared_ptr<const latent::Dataset> loadData(const std::string& path, const DataOptions& o);

/// Throws when `data` (loaded from `path`) does not have `expected` values per sample;
/// `expectedBy` names what expects them ("the model in 'm.safetensors'").
void requireFeatures(const latent::Dataset& data, const std::string& path, int expected,
                     const std::string& expectedBy);

/// Prints one line per epoch to stdout and, on a terminal, a live progress bar on stderr.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet) : m_quiet(quiet) {}
  void operator()(const latent::TrainingProgress& p);

 private:
  bool m_quiet;
};

/// A double as JSON would print it (enough digits to round-trip, no locale).
std::string jsonNumber(double v);

/// The value at fraction q (clamped to [0, 1]) of the sorted values, nearest rank; v not empty.
double quantile(std::vector<double> v, double q);

}  // namespace cli
