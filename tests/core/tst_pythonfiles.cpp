// Loads files that NumPy and Python's csv module wrote themselves (tests/data/python, made by
// tests/data/make_python_files.py): the dtypes, orders and layouts np.save writes, the array names
// np.savez users choose, the dialects csv.writer produces, and the arrays the loader refuses.
// Every value is checked against the script's formula, after undoing the loader's scaling.
#include <QDir>
#include <QtTest>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "errormessage.h"
#include "io/load.h"
#include "loadreport.h"

using latent::Error;
using latent::LoadOptions;
using latent::Normalisation;
using latent::Shape;
using testutil::hasNote;
using testutil::messageOf;
using testutil::notes;

namespace {

// ---- The script's formula (see make_python_files.py's docstring) ------------------------------

constexpr int Samples = 12;

// Value p (in the file's C order) of sample n, before the dtype's rule.
int k(int n, int p) { return (n * 7 + p * 3) % 11; }
int label(int n) { return (n + 2) % 4; }

const std::vector<std::string> ClassNames = {"dog", "cat", "fish", "bird"};
const std::vector<std::string> UnicodeNames = {"caf\xC3\xA9", "na\xC3\xAFve", "Z\xC3\xBCrich",
                                               "\xE6\x9D\xB1\xE4\xBA\xAC"};  // café … 東京

// (k · mul + add) / div per dtype, as VALUE_RULES in the script.
struct ValueRule {
  int64_t mul = 1, add = 0, div = 1;
};

// The value np.save stored for `descr` ("<f4", "|u1", ">u2", "|b1"), as a double; float(...) of
// it is what a float32 load must give: NumPy rounds float64 to the dtype as C++ does, and every
// integer and float16 value here is exact.
double npyValue(const std::string& descr, int n, int p) {
  static const std::map<std::string, ValueRule> rules = {
      {"f2", {1, 0, 8}},
      {"f4", {1, 0, 10}},
      {"f8", {1, 0, 10}},
      {"i1", {12, -60, 1}},
      {"i2", {3000, -15000, 1}},
      {"i4", {200'000, -1'000'000, 1}},
      {"i8", {1'000'000'000'000, -5'000'000'000'000, 1}},
      {"u1", {25, 0, 1}},
      {"u2", {6000, 0, 1}},
      {"u4", {400'000'000, 0, 1}},
      {"u8", {1'000'000'000'000'000, 0, 1}}};
  const int x = k(n, p);
  if (descr == "|b1") return x % 2;
  const ValueRule& r = rules.at(descr.substr(1));
  const int64_t whole = x * r.mul + r.add;
  return r.div == 1 ? double(whole) : double(whole) / double(r.div);  // NumPy's true division
}

// Feature j of CSV row n: k / 10, written by csv with repr().
double csvValue(int n, int j) { return k(n, j) / 10.0; }

// repr_floats.csv: the forms repr writes (0.30000000000000004, 1e-05, -3.3333333333333335, 1e+20).
double reprValue(int n, int j) {
  const double x = k(n, j);
  const double values[] = {x / 10, x / 10 * 3, x * 1e-05, -x / 3, x * 1e20};
  return values[j];
}

// ---- Checking a loaded dataset ------------------------------------------------------------------

std::string dataPath(const std::string& file) {
  return std::string(LATENT_TEST_DATA) + "/python/" + file;
}

LoadOptions raw() {
  LoadOptions o;
  o.scaling = latent::Scaling::None;
  return o;
}

// The position in the file's C order of the loader's value `s` of a sample: the same, except
// that channels-last images were converted to planar C×H×W.
int fileIndex(const Shape& shape, bool channelsLast, int s) {
  if (!channelsLast) return s;
  const int c = shape.dims[0], h = shape.dims[1], w = shape.dims[2];
  const int channel = s / (h * w), y = s / w % h, x = s % w;
  return (y * w + x) * c + channel;
}

struct Comparison {
  double largest = 0;     // largest |loaded - expected|
  QString firstMismatch;  // empty when every value is within the tolerance
};

// Every value of `d` against expected(n, p), where p is the value's index in the file. The
// loader's normalisation is undone (original = stored · scale + offset); without one the values
// must be exact, with one within float rounding of the largest magnitude.
Comparison compareValues(const latent::Dataset& d, bool channelsLast,
                         const std::function<double(int n, int p)>& expected) {
  const Normalisation& norm = d.normalisation;
  const bool scaled = norm.kind != Normalisation::Kind::None;
  double magnitude = 1;
  for (int n = 0; n < d.count(); ++n)
    for (int s = 0; s < d.features(); ++s)
      magnitude = std::max(magnitude, std::abs(double(expected(n, s))));  // p runs over all
  const double tolerance = scaled ? 4 * FLT_EPSILON * magnitude : 0;
  Comparison c;
  for (int n = 0; n < d.count(); ++n)
    for (int s = 0; s < d.features(); ++s) {
      const float want = float(expected(n, fileIndex(d.shape, channelsLast, s)));
      const size_t i = norm.scale.size() == 1 ? 0 : size_t(s);
      const double stored = d.samples(s, n);
      const double got = scaled ? stored * norm.scale.at(i) + norm.offset.at(i) : stored;
      const double difference = std::abs(got - double(want));
      c.largest = std::max(c.largest, difference);
      if (difference > tolerance && c.firstMismatch.isEmpty())
        c.firstMismatch = QString("sample %1, value %2: loaded %3, expected %4 (tolerance %5)")
                              .arg(n)
                              .arg(s)
                              .arg(got, 0, 'g', 17)
                              .arg(double(want), 0, 'g', 9)
                              .arg(tolerance);
    }
  return c;
}

// Integer labels label(n), as the .npz arrays and the DictWriter file hold them.
void checkIntegerLabels(const latent::Dataset& d) {
  QVERIFY(d.hasLabels());
  for (int n = 0; n < Samples; ++n) QCOMPARE(d.labels.at(n), label(n));
  QVERIFY(d.classNames.empty());
}

// Text labels names[label(n)]: class names are the sorted distinct names.
void checkNamedLabels(const latent::Dataset& d, const std::vector<std::string>& names) {
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  QCOMPARE(d.classNames, sorted);
  QCOMPARE(int(d.labels.size()), Samples);
  for (int n = 0; n < Samples; ++n)
    QCOMPARE(QString::fromStdString(d.classNames.at(d.labels.at(n))),
             QString::fromStdString(names.at(label(n))));
}

// ---- The files and what each should load as ----------------------------------------------------

struct NpyCase {
  const char* file = "";
  const char* descr = "";      // as the header holds it
  const char* fileShape = "";  // the array's shape as the loader's note prints it
  Shape shape;                 // one sample, as loaded
  bool channelsLast = false;   // N×H×W×C in the file
  bool fortran = false;
  Normalisation::Kind kind = Normalisation::Kind::None;
};

struct NpzCase {
  const char* file = "";
  const char* dataName = "";
  const char* labelName = "";  // "" when the archive has none
  const char* descr = "";
  const char* fileShape = "";
  Shape shape;
  bool channelsLast = false;
  Normalisation::Kind kind = Normalisation::Kind::None;
  const std::vector<std::string>* names = nullptr;  // labels names[label(n)], else label(n)
  const char* ignored = "";                         // the array the load ignores, if any
  const char* note = "";                            // another note the load must make
};

enum class CsvLabels { None, ClassNames, UnicodeNames, Integers };

struct CsvCase {
  const char* file = "";
  const char* layout = "";  // the loader's note: delimiter, header, rows and fields
  CsvLabels labels = CsvLabels::ClassNames;
  bool repr = false;      // repr_floats.csv's values, else csvValue
  const char* note = "";  // another note the load must make ("" for none)
};

struct RefusedCase {
  const char* file = "";
  const char* message = "";
  Error::Code code = Error::Code::Unsupported;
};

constexpr auto Range01 = Normalisation::Kind::Range01;

const std::vector<NpyCase>& npyCases() {
  const Shape tab = Shape::tabular(5), gray = Shape::image(1, 4, 5), rgb = Shape::image(3, 4, 5);
  static const std::vector<NpyCase> cases = {
      {.file = "tab_f2.npy", .descr = "<f2", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_f4.npy", .descr = "<f4", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_f8.npy", .descr = "<f8", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_f4_bigendian.npy", .descr = ">f4", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_u2_bigendian.npy", .descr = ">u2", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_i1.npy", .descr = "|i1", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_i2.npy", .descr = "<i2", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_i4.npy", .descr = "<i4", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_i8.npy", .descr = "<i8", .fileShape = "(12, 5)", .shape = tab},
      // uint8 is divided by 255 even as a table (pixels flattened to rows)
      {.file = "tab_u1.npy", .descr = "|u1", .fileShape = "(12, 5)", .shape = tab, .kind = Range01},
      {.file = "tab_u2.npy", .descr = "<u2", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_u4.npy", .descr = "<u4", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_u8.npy", .descr = "<u8", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_bool.npy", .descr = "|b1", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_f4_fortran.npy",
       .descr = "<f4",
       .fileShape = "(12, 5)",
       .shape = tab,
       .fortran = true},
      {.file = "tab_i8_fortran.npy",
       .descr = "<i8",
       .fileShape = "(12, 5)",
       .shape = tab,
       .fortran = true},
      {.file = "tab_f4_v2.npy", .descr = "<f4", .fileShape = "(12, 5)", .shape = tab},
      {.file = "tab_f4_v3.npy", .descr = "<f4", .fileShape = "(12, 5)", .shape = tab},
      // Images: uint8 / 255; other values kept when all lie in [0,1], else min-max scaled.
      {.file = "img_nhw_u1.npy",
       .descr = "|u1",
       .fileShape = "(12, 4, 5)",
       .shape = gray,
       .kind = Range01},
      {.file = "img_nhw_f4.npy", .descr = "<f4", .fileShape = "(12, 4, 5)", .shape = gray},
      {.file = "img_nhw_i2.npy",
       .descr = "<i2",
       .fileShape = "(12, 4, 5)",
       .shape = gray,
       .kind = Range01},
      {.file = "img_nhw_f8_fortran.npy",
       .descr = "<f8",
       .fileShape = "(12, 4, 5)",
       .shape = gray,
       .fortran = true},
      {.file = "img_nhw_bool.npy", .descr = "|b1", .fileShape = "(12, 4, 5)", .shape = gray},
      {.file = "img_nhwc_u1.npy",
       .descr = "|u1",
       .fileShape = "(12, 4, 5, 3)",
       .shape = rgb,
       .channelsLast = true,
       .kind = Range01},
      {.file = "img_nhwc1_u1.npy",
       .descr = "|u1",
       .fileShape = "(12, 4, 5, 1)",
       .shape = gray,
       .channelsLast = true,
       .kind = Range01},
      {.file = "img_nhwc_f4.npy",
       .descr = "<f4",
       .fileShape = "(12, 4, 5, 3)",
       .shape = rgb,
       .channelsLast = true},
      {.file = "img_nhwc_u1_fortran.npy",
       .descr = "|u1",
       .fileShape = "(12, 4, 5, 3)",
       .shape = rgb,
       .channelsLast = true,
       .fortran = true,
       .kind = Range01},
      {.file = "img_nchw_f4.npy", .descr = "<f4", .fileShape = "(12, 3, 4, 5)", .shape = rgb},
      {.file = "img_nchw_i1.npy",
       .descr = "|i1",
       .fileShape = "(12, 3, 4, 5)",
       .shape = rgb,
       .kind = Range01},
      {.file = "img_nchw_f2_fortran.npy",  // 0..1.25: min-max scaled
       .descr = "<f2",
       .fileShape = "(12, 3, 4, 5)",
       .shape = rgb,
       .fortran = true,
       .kind = Range01},
  };
  return cases;
}

const std::vector<NpzCase>& npzCases() {
  static const std::vector<NpzCase> cases = {
      {.file = "x_y.npz",
       .dataName = "x",
       .labelName = "y",
       .descr = "<f4",
       .fileShape = "(12, 4, 5)",
       .shape = Shape::image(1, 4, 5)},
      {.file = "X_labels_compressed.npz",  // labels N×1
       .dataName = "X",
       .labelName = "labels",
       .descr = "<f8",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5)},
      {.file = "data_y.npz",
       .dataName = "data",
       .labelName = "y",
       .descr = "|u1",
       .fileShape = "(12, 4, 5, 3)",
       .shape = Shape::image(3, 4, 5),
       .channelsLast = true,
       .kind = Range01},
      {.file = "labels_images_compressed.npz",  // labels stored first
       .dataName = "images",
       .labelName = "labels",
       .descr = "<f4",
       .fileShape = "(12, 3, 4, 5)",
       .shape = Shape::image(3, 4, 5)},
      {.file = "unnamed.npz",
       .dataName = "arr_0",
       .labelName = "arr_1",
       .descr = "<f4",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5)},
      {.file = "unnamed_compressed.npz",  // labels as whole float64 values
       .dataName = "arr_0",
       .labelName = "arr_1",
       .descr = "|u1",
       .fileShape = "(12, 4, 5)",
       .shape = Shape::image(1, 4, 5),
       .kind = Range01},
      {.file = "x_only_compressed.npz",
       .dataName = "x",
       .descr = "<i2",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5)},
      {.file = "string_labels.npz",  // y: '<U4' class names
       .dataName = "x",
       .labelName = "y",
       .descr = "<f4",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5),
       .names = &ClassNames,
       .note = "labels from array 'y': 4 classes (bird: 3, cat: 3, dog: 3, fish: 3)"},
      {.file = "string_labels_unicode_bigendian.npz",  // labels: '>U6', non-ASCII names
       .dataName = "X",
       .labelName = "labels",
       .descr = "<f8",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5),
       .names = &UnicodeNames,
       .note = "labels from array 'labels': 4 classes"},
      {.file = "string_labels_bytes_compressed.npz",  // y: '|S7', the same names in UTF-8
       .dataName = "images",
       .labelName = "y",
       .descr = "|u1",
       .fileShape = "(12, 4, 5)",
       .shape = Shape::image(1, 4, 5),
       .kind = Range01,
       .names = &UnicodeNames,
       .note = "labels from array 'y': 4 classes"},
      {.file = "unnamed_two_tables.npz",  // np.savez(f, X_train, X_test): arr_1 is no labels
       .dataName = "arr_0",
       .descr = "<f4",
       .fileShape = "(12, 5)",
       .shape = Shape::tabular(5),
       .ignored = "arr_1",
       .note = "array 'arr_1' (shape (4, 5) <f4) is not labels for 12 samples; ignored"},
  };
  return cases;
}

const std::vector<CsvCase>& csvCases() {
  const char* comma = "delimiter ',', header on line 1, 12 rows of 6 fields";
  const char* labelNote = "labels from column 6 ('label'): 4 classes";
  static const std::vector<CsvCase> cases = {
      {.file = "default.csv", .layout = comma, .note = labelNote},
      {.file = "excel_tab.tsv",
       .layout = "delimiter tab, header on line 1, 12 rows of 6 fields",
       .note = labelNote},
      {.file = "semicolon.csv",
       .layout = "delimiter ';', header on line 1, 12 rows of 6 fields",
       .note = labelNote},
      {.file = "quote_all.csv", .layout = comma, .note = labelNote},
      {.file = "quote_nonnumeric.csv", .layout = comma, .note = labelNote},
      {.file = "crlf_doubled.csv", .layout = comma, .note = labelNote},
      {.file = "quoted_text.csv",
       .layout = "delimiter ',', header on line 1, 12 rows of 7 fields",
       .note = "ignored column 1 ('name'): text"},
      {.file = "utf8_bom.csv",
       .layout = comma,
       .labels = CsvLabels::UnicodeNames,
       .note = "UTF-8 byte-order mark skipped"},
      {.file = "repr_floats.csv",
       .layout = "delimiter ',', no header row, 12 rows of 5 fields",
       .labels = CsvLabels::None,
       .repr = true},
      {.file = "dictwriter_int_labels.csv",
       .layout = comma,
       .labels = CsvLabels::Integers,
       .note = labelNote},
  };
  return cases;
}

const std::vector<RefusedCase>& refusedCases() {
  static const std::vector<RefusedCase> cases = {
      {"labels_1d.npy",
       "shape (12,) <i8: a dataset needs one sample per row, shape (N, D), (N, H, W) or "
       "(N, H, W, C) (a 1-D integer array can be the labels inside an .npz)"},
      {"img_4d_2channels.npy",
       "shape (12, 2, 4, 5) <f4: a 4-D array is read as N×H×W×C when its last dimension is 1, 3 "
       "or 4, else as N×C×H×W when its second is"},
      {"tab_complex.npy", "dtype '<c8' is not a plain number type"},
      {"strings.npy", "dtype '<U4' is not a plain number type"},
      {"objects.npy", "dtype '|O' is not a plain number type"},
      {"records.npy", "a structured dtype (record array)"},
      {"dates.npy", "dtype '<M8[D]' is not a plain number type"},
  };
  return cases;
}

}  // namespace

