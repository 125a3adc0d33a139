// Tests for the NumPy loaders: every dtype in both byte orders, C and Fortran order, format
// versions 1–3, the image layout rules, and .npz archives as np.savez writes them (stored and
// deflated, zip64 local headers); hostile headers and archives are refused without allocating.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>

#include "errormessage.h"
#include "filebytes.h"
#include "io/gzip.h"
#include "io/load.h"
#include "io/npy.h"
#include "io/npz.h"
#include "io/zip.h"
#include "loadreport.h"

using latent::Error;
using latent::LoadOptions;
using testutil::hasNote;
using testutil::messageOf;
using testutil::notes;
using namespace testfiles;

Q_DECLARE_METATYPE(std::vector<uint64_t>)

namespace {

LoadOptions raw() {
  LoadOptions o;
  o.scaling = latent::Scaling::None;
  return o;
}

std::vector<float> values(const latent::Dataset& d) {
  return std::vector<float>(d.samples.data(), d.samples.data() + d.samples.size());
}

Bytes labelsNpy(const std::vector<double>& labels, const std::string& descr = "<i8") {
  return npyBytes(descr, {labels.size()}, labels);
}

/// A string array as np.save writes it: descr "<U3"/">U3" (UTF-32 code units, 4 bytes each, in
/// that byte order) or "|S3" (one byte per character), each value padded with NULs to the length.
/// Values may hold anything, invalid code points too.
Bytes stringsNpy(const std::string& descr, const std::vector<uint64_t>& shape,
                 const std::vector<std::u32string>& values) {
  Bytes out = npyHeader("{'descr': '" + descr +
                        "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }");
  const bool bytes = descr[1] == 'S';
  const size_t length = std::stoul(descr.substr(2));
  for (const std::u32string& v : values)
    for (size_t i = 0; i < length; ++i) {
      const uint32_t c = i < v.size() ? uint32_t(v[i]) : 0;
      const int size = bytes ? 1 : 4;
      for (int b = 0; b < size; ++b)
        out.push_back(uint8_t(c >> (8 * (descr[0] == '>' ? size - 1 - b : b))));
    }
  return out;
}

QByteArray toQByteArray(const Bytes& b) {
  return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
}

}  // namespace

class tst_Npy : public QObject {
  Q_OBJECT

 private slots:
  void readsEveryDtype_data();
  void readsEveryDtype();
  void fortranOrderIsReadInCOrder();
  void readsVersion2And3Headers();
  void readsGzippedNpy();
  void imageLayouts_data();
  void imageLayouts();
  void tabularNanFollowsTheMissingPolicy();
  void twoDimensionalArrayAsTimeSeries();
  void badNpyGivesClearError_data();
  void badNpyGivesClearError();
  void hugeShapeIsRefusedWithoutAllocating();
  void readsNpzAsNumpyWritesIt_data();
  void readsNpzAsNumpyWritesIt();
  void npzLabelsAreMappedAndChecked();
  void npzStringLabelsBecomeClassNames();
  void npzSecondTableIsIgnoredWithANote();
  void badNpzLabelsGiveClearErrorOrAreIgnored_data();
  void badNpzLabelsGiveClearErrorOrAreIgnored();
  void badNpzGivesClearError_data();
  void badNpzGivesClearError();
  void writtenNpyReadsBack();

 private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
  std::string write(const char* name, const Bytes& bytes) {
    writeBytes(path(name), bytes);
    return path(name);
  }
};

void tst_Npy::readsEveryDtype_data() {
  QTest::addColumn<QString>("descr");
  QTest::addColumn<QList<double>>("input");
  const QList<double> small = {0, 1, 2, 3, 100, 127};
  const QList<double> signedValues = {-128, -1, 0, 1, 2, 127};
  const QList<double> wide = {-40000, -1, 0, 1, 65535, 1e6};
  const QList<double> fractions = {0.5, -1, 2, 3, 1024, -0.25};
  for (const char* d : {"|u1", "|i1"})
    QTest::newRow(d) << d << (d[1] == 'u' ? small : signedValues);
  for (const char* d : {"<u2", ">u2", "<u4", ">u4", "<u8", ">u8"})
    QTest::newRow(d) << d << QList<double>{0, 1, 2, 300, 65535, 40000};
  for (const char* d : {"<i2", ">i2"})
    QTest::newRow(d) << d << QList<double>{-30000, -1, 0, 1, 2, 30000};
  for (const char* d : {"<i4", ">i4", "<i8", ">i8", "<f4", ">f4", "<f8", ">f8"})
    QTest::newRow(d) << d << (d[1] == 'f' ? fractions : wide);
  QTest::newRow("<f2") << "<f2" << fractions;
  QTest::newRow("|b1") << "|b1" << QList<double>{0, 1, 1, 0, 0, 1};
}

