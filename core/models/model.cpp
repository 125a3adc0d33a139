// Model construction, inference and the two-phase training pass.
#include "models/model.h"

#include "data/blasthreads.h"
#include "models/noise.h"
#include "nn/activationlayer.h"
#include "nn/batchnorm2d.h"
#include "nn/conv2d.h"
#include "nn/convtranspose2d.h"
#include "nn/dense.h"
#include "nn/lstm.h"
#include "nn/reshape.h"
#include "nn/sequencelayers.h"
#include "nn/upsample.h"

namespace latent {

LossTerms& LossTerms::operator+=(const LossTerms& o) {
  total += o.total;
  reconstruction += o.reconstruction;
  kl += o.kl;
  sparsity += o.sparsity;
  mse += o.mse;
  return *this;
}

LossTerms LossTerms::scaled(double f) const {
  return {total * f, reconstruction * f, kl * f, sparsity * f, mse * f};
}

Model::Model(const ModelSpec& spec, const Shape& inputShape, Rng& initRng)
    : m_spec(spec), m_inputShape(inputShape), m_inputSize(inputShape.size()) {
  // Before any product of this model: a threaded BLAS would give other roundings (its threads
  // split sums) than the trainer's single-threaded one, so the CLI's scores of a saved model
  // differed from the app's in the 7th digit, and it would oversubscribe the TBB workers.
  useSingleThreadedBlas();
  m_spec.validate(inputShape);
  build(initRng);
}

void Model::build(Rng& initRng) {
  if (m_spec.kind == ModelKind::Conv)
    buildConv();
  else if (m_spec.kind == ModelKind::Lstm)
    buildLstm();
  else
    buildDense();
  m_encoder.setComputeInputGradient(false);
  for (Sequential* net : {&m_encoder, &m_decoder})
    for (size_t i = 0; i < net->size(); ++i) {
      Layer& layer = net->layer(i);
      if (auto* dense = dynamic_cast<Dense*>(&layer)) dense->initialise(initRng);
      if (auto* conv = dynamic_cast<Conv2D*>(&layer)) conv->initialise(initRng);
      if (auto* deconv = dynamic_cast<ConvTranspose2D*>(&layer)) deconv->initialise(initRng);
      if (auto* lstm = dynamic_cast<Lstm*>(&layer))
        lstm->initialise(initRng, m_spec.lstm.forgetBias);
      if (auto* steps = dynamic_cast<TimeDistributedDense*>(&layer)) steps->initialise(initRng);
    }
}

void Model::buildDense() {
  const bool vae = isVariational();
  std::vector<Dense*> encoderDense;
  int prev = m_inputSize;
  for (int h : m_spec.hidden) {
    encoderDense.push_back(&m_encoder.add<Dense>(prev, h, m_spec.activation));
    if (m_spec.dropout > 0) m_encoder.add<Dropout>(h, m_spec.dropout);
    prev = h;
  }
  encoderDense.push_back(vae ? &m_encoder.add<Dense>(prev, 2 * m_spec.latent, Activation::Identity)
                             : &m_encoder.add<Dense>(prev, m_spec.latent, m_spec.latentActivation));

  const Activation last = outputActivation();
  std::vector<int> sizes(m_spec.hidden.rbegin(), m_spec.hidden.rend());
  sizes.push_back(m_inputSize);
  prev = m_spec.latent;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const bool isLast = i + 1 == sizes.size();
    const Activation act = isLast ? last : m_spec.activation;
    if (m_spec.tiedWeights)
      m_decoder.add<TiedDense>(*encoderDense[encoderDense.size() - 1 - i], act);
    else
      m_decoder.add<Dense>(prev, sizes[i], act);
    if (!isLast && m_spec.dropout > 0) m_decoder.add<Dropout>(sizes[i], m_spec.dropout);
    prev = sizes[i];
  }
}

// --- the convolutional AE --------------------------------------------------------------------

void Model::addDenseEncoderHead(int inputs) {
  int prev = inputs;
  for (int h : m_spec.hidden) {
    m_encoder.add<Dense>(prev, h, m_spec.activation);
    if (m_spec.dropout > 0) m_encoder.add<Dropout>(h, m_spec.dropout);
    prev = h;
  }
  addCodeLayer(prev);
}

void Model::addCodeLayer(int inputs) {
  if (isVariational())
    m_encoder.add<Dense>(inputs, 2 * m_spec.latent, Activation::Identity);
  else
    m_encoder.add<Dense>(inputs, m_spec.latent, m_spec.latentActivation);
}

Activation Model::outputActivation() const {
  return m_spec.loss == LossKind::Bce ? Activation::Identity : m_spec.outputActivation;
}

