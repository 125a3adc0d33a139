// CSV reading as a stream: the file is read in chunks of a few MB (never the whole text), each cut
// at a record boundary into pieces parsed in parallel, and the numbers go straight into the
// matrix that becomes the Dataset's samples. The dialect and header are sniffed from the first
// chunk; the text of columns that may be the labels is kept as it goes by.
#include "io/csv.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include "io/csvchunks.h"
#include "io/csvrecords.h"
#include "io/failure.h"
#include "io/table.h"
#include "io/textreader.h"

namespace latent {
namespace {

// Text is read this much at a time; the first read goes on until it holds enough records to
// sniff the dialect and header from (see readHead).
constexpr size_t ChunkBytes = size_t(4) << 20;
constexpr size_t MaxHeadBytes = size_t(16) << 20;
// Pieces of a chunk parsed in parallel; smaller files are parsed in one piece.
constexpr size_t PieceBytes = size_t(512) << 10;

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

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
// `complete`: the text is the whole file, else its start (a record cut off at its end is left out).
std::vector<int> sampleFieldCounts(std::string_view text, char delimiter, const std::string& path,
                                   bool complete) {
  std::vector<int> counts;
  try {
    RecordReader reader(text, delimiter, path, 1, complete);
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

bool looksLikeDecimalComma(std::string_view text, char delimiter, const std::string& path,
                           bool complete) {
  RecordReader reader(text, delimiter, path, 1, complete);
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
Dialect sniffDialect(std::string_view text, const std::string& path, bool complete) {
  Dialect d;
  double bestShare = 0;
  for (const char candidate : {'\t', ';', ',', '|', ' '}) {
    std::vector<int> counts = sampleFieldCounts(text, candidate, path, complete);
    if (counts.size() > 1) counts.erase(counts.begin());
    const auto [fields, n] = mode(counts);
    const double share = counts.empty() ? 0.0 : double(n) / double(counts.size());
    if (fields < 2 || share <= bestShare) continue;
    d.delimiter = candidate;
    d.fields = fields;
    bestShare = share;
    if (share >= 0.9) break;
  }
  if (bestShare == 0)
    d.fields = std::max(1, mode(sampleFieldCounts(text, ',', path, complete)).first);
  d.decimalComma = d.delimiter != ',' && looksLikeDecimalComma(text, d.delimiter, path, complete);
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

// Whether a column's text cells are kept as rows go by, for labels (see chooseLabel).
enum class KeepText : uint8_t {
  No,
  UntilANumber,  // a text column may be the labels; one holding a number no longer may
  Always,        // named as the labels (by the user or a label name)
};

/// One column's text cells, one per row ("" for a missing one), packed in one string.
struct TextCells {
  std::string chars;
  std::vector<size_t> ends;  // cell r is chars[ends[r - 1], ends[r])

  void add(std::string_view cell) {
    chars.append(cell);
    ends.push_back(chars.size());
  }
  void append(const TextCells& more) {
    const size_t offset = chars.size();
    chars.append(more.chars);
    for (size_t e : more.ends) ends.push_back(offset + e);
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    out.reserve(ends.size());
    for (size_t r = 0, begin = 0; r < ends.size(); begin = ends[r++])
      out.emplace_back(chars, begin, ends[r] - begin);
    return out;
  }
};

/// What some consecutive records hold: what a piece of text parses into before it joins the rest.
struct ParsedRows {
  std::vector<float> values;      // rows × columns, row-major, NaN where not a number
  std::vector<int64_t> rowLines;  // per row
  std::vector<Column> columns;    // the counts only
  std::vector<RaggedRow> ragged;
  std::vector<KeepText> keepText;  // per column
  std::vector<TextCells> texts;    // per column, where keepText says so
};

struct ParsedText {
  Dialect dialect;
  bool header = false;
  int64_t headerLine = 0;
  std::vector<Column> columns;
  // columns.size() × capacity: row r (one per matrix column) holds the fields of the r-th row
  // read, NaN where not a number. Grown in large steps by realloc, so it is never copied whole;
  // what is not yet filled is not yet in memory.
  Matrix values;
  int64_t rows = 0;
  std::vector<int64_t> rowLines;  // per row
  std::vector<KeepText> keepText;
  std::vector<TextCells> texts;
  double valuesPerByte = 0;  // of text, as the first rows hold them: for reserving
  int64_t maxRows = 0;       // what the memory cap allows
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
    failIn(Error::Code::Format, path,
           "the header (line " + std::to_string(headerLine) + ") has " +
               std::to_string(names.size()) + " fields but the rows have " +
               std::to_string(fields));
  return names;
}

// A new, empty part for rows of `p` to be read into.
ParsedRows newPart(const ParsedText& p) {
  ParsedRows part;
  part.columns.resize(p.columns.size());
  part.keepText = p.keepText;
  part.texts.resize(p.columns.size());
  return part;
}

void keepCellText(const Field& f, TokenKind kind, KeepText& keep, TextCells& cells) {
  if (kind == TokenKind::Number && keep == KeepText::UntilANumber) {
    keep = KeepText::No;
    cells = {};
    return;
  }
  if (!f.escaped) return cells.add(isMissingToken(f.text) ? std::string_view() : f.text);
  const std::string s = fieldText(f);
  cells.add(isMissingToken(s) ? std::string_view() : std::string_view(s));
}

void parseRecord(const std::vector<Field>& fields, bool decimalComma, ParsedRows& part,
                 int64_t line) {
  for (size_t c = 0; c < fields.size(); ++c) {
    Column& col = part.columns[c];
    float v = NAN;
    const TokenKind kind = classify(fields[c], decimalComma, v);
    switch (kind) {
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
    part.values.push_back(v);
    if (part.keepText[c] != KeepText::No)
      keepCellText(fields[c], kind, part.keepText[c], part.texts[c]);
  }
  part.rowLines.push_back(line);
}

// Reads every record of a piece: numbers into part.values, ragged rows into part.ragged.
// `valuesSoFar` counts the values of every piece, against the memory cap.
void parseRecords(RecordReader& reader, bool decimalComma, ParsedRows& part,
                  std::atomic<uint64_t>& valuesSoFar, const std::string& path,
                  const LoadOptions& options) {
  std::vector<Field> fields;
  const size_t width = part.columns.size();
  while (reader.next(fields)) {
    if (fields.size() != width) {
      part.ragged.push_back({reader.line(), int(fields.size())});
      continue;
    }
    if ((valuesSoFar.fetch_add(width) + width) * sizeof(float) > options.maxBytes)
      failIn(Error::Code::TooLarge, path,
             "its values need more than the memory cap of " + std::to_string(options.maxBytes) +
                 " bytes as float32");
    parseRecord(fields, decimalComma, part, reader.line());
  }
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

// Room for `rows` rows (at most p.maxRows). The matrix grows by half its size at least: a
// realloc, which the C library does by remapping pages, so even a large table is not copied.
void reserveRows(ParsedText& p, int64_t rows) {
  const Eigen::Index capacity = p.values.cols();
  if (rows <= capacity) return;
  p.values.conservativeResize(
      Eigen::Index(p.columns.size()),
      std::max<Eigen::Index>(rows, std::min<Eigen::Index>(capacity + capacity / 2, p.maxRows)));
}

// Adds a part's rows after those read before it.
void appendPart(ParsedText& p, ParsedRows& part, LoadReport& report) {
  mergeColumns(p.columns, part.columns);
  const int64_t rows = int64_t(part.rowLines.size());
  reserveRows(p, p.rows + rows);
  std::copy(part.values.begin(), part.values.end(),
            p.values.data() + p.rows * int64_t(p.columns.size()));
  p.rows += rows;
  p.rowLines.insert(p.rowLines.end(), part.rowLines.begin(), part.rowLines.end());
  for (const RaggedRow& r : part.ragged) report.addRagged(r);
  for (size_t c = 0; c < p.columns.size(); ++c) {
    if (p.keepText[c] == KeepText::No) continue;
    const bool lostLabelChance =
        p.keepText[c] == KeepText::UntilANumber && p.columns[c].numbers > 0;
    if (part.keepText[c] == KeepText::No || lostLabelChance) {
      p.keepText[c] = KeepText::No;
      p.texts[c] = {};
      continue;
    }
    p.texts[c].append(part.texts[c]);
  }
}

// Parses the planned pieces of `text` in parallel and adds their rows in order: the result is
// the same as reading the records one after another.
void parsePieces(std::string_view text, const ChunkPlan& plan, ParsedText& p,
                 std::atomic<uint64_t>& valuesSoFar, const std::string& path,
                 const LoadOptions& options, LoadReport& report) {
  std::vector<ParsedRows> parts(plan.pieces.size());
  const auto parse = [&](size_t k) {
    const TextPiece& piece = plan.pieces[k];
    parts[k] = newPart(p);
    parts[k].values.reserve(size_t(p.valuesPerByte * double(piece.end - piece.begin)));
    RecordReader reader(text.substr(piece.begin, piece.end - piece.begin), p.dialect.delimiter,
                        path, piece.firstLine);
    parseRecords(reader, p.dialect.decimalComma, parts[k], valuesSoFar, path, options);
  };
  if (parts.size() == 1)
    parse(0);
  else
    tbb::parallel_for(size_t(0), parts.size(), parse);
  for (ParsedRows& part : parts) {
    appendPart(p, part, report);
    part = {};  // frees the piece's values as the whole grows
  }
}

void refuseRagged(const std::string& path, const LoadReport& report) {
  std::string lines;
  for (size_t i = 0; i < report.raggedRows.size() && i < 10; ++i)
    lines += (i ? ", line " : "line ") + std::to_string(report.raggedRows[i].line) + " has " +
             std::to_string(report.raggedRows[i].fields);
  if (report.raggedRowCount > 10)
    lines += " … and " + std::to_string(report.raggedRowCount - 10) + " more";
  failIn(Error::Code::Format, path,
         std::to_string(report.raggedRowCount) + " ragged row" +
             (report.raggedRowCount == 1 ? "" : "s") + " (rows should have " +
             std::to_string(report.expectedFields) + " fields): " + lines +
             ". Fix them, or choose to drop those rows");
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
  const size_t width = p.columns.size(), rows = size_t(p.rows);
  if (rows < 2) return false;
  const float* values = p.values.data();
  const float start = values[c];
  if (start != 0 && start != 1) return false;
  for (size_t r = 0; r < rows; ++r)
    if (values[r * width + c] != start + float(r)) return false;
  return true;
}

// The column `wanted` names (a header name in any case, or a 1-based number), or -1.
int columnNamed(const std::vector<Column>& columns, const std::string& wanted) {
  for (const Column& c : columns)
    if (!c.name.empty() && lowercase(c.name) == lowercase(wanted)) return c.number - 1;
  int number = 0;
  const auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), number);
  if (ec == std::errc() && end == wanted.data() + wanted.size() && number >= 1 &&
      number <= int(columns.size()))
    return number - 1;
  return -1;
}

int findLabelByOption(const ParsedText& p, const std::string& wanted, const std::string& path) {
  if (const int c = columnNamed(p.columns, wanted); c >= 0) return c;
  std::string names;
  for (const Column& c : p.columns)
    if (!c.name.empty()) names += (names.empty() ? "" : ", ") + inQuotes(c.name);
  failIn(Error::Code::InvalidArgument, path,
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

// Which columns' text cells to keep while reading: those chooseLabel may pick once every row is
// read (the named one; else label names, and text columns outside a time series).
void chooseTextToKeep(ParsedText& p, const LoadOptions& options) {
  const size_t width = p.columns.size();
  p.keepText.assign(width, KeepText::No);
  p.texts.resize(width);
  if (options.noLabelColumn) return;
  if (!options.labelColumn.empty()) {
    if (const int c = columnNamed(p.columns, options.labelColumn); c >= 0)
      p.keepText[size_t(c)] = KeepText::Always;
    return;
  }
  const bool timeSeries = options.windowLength > 0;
  for (size_t c = 0; c < width; ++c)
    if (isLabelName(p.columns[c].name, timeSeries))
      p.keepText[c] = KeepText::Always;
    else if (!timeSeries)
      p.keepText[c] = KeepText::UntilANumber;
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
      failIn(Error::Code::Format, path,
             "line " + std::to_string(col.firstTextLine) + ", " + columnName(col) + ": " +
                 inQuotes(col.firstText) + " is not a number (the column's other values are)");
    if (why.empty()) continue;
    col.role = Column::Role::Ignored;
    ignored += (ignored.empty() ? "" : ", ") + columnName(col) + ": " + why;
  }
  if (!ignored.empty()) report.addNote("ignored " + ignored);
}

// ---- Reading ------------------------------------------------------------------------------------

// The records after the first (up to SampleRecords): they decide the header and the names. Their
// length also predicts how many rows the file holds.
std::vector<std::vector<Field>> sampleAhead(const RecordReader& reader, ParsedText& p) {
  std::vector<std::vector<Field>> sample;
  RecordReader ahead = reader;
  std::vector<Field> f;
  while (sample.size() < SampleRecords && ahead.next(f)) sample.push_back(f);
  const double perRecord = double(ahead.position() - reader.position() + 1) / (sample.size() + 1);
  p.valuesPerByte = double(p.dialect.fields) / perRecord;
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

// Reserves the matrix for the rows `textBytes` of text likely hold (never past the memory cap),
// so it rarely grows. Only what gets filled takes memory.
void reserveExpectedRows(ParsedText& p, uint64_t textBytes, const LoadOptions& options) {
  const double width = double(p.columns.size());
  p.maxRows = int64_t(double(options.maxBytes / sizeof(float)) / width);
  const double expected = 1.05 * double(textBytes) * p.valuesPerByte / width + 1024;
  reserveRows(p, int64_t(std::min(expected, double(p.maxRows))));
}

// Decides the header from the first record and those after it, names the columns, chooses which
// columns' text to keep, and takes the first record when it is data. `reader` stands after it.
void startColumns(const RecordReader& reader, const std::vector<Field>& first,
                  const std::string& comment, uint64_t textBytes, ParsedText& p,
                  const std::string& path, const LoadOptions& options, LoadReport& report) {
  const int64_t firstLine = reader.line();
  const std::vector<std::vector<Field>> sample = sampleAhead(reader, p);
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
  chooseTextToKeep(p, options);
  reserveExpectedRows(p, textBytes, options);
  if (!p.header && int(first.size()) == fields) {  // the first record is data
    ParsedRows part = newPart(p);
    parseRecord(first, p.dialect.decimalComma, part, firstLine);
    appendPart(p, part, report);
  } else if (!p.header) {
    report.addRagged({firstLine, int(first.size())});
  }
}

size_t countLineBreaks(const std::string& text) {
  return size_t(
      std::count_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }));
}

// Reads the start of the file: a chunk, and more (up to MaxHeadBytes) until it holds enough
// lines for the dialect and header samples. False when that is the whole file.
bool readHead(TextReader& text, std::string& buffer) {
  for (;;) {
    if (!text.append(buffer, ChunkBytes, 1)) return false;
    if (buffer.size() >= MaxHeadBytes || countLineBreaks(buffer) > SampleRecords + 2) return true;
  }
}

// Reads the whole file: the start decides the dialect, header and columns; then chunk after chunk
// is cut at a record boundary (a record cut off waits for the next) and parsed in pieces.
ParsedText parseFile(TextReader& text, const std::string& path, const LoadOptions& options,
                     LoadReport& report) {
  std::string buffer;
  bool complete = !readHead(text, buffer);
  ParsedText p;
  size_t used = 0;
  int64_t bufferLine = 1;
  for (std::vector<Field> first;;) {
    p.dialect = sniffDialect(buffer, path, complete);
    RecordReader reader(buffer, p.dialect.delimiter, path, 1, complete);
    const std::string comment = reader.skipComments();
    if (reader.next(first)) {
      const uint64_t textBytes = std::max<uint64_t>(text.sizeHint(), buffer.size());
      startColumns(reader, first, comment, textBytes, p, path, options, report);
      used = reader.position();
      bufferLine = reader.nextLine();
      break;
    }
    if (complete) failIn(Error::Code::Format, path, "no data: the file holds no rows");
    complete = !text.append(buffer, ChunkBytes, 1);  // the first record goes on: read more
  }
  std::atomic<uint64_t> valuesSoFar{uint64_t(p.rows) * p.columns.size()};
  for (;;) {
    const ChunkPlan plan = planChunk(std::string_view(buffer).substr(used), bufferLine, complete,
                                     p.dialect.delimiter, path, PieceBytes);
    parsePieces(std::string_view(buffer).substr(used), plan, p, valuesSoFar, path, options, report);
    buffer.erase(0, used + plan.used);
    used = 0;
    bufferLine = plan.nextLine;
    if (complete) break;
    complete = !text.append(buffer, ChunkBytes, bufferLine);
  }
  if (report.raggedRowCount > 0 && options.missing == MissingPolicy::Report)
    refuseRagged(path, report);
  return p;
}

// ---- Assembly -----------------------------------------------------------------------------------

// Makes the first rows × cols values of `m` a rows × cols matrix without copying them: Eigen keeps
// the values when a resize leaves the size unchanged, and shrinks a one-row matrix by realloc.
void reshapeInPlace(Matrix& m, Eigen::Index rows, Eigen::Index cols) {
  m.resize(1, m.size());
  m.conservativeResize(1, rows * cols);
  m.resize(rows, cols);
}

// The feature columns as a Table whose values are the parsed matrix itself, compacted in place.
Table toTable(ParsedText& p, const std::string& path) {
  Table t;
  t.where = inQuotes(path);
  t.rows = p.rows;
  const size_t width = p.columns.size();
  std::vector<size_t> keep;
  for (size_t c = 0; c < width; ++c) {
    const Column& col = p.columns[c];
    if (col.role == Column::Role::Label) {
      if (p.keepText[c] == KeepText::No)  // chooseTextToKeep and chooseLabel disagree: a bug
        throw std::logic_error("CSV: the label column's text was not kept");
      t.hasLabels = true;
      t.labelName = col.name;
      t.labelColumnNumber = col.number;
      t.labelSource = columnName(col);
      t.labelText = p.texts[c].strings();
    }
    if (col.role != Column::Role::Feature) continue;
    keep.push_back(c);
    t.columnNames.push_back(col.name);
    t.columnNumbers.push_back(col.number);
  }
  t.columns = int(keep.size());
  p.texts = {};
  // Compacts in place: row r's kept values move to r * keep.size(), never ahead of the reads.
  float* values = p.values.data();
  size_t out = 0;
  for (int64_t r = 0; r < t.rows; ++r)
    for (size_t c : keep) values[out++] = values[size_t(r) * width + c];
  reshapeInPlace(p.values, Eigen::Index(keep.size()), Eigen::Index(t.rows));
  t.values = std::move(p.values);
  t.rowNumbers = std::move(p.rowLines);
  return t;
}

void noteLayout(const ParsedText& p, LoadReport& report) {
  std::string s = "delimiter " + describeDelimiter(p.dialect.delimiter);
  if (p.dialect.decimalComma) s += ", decimal comma";
  s += p.header ? ", header on line " + std::to_string(p.headerLine) : ", no header row";
  s += ", " + std::to_string(p.rows) + " rows of " + std::to_string(p.columns.size()) + " fields";
  report.addNote(s);
}

}  // namespace

LoadResult loadCsv(const std::string& path, const LoadOptions& options) {
  LoadResult result;
  LoadReport& report = result.report;
  report.format = options.windowLength > 0 ? "time-series CSV" : "CSV";
  TextReader text(path, options.maxBytes, report);
  ParsedText p = parseFile(text, path, options, report);
  noteLayout(p, report);
  assignRoles(p, options, path, report);
  if (std::none_of(p.columns.begin(), p.columns.end(),
                   [](const Column& c) { return c.role == Column::Role::Feature; }))
    failIn(Error::Code::Format, path, "no numeric columns to use as features");
  result.data = tableToDataset(toTable(p, path), options, report);
  result.data.name = std::filesystem::path(path).filename().string();
  result.data.sourcePath = path;
  return result;
}

}  // namespace latent
