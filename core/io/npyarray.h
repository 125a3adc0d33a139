// One NumPy array in memory: the .npy header parsed and checked against the bytes present, and
// its values decoded to float in C order. Internal to core/io (the .npy and .npz loaders).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace latent {

struct NpyArray {
  std::string where;  // "'a.npy'" or "'a.npz' array 'x'", for messages
  // 'f' float, 'i' signed, 'u' unsigned, 'b' bool; with NpyDtypes::NumbersAndStrings also 'U'
  // (str: UTF-32 code units, NUL-padded) and 'S' (bytes, NUL-padded).
  char kind = 'f';
  int itemSize = 4;        // bytes per value ('U': 4 per character)
  bool swapBytes = false;  // stored in the other byte order than this machine's
  bool fortranOrder = false;
  std::vector<uint64_t> shape;
  const uint8_t* data = nullptr;  // count() values of itemSize bytes
  std::string descr;              // as written, e.g. "<f4"

  /// Number of values (the product of the shape; the header check ensures it fits).
  uint64_t count() const;
  /// "(60000, 28, 28) |u1"
  std::string describe() const;
  bool isInteger() const { return kind == 'i' || kind == 'u' || kind == 'b'; }
  bool isString() const { return kind == 'U' || kind == 'S'; }
};

/// The dtypes parseNpyHeader accepts: numbers (any dataset array), or also strings (labels).
enum class NpyDtypes { Numbers, NumbersAndStrings };

/// Bytes needed before the header length is known (magic, version, length field).
constexpr size_t NpyPreambleSize = 12;

/// Size of the whole header (preamble + dict) from the first NpyPreambleSize bytes (fewer when
/// the file is shorter). Throws Error(Format) naming `where` for a bad magic or version.
size_t npyHeaderSize(const uint8_t* bytes, size_t size, const std::string& where);

/// Parses the header in bytes[0..size) (at least npyHeaderSize bytes): dtype, order and shape.
/// Returns the array with data == nullptr; npyDataBytes gives the size the values need. A dtype
/// outside `accepted` is Error(Unsupported) naming it and the dtypes read; a string dtype of no
/// characters is Error(Unsupported), one longer than an int of bytes Error(TooLarge).
NpyArray parseNpyHeader(const uint8_t* bytes, size_t size, const std::string& where,
                        NpyDtypes accepted = NpyDtypes::Numbers);

/// Bytes the values need (shape product × item size), or Error(TooLarge) naming the array when
/// that overflows 64 bits or exceeds `maxBytes` (as the bytes, or as float32 values).
uint64_t npyDataBytes(const NpyArray& a, uint64_t maxBytes);

/// Points `a` at its values: bytes[headerSize..] must hold exactly npyDataBytes of them, else
/// Error(Format) "the header declares shape … (N bytes) but … holds M bytes after the header".
void attachNpyData(NpyArray& a, const uint8_t* bytes, size_t size, size_t headerSize,
                   uint64_t maxBytes);

/// Values in C order as float32 (count() of them). Numeric arrays only.
std::vector<float> npyToFloat(const NpyArray& a);

/// The values of a string array ('U' or 'S', data attached) in C order, as UTF-8 without
/// NumPy's trailing NUL padding, or the first value that cannot be a name.
struct NpyStrings {
  std::vector<std::string> values;  // count() of them when `problem` is empty
  /// "" or e.g. "the string at index 3 holds code point 0xD800, which is not a Unicode
  /// character" (a surrogate or above U+10FFFF in 'U'), "the string at index 3 holds a NUL
  /// character" (one before the padding).
  std::string problem;
  /// 'S' only: the index of the first value that is not UTF-8, or -1. When there is one, every
  /// value was read as Latin-1 (what the CSV loader does with text that is not UTF-8).
  int64_t firstNotUtf8 = -1;
};
NpyStrings npyToStrings(const NpyArray& a);

