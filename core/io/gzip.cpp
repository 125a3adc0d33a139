// FileByteReader, readFileBytes and readFileHead (raw or gzip, bounded by a memory cap) and
// writeGzipFile, on zlib and POSIX I/O.
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
#include "io/failure.h"

namespace latent {
namespace {

constexpr size_t InputChunk = 256 * 1024;
// Deflate cannot compress better than about 1032:1, so a file's real inflated size is bounded by
// this; it keeps a lying gzip trailer from making us reserve more than the data can fill.
constexpr uint64_t MaxDeflateRatio = 1032;

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

// Inflates gzip member after member as the reader asks for bytes. Bytes after a complete member
// are another member, or trailing padding ignored as gzip does.
class Inflater {
 public:
  Inflater(InputFile& file, const std::string& path, const std::vector<uint8_t>& head)
      : m_file(file), m_path(path), m_in(InputChunk) {
    if (inflateInit2(&m_zs, 15 + 16) != Z_OK)  // 15 + 16: gzip wrapper only
      throw Error(Error::Code::Io, "cannot inflate " + inQuotes(path) + ": zlib init failed");
    std::copy(head.begin(), head.end(), m_in.begin());
    m_zs.next_in = m_in.data();
    m_zs.avail_in = static_cast<uInt>(head.size());
  }
  ~Inflater() { inflateEnd(&m_zs); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  /// Up to `n` inflated bytes into `p`; fewer only at the end of the data.
  size_t read(uint8_t* p, size_t n) {
    size_t produced = 0;
    while (produced < n && !m_ended) {
      if (!refill()) {
        if (!m_memberDone)
          throw Error(Error::Code::Format,
                      inQuotes(m_path) + ": gzip data is truncated (incomplete download or copy?)");
        m_ended = true;
        break;
      }
      if (m_memberDone) {
        if (*m_zs.next_in != 0x1f) {
          m_ended = true;
          break;
        }
        inflateReset(&m_zs);
        m_memberDone = false;
      }
      produced += step(p + produced, n - produced);
    }
    return produced;
  }

 private:
  /// Makes input available; false at the end of the file with nothing left.
  bool refill() {
    if (m_zs.avail_in > 0) return true;
    m_zs.next_in = m_in.data();
    m_zs.avail_in = static_cast<uInt>(m_file.read(m_in.data(), m_in.size()));
    return m_zs.avail_in > 0;
  }

  /// One inflate call into p (room for n bytes); returns the bytes it produced.
  size_t step(uint8_t* p, size_t n) {
    m_zs.next_out = p;
    m_zs.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt before = m_zs.avail_out;
    const int ret = inflate(&m_zs, Z_NO_FLUSH);
    if (ret == Z_STREAM_END) {
      m_memberDone = true;
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {  // Z_BUF_ERROR: needs more input
      throw Error(Error::Code::Format, inQuotes(m_path) + ": corrupt gzip data (zlib: " +
                                           (m_zs.msg ? m_zs.msg : "error " + std::to_string(ret)) +
                                           ")");
    }
    return before - m_zs.avail_out;
  }

  InputFile& m_file;
  std::string m_path;
  std::vector<uint8_t> m_in;
  z_stream m_zs{};
  bool m_memberDone = false;
  bool m_ended = false;
};

// Grows `out` towards the cap (it is below the cap).
void grow(std::vector<uint8_t>& out, uint64_t maxBytes) {
  const uint64_t wanted = std::max<uint64_t>(out.size() * 2, 64 * 1024);
  out.resize(static_cast<size_t>(std::min(wanted, maxBytes)));
}

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

struct FileByteReader::State {
  State(const std::string& path, uint64_t maxBytes)
      : file(path), path(path), maxBytes(maxBytes), magic(readMagic(file)) {
    if (isGzip(magic))
      inflater = std::make_unique<Inflater>(file, path, magic);
    else if (file.isRegular() && file.size() > maxBytes)
      throwTooLarge(path, maxBytes, false);
  }

  // A raw file: the magic bytes already taken, then the rest.
  size_t readRaw(uint8_t* p, size_t n) {
    size_t got = 0;
    for (; got < n && magicUsed < magic.size(); ++got) p[got] = magic[magicUsed++];
    while (got < n) {
      const size_t more = file.read(p + got, n - got);
      if (more == 0) break;
      got += more;
    }
    return got;
  }

  InputFile file;
  std::string path;
  uint64_t maxBytes;
  std::vector<uint8_t> magic;
  size_t magicUsed = 0;
  std::unique_ptr<Inflater> inflater;  // for gzip
  uint64_t total = 0;
};

FileByteReader::FileByteReader(const std::string& path, uint64_t maxBytes)
    : m_state(std::make_unique<State>(path, maxBytes)) {}

FileByteReader::~FileByteReader() = default;

size_t FileByteReader::read(uint8_t* p, size_t n) {
  State& s = *m_state;
  const size_t got = s.inflater ? s.inflater->read(p, n) : s.readRaw(p, n);
  s.total += got;
  if (s.total > s.maxBytes) throwTooLarge(s.path, s.maxBytes, bool(s.inflater));
  return got;
}

uint64_t FileByteReader::sizeHint() const {
  const State& s = *m_state;
  if (!s.inflater) return s.file.isRegular() ? s.file.size() : 0;
  // The trailer states a single member's size (mod 4 GiB); a lying one cannot make us reserve
  // more than deflate can expand the file to.
  return std::min({s.file.trailerSize(), s.maxBytes, s.file.size() * MaxDeflateRatio + 64 * 1024});
}

uint64_t FileByteReader::bytesRead() const { return m_state->total; }

std::vector<uint8_t> readFileBytes(const std::string& path, uint64_t maxBytes) {
  FileByteReader reader(path, maxBytes);
  std::vector<uint8_t> out(static_cast<size_t>(reader.sizeHint()));
  size_t size = 0;
  for (;;) {
    if (size == out.size()) {  // full: grow only when there is more
      uint8_t probe = 0;
      if (reader.read(&probe, 1) == 0) break;  // read throws past the cap
      grow(out, maxBytes);
      out[size++] = probe;
    }
    const size_t n = reader.read(out.data() + size, out.size() - size);
    if (n == 0) break;
    size += n;
  }
  out.resize(size);
  return out;
}

std::vector<uint8_t> readFileHead(const std::string& path, size_t n) {
  FileByteReader reader(path, UINT64_MAX);
  std::vector<uint8_t> bytes(n);
  bytes.resize(reader.read(bytes.data(), n));
  return bytes;
}

void writeGzipFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::vector<uint8_t> compressed = gzipCompress(bytes);
  writeFileAtomically(path, compressed.data(), compressed.size());
}

}  // namespace latent
