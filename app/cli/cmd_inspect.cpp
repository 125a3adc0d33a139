// latentlab-cli inspect PATH: loads a dataset and prints what the loader understood of it.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "commands.h"
#include "common.h"
#include "io/load.h"

namespace cli {
namespace {

void printSummary(const latent::LoadResult& r) {
  const latent::Dataset& d = r.data;
  std::cout << "name:          " << d.name << "\n"
            << "path:          " << d.sourcePath << "\n"
            << "format:        " << r.report.format << "\n";
  for (const std::string& note : r.report.notes) std::cout << "  " << note << "\n";
  for (const std::string& warning : r.report.warnings())
    std::cout << "  warning: " << warning << "\n";
  std::cout << "samples:       " << d.count() << "\n"
            << "shape:         " << d.shape.describe() << " (" << d.features()
            << " values per sample)\n";
  if (d.count() > 0)
    std::cout << "values:        min " << d.samples.minCoeff() << ", max " << d.samples.maxCoeff()
              << "\n";
  std::cout << "normalisation: " << d.normalisation.describe();
  if (d.normalisation.kind != latent::Normalisation::Kind::None &&
      d.normalisation.scale.size() == 1)
    std::cout << " (original = stored × " << d.normalisation.scale[0] << " + "
              << d.normalisation.offset[0] << ")";
  std::cout << "\n";
  if (!d.hasLabels()) {
    std::cout << "classes:       none (no labels found)\n";
    return;
  }
  std::map<int, int> perClass;
  for (int label : d.labels) ++perClass[label];
  std::cout << "classes:       " << perClass.size() << "\n";
  for (const auto& [label, n] : perClass) {
    const bool named = label < static_cast<int>(d.classNames.size());
    std::cout << "  " << (named ? d.classNames[label] : std::to_string(label)) << ": " << n << "\n";
  }
}

}  // namespace

void addInspectCommand(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto load = std::make_shared<DataOptions>();
  auto* sub = app.add_subcommand(
      "inspect", "Load a dataset and summarise what the loader found (format, layout, labels)");
  sub->add_option("path", *path, DataHelp)->required();
  addDataOptions(sub, *load);
  sub->callback([path, load] { printSummary(loadDataWithReport(*path, load->toLoadOptions())); });
}

}  // namespace cli
