// Zip central-directory reader (APPNOTE.TXT sections 4.3.7, 4.3.12, 4.3.16) and entry extraction
// on zlib's raw inflate. Enough for NumPy's .npz; zip64 and encryption are refused clearly.
#include "io/zip.h"

#include <zlib.h>

#include "data/types.h"
#include "io/failure.h"

namespace latent {
namespace {

constexpr uint32_t LocalHeaderSignature = 0x04034b50;
constexpr uint32_t CentralHeaderSignature = 0x02014b50;
constexpr uint32_t EndSignature = 0x06054b50;
constexpr uint32_t Zip64LocatorSignature = 0x07064b50;
constexpr size_t EndSize = 22, CentralHeaderSize = 46, LocalHeaderSize = 30;
constexpr size_t MaxCommentSize = 65535;

uint16_t u16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
uint32_t u32(const uint8_t* p) { return uint32_t(u16(p)) | uint32_t(u16(p + 2)) << 16; }

// Offset of the end-of-central-directory record: searched backwards over the longest comment.
size_t findEnd(const std::vector<uint8_t>& zip, const std::string& path) {
  if (zip.size() >= EndSize) {
    const size_t last = zip.size() - EndSize;
    const size_t first = last > MaxCommentSize ? last - MaxCommentSize : 0;
    for (size_t at = last + 1; at-- > first;)
      if (u32(zip.data() + at) == EndSignature) return at;
  }
  failIn(Error::Code::Format, path,
         "not a zip archive (no end-of-central-directory record; truncated download?)");
}

[[noreturn]] void refuseZip64(const std::string& path) {
  failIn(Error::Code::Unsupported, path,
         "a zip64 archive (over 4 GiB or 65535 entries), which LatentLab does not read; save "
         "smaller arrays or use .npy files");
}

ZipEntry readCentralHeader(const std::vector<uint8_t>& zip, size_t& at, size_t end,
                           const std::string& path) {
  const uint8_t* p = zip.data() + at;
  if (end - at < CentralHeaderSize || u32(p) != CentralHeaderSignature)
    failIn(Error::Code::Format, path,
           "corrupt zip central directory at offset " + std::to_string(at));
  const size_t nameSize = u16(p + 28), extraSize = u16(p + 30), commentSize = u16(p + 32);
  if (end - at - CentralHeaderSize < nameSize + extraSize + commentSize)
    failIn(Error::Code::Format, path,
           "a zip central-directory entry at offset " + std::to_string(at) + " runs past its end");
  ZipEntry e;
  e.flags = u16(p + 8);
  e.method = u16(p + 10);
  e.crc = u32(p + 16);
  e.compressedSize = u32(p + 20);
  e.size = u32(p + 24);
  e.dataOffset = u32(p + 42);  // the local header's offset until checkLocalHeader
  e.name.assign(reinterpret_cast<const char*>(p + CentralHeaderSize), nameSize);
  if (e.compressedSize == 0xFFFFFFFF || e.size == 0xFFFFFFFF || e.dataOffset == 0xFFFFFFFF)
    refuseZip64(path);
  at += CentralHeaderSize + nameSize + extraSize + commentSize;
  return e;
}

// Moves e.dataOffset from the local header to the data behind it, checking both lie in the file.
void checkLocalHeader(const std::vector<uint8_t>& zip, ZipEntry& e, const std::string& path) {
  const std::string entry = "zip entry " + inQuotes(e.name);
  const uint64_t at = e.dataOffset;
  if (at > zip.size() || zip.size() - at < LocalHeaderSize ||
      u32(zip.data() + at) != LocalHeaderSignature)
    failIn(Error::Code::Format, path,
           entry + ": no local header at offset " + std::to_string(at) + " (the file has " +
               std::to_string(zip.size()) + " bytes)");
  const uint64_t data =
      at + LocalHeaderSize + u16(zip.data() + at + 26) + u16(zip.data() + at + 28);
  if (data > zip.size() || zip.size() - data < e.compressedSize)
    failIn(Error::Code::Format, path,
           entry + ": its " + std::to_string(e.compressedSize) + " bytes at offset " +
               std::to_string(data) + " run past the end of the file (" +
               std::to_string(zip.size()) + " bytes)");
  if (e.flags & 1) failIn(Error::Code::Unsupported, path, entry + " is encrypted");
  if (e.method != 0 && e.method != 8)
    failIn(Error::Code::Unsupported, path,
           entry + " uses compression method " + std::to_string(e.method) +
               "; only stored (0) and deflate (8) are read");
  if (e.method == 0 && e.compressedSize != e.size)
    failIn(Error::Code::Format, path, entry + ": stored, yet its two sizes differ");
  e.dataOffset = data;
}

void inflateInto(const uint8_t* in, uint64_t inSize, std::vector<uint8_t>& out,
                 const std::string& path, const std::string& entry) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK)  // -15: raw deflate, as zip stores it
    failIn(Error::Code::Io, path, "zlib init failed");
  zs.next_in = const_cast<Bytef*>(in);
  zs.avail_in = uInt(inSize);
  zs.next_out = out.data();
  zs.avail_out = uInt(out.size());
  int ret = inflate(&zs, Z_FINISH);
  // Output full but the stream not at its end: it holds more than the directory declares.
  if (ret == Z_BUF_ERROR && zs.avail_out == 0) {
    uint8_t probe = 0;
    zs.next_out = &probe;
    zs.avail_out = 1;
    ret = inflate(&zs, Z_FINISH);
    if (zs.avail_out == 0)
      ret = Z_DATA_ERROR, zs.msg = const_cast<char*>("more data than declared");
  }
  const uLong produced = zs.total_out;
  const std::string msg = zs.msg ? zs.msg : "truncated";
  inflateEnd(&zs);
  if (ret != Z_STREAM_END || produced != out.size())
    failIn(Error::Code::Format, path,
           entry + ": corrupt deflate data (zlib: " + msg + "; " + std::to_string(produced) +
               " of " + std::to_string(out.size()) + " bytes)");
}

}  // namespace

