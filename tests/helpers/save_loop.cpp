// Test helper for tst_crashsafe: saves a large model over and over to one path, each save marked
// with its number (in the metadata and in a weight), printing "saved N" after each. The test kills
// it with SIGKILL at random moments and checks the file on disk is always one complete save.
// Usage: save_loop PATH FIRST   (saves FIRST, FIRST+1, … until killed)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "data/rng.h"
#include "persist/modelfile.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: save_loop PATH FIRST\n");
    return 2;
  }
  const std::string path = argv[1];
  const long first = std::strtol(argv[2], nullptr, 10);
  latent::ModelSpec spec;  // 784-1024-512-32 and back: about 2.7M weights, an 11 MB file
  spec.hidden = {1024, 512};
  spec.latent = 32;
  latent::Rng rng(1);
  latent::Model model(spec, 784, rng);
  latent::ModelFileInfo info;
  info.dataShape = latent::Shape::image(1, 28, 28);
  latent::Matrix& marked = *model.parameters().front().parameter->value;
  for (long n = first;; ++n) {
    info.datasetPath = "save " + std::to_string(n);
    marked(0, 0) = float(n);  // exact in float up to 2^24
    latent::saveModelFile(path, model, info);
    std::printf("saved %ld\n", n);
    std::fflush(stdout);
  }
}
