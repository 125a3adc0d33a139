// latentlab-cli encode: writes every sample's code (and label) to CSV or .npy.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "common.h"
#include "io/atomicfile.h"
#include "io/npy.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct EncodeOptions {
  std::string model, data, out;
  DataOptions load;
};

// codes: latent × n. With labels, one more row holding the label, so each sample is one row.
latent::Matrix withLabels(const latent::Matrix& codes, const latent::Dataset& data) {
  if (!data.hasLabels()) return codes;
  latent::Matrix out(codes.rows() + 1, codes.cols());
  out.topRows(codes.rows()) = codes;
  for (int i = 0; i < data.count(); ++i) out(codes.rows(), i) = float(data.labels[i]);
  return out;
}

void writeCsv(const std::string& path, const latent::Matrix& codes, const latent::Dataset& data) {
  std::ostringstream s;
  s.precision(9);
  for (Eigen::Index j = 0; j < codes.rows(); ++j) s << (j ? "," : "") << "z" << j;
  if (data.hasLabels()) s << ",label";
  s << "\n";
  for (Eigen::Index i = 0; i < codes.cols(); ++i) {
    for (Eigen::Index j = 0; j < codes.rows(); ++j) s << (j ? "," : "") << codes(j, i);
    if (data.hasLabels()) s << "," << data.labels[i];
    s << "\n";
  }
  const std::string text = s.str();
  latent::writeFileAtomically(path, text.data(), text.size());
}

void runEncode(const EncodeOptions& o) {
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  latent::LoadOptions options = o.load.toLoadOptions();
  options.normalisation = loaded.info.normalisation;  // scaled as the training data was
  const auto data = loadData(o.data, options);
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  const latent::Matrix codes = loaded.model->encode(data->samples);
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext == ".npy")
    latent::writeNpyTransposed(o.out, withLabels(codes, *data));
  else if (ext == ".csv")
    writeCsv(o.out, codes, *data);
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
