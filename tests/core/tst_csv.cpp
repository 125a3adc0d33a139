// Tests for the CSV/TSV loader: delimiter, header, decimal comma and BOM detection; label columns;
// missing values and ragged rows reported by line and column (refused, dropped or filled);
// per-feature scaling that maps back; time-series windows; clear errors for bad files.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>

#include "errormessage.h"
#include "io/csv.h"
#include "io/gzip.h"
#include "io/load.h"
#include "loadreport.h"

using latent::Error;
using latent::LoadOptions;
using latent::MissingPolicy;
using latent::Scaling;
using testutil::hasNote;
using testutil::messageOf;

namespace {

LoadOptions raw(MissingPolicy missing = MissingPolicy::Report) {
  LoadOptions o;
  o.scaling = Scaling::None;
  o.missing = missing;
  return o;
}

// Sample i's values as a vector, to compare with expectations in one QCOMPARE.
std::vector<float> sample(const latent::Dataset& d, int i) {
  return std::vector<float>(d.samples.col(i).data(), d.samples.col(i).data() + d.features());
}

// A quoted CSV of several MB (columns n, note, x, label; CRLF line ends) in which, at every
// multiple of 64 KiB, a record is placed so that the boundary cuts it at a chosen spot: whatever
// power-of-two chunk size the loader reads in, its chunks end there. `kind` picks the spot: inside
// a quoted line break, between the '\r' and '\n' of a line end, between the quotes of a "" pair,
// or inside a two-byte UTF-8 character. Row 1000 past 5 MB has a missing x; one record past 9 MB
// is ragged.
struct QuotedTable {
  std::string text;
  std::vector<float> n, x;  // of the rows kept when rows with missing values are dropped
  std::vector<int> odd;
  int64_t raggedLine = 0, missingLine = 0;
};

QuotedTable quotedTable(const QString& kind, size_t bytes) {
  QuotedTable t;
  t.text = "n,note,x,label\r\n";
  int64_t line = 2;
  const std::map<QString, std::string> specialNotes = {
      {"quoted line break", "first, second\nline"},
      {"CRLF pair", "plain"},
      {"quote pair", "say \"\"hi\"\" now"},
      {"UTF-8 character", "caf\xC3\xA9 cr\xC3\xA8me"}};
  const std::string specialNote = specialNotes.at(kind);
  const auto record = [](int i, const std::string& note, const std::string& x) {
    return std::to_string(5 + i) + ",\"" + note + "\"," + x + "," + (i % 2 ? "odd" : "even") +
           "\r\n";
  };
  // Where the boundary cuts the special record: the bytes of it that come before the boundary.
  const auto splitAt = [&](const std::string& r) -> size_t {
    if (kind == "quoted line break") return r.find('\n');
    if (kind == "CRLF pair") return r.size() - 1;
    if (kind == "quote pair") return r.find("\"\"") + 1;
    return r.find('\xC3') + 1;
  };
  const auto xOf = [](int i) { return std::to_string(i * 0.25); };
  const auto add = [&](int i, const std::string& note, const std::string& x) {
    const std::string r = record(i, note, x);
    t.text += r;
    if (x == "NA") {
      t.missingLine = line;
    } else {
      t.n.push_back(float(5 + i));
      t.x.push_back(float(i * 0.25));
      t.odd.push_back(i % 2);
    }
    line += std::count(r.begin(), r.end(), '\n');
  };
  size_t nextBoundary = 64 << 10;
  for (int i = 0; t.text.size() < bytes; ++i) {
    const std::string note = "note " + std::to_string(i);
    const std::string special = record(i + 1, specialNote, xOf(i + 1));
    const size_t target = nextBoundary - splitAt(special);  // where `special` must start
    if (t.text.size() + record(i, note, xOf(i)).size() + 60 > target) {
      // This record's note pads the text so that the next one, the special one, starts there.
      add(i, std::string(target - t.text.size() - record(i, "", xOf(i)).size(), 'p'), xOf(i));
      ++i;
      add(i, specialNote, xOf(i));
      nextBoundary += 64 << 10;
    } else if (t.missingLine == 0 && t.text.size() > (5u << 20)) {
      add(i, note, "NA");
    } else if (t.raggedLine == 0 && t.text.size() > (9u << 20)) {
      t.text += "1,\"two\",3\r\n";
      t.raggedLine = line++;
      add(i, note, xOf(i));
    } else {
      add(i, note, xOf(i));
    }
  }
  return t;
}

}  // namespace

class tst_Csv : public QObject {
  Q_OBJECT

