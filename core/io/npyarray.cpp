// .npy header parsing (format versions 1.0, 2.0, 3.0): the magic, the header length, and the
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
#include "io/npyarray.h"

#include <bit>
#include <climits>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "data/types.h"
#include "io/failure.h"
#include "io/utf8.h"

namespace latent {
namespace {

// NumPy itself refuses headers over 10 KB by default; 16 MiB leaves room and bounds the read.
constexpr size_t MaxHeaderSize = 16u << 20;

std::string shapeText(const std::vector<uint64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// Reads the Python literal NumPy writes as the header: a dict of strings, booleans and a tuple.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& where) : m_text(text), m_where(where) {}

  void parseInto(NpyArray& a) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    expect('{');
    while (!consume('}')) {
      const std::string key = parseString();
      expect(':');
      if (key == "descr") {
        if (peek() == '[')
          failAt(Error::Code::Unsupported, m_where,
                 "a structured dtype (record array); LatentLab reads plain numeric arrays");
        a.descr = parseString();
        haveDescr = true;
      } else if (key == "fortran_order") {
        a.fortranOrder = parseBool();
        haveOrder = true;
      } else if (key == "shape") {
        a.shape = parseShape();
        haveShape = true;
      } else {
        bad("an unknown key '" + key + "'");
      }
      if (!consume(',')) {
        expect('}');
        break;
      }
    }
    if (!haveDescr || !haveOrder || !haveShape)
      bad("'descr', 'fortran_order' and 'shape' are required");
  }

