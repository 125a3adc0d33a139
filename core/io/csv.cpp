// CSV reading in two passes over the text in memory: the first parses every number and classifies
// every column, the second (only with a label column) collects that column's text. Fields are
// views into the text, so memory stays near the file's size plus its float32 values.
#include "io/csv.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "io/gzip.h"
#include "io/table.h"

namespace latent {
namespace {

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

[[noreturn]] void fail(Error::Code code, const std::string& path, const std::string& what) {
  throw Error(code, inQuotes(path) + ": " + what);
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// ---- Encoding ---------------------------------------------------------------------------------

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

// Offset of the first byte that does not start valid UTF-8, or the size when all is valid.
size_t firstInvalidUtf8(const std::vector<uint8_t>& bytes, size_t from) {
  const uint8_t* end = bytes.data() + bytes.size();
  for (const uint8_t* p = bytes.data() + from; p < end;) {
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
    if (n == 0) return size_t(p - bytes.data());
    p += n;
  }
  return bytes.size();
}

int64_t lineAt(const std::vector<uint8_t>& bytes, size_t offset) {
  return 1 + std::count(bytes.begin(), bytes.begin() + ptrdiff_t(offset), '\n');
}

// The file's text: its own bytes when they are UTF-8 (no copy of a large file), else converted.
struct DecodedText {
  std::vector<uint8_t> bytes;
  size_t start = 0;       // after a byte-order mark
  std::string converted;  // Latin-1 read as UTF-8, when the bytes were not UTF-8
  bool isConverted = false;

  std::string_view text() const {
    if (isConverted) return converted;
    return {reinterpret_cast<const char*>(bytes.data()) + start, bytes.size() - start};
  }
};

std::string latin1ToUtf8(const std::vector<uint8_t>& bytes, size_t start) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (size_t i = start; i < bytes.size(); ++i) {
    const uint8_t b = bytes[i];
    if (b < 0x80) {
      out.push_back(char(b));
    } else {
      out.push_back(char(0xC0 | (b >> 6)));
      out.push_back(char(0x80 | (b & 0x3F)));
    }
  }
  return out;
}

// Refuses what is not text, drops a UTF-8 BOM, and reads non-UTF-8 text as Latin-1 (what Excel
// and older tools write), so a header like "Größe" still arrives as its UTF-8 spelling.
DecodedText decodeText(std::vector<uint8_t> bytes, const std::string& path, LoadReport& report) {
  if (bytes.empty()) fail(Error::Code::Format, path, "the file is empty");
  const auto starts = [&](std::initializer_list<uint8_t> magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
  };
  if (starts({0xFF, 0xFE}) || starts({0xFE, 0xFF}) || starts({0, 0, 0xFE, 0xFF}))
    fail(Error::Code::Unsupported, path, "UTF-16/32 text; save it as UTF-8");
  if (const void* nul = std::memchr(bytes.data(), 0, bytes.size()))
    fail(Error::Code::Format, path,
         "binary data (a zero byte at offset " +
             std::to_string(static_cast<const uint8_t*>(nul) - bytes.data()) +
             "), not delimited text");
  DecodedText decoded;
  decoded.start = starts({0xEF, 0xBB, 0xBF}) ? 3 : 0;
  if (decoded.start) report.addNote("UTF-8 byte-order mark skipped");
  const size_t bad = firstInvalidUtf8(bytes, decoded.start);
  if (bad != bytes.size()) {
    report.addNote("not UTF-8 (first at line " + std::to_string(lineAt(bytes, bad)) +
                   "): read as Latin-1");
    decoded.converted = latin1ToUtf8(bytes, decoded.start);
    decoded.isConverted = true;
    return decoded;
  }
  decoded.bytes = std::move(bytes);
  return decoded;
}

// ---- Tokenizer ----------------------------------------------------------------------------------

struct Field {
  std::string_view text;  // without the quotes
  bool escaped = false;   // holds "" pairs that stand for one quote
  bool quoted = false;
};

std::string fieldText(const Field& f) {
  if (!f.escaped) return std::string(f.text);
  std::string out;
  for (size_t i = 0; i < f.text.size(); ++i) {
    out.push_back(f.text[i]);
    if (f.text[i] == '"') ++i;  // the second quote of a pair
  }
  return out;
}

/// Splits text into records of fields (RFC 4180 quoting; \n, \r\n or \r line ends; blank lines
/// skipped). With ' ' as the delimiter, any run of spaces and tabs separates fields.
class RecordReader {
 public:
  /// firstLine: the line number `text` starts on (a chunk of a larger text starts further on).
  RecordReader(std::string_view text, char delimiter, const std::string& path,
               int64_t firstLine = 1)
      : m_text(text),
        m_delimiter(delimiter),
        m_spaces(delimiter == ' '),
        m_path(path),
        m_line(firstLine),
        m_recordLine(firstLine) {}