 private slots:
  void detectsDialect_data();
  void detectsDialect();
  void decimalCommaWithSemicolonDelimiter();
  void bomIsSkippedAndLatin1IsRead();
  void quotedFieldsKeepDelimitersQuotesAndLineNumbers();
  void detectsLabelColumn_data();
  void detectsLabelColumn();
  void labelColumnByOption();
  void ignoresIndexTextAndEmptyColumns();
  void missingValuesRefusedWithLineAndColumn();
  void missingValuesDroppedOrFilled();
  void missingLabelDropsTheRowEvenWhenFilling();
  void raggedRowsReportedWithLineNumbers();
  void standardisesUnlessValuesLieInUnitRange();
  void scalingChoicesMapBack();
  void pixelColumnsAreDividedBy255();
  void readsGzippedCsv();
  void largeFileReadInChunksKeepsRowsAndLines_data();
  void largeFileReadInChunksKeepsRowsAndLines();
  void recordsStraddlingChunkBoundariesReadWhole_data();
  void recordsStraddlingChunkBoundariesReadWhole();
  void latin1AfterTheFirstChunkIsReadAsLatin1();
  void cutsTimeSeriesIntoWindows();
  void timeSeriesErrors();
  void badFileGivesClearError_data();
  void badFileGivesClearError();

 private:
  QTemporaryDir m_dir;
  std::string write(const char* name, const std::string& text) {
    const std::string path = (m_dir.path() + "/" + name).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

void tst_Csv::detectsDialect_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QString>("note");
  QTest::addColumn<bool>("header");
  QTest::newRow("comma, header") << QByteArray("a,b,c\n1,2,3\n4,5,6\n") << "delimiter ','" << true;
  QTest::newRow("comma, no header") << QByteArray("1,2,3\n4,5,6\n") << "delimiter ','" << false;
  QTest::newRow("comma with spaces")
      << QByteArray("a, b, c\n1, 2, 3\n4, 5, 6\n") << "delimiter ','" << true;
  QTest::newRow("semicolon") << QByteArray("a;b;c\n1;2;3\n4;5;6\n") << "delimiter ';'" << true;
  QTest::newRow("tab") << QByteArray("a\tb\tc\n1\t2\t3\n4\t5\t6\n") << "delimiter tab" << true;
  QTest::newRow("pipe") << QByteArray("a|b|c\n1|2|3\n4|5|6\n") << "delimiter '|'" << true;
  QTest::newRow("spaces") << QByteArray("  1  2 3\n4 5    6  \n") << "delimiter spaces" << false;
  QTest::newRow("crlf") << QByteArray("a,b,c\r\n1,2,3\r\n4,5,6\r\n") << "delimiter ','" << true;
  QTest::newRow("old mac cr") << QByteArray("a,b,c\r1,2,3\r4,5,6") << "delimiter ','" << true;
  QTest::newRow("blank lines") << QByteArray("\na,b,c\n\n1,2,3\n\n4,5,6\n\n") << "delimiter ','"
                               << true;
  QTest::newRow("savetxt comment header")
      << QByteArray("# a b c\n1.000e+00 2.000e+00 3.000e+00\n4.000e+00 5.000e+00 6.000e+00\n")
      << "comment line" << false;
  QTest::newRow("quoted numbers") << QByteArray("\"a\",\"b\",\"c\"\n\"1\",\"2\",\"3\"\n4,5,6\n")
                                  << "delimiter ','" << true;
  QTest::newRow("scientific, signs")
      << QByteArray("a,b,c\n+1,2e0,0.3e1\n4,50e-1,.6e1\n") << "delimiter ','" << true;
}

void tst_Csv::detectsDialect() {
  QFETCH(QByteArray, text);
  QFETCH(QString, note);
  QFETCH(bool, header);
  const auto r = latent::loadCsv(write("d.csv", text.toStdString()), raw());
  QCOMPARE(r.data.count(), 2);
  QCOMPARE(r.data.shape, latent::Shape::tabular(3));
  QCOMPARE(sample(r.data, 0), (std::vector<float>{1, 2, 3}));
  QCOMPARE(sample(r.data, 1), (std::vector<float>{4, 5, 6}));
  QVERIFY2(hasNote(r.report, note.toStdString()),
           qPrintable(QString::fromStdString(r.report.notes[0])));
  QCOMPARE(hasNote(r.report, "header on line"), header);
  QVERIFY(!r.data.hasLabels());
}

void tst_Csv::decimalCommaWithSemicolonDelimiter() {
  const auto r = latent::loadCsv(write("dc.csv", "x;y\n1,5;2,25\n-3;1.234,5\n"), raw());
  QVERIFY(hasNote(r.report, "decimal comma"));
  QCOMPARE(sample(r.data, 0), (std::vector<float>{1.5f, 2.25f}));
  QCOMPARE(sample(r.data, 1), (std::vector<float>{-3.0f, 1234.5f}));
  // A comma-delimited file never reads commas as decimal marks.
  const auto c = latent::loadCsv(write("c.csv", "1,5\n2,25\n"), raw());
  QCOMPARE(c.data.features(), 2);
  QCOMPARE(sample(c.data, 1), (std::vector<float>{2, 25}));
}

void tst_Csv::bomIsSkippedAndLatin1IsRead() {
  const auto r = latent::loadCsv(write("bom.csv", "\xEF\xBB\xBFx,label\n1,Käse\n2,Brot\n"), raw());
  QVERIFY(hasNote(r.report, "byte-order mark"));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"Brot", "Käse"}));
  QCOMPARE(r.data.labels, (std::vector<int>{1, 0}));
  // The same file in Latin-1 (ä = 0xE4): read, noted, class name in UTF-8.
  const auto l = latent::loadCsv(write("latin1.csv", "x,label\n1,K\xE4se\n2,Brot\n"), raw());
  QVERIFY(hasNote(l.report, "read as Latin-1"));
  QCOMPARE(l.data.classNames, (std::vector<std::string>{"Brot", "Käse"}));
}

