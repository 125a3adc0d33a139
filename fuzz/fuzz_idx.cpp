// Fuzz target: IDX files through loadIdx, the public loader. The input is the images file,
// optionally followed by FileSeparator and its label file (found by name, as for real data).
// On success: samples finite and in [0,1], one label per sample.
#include "fuzzidx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::loadIdxFiles(data, size, /*gzip=*/false);
  return 0;
}
