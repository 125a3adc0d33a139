// latentlab-cli subcommands: each file adds one subcommand to the CLI11 app and runs it.
// A user error is thrown as latent::Error (or std::exception); main prints one line and exits 1.
#pragma once

namespace CLI {
class App;
}

namespace cli {

void addTrainCommand(CLI::App& app);
void addEvaluateCommand(CLI::App& app);
void addEncodeCommand(CLI::App& app);
void addPcaCommand(CLI::App& app);
void addImportMnistCommand(CLI::App& app);
void addInspectCommand(CLI::App& app);
void addAnomaliesCommand(CLI::App& app);
void addRecommendCommand(CLI::App& app);

}  // namespace cli