void tst_Csv::quotedFieldsKeepDelimitersQuotesAndLineNumbers() {
  const std::string text =
      "a,b,name\n"
      "1,2,\"Smith, J\"\n"
      "3,4,\"two\nlines\"\n"      // a quoted newline: the next record starts on line 5
      "5,,\"say \"\"hi\"\"\"\n";  // line 5: b is missing
  const std::string path = write("q.csv", text);
  const QString msg = messageOf([&] { latent::loadCsv(path, raw()); });
  QVERIFY2(msg.contains("line 5, column 2 ('b') is missing"), qPrintable(msg));
  const auto r = latent::loadCsv(path, raw(MissingPolicy::DropRows));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"Smith, J", "two\nlines"}));
  QCOMPARE(r.report.droppedRows, (std::vector<int64_t>{5}));
}

void tst_Csv::detectsLabelColumn_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<int>("features");
  QTest::addColumn<QList<int>>("labels");
  QTest::addColumn<QStringList>("classes");
  QTest::newRow("text column last (iris)")
      << QByteArray("sl,sw,species\n5.1,3.5,setosa\n7,3.2,versicolor\n6.3,3.3,setosa\n") << 2
      << QList<int>{0, 1, 0} << QStringList{"setosa", "versicolor"};
  QTest::newRow("text column first, no header")
      << QByteArray("cat,1,2\ndog,3,4\n") << 2 << QList<int>{0, 1} << QStringList{"cat", "dog"};
  QTest::newRow("integer column named Label")
      << QByteArray("Label,p1,p2\n3,0.5,0.25\n7,1,0\n") << 2 << QList<int>{3, 7} << QStringList{};
  QTest::newRow("CLASS written as floats")
      << QByteArray("a,CLASS\n0.5,1.0\n0.25,0.0\n") << 1 << QList<int>{1, 0} << QStringList{};
  QTest::newRow("target -1/1 mapped") << QByteArray("a,b,target\n1,2,-1\n3,4,1\n5,6,-1\n") << 2
                                      << QList<int>{0, 1, 0} << QStringList{"-1", "1"};
  QTest::newRow("y with fractions is a feature")
      << QByteArray("x,y\n1,0.5\n2,1.5\n") << 2 << QList<int>{} << QStringList{};
  QTest::newRow("no header: integer last column stays a feature")
      << QByteArray("1,2,0\n3,4,1\n") << 3 << QList<int>{} << QStringList{};
}

void tst_Csv::detectsLabelColumn() {
  QFETCH(QByteArray, text);
  QFETCH(int, features);
  QFETCH(QList<int>, labels);
  QFETCH(QStringList, classes);
  const auto r = latent::loadCsv(write("l.csv", text.toStdString()), raw());
  QCOMPARE(r.data.features(), features);
  QCOMPARE(QList<int>(r.data.labels.begin(), r.data.labels.end()), labels);
  QStringList names;
  for (const auto& n : r.data.classNames) names << QString::fromStdString(n);
  QCOMPARE(names, classes);
  if (!labels.isEmpty()) QVERIFY(hasNote(r.report, "labels from column"));
}

