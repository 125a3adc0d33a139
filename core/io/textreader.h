// A text file (raw or .gz) read as UTF-8 piece by piece, so a loader never holds the whole text:
// the encoding checks the CSV loader makes, applied as the bytes arrive. Internal to core/io.
#pragma once

#include <cstdint>
#include <string>

#include "io/gzip.h"
#include "io/loadoptions.h"

namespace latent {

/// Reads delimited text as UTF-8: a UTF-8 byte-order mark is skipped (noted), UTF-16/32 and
/// binary data (a zero byte) are refused, and text that is not UTF-8 is read as Latin-1 (what
/// Excel and older tools write; noted with the first line that is not UTF-8), so "Größe" always
/// arrives in its UTF-8 spelling. The first invalid byte switches the rest of the file to Latin-1,
/// including text read but not yet used.
class TextReader {
 public:
  /// Opens the file and checks how it starts. Throws Error naming the file: Io, TooLarge (a raw
  /// file over `maxBytes`), Format (empty), Unsupported (UTF-16/32).
  TextReader(const std::string& path, uint64_t maxBytes, LoadReport& report);

  /// Appends about `bytes` more text to `buffer` (more when Latin-1 bytes widen); false at the end
  /// of the file, with nothing appended. `buffer` holds text not yet used, starting on line
  /// `bufferLine`; when the file turns out not to be UTF-8 it is converted whole. Its last few
  /// bytes may be an incomplete UTF-8 sequence, checked when the rest arrives.
  /// Throws Error: Format (a zero byte, with its offset; truncated or corrupt gzip), TooLarge.
  bool append(std::string& buffer, size_t bytes, int64_t bufferLine);

  /// The text's likely size in bytes, for reserving (0 when unknown).
  uint64_t sizeHint() const { return m_bytes.sizeHint(); }

 private:
  void refuseZeroBytes(const std::string& buffer, size_t from) const;
  void checkUtf8(std::string& buffer, size_t from, bool atEnd, int64_t bufferLine);

  std::string m_path;
  LoadReport& m_report;
  FileByteReader m_bytes;
  std::string m_head;      // the first bytes, read to check the encoding, not yet appended
  uint64_t m_offset = 0;   // the file offset of the next byte appended
  bool m_latin1 = false;   // the text is not UTF-8: every byte is a Latin-1 character
  size_t m_unchecked = 0;  // bytes at the end of the buffer not yet checked as UTF-8
};

}  // namespace latent
