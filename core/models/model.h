// Model: the network a ModelSpec describes (dense AE, sparse, denoising, VAE, conv, LSTM), with
// const inference (encode/decode/reconstruct, safe from several threads on a snapshot) and a
// two-phase training pass (forward, then loss + backward) that a trainer runs on data-parallel
// replicas.
#pragma once

#include <memory>
#include <vector>

#include "models/modelspec.h"
#include "nn/sequential.h"

namespace latent {

/// Loss terms of a batch or a data set. `total` is what is minimised:
/// reconstruction + beta·kl + sparsity. `mse` is the per-value MSE of the reconstruction in the
/// data's units, reported for every kind so models can be compared.
struct LossTerms {
  double total = 0, reconstruction = 0, kl = 0, sparsity = 0, mse = 0;
  LossTerms& operator+=(const LossTerms& o);
  LossTerms scaled(double f) const;
};

struct GaussianCode {
  Matrix mean;    // latent × n
  Matrix logVar;  // latent × n
};

class Model {
 public:
  /// Builds the layers with fresh weights drawn from `initRng`. Throws Error if the spec is
  /// invalid for this sample shape (conv models need an image shape).
  Model(const ModelSpec& spec, const Shape& inputShape, Rng& initRng);
  /// A model on flat samples of `inputSize` values (Shape::tabular).
  Model(const ModelSpec& spec, int inputSize, Rng& initRng)
      : Model(spec, Shape::tabular(inputSize), initRng) {}
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelSpec& spec() const { return m_spec; }
  int inputSize() const { return m_inputSize; }
  const Shape& inputShape() const { return m_inputShape; }
  int latentSize() const { return m_spec.latent; }
  bool isVariational() const { return m_spec.isVariational(); }

  // --- inference (const; x: inputSize × n, z: latent × n) -------------------------------------
  Matrix encode(const Matrix& x) const;                    // AE: the code; VAE: the posterior mean
  GaussianCode encodeDistribution(const Matrix& x) const;  // VAE only
  Matrix decode(const Matrix& z) const;  // in the data's units (sigmoid applied for BCE)
  Matrix reconstruct(const Matrix& x) const { return decode(encode(x)); }
  /// VAE: decode z ~ N(0, temperature² I). n samples → inputSize × n.
  Matrix sample(int n, Rng& rng, float temperature = 1.0f) const;
  /// Loss terms of (x → target) without noise or sampling (VAE uses the mean), summed over the
  /// columns and divided by `batchTotal`, so chunks of a data set add up.
  LossTerms evaluate(const Matrix& x, const Matrix& target, int batchTotal, float beta) const;

  // --- training (one replica per worker) -------------------------------------------------------
  /// Phase 1: corrupts the input when denoising, runs encoder (VAE: samples z) and decoder.
  /// input/target: inputSize × slice; both must stay alive until backwardTrain returns.
  void forwardTrain(const Matrix& input, Rng& rng);
  /// Σ over the slice of each code unit's activation (for KL sparsity's batch mean).
  Vector codeActivationSum() const;
  /// Phase 2: loss and backward, adding into the parameter gradients. `meanCode` is the whole
  /// batch's mean code activation (KL sparsity only; may be null otherwise).
  LossTerms backwardTrain(const Matrix& target, int batchTotal, float beta, const Vector* meanCode);
  /// Training products in bfloat16 with float32 accumulation (inference stays float32).
  void setMixedPrecision(bool on);
  /// The corrupted input of the last forwardTrain (the input itself when not denoising).
  const Matrix& lastNetworkInput() const { return *m_networkInput; }

  std::vector<NamedParameter> parameters();
  std::vector<NamedParameter> parameters() const;
  /// Saved, untrained state (BatchNorm running statistics), e.g. "encoder.1.running_mean".
  std::vector<NamedParameter> buffers() const;
  void zeroGrad();
  long long parameterCount() const;

  /// A replica for a data-parallel worker: the same parameter values (shared), its own gradients;
  /// it shares the buffers too but leaves their updates to this model.
  std::unique_ptr<Model> replicaSharingWeights() const;
  /// An independent deep copy of the weights (for snapshots and checkpoints).
  std::unique_ptr<Model> clone() const;
  /// Copies weight and buffer values from a model with the same spec (shapes must match).
  void copyWeightsFrom(const Model& other);
  bool allWeightsFinite() const;

  /// One line per layer: "encoder.0 Dense 784→256 relu".
  std::vector<std::string> describeLayers() const;

 private:
  void build(Rng& initRng);
  void buildDense();
  void buildConv();
  /// Dense layers from `inputs` through `hidden` to the code (VAE: the μ, log σ² head).
  void addDenseEncoderHead(int inputs);
  /// Dense layers from the code back through `hidden` to `outputs` values, all activated.
  void addDenseDecoderHead(int outputs);
  void addConvDecoderStage(ImageDims from, ImageDims to, bool isLast);
  void buildLstm();
  /// The code layer on `inputs` values (VAE: the μ, log σ² head).
  void addCodeLayer(int inputs);
  /// The decoder's last activation: the output activation for MSE, identity (logits) for BCE.
  Activation outputActivation() const;
  void corrupt(const Matrix& clean, Rng& rng, Matrix& noisy) const;
  double reconstructionLoss(const Matrix& output, const Matrix& target, int batchTotal,
                            Matrix& grad) const;
  Matrix toDataUnits(Matrix output) const;

  ModelSpec m_spec;
  Shape m_inputShape;
  int m_inputSize;
  Sequential m_encoder{"encoder"};  // AE: ends in the code layer; VAE: ends in the (μ, log σ²) head
  Sequential m_decoder{"decoder"};  // ends in logits (BCE) or the output activation (MSE)

  // Training work buffers (this replica only).
  Matrix m_noisy;                          // inputSize × slice
  const Matrix* m_networkInput = nullptr;  // m_noisy or the caller's input
  const Matrix* m_code = nullptr;          // encoder output of the last forwardTrain
  const Matrix* m_output = nullptr;        // decoder output of the last forwardTrain
  Matrix m_epsilon, m_sigma, m_z;          // latent × slice (VAE)
  Matrix m_gradOutput, m_gradCode, m_gradHead, m_gradMu, m_gradLogVar;
};

}  // namespace latent