  /// The next non-blank record; false at the end. line() is then the line it starts on.
  bool next(std::vector<Field>& fields) {
    while (m_pos < m_text.size()) {
      fields.clear();
      m_recordLine = m_line;
      readRecord(fields);
      if (fields.size() > 1 || !fields[0].text.empty() || fields[0].quoted) return true;
    }
    return false;
  }
  int64_t line() const { return m_recordLine; }
  /// The line the reader stands on: where the next record starts.
  int64_t nextLine() const { return m_line; }
  size_t position() const { return m_pos; }

  /// Skips blank lines and "#" comment lines at the current position; returns the last
  /// comment's text after the "#" (np.savetxt writes its header so), or "" without one.
  std::string skipComments() {
    std::string last;
    for (;;) {
      size_t p = m_pos;
      while (p < m_text.size() && (m_text[p] == ' ' || m_text[p] == '\t')) ++p;
      if (p < m_text.size() && m_text[p] != '#' && m_text[p] != '\n' && m_text[p] != '\r') break;
      if (p >= m_text.size()) break;
      size_t end = p;
      while (end < m_text.size() && m_text[end] != '\n' && m_text[end] != '\r') ++end;
      if (m_text[p] == '#') last = std::string(m_text.substr(p + 1, end - p - 1));
      m_pos = end;
      skipLineBreak();
    }
    return last;
  }

 private:
  bool isBlank(char c) const { return c == ' ' || (c == '\t' && m_delimiter != '\t'); }
  bool isLineEnd(char c) const { return c == '\n' || c == '\r'; }
  bool isSeparator(char c) const { return m_spaces ? c == ' ' || c == '\t' : c == m_delimiter; }

  void skipBlanks() {
    while (m_pos < m_text.size() && isBlank(m_text[m_pos])) ++m_pos;
  }
  void skipLineBreak() {
    if (m_pos < m_text.size() && m_text[m_pos] == '\r') ++m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '\n') ++m_pos;
    ++m_line;
  }

  void readRecord(std::vector<Field>& fields) {
    for (;;) {
      skipBlanks();
      fields.push_back(m_pos < m_text.size() && m_text[m_pos] == '"' ? readQuoted() : readPlain());
      const size_t end = m_pos;
      skipBlanks();  // with spaces as the delimiter, these blanks are the separator
      if (m_pos >= m_text.size()) return;
      if (isLineEnd(m_text[m_pos])) return skipLineBreak();
      if (m_spaces && m_pos > end) continue;
      if (m_spaces || !isSeparator(m_text[m_pos]))
        fail(Error::Code::Format, m_path,
             "line " + std::to_string(m_line) + ": text after the closing quote of a field");
      ++m_pos;
    }
  }

  Field readPlain() {
    const size_t start = m_pos;
    while (m_pos < m_text.size() && !isSeparator(m_text[m_pos]) && !isLineEnd(m_text[m_pos]))
      ++m_pos;
    size_t end = m_pos;
    while (end > start && isBlank(m_text[end - 1])) --end;
    return {m_text.substr(start, end - start)};
  }

  Field readQuoted() {
    const int64_t openedOn = m_line;
    Field f;
    f.quoted = true;
    const size_t start = ++m_pos;
    for (;;) {
      const size_t q = m_text.find('"', m_pos);
      if (q == std::string_view::npos)
        fail(Error::Code::Format, m_path,
             "line " + std::to_string(openedOn) + ": a quoted field is never closed");
      m_line += std::count(m_text.begin() + ptrdiff_t(m_pos), m_text.begin() + ptrdiff_t(q), '\n');
      m_pos = q + 1;
      if (m_pos < m_text.size() && m_text[m_pos] == '"') {
        f.escaped = true;
        ++m_pos;
        continue;
      }
      f.text = m_text.substr(start, q - start);
      return f;
    }
  }

