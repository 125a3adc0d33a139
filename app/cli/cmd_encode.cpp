// latentlab-cli encode: writes every sample's code (and label) to CSV or .npy.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "common.h"
#include "io/codeexport.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct EncodeOptions {
  std::string model, data, out;
  DataOptions load;
};

void runEncode(const EncodeOptions& o) {
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  latent::LoadOptions options = o.load.toLoadOptions();
  options.normalisation = loaded.info.normalisation;  // scaled as the training data was
  const auto data = loadData(o.data, options);
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  const latent::Matrix codes = loaded.model->encode(data->samples);
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext == ".npy")
    latent::writeCodesNpy(o.out, codes, data->labels);
  else if (ext == ".csv")
    latent::writeCodesCsv(o.out, codes, data->labels);
  else
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "--out '" + o.out + "': choose a .csv or .npy file name");
  std::cout << "wrote " << data->count() << " codes of size " << codes.rows()
            << (data->hasLabels() ? " (+ label column)" : "") << " to " << o.out << "\n";
}

}  // namespace

void addEncodeCommand(CLI::App& app) {
  auto o = std::make_shared<EncodeOptions>();
  auto* sub = app.add_subcommand("encode",
                                 "Write each sample's code to CSV or .npy (label last when known)");
  sub->add_option("--model", o->model, "Model file")->required();
  sub->add_option("--data", o->data, DataHelp)->required();
  addDataOptions(sub, o->load);
  sub->add_option("--out", o->out, "codes.csv or codes.npy")->required();
  sub->callback([o] { runEncode(*o); });
}

}  // namespace cli
