// safetensors reading and writing. Reading validates the whole header (sizes, offsets, layout)
// before allocating anything sized by it, so a hostile file costs memory only in proportion to
// its own size.
#include "persist/safetensors.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "io/atomicfile.h"
#include "io/failure.h"

namespace latent {
namespace {

// Insertion-ordered so the header we write lists tensors in data order, and so reading can break
// ties between equal offsets (empty tensors) by header order, deterministically.
using Json = nlohmann::ordered_json;

constexpr const char* MetadataKey = "__metadata__";
constexpr size_t LengthPrefixBytes = 8;
// A valid header nests 3 deep (object → entry → shape array). Deeper input is refused early so a
// hostile "[[[[..." cannot build a huge tree of nested containers.
constexpr int MaxHeaderDepth = 8;
// Names come from the file; a 16 MiB name must not turn into a 16 MiB error message.
constexpr size_t MaxNameInMessage = 80;

struct Dtype {
  const char* name;
  uint64_t bytes;
  const char* unit;  // what the message calls one value: "200704 floats = 802816 bytes"
};
constexpr Dtype F32{"F32", 4, "floats"};
constexpr Dtype F64{"F64", 8, "doubles"};

/// What readEntry learned about one tensor; nothing is allocated from it until the layout checks.
struct Entry {
  std::string name;
  const Dtype* dtype = nullptr;
  std::vector<int64_t> shape;
  uint64_t elements = 0;
  uint64_t begin = 0;  // byte offsets into the data buffer after the header
  uint64_t end = 0;
};

/// 'name', cut at a UTF-8 character boundary when very long.
/// Built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on "'" + name + "'".
std::string quotedName(const std::string& name) {
  size_t cut = name.size();
  if (cut > MaxNameInMessage) {
    cut = MaxNameInMessage;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string out(1, '\'');
  out.append(name, 0, cut);
  if (cut < name.size()) out.append("…");
  out.push_back('\'');
  return out;
}

std::string tensorLabel(const std::string& name) { return "tensor " + quotedName(name); }

/// A JSON value for a message, shortened like names.
std::string shortDump(const Json& value) {
  const std::string text = value.dump();
  return text.size() <= MaxNameInMessage ? text : text.substr(0, MaxNameInMessage) + "…";
}

template <typename Int>
std::string listText(const std::vector<Int>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

uint64_t loadU64(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

void storeU64(uint8_t* p, uint64_t value) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

/// `count` values of type T stored little-endian at `src`, converted to float.
template <typename T, typename Bits>
void loadLittle(const uint8_t* src, size_t count, float* dst) {
  static_assert(sizeof(T) == sizeof(Bits));
  for (size_t i = 0; i < count; ++i, src += sizeof(T)) {
    Bits bits = 0;
    for (int b = sizeof(T) - 1; b >= 0; --b) bits = (bits << 8) | src[b];
    dst[i] = static_cast<float>(std::bit_cast<T>(bits));
  }
}

void loadValues(const Entry& entry, const uint8_t* src, float* dst) {
  if (entry.elements == 0) return;  // dst may be null; memcpy must not see it
  if (entry.dtype == &F64) return loadLittle<double, uint64_t>(src, entry.elements, dst);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(dst, src, entry.elements * sizeof(float));  // the common case: bytes as they are
  } else {
    loadLittle<float, uint32_t>(src, entry.elements, dst);
  }
}

void storeFloats(const std::vector<float>& values, uint8_t* dst) {
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(dst, values.data(), values.size() * sizeof(float));
  } else {
    for (float v : values) {
      const auto bits = std::bit_cast<uint32_t>(v);
      for (int b = 0; b < 4; ++b) *dst++ = static_cast<uint8_t>(bits >> (8 * b));
    }
  }
}

// ---- Reading: sizes ----

void checkFileSize(uint64_t fileSize, const std::string& file, const TensorFileLimits& limits) {
  if (fileSize < LengthPrefixBytes)
    failAt(Error::Code::Format, file,
           "the file is " + std::to_string(fileSize) +
               " bytes, too short for a safetensors file (it starts with an 8-byte header length)");
  if (fileSize > limits.maxTotalBytes)
    failAt(Error::Code::TooLarge, file,
           "the file is " + std::to_string(fileSize) + " bytes, more than the limit of " +
               std::to_string(limits.maxTotalBytes) + " bytes");
}

/// `headerBytes` is the file's own 8-byte prefix; `fileSize` has passed checkFileSize.
void checkHeaderLength(uint64_t headerBytes, uint64_t fileSize, const std::string& file,
                       const TensorFileLimits& limits) {
  const uint64_t available = fileSize - LengthPrefixBytes;
  if (headerBytes > available)
    failAt(Error::Code::Format, file,
           "the header length says " + std::to_string(headerBytes) + " bytes but only " +
               std::to_string(available) +
               " bytes follow it (truncated or not a safetensors file)");
  if (headerBytes > limits.maxHeaderBytes)
    failAt(Error::Code::TooLarge, file,
           "the header is " + std::to_string(headerBytes) + " bytes, more than the limit of " +
               std::to_string(limits.maxHeaderBytes) + " bytes");
}

// ---- Reading: the JSON header ----

/// Watches the parser's events to refuse what the parsed tree can no longer show: duplicate keys
/// (nlohmann keeps the last silently) and excessive nesting.
class HeaderGuard {
 public:
  explicit HeaderGuard(const std::string& file) : m_file(file) {}

  bool operator()(int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > MaxHeaderDepth)
      failAt(Error::Code::Format, m_file,
             "the header nests deeper than " + std::to_string(MaxHeaderDepth) +
                 " levels; a safetensors header needs 3");
    switch (event) {
      case Json::parse_event_t::object_start:
        m_keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        m_keys.pop_back();
        break;
      case Json::parse_event_t::key:
        onKey(depth, parsed.get<std::string>());
        break;
      default:
        break;
    }
    return true;
  }

 private:
  void onKey(int depth, const std::string& key) {
    if (depth == 1) m_entry = key;
    if (m_keys.back().insert(key).second) return;
    if (depth == 1)
      failAt(Error::Code::Format, m_file, "the header names " + tensorLabel(key) + " twice");
    failAt(Error::Code::Format, m_file,
           "field " + quotedName(key) + " appears twice in the entry for " + quotedName(m_entry));
  }

  std::string m_file;
  std::vector<std::set<std::string>> m_keys;  // keys seen in each open object, innermost last
  std::string m_entry;                        // the top-level key being parsed
};

Json parseHeader(const uint8_t* text, uint64_t size, const std::string& file) {
  // nlohmann stops at a NUL byte as if the input ended, so "{}\0<garbage>" would pass; other
  // readers refuse it (the spec pads with spaces), and so do we.
  if (const void* nul = std::memchr(text, '\0', size))
    failAt(Error::Code::Format, file,
           "the header is not valid JSON (a NUL byte at header offset " +
               std::to_string(static_cast<const uint8_t*>(nul) - text) +
               "; headers are padded with spaces)");
  Json header;
  try {
    const auto* begin = reinterpret_cast<const char*>(text);
    header = Json::parse(begin, begin + size, HeaderGuard(file));
  } catch (const nlohmann::json::exception& e) {
    // nlohmann's what() starts with "[json.exception.parse_error.101] ": keep the plain part.
    std::string reason = e.what();
    if (const size_t close = reason.find("] "); close != std::string::npos)
      reason.erase(0, close + 2);
    failAt(Error::Code::Format, file, "the header is not valid JSON (" + reason + ")");
  }
  if (!header.is_object())
    failAt(Error::Code::Format, file,
           std::string("the header is a JSON ") + header.type_name() +
               ", not an object mapping tensor names to entries");
  return header;
}

void readMetadata(const Json& value, const std::string& file,
                  std::map<std::string, std::string>& metadata) {
  if (!value.is_object())
    failAt(Error::Code::Format, file,
           std::string("\"__metadata__\" is a JSON ") + value.type_name() +
               ", not an object of strings");
  for (const auto& [key, item] : value.items()) {
    // The spec says map<string, string>; other readers refuse anything else, so we do too.
    if (!item.is_string())
      failAt(Error::Code::Format, file,
             "metadata " + quotedName(key) + " is a JSON " + item.type_name() + " (" +
                 shortDump(item) + "), but safetensors metadata values must be strings");
    metadata[key] = item.get<std::string>();
  }
}

const Json& requireField(const Json& entry, const char* field, const std::string& label,
                         const std::string& file) {
  const auto it = entry.find(field);
  if (it == entry.end())
    failAt(Error::Code::Format, file, label + " has no \"" + std::string(field) + "\" field");
  return *it;
}

/// `item` as an integer from 0 to `maxValue`, or nothing. nlohmann parses non-negative integers
/// as unsigned, negative ones (and "-0") as signed, anything with a fraction or exponent as float.
std::optional<uint64_t> asCount(const Json& item, uint64_t maxValue) {
  if (item.is_number_unsigned() && item.get<uint64_t>() <= maxValue) return item.get<uint64_t>();
  if (item.is_number_integer() && item.get<int64_t>() == 0) return 0;
  return std::nullopt;
}

/// A JSON array of non-negative integers, each at most `maxValue`.
std::vector<uint64_t> readCounts(const Json& value, const char* field, uint64_t maxValue,
                                 const std::string& label, const std::string& file) {
  if (!value.is_array())
    failAt(Error::Code::Format, file,
           label + ": \"" + field + "\" is a JSON " + value.type_name() + ", not an array");
  std::vector<uint64_t> counts;
  for (const Json& item : value) {
    const auto count = asCount(item, maxValue);
    if (!count)
      failAt(Error::Code::Format, file,
             label + ": \"" + field + "\" " + shortDump(value) + " holds " + shortDump(item) +
                 ", which is not an integer from 0 to " + std::to_string(maxValue));
    counts.push_back(*count);
  }
  return counts;
}

const Dtype& readDtype(const Json& entry, const std::string& label, const std::string& file) {
  const Json& value = requireField(entry, "dtype", label, file);
  if (!value.is_string())
    failAt(Error::Code::Format, file,
           label + ": \"dtype\" is a JSON " + value.type_name() + ", not a string");
  const auto name = value.get<std::string>();
  if (name == F32.name) return F32;
  if (name == F64.name) return F64;
  failAt(Error::Code::Unsupported, file,
         label + " has dtype " + quotedName(name) + "; LatentLab reads only F32 and F64 tensors");
}

/// Number of elements in `shape`, refusing shapes whose byte count would not fit in 64 bits.
uint64_t elementCount(const std::vector<int64_t>& shape, const Dtype& dtype,
                      const std::string& label, const std::string& file) {
  uint64_t elements = 1, bytes = 0;
  for (int64_t dim : shape)
    if (__builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements))
      failAt(Error::Code::Format, file,
             label + " says shape " + listText(shape) + ", more elements than fit in 64 bits");
  if (__builtin_mul_overflow(elements, dtype.bytes, &bytes))
    failAt(Error::Code::Format, file,
           label + " says shape " + listText(shape) + ", more bytes than fit in 64 bits");
  return elements;
}

Entry readEntry(const std::string& name, const Json& value, uint64_t dataSize,
                const std::string& file) {
  const std::string label = tensorLabel(name);
  if (!value.is_object())
    failAt(Error::Code::Format, file,
           label + " is a JSON " + value.type_name() +
               ", not an object with dtype, shape and data_offsets");
  Entry entry;
  entry.name = name;
  entry.dtype = &readDtype(value, label, file);
  const auto dims = readCounts(requireField(value, "shape", label, file), "shape",
                               std::numeric_limits<int64_t>::max(), label, file);
  entry.shape.assign(dims.begin(), dims.end());
  entry.elements = elementCount(entry.shape, *entry.dtype, label, file);

  const auto offsets = readCounts(requireField(value, "data_offsets", label, file), "data_offsets",
                                  std::numeric_limits<uint64_t>::max(), label, file);
  if (offsets.size() != 2 || offsets[0] > offsets[1])
    failAt(Error::Code::Format, file,
           label + ": \"data_offsets\" is " + listText(offsets) +
               ", not [begin, end] with begin <= end");
  entry.begin = offsets[0];
  entry.end = offsets[1];
  const uint64_t bytes = entry.elements * entry.dtype->bytes;  // cannot overflow: checked above
  if (bytes != entry.end - entry.begin)
    failAt(Error::Code::Format, file,
           label + " says shape " + listText(entry.shape) + " (" + std::to_string(entry.elements) +
               " " + entry.dtype->unit + " = " + std::to_string(bytes) +
               " bytes) but its data_offsets span " + std::to_string(entry.end - entry.begin) +
               " bytes");
  if (entry.end > dataSize)
    failAt(Error::Code::Format, file,
           label + ": data_offsets " + listText(offsets) + " reach past the end of the data (" +
               std::to_string(dataSize) + " bytes after the header)");
  return entry;
}

/// Tensors must tile the data buffer exactly: sorted by offset, each starts where the previous
/// ends, and the last ends at the end of the file. Sorts `entries` into that order.
void checkLayout(std::vector<Entry>& entries, uint64_t dataSize, const std::string& file) {
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
  });
  uint64_t expected = 0;
  const Entry* previous = nullptr;
  for (const Entry& entry : entries) {
    const std::string where = tensorLabel(entry.name) + " (data_offsets [" +
                              std::to_string(entry.begin) + ", " + std::to_string(entry.end) + "])";
    if (entry.begin < expected)
      failAt(Error::Code::Format, file,
             where + " overlaps " + tensorLabel(previous->name) + ", which ends at byte " +
                 std::to_string(expected));
    if (entry.begin > expected)
      failAt(Error::Code::Format, file,
             where + " leaves a gap of " + std::to_string(entry.begin - expected) +
                 " unused bytes " +
                 (previous ? "after " + tensorLabel(previous->name) : "at the start of the data"));
    expected = entry.end;
    previous = &entry;
  }
  if (expected != dataSize)
    failAt(Error::Code::Format, file,
           "the last " + std::to_string(dataSize - expected) + " of the " +
               std::to_string(dataSize) + " data bytes belong to no tensor");
}

