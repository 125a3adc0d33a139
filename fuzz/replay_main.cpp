// main() for the corpus replay tests in the normal build: feeds every file of the given folders
// (and files) to the target's LLVMFuzzerTestOneInput once, as libFuzzer would, so every seed and
// every past crash is re-run by ctest without libFuzzer or clang.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& entry : fs::directory_iterator(argv[i]))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs (give corpus folders or files)\n");
    return 2;
  }
  size_t malformed = 0;  // seeds named invalid-* and past crashes (crash-*): hostile files
  for (const auto& path : inputs) {
    const std::string name = path.filename().string();
    if (name.rfind("invalid-", 0) == 0 || name.rfind("crash-", 0) == 0) ++malformed;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replayed %zu inputs, %zu of them malformed files (invalid-*, crash-*): no crash\n",
              inputs.size(), malformed);
  return 0;
}