Q_DECLARE_METATYPE(NpyCase)
Q_DECLARE_METATYPE(NpzCase)
Q_DECLARE_METATYPE(CsvCase)
Q_DECLARE_METATYPE(RefusedCase)

class tst_PythonFiles : public QObject {
  Q_OBJECT

 private slots:
  void readsEveryArrayNpSaveWrites_data();
  void readsEveryArrayNpSaveWrites();
  void readsNpzByTheNamesUsersGive_data();
  void readsNpzByTheNamesUsersGive();
  void readsEveryDialectPythonCsvWrites_data();
  void readsEveryDialectPythonCsvWrites();
  void numpyOutputThatIsNoDatasetGivesClearError_data();
  void numpyOutputThatIsNoDatasetGivesClearError();
  void everyGeneratedFileIsTested();
};

void tst_PythonFiles::readsEveryArrayNpSaveWrites_data() {
  QTest::addColumn<NpyCase>("c");
  for (const NpyCase& c : npyCases()) QTest::newRow(c.file) << c;
}

void tst_PythonFiles::readsEveryArrayNpSaveWrites() {
  QFETCH(NpyCase, c);
  const latent::LoadResult r = latent::loadDatasetWithReport(dataPath(c.file), raw());
  const latent::Dataset& d = r.data;
  QCOMPARE(r.report.format, std::string("NumPy .npy"));
  const std::string header =
      "array " + std::string(c.fileShape) + " " + c.descr + (c.fortran ? ", Fortran order" : "");
  QCOMPARE(r.report.notes.at(0), header);
  QCOMPARE(d.shape, c.shape);
  QCOMPARE(d.count(), Samples);
  QVERIFY(!d.hasLabels());
  QCOMPARE(d.normalisation.kind, c.kind);
  const std::string descr = c.descr;
  const Comparison v =
      compareValues(d, c.channelsLast, [&](int n, int p) { return npyValue(descr, n, p); });
  qInfo("%s: largest difference %.3g", c.file, v.largest);
  QVERIFY2(v.firstMismatch.isEmpty(), qPrintable(v.firstMismatch));
  if (c.shape.kind == Shape::Kind::Image)
    QVERIFY(d.samples.minCoeff() >= 0 && d.samples.maxCoeff() <= 1);
}

