// Layer: forward caches what backward needs; backward returns dL/dinput and adds (+=) into the
// layer's parameter gradients. Parameter values are shared (shared_ptr) between a model and its
// data-parallel replicas; gradients and work buffers belong to each replica.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/rng.h"
#include "data/types.h"

namespace latent {

/// A named trainable tensor. `value` is shared by every replica of a model; `grad` is per replica.
struct Parameter {
  std::string name;               // "weight", "bias": the layer prefixes it ("encoder.0.weight")
  std::shared_ptr<Matrix> value;  // rows × cols as stated by the owning layer
  Matrix grad;                    // same shape as *value
  /// True when the gradient is logically zero and `grad` may hold stale values: the next
  /// accumulation overwrites instead of adding, which saves a clearing pass over memory per step.
  bool gradIsZero = false;
  /// The tensor's shape in model files when it is not rows × cols (rows for a column): a
  /// convolution's `weight` is stored as PyTorch's [out, in, kH, kW].
  std::vector<int64_t> fileShape{};

  /// Flags the gradient zero without touching memory (for the optimizer's fused step only:
  /// code that writes `grad` directly must use zeroGrad()).
  void clearGrad() { gradIsZero = true; }
  void zeroGrad() {
    grad.setZero();
    gradIsZero = false;
  }
  /// grad (+)= value, overwriting when the gradient is only flagged zero.
  template <typename Derived>
  void addToGrad(const Eigen::MatrixBase<Derived>& value) {
    if (gradIsZero)
      grad.noalias() = value;
    else
      grad.noalias() += value;
    gradIsZero = false;
  }
  /// For products that write `grad` themselves: whether they must add to it (false: overwrite,
  /// the zero was only flagged). The gradient counts as real afterwards.
  bool accumulateNext() {
    const bool accumulate = !gradIsZero;
    gradIsZero = false;
    return accumulate;
  }
  /// `grad` with the zero made real when it was only flagged.
  Matrix& materialisedGrad() {
    if (gradIsZero) {
      grad.setZero();
      gradIsZero = false;
    }
    return grad;
  }
};

class Layer {
 public:
  virtual ~Layer() = default;

  /// Training forward: input is features × batch; the returned reference stays valid until the
  /// next forward. The layer may keep a pointer to `input` until backward.
  virtual const Matrix& forward(const Matrix& input) = 0;
  /// gradOutput: outputs × batch. Returns dL/dinput (inputs × batch), unless input gradients were
  /// switched off (first layer), in which case the return value is unspecified.
  virtual const Matrix& backward(const Matrix& gradOutput) = 0;
  /// Inference: no caching, safe to call from several threads on one layer.
  virtual Matrix infer(const Matrix& input) const = 0;

  virtual std::vector<Parameter*> parameters() { return {}; }
  /// State that is saved with the weights but not trained (BatchNorm's running statistics).
  /// Values are shared with replicas like parameters' values; `grad` is unused.
  virtual std::vector<Parameter*> buffers() { return {}; }
  virtual int inputSize() const = 0;
  virtual int outputSize() const = 0;
  virtual std::string describe() const = 0;

  /// Training mode switches noise layers (dropout) on; they draw from `rng`, owned by the caller.
  virtual void setTraining(bool /*training*/, Rng* /*rng*/) {}
  /// Training products in bfloat16 with float32 accumulation (only where gemm.h supports it).
  virtual void setMixedPrecision(bool /*on*/) {}
  /// The first layer of a network need not compute dL/dinput (saves one GEMM per step).
  void setComputeInputGradient(bool on) { m_computeInputGradient = on; }
  /// Replicas share the master's buffers and must not write them (one writer keeps runs
  /// deterministic; the running statistics follow worker 0's slice, as PyTorch DDP's buffers
  /// follow rank 0).
  void setUpdatesBuffers(bool on) { m_updatesBuffers = on; }

  void zeroGrad() {
    for (Parameter* p : parameters()) p->zeroGrad();
  }

 protected:
  bool m_computeInputGradient = true;
  bool m_updatesBuffers = true;
};

}  // namespace latent
