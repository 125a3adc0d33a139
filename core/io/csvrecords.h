// The delimited-text tokenizer: records of fields with RFC 4180 quoting, over a whole text or over
// a piece of one that may stop in the middle of a record. Internal to core/io (the CSV loader).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/types.h"

namespace latent {

struct Field {
  std::string_view text;  // without the quotes
  bool escaped = false;   // holds "" pairs that stand for one quote
  bool quoted = false;
};

/// The field's value: its text with each "" pair read as one quote.
inline std::string fieldText(const Field& f) {
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
/// A text that is not `complete` is a piece of a file that goes on: a record running into its end
/// (no line break after it yet, a quote still open, or a '\r' that a '\n' may follow) is not
/// returned; position() and nextLine() then tell where it starts.
class RecordReader {
 public:
  /// firstLine: the line number `text` starts on (a chunk of a larger text starts further on).
  RecordReader(std::string_view text, char delimiter, const std::string& path,
               int64_t firstLine = 1, bool complete = true)
      : m_text(text),
        m_delimiter(delimiter),
        m_spaces(delimiter == ' '),
        m_complete(complete),
        m_path(path),
        m_line(firstLine),
        m_recordLine(firstLine) {}

  /// The next non-blank record; false at the end (or at a record the text holds only part of).
  /// line() is then the line it starts on.
  bool next(std::vector<Field>& fields) {
    while (m_pos < m_text.size()) {
      const size_t start = m_pos;
      const int64_t startLine = m_line;
      fields.clear();
      m_recordLine = m_line;
      if (!readRecord(fields)) {  // cut off by the end of a piece: read it with the next one
        m_pos = start;
        m_line = startLine;
        return false;
      }
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

  /// False when the record runs into the end of an incomplete text.
  bool readRecord(std::vector<Field>& fields) {
    for (;;) {
      skipBlanks();
      if (m_pos < m_text.size() && m_text[m_pos] == '"') {
        if (!readQuoted(fields.emplace_back())) return false;
      } else {
        fields.push_back(readPlain());
      }
      const size_t end = m_pos;
      skipBlanks();  // with spaces as the delimiter, these blanks are the separator
      if (m_pos >= m_text.size()) return m_complete;
      if (isLineEnd(m_text[m_pos])) {
        if (!m_complete && m_text[m_pos] == '\r' && m_pos + 1 == m_text.size()) return false;
        skipLineBreak();
        return true;
      }
      if (m_spaces && m_pos > end) continue;
      if (m_spaces || !isSeparator(m_text[m_pos]))
        throw Error(Error::Code::Format, "'" + m_path + "': line " + std::to_string(m_line) +
                                             ": text after the closing quote of a field");
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

  /// False when the quote is still open at the end of an incomplete text.
  bool readQuoted(Field& f) {
    const int64_t openedOn = m_line;
    f.quoted = true;
    const size_t start = ++m_pos;
    for (;;) {
      const size_t q = m_text.find('"', m_pos);
      if (q == std::string_view::npos) {
        if (!m_complete) return false;
        throw Error(Error::Code::Format, "'" + m_path + "': line " + std::to_string(openedOn) +
                                             ": a quoted field is never closed");
      }
      m_line += std::count(m_text.begin() + ptrdiff_t(m_pos), m_text.begin() + ptrdiff_t(q), '\n');
      m_pos = q + 1;
      if (m_pos < m_text.size() && m_text[m_pos] == '"') {
        f.escaped = true;
        ++m_pos;
        continue;
      }
      f.text = m_text.substr(start, q - start);
      return true;
    }
  }

  std::string_view m_text;
  char m_delimiter;
  bool m_spaces;
  bool m_complete;
  const std::string& m_path;
  size_t m_pos = 0;
  int64_t m_line;
  int64_t m_recordLine;
};

}  // namespace latent