 private:
  [[noreturn]] void bad(const std::string& what) {
    failAt(Error::Code::Format, m_where,
           "malformed .npy header (" + what + " at character " + std::to_string(m_at) + ")");
  }
  void skipSpace() {
    while (m_at < m_text.size() && std::strchr(" \t\r\n", m_text[m_at]) && m_text[m_at]) ++m_at;
  }
  char peek() {
    skipSpace();
    return m_at < m_text.size() ? m_text[m_at] : '\0';
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++m_at;
    return true;
  }
  void expect(char c) {
    if (!consume(c)) bad(std::string("expected '") + c + "'");
  }
  std::string parseString() {
    const char q = peek();
    if (q != '\'' && q != '"') bad("expected a string");
    const size_t end = m_text.find(q, ++m_at);
    if (end == std::string_view::npos) bad("an unterminated string");
    std::string s(m_text.substr(m_at, end - m_at));
    m_at = end + 1;
    return s;
  }
  bool parseBool() {
    skipSpace();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}})
      if (m_text.substr(m_at, std::strlen(word)) == word) {
        m_at += std::strlen(word);
        return value;
      }
    bad("expected True or False");
  }
  uint64_t parseDimension() {
    skipSpace();
    if (m_at < m_text.size() && m_text[m_at] == '-') bad("a negative dimension");
    uint64_t v = 0;
    const size_t start = m_at;
    for (; m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9'; ++m_at)
      if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, m_text[m_at] - '0', &v))
        failAt(Error::Code::TooLarge, m_where, "a dimension in the .npy header overflows 64 bits");
    if (m_at == start) bad("expected a dimension");
    if (m_at < m_text.size() && m_text[m_at] == 'L') ++m_at;  // Python 2 wrote longs as "3L"
    return v;
  }
  std::vector<uint64_t> parseShape() {
    std::vector<uint64_t> shape;
    expect('(');
    while (!consume(')')) {
      shape.push_back(parseDimension());
      if (shape.size() > 32) bad("more than 32 dimensions");
      if (!consume(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }

  std::string_view m_text;
  const std::string& m_where;
  size_t m_at = 0;
};

// Bytes per value of a string dtype: '<U12' holds 12 characters of 4 bytes, '|S5' 5 bytes.
int stringItemSize(const NpyArray& a, char kind, std::string_view digits) {
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    failAt(Error::Code::Unsupported, a.where, "dtype '" + a.descr + "' has no string length");
  uint64_t n = 0;
  for (const char c : digits)
    if (n <= uint64_t(INT_MAX)) n = n * 10 + uint64_t(c - '0');  // stops growing: no overflow
  const uint64_t unit = kind == 'U' ? 4 : 1;
  const char* what = kind == 'U' ? " characters" : " bytes";
  if (n == 0)
    failAt(Error::Code::Unsupported, a.where,
           "dtype '" + a.descr + "' holds strings of 0" + what + " (NumPy writes at least 1)");
  // The cap keeps itemSize an int; the shape times it is then checked against the bytes present.
  if (n * unit > uint64_t(INT_MAX))
    failAt(Error::Code::TooLarge, a.where,
           "dtype '" + a.descr + "' declares strings longer than the " +
               std::to_string(INT_MAX / unit) + what + " LatentLab reads");
  return int(n * unit);
}

void parseDescr(NpyArray& a, NpyDtypes accepted) {
  std::string_view d = a.descr;
  char order = '|';
  if (!d.empty() && std::strchr("<>|=", d[0])) order = d[0], d.remove_prefix(1);
  const char kind = d.empty() ? '?' : d[0];
  const std::string_view digits = d.empty() ? d : d.substr(1);
  int size = digits.size() == 1 && digits[0] >= '1' && digits[0] <= '8' ? digits[0] - '0' : 0;
  const bool strings = accepted == NpyDtypes::NumbersAndStrings && (kind == 'U' || kind == 'S');
  if (strings) size = stringItemSize(a, kind, digits);
  const bool ok =
      strings || (kind == 'f' && (size == 2 || size == 4 || size == 8)) ||
      ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
      (kind == 'b' && size == 1);
  if (!ok && accepted == NpyDtypes::Numbers)
    failAt(Error::Code::Unsupported, a.where,
           "dtype '" + a.descr +
               "' is not a plain number type; LatentLab reads float (f2, f4, f8), int (i1–i8), "
               "uint (u1–u8) and bool arrays");
  if (!ok)
    failAt(Error::Code::Unsupported, a.where,
           "dtype '" + a.descr +
               "' is not a plain number or string type; LatentLab reads labels from float (f2, f4, "
               "f8), int (i1–i8), uint (u1–u8), bool, str (U) and bytes (S) arrays");
  a.kind = kind;
  a.itemSize = size;
  // Bytes ('S') have no byte order; 'U' swaps each 4-byte code unit.
  const int unit = kind == 'U' ? 4 : kind == 'S' ? 1 : size;
  const bool little = std::endian::native == std::endian::little;
  a.swapBytes = unit > 1 && ((order == '>' && little) || (order == '<' && !little));
}

uint32_t littleEndian32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

}  // namespace

uint64_t NpyArray::count() const {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  return n;
}

std::string NpyArray::describe() const { return shapeText(shape) + " " + descr; }

size_t npyHeaderSize(const uint8_t* bytes, size_t size, const std::string& where) {
  if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0)
    failAt(Error::Code::Format, where,
           size == 0 ? "the file is empty"
                     : "not a NumPy .npy file (it does not start with \\x93NUMPY)");
  const int major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor != 0)
    failAt(Error::Code::Unsupported, where,
           ".npy format version " + std::to_string(major) + "." + std::to_string(minor) +
               "; versions 1.0, 2.0 and 3.0 are read");
  if (major > 1 && size < NpyPreambleSize)
    failAt(Error::Code::Format, where, "truncated .npy header");
  const size_t length = major == 1 ? size_t(bytes[8] | bytes[9] << 8) : littleEndian32(bytes + 8);
  if (length > MaxHeaderSize)
    failAt(Error::Code::Format, where,
           "the .npy header claims " + std::to_string(length) + " bytes; that is no NumPy header");
  return (major == 1 ? 10 : NpyPreambleSize) + length;
}

NpyArray parseNpyHeader(const uint8_t* bytes, size_t size, const std::string& where,
                        NpyDtypes accepted) {
  const size_t headerSize = npyHeaderSize(bytes, size, where);
  if (size < headerSize)
    failAt(Error::Code::Format, where,
           "truncated: the .npy header needs " + std::to_string(headerSize) +
               " bytes, the file has " + std::to_string(size));
  NpyArray a;
  a.where = where;
  const size_t preamble = bytes[6] == 1 ? 10 : NpyPreambleSize;
  const std::string_view text(reinterpret_cast<const char*>(bytes) + preamble,
                              headerSize - preamble);
  HeaderParser(text, where).parseInto(a);
  parseDescr(a, accepted);
  return a;
}

