// Optimizer updates, written as PyTorch's torch.optim single-tensor loops so the numbers agree.
#include "nn/optimizer.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace latent {

namespace {
constexpr Eigen::Index UpdateGrain = 32768;  // values per task: enough work to beat the overhead
}

std::string toString(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::Sgd:
      return "sgd";
    case OptimizerKind::Adam:
      return "adam";
    case OptimizerKind::AdamW:
      return "adamw";
  }
  return "adam";
}

OptimizerKind optimizerFromString(const std::string& name) {
  if (name == "sgd") return OptimizerKind::Sgd;
  if (name == "adam") return OptimizerKind::Adam;
  if (name == "adamw") return OptimizerKind::AdamW;
  throw Error(Error::Code::InvalidArgument,
              "unknown optimizer '" + name + "' (choose sgd, adam or adamw)");
}

Optimizer::Optimizer(std::vector<Parameter*> params, OptimizerOptions options)
    : m_params(std::move(params)), m_options(options) {}

void Optimizer::rebind(std::vector<Parameter*> params) {
  if (params.size() != m_params.size())
    throw std::invalid_argument("Optimizer::rebind: parameter count differs");
  m_params = std::move(params);
}

void Optimizer::zeroGrad() {
  for (Parameter* p : m_params) p->zeroGrad();
}

void Optimizer::step(const std::vector<std::vector<Parameter*>>& replicaGradients,
                     bool zeroGradients) {
  ++m_step;
  for (const std::string& name : stateNames()) {
    auto& s = m_slots[name];
    if (s.size() != m_params.size()) {
      s.clear();
      for (Parameter* p : m_params) s.push_back(Matrix::Zero(p->value->rows(), p->value->cols()));
    }
  }
  // A gradient only flagged zero (its layer did not run) is made real before it is read.
  for (Parameter* p : m_params) p->materialisedGrad();
  for (const auto& replica : replicaGradients)
    for (Parameter* p : replica) p->materialisedGrad();
  struct Chunk {
    size_t parameter;
    Eigen::Index begin, end;
  };
  std::vector<Chunk> chunks;
  for (size_t i = 0; i < m_params.size(); ++i)
    for (Eigen::Index b = 0, n = m_params[i]->value->size(); b < n; b += UpdateGrain)
      chunks.push_back({i, b, std::min(n, b + UpdateGrain)});
  if (m_options.maxGradNorm > 0) {
    // Clipping needs the norm of the whole summed gradient before any value moves: the reduction
    // is then a pass of its own, written back, with a partial norm per chunk (summed in chunk
    // order, so the same for any thread count).
    std::vector<double> squares(chunks.size());
    tbb::parallel_for(size_t(0), chunks.size(), [&](size_t k) {
      const Chunk& c = chunks[k];
      const Eigen::Index n = c.end - c.begin;
      auto own = Eigen::Map<Vector>(m_params[c.parameter]->grad.data() + c.begin, n);
      for (const auto& replica : replicaGradients)
        own += Eigen::Map<const Vector>(replica[c.parameter]->grad.data() + c.begin, n);
      squares[k] = own.cast<double>().squaredNorm();
    });
    double sum = 0;
    for (double s : squares) sum += s;
    m_lastGradNorm = std::sqrt(sum);
    // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1.
    const double coef = double(m_options.maxGradNorm) / (m_lastGradNorm + 1e-6);
    const Scalar scale = Scalar(std::min(1.0, coef));
    tbb::parallel_for(size_t(0), chunks.size(), [&](size_t k) {
      const Chunk& c = chunks[k];
      const Eigen::Index n = c.end - c.begin;
      Scalar* grad = m_params[c.parameter]->grad.data() + c.begin;
      if (scale < 1) Eigen::Map<Vector>(grad, n) *= scale;
      update(c.parameter, c.begin, c.end, grad);
    });
  } else {
    m_lastGradNorm = 0;
    tbb::parallel_for(size_t(0), chunks.size(), [&](size_t k) {
      const Chunk& c = chunks[k];
      const Eigen::Index n = c.end - c.begin;
      auto own = Eigen::Map<Vector>(m_params[c.parameter]->grad.data() + c.begin, n);
      // When the gradients are cleared afterwards, the sum lives in a per-thread buffer that stays
      // in cache instead of being written back to memory.
      thread_local Vector buffer;
      Scalar* sum = own.data();
      if (zeroGradients && !replicaGradients.empty()) {
        buffer = own;
        sum = buffer.data();
      }
      auto total = Eigen::Map<Vector>(sum, n);
      for (const auto& replica : replicaGradients)
        total += Eigen::Map<const Vector>(replica[c.parameter]->grad.data() + c.begin, n);
      update(c.parameter, c.begin, c.end, sum);
    });
  }
  if (!zeroGradients) return;
  for (Parameter* p : m_params) p->clearGrad();
  for (const auto& replica : replicaGradients)
    for (Parameter* p : replica) p->clearGrad();
}