namespace npydetail {

// Walks a Fortran-order array in file order while tracking the C-order index of each value.
class FortranIndex {
 public:
  explicit FortranIndex(const std::vector<uint64_t>& shape) : m_shape(shape) {
    m_stride.assign(shape.size(), 1);  // C-order strides
    for (size_t k = shape.size(); k-- > 1;) m_stride[k - 1] = m_stride[k] * shape[k];
    m_at.assign(shape.size(), 0);
  }
  uint64_t cIndex() const { return m_c; }
  void next() {  // the first axis varies fastest in Fortran order
    for (size_t k = 0; k < m_shape.size(); ++k) {
      m_c += m_stride[k];
      if (++m_at[k] < m_shape[k]) return;
      m_c -= m_stride[k] * m_shape[k];
      m_at[k] = 0;
    }
  }

 private:
  std::vector<uint64_t> m_shape, m_stride, m_at;
  uint64_t m_c = 0;
};

template <typename Bits>
Bits loadBits(const uint8_t* p, bool swap) {
  Bits b;
  std::memcpy(&b, p, sizeof b);
  if (!swap || sizeof b == 1) return b;
  if constexpr (sizeof b == 2) return Bits(__builtin_bswap16(b));
  if constexpr (sizeof b == 4) return Bits(__builtin_bswap32(b));
  if constexpr (sizeof b == 8) return Bits(__builtin_bswap64(b));
  return b;
}

// IEEE half → double (NumPy's '<f2').
inline double halfToDouble(uint16_t h) {
  const int exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  const double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  if (exponent == 31) return mantissa ? NAN : sign * INFINITY;
  return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

template <typename T, typename Bits, typename F>
void forEachTyped(const NpyArray& a, F& f) {
  const uint64_t n = a.count();
  const auto value = [&](uint64_t i) {
    const Bits b = loadBits<Bits>(a.data + i * sizeof(Bits), a.swapBytes);
    if constexpr (std::is_same_v<T, bool>) return double(b != 0);
    return double(std::bit_cast<T>(b));
  };
  if (!a.fortranOrder) {
    for (uint64_t i = 0; i < n; ++i) f(i, value(i));
    return;
  }
  FortranIndex index(a.shape);
  for (uint64_t i = 0; i < n; ++i, index.next()) f(index.cIndex(), value(i));
}

}  // namespace npydetail

/// Calls f(cIndex, value) for every value of a numeric array, where cIndex is the value's position
/// in C order (Fortran-order arrays are transposed on the fly); value is a double.
template <typename F>
void forEachNpyValue(const NpyArray& a, F&& f) {
  using namespace npydetail;
  if (a.isString())  // a caller's mistake, never the file's
    throw std::logic_error("forEachNpyValue: " + a.where + " holds " + a.descr + ", no numbers");
  switch (a.kind * 16 + a.itemSize) {
    case 'f' * 16 + 2: {  // read as uint16 bits, then converted
      auto g = [&f](uint64_t i, double bits) { f(i, halfToDouble(uint16_t(bits))); };
      return forEachTyped<uint16_t, uint16_t>(a, g);
    }
    case 'f' * 16 + 4:
      return forEachTyped<float, uint32_t>(a, f);
    case 'f' * 16 + 8:
      return forEachTyped<double, uint64_t>(a, f);
    case 'i' * 16 + 1:
      return forEachTyped<int8_t, uint8_t>(a, f);
    case 'i' * 16 + 2:
      return forEachTyped<int16_t, uint16_t>(a, f);
    case 'i' * 16 + 4:
      return forEachTyped<int32_t, uint32_t>(a, f);
    case 'i' * 16 + 8:
      return forEachTyped<int64_t, uint64_t>(a, f);
    case 'u' * 16 + 1:
      return forEachTyped<uint8_t, uint8_t>(a, f);
    case 'u' * 16 + 2:
      return forEachTyped<uint16_t, uint16_t>(a, f);
    case 'u' * 16 + 4:
      return forEachTyped<uint32_t, uint32_t>(a, f);
    case 'u' * 16 + 8:
      return forEachTyped<uint64_t, uint64_t>(a, f);
    default:  // 'b' 1
      return forEachTyped<bool, uint8_t>(a, f);
  }
}

}  // namespace latent
