// readFileBytes (raw or gzip, bounded by a memory cap) and writeGzipFile, on zlib and POSIX I/O.
#include "io/gzip.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "data/types.h"
#include "io/atomicfile.h"

namespace latent {
namespace {

constexpr size_t InputChunk = 256 * 1024;
// Deflate cannot compress better than about 1032:1, so a file's real inflated size is bounded by
// this; it keeps a lying gzip trailer from making us reserve more than the data can fill.
constexpr uint64_t MaxDeflateRatio = 1032;

std::string inQuotes(const std::string& path) { return "'" + path + "'"; }

[[noreturn]] void throwIo(const std::string& verb, const std::string& path, int err) {
  throw Error(Error::Code::Io, "cannot " + verb + " " + inQuotes(path) + ": " + std::strerror(err));
}

[[noreturn]] void throwTooLarge(const std::string& path, uint64_t maxBytes, bool inflated) {
  throw Error(Error::Code::TooLarge,
              inQuotes(path) + (inflated ? " inflates to more than " : " is larger than ") +
                  std::to_string(maxBytes) + " bytes, the memory cap" +
                  (inflated ? " (a gzip bomb, or a file too large for this limit)" : ""));
}

// Owns a file descriptor so every error path closes it.
class InputFile {
 public:
  explicit InputFile(const std::string& path) : m_path(path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) throwIo("open", path, errno);
    const bool statted = ::fstat(m_fd, &m_stat) == 0;
    if (!statted || S_ISDIR(m_stat.st_mode)) {  // the destructor will not run: close here
      const int err = statted ? EISDIR : errno;
      ::close(m_fd);
      throwIo("open", path, err);
    }
  }
  ~InputFile() { ::close(m_fd); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool isRegular() const { return S_ISREG(m_stat.st_mode); }
  uint64_t size() const { return static_cast<uint64_t>(m_stat.st_size); }

  /// Up to `n` bytes; 0 at end of file.
  size_t read(uint8_t* p, size_t n) {
    for (;;) {
      const ssize_t got = ::read(m_fd, p, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) throwIo("read", m_path, errno);
    }
  }
  /// The little-endian uint32 at the end of a regular file (the gzip ISIZE field), or 0.
  uint64_t trailerSize() const {
    uint8_t b[4];
    if (!isRegular() || size() < 18 || ::pread(m_fd, b, 4, m_stat.st_size - 4) != 4) return 0;
    return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint64_t>(b[3]) << 24);
  }