uint64_t npyDataBytes(const NpyArray& a, uint64_t maxBytes) {
  uint64_t n = 1, bytes = 0;
  bool overflow = false;
  for (uint64_t d : a.shape) overflow = overflow || __builtin_mul_overflow(n, d, &n);
  overflow = overflow || __builtin_mul_overflow(n, uint64_t(a.itemSize), &bytes);
  if (overflow)
    failAt(
        Error::Code::TooLarge, a.where,
        "the .npy header declares shape " + shapeText(a.shape) + ", more than any file can hold");
  if (bytes > maxBytes || n > maxBytes / sizeof(float))
    failAt(Error::Code::TooLarge, a.where,
           "shape " + shapeText(a.shape) + " of " + a.descr + " needs " +
               std::to_string(std::max(bytes, n * sizeof(float))) +
               " bytes, more than the memory cap of " + std::to_string(maxBytes) + " bytes");
  return bytes;
}

void attachNpyData(NpyArray& a, const uint8_t* bytes, size_t size, size_t headerSize,
                   uint64_t maxBytes) {
  const uint64_t declared = npyDataBytes(a, maxBytes);
  const uint64_t present = size - std::min(size, headerSize);
  if (present != declared)
    failAt(Error::Code::Format, a.where,
           "the header declares shape " + shapeText(a.shape) + " of " + a.descr + " (" +
               std::to_string(declared) + " bytes) but the file holds " + std::to_string(present) +
               " bytes after the header" + (present < declared ? " (truncated?)" : ""));
  a.data = bytes + headerSize;
}

std::vector<float> npyToFloat(const NpyArray& a) {
  std::vector<float> out(size_t(a.count()));
  forEachNpyValue(a, [&out](uint64_t i, double v) { out[i] = float(v); });
  return out;
}

NpyStrings npyToStrings(const NpyArray& a) {
  if (!a.isString()) throw std::logic_error("npyToStrings: " + a.where + " holds no strings");
  NpyStrings out;
  const uint64_t n = a.count();
  out.values.resize(size_t(n));  // n ≤ the bytes present: itemSize ≥ 1 and the data is attached
  const size_t unit = a.kind == 'U' ? 4 : 1, units = size_t(a.itemSize) / unit;
  const auto codeUnit = [&](const uint8_t* p, size_t k) -> uint32_t {
    return unit == 4 ? npydetail::loadBits<uint32_t>(p + 4 * k, a.swapBytes) : p[k];
  };
  npydetail::FortranIndex fortran(a.shape);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t c = a.fortranOrder ? fortran.cIndex() : i;
    if (a.fortranOrder) fortran.next();
    const uint8_t* p = a.data + i * uint64_t(a.itemSize);
    size_t length = units;  // NumPy pads a shorter string with NULs, and strips them on reading
    while (length > 0 && codeUnit(p, length - 1) == 0) --length;
    std::string& s = out.values[size_t(c)];
    const auto at = [c] { return "the string at index " + std::to_string(c); };
    for (size_t k = 0; k < length; ++k) {
      const uint32_t u = codeUnit(p, k);
      if (u == 0) {
        out.problem = at() + " holds a NUL character";
        return out;
      }
      if (unit == 1) {
        s.push_back(char(u));
      } else if (isUnicodeScalar(u)) {
        appendUtf8(s, u);
      } else {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%X", unsigned(u));
        out.problem = at() + " holds code point " + hex + ", which is not a Unicode character";
        return out;
      }
    }
  }
  if (a.kind == 'S') {  // bytes carry no encoding: UTF-8 when all of them are, else Latin-1
    for (size_t i = 0; i < out.values.size() && out.firstNotUtf8 < 0; ++i)
      if (firstInvalidUtf8(out.values[i], 0, out.values[i].size()) != out.values[i].size())
        out.firstNotUtf8 = int64_t(i);
    if (out.firstNotUtf8 >= 0)
      for (std::string& s : out.values) s = latin1ToUtf8(s);
  }
  return out;
}

}  // namespace latent
