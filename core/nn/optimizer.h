// Optimizers over a model's parameter list: SGD with momentum, Adam and AdamW (PyTorch semantics).
// State is indexed by parameter position; the step counter advances once per step().
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace latent {

enum class OptimizerKind { Sgd, Adam, AdamW };
std::string toString(OptimizerKind k);
OptimizerKind optimizerFromString(const std::string& name);

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::Adam;
  float learningRate = 1e-3f;
  float momentum = 0.9f;     // SGD
  bool nesterov = false;     // SGD
  double beta1 = 0.9;        // Adam/AdamW (double, as PyTorch's, so 1 - beta2 is exactly 0.001)
  double beta2 = 0.999;      // Adam/AdamW
  float epsilon = 1e-8f;     // Adam/AdamW
  float weightDecay = 0.0f;  // L2 for SGD/Adam, decoupled for AdamW (PyTorch's default is 1e-2)
  /// Gradient-norm clipping before the update, as torch.nn.utils.clip_grad_norm_: when the L2
  /// norm of every gradient together exceeds this, all are scaled by maxGradNorm / (norm + 1e-6).
  /// 0: off.
  float maxGradNorm = 0.0f;
};

class Optimizer {
 public:
  Optimizer(std::vector<Parameter*> params, OptimizerOptions options);
  virtual ~Optimizer() = default;

  /// Applies one update from the current gradients (parallel over values on the calling TBB
  /// arena). Advances the step counter once.
  void step() { step({}); }
  /// The same, first adding each replica's gradients (same parameter order and shapes) into this
  /// optimizer's, in the order given: the data-parallel reduction fused into the update, one pass
  /// over memory and one parallel loop per step. With `zeroGradients`, every gradient read is
  /// flagged zero afterwards (Parameter::gradIsZero: the next backward overwrites it), and the sum
  /// is not written back, saving two passes over memory per step.
  void step(const std::vector<std::vector<Parameter*>>& replicaGradients,
            bool zeroGradients = false);
  void zeroGrad();

  const OptimizerOptions& options() const { return m_options; }
  void setLearningRate(float lr) { m_options.learningRate = lr; }
  long long stepCount() const { return m_step; }
  /// The L2 norm of the (summed) gradient of the last step, before clipping; 0 when clipping is
  /// off (the norm then costs a pass that nothing needs).
  double lastGradNorm() const { return m_lastGradNorm; }

  /// Named state tensors ("exp_avg.3", "momentum_buffer.0", ...) for model files.
  std::map<std::string, Matrix> state() const;
  /// Restores state() output; throws Error when names or shapes do not match the parameters.
  void setState(const std::map<std::string, Matrix>& state, long long stepCount);

  /// Rebinds to another parameter list with the same shapes (e.g. after restoring weights).
  void rebind(std::vector<Parameter*> params);

 protected:
  /// Updates values [begin, end) of parameter `index` from `grad` (its gradient for those values,
  /// grad[0] belonging to `begin`); the step counter is already advanced.
  virtual void update(size_t index, Eigen::Index begin, Eigen::Index end, const Scalar* grad) = 0;
  virtual std::vector<std::string> stateNames() const = 0;
  std::vector<Matrix>& stateSlots(const std::string& name) { return m_slots.at(name); }

  std::vector<Parameter*> m_params;
  OptimizerOptions m_options;
  long long m_step = 0;
  double m_lastGradNorm = 0;

 private:
  std::map<std::string, std::vector<Matrix>> m_slots;  // per state name, one matrix per parameter
};

class Sgd : public Optimizer {
 public:
  Sgd(std::vector<Parameter*> params, OptimizerOptions options);

 protected:
  void update(size_t index, Eigen::Index begin, Eigen::Index end, const Scalar* grad) override;
  std::vector<std::string> stateNames() const override { return {"momentum_buffer"}; }
};

/// Adam; with kind AdamW the weight decay is decoupled (p ← p(1 - lr·wd) before the update).
class Adam : public Optimizer {
 public:
  Adam(std::vector<Parameter*> params, OptimizerOptions options);

 protected:
  void update(size_t index, Eigen::Index begin, Eigen::Index end, const Scalar* grad) override;
  std::vector<std::string> stateNames() const override { return {"exp_avg", "exp_avg_sq"}; }
};

std::unique_ptr<Optimizer> makeOptimizer(std::vector<Parameter*> params, OptimizerOptions options);

}  // namespace latent