void tst_Csv::labelColumnByOption() {
  const std::string path = write("o.csv", "a,b,kind\n1,2,0\n3,4,1\n5,6,1\n");
  LoadOptions o = raw();
  QVERIFY(!latent::loadCsv(path, o).data.hasLabels());  // "kind" is not a label name
  o.labelColumn = "KIND";
  auto r = latent::loadCsv(path, o);
  QCOMPARE(r.data.labels, (std::vector<int>{0, 1, 1}));
  QCOMPARE(r.data.features(), 2);
  o.labelColumn = "1";  // by number
  r = latent::loadCsv(path, o);
  QCOMPARE(r.data.labels, (std::vector<int>{1, 3, 5}));
  QCOMPARE(sample(r.data, 0), (std::vector<float>{2, 0}));
  o.labelColumn = "species";
  const QString msg = messageOf([&] { latent::loadCsv(path, o); });
  QVERIFY2(msg.contains("o.csv") && msg.contains("no label column 'species'") &&
               msg.contains("'a', 'b', 'kind'"),
           qPrintable(msg));
  LoadOptions none = raw();
  none.noLabelColumn = true;
  const auto n = latent::loadCsv(write("n.csv", "a,label\n1,0\n2,1\n"), none);
  QVERIFY(!n.data.hasLabels());
  QCOMPARE(n.data.features(), 2);
}

void tst_Csv::ignoresIndexTextAndEmptyColumns() {
  // pandas' to_csv: an unnamed index column; a free-text column; an empty column.
  const auto r = latent::loadCsv(
      write("p.csv", ",a,b,name,comment,empty\n0,1,2,x,hello,\n1,3,4,y,world,\n2,5,6,z,again,\n"),
      raw());
  QCOMPARE(r.data.features(), 2);
  QCOMPARE(sample(r.data, 2), (std::vector<float>{5, 6}));
  QVERIFY(!r.data.hasLabels());  // two text columns and none named like labels: no guess
  QVERIFY(hasNote(r.report, "column 1: a row index"));
  QVERIFY(hasNote(r.report, "column 4 ('name'): text"));
  QVERIFY(hasNote(r.report, "column 6 ('empty'): no values"));
  // R's write.csv: the header leaves out the row-name column; a trailing delimiter elsewhere.
  const auto rr = latent::loadCsv(write("r.csv", "\"a\",\"b\"\n\"1\",7,8\n\"2\",9,10\n"), raw());
  QCOMPARE(rr.data.features(), 2);
  QCOMPARE(sample(rr.data, 1), (std::vector<float>{9, 10}));
  const auto t = latent::loadCsv(write("t.csv", "a,b\n1,2,\n3,4,\n"), raw());
  QCOMPARE(t.data.features(), 2);
}

void tst_Csv::missingValuesRefusedWithLineAndColumn() {
  const std::string path = write("m.csv", "a,b,c\n1,2,3\n4,,6\n7,NA,inf\n-Infinity,8,NaN\n");
  Error::Code code{};
  const QString msg = messageOf([&] { latent::loadCsv(path, raw()); }, &code);
  QCOMPARE(code, Error::Code::Format);
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(path) + "': 5 missing or infinite values"),
           qPrintable(msg));
  QVERIFY2(msg.contains("line 3, column 2 ('b') is missing; line 4, column 2 ('b') is missing; "
                        "line 4, column 3 ('c') is infinite; line 5, column 1 ('a') is infinite"),
           qPrintable(msg));
  QVERIFY(msg.contains("drop those rows") && msg.contains("column mean"));
}

void tst_Csv::missingValuesDroppedOrFilled() {
  const std::string path = write("m.csv", "a,b\n1,10\n,20\n3,inf\n5,40\n");
  const auto dropped = latent::loadCsv(path, raw(MissingPolicy::DropRows));
  QCOMPARE(dropped.data.count(), 2);
  QCOMPARE(sample(dropped.data, 1), (std::vector<float>{5, 40}));
  QCOMPARE(dropped.report.droppedRows, (std::vector<int64_t>{3, 4}));
  QCOMPARE(dropped.report.badCellCount, int64_t(2));
  QCOMPARE(dropped.report.warnings().size(), size_t(1));
  QVERIFY(QString::fromStdString(dropped.report.warnings()[0])
              .contains("dropped 2 rows: line 3, line 4"));

  const auto filled = latent::loadCsv(path, raw(MissingPolicy::FillColumnMean));
  QCOMPARE(filled.data.count(), 4);
  QCOMPARE(sample(filled.data, 1), (std::vector<float>{3, 20}));         // mean of 1, 3, 5
  QCOMPARE(sample(filled.data, 2), (std::vector<float>{3, 70.0f / 3}));  // mean of 10, 20, 40
  QCOMPARE(filled.report.filledCount, int64_t(2));
  QVERIFY(QString::fromStdString(filled.report.warnings().at(0)).contains("line 3 column 'a'"));
}

