// Whole-file reads that transparently inflate gzip, bounded by a memory cap, and atomic gzip
// writes. Loaders call readFileBytes so every format accepts "name.gz" without knowing about zlib.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace latent {

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
