// Format dispatch for loadDataset.
#include "io/load.h"

#include <filesystem>

#include "io/idx.h"

namespace latent {

namespace {
bool looksLikeIdx(const std::string& name) {
  return name.find("idx") != std::string::npos || name.find("ubyte") != std::string::npos;
}
}  // namespace

Dataset loadDataset(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw Error(Error::Code::Io, "cannot open '" + path + "': No such file or directory");
  const std::string name = fs::path(path).filename().string();
  if (fs::is_directory(path, ec) || looksLikeIdx(name)) return loadIdx(path);
  throw Error(Error::Code::Unsupported,
              "'" + path +
                  "': unsupported format (LatentLab reads MNIST-style IDX files, raw or "
                  ".gz, and folders holding them)");
}

}  // namespace latent
