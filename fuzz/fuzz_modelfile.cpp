// Fuzz target: loadModelFile, the model-file reader (safetensors + LatentLab metadata: spec, data
// shape, history, optimizer state). On success the model runs: reconstructing a batch gives
// finite values of the right shape.
#include "fuzzinput.h"
#include "persist/modelfile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::writeScratch("model.safetensors", data, size);
  latent::LoadedModel loaded;
  try {
    loaded = latent::loadModelFile(path);
  } catch (const latent::Error&) {
    return 0;  // the expected failure: a clear error naming the file
  }
  const latent::Model& model = *loaded.model;
  fuzz::require(model.allWeightsFinite(), "loaded weights are finite");
  fuzz::require(loaded.info.dataShape.size() == model.inputSize(), "data shape fits the model");
  const latent::Matrix x = latent::Matrix::Constant(model.inputSize(), 2, 0.5f);
  const latent::Matrix y = model.reconstruct(x);
  fuzz::require(y.rows() == x.rows() && y.cols() == x.cols(), "reconstruction has the input shape");
  return 0;
}