void tst_Csv::missingLabelDropsTheRowEvenWhenFilling() {
  const auto r = latent::loadCsv(write("ml.csv", "a,label\n1,cat\n2,\n,dog\n"),
                                 raw(MissingPolicy::FillColumnMean));
  QCOMPARE(r.data.count(), 2);
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"cat", "dog"}));
  QCOMPARE(sample(r.data, 1), (std::vector<float>{1.5f}));
  QCOMPARE(r.report.droppedRows, (std::vector<int64_t>{3}));
}

void tst_Csv::raggedRowsReportedWithLineNumbers() {
  const std::string path = write("rag.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n\n9,10,11,12\n13,14,15\n");
  const QString msg = messageOf([&] { latent::loadCsv(path, raw()); });
  QVERIFY2(msg.contains("rag.csv") && msg.contains("2 ragged rows (rows should have 3 fields): "
                                                   "line 3 has 2, line 6 has 4"),
           qPrintable(msg));
  for (auto policy : {MissingPolicy::DropRows, MissingPolicy::FillColumnMean}) {
    const auto r = latent::loadCsv(path, raw(policy));
    QCOMPARE(r.data.count(), 3);
    QCOMPARE(sample(r.data, 2), (std::vector<float>{13, 14, 15}));
    QCOMPARE(r.report.raggedRowCount, int64_t(2));
    QCOMPARE(r.report.raggedRows.at(1).line, int64_t(6));
    QVERIFY(
        QString::fromStdString(r.report.warnings().at(0)).contains("line 3 has 2, line 6 has 4"));
  }
}

void tst_Csv::standardisesUnlessValuesLieInUnitRange() {
  const auto s = latent::loadCsv(write("s.csv", "a,b\n1,100\n2,100\n3,100\n"));
  QCOMPARE(s.data.normalisation.kind, latent::Normalisation::Kind::Standardise);
  QCOMPARE(s.data.normalisation.offset, (std::vector<float>{2, 100}));
  QCOMPARE(s.data.normalisation.scale[0], std::sqrt(2.0f / 3.0f));
  QCOMPARE(s.data.normalisation.scale[1], 1.0f);  // constant column: 0, not a division by zero
  QVERIFY(std::abs(s.data.samples.row(0).mean()) < 1e-6);
  QVERIFY(std::abs(s.data.samples.row(0).squaredNorm() / 3 - 1) < 1e-5);
  QCOMPARE(s.data.samples(1, 2), 0.0f);
  const auto u = latent::loadCsv(write("u.csv", "a,b\n0,0.5\n1,0.25\n"));
  QCOMPARE(u.data.normalisation.kind, latent::Normalisation::Kind::None);
  QVERIFY(hasNote(u.report, "already lie in [0,1]"));
  QCOMPARE(sample(u.data, 0), (std::vector<float>{0, 0.5f}));
}

void tst_Csv::scalingChoicesMapBack() {
  const std::string path = write("k.csv", "a,b\n-5,1000\n5,3000\n15,2000\n");
  for (Scaling scaling : {Scaling::Range01, Scaling::Standardise}) {
    LoadOptions o;
    o.scaling = scaling;
    const latent::Dataset d = latent::loadCsv(path, o).data;
    const float original[3][2] = {{-5, 1000}, {5, 3000}, {15, 2000}};
    for (int i = 0; i < 3; ++i)
      for (int f = 0; f < 2; ++f)
        QVERIFY(std::abs(d.samples(f, i) * d.normalisation.scale[f] + d.normalisation.offset[f] -
                         original[i][f]) < 1e-3);
    if (scaling == Scaling::Range01) QCOMPARE(sample(d, 1), (std::vector<float>{0.5f, 1.0f}));
  }
}

void tst_Csv::pixelColumnsAreDividedBy255() {
  // Kaggle's MNIST CSV: a label, then whole-number pixels 0..255.
  const auto table = [](int columns) {
    std::string t = "label";
    for (int c = 0; c < columns; ++c) t.append(",pixel").append(std::to_string(c));
    for (int r = 0; r < 3; ++r) {
      t += '\n';
      t += std::to_string(r);
      for (int c = 0; c < columns; ++c)
        t.append(",").append(std::to_string((r * 97 + c * 13) % 256));
    }
    return t + "\n";
  };
  const auto p = latent::loadCsv(write("pixels.csv", table(64)));
  QCOMPARE(p.data.features(), 64);
  QCOMPARE(p.data.labels, (std::vector<int>{0, 1, 2}));
  QCOMPARE(p.data.normalisation.kind, latent::Normalisation::Kind::Range01);
  QCOMPARE(p.data.normalisation.scale, (std::vector<float>{255.0f}));
  QCOMPARE(p.data.samples(5, 1), float((97 + 5 * 13) % 256) / 255.0f);
  QVERIFY(hasNote(p.report, "read as pixels"));
  // Fewer columns are an ordinary table: standardised.
  QCOMPARE(latent::loadCsv(write("narrow.csv", table(63))).data.normalisation.kind,
           latent::Normalisation::Kind::Standardise);
}