void Model::addDenseDecoderHead(int outputs) {
  std::vector<int> sizes(m_spec.hidden.rbegin(), m_spec.hidden.rend());
  sizes.push_back(outputs);
  int prev = m_spec.latent;
  for (int size : sizes) {
    m_decoder.add<Dense>(prev, size, m_spec.activation);
    if (m_spec.dropout > 0) m_decoder.add<Dropout>(size, m_spec.dropout);
    prev = size;
  }
}

void Model::buildConv() {
  const ConvSpec& c = m_spec.conv;
  const std::vector<ImageDims> stages = convStages(c, imageDims(m_inputShape));
  const ConvOptions options{c.kernel, c.stride, c.kernel / 2,
                            c.batchNorm ? Activation::Identity : m_spec.activation};
  for (size_t i = 1; i < stages.size(); ++i) {
    const int size = stages[i].size();
    m_encoder.add<Conv2D>(stages[i - 1], stages[i].channels, options);
    if (c.batchNorm) {  // conv → BatchNorm → activation, as in the literature
      m_encoder.add<BatchNorm2D>(stages[i]);
      m_encoder.add<ActivationLayer>(size, m_spec.activation);
    }
    if (m_spec.dropout > 0) m_encoder.add<Dropout>(size, m_spec.dropout);
  }
  const ImageDims deepest = stages.back();
  m_encoder.add<Reshape>(deepest.size(),
                         "Flatten " + deepest.describe() + "→" + std::to_string(deepest.size()));
  addDenseEncoderHead(deepest.size());

  addDenseDecoderHead(deepest.size());
  m_decoder.add<Reshape>(deepest.size(),
                         "Unflatten " + std::to_string(deepest.size()) + "→" + deepest.describe());
  for (size_t i = stages.size() - 1; i > 0; --i)
    addConvDecoderStage(stages[i], stages[i - 1], i == 1);
}

void Model::addConvDecoderStage(ImageDims from, ImageDims to, bool isLast) {
  const ConvSpec& c = m_spec.conv;
  const bool normalise = c.batchNorm && !isLast;
  const Activation activation =
      isLast ? outputActivation() : (normalise ? Activation::Identity : m_spec.activation);
  const int padding = c.kernel / 2;
  if (c.decoder == ConvSpec::Decoder::Transpose) {
    m_decoder.add<ConvTranspose2D>(
        from, to.channels,
        ConvTransposeOptions{c.kernel, c.stride, padding, droppedByStride(to.height, c),
                             droppedByStride(to.width, c), activation});
  } else {
    m_decoder.add<Upsample>(from, to.height, to.width, c.upsample);
    m_decoder.add<Conv2D>(ImageDims{from.channels, to.height, to.width}, to.channels,
                          ConvOptions{c.kernel, 1, padding, activation});
  }
  if (normalise) {
    m_decoder.add<BatchNorm2D>(to);
    m_decoder.add<ActivationLayer>(to.size(), m_spec.activation);
  }
  if (!isLast && m_spec.dropout > 0) m_decoder.add<Dropout>(to.size(), m_spec.dropout);
}

// --- the LSTM AE ----------------------------------------------------------------------------

void Model::buildLstm() {
  const SequenceDims seq = sequenceDims(m_inputShape);
  const std::vector<int>& sizes = m_spec.hidden;
  int prev = seq.features;
  for (size_t i = 0; i < sizes.size(); ++i) {  // the last LSTM hands on its final state only
    m_encoder.add<Lstm>(seq.steps, prev, sizes[i], /*returnSequences=*/i + 1 < sizes.size());
    prev = sizes[i];
  }
  addCodeLayer(prev);

  m_decoder.add<RepeatVector>(seq.steps, m_spec.latent);
  prev = m_spec.latent;
  for (auto it = sizes.rbegin(); it != sizes.rend(); ++it) {
    m_decoder.add<Lstm>(seq.steps, prev, *it, /*returnSequences=*/true);
    prev = *it;
  }
  m_decoder.add<TimeDistributedDense>(seq.steps, prev, seq.features, outputActivation());
  if (m_spec.lstm.reverseTarget) m_decoder.add<ReverseTime>(seq.steps, seq.features);
}

// --- inference ------------------------------------------------------------------------------

Matrix Model::toDataUnits(Matrix output) const {
  if (m_spec.loss == LossKind::Bce) activateInPlace(Activation::Sigmoid, output);
  return output;
}

Matrix Model::encode(const Matrix& x) const {
  if (x.rows() != m_inputSize)
    throw std::invalid_argument("Model::encode: the model takes " + std::to_string(m_inputSize) +
                                " values per sample, got " + shapeString(x.rows(), x.cols()));
  Matrix h = m_encoder.infer(x);
  if (isVariational()) return h.topRows(m_spec.latent);
  return h;
}

