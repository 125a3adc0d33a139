// planChunk: where a piece of delimited text can be cut into records that parse apart.
#include "io/csvchunks.h"

#include <algorithm>

#include "io/csvrecords.h"

namespace latent {
namespace {

constexpr size_t MaxPieces = 64;

size_t pieceCount(size_t bytes, size_t pieceBytes) {
  return std::clamp<size_t>(bytes / std::max<size_t>(pieceBytes, 1), 1, MaxPieces);
}

// True when every '\r' in text is followed by '\n': each line break then holds one '\n'.
bool noLoneCarriageReturn(std::string_view text) {
  for (size_t r = text.find('\r'); r != std::string_view::npos; r = text.find('\r', r + 1))
    if (r + 1 >= text.size() || text[r + 1] != '\n') return false;
  return true;
}

int64_t countNewlines(std::string_view text, size_t begin, size_t end) {
  return std::count(text.begin() + ptrdiff_t(begin), text.begin() + ptrdiff_t(end), '\n');
}

// No field spans lines: cut right after '\n's near equal shares of text[0, used).
ChunkPlan planByNewlines(std::string_view text, size_t used, int64_t firstLine, size_t pieceBytes) {
  ChunkPlan plan;
  plan.used = used;
  const size_t n = pieceCount(used, pieceBytes);
  std::vector<size_t> starts{0};
  for (size_t k = 1; k < n; ++k) {
    const size_t nl = text.find('\n', used * k / n);
    if (nl == std::string_view::npos || nl + 1 >= used) break;
    if (nl + 1 > starts.back()) starts.push_back(nl + 1);
  }
  int64_t line = firstLine;
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t end = k + 1 < starts.size() ? starts[k + 1] : used;
    plan.pieces.push_back({starts[k], end, line});
    line += countNewlines(text, starts[k], end);
  }
  plan.nextLine = line;
  return plan;
}

// Reads the records to find where they end (quoted fields may hold line breaks, lone '\r's end
// lines), cutting a piece at the first record end past each share of the text.
ChunkPlan planByRecords(std::string_view text, int64_t firstLine, bool complete, char delimiter,
                        const std::string& path, size_t pieceBytes) {
  ChunkPlan plan;
  RecordReader reader(text, delimiter, path, firstLine, complete);
  const size_t n = pieceCount(text.size(), pieceBytes);
  size_t nextCut = text.size() / n;
  plan.pieces.push_back({0, 0, firstLine});
  std::vector<Field> fields;
  while (reader.next(fields)) {
    if (reader.position() < nextCut || reader.position() >= text.size()) continue;
    plan.pieces.back().end = reader.position();
    plan.pieces.push_back({reader.position(), 0, reader.nextLine()});
    nextCut = reader.position() + text.size() / n;
  }
  plan.used = reader.position();
  plan.nextLine = reader.nextLine();
  plan.pieces.back().end = plan.used;
  if (plan.pieces.back().begin == plan.used) plan.pieces.pop_back();
  return plan;
}

}  // namespace

ChunkPlan planChunk(std::string_view text, int64_t firstLine, bool complete, char delimiter,
                    const std::string& path, size_t pieceBytes) {
  size_t used = text.size();
  if (!complete) {
    const size_t nl = text.rfind('\n');
    used = nl == std::string_view::npos ? 0 : nl + 1;
  }
  const std::string_view whole = text.substr(0, used);
  if (used > 0 && whole.find('"') == std::string_view::npos && noLoneCarriageReturn(whole))
    return planByNewlines(text, used, firstLine, pieceBytes);
  return planByRecords(text, firstLine, complete, delimiter, path, pieceBytes);
}

}  // namespace latent
