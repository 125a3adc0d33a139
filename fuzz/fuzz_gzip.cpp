// Fuzz target: readFileBytes and readFileHead, the whole-file reader every loader uses, on raw
// and (mostly) gzip input: truncated streams, bad headers, concatenated members, bombs.
// On success: a raw file reads back unchanged, and the head is a prefix of the whole file.
#include <algorithm>

#include "data/types.h"
#include "fuzzinput.h"
#include "io/gzip.h"

namespace {
constexpr uint64_t Cap = 1 << 20;  // small, so the cap and the bomb check are reached
constexpr size_t Head = 16;        // an IDX header's worth
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::writeScratch("blob.gz", data, size);
  std::vector<uint8_t> whole, head;
  bool wholeOk = false, headOk = false;
  try {
    whole = latent::readFileBytes(path, Cap);
    wholeOk = true;
    fuzz::require(whole.size() <= Cap, "readFileBytes stays within its cap");
    if (!latent::isGzip(std::vector<uint8_t>(data, data + std::min<size_t>(size, 2))))
      fuzz::require(whole == std::vector<uint8_t>(data, data + size), "a raw file reads as is");
  } catch (const latent::Error&) {
  }
  try {
    head = latent::readFileHead(path, Head);
    headOk = true;
    fuzz::require(head.size() <= Head, "readFileHead returns at most n bytes");
  } catch (const latent::Error&) {
  }
  if (wholeOk && headOk) {
    fuzz::require(head.size() == std::min(Head, whole.size()), "the head is as long as it can be");
    fuzz::require(std::equal(head.begin(), head.end(), whole.begin()),
                  "the head is a prefix of the whole file");
  }
  return 0;
}