void tst_Npy::readsEveryDtype() {
  QFETCH(QString, descr);
  QFETCH(QList<double>, input);
  const std::vector<double> v(input.begin(), input.end());
  const auto r = latent::loadNpy(write("t.npy", npyBytes(descr.toStdString(), {2, 3}, v)), raw());
  QCOMPARE(r.data.shape, latent::Shape::tabular(3));
  QCOMPARE(r.data.count(), 2);
  const bool bytes = descr == "|u1";
  std::vector<float> expected;
  for (double x : v) expected.push_back(bytes ? float(x) / 255.0f : float(x));
  QCOMPARE(values(r.data), expected);  // row-major (2, 3) = samples column by column
  QCOMPARE(r.data.normalisation.kind,
           bytes ? latent::Normalisation::Kind::Range01 : latent::Normalisation::Kind::None);
}

void tst_Npy::fortranOrderIsReadInCOrder() {
  // a[i][j] = 10 i + j for shape (2, 3), written column by column as Fortran order stores it.
  const auto t =
      latent::loadNpy(write("f.npy", npyBytes("<f8", {2, 3}, {0, 10, 1, 11, 2, 12}, true)), raw());
  QCOMPARE(values(t.data), (std::vector<float>{0, 1, 2, 10, 11, 12}));
  QVERIFY(t.report.notes.at(0).find("Fortran order") != std::string::npos);
  // Images (2, 2, 3) in Fortran order: value = 100 n + 10 y + x, first index fastest.
  std::vector<double> file;
  for (int x = 0; x < 3; ++x)
    for (int y = 0; y < 2; ++y)
      for (int n = 0; n < 2; ++n) file.push_back(100 * n + 10 * y + x);
  const auto i = latent::loadNpy(write("fi.npy", npyBytes("<i2", {2, 2, 3}, file, true)));
  QCOMPARE(i.data.shape, latent::Shape::image(1, 2, 3));
  const float scale = i.data.normalisation.scale[0], offset = i.data.normalisation.offset[0];
  for (int n = 0; n < 2; ++n)
    for (int p = 0; p < 6; ++p)
      QCOMPARE(i.data.samples(p, n) * scale + offset, float(100 * n + 10 * (p / 3) + p % 3));
}

void tst_Npy::readsVersion2And3Headers() {
  for (int major : {2, 3}) {
    const auto r =
        latent::loadNpy(write("v.npy", npyBytes("<f4", {1, 2}, {0.25, 0.5}, false, major)));
    QCOMPARE(values(r.data), (std::vector<float>{0.25f, 0.5f}));
  }
}

void tst_Npy::readsGzippedNpy() {
  latent::writeGzipFile(path("z.npy.gz"),
                        npyBytes("|u1", {2, 2, 2}, {0, 255, 51, 102, 0, 0, 0, 255}));
  const auto r = latent::loadDatasetWithReport(path("z.npy.gz"));
  QCOMPARE(r.report.format, std::string("NumPy .npy"));
  QCOMPARE(r.data.shape, latent::Shape::image(1, 2, 2));
  QCOMPARE(values(r.data), (std::vector<float>{0, 1, 0.2f, 0.4f, 0, 0, 0, 1}));
}

void tst_Npy::imageLayouts_data() {
  QTest::addColumn<QString>("descr");
  QTest::addColumn<std::vector<uint64_t>>("shape");
  QTest::addColumn<int>("channels");
  QTest::addColumn<bool>("channelsLast");
  QTest::newRow("N×H×W") << "|u1" << std::vector<uint64_t>{2, 3, 4} << 1 << false;
  QTest::newRow("N×H×W×1") << "|u1" << std::vector<uint64_t>{2, 3, 4, 1} << 1 << true;
  QTest::newRow("N×H×W×3") << "<f4" << std::vector<uint64_t>{2, 3, 4, 3} << 3 << true;
  QTest::newRow("N×H×W×4") << "|u1" << std::vector<uint64_t>{2, 3, 4, 4} << 4 << true;
  QTest::newRow("N×1×H×W") << "<f8" << std::vector<uint64_t>{2, 1, 3, 5} << 1 << false;
  QTest::newRow("N×3×H×W") << ">f4" << std::vector<uint64_t>{2, 3, 5, 6} << 3 << false;
}