void tst_PythonFiles::readsNpzByTheNamesUsersGive_data() {
  QTest::addColumn<NpzCase>("c");
  for (const NpzCase& c : npzCases()) QTest::newRow(c.file) << c;
}

void tst_PythonFiles::readsNpzByTheNamesUsersGive() {
  QFETCH(NpzCase, c);
  const latent::LoadResult r = latent::loadDatasetWithReport(dataPath(c.file), raw());
  const latent::Dataset& d = r.data;
  QCOMPARE(r.report.format, std::string("NumPy .npz"));
  const std::string labels =
      *c.labelName ? "; labels: array '" + std::string(c.labelName) + "'" : "";
  const std::string ignored = *c.ignored ? "; ignored '" + std::string(c.ignored) + "'" : "";
  const std::string chosen = "data: array '" + std::string(c.dataName) + "' " + c.fileShape + " " +
                             c.descr + labels + ignored;
  QVERIFY2(std::find(r.report.notes.begin(), r.report.notes.end(), chosen) != r.report.notes.end(),
           qPrintable(notes(r.report)));
  QVERIFY2(hasNote(r.report, c.note), qPrintable(notes(r.report)));
  QVERIFY2(r.report.warnings().empty(), qPrintable(notes(r.report)));
  QCOMPARE(d.shape, c.shape);
  QCOMPARE(d.count(), Samples);
  QCOMPARE(d.normalisation.kind, c.kind);
  const std::string descr = c.descr;
  const Comparison v =
      compareValues(d, c.channelsLast, [&](int n, int p) { return npyValue(descr, n, p); });
  qInfo("%s: largest difference %.3g", c.file, v.largest);
  QVERIFY2(v.firstMismatch.isEmpty(), qPrintable(v.firstMismatch));
  if (!*c.labelName)
    QVERIFY(!d.hasLabels());
  else if (c.names)
    checkNamedLabels(d, *c.names);
  else
    checkIntegerLabels(d);
}

