// Sequential forward/backward/infer and parameter naming.
#include "nn/sequential.h"

namespace latent {

const Matrix& Sequential::forward(const Matrix& input) {
  const Matrix* x = &input;
  for (auto& layer : m_layers) x = &layer->forward(*x);
  return *x;
}

const Matrix& Sequential::backward(const Matrix& gradOutput) {
  const Matrix* g = &gradOutput;
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) g = &(*it)->backward(*g);
  return *g;
}

Matrix Sequential::infer(const Matrix& input) const {
  Matrix x = m_layers.front()->infer(input);
  for (size_t i = 1; i < m_layers.size(); ++i) x = m_layers[i]->infer(x);
  return x;
}

std::vector<NamedParameter> Sequential::parameters() {
  std::vector<NamedParameter> out;
  for (size_t i = 0; i < m_layers.size(); ++i)
    for (Parameter* p : m_layers[i]->parameters())
      out.push_back({m_prefix + "." + std::to_string(i) + "." + p->name, p});
  return out;
}

std::vector<NamedParameter> Sequential::buffers() {
  std::vector<NamedParameter> out;
  for (size_t i = 0; i < m_layers.size(); ++i)
    for (Parameter* p : m_layers[i]->buffers())
      out.push_back({m_prefix + "." + std::to_string(i) + "." + p->name, p});
  return out;
}

void Sequential::setUpdatesBuffers(bool on) {
  for (auto& layer : m_layers) layer->setUpdatesBuffers(on);
}

void Sequential::setTraining(bool training, Rng* rng) {
  for (auto& layer : m_layers) layer->setTraining(training, rng);
}

void Sequential::setMixedPrecision(bool on) {
  for (auto& layer : m_layers) layer->setMixedPrecision(on);
}

void Sequential::setComputeInputGradient(bool on) {
  if (!m_layers.empty()) m_layers.front()->setComputeInputGradient(on);
}

}  // namespace latent