void tst_Npy::imageLayouts() {
  QFETCH(QString, descr);
  QFETCH(std::vector<uint64_t>, shape);
  QFETCH(int, channels);
  QFETCH(bool, channelsLast);
  // value = n·64 + c·16 + y·4 + x (< 128: exact in every dtype), in the file's own layout.
  const int h = int(channelsLast || shape.size() == 3 ? shape[1] : shape[2]);
  const int w = int(channelsLast || shape.size() == 3 ? shape[2] : shape[3]);
  std::vector<double> v;
  for (int n = 0; n < 2; ++n)
    for (int a = 0; a < (channelsLast ? h : channels); ++a)
      for (int b = 0; b < (channelsLast ? w : h); ++b)
        for (int k = 0; k < (channelsLast ? channels : w); ++k) {
          const int c = channelsLast ? k : a, y = channelsLast ? a : b, x = channelsLast ? b : k;
          v.push_back(n * 64 + c * 16 + y * 4 + x);
        }
  const auto r = latent::loadNpy(write("img.npy", npyBytes(descr.toStdString(), shape, v)));
  QCOMPARE(r.data.shape, latent::Shape::image(channels, h, w));
  const auto& norm = r.data.normalisation;
  QCOMPARE(norm.kind, latent::Normalisation::Kind::Range01);
  QCOMPARE(norm.offset[0], 0.0f);  // every layout's minimum is 0
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < channels; ++c)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const float stored = r.data.samples((c * h + y) * w + x, n);
          QCOMPARE(stored * norm.scale[0] + norm.offset[0], float(n * 64 + c * 16 + y * 4 + x));
        }
  QVERIFY(r.data.samples.minCoeff() >= 0 && r.data.samples.maxCoeff() <= 1);
}

void tst_Npy::tabularNanFollowsTheMissingPolicy() {
  const std::string file = write("nan.npy", npyBytes("<f8", {3, 2}, {1, 2, 3, NAN, 5, INFINITY}));
  const QString msg = messageOf([&] { latent::loadNpy(file, raw()); });
  QVERIFY2(msg.contains("nan.npy") && msg.contains("row 1, column 1 is missing; row 2, column 1 "
                                                   "is infinite"),
           qPrintable(msg));
  LoadOptions o = raw();
  o.missing = latent::MissingPolicy::DropRows;
  const auto d = latent::loadNpy(file, o);
  QCOMPARE(values(d.data), (std::vector<float>{1, 2}));
  QCOMPARE(d.report.droppedRows, (std::vector<int64_t>{1, 2}));
  QVERIFY(QString::fromStdString(d.report.warnings().at(0)).contains("row 1, row 2"));
  o.missing = latent::MissingPolicy::FillColumnMean;
  QCOMPARE(values(latent::loadNpy(file, o).data), (std::vector<float>{1, 2, 3, 2, 5, 2}));
  // Images: NaN is an error naming the image.
  const QString img = messageOf([&] {
    latent::loadNpy(write("nanimg.npy", npyBytes("<f4", {2, 1, 2}, {0, 1, NAN, 0})));
  });
  QVERIFY2(img.contains("nanimg.npy") && img.contains("image 1 holds a NaN"), qPrintable(img));
}

void tst_Npy::twoDimensionalArrayAsTimeSeries() {
  std::vector<double> v;
  for (int t = 0; t < 6; ++t) v.insert(v.end(), {double(t), double(10 * t)});
  LoadOptions o = raw();
  o.windowLength = 3;
  o.windowStride = 1;
  const auto r = latent::loadNpy(write("ts.npy", npyBytes("<f4", {6, 2}, v)), o);
  QCOMPARE(r.data.shape, latent::Shape::sequence(3, 2));
  QCOMPARE(r.data.count(), 4);
  QCOMPARE(std::vector<float>(r.data.samples.col(3).data(), r.data.samples.col(3).data() + 6),
           (std::vector<float>{3, 30, 4, 40, 5, 50}));
}

