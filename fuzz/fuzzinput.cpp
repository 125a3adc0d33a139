// Scratch files for the fuzz targets.
#include "fuzzinput.h"

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fuzz {
namespace {

namespace fs = std::filesystem;

struct Scratch {
  std::string dir;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    dir = (fs::path(tmp && *tmp ? tmp : "/tmp") / ("latent-fuzz-" + std::to_string(::getpid())))
              .string();
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

const std::string& scratchDir() {
  static Scratch scratch;
  return scratch.dir;
}

std::string writeScratch(const std::string& name, const uint8_t* data, size_t size) {
  return writeScratch(name, std::string_view(reinterpret_cast<const char*>(data), size));
}

std::string writeScratch(const std::string& name, std::string_view bytes) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out.flush()) throw std::runtime_error("fuzz: cannot write " + path);  // not an input's fault
  return path;
}

std::vector<std::string_view> splitInput(const uint8_t* data, size_t size,
                                         std::string_view separator, size_t maxParts) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < maxParts) {
    const size_t at = rest.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + separator.size());
  }
  parts.push_back(rest);
  return parts;
}

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz: invariant violated: %s\n", what);
  std::abort();
}

std::string gzipped(std::string_view bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("fuzz: zlib init failed");
  std::string out(deflateBound(&zs, uLong(bytes.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = uInt(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  const int ret = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (ret != Z_STREAM_END) throw std::runtime_error("fuzz: deflate failed");
  return out;
}

}  // namespace fuzz
