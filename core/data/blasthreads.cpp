// BLAS thread configuration (a no-op when Eigen uses its own GEMM).
#include "data/blasthreads.h"

#include <mutex>

#ifdef LATENT_USE_OPENBLAS
extern "C" void openblas_set_num_threads(int threads);
#endif

namespace latent {

void useSingleThreadedBlas() {
#ifdef LATENT_USE_OPENBLAS
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
}

}  // namespace latent
