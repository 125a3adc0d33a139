// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), Latin-1
// and UTF-32 to UTF-8.
#include "io/utf8.h"

#include <cstdint>
#include <cstring>

namespace latent {
namespace {

// Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one.
size_t utf8Length(const uint8_t* p, const uint8_t* end) {
  const uint8_t b = p[0];
  size_t n = b < 0x80                 ? 1
             : b >= 0xC2 && b <= 0xDF ? 2
             : b >= 0xE0 && b <= 0xEF ? 3
             : b >= 0xF0 && b <= 0xF4 ? 4
                                      : 0;
  if (n == 0 || size_t(end - p) < n) return 0;
  for (size_t i = 1; i < n; ++i)
    if ((p[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F))) return 0;
  if (n == 4 && ((b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] > 0x8F))) return 0;
  return n;
}

}  // namespace

size_t firstInvalidUtf8(std::string_view text, size_t from, size_t to) {
  const uint8_t* begin = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = begin + to;
  for (const uint8_t* p = begin + from; p < end;) {
    uint64_t word;  // eight ASCII bytes at a time: most files are all ASCII
    if (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) {
      p += 8;
      continue;
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const size_t n = utf8Length(p, end);
    if (n == 0) return size_t(p - begin);
    p += n;
  }
  return to;
}

std::string latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) {
    const uint8_t b = uint8_t(c);
    if (b < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(char(0xC0 | (b >> 6)));
      out.push_back(char(0x80 | (b & 0x3F)));
    }
  }
  return out;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(char(c));
  } else if (c < 0x800) {
    out.push_back(char(0xC0 | (c >> 6)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(char(0xE0 | (c >> 12)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (c >> 18)));
    out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  }
}

}  // namespace latent