void tst_Npy::badNpyGivesClearError_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("message");
  QTest::addColumn<int>("code");
  const auto row = [](const char* name, const Bytes& b, const char* msg, Error::Code code) {
    QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
                        << msg << int(code);
  };
  const auto F = Error::Code::Format, U = Error::Code::Unsupported, T = Error::Code::TooLarge;
  const Bytes good = npyBytes("<f4", {2, 3}, {1, 2, 3, 4, 5, 6});
  row("empty", {}, "the file is empty", F);
  row("wrong magic", Bytes{'G', 'A', 'R', 'B', 'A', 'G', 'E', '!', 1, 2, 3, 4},
      "not a NumPy .npy file", F);
  Bytes v4 = good;
  v4[6] = 4;
  row("version 4.0", v4, ".npy format version 4.0", U);
  row("truncated header", Bytes(good.begin(), good.begin() + 40), "truncated", F);
  Bytes hugeHeader = npyHeader("{}", 2);
  hugeHeader[8] = hugeHeader[9] = hugeHeader[10] = 0xFF;
  hugeHeader[11] = 0x7F;
  row("huge header length", hugeHeader, "that is no NumPy header", F);
  row("truncated data", Bytes(good.begin(), good.end() - 4),
      "declares shape (2, 3) of <f4 (24 bytes) but the file holds 20 bytes", F);
  Bytes extra = good;
  extra.push_back(0);
  row("extra data", extra, "holds more bytes after the header", F);
  row("structured dtype",
      npyHeader("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }"),
      "a structured dtype", U);
  row("strings", npyHeader("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }"),
      "dtype '<U5' is not a plain number type", U);
  row("complex", npyHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }"),
      "dtype '<c8'", U);
  row("object", npyHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), "dtype '|O'",
      U);
  row("1-D", npyBytes("<f4", {3}, {1, 2, 3}), "shape (3,) <f4: a dataset needs one sample per row",
      U);
  row("scalar", npyBytes("<f4", {}, {1}), "shape () <f4", U);
  row("5-D", npyBytes("|u1", {1, 1, 1, 1, 2}, {1, 2}), "arrays of 2 to 4 dimensions", U);
  row("4-D without channel axis", npyBytes("|u1", {1, 2, 2, 2}, std::vector<double>(8, 1)),
      "N×H×W×C when its last dimension is 1, 3 or 4", U);
  row("zero samples", npyBytes("<f4", {0, 3}, {}), "holds no values", F);
  row("no shape key", npyHeader("{'descr': '<f4', 'fortran_order': False, }"),
      "malformed .npy header ('descr', 'fortran_order' and 'shape' are required", F);
  row("negative dimension",
      npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }"),
      "a negative dimension", F);
  row("not a dict", npyHeader("['descr', '<f4']"), "expected '{'", F);
  row("dimension overflows 64 bits",
      npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1), }"),
      "overflows 64 bits", T);
  row("product overflows", npyBytes("<f8", {4294967296, 4294967296, 4294967296}, {}),
      "more than any file can hold", T);
}

void tst_Npy::badNpyGivesClearError() {
  QFETCH(QByteArray, bytes);
  QFETCH(QString, message);
  QFETCH(int, code);
  const std::string file = write("bad.npy", Bytes(bytes.begin(), bytes.end()));
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadDataset(file); }, &got);
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(file) + "': "), qPrintable(msg));
  QVERIFY2(msg.contains(message), qPrintable(msg));
  QCOMPARE(int(got), code);
}

void tst_Npy::hugeShapeIsRefusedWithoutAllocating() {
  // 4e12 float64 values: over the 4 GiB default cap, refused before any allocation (allocating
  // would throw std::bad_alloc, not latent::Error) and before reading the data.
  const std::string file = write("huge.npy", npyBytes("<f8", {2000000, 2000000}, {1, 2}));
  QElapsedTimer timer;
  timer.start();
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadNpy(file); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  QVERIFY2(msg.contains("huge.npy") && msg.contains("shape (2000000, 2000000)") &&
               msg.contains("memory cap"),
           qPrintable(msg));
  QVERIFY(timer.elapsed() < 1000);
  // Under a small cap, an honest file is refused by its float32 size too.
  LoadOptions o;
  o.maxBytes = 100;
  const std::string small = write("u8.npy", npyBytes("|u1", {10, 10}, std::vector<double>(100, 1)));
  QCOMPARE(messageOf([&] { latent::loadNpy(small, o); }, &got).contains("memory cap of 100"), true);
}

void tst_Npy::readsNpzAsNumpyWritesIt_data() {
  QTest::addColumn<QStringList>("names");
  QTest::addColumn<QString>("dataName");
  QTest::addColumn<QString>("labelName");
  QTest::addColumn<bool>("deflate");
  for (bool deflate : {false, true}) {
    const char* how = deflate ? "savez_compressed" : "savez";
    QTest::addRow("x, y (%s)", how) << QStringList{"x", "y"} << "x"
                                    << "y" << deflate;
    QTest::addRow("labels first (%s)", how) << QStringList{"labels", "images"} << "images"
                                            << "labels" << deflate;
    QTest::addRow("arr_0, arr_1 (%s)", how) << QStringList{"arr_0", "arr_1"} << "arr_0"
                                            << "arr_1" << deflate;
    QTest::addRow("keras mnist (%s)", how)
        << QStringList{"x_test", "x_train", "y_train", "y_test"} << "x_train"
        << "y_train" << deflate;
    QTest::addRow("other names: first two (%s)", how) << QStringList{"pix", "cls"} << "pix"
                                                      << "cls" << deflate;
    QTest::addRow("one array (%s)", how) << QStringList{"whatever"} << "whatever"
                                         << "" << deflate;
  }
}

