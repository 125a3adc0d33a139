// Fuzz target: loadNpy, the NumPy .npy loader (header dict, dtypes, byte order, Fortran order,
// layouts). The first byte picks the options (fuzzload.h), the rest is the file.
#include "fuzzload.h"
#include "io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::loadDatasetFile(data, size, "data.npy", latent::loadNpy);
  return 0;
}
