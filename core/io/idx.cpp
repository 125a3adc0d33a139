// IDX loading and writing. The whole file is read (inflated when gzipped, bounded by the cap), the
// header is checked against the bytes actually present, then values are decoded big-endian.
#include "io/idx.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include "io/atomicfile.h"
#include "io/failure.h"
#include "io/gzip.h"

namespace latent {
namespace {

namespace fs = std::filesystem;

constexpr int MaxLabel = 1000000;

struct ElementType {
  uint8_t code;
  int size;
  bool integer;
};

constexpr ElementType ElementTypes[] = {{0x08, 1, true}, {0x09, 1, true},  {0x0B, 2, true},
                                        {0x0C, 4, true}, {0x0D, 4, false}, {0x0E, 8, false}};

const ElementType* findType(uint8_t code) {
  for (const auto& t : ElementTypes)
    if (t.code == code) return &t;
  return nullptr;
}

// One IDX file in memory: the whole file, with the header decoded.
struct IdxArray {
  std::string path;
  std::vector<uint8_t> bytes;
  const ElementType* type = nullptr;
  std::vector<uint64_t> dims;
  size_t headerSize = 0;

  uint64_t values() const {
    uint64_t n = 1;
    for (uint64_t d : dims) n *= d;
    return n;
  }
  uint64_t perSample() const { return values() / dims[0]; }
  const uint8_t* data() const { return bytes.data() + headerSize; }
};

uint32_t readBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// "60000 images of 28×28", for messages about what the header claims.
std::string describeDims(const std::vector<uint64_t>& dims) {
  std::string inner;
  for (size_t i = 1; i < dims.size(); ++i) inner += (i > 1 ? "×" : "") + std::to_string(dims[i]);
  const std::string n = std::to_string(dims[0]);
  switch (dims.size()) {
    case 1:
      return n + " labels";
    case 2:
      return n + " rows of " + inner + " values";
    default:
      return n + " images of " + inner;
  }
}

void checkMagic(const IdxArray& a) {
  const auto& b = a.bytes;
  if (b.empty()) failIn(Error::Code::Format, a.path, "the file is empty, not an IDX file");
  if (b.size() < 4)
    failIn(Error::Code::Format, a.path,
           "too short for an IDX header (" + std::to_string(b.size()) + " bytes)");
  if (b[0] != 0 || b[1] != 0) {
    char first[32];
    std::snprintf(first, sizeof first, "%02X %02X %02X %02X", b[0], b[1], b[2], b[3]);
    failIn(Error::Code::Format, a.path,
           std::string("not an IDX file: it starts with ") + first +
               ", an IDX file starts with 00 00, a type byte and a dimension count");
  }
  if (!findType(b[2])) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", b[2]);
    failIn(
        Error::Code::Format, a.path,
        std::string("unknown IDX element type ") + code +
            " (known: 0x08 ubyte, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)");
  }
  if (b[3] < 1 || b[3] > 4)
    failIn(Error::Code::Format, a.path,
           "the IDX header declares " + std::to_string(b[3]) + " dimensions; 1 to 4 are supported");
}

// The data size the header declares, checked without ever multiplying past 64 bits.
uint64_t declaredDataBytes(const IdxArray& a) {
  uint64_t bytes = static_cast<uint64_t>(a.type->size);
  for (size_t i = 0; i < a.dims.size(); ++i) {
    if (a.dims[i] == 0)
      failIn(Error::Code::Format, a.path, "IDX dimension " + std::to_string(i) + " is 0");
    if (__builtin_mul_overflow(bytes, a.dims[i], &bytes))
      failIn(Error::Code::TooLarge, a.path,
             "the IDX header declares " + describeDims(a.dims) + ", more than any file can hold");
  }
  return bytes;
}

void parseHeader(IdxArray& a) {
  checkMagic(a);
  a.type = findType(a.bytes[2]);
  const int ndims = a.bytes[3];
  a.headerSize = 4 + 4 * static_cast<size_t>(ndims);
  if (a.bytes.size() < a.headerSize)
    failIn(Error::Code::Format, a.path,
           "too short for its IDX header (" + std::to_string(a.headerSize) + " bytes needed, " +
               std::to_string(a.bytes.size()) + " present)");
  for (int i = 0; i < ndims; ++i) a.dims.push_back(readBigEndian32(a.bytes.data() + 4 + 4 * i));
}

std::string mismatch(const IdxArray& a, uint64_t declared, const std::string& present) {
  return "IDX header says " + describeDims(a.dims) + " (" + std::to_string(declared) +
         " bytes) but the file holds " + present + " bytes after the header";
}

// The header is read and checked first, so the whole file is read with a limit of exactly what it
// declares: a gzip bomb behind a small header stops there instead of filling the memory cap.
IdxArray readIdxArray(const std::string& path, const IdxOptions& options) {
  IdxArray a;
  a.path = path;
  a.bytes = readFileHead(path, 4 + 4 * 4);
  parseHeader(a);
  const uint64_t declared = declaredDataBytes(a);
  if (declared > options.maxBytes - std::min<uint64_t>(options.maxBytes, a.headerSize))
    failIn(Error::Code::TooLarge, a.path,
           "the IDX header declares " + describeDims(a.dims) + " (" + std::to_string(declared) +
               " bytes), more than the memory cap of " + std::to_string(options.maxBytes) +
               " bytes");
  const std::vector<uint8_t> head(a.bytes.begin(), a.bytes.begin() + a.headerSize);
  try {
    a.bytes = readFileBytes(path, a.headerSize + declared);
  } catch (const Error& e) {
    if (e.code() != Error::Code::TooLarge) throw;
    failIn(Error::Code::Format, a.path,
           mismatch(a, declared, "more than " + std::to_string(declared)));
  }
  if (const uint64_t present = a.bytes.size() - std::min(a.bytes.size(), a.headerSize);
      a.bytes.size() < a.headerSize || present != declared)
    failIn(Error::Code::Format, a.path, mismatch(a, declared, std::to_string(present)));
  if (!std::equal(head.begin(), head.end(), a.bytes.begin()))
    failIn(Error::Code::Io, a.path, "the file changed while it was being read");
  return a;
}

template <typename F, typename Decode>
void forEachDecoded(uint64_t n, F& f, Decode decode) {
  for (uint64_t i = 0; i < n; ++i) f(i, double(decode(i)));
}

/// Calls f(i, value) for every value in file order, decoded from big-endian. The switch sits
/// outside the loop so each type gets its own tight loop.
template <typename F>
void forEachValue(const IdxArray& a, F&& f) {
  const uint8_t* p = a.data();
  const uint64_t n = a.values();
  auto u16 = [p](uint64_t i) { return uint16_t(p[2 * i] << 8 | p[2 * i + 1]); };
  auto u32 = [p](uint64_t i) { return readBigEndian32(p + 4 * i); };
  auto u64 = [u32](uint64_t i) { return uint64_t{u32(2 * i)} << 32 | u32(2 * i + 1); };
  switch (a.type->code) {
    case 0x08:
      return forEachDecoded(n, f, [p](uint64_t i) { return p[i]; });
    case 0x09:
      return forEachDecoded(n, f, [p](uint64_t i) { return int8_t(p[i]); });
    case 0x0B:
      return forEachDecoded(n, f, [u16](uint64_t i) { return int16_t(u16(i)); });
    case 0x0C:
      return forEachDecoded(n, f, [u32](uint64_t i) { return int32_t(u32(i)); });
    case 0x0D:
      return forEachDecoded(n, f, [u32](uint64_t i) { return std::bit_cast<float>(u32(i)); });
    default:
      return forEachDecoded(n, f, [u64](uint64_t i) { return std::bit_cast<double>(u64(i)); });
  }
}

struct IdxImageLayout {
  Shape shape;
  int channels = 1;  // > 1: the file is interleaved H×W×C and gets converted to planar C×H×W
};

IdxImageLayout layoutOf(const IdxArray& a) {
  const auto& d = a.dims;
  switch (d.size()) {
    case 1:
      failIn(Error::Code::Format, a.path,
             "this is an IDX label file (" + std::to_string(d[0]) +
                 " labels), not images; open the images file (e.g. train-images-idx3-ubyte.gz), "
                 "its labels are found next to it");
    case 2:
      return {Shape::tabular(int(d[1])), 1};
    case 3:
      return {Shape::image(1, int(d[1]), int(d[2])), 1};
    default:
      if (d[3] > 4)
        failIn(Error::Code::Unsupported, a.path,
               "IDX images with " + std::to_string(d[3]) + " channels (N×H×W×C); 1 to 4 supported");
      return {Shape::image(int(d[3]), int(d[1]), int(d[2])), int(d[3])};
  }
}

void checkFitsInMemory(const IdxArray& a, const IdxOptions& options) {
  const uint64_t floatBytes = a.values() * sizeof(Scalar);  // may wrap: checked below
  if (a.dims[0] > INT_MAX || a.perSample() > INT_MAX || floatBytes / sizeof(Scalar) != a.values() ||
      floatBytes > options.maxBytes)
    failIn(Error::Code::TooLarge, a.path,
           describeDims(a.dims) + " need " + std::to_string(floatBytes) +
               " bytes as float32, more than the memory cap of " +
               std::to_string(options.maxBytes) + " bytes");
}

// Stored value = (original - offset) / scale, so that original = stored * scale + offset. The
// stored values are computed with the exact (double) offset and scale, which keeps them in [0,1];
// Normalisation records them as float32, which is why values must fit in float32.
struct IdxScaling {
  double offset = 0, scale = 1;
  Normalisation normalisation() const {
    return {Normalisation::Kind::Range01, {float(scale)}, {float(offset)}};
  }
};

IdxScaling scalingFor(const IdxArray& a) {
  if (a.type->code == 0x08) return {0.0, 255.0};
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  forEachValue(a, [&](uint64_t i, double v) {
    if (!std::isfinite(v))
      failIn(Error::Code::Format, a.path,
             "sample " + std::to_string(i / a.perSample()) + " holds a NaN or infinite value");
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  });
  const double range = hi > lo ? hi - lo : 1.0;  // a constant file maps to all zeros
  constexpr double FloatMax = std::numeric_limits<float>::max();
  if (-lo > FloatMax || hi > FloatMax || range > FloatMax) {
    char span[64];
    std::snprintf(span, sizeof span, "%g to %g", lo, hi);
    failIn(Error::Code::Format, a.path,
           std::string("values from ") + span + " span more than float32 holds (about ±3.4e38)");
  }
  return {lo, range};
}

Dataset loadImages(const std::string& path, const IdxOptions& options) {
  const IdxArray a = readIdxArray(path, options);
  const IdxImageLayout layout = layoutOf(a);
  checkFitsInMemory(a, options);
  Dataset d;
  d.name = fs::path(path).filename().string();
  d.sourcePath = path;
  d.shape = layout.shape;
  const IdxScaling scaling = scalingFor(a);
  d.normalisation = scaling.normalisation();
  d.samples.resize(Eigen::Index(a.perSample()), Eigen::Index(a.dims[0]));
  const double offset = scaling.offset, scale = scaling.scale;
  const uint64_t per = a.perSample(), c = uint64_t(layout.channels), plane = per / c;
  Scalar* out = d.samples.data();  // column-major: sample s starts at s * per
  if (c == 1) {                    // file order is already the column-major matrix order
    forEachValue(a, [&](uint64_t i, double v) { out[i] = Scalar((v - offset) / scale); });
    return d;
  }
  forEachValue(a, [&](uint64_t i, double v) {
    // HWC → CHW: value i is channel (i % c) of pixel ((i % per) / c).
    const uint64_t within = i % per;
    const uint64_t dst = i - within + (within % c) * plane + within / c;
    out[dst] = Scalar((v - offset) / scale);
  });
  return d;
}

std::vector<int> loadLabels(const std::string& path, const std::string& imagesPath, int expected,
                            const IdxOptions& options) {
  const IdxArray a = readIdxArray(path, options);
  if (a.dims.size() != 1 || !a.type->integer)
    failIn(Error::Code::Format, path,
           "not an IDX label file: it holds " + describeDims(a.dims) +
               (a.type->integer ? "" : " of floating-point values") +
               "; a label file is 1-D with integer values");
  if (a.dims[0] != uint64_t(expected))
    failIn(Error::Code::Format, path,
           "holds " + std::to_string(a.dims[0]) + " labels but the images file " +
               inQuotes(imagesPath) + " holds " + std::to_string(expected) + " images");
  std::vector<int> labels(a.dims[0]);
  forEachValue(a, [&](uint64_t i, double v) {
    if (v < 0 || v >= MaxLabel)
      failIn(Error::Code::Format, path,
             "label " + std::to_string(int64_t(v)) + " at index " + std::to_string(i) +
                 " is outside 0.." + std::to_string(MaxLabel - 1));
    labels[i] = int(v);
  });
  return labels;
}

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string findImagesInDirectory(const std::string& dir) {
  for (const char* split : {"train", "t10k"})
    for (const char* form : {"-images-idx3-ubyte", "-images.idx3-ubyte"})
      for (const char* suffix : {"", ".gz"}) {
        const fs::path candidate = fs::path(dir) / (std::string(split) + form + suffix);
        if (isFile(candidate)) return candidate.string();
      }
  throw Error(Error::Code::Io, "no MNIST images file in " + inQuotes(dir) +
                                   " (looked for train-images-idx3-ubyte[.gz] and "
                                   "t10k-images-idx3-ubyte[.gz])");
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<uint8_t> idxHeader(uint8_t ndims, const std::vector<uint32_t>& dims) {
  std::vector<uint8_t> h{0, 0, 0x08, ndims};
  for (uint32_t d : dims)
    for (int shift : {24, 16, 8, 0}) h.push_back(uint8_t(d >> shift));
  return h;
}

void writeMaybeGzipped(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (endsWith(path, ".gz"))
    writeGzipFile(path, bytes);
  else
    writeFileAtomically(path, bytes.data(), bytes.size());
}

}  // namespace

std::string findIdxLabels(const std::string& imagesPath) {
  const fs::path p(imagesPath);
  std::string stem = p.filename().string();
  const bool gz = endsWith(stem, ".gz");
  if (gz) stem.resize(stem.size() - 3);
  const auto at = stem.rfind("images");
  if (at == std::string::npos) return {};
  stem.replace(at, 6, "labels");
  for (const char* idx : {"idx3", "idx4", "idx2"})  // label files are always 1-D: idx1
    if (const auto i = stem.find(idx, at); i != std::string::npos) stem.replace(i, 4, "idx1");
  for (const bool withGz : {gz, !gz}) {
    const fs::path candidate = p.parent_path() / (stem + (withGz ? ".gz" : ""));
    if (isFile(candidate)) return candidate.string();
  }
  return {};
}

Dataset loadIdx(const std::string& path, const IdxOptions& options) {
  std::error_code ec;
  const std::string images = fs::is_directory(path, ec) ? findImagesInDirectory(path) : path;
  Dataset d = loadImages(images, options);
  if (const std::string labels = findIdxLabels(images); !labels.empty())
    d.labels = loadLabels(labels, images, d.count(), options);
  return d;
}

Dataset loadIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const IdxOptions& options) {
  Dataset d = loadImages(imagesPath, options);
  d.labels = loadLabels(labelsPath, imagesPath, d.count(), options);
  return d;
}