void tst_Npy::readsNpzAsNumpyWritesIt() {
  QFETCH(QStringList, names);
  QFETCH(QString, dataName);
  QFETCH(QString, labelName);
  QFETCH(bool, deflate);
  // Data arrays: 3 images of 2×2 uint8, value 10·n + p (+ 100 for the decoys); labels 7, 8, 9.
  std::vector<ZipMember> members;
  for (const QString& name : names) {
    const bool isLabels = name == labelName || (name.startsWith("y") && name != labelName);
    std::vector<double> v;
    for (int i = 0; i < (isLabels ? 3 : 12); ++i)
      v.push_back(isLabels ? 7 + i : 10 * (i / 4) + i % 4 + (name == dataName ? 0 : 100));
    members.push_back(
        {name.toStdString() + ".npy", isLabels ? labelsNpy(v) : npyBytes("|u1", {3, 2, 2}, v)});
  }
  const auto r = latent::loadDatasetWithReport(write("a.npz", zipBytes(members, deflate)));
  QCOMPARE(r.report.format, std::string("NumPy .npz"));
  QCOMPARE(r.data.shape, latent::Shape::image(1, 2, 2));
  QCOMPARE(r.data.samples(3, 2) * 255.0f, 23.0f);
  QCOMPARE(r.data.hasLabels(), !labelName.isEmpty());
  if (!labelName.isEmpty()) QCOMPARE(r.data.labels, (std::vector<int>{7, 8, 9}));
  QVERIFY2(r.report.notes.at(0).find("data: array '" + dataName.toStdString() + "'") !=
               std::string::npos,
           r.report.notes.at(0).c_str());
}

void tst_Npy::npzLabelsAreMappedAndChecked() {
  const Bytes x = npyBytes("<f4", {3, 2}, {0, 0.5, 1, 0.25, 0.5, 0.75});
  auto r = latent::loadNpz(
      write("m.npz", zipBytes({{"x.npy", x}, {"y.npy", labelsNpy({-1, 1, -1}, ">i4")}}, true)));
  QCOMPARE(r.data.labels, (std::vector<int>{0, 1, 0}));
  QCOMPARE(r.data.classNames, (std::vector<std::string>{"-1", "1"}));
  // Whole-valued float labels and N×1 labels are accepted.
  r = latent::loadNpz(write(
      "f.npz", zipBytes({{"x.npy", x}, {"y.npy", npyBytes("<f8", {3, 1}, {2, 0, 1})}}, false)));
  QCOMPARE(r.data.labels, (std::vector<int>{2, 0, 1}));
  // Named labels that do not fit are an error naming the array; unnamed ones are only noted.
  QString msg = messageOf([&] {
    latent::loadNpz(
        write("bad.npz", zipBytes({{"x.npy", x}, {"y.npy", labelsNpy({1, 2})}}, false)));
  });
  QVERIFY2(msg.contains("bad.npz' array 'y'") && msg.contains("2 labels for 3 samples"),
           qPrintable(msg));
  msg = messageOf([&] {
    latent::loadNpz(
        write("frac.npz",
              zipBytes({{"x.npy", x}, {"labels.npy", npyBytes("<f4", {3}, {0, 0.5, 1})}}, false)));
  });
  QVERIFY2(msg.contains("array 'labels'") && msg.contains("at index 1 is not a whole number"),
           qPrintable(msg));
  r = latent::loadNpz(write(
      "u.npz",
      zipBytes({{"a.npy", x}, {"b.npy", npyBytes("<f4", {3, 2}, {0, 0, 0, 0, 0, 0})}}, false)));
  QVERIFY(!r.data.hasLabels());
  QCOMPARE(r.report.notes.at(0),
           std::string("array 'b' (shape (3, 2) <f4) is not labels for 3 samples; ignored"));
}

