// Cutting delimited text into pieces of whole records that can be parsed apart (in parallel), each
// with the line it starts on. Internal to core/io (the CSV loader).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace latent {

/// Whole records: text[begin, end), whose first line is firstLine.
struct TextPiece {
  size_t begin = 0, end = 0;
  int64_t firstLine = 1;
};

/// What of a text can be parsed now: `used` bytes of whole records, in pieces; the rest (a record
/// cut off by the end of the text) waits for more text.
struct ChunkPlan {
  std::vector<TextPiece> pieces;  // in order, covering [0, used)
  size_t used = 0;
  int64_t nextLine = 1;  // the line text[used] is on
};

/// Plans `text`, which starts at a record boundary on line `firstLine`; `complete` when it runs to
/// the end of the file (then all of it is used). Pieces are about `pieceBytes` long.
/// Fast when no quote and no lone '\r' lies in what is used (then a record ends at each '\n' and a
/// piece's first line is one more than the '\n's before it); otherwise the records are read once
/// to find where they end. Throws Error(Format) for a malformed quote, naming the file and line.
ChunkPlan planChunk(std::string_view text, int64_t firstLine, bool complete, char delimiter,
                    const std::string& path, size_t pieceBytes);

}  // namespace latent
