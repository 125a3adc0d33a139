// .npy version 1.0 writer: magic, header dict padded to 64 bytes, raw little-endian float32.
#include "io/npy.h"

#include <cstring>
#include <vector>

#include "io/atomicfile.h"

namespace latent {

void writeNpyTransposed(const std::string& path, const Matrix& columns) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(columns.cols()) + ", " + std::to_string(columns.rows()) +
                       "), }";
  const size_t preamble = 10;  // magic (6) + version (2) + header length (2)
  const size_t total = (preamble + header.size() + 1 + 63) / 64 * 64;
  header.append(total - preamble - header.size() - 1, ' ');
  header.push_back('\n');
  std::vector<uint8_t> bytes = {0x93,
                                'N',
                                'U',
                                'M',
                                'P',
                                'Y',
                                1,
                                0,
                                uint8_t(header.size() & 0xff),
                                uint8_t(header.size() >> 8)};
  bytes.insert(bytes.end(), header.begin(), header.end());
  // C order of the (samples, features) array = the core's column-major (features, samples) data.
  const size_t payload = size_t(columns.size()) * sizeof(float);
  const size_t offset = bytes.size();
  bytes.resize(offset + payload);
  std::memcpy(bytes.data() + offset, columns.data(), payload);
  writeFileAtomically(path, bytes.data(), bytes.size());
}

}  // namespace latent
