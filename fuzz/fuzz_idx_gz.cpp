// Fuzz target: gzipped IDX files through loadIdx. The input is an IDX file (and optionally its
// labels after FileSeparator) that the harness gzips, so mutations reach the IDX reader through
// valid gzip streams; fuzz_gzip covers malformed gzip itself.
#include "fuzzidx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::loadIdxFiles(data, size, /*gzip=*/true);
  return 0;
}
