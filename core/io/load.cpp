// Format dispatch for loadDataset: content (magic bytes) first, then the name, then "is it text?".
#include "io/load.h"

#include <filesystem>
#include <mutex>

#include "io/csv.h"
#include "io/failure.h"
#include "io/gzip.h"
#include "io/idx.h"
#include "io/npy.h"
#include "io/npz.h"

namespace latent {

namespace {

namespace fs = std::filesystem;

std::mutex& loaderMutex() {
  static std::mutex m;
  return m;
}
ImageFolderLoader& installedFolderLoader() {
  static ImageFolderLoader loader;
  return loader;
}

std::string lowercase(std::string s) {
  for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The extension that says what the data is: "csv" for "a.csv.gz", lower case, without the dot.
std::string dataExtension(const std::string& path) {
  fs::path p = fs::path(path).filename();
  if (lowercase(p.extension().string()) == ".gz") p = p.stem();
  const std::string ext = lowercase(p.extension().string());
  return ext.empty() ? ext : ext.substr(1);
}

bool startsWith(const std::vector<uint8_t>& bytes, std::initializer_list<uint8_t> magic) {
  return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

bool looksLikeIdxHeader(const std::vector<uint8_t>& b) {
  const bool knownType =
      b.size() >= 4 && (b[2] == 0x08 || b[2] == 0x09 || (b[2] >= 0x0B && b[2] <= 0x0E));
  return knownType && b[0] == 0 && b[1] == 0 && b[3] >= 1 && b[3] <= 4;
}

bool looksLikeText(const std::vector<uint8_t>& head) {
  return std::find(head.begin(), head.end(), uint8_t(0)) == head.end();
}

bool holdsIdxImages(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find("-images-idx") != std::string::npos ||
        name.find("-images.idx") != std::string::npos)
      return true;
  }
  return false;
}

LoadResult loadIdxWithReport(const std::string& path, const LoadOptions& options) {
  LoadResult r;
  r.report.format = "IDX";
  r.data = loadIdx(path, {.maxBytes = options.maxBytes});
  r.report.addNote(std::to_string(r.data.count()) + " samples of " + r.data.shape.describe() +
                   ", " + r.data.normalisation.describe());
  if (r.data.hasLabels())
    r.report.addNote("labels from " +
                     inQuotes(fs::path(findIdxLabels(r.data.sourcePath)).filename().string()));
  else
    r.report.addNote("no label file next to it (looked for the -labels-idx1- name)");
  return r;
}

LoadResult loadFolder(const std::string& path, const LoadOptions& options) {
  if (holdsIdxImages(path)) return loadIdxWithReport(path, options);
  ImageFolderLoader loader;
  {
    std::lock_guard lock(loaderMutex());
    loader = installedFolderLoader();
  }
  if (!loader)
    throw Error(Error::Code::Unsupported,
                inQuotes(path) +
                    ": a folder without MNIST-style IDX files; image folders are read by the "
                    "LatentLab app (this program has no image decoder)");
  return loader(path, options);
}

[[noreturn]] void unsupported(const std::string& path, const std::string& what) {
  throw Error(Error::Code::Unsupported,
              inQuotes(path) + ": " + what +
                  " (LatentLab reads IDX, CSV/TSV text, NumPy .npy/.npz, and folders of images "
                  "or IDX files)");
}

LoadResult loadFile(const std::string& path, const LoadOptions& options) {
  const std::vector<uint8_t> head = readFileHead(path, 4096);
  const std::string ext = dataExtension(path);
  const std::string name = lowercase(fs::path(path).filename().string());
  if (looksLikeIdxHeader(head)) return loadIdxWithReport(path, options);
  if (startsWith(head, {0x93, 'N', 'U', 'M', 'P', 'Y'}) || ext == "npy")
    return loadNpy(path, options);
  if (startsWith(head, {'P', 'K', 3, 4}) || startsWith(head, {'P', 'K', 5, 6}) || ext == "npz")
    return loadNpz(path, options);
  if (ext == "csv" || ext == "tsv" || ext == "txt" || ext == "dat" || ext == "data" || ext == "tab")
    return loadCsv(path, options);
  // Named like IDX but not one: the IDX loader says what is wrong with the header.
  if (name.find("idx") != std::string::npos || name.find("ubyte") != std::string::npos)
    return loadIdxWithReport(path, options);
  for (const char* image : {"png", "jpg", "jpeg", "bmp", "gif", "webp", "pgm", "ppm", "pbm"})
    if (ext == image) unsupported(path, "a single image; open the folder that holds the images");
  if (head.empty()) throw Error(Error::Code::Format, inQuotes(path) + ": the file is empty");
  if (looksLikeText(head)) return loadCsv(path, options);
  unsupported(path, "not a format LatentLab recognises");
}

}  // namespace

LoadResult loadDatasetWithReport(const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw Error(Error::Code::Io, "cannot open " + inQuotes(path) + ": No such file or directory");
  LoadResult r = fs::is_directory(path, ec) ? loadFolder(path, options) : loadFile(path, options);
  if (options.normalisation) {
    renormalise(r.data, *options.normalisation);
    r.report.addNote("scaled like the given normalisation: " + options.normalisation->describe());
  }
  r.data.validate();
  return r;
}

Dataset loadDataset(const std::string& path, const LoadOptions& options) {
  return loadDatasetWithReport(path, options).data;
}

void setImageFolderLoader(ImageFolderLoader loader) {
  std::lock_guard lock(loaderMutex());
  installedFolderLoader() = std::move(loader);
}

void renormalise(Dataset& data, const Normalisation& target) {
  const Eigen::Index rows = data.samples.rows();
  const auto fits = [rows](const std::vector<float>& v) {
    return v.size() == 1 || Eigen::Index(v.size()) == rows;
  };
  const Normalisation& from = data.normalisation;
  if (!fits(target.scale) || !fits(target.offset) || !fits(from.scale) || !fits(from.offset))
    throw Error(Error::Code::InvalidArgument,
                inQuotes(data.sourcePath.empty() ? data.name : data.sourcePath) + ": its " +
                    std::to_string(rows) + " values per sample cannot take a normalisation with " +
                    std::to_string(target.scale.size()) + " scales");
  const auto at = [](const std::vector<float>& v, Eigen::Index i) {
    return double(v[v.size() == 1 ? 0 : size_t(i)]);
  };
  for (Eigen::Index i = 0; i < rows; ++i) {
    const double a = at(from.scale, i), b = at(from.offset, i);
    const double s = at(target.scale, i), o = at(target.offset, i);
    // stored' = (stored * a + b - o) / s, one affine map per row.
    const double mul = a / s, add = (b - o) / s;
    data.samples.row(i) = (data.samples.row(i).cast<double>().array() * mul + add).cast<float>();
  }
  data.normalisation = target;
}

}  // namespace latent
