// Test helpers that build file formats byte by byte, as NumPy and Python's zipfile write them, so
// the loader tests need no Python: .npy arrays (versions 1–3, any dtype and order) and zip
// archives (stored or deflated, with np.savez's zip64 local headers).
#pragma once

#include <QByteArray>
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace testfiles {

using Bytes = std::vector<uint8_t>;

inline void writeBytes(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline void putLittle(Bytes& out, uint64_t v, int size) {
  for (int i = 0; i < size; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

/// Values encoded as `descr` ("<f4", ">i2", "|u1", "<f2" only for exact halves, "|b1").
inline Bytes encodeValues(const std::string& descr, const std::vector<double>& values) {
  const bool big = descr[0] == '>';
  const char kind = descr[1];
  const int size = descr[2] - '0';
  Bytes out;
  for (double v : values) {
    uint64_t bits = 0;
    if (kind == 'f' && size == 4)
      bits = std::bit_cast<uint32_t>(float(v));
    else if (kind == 'f' && size == 8)
      bits = std::bit_cast<uint64_t>(v);
    else if (kind == 'f' && size == 2) {  // exact for the small values the tests use
      const float f = float(v);
      const uint32_t b = std::bit_cast<uint32_t>(f);
      const int exponent = int((b >> 23) & 0xFF) - 127 + 15;
      bits = f == 0 ? 0 : ((b >> 16) & 0x8000) | (uint32_t(exponent) << 10) | ((b >> 13) & 0x3FF);
    } else if (kind == 'i')
      bits = uint64_t(int64_t(v));
    else
      bits = uint64_t(v);
    Bytes one;
    putLittle(one, bits, size);
    if (big) std::reverse(one.begin(), one.end());
    out.insert(out.end(), one.begin(), one.end());
  }
  return out;
}

/// The header dict as np.save writes it, padded with spaces and a newline to 64 bytes.
inline Bytes npyHeader(const std::string& dict, int major = 1) {
  const size_t preamble = major == 1 ? 10 : 12;
  std::string h = dict;
  const size_t total = (preamble + h.size() + 1 + 63) / 64 * 64;
  h.append(total - preamble - h.size() - 1, ' ');
  h.push_back('\n');
  Bytes out;
  out.reserve(preamble + h.size());  // also keeps GCC 12's -Wstringop-overflow from misfiring
  for (const char b : {'\x93', 'N', 'U', 'M', 'P', 'Y'}) out.push_back(uint8_t(b));
  out.push_back(uint8_t(major));
  out.push_back(0);
  putLittle(out, h.size(), major == 1 ? 2 : 4);
  out.insert(out.end(), h.begin(), h.end());
  return out;
}

inline std::string shapeText(const std::vector<uint64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// A whole .npy file.
inline Bytes npyBytes(const std::string& descr, const std::vector<uint64_t>& shape,
                      const std::vector<double>& values, bool fortran = false, int major = 1) {
  Bytes out =
      npyHeader("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                    ", 'shape': " + shapeText(shape) + ", }",
                major);
  const Bytes data = encodeValues(descr, values);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

inline uint32_t crc32(const Bytes& data) {
  uint32_t crc = 0xFFFFFFFF;
  for (uint8_t b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

/// Raw deflate (what zip stores) of `data`: qCompress's zlib stream without its 4-byte length
/// prefix, 2-byte zlib header and 4-byte Adler-32 trailer.
inline Bytes rawDeflate(const Bytes& data) {
  const QByteArray z =
      qCompress(reinterpret_cast<const uchar*>(data.data()), qsizetype(data.size()));
  return Bytes(z.begin() + 6, z.end() - 4);
}

struct ZipMember {
  std::string name;
  Bytes data;
};

/// A zip archive as Python's zipfile writes np.savez: local headers with 0xFFFFFFFF sizes and a
/// zip64 extra field (force_zip64), the real sizes in the central directory.
inline Bytes zipBytes(const std::vector<ZipMember>& members, bool deflate, bool zip64Local = true) {
  Bytes out, directory;
  for (const ZipMember& m : members) {
    const Bytes stored = deflate ? rawDeflate(m.data) : m.data;
    const uint32_t crc = crc32(m.data);
    const uint64_t offset = out.size();
    putLittle(out, 0x04034b50, 4);
    putLittle(out, zip64Local ? 45 : 20, 2);
    putLittle(out, 0, 2);                // flags
    putLittle(out, deflate ? 8 : 0, 2);  // method
    putLittle(out, 0, 4);                // time, date
    putLittle(out, crc, 4);
    putLittle(out, zip64Local ? 0xFFFFFFFF : stored.size(), 4);
    putLittle(out, zip64Local ? 0xFFFFFFFF : m.data.size(), 4);
    putLittle(out, m.name.size(), 2);
    putLittle(out, zip64Local ? 20 : 0, 2);
    out.insert(out.end(), m.name.begin(), m.name.end());
    if (zip64Local) {
      putLittle(out, 1, 2);
      putLittle(out, 16, 2);
      putLittle(out, m.data.size(), 8);
      putLittle(out, stored.size(), 8);
    }
    out.insert(out.end(), stored.begin(), stored.end());
    putLittle(directory, 0x02014b50, 4);
    putLittle(directory, 20, 2);  // made by
    putLittle(directory, 20, 2);  // needed
    putLittle(directory, 0, 2);
    putLittle(directory, deflate ? 8 : 0, 2);
    putLittle(directory, 0, 4);
    putLittle(directory, crc, 4);
    putLittle(directory, stored.size(), 4);
    putLittle(directory, m.data.size(), 4);
    putLittle(directory, m.name.size(), 2);
    putLittle(directory, 0, 2);  // extra
    putLittle(directory, 0, 2);  // comment
    putLittle(directory, 0, 2);  // disk
    putLittle(directory, 0, 2);  // internal attributes
    putLittle(directory, 0, 4);  // external attributes
    putLittle(directory, offset, 4);
    directory.insert(directory.end(), m.name.begin(), m.name.end());
  }
  const uint64_t directoryOffset = out.size();
  out.insert(out.end(), directory.begin(), directory.end());
  putLittle(out, 0x06054b50, 4);
  putLittle(out, 0, 4);
  putLittle(out, members.size(), 2);
  putLittle(out, members.size(), 2);
  putLittle(out, directory.size(), 4);
  putLittle(out, directoryOffset, 4);
  putLittle(out, 0, 2);
  return out;
}

}  // namespace testfiles