  std::string_view m_text;
  char m_delimiter;
  bool m_spaces;
  const std::string& m_path;
  size_t m_pos = 0;
  int64_t m_line;
  int64_t m_recordLine;
};

// ---- Values -------------------------------------------------------------------------------------

enum class TokenKind { Number, Missing, Text };

bool isMissingToken(std::string_view s) {
  static const char* const Tokens[] = {"na", "n/a", "#n/a", "nan", "null",    "none",    "nil",
                                       "?",  ".",   "-",    "--",  "missing", "#value!", "#div/0!"};
  if (s.empty()) return true;
  if (s.size() > 8) return false;
  const std::string l = lowercase(s);
  return std::any_of(std::begin(Tokens), std::end(Tokens), [&](const char* t) { return l == t; });
}

// With a decimal comma "1.234,5" is 1234.5: points group thousands, the comma is the decimal mark.
std::string_view fromDecimalComma(std::string_view s, char* buffer, size_t size) {
  size_t n = 0;
  for (char c : s) {
    if (c == '.') continue;
    if (n == size) return s;
    buffer[n++] = c == ',' ? '.' : c;
  }
  return {buffer, n};
}

// from_chars reports out-of-range without a value: tell overflow (±inf as float32) from
// underflow (0) by the exponent's sign and the integer part.
float outOfRange(std::string_view s) {
  const size_t e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  const bool negativeExponent = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
  const size_t point = mantissa.find('.');
  const std::string_view whole = mantissa.substr(0, point);
  const bool wholeIsZero = whole.find_first_of("123456789") == std::string_view::npos;
  if (negativeExponent || wholeIsZero) return 0.0f;
  return s[0] == '-' ? -INFINITY : INFINITY;
}

TokenKind classify(const Field& f, bool decimalComma, float& value) {
  std::string_view s = f.text;
  if (f.escaped) return isMissingToken(s) ? TokenKind::Missing : TokenKind::Text;
  char buffer[64];
  if (decimalComma && s.find(',') != std::string_view::npos)
    s = fromDecimalComma(s, buffer, sizeof buffer);
  const char* first = s.data() + (!s.empty() && s[0] == '+');
  double v = 0;
  const auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (!s.empty() && end == s.data() + s.size() &&
      (ec == std::errc() || ec == std::errc::result_out_of_range)) {
    if (ec != std::errc()) {
      value = outOfRange(s);
      return TokenKind::Number;
    }
    if (std::isnan(v)) return TokenKind::Missing;
    value = float(v);  // beyond float32's range: ±inf, reported as infinite
    return TokenKind::Number;
  }
  return isMissingToken(s) ? TokenKind::Missing : TokenKind::Text;
}

// ---- Dialect ------------------------------------------------------------------------------------

struct Dialect {
  char delimiter = ',';
  bool decimalComma = false;
  int fields = 1;  // the field count most rows have
};

constexpr int SampleRecords = 200;

// Field counts of the first records under `delimiter`; empty when the text does not tokenize.
std::vector<int> sampleFieldCounts(std::string_view text, char delimiter, const std::string& path) {
  std::vector<int> counts;
  try {
    RecordReader reader(text, delimiter, path);
    reader.skipComments();
    std::vector<Field> fields;
    while (counts.size() < SampleRecords && reader.next(fields))
      counts.push_back(int(fields.size()));
  } catch (const Error&) {
    counts.clear();
  }
  return counts;
}

// The most common value, and how many times it occurs.
std::pair<int, size_t> mode(const std::vector<int>& values) {
  std::map<int, size_t> n;
  for (int v : values) ++n[v];
  std::pair<int, size_t> best{0, 0};
  for (const auto& [v, count] : n)
    if (count > best.second) best = {v, count};
  return best;
}

bool looksLikeDecimalComma(std::string_view text, char delimiter, const std::string& path) {
  RecordReader reader(text, delimiter, path);
  reader.skipComments();
  std::vector<Field> fields;
  for (int r = 0; r < SampleRecords && reader.next(fields); ++r)
    for (const Field& f : fields) {
      const std::string_view s = f.text;
      const size_t comma = s.find(',');
      if (comma == std::string_view::npos || comma == 0 || comma + 1 == s.size()) continue;
      float v = 0;
      if (!std::isdigit(static_cast<unsigned char>(s[comma - 1])) ||
          !std::isdigit(static_cast<unsigned char>(s[comma + 1])))
        continue;
      if (classify(f, true, v) == TokenKind::Number) return true;
    }
  return false;
}

// The first delimiter (in order of how unlikely it is inside a value) that splits at least 90% of
// the sampled records after the first (maybe a header) into the same number (≥ 2) of fields; else
// the one that splits most records alike; else a single column.
Dialect sniffDialect(std::string_view text, const std::string& path) {
  Dialect d;
  double bestShare = 0;
  for (const char candidate : {'\t', ';', ',', '|', ' '}) {
    std::vector<int> counts = sampleFieldCounts(text, candidate, path);
    if (counts.size() > 1) counts.erase(counts.begin());
    const auto [fields, n] = mode(counts);
    const double share = counts.empty() ? 0.0 : double(n) / double(counts.size());
    if (fields < 2 || share <= bestShare) continue;
    d.delimiter = candidate;
    d.fields = fields;
    bestShare = share;
    if (share >= 0.9) break;
  }
  if (bestShare == 0) d.fields = std::max(1, mode(sampleFieldCounts(text, ',', path)).first);
  d.decimalComma = d.delimiter != ',' && looksLikeDecimalComma(text, d.delimiter, path);
  return d;
}

std::string describeDelimiter(char c) {
  switch (c) {
    case '\t':
      return "tab";
    case ' ':
      return "spaces";
    default:
      return std::string("'") + c + "'";
  }
}

// ---- Columns ------------------------------------------------------------------------------------

struct Column {
  std::string name;
  int number = 0;  // 1-based field number
  int64_t numbers = 0, missing = 0, texts = 0;
  bool integral = true;  // every number is a whole number
  int64_t firstTextLine = 0;
  std::string firstText;
  enum class Role { Feature, Label, Ignored } role = Role::Feature;
};

struct ParsedText {
  Dialect dialect;
  bool header = false;
  int64_t headerLine = 0;
  std::vector<Column> columns;
  std::vector<float> values;      // rows × columns.size(), row-major, NaN where not a number
  std::vector<int64_t> rowLines;  // per row
};

std::string columnName(const Column& c) {
  return "column " + std::to_string(c.number) +
         (c.name.empty() ? "" : " (" + inQuotes(c.name) + ")");
}

bool hasNumbers(const std::vector<std::vector<Field>>& sample, size_t column, bool decimalComma) {
  float v = 0;
  return std::any_of(sample.begin(), sample.end(), [&](const std::vector<Field>& r) {
    return column < r.size() && classify(r[column], decimalComma, v) == TokenKind::Number;
  });
}

// The first record is a header when a field of it is text above a column that holds numbers.
bool detectHeader(const std::vector<Field>& first, const std::vector<std::vector<Field>>& sample,
                  bool decimalComma) {
  float v = 0;
  for (size_t c = 0; c < first.size(); ++c)
    if (classify(first[c], decimalComma, v) == TokenKind::Text &&
        hasNumbers(sample, c, decimalComma))
      return true;
  return false;
}

// Fits the header's names to the rows' field count: R's write.csv leaves out the row-name
// column's name; a trailing delimiter adds an empty field on one side only.
std::vector<std::string> fitNames(std::vector<std::string> names, int fields,
                                  const std::vector<std::vector<Field>>& sample, int64_t headerLine,
                                  const std::string& path, LoadReport& report) {
  if (int(names.size()) == fields + 1 && names.back().empty()) names.pop_back();
  if (int(names.size()) + 1 == fields) {
    const bool lastEmpty = std::all_of(sample.begin(), sample.end(), [&](const auto& r) {
      return int(r.size()) != fields || r.back().text.empty();
    });
    if (lastEmpty) {
      names.emplace_back();
    } else {
      names.insert(names.begin(), "");
      report.addNote(
          "the header names one column fewer than the rows hold: the first column "
          "is taken as row names");
    }
  }
  if (int(names.size()) != fields)
    fail(Error::Code::Format, path,
         "the header (line " + std::to_string(headerLine) + ") has " +
             std::to_string(names.size()) + " fields but the rows have " + std::to_string(fields));
  return names;
}

void parseRecord(const std::vector<Field>& fields, ParsedText& p, int64_t line) {
  for (size_t c = 0; c < fields.size(); ++c) {
    Column& col = p.columns[c];
    float v = NAN;
    switch (classify(fields[c], p.dialect.decimalComma, v)) {
      case TokenKind::Number:
        ++col.numbers;
        col.integral = col.integral && v == std::floor(v);
        break;
      case TokenKind::Missing:
        ++col.missing;
        v = NAN;
        break;
      case TokenKind::Text:
        if (col.texts++ == 0) col.firstTextLine = line, col.firstText = fieldText(fields[c]);
        v = NAN;
        break;
    }
    p.values.push_back(v);
  }
}

// Reads every record: numbers into p.values, ragged rows into `ragged`. `valuesSoFar` counts the
// values of every reader sharing the memory cap.
void parseRecords(RecordReader& reader, ParsedText& p, std::vector<RaggedRow>& ragged,
                  std::atomic<uint64_t>& valuesSoFar, const std::string& path,
                  const LoadOptions& options) {
  std::vector<Field> fields;
  const size_t width = p.columns.size();
  while (reader.next(fields)) {
    if (fields.size() != width) {
      ragged.push_back({reader.line(), int(fields.size())});
      continue;
    }
    if ((valuesSoFar.fetch_add(width) + width) * sizeof(float) > options.maxBytes)
      fail(Error::Code::TooLarge, path,
           "its values need more than the memory cap of " + std::to_string(options.maxBytes) +
               " bytes as float32");
    parseRecord(fields, p, reader.line());
    p.rowLines.push_back(reader.line());
  }
}

// Chunks of `text` that can be parsed apart: they start right after a '\n'. Only when no field
// can span lines (no quote anywhere) and every line break holds one '\n' (no lone '\r'), so a
// chunk's first line number is 1 + the '\n's before it. One chunk otherwise, or for small texts.
std::vector<size_t> chunkStarts(std::string_view text, size_t from) {
  constexpr size_t MinChunkBytes = size_t(1) << 20;
  const size_t rest = text.size() - from;
  const size_t chunks = std::min<size_t>(rest / MinChunkBytes, 64);
  std::vector<size_t> starts{from};
  if (chunks < 2 || text.find('"', from) != std::string_view::npos) return starts;
  for (size_t r = text.find('\r', from); r != std::string_view::npos; r = text.find('\r', r + 1))
    if (r + 1 >= text.size() || text[r + 1] != '\n') return starts;
  for (size_t k = 1; k < chunks; ++k) {
    const size_t nl = text.find('\n', from + rest * k / chunks);
    if (nl == std::string_view::npos || nl + 1 >= text.size()) break;
    if (nl + 1 > starts.back()) starts.push_back(nl + 1);
  }
  return starts;
}

// Adds a chunk's counts to the whole: the earliest text cell stays the one reported.
void mergeColumns(std::vector<Column>& into, const std::vector<Column>& chunk) {
  for (size_t c = 0; c < into.size(); ++c) {
    Column& a = into[c];
    const Column& b = chunk[c];
    if (a.texts == 0 && b.texts > 0) a.firstTextLine = b.firstTextLine, a.firstText = b.firstText;
    a.numbers += b.numbers;
    a.missing += b.missing;
    a.texts += b.texts;
    a.integral = a.integral && b.integral;
  }
}

// The records after the reader's position, in parallel chunks when the text allows it (see
// chunkStarts); the result is the same as reading them in order.
void parseRemainingRecords(const RecordReader& reader, std::string_view text, ParsedText& p,
                           const std::string& path, const LoadOptions& options,
                           LoadReport& report) {
  const std::vector<size_t> starts = chunkStarts(text, reader.position());
  std::atomic<uint64_t> valuesSoFar{p.values.size()};
  if (starts.size() == 1) {
    RecordReader rest = reader;
    std::vector<RaggedRow> ragged;
    parseRecords(rest, p, ragged, valuesSoFar, path, options);
    for (const RaggedRow& r : ragged) report.addRagged(r);
    return;
  }
  const size_t n = starts.size();
  std::vector<int64_t> firstLines(n, reader.nextLine());
  for (size_t k = 1; k < n; ++k)
    firstLines[k] = firstLines[k - 1] + std::count(text.begin() + ptrdiff_t(starts[k - 1]),
                                                   text.begin() + ptrdiff_t(starts[k]), '\n');
  std::vector<ParsedText> parts(n);
  std::vector<std::vector<RaggedRow>> ragged(n);
  const double valuesPerByte = double(p.values.capacity()) / double(text.size());
  tbb::parallel_for(size_t(0), n, [&](size_t k) {
    const size_t end = k + 1 < n ? starts[k + 1] : text.size();
    ParsedText& part = parts[k];
    part.dialect = p.dialect;
    part.columns.resize(p.columns.size());
    part.values.reserve(size_t(valuesPerByte * double(end - starts[k])));
    RecordReader chunk(text.substr(starts[k], end - starts[k]), p.dialect.delimiter, path,
                       firstLines[k]);
    parseRecords(chunk, part, ragged[k], valuesSoFar, path, options);
  });
  for (size_t k = 0; k < n; ++k) {
    mergeColumns(p.columns, parts[k].columns);
    p.values.insert(p.values.end(), parts[k].values.begin(), parts[k].values.end());
    p.rowLines.insert(p.rowLines.end(), parts[k].rowLines.begin(), parts[k].rowLines.end());
    for (const RaggedRow& r : ragged[k]) report.addRagged(r);
    parts[k] = {};  // frees the chunk's values as the whole grows
  }
}

void refuseRagged(const std::string& path, const LoadReport& report) {
  std::string lines;
  for (size_t i = 0; i < report.raggedRows.size() && i < 10; ++i)
    lines += (i ? ", line " : "line ") + std::to_string(report.raggedRows[i].line) + " has " +
             std::to_string(report.raggedRows[i].fields);
  if (report.raggedRowCount > 10)
    lines += " … and " + std::to_string(report.raggedRowCount - 10) + " more";
  fail(Error::Code::Format, path,
       std::to_string(report.raggedRowCount) + " ragged row" +
           (report.raggedRowCount == 1 ? "" : "s") + " (rows should have " +
           std::to_string(report.expectedFields) + " fields): " + lines +
           ". Fix them, or choose to drop those rows");
}

// The records after the first (up to SampleRecords): they decide the header and the names. Also
// reserves the values vector for what the sample's density predicts, so it rarely regrows.
std::vector<std::vector<Field>> sampleAhead(const RecordReader& reader, std::string_view text,
                                            ParsedText& p, const LoadOptions& options) {
  std::vector<std::vector<Field>> sample;
  RecordReader ahead = reader;
  std::vector<Field> f;
  while (sample.size() < SampleRecords && ahead.next(f)) sample.push_back(f);
  const double perRecord = double(ahead.position() - reader.position() + 1) / (sample.size() + 1);
  const double expected = 1.05 * double(text.size()) / perRecord * double(p.dialect.fields);
  p.values.reserve(size_t(std::min(expected, double(options.maxBytes / sizeof(float)))));
  return sample;
}

// Column names: the header row's, else those of a "#" comment line right before the data (as
// np.savetxt writes them), else none.
std::vector<std::string> columnNames(const std::vector<Field>& first, int64_t firstLine,
                                     const std::string& comment, int fields,
                                     const std::vector<std::vector<Field>>& sample,
                                     const ParsedText& p, const std::string& path,
                                     LoadReport& report) {
  std::vector<std::string> names;
  if (p.header) {
    for (const Field& f : first) names.push_back(fieldText(f));
    return fitNames(std::move(names), fields, sample, firstLine, path, report);
  }
  names.resize(size_t(fields));
  RecordReader c(comment, p.dialect.delimiter, path);
  std::vector<Field> f;
  if (!comment.empty() && c.next(f) && int(f.size()) == fields) {
    for (int i = 0; i < fields; ++i) names[size_t(i)] = fieldText(f[size_t(i)]);
    report.addNote("column names from the comment line before the data");
  }
  return names;
}

ParsedText parseText(std::string_view text, const std::string& path, const LoadOptions& options,
                     LoadReport& report) {
  ParsedText p;
  p.dialect = sniffDialect(text, path);
  RecordReader reader(text, p.dialect.delimiter, path);
  const std::string comment = reader.skipComments();
  std::vector<Field> first;
  if (!reader.next(first)) fail(Error::Code::Format, path, "no data: the file holds no rows");
  const int64_t firstLine = reader.line();
  const std::vector<std::vector<Field>> sample = sampleAhead(reader, text, p, options);
  p.header = options.header == HeaderRow::Auto ? detectHeader(first, sample, p.dialect.decimalComma)
                                               : options.header == HeaderRow::Present;
  if (p.header) p.headerLine = firstLine;
  const int fields = sample.empty() ? int(first.size()) : p.dialect.fields;
  const std::vector<std::string> names =
      columnNames(first, firstLine, comment, fields, sample, p, path, report);
  for (int i = 0; i < fields; ++i) {
    Column c;
    c.name = names[size_t(i)];
    c.number = i + 1;
    p.columns.push_back(std::move(c));
  }
  report.expectedFields = fields;
  if (!p.header && int(first.size()) == fields) {  // the first record is data
    parseRecord(first, p, firstLine);
    p.rowLines.push_back(firstLine);
  } else if (!p.header) {
    report.addRagged({firstLine, int(first.size())});
  }
  parseRemainingRecords(reader, text, p, path, options, report);
  if (report.raggedRowCount > 0 && options.missing == MissingPolicy::Report)
    refuseRagged(path, report);
  return p;
}

// ---- Column roles -------------------------------------------------------------------------------

bool nameIn(const std::string& name, std::initializer_list<const char*> names) {
  const std::string l = lowercase(name);
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return l == n; });
}

