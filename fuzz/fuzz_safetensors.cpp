// Fuzz target: decodeTensorFile, the safetensors parser (in memory, as readTensorFile calls it).
// On success: encoding the result and decoding it again gives the same tensors and metadata.
#include <cstring>

#include "fuzzinput.h"
#include "persist/safetensors.h"

namespace {

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  latent::TensorFile file;
  try {
    file = latent::decodeTensorFile(data, size, "fuzz.safetensors");
  } catch (const latent::Error&) {
    return 0;  // the expected failure: a clear error
  }
  // What the reader accepted, the writer must be able to write, and the reader to read back.
  const std::vector<uint8_t> bytes = latent::encodeTensorFile(file);
  const latent::TensorFile again = latent::decodeTensorFile(bytes.data(), bytes.size(), "again");
  fuzz::require(again.metadata == file.metadata, "metadata survives a round trip");
  fuzz::require(again.tensors.size() == file.tensors.size(), "tensor count survives");
  for (size_t i = 0; i < file.tensors.size(); ++i) {
    const auto& a = file.tensors[i];
    const auto& b = again.tensors[i];
    fuzz::require(a.name == b.name && a.shape == b.shape, "names and shapes survive");
    fuzz::require(sameBits(a.data, b.data), "values survive bit for bit");
  }
  return 0;
}
