// latentlab-cli pca: the linear baseline, reconstruction MSE with K principal components.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "analysis/pca.h"
#include "commands.h"
#include "common.h"

namespace cli {
namespace {

struct PcaOptions {
  std::string data, test;
  int components = 2;
  bool json = false;
  DataOptions load;
};

void runPca(const PcaOptions& o) {
  latent::LoadOptions options = o.load.toLoadOptions();
  const auto train = loadData(o.data, options);
  options.normalisation = train->normalisation;  // the test set in the fitted data's units
  const auto test = o.test.empty() ? train : loadData(o.test, options);
  requireFeatures(*test, o.test, train->features(), "'" + o.data + "'");
  const latent::Pca pca = latent::Pca::fit(train->samples, o.components);
  const double mse = pca.reconstructionMse(test->samples);
  if (o.json)
    std::cout << "{\"components\":" << o.components << ",\"mse\":" << jsonNumber(mse) << "}"
              << std::endl;
  else
    std::cout << "PCA with " << o.components
              << " components: " << (o.test.empty() ? "train" : "test") << " MSE per value " << mse
              << "\n";
}

}  // namespace

void addPcaCommand(CLI::App& app) {
  auto o = std::make_shared<PcaOptions>();
  auto* sub = app.add_subcommand(
      "pca", "Reconstruction MSE of PCA with K components (the linear baseline)");
  sub->add_option("--data", o->data, DataHelp)->required();
  addDataOptions(sub, o->load);
  sub->add_option("--components,-k", o->components, "Number of components")->required();
  sub->add_option("--test", o->test, "Data to measure on (default: the fitting data)");
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runPca(*o); });
}

}  // namespace cli
