// ModelSpec: one plain, serialisable value describing every autoencoder kind and how to train it.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "nn/activation.h"
#include "nn/loss.h"
#include "nn/optimizer.h"

namespace latent {

/// Structure of the network. Undercomplete vs overcomplete is just latent < or > input size;
/// "sparse" and "denoising" are dense AEs whose sparsity/noise settings must be on.
enum class ModelKind { Dense, Sparse, Denoising, Vae };
std::string toString(ModelKind k);
ModelKind modelKindFromString(const std::string& name);  // dense|sparse|denoising|vae

enum class LossKind { Mse, Bce };
std::string toString(LossKind k);
LossKind lossFromString(const std::string& name);

/// Input corruption for denoising: the network sees the noisy input, the target is the clean one.
struct NoiseSpec {
  enum class Kind { None, Gaussian, Mask, SaltPepper };
  Kind kind = Kind::None;
  float level = 0.0f;  // Gaussian: sigma; Mask / SaltPepper: probability per value
  /// "gaussian:0.3", "mask:0.25", "saltpepper:0.1", "none"
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

struct TrainingSpec {
  Precision precision = Precision::Float32;
  OptimizerOptions optimizer;
  int batchSize = 128;
  int epochs = 10;
  int threads = 0;  // 0: all cores
  unsigned seed = 1;
  float validationFraction = 0.1f;
};

struct ModelSpec {
  ModelKind kind = ModelKind::Dense;
  std::vector<int> hidden{256};  // encoder hidden sizes; the decoder mirrors them
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

  /// Throws Error(InvalidArgument) explaining an invalid combination for this input size.
  void validate(int inputSize) const;
  /// Reduction of the reconstruction term: mean per value, or sum over features for the VAE ELBO.
  Reduction reconstructionReduction() const;
  /// "784→256→64→256→784 (VAE code 2×64)" style summary of the layer sizes.
  std::string describeLayers(int inputSize) const;

  nlohmann::json toJson() const;
  /// Missing fields keep their defaults; wrong types or values throw Error(Format).
  static ModelSpec fromJson(const nlohmann::json& j);
  bool operator==(const ModelSpec&) const;
};

}  // namespace latent
