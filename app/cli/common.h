// Helpers shared by the CLI subcommands: data loading with a split, terminal progress, JSON output.
#pragma once

#include <memory>
#include <string>

#include "data/dataset.h"
#include "train/snapshot.h"

namespace cli {

/// Loads PATH with latent::loadDataset.
std::shared_ptr<const latent::Dataset> loadData(const std::string& path);

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

}  // namespace cli