void tst_Npy::npzStringLabelsBecomeClassNames() {
  const Bytes table = npyBytes("<f4", {3, 2}, {0, 0.5, 1, 0.25, 0.5, 0.75});
  const Bytes images = npyBytes("|u1", {3, 1, 2}, {0, 255, 51, 102, 0, 0});
  const auto load = [&](const char* name, const Bytes& x, const std::string& labelName,
                        const Bytes& y) {
    return latent::loadDatasetWithReport(
        write(name, zipBytes({{"x.npy", x}, {labelName + ".npy", y}}, true)), raw());
  };
  using Names = std::vector<std::string>;
  // str labels on a table: sorted unique names are the classes, as a CSV label column's.
  auto r = load("u.npz", table, "y", stringsNpy("<U3", {3}, {U"dog", U"cat", U"dog"}));
  QCOMPARE(r.data.classNames, (Names{"cat", "dog"}));
  QCOMPARE(r.data.labels, (std::vector<int>{1, 0, 1}));
  QVERIFY2(hasNote(r.report, "labels from array 'y': 2 classes (cat: 1, dog: 2)"),
           qPrintable(notes(r.report)));
  // Big-endian UTF-32 on images, beyond Latin-1 and beyond the BMP; N×1; sorted by UTF-8 bytes.
  r = load("be.npz", images, "labels",
           stringsNpy(">U6", {3, 1}, {U"\u6771\u4eac", U"Z\u00fcrich", U"\U0001F600"}));
  QCOMPARE(r.data.shape, latent::Shape::image(1, 1, 2));
  QCOMPARE(r.data.classNames,
           (Names{"Z\xC3\xBCrich", "\xE6\x9D\xB1\xE4\xBA\xAC", "\xF0\x9F\x98\x80"}));
  QCOMPARE(r.data.labels, (std::vector<int>{1, 0, 2}));
  QVERIFY2(hasNote(r.report, "labels from array 'labels': 3 classes"), qPrintable(notes(r.report)));
  // Byte strings, unnamed (np.savez(f, X, y)): UTF-8 when valid...
  r = load("s.npz", table, "arr_1", stringsNpy("|S4", {3}, {U"bird", U"ant", U"ant"}));
  QCOMPARE(r.data.classNames, (Names{"ant", "bird"}));
  QCOMPARE(r.data.labels, (std::vector<int>{1, 0, 0}));
  // ... else Latin-1, as the CSV loader reads text that is not UTF-8.
  r = load("latin1.npz", table, "y", stringsNpy("|S5", {3}, {U"na\u00efve", U"caf\u00e9", U"x"}));
  QCOMPARE(r.data.classNames, (Names{"caf\xC3\xA9", "na\xC3\xAFve", "x"}));
  QCOMPARE(r.data.labels, (std::vector<int>{1, 0, 2}));
  QVERIFY2(hasNote(r.report,
                   "array 'y': byte strings not UTF-8 (first at index 0): read as "
                   "Latin-1"),
           qPrintable(notes(r.report)));
  // Digits as strings are whole numbers, as in a CSV file.
  r = load("digits.npz", images, "y", stringsNpy("<U2", {3}, {U"3", U"10", U"3"}));
  QCOMPARE(r.data.labels, (std::vector<int>{3, 10, 3}));
  QVERIFY(r.data.classNames.empty());
}

void tst_Npy::npzSecondTableIsIgnoredWithANote() {
  // np.savez(f, X_train, X_test): arr_1 is no labels; the data loads and the report says why.
  const Bytes train = npyBytes("<f4", {3, 2}, {0, 0.5, 1, 0.25, 0.5, 0.75});
  const Bytes test = npyBytes("<f4", {2, 2}, {1, 1, 0, 0});
  const auto r = latent::loadDatasetWithReport(
      write("two.npz", zipBytes({{"arr_0.npy", train}, {"arr_1.npy", test}}, false)), raw());
  QCOMPARE(r.data.count(), 3);
  QVERIFY(!r.data.hasLabels());
  QCOMPARE(r.report.notes.at(0),
           std::string("array 'arr_1' (shape (2, 2) <f4) is not labels for 3 samples; ignored"));
  QVERIFY2(hasNote(r.report, "data: array 'arr_0' (3, 2) <f4; ignored 'arr_1'"),
           qPrintable(notes(r.report)));
}