 private:
  std::string m_path;
  int m_fd = -1;
  struct stat m_stat {};
};

// Reads the rest of the file after `head`, never holding more than maxBytes.
std::vector<uint8_t> readRaw(InputFile& file, std::vector<uint8_t> head, const std::string& path,
                             uint64_t maxBytes) {
  if (file.isRegular() && file.size() > maxBytes) throwTooLarge(path, maxBytes, false);
  std::vector<uint8_t> out = std::move(head);
  out.reserve(file.isRegular() ? file.size() : InputChunk);
  uint8_t chunk[64 * 1024];
  while (const size_t n = file.read(chunk, sizeof chunk)) {
    if (out.size() + n > maxBytes) throwTooLarge(path, maxBytes, false);
    out.insert(out.end(), chunk, chunk + n);
  }
  return out;
}

// Grows `out` towards the cap; false when it is already at the cap.
bool grow(std::vector<uint8_t>& out, uint64_t maxBytes) {
  if (out.size() >= maxBytes) return false;
  const uint64_t wanted = std::max<uint64_t>(out.size() * 2, 64 * 1024);
  out.resize(static_cast<size_t>(std::min(wanted, maxBytes)));
  return true;
}

// Inflates gzip member after member. When the output reaches the cap, inflate writes into a
// one-byte probe: if that byte gets written, the data is larger than the cap. In head mode it
// simply stops at the cap instead.
class Inflater {
 public:
  Inflater(InputFile& file, const std::string& path, uint64_t maxBytes, bool headOnly = false)
      : m_file(file), m_path(path), m_maxBytes(maxBytes), m_headOnly(headOnly), m_in(InputChunk) {
    if (inflateInit2(&m_zs, 15 + 16) != Z_OK)  // 15 + 16: gzip wrapper only
      throw Error(Error::Code::Io, "cannot inflate " + inQuotes(path) + ": zlib init failed");
  }
  ~Inflater() { inflateEnd(&m_zs); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  std::vector<uint8_t> run(const std::vector<uint8_t>& head) {
    std::copy(head.begin(), head.end(), m_in.begin());
    m_zs.next_in = m_in.data();
    m_zs.avail_in = static_cast<uInt>(head.size());
    reserveFromTrailer();
    bool memberDone = false;
    while (refill()) {
      if (memberDone) {
        // Bytes after a complete member: another member, or trailing padding we ignore as gzip
        // does.
        if (*m_zs.next_in != 0x1f) break;
        inflateReset(&m_zs);
        memberDone = false;
      }
      memberDone = step();
      if (headReached()) break;
    }
    if (!memberDone && !headReached())
      throw Error(Error::Code::Format,
                  inQuotes(m_path) + ": gzip data is truncated (incomplete download or copy?)");
    m_out.resize(m_produced);
    return std::move(m_out);
  }

 private:
  bool headReached() const { return m_headOnly && m_produced == m_maxBytes; }

  // A single-member file states its size in the trailer: reserving it avoids regrowing.
  void reserveFromTrailer() {
    const uint64_t hint =
        std::min({m_file.trailerSize(), m_maxBytes, m_file.size() * MaxDeflateRatio + 64 * 1024});
    m_out.resize(static_cast<size_t>(hint));
  }

  /// Makes input available; false at the end of the file with nothing left.
  bool refill() {
    if (m_zs.avail_in > 0) return true;
    m_zs.next_in = m_in.data();
    m_zs.avail_in = static_cast<uInt>(m_file.read(m_in.data(), m_in.size()));
    return m_zs.avail_in > 0;
  }

  /// One inflate call; true when a member ended.
  bool step() {
    uint8_t probe = 0;
    const bool full = m_produced == m_out.size() && !grow(m_out, m_maxBytes);
    m_zs.next_out = full ? &probe : m_out.data() + m_produced;
    m_zs.avail_out =
        full ? 1 : static_cast<uInt>(std::min<size_t>(m_out.size() - m_produced, 1u << 30));
    const uInt before = m_zs.avail_out;
    const int ret = inflate(&m_zs, Z_NO_FLUSH);
    if (full && m_zs.avail_out == 0) throwTooLarge(m_path, m_maxBytes, true);
    if (!full) m_produced += before - m_zs.avail_out;
    if (ret == Z_STREAM_END) return true;
    if (ret == Z_OK || ret == Z_BUF_ERROR) return false;  // needs more input or output space
    throw Error(Error::Code::Format, inQuotes(m_path) + ": corrupt gzip data (zlib: " +
                                         (m_zs.msg ? m_zs.msg : "error " + std::to_string(ret)) +
                                         ")");
  }

  InputFile& m_file;
  std::string m_path;
  uint64_t m_maxBytes;
  bool m_headOnly;
  std::vector<uint8_t> m_in;
  std::vector<uint8_t> m_out;
  size_t m_produced = 0;
  z_stream m_zs{};
};

std::vector<uint8_t> gzipCompress(const std::vector<uint8_t>& bytes) {
  z_stream zs{};
  // 15 + 16: gzip wrapper; without deflateSetHeader the header's time stamp is 0.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(Error::Code::Io, "gzip: zlib init failed");
  std::vector<uint8_t> out(deflateBound(&zs, bytes.size()) + 64);
  size_t consumed = 0;
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    // avail_in and avail_out are 32-bit: feed at most 1 GiB per call.
    const size_t chunk = std::min<size_t>(bytes.size() - consumed, 1u << 30);
    zs.next_in = const_cast<Bytef*>(bytes.data() + consumed);
    zs.avail_in = static_cast<uInt>(chunk);
    if (zs.total_out == out.size()) out.resize(out.size() * 2);
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - zs.total_out, 1u << 30));
    const bool last = consumed + chunk == bytes.size();
    ret = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
    consumed += chunk - zs.avail_in;
    if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) break;
  }
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (ret != Z_STREAM_END) throw Error(Error::Code::Io, "gzip: deflate failed");
  return out;
}

// The first two bytes (fewer for a tiny file), enough to tell gzip from raw.
std::vector<uint8_t> readMagic(InputFile& file) {
  uint8_t magic[2];
  size_t got = 0;
  while (got < 2) {
    const size_t n = file.read(magic + got, 2 - got);
    if (n == 0) break;
    got += n;
  }
  return {magic, magic + got};
}

}  // namespace

bool isGzip(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<uint8_t> readFileBytes(const std::string& path, uint64_t maxBytes) {
  InputFile file(path);
  const std::vector<uint8_t> head = readMagic(file);
  if (!isGzip(head)) return readRaw(file, head, path, maxBytes);
  return Inflater(file, path, maxBytes).run(head);
}

std::vector<uint8_t> readFileHead(const std::string& path, size_t n) {
  InputFile file(path);
  std::vector<uint8_t> bytes = readMagic(file);
  if (isGzip(bytes)) return Inflater(file, path, n, true).run(bytes);
  size_t got = bytes.size();
  bytes.resize(std::max(n, got));
  while (got < n) {
    const size_t more = file.read(bytes.data() + got, n - got);
    if (more == 0) break;
    got += more;
  }
  bytes.resize(std::min(got, n));
  return bytes;
}

void writeGzipFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::vector<uint8_t> compressed = gzipCompress(bytes);
  writeFileAtomically(path, compressed.data(), compressed.size());
}

}  // namespace latent
