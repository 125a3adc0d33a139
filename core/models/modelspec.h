// ModelSpec: one plain, serialisable value describing every autoencoder kind and how to train it.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/activation.h"
#include "nn/loss.h"
#include "nn/optimizer.h"
#include "nn/upsample.h"

namespace latent {

/// Structure of the network. Undercomplete vs overcomplete is just latent < or > input size;
/// "sparse" and "denoising" are dense AEs whose sparsity/noise settings must be on. "conv" is a
/// convolutional AE on images (ConvSpec), "lstm" a sequence AE (LstmSpec); noise, sparsity and
/// `variational` apply to both.
enum class ModelKind { Dense, Sparse, Denoising, Vae, Conv, Lstm };
std::string toString(ModelKind k);
ModelKind modelKindFromString(const std::string& name);  // dense|sparse|denoising|vae|conv|lstm

/// The convolutional AE: encoder blocks Conv2D(channels[i], kernel, stride, padding kernel/2) +
/// activation, flattened into the dense layers (`hidden`, then the code); the decoder mirrors
/// them back to the exact input size. Sizes that the stride does not divide are restored exactly:
/// the transpose decoder gives each ConvTranspose2D the output padding the encoder's rounding
/// dropped; the upsample decoder resizes to each stage's exact size before its stride-1 conv.
struct ConvSpec {
  enum class Decoder { Transpose, Upsample };
  std::vector<int> channels{16, 32};
  int kernel = 3;
  int stride = 2;
  Decoder decoder = Decoder::Transpose;
  UpsampleMode upsample = UpsampleMode::Nearest;  // Decoder::Upsample only
  bool batchNorm = false;                         // BatchNorm2D after every hidden conv
  bool operator==(const ConvSpec&) const = default;
};
/// The LSTM AE: stacked encoder LSTMs of sizes `hidden` read the sequence; the last one's final
/// hidden state goes through a dense layer to the code; the code is fed to the decoder LSTMs
/// (`hidden` reversed) at every step, and a time-distributed dense layer maps each step back to
/// the features.
struct LstmSpec {
  /// The decoder emits the sequence last step first (Srivastava et al. 2015): the first steps it
  /// produces are the ones the encoder read last. The model output is in the original order.
  bool reverseTarget = false;
  /// The forget gate's initial bias (bias_ih; bias_hh starts at 0): the cell starts keeping
  /// σ(forgetBias) of its state per step (1: 0.73, 3: 0.95).
  float forgetBias = 1.0f;
  bool operator==(const LstmSpec&) const = default;
};

/// Steps × features of a sequence sample.
struct SequenceDims {
  int steps = 1, features = 1;
};
/// A sequence Shape's T×F, or a single-channel image read row by row (H steps × W features).
/// Throws Error(InvalidArgument) for other shapes.
SequenceDims sequenceDims(const Shape& shape);

std::string toString(ConvSpec::Decoder d);
/// The image after each encoder conv block, the input first (channels.size() + 1 entries).
std::vector<ImageDims> convStages(const ConvSpec& conv, ImageDims input);
/// The rows/columns the encoder's rounding dropped between stage `from` (larger) and the next:
/// the output padding that restores `from` exactly in a transpose decoder.
int droppedByStride(int size, const ConvSpec& conv);
/// An image Shape's C×H×W (throws Error(InvalidArgument) for other shapes).
ImageDims imageDims(const Shape& shape);
ConvSpec::Decoder convDecoderFromString(const std::string& name);  // transpose | upsample

enum class LossKind { Mse, Bce };
std::string toString(LossKind k);
LossKind lossFromString(const std::string& name);

/// Input corruption for denoising: the network sees the noisy input, the target is the clean one.
/// Dropout is the collaborative denoising autoencoder's corruption (Wu et al. 2016): for
/// users × items interactions, hide some known items and learn to bring them back; the survivors
/// are scaled by 1/(1-p) so a user's input keeps its expected size at inference, without noise.
struct NoiseSpec {
  enum class Kind { None, Gaussian, Mask, SaltPepper, Dropout };
  Kind kind = Kind::None;
  float level = 0.0f;  // Gaussian: sigma; Mask / SaltPepper / Dropout: probability per value
  /// "gaussian:0.3", "mask:0.25", "saltpepper:0.1", "dropout:0.5", "none"
  static NoiseSpec parse(const std::string& text);
  std::string toString() const;
  bool operator==(const NoiseSpec&) const = default;
};

/// Penalty on the code-layer activations h.
struct SparsitySpec {
  enum class Kind { None, L1, Kl };
  Kind kind = Kind::None;
  float weight = 0.0f;   // L1: λ in λ·Σ|h|;  KL: β in β·Σ KL(ρ‖ρ̂)
  float target = 0.05f;  // KL: the target mean activation ρ
  /// "l1:1e-4", "kl:0.05:3" (target 0.05, weight 3), "none"
  static SparsitySpec parse(const std::string& text);
  std::string toString() const;
  bool operator==(const SparsitySpec&) const = default;
};

/// Arithmetic of the training products. BFloat16: operands rounded to bfloat16, accumulation and
/// everything else (weights, optimizer, losses, inference) in float32 — twice the multiply
/// throughput on CPUs with AVX512-BF16 or AMX.
enum class Precision { Float32, BFloat16 };
std::string toString(Precision p);
Precision precisionFromString(const std::string& name);  // fp32 | bf16

/// The learning rate over a run: the rate set (constant), or a cosine decay from it to 0 over the
/// target epochs (Loshchilov & Hutter 2017, without restarts). Either starts with a linear warm-up
/// when TrainingSpec::lrWarmupEpochs > 0. See learningRateFactor in train/trainer.h.
enum class LrSchedule { Constant, Cosine };
std::string toString(LrSchedule s);
LrSchedule lrScheduleFromString(const std::string& name);  // constant | cosine

struct TrainingSpec {
  Precision precision = Precision::Float32;
  OptimizerOptions optimizer;  // its learningRate is the schedule's peak
  LrSchedule lrSchedule = LrSchedule::Constant;
  int lrWarmupEpochs = 0;  // the rate ramps linearly up to the set rate over these epochs
  int batchSize = 128;
  int epochs = 10;
  int threads = 0;  // 0: all cores
  unsigned seed = 1;
  float validationFraction = 0.1f;
};

struct ModelSpec {
  ModelKind kind = ModelKind::Dense;
  std::vector<int> hidden{256};  // encoder hidden sizes (conv: after the flatten); mirrored
  ConvSpec conv;                 // kind conv only
  LstmSpec lstm;                 // kind lstm only; `hidden` are its LSTM sizes
  /// Conv and LSTM: a VAE code (μ and log σ² heads, reparameterisation, KL with `beta`). Kind vae
  /// is the dense VAE.
  bool variational = false;
  int latent = 32;
  Activation activation = Activation::ReLU;
  Activation latentActivation = Activation::Identity;  // AE code layer (VAE: mu/logvar are linear)
  LossKind loss = LossKind::Mse;
  /// MSE only: activation of the output layer (sigmoid for data in [0,1], identity otherwise).
  /// BCE always works on logits with a sigmoid on the reconstruction.
  Activation outputActivation = Activation::Sigmoid;
  bool tiedWeights = false;
  float dropout = 0.0f;  // after each hidden activation, training only
  NoiseSpec noise;
  SparsitySpec sparsity;
  float beta = 1.0f;       // VAE: weight of the KL term
  int klWarmupEpochs = 0;  // VAE: beta ramps linearly from 0 over this many epochs
  TrainingSpec training;

