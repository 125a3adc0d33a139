// Fuzz target: loadNpz, the .npz loader (zip directory, stored and deflated members, the .npy
// arrays inside, data and label choice). The first byte picks the options (fuzzload.h), the rest
// is the archive.
#include "fuzzload.h"
#include "io/npz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::loadDatasetFile(data, size, "data.npz", latent::loadNpz);
  return 0;
}