void writeIdxImages(const std::string& path, const std::vector<uint8_t>& pixels, int n, int rows,
                    int cols) {
  if (n <= 0 || rows <= 0 || cols <= 0 ||
      pixels.size() != uint64_t(n) * uint64_t(rows) * uint64_t(cols))
    throw Error(Error::Code::InvalidArgument,
                "writeIdxImages " + inQuotes(path) + ": " + std::to_string(pixels.size()) +
                    " pixels for " + std::to_string(n) + " images of " + shapeString(rows, cols));
  std::vector<uint8_t> bytes = idxHeader(3, {uint32_t(n), uint32_t(rows), uint32_t(cols)});
  bytes.insert(bytes.end(), pixels.begin(), pixels.end());
  writeMaybeGzipped(path, bytes);
}

void writeIdxLabels(const std::string& path, const std::vector<uint8_t>& labels) {
  if (labels.empty() || labels.size() > UINT32_MAX)
    throw Error(Error::Code::InvalidArgument, "writeIdxLabels " + inQuotes(path) + ": " +
                                                  std::to_string(labels.size()) +
                                                  " labels; an IDX file holds 1 to 4294967295");
  std::vector<uint8_t> bytes = idxHeader(1, {uint32_t(labels.size())});
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  writeMaybeGzipped(path, bytes);
}

}  // namespace latent
