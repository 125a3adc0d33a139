// TextReader: the encoding checks (byte-order marks, zero bytes, UTF-8 or else Latin-1) made on
// each piece of a file as it is read, on FileByteReader.
#include "io/textreader.h"

#include <algorithm>
#include <cstring>

#include "data/types.h"
#include "io/failure.h"
#include "io/utf8.h"

namespace latent {
namespace {

constexpr size_t ReadStep = size_t(64) << 10;

// Where a UTF-8 sequence cut off by the end of text[from, size) starts (the next bytes may
// complete it), else the size.
size_t endOfWholeSequences(const std::string& text, size_t from) {
  const size_t size = text.size();
  for (size_t back = 1; back <= 3 && back <= size - from; ++back) {
    const uint8_t b = uint8_t(text[size - back]);
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: its lead byte is further back
    const size_t needs = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return needs > back ? size - back : size;
  }
  return size;
}

}  // namespace

TextReader::TextReader(const std::string& path, uint64_t maxBytes, LoadReport& report)
    : m_path(path), m_report(report), m_bytes(path, maxBytes) {
  m_head.resize(4);
  m_head.resize(m_bytes.read(reinterpret_cast<uint8_t*>(m_head.data()), m_head.size()));
  if (m_head.empty()) failIn(Error::Code::Format, path, "the file is empty");
  const auto starts = [&](std::string_view magic) {
    return m_head.compare(0, magic.size(), magic) == 0;
  };
  if (starts("\xFF\xFE") || starts("\xFE\xFF") || starts(std::string_view("\0\0\xFE\xFF", 4)))
    failIn(Error::Code::Unsupported, path, "UTF-16/32 text; save it as UTF-8");
  if (starts("\xEF\xBB\xBF")) {
    m_head.erase(0, 3);
    m_offset = 3;
    report.addNote("UTF-8 byte-order mark skipped");
  }
}

bool TextReader::append(std::string& buffer, size_t bytes, int64_t bufferLine) {
  const size_t old = buffer.size();
  buffer += m_head;
  m_head.clear();
  // In steps, so a small file never makes the buffer larger than itself.
  bool atEnd = false;
  while (!atEnd && buffer.size() - old < bytes) {
    const size_t at = buffer.size();
    const size_t wanted = std::min(bytes - (at - old), ReadStep);
    buffer.resize(at + wanted);
    const size_t got = m_bytes.read(reinterpret_cast<uint8_t*>(buffer.data() + at), wanted);
    buffer.resize(at + got);
    atEnd = got < wanted;
  }
  refuseZeroBytes(buffer, old);
  m_offset += buffer.size() - old;
  if (m_latin1) {
    const std::string wide = latin1ToUtf8(std::string_view(buffer).substr(old));
    buffer.resize(old);
    buffer += wide;
  } else if (buffer.size() > old || (atEnd && m_unchecked > 0)) {
    checkUtf8(buffer, old - m_unchecked, atEnd, bufferLine);
  }
  return buffer.size() > old;
}

void TextReader::refuseZeroBytes(const std::string& buffer, size_t from) const {
  if (const void* nul = std::memchr(buffer.data() + from, 0, buffer.size() - from))
    failIn(Error::Code::Format, m_path,
           "binary data (a zero byte at offset " +
               std::to_string(m_offset +
                              uint64_t(static_cast<const char*>(nul) - (buffer.data() + from))) +
               "), not delimited text");
}

// Checks buffer[from, …) as UTF-8, holding back a sequence cut off at the end until the rest
// arrives; at the first invalid byte the whole buffer is re-read as Latin-1.
void TextReader::checkUtf8(std::string& buffer, size_t from, bool atEnd, int64_t bufferLine) {
  const size_t end = atEnd ? buffer.size() : endOfWholeSequences(buffer, from);
  const size_t bad = firstInvalidUtf8(buffer, from, end);
  if (bad == end) {
    m_unchecked = buffer.size() - end;
    return;
  }
  const int64_t line =
      bufferLine + std::count(buffer.begin(), buffer.begin() + ptrdiff_t(bad), '\n');
  m_report.addNote("not UTF-8 (first at line " + std::to_string(line) + "): read as Latin-1");
  buffer = latin1ToUtf8(buffer);
  m_latin1 = true;
  m_unchecked = 0;
}

}  // namespace latent