// ---- Writing ----

void checkForWrite(const TensorFile& file) {
  std::set<std::string> names;
  for (const NamedTensor& t : file.tensors) {
    const std::string label = tensorLabel(t.name);
    if (t.name == MetadataKey)
      throw Error(Error::Code::InvalidArgument,
                  label + ": the name \"__metadata__\" is reserved by the safetensors format");
    if (!names.insert(t.name).second)
      throw Error(Error::Code::InvalidArgument, label + " appears twice; names must be unique");
    uint64_t elements = 1;
    for (int64_t dim : t.shape)
      if (dim < 0 || __builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements))
        throw Error(Error::Code::InvalidArgument,
                    label + " has invalid shape " + listText(t.shape));
    if (elements != t.data.size())
      throw Error(Error::Code::InvalidArgument,
                  label + " has shape " + listText(t.shape) + " (" + std::to_string(elements) +
                      " values) but holds " + std::to_string(t.data.size()) + " values");
  }
}

/// The JSON header, padded with spaces so the data starts 8-byte aligned (as the reference
/// implementation does, so readers may map the data in place).
std::string headerText(const TensorFile& file) {
  Json header = Json::object();
  if (!file.metadata.empty()) header[MetadataKey] = file.metadata;
  uint64_t offset = 0;
  for (const NamedTensor& t : file.tensors) {
    const uint64_t end = offset + t.data.size() * sizeof(float);
    // Key order as the reference writer emits it: dtype, shape, data_offsets.
    Json entry = Json::object();
    entry["dtype"] = F32.name;
    entry["shape"] = t.shape;
    entry["data_offsets"] = Json::array({offset, end});
    header[t.name] = std::move(entry);
    offset = end;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::type_error&) {  // thrown for invalid UTF-8 in a string
    throw Error(Error::Code::InvalidArgument,
                "a tensor name or metadata string is not valid UTF-8");
  }
  text.append((LengthPrefixBytes - text.size() % LengthPrefixBytes) % LengthPrefixBytes, ' ');
  return text;
}

}  // namespace