void tst_PythonFiles::readsEveryDialectPythonCsvWrites_data() {
  QTest::addColumn<CsvCase>("c");
  for (const CsvCase& c : csvCases()) QTest::newRow(c.file) << c;
}

void tst_PythonFiles::readsEveryDialectPythonCsvWrites() {
  QFETCH(CsvCase, c);
  const latent::LoadResult r = latent::loadDatasetWithReport(dataPath(c.file), raw());
  const latent::Dataset& d = r.data;
  QCOMPARE(r.report.format, std::string("CSV"));
  QVERIFY2(hasNote(r.report, c.layout), qPrintable(notes(r.report)));
  QVERIFY2(hasNote(r.report, c.note), qPrintable(notes(r.report)));
  QVERIFY2(r.report.warnings().empty(), qPrintable(notes(r.report)));
  QCOMPARE(d.shape, Shape::tabular(5));
  QCOMPARE(d.count(), Samples);
  QCOMPARE(d.normalisation.kind, Normalisation::Kind::None);
  const Comparison v = compareValues(d, false, c.repr ? reprValue : csvValue);
  qInfo("%s: largest difference %.3g", c.file, v.largest);
  QVERIFY2(v.firstMismatch.isEmpty(), qPrintable(v.firstMismatch));
  switch (c.labels) {
    case CsvLabels::None:
      QVERIFY(!d.hasLabels());
      break;
    case CsvLabels::ClassNames:
      checkNamedLabels(d, ClassNames);
      break;
    case CsvLabels::UnicodeNames:
      checkNamedLabels(d, UnicodeNames);
      break;
    case CsvLabels::Integers:
      checkIntegerLabels(d);
      break;
  }
}

