// The common back half of the tabular loaders (CSV and 2-D NumPy arrays): a numeric table with
// optional labels becomes a Dataset after the missing-value policy, label mapping, scaling and, for
// time series, cutting into windows. Internal to core/io.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/loadoptions.h"

namespace latent {

/// A numeric table as read from a file, before anything is dropped or scaled.
struct Table {
  std::string where;  // what messages start with: "'data.csv'" or "'a.npz' array 'x'"
  // columns × rows: one row per matrix column, i.e. the row-major rows × columns table, and the
  // layout of a Dataset's samples, so a tabular dataset takes this matrix without a copy.
  // NaN = missing, ±inf = infinite.
  Matrix values;
  int64_t rows = 0;
  int columns = 0;
  std::vector<std::string> columnNames;  // per column; "" when the file names none
  std::vector<int> columnNumbers;        // per column: its position as messages show it
  std::vector<int64_t> rowNumbers;       // per row: its line number or index (LoadCell::row)

  bool hasLabels = false;
  std::vector<std::string> labelText;  // per row when hasLabels; "" = missing
  std::string labelName;               // the label column's name, for LoadCell
  int labelColumnNumber = 0;           // its position, for LoadCell
  std::string labelSource;             // for notes: "column 5 ('species')" or "array 'y'"
};

/// Class indices for label values given as text. All integers in 0..999999: used as they are,
/// no class names. Other integers: their sorted distinct values become 0..K-1, named by the value.
/// Text: sorted distinct strings become 0..K-1 and the class names. `text` holds no "" entries.
struct LabelSet {
  std::vector<int> labels;
  std::vector<std::string> classNames;
};
LabelSet labelsFromText(const std::vector<std::string>& text);
LabelSet labelsFromIntegers(const std::vector<int64_t>& values);

/// Notes d's classes: "labels from <from>: 4 classes (bird: 3, cat: 3, …)", by name when named.
void addLabelNote(const Dataset& d, const std::string& from, LoadReport& report);

/// True for a label value that marks a normal time step: numeric 0, or (any case) normal, false,
/// no, ok, nominal. Anything else is anomalous.
bool isNormalStep(const std::string& label);

/// Applies the missing-value policy, maps labels, scales, and (options.windowLength > 0) cuts
/// windows. Notes and warnings go to `report`. Throws Error starting with table.where.
Dataset tableToDataset(Table table, const LoadOptions& options, LoadReport& report);

/// Chooses and applies the scaling for a tabular (or sequence) value block: `values` (columns ×
/// rows, one row per matrix column) is scaled in place. Returns the normalisation with one entry
/// per column.
Normalisation scaleColumns(Matrix& values, Scaling scaling, LoadReport& report);

}  // namespace latent