void tst_Csv::readsGzippedCsv() {
  const std::string text = "a;b\n1,5;2\n3;4\n";
  const std::string path = (m_dir.path() + "/z.csv.gz").toStdString();
  latent::writeGzipFile(path, std::vector<uint8_t>(text.begin(), text.end()));
  const auto r = latent::loadDatasetWithReport(path, raw());
  QCOMPARE(r.report.format, std::string("CSV"));
  QCOMPARE(sample(r.data, 0), (std::vector<float>{1.5f, 2}));
}

void tst_Csv::largeFileReadInChunksKeepsRowsAndLines_data() {
  QTest::addColumn<QString>("lineEnd");
  QTest::newRow("LF") << "\n";
  QTest::newRow("CRLF") << "\r\n";
}

// Files of several MB are parsed in parallel chunks: the rows, their order, the missing cells
// and the line numbers of ragged rows must be those of reading the file in order.
void tst_Csv::largeFileReadInChunksKeepsRowsAndLines() {
  QFETCH(QString, lineEnd);
  const std::string eol = lineEnd.toStdString();
  const int rows = 120000, columns = 8;
  std::string text = "a,b,c,d,e,f,g,h" + eol;
  int64_t line = 1;
  std::vector<int64_t> raggedLines;
  std::vector<int> kept;  // the generated row index of each data row, in order
  for (int r = 0; r < rows; ++r) {
    if (r % 1000 == 999) text += eol, ++line;  // blank lines shift the numbering
    ++line;
    if (r % 5003 == 17) {  // ragged: one field short
      text += "1,2,3,4,5,6,7" + eol;
      raggedLines.push_back(line);
      continue;
    }
    for (int c = 0; c < columns; ++c) {
      if (c) text += ',';
      text += (r % 997 == 3 && c == 2) ? std::string("NA") : std::to_string(r * columns + c);
    }
    text += eol;
    kept.push_back(r);
  }
  QVERIFY(text.size() > 4u << 20);  // several chunks
  const std::string path = write("large.csv", text);
  // Refused with the ragged rows' line numbers, which must count across chunks.
  const QString refused = messageOf([&] { latent::loadCsv(path, raw()); });
  QVERIFY2(refused.contains(QString("line %1 has 7").arg(raggedLines[0])), qPrintable(refused));
  QVERIFY2(refused.contains(QString("line %1 has 7").arg(raggedLines[5])), qPrintable(refused));

  const auto r = latent::loadCsv(path, raw(MissingPolicy::DropRows));
  QCOMPARE(r.report.raggedRowCount, int64_t(raggedLines.size()));
  for (size_t i = 0; i < r.report.raggedRows.size(); ++i)
    QCOMPARE(r.report.raggedRows[i].line, raggedLines[i]);
  int missingRows = 0;
  for (int g : kept) missingRows += g % 997 == 3;
  QCOMPARE(r.data.count(), int(kept.size()) - missingRows);
  int row = 0;
  for (int g : kept) {
    if (g % 997 == 3) continue;  // dropped for its missing cell
    for (int c = 0; c < columns; ++c)
      if (r.data.samples(c, row) != float(g * columns + c))
        QFAIL(qPrintable(
            QString("row %1 column %2: %3").arg(row).arg(c).arg(r.data.samples(c, row))));
    ++row;
  }
}

void tst_Csv::recordsStraddlingChunkBoundariesReadWhole_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<bool>("gzip");
  for (const char* kind : {"quoted line break", "CRLF pair", "quote pair", "UTF-8 character"})
    QTest::newRow(kind) << kind << false;
  QTest::newRow("quoted line break, gzip") << "quoted line break" << true;
}

