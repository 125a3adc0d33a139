// Sequential: layers applied in order, with named parameters ("encoder.0.weight").
#pragma once

#include <memory>
#include <vector>

#include "nn/layer.h"

namespace latent {

struct NamedParameter {
  std::string name;  // "encoder.0.weight"
  Parameter* parameter;
};

class Sequential {
 public:
  explicit Sequential(std::string prefix) : m_prefix(std::move(prefix)) {}

  template <typename L, typename... Args>
  L& add(Args&&... args) {
    auto layer = std::make_unique<L>(std::forward<Args>(args)...);
    L& ref = *layer;
    m_layers.push_back(std::move(layer));
    return ref;
  }

  /// input: inputSize × batch. Returns the last layer's output (valid until the next forward).
  const Matrix& forward(const Matrix& input);
  /// gradOutput: outputSize × batch. Returns dL/dinput (unspecified if the first layer skips it).
  const Matrix& backward(const Matrix& gradOutput);
  Matrix infer(const Matrix& input) const;

  std::vector<NamedParameter> parameters();
  /// Saved, untrained state ("encoder.1.running_mean"), named like parameters.
  std::vector<NamedParameter> buffers();
  /// Off for replicas: they share the master's buffers and leave them to it.
  void setUpdatesBuffers(bool on);
  void setTraining(bool training, Rng* rng);
  void setComputeInputGradient(bool on);
  void setMixedPrecision(bool on);

  int inputSize() const { return m_layers.front()->inputSize(); }
  int outputSize() const { return m_layers.back()->outputSize(); }
  size_t size() const { return m_layers.size(); }
  Layer& layer(size_t i) { return *m_layers[i]; }
  const Layer& layer(size_t i) const { return *m_layers[i]; }

 private:
  std::string m_prefix;
  std::vector<std::unique_ptr<Layer>> m_layers;
};

}  // namespace latent