std::map<std::string, Matrix> Optimizer::state() const {
  std::map<std::string, Matrix> out;
  for (const auto& [name, mats] : m_slots)
    for (size_t i = 0; i < mats.size(); ++i) out[name + "." + std::to_string(i)] = mats[i];
  return out;
}

void Optimizer::setState(const std::map<std::string, Matrix>& state, long long stepCount) {
  if (state.empty() && stepCount == 0) {  // saved before the first step: nothing to restore
    m_slots.clear();
    m_step = 0;
    return;
  }
  std::map<std::string, std::vector<Matrix>> slotsIn;
  for (const std::string& name : stateNames()) {
    auto& mats = slotsIn[name];
    for (size_t i = 0; i < m_params.size(); ++i) {
      auto it = state.find(name + "." + std::to_string(i));
      if (it == state.end())
        throw Error(Error::Code::Format,
                    "optimizer state is missing '" + name + "." + std::to_string(i) + "'");
      if (it->second.rows() != m_params[i]->value->rows() ||
          it->second.cols() != m_params[i]->value->cols())
        throw Error(Error::Code::Format,
                    "optimizer state '" + it->first + "' is " +
                        shapeString(it->second.rows(), it->second.cols()) +
                        " but the parameter is " +
                        shapeString(m_params[i]->value->rows(), m_params[i]->value->cols()));
      mats.push_back(it->second);
    }
  }
  m_slots = std::move(slotsIn);
  m_step = stepCount;
}

Sgd::Sgd(std::vector<Parameter*> params, OptimizerOptions options)
    : Optimizer(std::move(params), options) {}

void Sgd::update(size_t index, Eigen::Index begin, Eigen::Index end, const Scalar* grad) {
  // g ← g + wd·p;  buf ← μ·buf + g (buf = g on the first step);  p ← p - lr·(nesterov ? g + μ·buf :
  // buf)
  const Eigen::Index n = end - begin;
  auto p = Eigen::Map<Vector>(m_params[index]->value->data() + begin, n);
  auto g = Eigen::Map<const Vector>(grad, n);
  auto buf = Eigen::Map<Vector>(stateSlots("momentum_buffer")[index].data() + begin, n);
  const Scalar lr = m_options.learningRate, mu = m_options.momentum, wd = m_options.weightDecay;
  Vector d = g + wd * p;
  if (mu != 0) {
    buf = (m_step == 1) ? d : Vector(mu * buf + d);
    if (m_options.nesterov)
      d += mu * buf;
    else
      d = buf;
  }
  p -= lr * d;
}

Adam::Adam(std::vector<Parameter*> params, OptimizerOptions options)
    : Optimizer(std::move(params), options) {}

void Adam::update(size_t index, Eigen::Index begin, Eigen::Index end, const Scalar* grad) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  const Eigen::Index n = end - begin;
  auto p = Eigen::Map<Array>(m_params[index]->value->data() + begin, n);
  auto g = Eigen::Map<const Array>(grad, n);
  auto m = Eigen::Map<Array>(stateSlots("exp_avg")[index].data() + begin, n);
  auto v = Eigen::Map<Array>(stateSlots("exp_avg_sq")[index].data() + begin, n);
  const Scalar lr = m_options.learningRate, eps = m_options.epsilon, wd = m_options.weightDecay;
  // Coefficients computed in double and rounded once, as PyTorch does with its Python floats.
  const Scalar b1 = Scalar(m_options.beta1), b2 = Scalar(m_options.beta2);
  const Scalar oneMinusB1 = Scalar(1.0 - m_options.beta1),
               oneMinusB2 = Scalar(1.0 - m_options.beta2);
  const bool decoupled = m_options.kind == OptimizerKind::AdamW;
  // PyTorch: step_size = lr / (1 - b1^t); denom = sqrt(v) / sqrt(1 - b2^t) + eps
  const Scalar bc1 = Scalar(1.0 - std::pow(m_options.beta1, double(m_step)));
  const Scalar invBc2Sqrt =
      Scalar(1.0 / std::sqrt(1.0 - std::pow(m_options.beta2, double(m_step))));
  const Scalar stepSize = lr / bc1;
  if (decoupled) p *= Scalar(1) - lr * wd;
  if (!decoupled && wd != 0) {
    const Array gi = g + wd * p;
    m = b1 * m + oneMinusB1 * gi;
    v = b2 * v + oneMinusB2 * gi.square();
  } else {
    m = b1 * m + oneMinusB1 * g;
    v = b2 * v + oneMinusB2 * g.square();
  }
  // One division per value: sqrt and divide dominate this memory-light loop (PyTorch divides by
  // the bias correction; multiplying by its inverse differs by at most an ulp).
  p -= stepSize * m / (v.sqrt() * invBc2Sqrt + eps);
}

std::unique_ptr<Optimizer> makeOptimizer(std::vector<Parameter*> params, OptimizerOptions options) {
  if (options.kind == OptimizerKind::Sgd) return std::make_unique<Sgd>(std::move(params), options);
  return std::make_unique<Adam>(std::move(params), options);
}

}  // namespace latent
