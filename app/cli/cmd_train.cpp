// latentlab-cli train: trains an autoencoder (dense kinds, conv or lstm) on a dataset and saves
// the model file.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "common.h"
#include "data/classfilter.h"
#include "persist/modelfile.h"
#include "train/trainer.h"

namespace cli {
namespace {

struct TrainOptions {
  std::string data, out, test;
  std::string model = "dense";
  std::string hidden = "256";
  int latent = 32;
  std::string activation = "relu";
  std::string latentActivation;  // default depends on the kind
  std::string loss;              // default: bce for the VAE, mse otherwise
  std::string optimizer = "adam";
  std::string precision = "fp32";
  int epochs = 10, batch = 128, threads = 0, klWarmup = 0;
  unsigned seed = 1;
  float lr = 1e-3f, beta = 1.0f, dropout = 0.0f, validation = 0.1f, weightDecay = 0.0f;
  std::string noise, sparsity;
  bool tied = false, json = false, quiet = false;
  DataOptions load;
  std::vector<int> normal;  // train (and validate) on these classes only
  // Conv AE.
  std::string conv = "16,32";
  int kernel = 3, stride = 2;
  std::string convDecoder = "transpose";
  std::string upsample = "nearest";
  bool batchNorm = false, variational = false;
  // Training schedule and clipping.
  std::string lrSchedule = "constant";
  int lrWarmup = 0;
  float maxGradNorm = 0.0f;
  // LSTM AE.
  bool reverseTarget = false;
  float forgetBias = 1.0f;
  // The options on the command line. Without --hidden, conv goes from the flattened features
  // straight to the code; for lstm every setting not given is the suggested one.
  std::set<std::string> given;
};

/// The options whose default depends on --model: conv has no --hidden layer unless given; for lstm
/// each defaults to suggestedLstmSpec().
const std::vector<std::string> KindDefaultedOptions{
    "--hidden", "--latent",        "--reverse-target", "--forget-bias", "--lr",
    "--batch",  "--max-grad-norm", "--lr-schedule",    "--lr-warmup",   "--epochs"};

/// "hidden 64, latent 16, ..." from suggestedLstmSpec(), for the help text.
std::string suggestedLstmSummary() {
  const latent::ModelSpec s = latent::suggestedLstmSpec();
  const auto& t = s.training;
  std::ostringstream text;
  text << "hidden " << s.hidden.front() << ", latent " << s.latent
       << (s.lstm.reverseTarget ? ", reversed target" : "") << ", forget bias " << s.lstm.forgetBias
       << ", lr " << t.optimizer.learningRate << " (" << t.lrWarmupEpochs << " warm-up epoch, "
       << latent::toString(t.lrSchedule) << "), max grad norm " << t.optimizer.maxGradNorm
       << ", batch " << t.batchSize << ", " << t.epochs << " epochs";
  return text.str();
}

std::vector<int> parseSizes(const std::string& text, const char* option) {
  std::vector<int> sizes;
  if (text.empty() || text == "none") return sizes;
  std::stringstream s(text);
  for (std::string part; std::getline(s, part, ',');) {
    try {
      size_t used = 0;
      sizes.push_back(std::stoi(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw latent::Error(latent::Error::Code::InvalidArgument,
                          std::string(option) + ": '" + part +
                              "' is not a size (write a comma-separated list, e.g. 256,64)");
    }
  }
  return sizes;
}

latent::ModelSpec specFrom(const TrainOptions& o) {
  using namespace latent;
  ModelSpec s;
  s.kind = modelKindFromString(o.model);
  s.hidden = parseSizes(o.hidden, "--hidden");
  if (s.kind == ModelKind::Conv) {
    if (!o.given.contains("--hidden")) s.hidden.clear();
    s.conv.channels = parseSizes(o.conv, "--conv");
    s.conv.kernel = o.kernel;
    s.conv.stride = o.stride;
    s.conv.decoder = convDecoderFromString(o.convDecoder);
    s.conv.upsample = upsampleModeFromString(o.upsample);
    s.conv.batchNorm = o.batchNorm;
  }
  if (s.kind == ModelKind::Lstm) {
    // Sequences are standardised (windowed CSVs, the built-in Signals): a sigmoid output could
    // not reach their negative half.
    s.outputActivation = suggestedLstmSpec().outputActivation;
    s.lstm.reverseTarget = o.reverseTarget;
    s.lstm.forgetBias = o.forgetBias;
  }
  s.variational = o.variational;
  s.latent = o.latent;
  s.activation = activationFromString(o.activation);
  s.noise = NoiseSpec::parse(o.noise);
  s.sparsity = SparsitySpec::parse(o.sparsity);
  if (s.kind == ModelKind::Denoising && s.noise.kind == NoiseSpec::Kind::None)
    s.noise = NoiseSpec::parse("gaussian:0.3");
  if (s.kind == ModelKind::Sparse && s.sparsity.kind == SparsitySpec::Kind::None)
    s.sparsity = SparsitySpec::parse("l1:1e-4");
  // The code layer's activation follows the penalty unless the user chose one: KL needs rates in
  // (0,1) (sigmoid), L1 pushes codes to exactly zero (ReLU).
  if (!o.latentActivation.empty())
    s.latentActivation = activationFromString(o.latentActivation);
  else if (s.sparsity.kind == SparsitySpec::Kind::Kl)
    s.latentActivation = Activation::Sigmoid;
  else if (s.sparsity.kind == SparsitySpec::Kind::L1)
    s.latentActivation = Activation::ReLU;
  s.loss = !o.loss.empty() ? lossFromString(o.loss)
                           : (s.isVariational() ? LossKind::Bce : LossKind::Mse);
  s.tiedWeights = o.tied;
  s.dropout = o.dropout;
  s.beta = o.beta;
  s.klWarmupEpochs = o.klWarmup;
  s.training.precision = precisionFromString(o.precision);
  s.training.optimizer.kind = optimizerFromString(o.optimizer);
  s.training.optimizer.learningRate = o.lr;
  s.training.optimizer.weightDecay = o.weightDecay;
  s.training.batchSize = o.batch;
  s.training.epochs = o.epochs;
  s.training.threads = o.threads;
  s.training.seed = o.seed;
  s.training.validationFraction = o.validation;
  s.training.optimizer.maxGradNorm = o.maxGradNorm;
  s.training.lrSchedule = lrScheduleFromString(o.lrSchedule);
  s.training.lrWarmupEpochs = o.lrWarmup;
  if (s.kind == ModelKind::Lstm) {
    // What the model panel fills in when LSTM is chosen, for every option not given.
    const ModelSpec suggested = suggestedLstmSpec();
    const auto keep = [&](const char* option) { return o.given.contains(option); };
    if (!keep("--hidden")) s.hidden = suggested.hidden;
    if (!keep("--latent")) s.latent = suggested.latent;
    if (!keep("--reverse-target")) s.lstm.reverseTarget = suggested.lstm.reverseTarget;
    if (!keep("--forget-bias")) s.lstm.forgetBias = suggested.lstm.forgetBias;
    if (!keep("--lr"))
      s.training.optimizer.learningRate = suggested.training.optimizer.learningRate;
    if (!keep("--max-grad-norm"))
      s.training.optimizer.maxGradNorm = suggested.training.optimizer.maxGradNorm;
    if (!keep("--lr-schedule")) s.training.lrSchedule = suggested.training.lrSchedule;
    if (!keep("--lr-warmup")) s.training.lrWarmupEpochs = suggested.training.lrWarmupEpochs;
    if (!keep("--batch")) s.training.batchSize = suggested.training.batchSize;
    if (!keep("--epochs")) s.training.epochs = suggested.training.epochs;
  }
  return s;
}

void addOptions(CLI::App* sub, TrainOptions& o) {
  sub->add_option("--data", o.data, DataHelp)->required();
  addDataOptions(sub, o.load);
  sub->add_option("--out", o.out, "Model file to write (.safetensors)")->required();
  sub->add_option("--model", o.model,
                  "dense | sparse | denoising | vae | conv | lstm (lstm: the options not given "
                  "are the suggested sequence settings: " +
                      suggestedLstmSummary() + ")")
      ->capture_default_str();
  sub->add_option("--hidden", o.hidden,
                  "Encoder hidden sizes, e.g. 256,64 (decoder mirrors); conv: dense layers after "
                  "the convolutions (default none); lstm: stacked LSTM sizes (default 64)")
      ->capture_default_str();
  sub->add_option("--conv", o.conv, "conv: channels of the encoder's conv blocks, e.g. 16,32")
      ->capture_default_str();
  sub->add_option("--kernel", o.kernel, "conv: kernel size (padding kernel/2)")
      ->capture_default_str();
  sub->add_option("--stride", o.stride, "conv: stride of every encoder conv")
      ->capture_default_str();
  sub->add_option("--conv-decoder", o.convDecoder,
                  "conv: transpose (ConvTranspose2D) | upsample (Upsample + Conv2D)")
      ->capture_default_str();
  sub->add_option("--upsample", o.upsample, "conv, upsample decoder: nearest | bilinear")
      ->capture_default_str();
  sub->add_flag("--batch-norm", o.batchNorm, "conv: BatchNorm2D after every hidden conv");
  sub->add_flag("--variational", o.variational,
                "conv, lstm: a VAE code (mu/log-variance heads, KL with --beta)");
  sub->add_flag("--reverse-target,!--no-reverse-target", o.reverseTarget,
                "lstm: the decoder emits the sequence last step first (default for lstm)");
  sub->add_option("--forget-bias", o.forgetBias,
                  "lstm: initial forget-gate bias (the cell keeps sigmoid(bias) per step)");
  sub->add_option("--latent", o.latent, "Code size")->capture_default_str();
  sub->add_option("--activation", o.activation, "relu | leaky_relu | tanh | sigmoid | elu | gelu")
      ->capture_default_str();
  sub->add_option("--latent-activation", o.latentActivation,
                  "Code-layer activation (default identity; sigmoid for KL sparsity, relu for L1)");
  sub->add_option("--loss", o.loss, "mse | bce (default: bce for vae, mse otherwise)");
  sub->add_option("--epochs", o.epochs, "Epochs")->capture_default_str();
  sub->add_option("--batch", o.batch, "Mini-batch size")->capture_default_str();
  sub->add_option("--lr", o.lr, "Learning rate")->capture_default_str();
  sub->add_option("--optimizer", o.optimizer, "adam | adamw | sgd")->capture_default_str();
  sub->add_option("--weight-decay", o.weightDecay,
                  "L2 (sgd, adam) or decoupled (adamw) weight decay");
  sub->add_option("--lr-schedule", o.lrSchedule,
                  "constant | cosine (decays --lr to 0 over the epochs)")
      ->capture_default_str();
  sub->add_option("--lr-warmup", o.lrWarmup,
                  "Epochs over which the learning rate ramps up linearly to --lr")
      ->capture_default_str();
  sub->add_option("--max-grad-norm", o.maxGradNorm,
                  "Clip the gradient's L2 norm to this before each step (0: off)")
      ->capture_default_str();
  sub->add_option("--precision", o.precision,
                  "fp32 | bf16 (bfloat16 products, float32 accumulation)")
      ->capture_default_str();
  sub->add_option("--seed", o.seed, "Random seed (same seed + threads = same weights)")
      ->capture_default_str();
  sub->add_option("--threads", o.threads, "Worker threads (0 = all cores)")->capture_default_str();
  sub->add_option("--beta", o.beta, "VAE: weight of the KL term (beta-VAE)")->capture_default_str();
  sub->add_option("--kl-warmup", o.klWarmup, "VAE: epochs over which beta ramps up from 0");
  sub->add_option("--noise", o.noise,
                  "gaussian:SIGMA | mask:P | saltpepper:P | dropout:P (denoising; dropout with "
                  "--loss bce is the collaborative denoising AE for recommendations)");
  sub->add_option("--sparsity", o.sparsity, "l1:WEIGHT | kl:TARGET:WEIGHT (sparse)");
  sub->add_option("--dropout", o.dropout, "Dropout after hidden layers (training only)");
  sub->add_option("--validation", o.validation, "Fraction held out for validation")
      ->capture_default_str();
  sub->add_option("--test", o.test, "A test set to report MSE on at the end (scaled like --data)");
  sub->add_option("--normal", o.normal,
                  "Train on these classes only, e.g. 0,1,2 (the normal data of an anomaly "
                  "detector; training and validation parts both filtered)")
      ->delimiter(',');
  sub->add_flag("--tied", o.tied, "Tie decoder weights to the encoder's (transposed)");
  sub->add_flag("--json", o.json, "End with one JSON line of results");
  sub->add_flag("--quiet", o.quiet, "No per-epoch lines");
}

double testMse(const latent::Model& model, const std::string& path, latent::LoadOptions options,
               const latent::Normalisation& trainScale) {
  options.normalisation = trainScale;  // in the units the model was trained in
  const auto test = loadData(path, options);
  requireFeatures(*test, path, model.inputSize(), "the model");
  return model.evaluate(test->samples, test->samples, test->count(), 1.0f).mse;
}

/// The split restricted to the normal classes; the error names --normal and the data file.
latent::Split normalOnly(const latent::Dataset& data, const latent::Split& split,
                         const std::vector<int>& normal) {
  try {
    latent::Split kept{latent::keepClasses(data, split.train, normal),
                       latent::keepClasses(data, split.validation, normal)};
    if (kept.train.empty())
      throw latent::Error(latent::Error::Code::InvalidArgument,
                          "no training sample belongs to the normal classes");
    return kept;
  } catch (const latent::Error& e) {
    throw latent::Error(e.code(), std::string("--normal: ") + e.what());
  }
}

void runTrain(const TrainOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const latent::ModelSpec spec = specFrom(o);
  const auto data = loadData(o.data, o.load);
  auto split = latent::splitIndices(data->count(), spec.training.validationFraction,
                                    spec.training.seed, data->labels);
  if (!o.normal.empty()) split = normalOnly(*data, split, o.normal);
  auto train = std::make_shared<const latent::Dataset>(data->subset(split.train));
  auto validation = std::make_shared<const latent::Dataset>(data->subset(split.validation));
  latent::Trainer trainer(spec, train, validation);
  ProgressPrinter printer(o.quiet);
  std::string lastMessage;  // written on the training thread, read after run() returns
  trainer.setObserver([&](const latent::TrainingProgress& p) {
    printer(p);
    if (!p.message.empty()) lastMessage = p.message;
  });
  trainer.setSnapshotInterval(1e9);  // the CLI needs only the end-of-epoch snapshots
  const auto state = trainer.run();
  const auto snapshot = trainer.latestSnapshot();
  if (state == latent::Trainer::State::Failed || !snapshot) throw std::runtime_error(lastMessage);

  latent::ModelFileInfo info{data->shape, data->normalisation, data->classNames,
                             o.data,      snapshot->history,   std::nullopt};
  if (snapshot->optimizer) info.optimizer = *snapshot->optimizer;
  latent::saveModelFile(o.out, trainer.model(), info);
  if (state == latent::Trainer::State::Diverged)
    throw std::runtime_error("training diverged: " + lastMessage + "; saved them to '" + o.out +
                             "' (try a lower --lr)");
  if (!o.quiet) std::cout << "saved " << o.out << "\n";

  if (!o.json) return;
  const auto& history = snapshot->history;
  double samplesPerSec = 0, trainSeconds = 0;
  for (const auto& r : history) trainSeconds += r.seconds;
  if (trainSeconds > 0) samplesPerSec = double(train->count()) * history.size() / trainSeconds;
  std::cout << "{\"epochs\":" << history.size()
            << ",\"train_loss\":" << jsonNumber(history.empty() ? 0 : history.back().train.total)
            << ",\"val_mse\":"
            << (history.empty() || !history.back().hasValidation
                    ? std::string("null")
                    : jsonNumber(history.back().validation.mse));
  if (!o.test.empty())
    std::cout << ",\"test_mse\":"
              << jsonNumber(
                     testMse(trainer.model(), o.test, o.load.toLoadOptions(), data->normalisation));
  std::cout << ",\"train_samples\":" << train->count()
            << ",\"samples_per_sec\":" << jsonNumber(samplesPerSec)
            << ",\"threads\":" << trainer.threads() << ",\"seconds\":"
            << jsonNumber(
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())
            << "}" << std::endl;
}

}  // namespace

void addTrainCommand(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  auto* sub = app.add_subcommand("train", "Train an autoencoder and save it to a model file");
  addOptions(sub, *options);
  sub->callback([options, sub] {
    for (const std::string& name : KindDefaultedOptions)
      if (sub->count(name) > 0) options->given.insert(name);
    runTrain(*options);
  });
}

}  // namespace cli