void tst_Npy::badNpzLabelsGiveClearErrorOrAreIgnored_data() {
  QTest::addColumn<QByteArray>("labels");
  QTest::addColumn<QString>("message");  // named 'y': the error holds it
  QTest::addColumn<int>("code");
  QTest::addColumn<QString>("note");  // unnamed 'arr_1': ignored, and the note holds it
  const auto row = [](const char* name, const Bytes& y, const QString& msg, Error::Code code,
                      const QString& note) {
    QTest::newRow(name) << toQByteArray(y) << msg << int(code) << note;
  };
  const auto F = Error::Code::Format, U = Error::Code::Unsupported, T = Error::Code::TooLarge;
  const QString cannot = "'y': cannot be the labels: ";
  const QString ignored = "array 'arr_1' (shape %1) is not labels for 3 samples (%2); ignored";
  // The header's size is checked against the bytes present before anything is allocated.
  Bytes shortU = npyHeader("{'descr': '<U4', 'fortran_order': False, 'shape': (3,), }");
  shortU.resize(shortU.size() + 20, 'a');
  const QString shortMsg =
      "the header declares shape (3,) of <U4 (48 bytes) but the file holds 20 bytes after the "
      "header (truncated?)";
  row("<U data shorter than the header says", shortU, "'y': " + shortMsg, F,
      "array 'arr_1' is not labels for 3 samples (" + shortMsg + "); ignored");
  const QString hugeU =
      "dtype '<U1000000000' declares strings longer than the 536870911 "
      "characters LatentLab reads";
  row("huge <U itemsize",
      npyHeader("{'descr': '<U1000000000', 'fortran_order': False, 'shape': (3,), }"),
      "'y': " + hugeU, T, "array 'arr_1' is not labels for 3 samples (" + hugeU + "); ignored");
  const QString hugeS =
      "shape (3,) of |S2000000000 needs 6000000000 bytes, more than the memory cap of "
      "4294967296 bytes";
  row("huge |S itemsize over the cap",
      npyHeader("{'descr': '|S2000000000', 'fortran_order': False, 'shape': (3,), }"),
      "'y': " + hugeS, T, "array 'arr_1' is not labels for 3 samples (" + hugeS + "); ignored");
  row("no characters", npyHeader("{'descr': '<U0', 'fortran_order': False, 'shape': (3,), }"),
      "dtype '<U0' holds strings of 0 characters", U, "(dtype '<U0' holds strings of 0");
  row("no length", npyHeader("{'descr': '|Sx', 'fortran_order': False, 'shape': (3,), }"),
      "dtype '|Sx' has no string length", U, "(dtype '|Sx' has no string length); ignored");
  row("object", npyHeader("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }"),
      "'y': dtype '|O' is not a plain number or string type; LatentLab reads labels from float", U,
      "(dtype '|O' is not a plain number or string type");
  const QString surrogate =
      "the string at index 1 holds code point 0xD800, which is not a "
      "Unicode character";
  row("lone surrogate", stringsNpy("<U2", {3}, {U"a", {char32_t(0xD800)}, U"b"}),
      cannot + surrogate, F, ignored.arg("(3,) <U2", surrogate));
  const QString above =
      "the string at index 2 holds code point 0x110000, which is not a "
      "Unicode character";
  row("above U+10FFFF", stringsNpy(">U1", {3}, {U"a", U"b", {char32_t(0x110000)}}), cannot + above,
      F, ignored.arg("(3,) >U1", above));
  const QString nul = "the string at index 0 holds a NUL character";
  row("embedded NUL in str", stringsNpy("<U3", {3}, {{U'a', 0, U'b'}, U"c", U"d"}), cannot + nul, F,
      ignored.arg("(3,) <U3", nul));
  row("embedded NUL in bytes", stringsNpy("|S3", {3}, {{U'a', 0, U'b'}, U"c", U"d"}), cannot + nul,
      F, ignored.arg("(3,) |S3", nul));
  const QString empty = "the string at index 2 is empty (a label needs a name)";
  row("empty string", stringsNpy("<U3", {3}, {U"a", U"b", U""}), cannot + empty, F,
      ignored.arg("(3,) <U3", empty));
  row("strings for 2 samples", stringsNpy("<U1", {2}, {U"a", U"b"}),
      cannot + "it holds 2 labels for 3 samples", F,
      "array 'arr_1' (shape (2,) <U1) is not labels for 3 samples; ignored");
  row("2-D strings", stringsNpy("<U1", {3, 2}, {U"a", U"b", U"c", U"d", U"e", U"f"}),
      cannot + "shape (3, 2) <U1 is not 1-D", F,
      "array 'arr_1' (shape (3, 2) <U1) is not labels for 3 samples; ignored");
  const QString fraction = "value 0.500000 at index 1 is not a whole number";
  row("fractions", npyBytes("<f8", {3}, {0, 0.5, 1}), cannot + fraction, F,
      ignored.arg("(3,) <f8", fraction));
}

void tst_Npy::badNpzLabelsGiveClearErrorOrAreIgnored() {
  QFETCH(QByteArray, labels);
  QFETCH(QString, message);
  QFETCH(int, code);
  QFETCH(QString, note);
  const Bytes x = npyBytes("<f4", {3, 2}, {0, 0.5, 1, 0.25, 0.5, 0.75});
  const Bytes y(labels.begin(), labels.end());
  // Named as labels: an error naming the file and the array. (A bad_alloc would not be caught:
  // every refusal comes before the values are allocated.)
  const std::string named = write("named.npz", zipBytes({{"x.npy", x}, {"y.npy", y}}, true));
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadDataset(named, raw()); }, &got);
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(named) + "' array 'y': "), qPrintable(msg));
  QVERIFY2(msg.contains(message), qPrintable(msg));
  QCOMPARE(int(got), code);
  // np.savez's unnamed arr_1: the data loads without labels, and a note says why.
  const std::string unnamed =
      write("unnamed.npz", zipBytes({{"arr_0.npy", x}, {"arr_1.npy", y}}, true));
  const latent::LoadResult r = latent::loadDatasetWithReport(unnamed, raw());
  QCOMPARE(r.data.count(), 3);
  QVERIFY(!r.data.hasLabels());
  QVERIFY2(hasNote(r.report, note.toStdString()), qPrintable(notes(r.report)));
}

