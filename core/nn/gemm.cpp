// GEMM backends. oneDNN works on row-major ("ab") descriptors: a column-major r×c Eigen matrix is
// a row-major c×r one, or an r×c one with the transposed tag "ba".
#include "nn/gemm.h"

#ifdef LATENT_USE_ONEDNN
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>

extern "C" void omp_set_num_threads(int threads);
#endif

namespace latent {

#ifdef LATENT_USE_ONEDNN
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
enum class Product { Forward, WeightGradient, WeightGradientOverwrite, InputGradient };

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

struct Prepared {
  dnnl::matmul primitive;
  memory::desc src, weights, dst;
};

// dst{m×n} = src{m×k} · weights{k×n} with each operand's layout given by its tag; operands in
// `type` (f32 or bf16), the result always f32.
Prepared prepare(memory::dim m, memory::dim k, memory::dim n, Tag srcTag, Tag weightsTag,
                 bool accumulate, memory::data_type type) {
  const auto f32 = memory::data_type::f32;
  memory::desc src({m, k}, type, srcTag), weights({k, n}, type, weightsTag),
      dst({m, n}, f32, Tag::ab);
  dnnl::primitive_attr attr;
  if (accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, weights, dst), attr, cpuEngine());
  return {dnnl::matmul(pd), src, weights, dst};
}

// One cache per thread: primitives are built once per shape (~ms) and reused every step.
Prepared& cached(Product p, memory::dim m, memory::dim k, memory::dim n, memory::data_type type) {
  using Key = std::tuple<Product, memory::dim, memory::dim, memory::dim, memory::data_type>;
  thread_local std::map<Key, Prepared> cache;
  const Key key{p, m, k, n, type};
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  switch (p) {
    case Product::Forward:  // Zᵀ{n×out} = Xᵀ{n×in} · Wᵀ{in×out}
      return cache.emplace(key, prepare(m, k, n, Tag::ab, Tag::ab, false, type)).first->second;
    case Product::WeightGradient:  // dWᵀ{in×out} += X{in×n} · Gᵀ{n×out}
      return cache.emplace(key, prepare(m, k, n, Tag::ba, Tag::ab, true, type)).first->second;
    case Product::WeightGradientOverwrite:  // dWᵀ{in×out} = X{in×n} · Gᵀ{n×out}
      return cache.emplace(key, prepare(m, k, n, Tag::ba, Tag::ab, false, type)).first->second;
    case Product::InputGradient:  // dXᵀ{n×in} = Gᵀ{n×out} · W{out×in}
      return cache.emplace(key, prepare(m, k, n, Tag::ab, Tag::ba, false, type)).first->second;
  }
  throw std::logic_error("unknown product");
}

void run(Product p, memory::dim m, memory::dim k, memory::dim n, const void* src,
         const void* weights, Scalar* dst, memory::data_type type = memory::data_type::f32) {
  thread_local bool singleThreaded = [] {
    omp_set_num_threads(1);  // per-thread setting: parallelism is ours, on TBB
    return true;
  }();
  (void)singleThreaded;
  thread_local dnnl::stream stream(cpuEngine());
  Prepared& prepared = cached(p, m, k, n, type);
  memory srcMem(prepared.src, cpuEngine(), const_cast<void*>(src));
  memory weightsMem(prepared.weights, cpuEngine(), const_cast<void*>(weights));
  memory dstMem(prepared.dst, cpuEngine(), dst);
  prepared.primitive.execute(
      stream, {{DNNL_ARG_SRC, srcMem}, {DNNL_ARG_WEIGHTS, weightsMem}, {DNNL_ARG_DST, dstMem}});
  stream.wait();
}

}  // namespace

void gemmForward(const Matrix& W, const Matrix& X, Matrix& Z) {
  Z.resize(W.rows(), X.cols());
  run(Product::Forward, X.cols(), W.cols(), W.rows(), X.data(), W.data(), Z.data());
}

void gemmWeightGradient(const Matrix& G, const Matrix& X, Matrix& dW, bool accumulate) {
  run(accumulate ? Product::WeightGradient : Product::WeightGradientOverwrite, X.rows(), X.cols(),
      G.rows(), X.data(), G.data(), dW.data());
}

void gemmInputGradient(const Matrix& W, const Matrix& G, Matrix& dX) {
  dX.resize(W.cols(), G.cols());
  run(Product::InputGradient, G.cols(), W.rows(), W.cols(), G.data(), W.data(), dX.data());
}

std::string gemmBackendName() { return "oneDNN (JIT matmul)"; }

bool bf16GemmAvailable() {
  static const bool available = dnnl::get_effective_cpu_isa() >= dnnl::cpu_isa::avx512_core_bf16;
  return available;
}

void gemmForward(const Bf16Matrix& W, const Bf16Matrix& X, Matrix& Z) {
  Z.resize(W.rows, X.cols);
  run(Product::Forward, X.cols, W.cols, W.rows, X.data.data(), W.data.data(), Z.data(),
      memory::data_type::bf16);
}

void gemmWeightGradient(const Bf16Matrix& G, const Bf16Matrix& X, Matrix& dW, bool accumulate) {
  run(accumulate ? Product::WeightGradient : Product::WeightGradientOverwrite, X.rows, X.cols,
      G.rows, X.data.data(), G.data.data(), dW.data(), memory::data_type::bf16);
}

void gemmInputGradient(const Bf16Matrix& W, const Bf16Matrix& G, Matrix& dX) {
  dX.resize(W.cols, G.cols);
  run(Product::InputGradient, G.cols, W.rows, W.cols, G.data.data(), W.data.data(), dX.data(),
      memory::data_type::bf16);
}

#else

void gemmForward(const Matrix& W, const Matrix& X, Matrix& Z) {
  Z.resize(W.rows(), X.cols());
  Z.noalias() = W * X;
}

void gemmWeightGradient(const Matrix& G, const Matrix& X, Matrix& dW, bool accumulate) {
  if (accumulate)
    dW.noalias() += G * X.transpose();
  else
    dW.noalias() = G * X.transpose();
}

void gemmInputGradient(const Matrix& W, const Matrix& G, Matrix& dX) {
  dX.resize(W.cols(), G.cols());
  dX.noalias() = W.transpose() * G;
}

#ifdef LATENT_USE_OPENBLAS
std::string gemmBackendName() { return "Eigen with OpenBLAS sgemm"; }
#else
std::string gemmBackendName() { return "Eigen"; }
#endif

bool bf16GemmAvailable() { return false; }

[[noreturn]] static void noBf16() {
  throw std::logic_error("bfloat16 products need a build with oneDNN (LATENT_USE_ONEDNN)");
}
void gemmForward(const Bf16Matrix&, const Bf16Matrix&, Matrix&) { noBf16(); }
void gemmWeightGradient(const Bf16Matrix&, const Bf16Matrix&, Matrix&, bool) { noBf16(); }
void gemmInputGradient(const Bf16Matrix&, const Bf16Matrix&, Matrix&) { noBf16(); }

#endif

void toBf16(const Matrix& m, Bf16Matrix& out) {
  out.rows = m.rows();
  out.cols = m.cols();
  out.data.resize(size_t(m.size()));
  const auto* bits = reinterpret_cast<const uint32_t*>(m.data());
  uint16_t* dst = out.data.data();
  for (Eigen::Index i = 0, n = m.size(); i < n; ++i) {  // round to nearest even (no NaNs here)
    const uint32_t b = bits[i];
    dst[i] = uint16_t((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
  }
}

}  // namespace latent