GaussianCode Model::encodeDistribution(const Matrix& x) const {
  if (!isVariational()) throw std::logic_error("encodeDistribution: not a VAE");
  Matrix h = m_encoder.infer(x);
  return {h.topRows(m_spec.latent), h.bottomRows(m_spec.latent)};
}

Matrix Model::decode(const Matrix& z) const {
  if (z.rows() != m_spec.latent)
    throw std::invalid_argument("Model::decode: the code has " + std::to_string(m_spec.latent) +
                                " dimensions, got " + shapeString(z.rows(), z.cols()));
  return toDataUnits(m_decoder.infer(z));
}

Matrix Model::sample(int n, Rng& rng, float temperature) const {
  Matrix z(m_spec.latent, n);
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = temperature * rng.normal();
  return decode(z);
}

double Model::reconstructionLoss(const Matrix& output, const Matrix& target, int batchTotal,
                                 Matrix& grad) const {
  const Reduction r = m_spec.reconstructionReduction();
  return m_spec.loss == LossKind::Bce ? bceWithLogitsLoss(output, target, batchTotal, r, grad)
                                      : mseLoss(output, target, batchTotal, r, grad);
}

LossTerms Model::evaluate(const Matrix& x, const Matrix& target, int batchTotal, float beta) const {
  LossTerms t;
  Matrix h = m_encoder.infer(x);
  Matrix scratch, scratch2;
  Matrix output;
  if (isVariational()) {
    const Matrix mu = h.topRows(m_spec.latent), logVar = h.bottomRows(m_spec.latent);
    t.kl = gaussianKlLoss(mu, logVar, batchTotal, scratch, scratch2);
    output = m_decoder.infer(mu);
  } else {
    output = m_decoder.infer(h);
    const double share = double(h.cols()) / batchTotal;
    if (m_spec.sparsity.kind == SparsitySpec::Kind::L1) {
      scratch = Matrix::Zero(h.rows(), h.cols());
      t.sparsity = l1SparsityPenalty(h, m_spec.sparsity.weight, batchTotal, scratch);
    } else if (m_spec.sparsity.kind == SparsitySpec::Kind::Kl && h.cols() > 0) {
      const Vector mean = h.rowwise().mean();
      t.sparsity = share * klSparsityValue(mean, m_spec.sparsity.target, m_spec.sparsity.weight);
    }
  }
  t.reconstruction = reconstructionLoss(output, target, batchTotal, scratch);
  t.mse = (toDataUnits(std::move(output)) - target).squaredNorm() / (double(x.rows()) * batchTotal);
  t.total = t.reconstruction + beta * t.kl + t.sparsity;
  return t;
}

// --- training -------------------------------------------------------------------------------

void Model::corrupt(const Matrix& clean, Rng& rng, Matrix& noisy) const {
  applyNoise(m_spec.noise, clean, rng, noisy);
}

void Model::forwardTrain(const Matrix& input, Rng& rng) {
  m_encoder.setTraining(true, &rng);
  m_decoder.setTraining(true, &rng);
  m_networkInput = &input;
  if (m_spec.noise.kind != NoiseSpec::Kind::None) {
    corrupt(input, rng, m_noisy);
    m_networkInput = &m_noisy;
  }
  m_code = &m_encoder.forward(*m_networkInput);
  if (!isVariational()) {
    m_output = &m_decoder.forward(*m_code);
    return;
  }
  // Reparameterisation: z = μ + ε ⊙ σ,  σ = exp(½ log σ²),  ε ~ N(0, I)
  const int L = m_spec.latent;
  m_epsilon.resize(L, m_code->cols());
  for (Eigen::Index i = 0; i < m_epsilon.size(); ++i) m_epsilon.data()[i] = rng.normal();
  m_sigma = (Scalar(0.5) * m_code->bottomRows(L).array()).exp().matrix();
  m_z = m_code->topRows(L) + m_epsilon.cwiseProduct(m_sigma);
  m_output = &m_decoder.forward(m_z);
}

void Model::setMixedPrecision(bool on) {
  m_encoder.setMixedPrecision(on);
  m_decoder.setMixedPrecision(on);
}

Vector Model::codeActivationSum() const {
  if (m_code == nullptr) throw std::logic_error("codeActivationSum before forwardTrain");
  return m_code->rowwise().sum();
}