bool isLabelName(const std::string& name, bool timeSeries) {
  return nameIn(name, {"label", "labels", "class", "classes", "target", "y"}) ||
         (timeSeries && nameIn(name, {"anomaly", "anomalies", "is_anomaly", "anomalous", "outlier",
                                      "is_outlier"}));
}

bool isTextColumn(const Column& c) { return c.numbers == 0 && c.texts > 0; }

// An unnamed (or "index"/"id") column counting 0..N-1 or 1..N: a row index pandas or R wrote.
bool isIndexColumn(const ParsedText& p, size_t c) {
  const Column& col = p.columns[c];
  if (!p.header || col.missing || col.texts || !nameIn(col.name, {"", "unnamed: 0", "index", "id"}))
    return false;
  const size_t width = p.columns.size(), rows = p.rowLines.size();
  if (rows < 2) return false;
  const float start = p.values[c];
  if (start != 0 && start != 1) return false;
  for (size_t r = 0; r < rows; ++r)
    if (p.values[r * width + c] != start + float(r)) return false;
  return true;
}

int findLabelByOption(const ParsedText& p, const std::string& wanted, const std::string& path) {
  for (const Column& c : p.columns)
    if (!c.name.empty() && lowercase(c.name) == lowercase(wanted)) return c.number - 1;
  int number = 0;
  const auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), number);
  if (ec == std::errc() && end == wanted.data() + wanted.size() && number >= 1 &&
      number <= int(p.columns.size()))
    return number - 1;
  std::string names;
  for (const Column& c : p.columns)
    if (!c.name.empty()) names += (names.empty() ? "" : ", ") + inQuotes(c.name);
  fail(Error::Code::InvalidArgument, path,
       "no label column " + inQuotes(wanted) + " (columns: " +
           (names.empty() ? "none named; give a number 1.." + std::to_string(p.columns.size())
                          : names) +
           ")");
}