// A file several chunks long, cut by the chunk boundaries inside records: every row, value,
// label and line number must be those of reading the whole text at once.
void tst_Csv::recordsStraddlingChunkBoundariesReadWhole() {
  QFETCH(QString, kind);
  QFETCH(bool, gzip);
  const QuotedTable t = quotedTable(kind, 10u << 20);
  for (size_t b = 64 << 10; b + 1 < t.text.size(); b += 64 << 10) {  // the cuts are where meant
    const char before = t.text[b - 1], after = t.text[b];
    const bool cut = kind == "quoted line break" ? after == '\n' && before == 'd'
                     : kind == "CRLF pair"       ? before == '\r' && after == '\n'
                     : kind == "quote pair"      ? before == '"' && after == '"'
                                                 : before == '\xC3' && uint8_t(after) == 0xA9;
    if (!cut) QFAIL(qPrintable(QString("the text at %1 is not cut as meant").arg(b)));
  }
  std::string path;
  if (gzip) {
    path = (m_dir.path() + "/straddle.csv.gz").toStdString();
    latent::writeGzipFile(path, std::vector<uint8_t>(t.text.begin(), t.text.end()));
  } else {
    path = write("straddle.csv", t.text);
  }
  const QString refused = messageOf([&] { latent::loadDatasetWithReport(path, raw()); });
  QVERIFY2(
      refused.contains(
          QString("1 ragged row (rows should have 4 fields): line %1 has 3").arg(t.raggedLine)),
      qPrintable(refused));

  const auto r = latent::loadDatasetWithReport(path, raw(MissingPolicy::DropRows));
  QCOMPARE(r.report.format, std::string("CSV"));
  QCOMPARE(r.report.raggedRowCount, int64_t(1));
  QCOMPARE(r.report.droppedRows, (std::vector<int64_t>{t.missingLine}));
  QVERIFY(hasNote(r.report, "column 2 ('note'): text"));
  QVERIFY(!hasNote(r.report, "Latin-1"));  // a UTF-8 character cut in two is still UTF-8
  QCOMPARE(r.data.count(), int(t.n.size()));
  QCOMPARE(r.data.features(), 2);
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"even", "odd"}));
  for (int i = 0; i < r.data.count(); ++i)
    if (r.data.samples(0, i) != t.n[i] || r.data.samples(1, i) != t.x[i] ||
        r.data.labels[i] != t.odd[i])
      QFAIL(qPrintable(QString("row %1: %2, %3, label %4; expected %5, %6, %7")
                           .arg(i)
                           .arg(r.data.samples(0, i))
                           .arg(r.data.samples(1, i))
                           .arg(r.data.labels[i])
                           .arg(t.n[i])
                           .arg(t.x[i])
                           .arg(t.odd[i])));
}

// The encoding is decided as the text arrives: a Latin-1 byte in a later chunk still turns the
// file into Latin-1, noted with its line, and its class name arrives in UTF-8.
void tst_Csv::latin1AfterTheFirstChunkIsReadAsLatin1() {
  std::string text = "a,b,label\n";
  const int rows = 400000;
  for (int i = 0; i < rows; ++i)
    text += std::to_string(i) + "," + std::to_string(i % 7) + "," +
            (i == rows - 10 ? "K\xE4se"
             : i % 2        ? "Brot"
                            : "Wurst") +
            "\n";
  QVERIFY(text.size() > 5u << 20);
  const auto r = latent::loadCsv(write("late-latin1.csv", text), raw());
  QVERIFY2(hasNote(r.report, "not UTF-8 (first at line " + std::to_string(rows - 10 + 2) +
                                 "): read as Latin-1"),
           qPrintable(QString::fromStdString(r.report.notes[0])));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"Brot", "Käse", "Wurst"}));
  QCOMPARE(r.data.count(), rows);
  QCOMPARE(r.data.labels[size_t(rows - 10)], 1);
  QCOMPARE(r.data.samples(0, rows - 1), float(rows - 1));
}