std::vector<ZipEntry> readZipDirectory(const std::vector<uint8_t>& zip, const std::string& path) {
  const size_t end = findEnd(zip, path);
  const uint8_t* p = zip.data() + end;
  if (end >= 20 && u32(zip.data() + end - 20) == Zip64LocatorSignature) refuseZip64(path);
  const uint16_t disk = u16(p + 4), directoryDisk = u16(p + 6);
  const uint16_t entriesHere = u16(p + 8), entries = u16(p + 10);
  const uint32_t directorySize = u32(p + 12), directoryOffset = u32(p + 16);
  if (entries == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
    refuseZip64(path);
  if (disk != 0 || directoryDisk != 0 || entriesHere != entries)
    failIn(Error::Code::Unsupported, path, "a split (multi-part) zip archive");
  if (uint64_t(directoryOffset) + directorySize > end)
    failIn(Error::Code::Format, path,
           "the zip central directory (" + std::to_string(directorySize) + " bytes at offset " +
               std::to_string(directoryOffset) + ") lies outside the file's " +
               std::to_string(end) + " bytes before its end record");
  std::vector<ZipEntry> out;
  size_t at = directoryOffset;
  const size_t directoryEnd = size_t(directoryOffset) + directorySize;
  for (int i = 0; i < entries; ++i) {
    ZipEntry e = readCentralHeader(zip, at, directoryEnd, path);
    checkLocalHeader(zip, e, path);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<uint8_t> readZipEntry(const std::vector<uint8_t>& zip, const ZipEntry& e,
                                  const std::string& path, uint64_t maxBytes) {
  const std::string entry = "zip entry " + inQuotes(e.name);
  if (e.size > maxBytes)
    failIn(Error::Code::TooLarge, path,
           entry + " declares " + std::to_string(e.size) + " bytes, more than the memory cap of " +
               std::to_string(maxBytes) + " bytes");
  if (e.dataOffset > zip.size() || zip.size() - e.dataOffset < e.compressedSize)
    failIn(Error::Code::Format, path, entry + ": its data lies outside the file");
  const uint8_t* in = zip.data() + e.dataOffset;
  std::vector<uint8_t> out;
  if (e.method == 0) {
    out.assign(in, in + e.size);
  } else {
    out.resize(size_t(e.size));
    inflateInto(in, e.compressedSize, out, path, entry);
  }
  if (crc32(0, out.data(), uInt(out.size())) != e.crc)
    failIn(Error::Code::Format, path, entry + ": CRC-32 mismatch (the archive is corrupt)");
  return out;
}

}  // namespace latent