// The label column's index, or -1.
int chooseLabel(const ParsedText& p, const LoadOptions& options, const std::string& path) {
  if (options.noLabelColumn) return -1;
  if (!options.labelColumn.empty()) return findLabelByOption(p, options.labelColumn, path);
  const bool timeSeries = options.windowLength > 0;
  for (size_t c = 0; c < p.columns.size(); ++c) {
    const Column& col = p.columns[c];
    if (isLabelName(col.name, timeSeries) && (col.texts > 0 || (col.numbers > 0 && col.integral)))
      return int(c);
  }
  if (timeSeries) return -1;  // a text column in a time series is more likely a time stamp
  int found = -1;
  for (size_t c = 0; c < p.columns.size(); ++c)
    if (isTextColumn(p.columns[c])) {
      if (found >= 0) return -1;  // several: no guess
      found = int(c);
    }
  return found;
}

void assignRoles(ParsedText& p, const LoadOptions& options, const std::string& path,
                 LoadReport& report) {
  const int label = chooseLabel(p, options, path);
  const bool timeSeries = options.windowLength > 0;
  std::string ignored;
  for (size_t c = 0; c < p.columns.size(); ++c) {
    Column& col = p.columns[c];
    std::string why;
    if (int(c) == label)
      col.role = Column::Role::Label;
    else if (isTextColumn(col))
      why = "text";
    else if (col.numbers == 0)
      why = "no values";
    else if (isIndexColumn(p, c))
      why = "a row index";
    else if (timeSeries && nameIn(col.name, {"time", "timestamp", "date", "datetime", "t", "ts"}))
      why = "time stamps";
    else if (col.texts > 0)
      fail(Error::Code::Format, path,
           "line " + std::to_string(col.firstTextLine) + ", " + columnName(col) + ": " +
               inQuotes(col.firstText) + " is not a number (the column's other values are)");
    if (why.empty()) continue;
    col.role = Column::Role::Ignored;
    ignored += (ignored.empty() ? "" : ", ") + columnName(col) + ": " + why;
  }
  if (!ignored.empty()) report.addNote("ignored " + ignored);
}