void tst_Csv::cutsTimeSeriesIntoWindows() {
  std::string text = "timestamp,temp,pressure,anomaly\n";
  for (int t = 0; t < 10; ++t)
    text += "2024-01-01 00:0" + std::to_string(t) + ":00," + std::to_string(t) + "," +
            std::to_string(100 + t) + "," + (t == 5 ? "1" : "0") + "\n";
  LoadOptions o = raw();
  o.windowLength = 4;
  o.windowStride = 2;
  const auto r = latent::loadCsv(write("ts.csv", text), o);
  QCOMPARE(r.report.format, std::string("time-series CSV"));
  QCOMPARE(r.data.shape, latent::Shape::sequence(4, 2));
  QCOMPARE(r.data.count(), 4);  // starts 0, 2, 4, 6
  // Time-major: step s, feature f at s * 2 + f.
  QCOMPARE(sample(r.data, 1), (std::vector<float>{2, 102, 3, 103, 4, 104, 5, 105}));
  QCOMPARE(r.data.labels, (std::vector<int>{0, 1, 1, 0}));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"normal", "anomalous"}));
  QVERIFY(hasNote(r.report, "column 1 ('timestamp'): text"));
  QVERIFY(hasNote(r.report, "10 time steps cut into 4 windows of 4 steps, stride 2"));
  // Standardised per feature: the normalisation has one entry per value of a window.
  o.scaling = Scaling::Standardise;
  const auto s = latent::loadCsv(write("ts.csv", text), o);
  QCOMPARE(s.data.normalisation.scale.size(), size_t(8));
  QCOMPARE(s.data.normalisation.offset[0], 4.5f);
  QCOMPARE(s.data.normalisation.offset[7], 104.5f);
  QCOMPARE(s.data.samples(2, 0) * s.data.normalisation.scale[2] + s.data.normalisation.offset[2],
           1.0f);
  // Default stride = window length; text anomaly labels.
  o = raw();
  o.windowLength = 5;
  const auto t = latent::loadCsv(write("tt.csv",
                                       "v,label\n1,normal\n2,normal\n3,normal\n"
                                       "4,normal\n5,normal\n6,spike\n7,normal\n8,normal\n"
                                       "9,normal\n10,normal\n11,normal\n"),
                                 o);
  QCOMPARE(t.data.count(), 2);
  QCOMPARE(t.data.labels, (std::vector<int>{0, 1}));
}

void tst_Csv::timeSeriesErrors() {
  LoadOptions o = raw();
  o.windowLength = 50;
  const std::string path = write("short.csv", "a\n1\n2\n3\n");
  const QString msg = messageOf([&] { latent::loadCsv(path, o); });
  QVERIFY2(msg.contains("short.csv") && msg.contains("3 steps, fewer than the window length 50"),
           qPrintable(msg));
  o.windowLength = 1;
  o.windowStride = 1;
  o.maxBytes = 1000;  // 3 windows of 1 value fit; a long series of wide windows does not
  QCOMPARE(latent::loadCsv(path, o).data.count(), 3);
  std::string longText = "a,b\n";
  for (int i = 0; i < 100; ++i) longText += "1,2\n";
  o.windowLength = 50;
  Error::Code code{};
  const QString big = messageOf([&] { latent::loadCsv(write("long.csv", longText), o); }, &code);
  QCOMPARE(code, Error::Code::TooLarge);
  QVERIFY2(big.contains("long.csv") && big.contains("memory cap"), qPrintable(big));
}

void tst_Csv::badFileGivesClearError_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QString>("message");
  QTest::newRow("empty") << QByteArray() << "the file is empty";
  QTest::newRow("blank lines only") << QByteArray("\n\n  \n") << "no data";
  QTest::newRow("header only") << QByteArray("a,b,label\n") << "no numeric columns";
  QTest::newRow("all text") << QByteArray("a,b\nx,y\nz,w\n") << "no numeric columns";
  QTest::newRow("text in a numeric column")
      << QByteArray("a,b\n1,2\n3,oops\n5,6\n") << "line 3, column 2 ('b'): 'oops' is not a number";
  QTest::newRow("unterminated quote")
      << QByteArray("a,b\n1,\"2\n3,4\n") << "line 2: a quoted field is never closed";
  QTest::newRow("text after quote") << QByteArray("a,b\n1,\"2\"x\n") << "line 2: text after the";
  QTest::newRow("binary") << QByteArray("a,b\n1,2\n\0\0\x01", 10) << "binary data";
  QTest::newRow("utf-16") << QByteArray(
                                 "\xFF\xFE"
                                 "a\0,\0b\0",
                                 8)
                          << "UTF-16";
  QTest::newRow("header mismatch") << QByteArray("a,b,c,d,e\n1,2\n3,4\n")
                                   << "the header (line 1) has 5 fields but the rows have 2";
  QTest::newRow("all rows dropped") << QByteArray("a,b\n1,\n,2\n") << "no rows are left";
}

void tst_Csv::badFileGivesClearError() {
  QFETCH(QByteArray, text);
  QFETCH(QString, message);
  const std::string path = write("bad.csv", text.toStdString());
  LoadOptions o =
      raw(QTest::currentDataTag() == QString("all rows dropped") ? MissingPolicy::DropRows
                                                                 : MissingPolicy::Report);
  const QString msg = messageOf([&] { latent::loadCsv(path, o); });
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(path) + "': "), qPrintable(msg));
  QVERIFY2(msg.contains(message), qPrintable(msg));
}

QTEST_APPLESS_MAIN(tst_Csv)
#include "tst_csv.moc"