LossTerms Model::backwardTrain(const Matrix& target, int batchTotal, float beta,
                               const Vector* meanCode) {
  if (m_output == nullptr) throw std::logic_error("backwardTrain before forwardTrain");
  LossTerms t;
  t.reconstruction = reconstructionLoss(*m_output, target, batchTotal, m_gradOutput);
  const Matrix& gradZ = m_decoder.backward(m_gradOutput);  // latent × slice
  if (isVariational()) {
    // dL/dμ = dL/dz + β dKL/dμ;  dL/dlog σ² = dL/dz ⊙ ε ⊙ ½σ + β dKL/dlog σ²
    const int L = m_spec.latent;
    t.kl = gaussianKlLoss(m_code->topRows(L), m_code->bottomRows(L), batchTotal, m_gradMu,
                          m_gradLogVar);
    m_gradHead.resize(2 * L, gradZ.cols());
    m_gradHead.topRows(L) = gradZ + beta * m_gradMu;
    m_gradHead.bottomRows(L) =
        (gradZ.array() * m_epsilon.array() * Scalar(0.5) * m_sigma.array()).matrix() +
        beta * m_gradLogVar;
    m_encoder.backward(m_gradHead);
  } else {
    m_gradCode = gradZ;
    const SparsitySpec& sp = m_spec.sparsity;
    if (sp.kind == SparsitySpec::Kind::L1) {
      t.sparsity = l1SparsityPenalty(*m_code, sp.weight, batchTotal, m_gradCode);
    } else if (sp.kind == SparsitySpec::Kind::Kl) {
      if (meanCode == nullptr) throw std::logic_error("KL sparsity needs the batch mean code");
      t.sparsity = klSparsityValue(*meanCode, sp.target, sp.weight) * m_code->cols() / batchTotal;
      addKlSparsityGradient(*meanCode, sp.target, sp.weight, batchTotal, m_gradCode);
    }
    m_encoder.backward(m_gradCode);
  }
  t.total = t.reconstruction + beta * t.kl + t.sparsity;
  return t;
}

std::vector<NamedParameter> Model::parameters() {
  auto params = m_encoder.parameters();
  for (const auto& p : m_decoder.parameters()) params.push_back(p);
  return params;
}

std::vector<NamedParameter> Model::parameters() const {
  return const_cast<Model*>(this)->parameters();
}

std::vector<NamedParameter> Model::buffers() const {
  auto* self = const_cast<Model*>(this);
  auto out = self->m_encoder.buffers();
  for (const auto& b : self->m_decoder.buffers()) out.push_back(b);
  return out;
}

void Model::zeroGrad() {
  for (auto& p : parameters()) p.parameter->zeroGrad();
}

long long Model::parameterCount() const {
  long long n = 0;
  for (const auto& p : parameters()) n += p.parameter->value->size();
  return n;
}

std::unique_ptr<Model> Model::replicaSharingWeights() const {
  Rng unused(0);
  auto replica = std::make_unique<Model>(m_spec, m_inputShape, unused);
  auto mine = parameters();
  auto theirs = replica->parameters();
  for (size_t i = 0; i < mine.size(); ++i) theirs[i].parameter->value = mine[i].parameter->value;
  auto myBuffers = buffers();
  auto theirBuffers = replica->buffers();
  for (size_t i = 0; i < myBuffers.size(); ++i)
    theirBuffers[i].parameter->value = myBuffers[i].parameter->value;
  replica->m_encoder.setUpdatesBuffers(false);
  replica->m_decoder.setUpdatesBuffers(false);
  return replica;
}

std::unique_ptr<Model> Model::clone() const {
  Rng unused(0);
  auto copy = std::make_unique<Model>(m_spec, m_inputShape, unused);
  copy->copyWeightsFrom(*this);
  return copy;
}

void Model::copyWeightsFrom(const Model& other) {
  auto mine = parameters();
  auto theirs = other.parameters();
  for (const auto& b : buffers()) mine.push_back(b);
  for (const auto& b : other.buffers()) theirs.push_back(b);
  if (mine.size() != theirs.size())
    throw std::invalid_argument("copyWeightsFrom: the models have different layers");
  for (size_t i = 0; i < mine.size(); ++i) {
    const Matrix& src = *theirs[i].parameter->value;
    Matrix& dst = *mine[i].parameter->value;
    if (src.rows() != dst.rows() || src.cols() != dst.cols())
      throw std::invalid_argument("copyWeightsFrom: '" + mine[i].name + "' is " +
                                  shapeString(dst.rows(), dst.cols()) + ", source is " +
                                  shapeString(src.rows(), src.cols()));
    dst = src;
  }
}

bool Model::allWeightsFinite() const {
  for (const auto& p : parameters())
    if (!p.parameter->value->allFinite()) return false;
  for (const auto& b : buffers())
    if (!b.parameter->value->allFinite()) return false;
  return true;
}

std::vector<std::string> Model::describeLayers() const {
  std::vector<std::string> lines;
  for (const Sequential* net : {&m_encoder, &m_decoder})
    for (size_t i = 0; i < net->size(); ++i)
      lines.push_back(std::string(net == &m_encoder ? "encoder." : "decoder.") + std::to_string(i) +
                      " " + net->layer(i).describe());
  return lines;
}

}  // namespace latent