const NamedTensor* TensorFile::find(const std::string& name) const {
  const auto it = std::find_if(tensors.begin(), tensors.end(),
                               [&](const NamedTensor& t) { return t.name == name; });
  return it == tensors.end() ? nullptr : &*it;
}

std::vector<uint8_t> encodeTensorFile(const TensorFile& file) {
  checkForWrite(file);
  const std::string header = headerText(file);
  size_t dataBytes = 0;
  for (const NamedTensor& t : file.tensors) dataBytes += t.data.size() * sizeof(float);

  std::vector<uint8_t> bytes(LengthPrefixBytes + header.size() + dataBytes);
  storeU64(bytes.data(), header.size());
  std::memcpy(bytes.data() + LengthPrefixBytes, header.data(), header.size());
  uint8_t* out = bytes.data() + LengthPrefixBytes + header.size();
  for (const NamedTensor& t : file.tensors) {
    storeFloats(t.data, out);
    out += t.data.size() * sizeof(float);
  }
  return bytes;
}

void writeTensorFile(const std::string& path, const TensorFile& file) {
  const std::vector<uint8_t> bytes = encodeTensorFile(file);
  writeFileAtomically(path, bytes.data(), bytes.size());
}

TensorFile decodeTensorFile(const uint8_t* bytes, size_t size, const std::string& nameForMessages,
                            const TensorFileLimits& limits) {
  const std::string& file = nameForMessages;
  checkFileSize(size, file, limits);
  const uint64_t headerBytes = loadU64(bytes);
  checkHeaderLength(headerBytes, size, file, limits);
  const uint8_t* data = bytes + LengthPrefixBytes + headerBytes;
  const uint64_t dataSize = size - LengthPrefixBytes - headerBytes;

  TensorFile result;
  std::vector<Entry> entries;
  const Json header = parseHeader(bytes + LengthPrefixBytes, headerBytes, file);
  for (const auto& [key, value] : header.items()) {
    if (key == MetadataKey)
      readMetadata(value, file, result.metadata);
    else
      entries.push_back(readEntry(key, value, dataSize, file));
  }
  checkLayout(entries, dataSize, file);

  // Only now, with every size checked against the buffer, allocate the tensors.
  result.tensors.reserve(entries.size());
  for (Entry& entry : entries) {
    NamedTensor& t = result.tensors.emplace_back();
    t.name = std::move(entry.name);
    t.shape = std::move(entry.shape);
    t.data.resize(entry.elements);
    loadValues(entry, data + entry.begin, t.data.data());
  }
  return result;
}