  /// Throws Error(InvalidArgument) explaining an invalid combination for this input shape.
  void validate(const Shape& input) const;
  void validate(int inputSize) const { validate(Shape::tabular(inputSize)); }
  /// Kind vae, or a conv or LSTM model with `variational`.
  bool isVariational() const;
  /// Reduction of the reconstruction term: mean per value, or sum over features for the VAE ELBO.
  Reduction reconstructionReduction() const;
  /// "784→256→(μ,σ)64→256→784" style summary of the layer sizes; conv models list the image
  /// sizes of every stage and how odd sizes are restored, LSTM models the steps and sizes.
  std::string describeLayers(const Shape& input) const;
  std::string describeLayers(int inputSize) const {
    return describeLayers(Shape::tabular(inputSize));
  }

  nlohmann::json toJson() const;
  /// Missing fields keep their defaults; wrong types or values throw Error(Format).
  static ModelSpec fromJson(const nlohmann::json& j);
  bool operator==(const ModelSpec&) const;
};

/// The LSTM AE the GUI suggests when LSTM is chosen (and the CLI's defaults for --model lstm):
/// hidden 64, code 16, identity output (sequences arrive standardised), reversed target, forget-
/// gate bias 3, Adam peaking at 1e-2 after a 1-epoch warm-up with a cosine decay, gradient norm
/// clipped at 1, batch 32, 50 epochs. On the built-in Signals its anomaly ROC AUC was 0.96-0.99
/// over 17 seeded runs (see tst_lstmanomaly's header).
ModelSpec suggestedLstmSpec();

}  // namespace latent
