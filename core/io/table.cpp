// Table → Dataset: missing values (refuse, drop or fill), labels, per-feature scaling, windows.
#include "io/table.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "io/failure.h"

namespace latent {
namespace {

constexpr int64_t MaxPlainLabel = 1000000;  // integer labels below this are used as they are
constexpr int MinPixelColumns = 64;         // an 8×8 image: fewer columns are not read as pixels

[[noreturn]] void fail(Error::Code code, const Table& t, const std::string& what) {
  throw Error(code, t.where + ": " + what);
}

// "line 5, column 3 ('age')" or "row 5, column 2".
std::string cellWhere(const LoadCell& c, const std::string& rowWord) {
  std::string s = rowWord + " " + std::to_string(c.row) + ", column " + std::to_string(c.column);
  if (!c.columnName.empty()) s += " (" + inQuotes(c.columnName) + ")";
  return s;
}

std::string describeBadCells(const LoadReport& report) {
  std::string s;
  for (size_t i = 0; i < report.badCells.size() && i < 5; ++i) {
    const LoadCell& c = report.badCells[i];
    s += (i ? "; " : "") + cellWhere(c, report.rowWord) +
         (c.problem == LoadCell::Problem::Missing ? " is missing" : " is infinite");
  }
  if (report.badCellCount > 5) s += "; … and " + std::to_string(report.badCellCount - 5) + " more";
  return s;
}

// Marks rows holding a non-finite value or a missing label, and lists those cells in the report.
std::vector<char> findBadRows(const Table& t, LoadReport& report) {
  std::vector<char> bad(size_t(t.rows), 0);
  for (int64_t r = 0; r < t.rows; ++r) {
    const float* row = t.values.data() + r * t.columns;
    for (int c = 0; c < t.columns; ++c) {
      if (std::isfinite(row[c])) continue;
      bad[r] = 1;
      report.addBadCell(
          {t.rowNumbers[r], t.columnNumbers[c], t.columnNames[c],
           std::isnan(row[c]) ? LoadCell::Problem::Missing : LoadCell::Problem::Infinite});
    }
    if (t.hasLabels && t.labelText[r].empty()) {
      bad[r] = 1;
      report.addBadCell({t.rowNumbers[r], t.labelColumnNumber, t.labelName});
    }
  }
  return bad;
}

// Keeps the rows where keep[r] is set, in order.
void keepRows(Table& t, const std::vector<char>& keep, LoadReport& report) {
  int64_t out = 0;
  for (int64_t r = 0; r < t.rows; ++r) {
    if (!keep[r]) {
      report.addDropped(t.rowNumbers[r]);
      continue;
    }
    if (out != r) {
      std::memmove(t.values.data() + out * t.columns, t.values.data() + r * t.columns,
                   size_t(t.columns) * sizeof(float));
      t.rowNumbers[out] = t.rowNumbers[r];
      if (t.hasLabels) t.labelText[out] = std::move(t.labelText[r]);
    }
    ++out;
  }
  t.rows = out;
  t.values.conservativeResize(t.columns, out);  // shrinks in place (realloc), no copy
  t.rowNumbers.resize(size_t(out));
  if (t.hasLabels) t.labelText.resize(size_t(out));
}

// Replaces every non-finite value by the mean of its column's finite values.
void fillWithColumnMeans(Table& t, LoadReport& report) {
  std::vector<double> sum(t.columns, 0.0);
  std::vector<int64_t> n(t.columns, 0);
  for (int64_t r = 0; r < t.rows; ++r)
    for (int c = 0; c < t.columns; ++c)
      if (const float v = t.values(c, r); std::isfinite(v)) sum[c] += v, ++n[c];
  for (int64_t r = 0; r < t.rows; ++r)
    for (int c = 0; c < t.columns; ++c) {
      float& v = t.values(c, r);
      if (std::isfinite(v)) continue;
      if (n[c] == 0)
        fail(Error::Code::Format, t,
             "column " + std::to_string(t.columnNumbers[c]) +
                 (t.columnNames[c].empty() ? "" : " (" + inQuotes(t.columnNames[c]) + ")") +
                 " has no finite value to take a mean of");
      v = float(sum[c] / double(n[c]));
      ++report.filledCount;
    }
}

void applyMissingPolicy(Table& t, const LoadOptions& options, LoadReport& report) {
  std::vector<char> bad = findBadRows(t, report);
  if (report.badCellCount == 0) return;
  if (options.missing == MissingPolicy::Report)
    fail(Error::Code::Format, t,
         std::to_string(report.badCellCount) + " missing or infinite value" +
             (report.badCellCount == 1 ? "" : "s") + ": " + describeBadCells(report) +
             ". Choose to drop those rows or to fill them with the column mean");
  if (options.missing == MissingPolicy::FillColumnMean) {
    fillWithColumnMeans(t, report);
    // A missing label cannot be filled: those rows are dropped.
    for (int64_t r = 0; r < t.rows; ++r) bad[r] = t.hasLabels && t.labelText[r].empty();
  }
  for (char& b : bad) b = !b;
  keepRows(t, bad, report);
  if (t.rows == 0)
    fail(Error::Code::Format, t, "no rows are left after dropping those with missing values");
}

struct ColumnStats {
  double min = INFINITY, max = -INFINITY, sum = 0;
  double squaredDeviations = 0;  // about the mean: a second pass, exact for large offsets
  bool integral = true;
};

std::vector<ColumnStats> columnStats(const Matrix& values) {
  const Eigen::Index rows = values.cols(), columns = values.rows();
  std::vector<ColumnStats> stats(columns);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < columns; ++c) {
      const double v = values(c, r);
      ColumnStats& s = stats[c];
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      s.sum += v;
      s.integral = s.integral && v == std::floor(v);
    }
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < columns; ++c) {
      const double d = values(c, r) - stats[c].sum / double(rows);
      stats[c].squaredDeviations += d * d;
    }
  return stats;
}