TensorFile readTensorFile(const std::string& path, const TensorFileLimits& limits) {
  const std::string name = std::filesystem::path(path).filename().string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(Error::Code::Io, path + ": is a directory, not a safetensors file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(Error::Code::Io, path + ": cannot open (" + std::strerror(errno) + ")");
  const std::streamoff end = in.tellg();
  if (end < 0) throw Error(Error::Code::Io, path + ": cannot determine the file size");
  const auto size = static_cast<uint64_t>(end);
  checkFileSize(size, name, limits);

  // Check the header length before reading the whole file, so a bad file fails at 8 bytes.
  uint8_t prefix[LengthPrefixBytes];
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(prefix), sizeof prefix))
    throw Error(Error::Code::Io, path + ": cannot read the header length");
  checkHeaderLength(loadU64(prefix), size, name, limits);

  std::vector<uint8_t> bytes(size);
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    throw Error(Error::Code::Io, path + ": the file ended early (did it change while reading?)");
  return decodeTensorFile(bytes.data(), bytes.size(), name, limits);
}

NamedTensor toTensor(const std::string& name, const Matrix& matrix) {
  using RowMajor = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  NamedTensor t{name, {matrix.rows(), matrix.cols()}, std::vector<float>(matrix.size())};
  Eigen::Map<RowMajor>(t.data.data(), matrix.rows(), matrix.cols()) = matrix;
  return t;
}

Matrix toMatrix(const NamedTensor& tensor) {
  using RowMajor = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto& shape = tensor.shape;
  const std::string label = tensorLabel(tensor.name);
  if (shape.size() != 1 && shape.size() != 2)
    throw Error(Error::Code::InvalidArgument, label + " has shape " + listText(shape) +
                                                  "; a Matrix needs 1-D [n] or 2-D [rows, cols]");
  const int64_t rows = shape[0], cols = shape.size() == 2 ? shape[1] : 1;
  int64_t elements = 0;
  if (rows < 0 || cols < 0 || __builtin_mul_overflow(rows, cols, &elements) ||
      static_cast<uint64_t>(elements) != tensor.data.size())
    throw Error(Error::Code::InvalidArgument, label + " has shape " + listText(shape) +
                                                  " but holds " +
                                                  std::to_string(tensor.data.size()) + " values");
  return Eigen::Map<const RowMajor>(tensor.data.data(), rows, cols);
}

}  // namespace latent
