// The three matrix products of a dense layer, behind one interface so the fastest backend measured
// on this CPU does them: oneDNN's JIT-compiled matmul kernels (tuned to each exact shape) when
// LatentLab is built with it, else Eigen (with OpenBLAS underneath when enabled).
// Called concurrently from TBB workers: every call runs single-threaded on the calling thread.
#pragma once

#include <string>

#include "data/types.h"

namespace latent {

/// Z = W X.       W: out × in, X: in × n, Z: out × n (resized).
void gemmForward(const Matrix& W, const Matrix& X, Matrix& Z);
/// dW += G Xᵀ.    G: out × n, X: in × n, dW: out × in (accumulated).
void gemmWeightGradient(const Matrix& G, const Matrix& X, Matrix& dW);
/// dX = Wᵀ G.     W: out × in, G: out × n, dX: in × n (resized).
void gemmInputGradient(const Matrix& W, const Matrix& G, Matrix& dX);

/// "oneDNN (JIT matmul)" or "Eigen (OpenBLAS)"/"Eigen": for benchmarks and the About box.
std::string gemmBackendName();

}  // namespace latent