// ---- Assembly -----------------------------------------------------------------------------------

std::vector<std::string> labelTexts(std::string_view text, const ParsedText& p, int column,
                                    const std::string& path) {
  RecordReader reader(text, p.dialect.delimiter, path);
  reader.skipComments();
  std::vector<Field> fields;
  std::vector<std::string> out;
  out.reserve(p.rowLines.size());
  size_t row = 0;
  while (row < p.rowLines.size() && reader.next(fields)) {
    if (reader.line() != p.rowLines[row]) continue;  // the header or a ragged row
    std::string s = fieldText(fields[size_t(column)]);
    out.push_back(isMissingToken(s) ? std::string() : std::move(s));
    ++row;
  }
  return out;
}

Table toTable(ParsedText& p, std::string_view text, const std::string& path) {
  Table t;
  t.where = inQuotes(path);
  t.rows = int64_t(p.rowLines.size());
  const size_t width = p.columns.size();
  std::vector<size_t> keep;
  for (size_t c = 0; c < width; ++c) {
    const Column& col = p.columns[c];
    if (col.role == Column::Role::Label) {
      t.hasLabels = true;
      t.labelName = col.name;
      t.labelColumnNumber = col.number;
      t.labelSource = columnName(col);
      t.labelText = labelTexts(text, p, int(c), path);
    }
    if (col.role != Column::Role::Feature) continue;
    keep.push_back(c);
    t.columnNames.push_back(col.name);
    t.columnNumbers.push_back(col.number);
  }
  t.columns = int(keep.size());
  // Compacts in place: row r's kept values move to r * keep.size(), never ahead of the reads.
  size_t out = 0;
  for (int64_t r = 0; r < t.rows; ++r)
    for (size_t c : keep) p.values[out++] = p.values[size_t(r) * width + c];
  p.values.resize(out);  // no shrink_to_fit: it would copy the whole table once more
  t.values = std::move(p.values);
  t.rowNumbers = std::move(p.rowLines);
  return t;
}

