// What a user can choose when loading a dataset (LoadOptions) and what the loader tells them back
// (LoadReport): detected layout, skipped files, dropped rows, filled values. Shared by every
// loader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace latent {

/// What to do with missing values (empty, NA, NaN, …) and infinite values in tabular data, and with
/// ragged rows (a row with the wrong number of fields).
enum class MissingPolicy {
  Report,          // refuse: Error naming every position (the first few), the user then chooses
  DropRows,        // drop rows holding one, list them in the report
  FillColumnMean,  // replace by the mean of the column's finite values; ragged rows are dropped
};

/// Whether the first row of a text file names the columns.
enum class HeaderRow { Auto, Present, Absent };

/// How tabular and time-series values are scaled on load (images always go to [0,1]).
enum class Scaling {
  Auto,         // as stored when all lie in [0,1]; / 255 when ≥ 64 columns all hold whole
                // numbers in 0..255 (pixels); else Standardise
  None,         // values as stored
  Range01,      // per feature: (x - min) / (max - min)
  Standardise,  // per feature: (x - mean) / standard deviation
};

struct LoadOptions {
  MissingPolicy missing = MissingPolicy::Report;
  /// Text files: the label column, by header name (case-insensitive) or 1-based column number.
  /// Empty: detected (a non-numeric column, or an integer column named label, class, target, y).
  std::string labelColumn;
  /// Text files: no column is labels, even one that looks like it.
  bool noLabelColumn = false;
  HeaderRow header = HeaderRow::Auto;
  Scaling scaling = Scaling::Auto;
  /// When set, stored values are re-expressed in this normalisation (for instance a model's
  /// training data), so a test file is scaled exactly like the data the model saw. Its vectors
  /// must have 1 entry or one per value of a sample.
  std::optional<Normalisation> normalisation;
  /// Image folders: every image is resized to this size; 0 = the most common size in the folder.
  int imageWidth = 0;
  int imageHeight = 0;
  /// > 0: a CSV (or a 2-D .npy) is a time series (rows = time steps, columns = features) cut
  /// into windows of this many steps, each one Shape::sequence(windowLength, features) sample.
  int windowLength = 0;
  /// Steps between window starts; 0 = windowLength (windows do not overlap).
  int windowStride = 0;
  /// Memory cap for one file's bytes and for the float32 samples made from it.
  uint64_t maxBytes = 4ull << 30;
};

/// One missing or non-finite value. Text files: `row` is the 1-based line number and `column` the
/// 1-based field number (label column included). Arrays: both are 0-based NumPy indices.
struct LoadCell {
  enum class Problem { Missing, Infinite };
  int64_t row = 0;
  int column = 0;
  std::string columnName;
  Problem problem = Problem::Missing;
};

/// A row whose field count differs from the others (text files; 1-based line number).
struct RaggedRow {
  int64_t line = 0;
  int fields = 0;
};

/// A file inside an image folder that was not loaded, and why.
struct SkippedFile {
  std::string path;
  std::string reason;
};

/// What a load found and did besides producing the samples. Lists keep at most MaxListed entries;
/// the counts are always complete.
struct LoadReport {
  static constexpr size_t MaxListed = 1000;

  std::string format;              // "IDX", "CSV", "time-series CSV", "NumPy .npy", …
  std::vector<std::string> notes;  // what was detected or decided, one sentence each
  std::string rowWord = "line";    // how rows are numbered in messages: "line" or "row"

  std::vector<LoadCell> badCells;  // missing / infinite values found
  int64_t badCellCount = 0;
  std::vector<RaggedRow> raggedRows;  // rows with the wrong number of fields
  int64_t raggedRowCount = 0;
  int expectedFields = 0;            // the field count rows should have (text files)
  std::vector<int64_t> droppedRows;  // rows dropped (numbered as LoadCell::row)
  int64_t droppedRowCount = 0;
  int64_t filledCount = 0;                // values replaced by their column's mean
  std::vector<SkippedFile> skippedFiles;  // image folders
  int64_t skippedFileCount = 0;

  // Out of line: GCC 12 inlines it with a false -Warray-bounds inside std::string's move, which it
  // then reports in every loader built with the precompiled header.
  void addNote(std::string note);
  void addBadCell(const LoadCell& cell);
  void addRagged(const RaggedRow& row);
  void addDropped(int64_t row);
  void addSkipped(SkippedFile file);

  /// Lines a user should read (dropped rows, filled values, skipped files), each complete; long
  /// lists are shortened ("… and 95 more"). Empty when nothing was lost or changed.
  std::vector<std::string> warnings() const;
};

/// A dataset and the report of how it was read.
struct LoadResult {
  Dataset data;
  LoadReport report;
};

}  // namespace latent
