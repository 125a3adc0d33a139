// Fuzz target: loadCsv, the delimited-text loader (encoding, delimiter, quotes, decimal comma,
// header, label column, missing values, ragged rows, scaling, time-series windows). The first byte
// picks the options (fuzzload.h), the rest is the file.
#include "fuzzload.h"
#include "io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::loadDatasetFile(data, size, "data.csv", latent::loadCsv);
  return 0;
}
