// latentlab-cli: the compute core headless (train, evaluate, encode, pca, inspect, anomalies,
// recommend, import-mnist).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#ifdef LATENT_CLI_IMAGE_FOLDERS
#include "imagefolder.h"
#endif

int main(int argc, char** argv) {
#ifdef LATENT_CLI_IMAGE_FOLDERS
  installImageFolderLoader();  // --data may name a folder of images, as in the GUI
#endif
  CLI::App app{"LatentLab command line: train and use autoencoders without the GUI"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  cli::addTrainCommand(app);
  cli::addEvaluateCommand(app);
  cli::addEncodeCommand(app);
  cli::addPcaCommand(app);
  cli::addInspectCommand(app);
  cli::addAnomaliesCommand(app);
  cli::addRecommendCommand(app);
  cli::addImportMnistCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "latentlab-cli: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
