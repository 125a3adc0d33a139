// The three matrix products of a dense layer, behind one interface so the fastest backend measured
// on this CPU does them: oneDNN's JIT-compiled matmul kernels (tuned to each exact shape) when
// LatentLab is built with it, else Eigen (with OpenBLAS underneath when enabled).
// Called concurrently from TBB workers: every call runs single-threaded on the calling thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/types.h"

namespace latent {

/// Z = W X.       W: out × in, X: in × n, Z: out × n (resized).
void gemmForward(const Matrix& W, const Matrix& X, Matrix& Z);
/// dW += G Xᵀ (or = when !accumulate).    G: out × n, X: in × n, dW: out × in.
void gemmWeightGradient(const Matrix& G, const Matrix& X, Matrix& dW, bool accumulate);
/// dX = Wᵀ G.     W: out × in, G: out × n, dX: in × n (resized).
void gemmInputGradient(const Matrix& W, const Matrix& G, Matrix& dX);

/// "oneDNN (JIT matmul)" or "Eigen (OpenBLAS)"/"Eigen": for benchmarks and the About box.
std::string gemmBackendName();

/// A matrix rounded to bfloat16 (round to nearest even), same column-major layout.
struct Bf16Matrix {
  std::vector<uint16_t> data;
  Eigen::Index rows = 0, cols = 0;
};
void toBf16(const Matrix& m, Bf16Matrix& out);

/// True when this build and CPU multiply bfloat16 natively (oneDNN with AVX512-BF16 or AMX).
bool bf16GemmAvailable();

// Mixed precision: bfloat16 operands, float32 accumulation and results (only when
// bf16GemmAvailable()). Same shapes and semantics as the float versions.
void gemmForward(const Bf16Matrix& W, const Bf16Matrix& X, Matrix& Z);
void gemmWeightGradient(const Bf16Matrix& G, const Bf16Matrix& X, Matrix& dW, bool accumulate);
void gemmInputGradient(const Bf16Matrix& W, const Bf16Matrix& G, Matrix& dX);

}  // namespace latent
