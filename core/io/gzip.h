// File reads that transparently inflate gzip, bounded by a memory cap (whole, head, or piece by
// piece), and atomic gzip writes. Loaders call these so every format accepts "name.gz" without
// knowing about zlib.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace latent {

/// Reads a file's bytes piece by piece, inflating it when it starts with the gzip magic (1f 8b;
/// concatenated members too), so a loader can stream a file larger than it wants to hold.
/// Errors as readFileBytes, thrown by the constructor (open, raw size over the cap) or by read
/// (truncated or corrupt gzip, more than `maxBytes` in all).
class FileByteReader {
 public:
  FileByteReader(const std::string& path, uint64_t maxBytes);
  ~FileByteReader();
  FileByteReader(const FileByteReader&) = delete;
  FileByteReader& operator=(const FileByteReader&) = delete;

  /// Up to `n` bytes into `p` (fewer only at the end of the data); 0 at the end.
  size_t read(uint8_t* p, size_t n);
  /// The size the whole read will likely have, for reserving: a raw regular file's size, a gzip
  /// file's stated size (bounded by what deflate can expand to and the cap), else 0.
  uint64_t sizeHint() const;
  /// Bytes returned by read so far.
  uint64_t bytesRead() const;

 private:
  struct State;  // the open file and zlib's stream: kept out of this header
  std::unique_ptr<State> m_state;
};

/// The bytes of the file at `path`. A file starting with the gzip magic (1f 8b) is inflated
/// (concatenated members too). Never holds more than `maxBytes` of output: a larger file or a
/// gzip bomb throws Error(TooLarge) naming the file before allocating past the cap.
/// Errors: Error(Io) "cannot open 'PATH': No such file or directory" (or the system's reason);
/// Error(Format) for truncated or corrupt gzip data, naming the file.
std::vector<uint8_t> readFileBytes(const std::string& path, uint64_t maxBytes);

/// The first `n` bytes of the file (inflated when it is gzip), or all of it when shorter: lets a
/// loader check a header before committing memory to the whole file. Errors as readFileBytes.
std::vector<uint8_t> readFileHead(const std::string& path, size_t n);

/// Gzip-compresses `bytes` and writes them to `path` atomically (see writeFileAtomically).
/// The gzip header carries no time stamp, so the same bytes always give the same file.
void writeGzipFile(const std::string& path, const std::vector<uint8_t>& bytes);

/// True when `bytes` starts with the gzip magic 1f 8b.
bool isGzip(const std::vector<uint8_t>& bytes);

}  // namespace latent