void tst_PythonFiles::numpyOutputThatIsNoDatasetGivesClearError_data() {
  QTest::addColumn<RefusedCase>("c");
  for (const RefusedCase& c : refusedCases()) QTest::newRow(c.file) << c;
}

void tst_PythonFiles::numpyOutputThatIsNoDatasetGivesClearError() {
  QFETCH(RefusedCase, c);
  const std::string file = dataPath(c.file);
  Error::Code code{};
  const QString msg = messageOf([&] { latent::loadDataset(file); }, &code);
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(file) + "'"), qPrintable(msg));
  QVERIFY2(msg.contains(QString::fromUtf8(c.message)), qPrintable(msg));
  QCOMPARE(int(code), int(c.code));
}

void tst_PythonFiles::everyGeneratedFileIsTested() {
  QStringList tested;
  for (const auto& c : npyCases()) tested << c.file;
  for (const auto& c : npzCases()) tested << c.file;
  for (const auto& c : csvCases()) tested << c.file;
  for (const auto& c : refusedCases()) tested << c.file;
  tested.sort();
  QStringList present = QDir(QString::fromStdString(dataPath(""))).entryList(QDir::Files);
  present.sort();
  QCOMPARE(present, tested);
}

QTEST_APPLESS_MAIN(tst_PythonFiles)
#include "tst_pythonfiles.moc"