void tst_Npy::badNpzGivesClearError_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("message");
  QTest::addColumn<int>("code");
  const auto row = [](const char* name, const Bytes& b, const char* msg, Error::Code code) {
    QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
                        << msg << int(code);
  };
  const auto F = Error::Code::Format, U = Error::Code::Unsupported, T = Error::Code::TooLarge;
  const Bytes x = npyBytes("<f4", {2, 2}, {0, 0.5, 1, 0.25});
  const Bytes stored = zipBytes({{"x.npy", x}}, false, false);
  const Bytes deflated = zipBytes({{"x.npy", x}}, true, false);
  const size_t end = stored.size() - 22;  // the end record: no comment
  const size_t directory = end - 46 - 5;  // one central header with a 5-byte name
  auto patch = [](Bytes b, size_t at, uint64_t v, int size) {
    for (int i = 0; i < size; ++i) b[at + i] = uint8_t(v >> (8 * i));
    return b;
  };
  row("not a zip", Bytes{'P', 'K', 3, 4, 'n', 'o', 'p', 'e'}, "not a zip archive", F);
  row("truncated archive", Bytes(stored.begin(), stored.begin() + 60), "not a zip archive", F);
  row("directory outside the file", patch(stored, end + 16, 1u << 30, 4), "lies outside the file",
      F);
  row("local header offset outside", patch(stored, directory + 42, 1u << 30, 4),
      "no local header at offset 1073741824", F);
  row("entry size past the end",
      patch(patch(stored, directory + 20, 1u << 20, 4), directory + 24, 1u << 20, 4),
      "run past the end of the file", F);
  row("zip64 end record", patch(stored, end + 10, 0xFFFF, 2), "zip64", U);
  row("zip64 sizes", patch(stored, directory + 24, 0xFFFFFFFF, 4), "zip64", U);
  row("encrypted", patch(stored, directory + 8, 1, 2), "is encrypted", U);
  row("bzip2", patch(stored, directory + 10, 12, 2), "compression method 12", U);
  row("crc mismatch", patch(stored, directory + 16, 0x12345678, 4), "CRC-32 mismatch", F);
  Bytes corrupt = deflated;
  for (size_t i = 40; i < 60; ++i) corrupt[i] ^= 0x5A;
  row("corrupt deflate", corrupt, "zip entry 'x.npy'", F);
  const size_t dDirectory = deflated.size() - 22 - 46 - 5;
  row("inflates past its declared size", patch(deflated, dDirectory + 24, 10, 4),
      "more data than declared", F);
  row("declares 4 GiB", patch(deflated, dDirectory + 24, 0xFFFFFFF0, 4), "memory cap", T);
  row("no arrays", zipBytes({{"readme.txt", {'h', 'i'}}}, false), "holds no .npy arrays", F);
  row("array inside is bad", zipBytes({{"x.npy", Bytes(x.begin(), x.end() - 3)}}, false),
      "array 'x': the header declares shape (2, 2) of <f4 (16 bytes) but the file holds 13", F);
}

void tst_Npy::badNpzGivesClearError() {
  QFETCH(QByteArray, bytes);
  QFETCH(QString, message);
  QFETCH(int, code);
  const std::string file = write("bad.npz", Bytes(bytes.begin(), bytes.end()));
  LoadOptions o;
  o.maxBytes = 1u << 30;
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadDataset(file, o); }, &got);
  QVERIFY2(msg.startsWith("'" + QString::fromStdString(file) + "'"), qPrintable(msg));
  QVERIFY2(msg.contains(message), qPrintable(msg));
  QCOMPARE(int(got), code);
}

void tst_Npy::writtenNpyReadsBack() {
  latent::Matrix m(3, 2);
  m << 1, 4, 2, 5, 3, 6.5f;  // 3 features × 2 samples
  latent::writeNpyTransposed(path("w.npy"), m);
  const auto r = latent::loadNpy(path("w.npy"), raw());
  QCOMPARE(r.data.shape, latent::Shape::tabular(3));
  QCOMPARE(values(r.data), (std::vector<float>{1, 2, 3, 4, 5, 6.5f}));
}

QTEST_APPLESS_MAIN(tst_Npy)
#include "tst_npy.moc"