bool parseInteger(const std::string& text, int64_t& value) {
  const char* first = text.data();
  if (!text.empty() && text[0] == '+') ++first;
  const auto [end, ec] = std::from_chars(first, text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return true;
  // "3.0" is an integer written by a float formatter (pandas writes integer columns with NaN so).
  double d = 0;
  const auto [dend, dec] = std::from_chars(first, text.data() + text.size(), d);
  if (dec != std::errc() || dend != text.data() + text.size() || d != std::floor(d) ||
      std::abs(d) > 9e15)
    return false;
  value = int64_t(d);
  return true;
}

std::string lowercase(std::string s) {
  for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

Dataset tabularDataset(Table& t, const LoadOptions& options, LoadReport& report) {
  Dataset d;
  d.shape = Shape::tabular(t.columns);
  d.normalisation = scaleColumns(t.values, options.scaling, report);
  d.samples = std::move(t.values);  // already features × samples: taken, not copied
  if (t.hasLabels) {
    LabelSet set = labelsFromText(t.labelText);
    d.labels = std::move(set.labels);
    d.classNames = std::move(set.classNames);
    addLabelNote(d, t.labelSource, report);
  }
  return d;
}

// Time-major windows: value (step s, feature f) of a window sits at s * features + f.
Dataset windowedDataset(Table& t, const LoadOptions& options, LoadReport& report) {
  const int64_t length = options.windowLength;
  const int64_t stride = options.windowStride > 0 ? options.windowStride : length;
  if (t.rows < length)
    fail(Error::Code::Format, t,
         "the time series has " + std::to_string(t.rows) + " steps, fewer than the window length " +
             std::to_string(length));
  const int64_t windows = (t.rows - length) / stride + 1;
  const uint64_t perWindow = uint64_t(length) * uint64_t(t.columns);
  if (perWindow > INT_MAX || windows > INT_MAX ||
      perWindow * uint64_t(windows) > options.maxBytes / sizeof(Scalar))
    fail(Error::Code::TooLarge, t,
         std::to_string(windows) + " windows of " + std::to_string(length) + "×" +
             std::to_string(t.columns) + " values are more than the memory cap of " +
             std::to_string(options.maxBytes) + " bytes (choose a larger stride)");
  Dataset d;
  d.shape = Shape::sequence(int(length), t.columns);
  Normalisation n = scaleColumns(t.values, options.scaling, report);
  if (n.scale.size() > 1)  // one entry per value of a sample: the feature's, at every step
    for (auto* v : {&n.scale, &n.offset}) {
      std::vector<float> perStep;
      for (int64_t s = 0; s < length; ++s) perStep.insert(perStep.end(), v->begin(), v->end());
      *v = std::move(perStep);
    }
  d.normalisation = std::move(n);
  d.samples.resize(Eigen::Index(perWindow), Eigen::Index(windows));
  for (int64_t w = 0; w < windows; ++w)
    std::copy_n(t.values.data() + w * stride * t.columns, perWindow, d.samples.col(w).data());
  if (t.hasLabels) {
    d.labels.resize(size_t(windows), 0);
    for (int64_t w = 0; w < windows; ++w)
      for (int64_t s = w * stride; s < w * stride + length && !d.labels[w]; ++s)
        d.labels[w] = isNormalStep(t.labelText[s]) ? 0 : 1;
    d.classNames = {"normal", "anomalous"};
    addLabelNote(d, t.labelSource + ", a window with any anomalous step is anomalous", report);
  }
  report.addNote(
      std::to_string(t.rows) + " time steps cut into " + std::to_string(windows) + " windows of " +
      std::to_string(length) + " steps, stride " + std::to_string(stride) +
      (report.droppedRowCount > 0 ? " (dropped rows close up: a window may span a gap)" : ""));
  return d;
}

}  // namespace

LabelSet labelsFromIntegers(const std::vector<int64_t>& values) {
  LabelSet set;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (values.empty() || (*lo >= 0 && *hi < MaxPlainLabel)) {
    set.labels.assign(values.begin(), values.end());
    return set;
  }
  const std::set<int64_t> distinct(values.begin(), values.end());
  std::map<int64_t, int> index;
  for (int64_t v : distinct) {
    index[v] = int(set.classNames.size());
    set.classNames.push_back(std::to_string(v));
  }
  for (int64_t v : values) set.labels.push_back(index[v]);
  return set;
}

LabelSet labelsFromText(const std::vector<std::string>& text) {
  std::vector<int64_t> integers;
  integers.reserve(text.size());
  for (const std::string& s : text) {
    int64_t v = 0;
    if (!parseInteger(s, v)) break;
    integers.push_back(v);
  }
  if (integers.size() == text.size()) return labelsFromIntegers(integers);
  LabelSet set;
  std::map<std::string, int> index;
  for (const std::string& s : text) index.emplace(s, 0);
  for (auto& [name, i] : index) {
    i = int(set.classNames.size());
    set.classNames.push_back(name);
  }
  set.labels.reserve(text.size());
  for (const std::string& s : text) set.labels.push_back(index[s]);
  return set;
}

void addLabelNote(const Dataset& d, const std::string& from, LoadReport& report) {
  std::map<int, int64_t> counts;
  for (int l : d.labels) ++counts[l];
  std::string s = "labels from " + from + ": " + std::to_string(counts.size()) +
                  (counts.size() == 1 ? " class (" : " classes (");
  int shown = 0;
  for (const auto& [label, n] : counts) {
    if (shown++ == 8) {
      s += ", …";
      break;
    }
    const bool named = label < int(d.classNames.size());
    s += (shown > 1 ? ", " : "") + (named ? d.classNames[label] : std::to_string(label)) + ": " +
         std::to_string(n);
  }
  report.addNote(s + ")");
}

bool isNormalStep(const std::string& label) {
  double v = 0;
  const char* first = label.data() + (!label.empty() && label[0] == '+');
  const auto [end, ec] = std::from_chars(first, label.data() + label.size(), v);
  if (ec == std::errc() && end == label.data() + label.size()) return v == 0;
  const std::string l = lowercase(label);
  return l == "normal" || l == "false" || l == "no" || l == "ok" || l == "nominal";
}

Normalisation scaleColumns(Matrix& values, Scaling scaling, LoadReport& report) {
  const int64_t rows = values.cols();
  const int columns = int(values.rows());
  const std::vector<ColumnStats> stats = columnStats(values);
  if (scaling == Scaling::Auto) {
    const auto all = [&](auto predicate) {
      return std::all_of(stats.begin(), stats.end(), predicate);
    };
    if (all([](const ColumnStats& s) { return s.min >= 0 && s.max <= 1; })) {
      report.addNote("all values already lie in [0,1]: kept as stored");
      return {};
    }
    // Many columns of whole numbers in 0..255 are pixels (Kaggle's MNIST CSV): standardising each
    // pixel would blow up rarely inked ones, so they are divided by 255 like image files.
    if (columns >= MinPixelColumns &&
        all([](const ColumnStats& s) { return s.integral && s.min >= 0 && s.max <= 255; })) {
      values /= 255.0f;
      report.addNote("whole numbers 0..255 in " + std::to_string(columns) +
                     " columns, read as pixels: divided by 255");
      return {Normalisation::Kind::Range01, {255.0f}, {0.0f}};
    }
    scaling = Scaling::Standardise;
  }
  if (scaling == Scaling::None) return {};
  Normalisation n;
  n.kind =
      scaling == Scaling::Range01 ? Normalisation::Kind::Range01 : Normalisation::Kind::Standardise;
  n.scale.assign(columns, 1.0f);
  n.offset.assign(columns, 0.0f);
  for (int c = 0; c < columns; ++c) {
    const ColumnStats& s = stats[c];
    double offset = s.min, scale = s.max - s.min;
    if (scaling == Scaling::Standardise) {
      offset = s.sum / double(rows);
      scale = std::sqrt(s.squaredDeviations / double(rows));
    }
    // A constant column maps to 0 instead of dividing by zero.
    n.scale[c] = scale > 1e-12 * std::max(1.0, std::abs(offset)) ? float(scale) : 1.0f;
    n.offset[c] = float(offset);
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      float& v = values(c, r);
      v = float((double(v) - n.offset[c]) / n.scale[c]);
    }
  report.addNote(scaling == Scaling::Range01
                     ? "scaled per feature to [0,1] (min and range recorded)"
                     : "standardised per feature to mean 0, deviation 1 (means and deviations "
                       "recorded, so decoded values map back)");
  return n;
}

Dataset tableToDataset(Table table, const LoadOptions& options, LoadReport& report) {
  if (table.columns == 0) fail(Error::Code::Format, table, "no numeric feature columns");
  if (table.rows == 0) fail(Error::Code::Format, table, "no data rows");
  applyMissingPolicy(table, options, report);
  return options.windowLength > 0 ? windowedDataset(table, options, report)
                                  : tabularDataset(table, options, report);
}

}  // namespace latent