void noteLayout(const ParsedText& p, LoadReport& report) {
  std::string s = "delimiter " + describeDelimiter(p.dialect.delimiter);
  if (p.dialect.decimalComma) s += ", decimal comma";
  s += p.header ? ", header on line " + std::to_string(p.headerLine) : ", no header row";
  s += ", " + std::to_string(p.rowLines.size()) + " rows of " + std::to_string(p.columns.size()) +
       " fields";
  report.addNote(s);
}

}  // namespace

LoadResult loadCsv(const std::string& path, const LoadOptions& options) {
  LoadResult result;
  LoadReport& report = result.report;
  report.format = options.windowLength > 0 ? "time-series CSV" : "CSV";
  DecodedText decoded = decodeText(readFileBytes(path, options.maxBytes), path, report);
  const std::string_view text = decoded.text();
  ParsedText p = parseText(text, path, options, report);
  noteLayout(p, report);
  assignRoles(p, options, path, report);
  if (std::none_of(p.columns.begin(), p.columns.end(),
                   [](const Column& c) { return c.role == Column::Role::Feature; }))
    fail(Error::Code::Format, path, "no numeric columns to use as features");
  Table table = toTable(p, text, path);
  decoded = {};  // the text is parsed: free it before the samples matrix is built
  result.data = tableToDataset(std::move(table), options, report);
  result.data.name = std::filesystem::path(path).filename().string();
  result.data.sourcePath = path;
  return result;
}

}  // namespace latent
