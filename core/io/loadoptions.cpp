// LoadReport bookkeeping (bounded lists, complete counts) and its warnings in plain words.
#include "io/loadoptions.h"

#include <algorithm>

namespace latent {

namespace {

template <typename T>
void addBounded(std::vector<T>& list, int64_t& count, T value) {
  ++count;
  if (list.size() < LoadReport::MaxListed) list.push_back(std::move(value));
}

// "line 4, line 9, line 12 … and 30 more": at most `shown` items, the rest counted.
template <typename T, typename F>
std::string listed(const std::vector<T>& items, int64_t total, F describe, size_t shown = 10) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < shown; ++i)
    out += (i ? ", " : "") + describe(items[i]);
  if (const int64_t rest = total - int64_t(std::min(items.size(), shown)); rest > 0)
    out += " … and " + std::to_string(rest) + " more";
  return out;
}

std::string plural(int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void LoadReport::addNote(std::string note) { notes.push_back(std::move(note)); }

void LoadReport::addBadCell(const LoadCell& cell) { addBounded(badCells, badCellCount, cell); }
void LoadReport::addRagged(const RaggedRow& row) { addBounded(raggedRows, raggedRowCount, row); }
void LoadReport::addDropped(int64_t row) { addBounded(droppedRows, droppedRowCount, row); }
void LoadReport::addSkipped(SkippedFile file) {
  addBounded(skippedFiles, skippedFileCount, std::move(file));
}

std::vector<std::string> LoadReport::warnings() const {
  std::vector<std::string> out;
  if (raggedRowCount > 0)
    out.push_back(plural(raggedRowCount, "ragged row") + " (rows should have " +
                  std::to_string(expectedFields) +
                  " fields): " + listed(raggedRows, raggedRowCount, [](const RaggedRow& r) {
                    return "line " + std::to_string(r.line) + " has " + std::to_string(r.fields);
                  }));
  if (droppedRowCount > 0)
    out.push_back("dropped " + plural(droppedRowCount, "row") + ": " +
                  listed(droppedRows, droppedRowCount,
                         [this](int64_t r) { return rowWord + " " + std::to_string(r); }));
  if (filledCount > 0)
    out.push_back(
        "filled " + plural(filledCount, "missing or infinite value") +
        " with the column mean: " + listed(badCells, badCellCount, [this](const LoadCell& c) {
          return rowWord + " " + std::to_string(c.row) + " column " +
                 (c.columnName.empty() ? std::to_string(c.column) : "'" + c.columnName + "'");
        }));
  if (skippedFileCount > 0)
    out.push_back("skipped " + plural(skippedFileCount, "file") + ": " +
                  listed(skippedFiles, skippedFileCount,
                         [](const SkippedFile& f) { return f.path + " (" + f.reason + ")"; }));
  return out;
}

}  // namespace latent
