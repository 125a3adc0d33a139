// A minimal zip reader for .npz archives held in memory: the central directory and stored or
// deflated entries. Every offset and size is checked against the archive before it is used.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace latent {

struct ZipEntry {
  std::string name;
  uint16_t flags = 0;
  uint16_t method = 0;  // 0 stored, 8 deflate
  uint32_t crc = 0;
  uint64_t compressedSize = 0;
  uint64_t size = 0;
  uint64_t dataOffset = 0;  // where the entry's (compressed) bytes start in the archive
};

/// The entries of the zip archive `zip`, in central-directory order. Local headers are checked
/// too (their sizes are not used: np.savez writes zip64 placeholders there; the central directory
/// holds the real ones). Throws latent::Error naming `path`: Format (not a zip archive, truncated,
/// an offset or size outside the file), Unsupported (zip64, split archives, encryption, a
/// compression method other than stored or deflate).
std::vector<ZipEntry> readZipDirectory(const std::vector<uint8_t>& zip, const std::string& path);

/// The bytes of one entry, inflated when deflated, exactly entry.size of them, CRC-32 checked.
/// Throws Error(TooLarge) before allocating when entry.size > maxBytes; Format when the data is
/// corrupt or does not inflate to the declared size.
std::vector<uint8_t> readZipEntry(const std::vector<uint8_t>& zip, const ZipEntry& entry,
                                  const std::string& path, uint64_t maxBytes);

}  // namespace latent
