// Tests for the one loading entry: the format is found by content before name, IDX pairs and
// folders (MNIST, Fashion-MNIST, KMNIST names), the image-folder hook, re-expressing a dataset in
// another normalisation, and errors that name the file for unknown or missing input.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <functional>

#include "errormessage.h"
#include "filebytes.h"
#include "io/gzip.h"
#include "io/idx.h"
#include "io/load.h"

using latent::Error;
using latent::LoadOptions;
using testutil::messageOf;
using namespace testfiles;

namespace {

Bytes idxImages(int n, int rows, int cols) {
  Bytes b{0, 0, 0x08, 3};
  for (int d : {n, rows, cols})
    for (int shift : {24, 16, 8, 0}) b.push_back(uint8_t(d >> shift));
  for (int i = 0; i < n * rows * cols; ++i) b.push_back(uint8_t(i * 7));
  return b;
}

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

class tst_Load : public QObject {
  Q_OBJECT

 private slots:
  void detectsFormatByContentThenName_data();
  void detectsFormatByContentThenName();
  void pairsIdxLabelsForEveryMnistFamilyName_data();
  void pairsIdxLabelsForEveryMnistFamilyName();
  void idxLabelFileOpenedDirectlyExplainsItself();
  void imageFolderNeedsTheInstalledLoader();
  void renormaliseMapsToAnotherDatasetsScale();
  void renormaliseRejectsMismatchedSizes();
  void givenNormalisationAppliesOnLoad();
  void unknownOrMissingInputNamesTheFile_data();
  void unknownOrMissingInputNamesTheFile();
  void oldSignatureStillLoads();

 private:
  QTemporaryDir m_dir;
  std::string path(const std::string& name) const {
    return (m_dir.path() + "/").toStdString() + name;
  }
};

void tst_Load::detectsFormatByContentThenName_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("format");
  QTest::addColumn<int>("features");
  const auto row = [](const char* tag, const char* name, const Bytes& b, const char* format,
                      int features) {
    QTest::newRow(tag) << name << QByteArray(reinterpret_cast<const char*>(b.data()), b.size())
                       << format << features;
  };
  row("idx, odd name", "digits.bin", idxImages(2, 3, 4), "IDX", 12);
  row("idx, usual name", "x-images-idx3-ubyte", idxImages(2, 3, 4), "IDX", 12);
  row("npy without extension", "array", npyBytes("<f4", {2, 5}, std::vector<double>(10, 0.5)),
      "NumPy .npy", 5);
  row("npy named .dat", "array.dat", npyBytes("<f4", {2, 5}, std::vector<double>(10, 0.5)),
      "NumPy .npy", 5);
  row("npz named .zip", "bundle.zip",
      zipBytes({{"x.npy", npyBytes("|u1", {2, 2, 2}, std::vector<double>(8, 1))}}, false),
      "NumPy .npz", 4);
  row("csv", "table.csv", text("a,b,c\n1,2,3\n4,5,6\n"), "CSV", 3);
  row("tsv", "table.tsv", text("a\tb\n1\t2\n3\t4\n"), "CSV", 2);
  row("text without extension", "measurements", text("1 2 3 4\n5 6 7 8\n"), "CSV", 4);
}

void tst_Load::detectsFormatByContentThenName() {
  QFETCH(QString, name);
  QFETCH(QByteArray, bytes);
  QFETCH(QString, format);
  QFETCH(int, features);
  const std::string file = path(name.toStdString());
  writeBytes(file, Bytes(bytes.begin(), bytes.end()));
  const latent::LoadResult r = latent::loadDatasetWithReport(file);
  QCOMPARE(QString::fromStdString(r.report.format), format);
  QCOMPARE(r.data.features(), features);
  QCOMPARE(r.data.count(), 2);
  QCOMPARE(r.data.sourcePath, file);
  QVERIFY(!r.report.notes.empty());
}

void tst_Load::pairsIdxLabelsForEveryMnistFamilyName_data() {
  QTest::addColumn<QString>("images");
  QTest::addColumn<QString>("labels");
  QTest::addColumn<bool>("openFolder");
  QTest::newRow("mnist train gz") << "train-images-idx3-ubyte.gz"
                                  << "train-labels-idx1-ubyte.gz" << false;
  QTest::newRow("fashion t10k raw") << "t10k-images-idx3-ubyte"
                                    << "t10k-labels-idx1-ubyte" << false;
  QTest::newRow("kmnist folder, test only") << "t10k-images-idx3-ubyte.gz"
                                            << "t10k-labels-idx1-ubyte.gz" << true;
  QTest::newRow("kaggle dots") << "train-images.idx3-ubyte"
                               << "train-labels.idx1-ubyte" << false;
}

void tst_Load::pairsIdxLabelsForEveryMnistFamilyName() {
  QFETCH(QString, images);
  QFETCH(QString, labels);
  QFETCH(bool, openFolder);
  QTemporaryDir dir;
  const std::string base = dir.path().toStdString() + "/";
  const Bytes pixels = idxImages(3, 2, 2);
  const Bytes labelBytes{0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4};
  for (const auto& [name, bytes] : {std::pair{images, pixels}, std::pair{labels, labelBytes}}) {
    const std::string p = base + name.toStdString();
    if (name.endsWith(".gz"))
      latent::writeGzipFile(p, bytes);
    else
      writeBytes(p, bytes);
  }
  const auto r = latent::loadDatasetWithReport(openFolder ? dir.path().toStdString()
                                                          : base + images.toStdString());
  QCOMPARE(r.report.format, std::string("IDX"));
  QCOMPARE(r.data.labels, (std::vector<int>{9, 0, 4}));
  QCOMPARE(r.data.shape, latent::Shape::image(1, 2, 2));
  QVERIFY(r.report.notes.at(1).find(labels.toStdString()) != std::string::npos);
}

void tst_Load::idxLabelFileOpenedDirectlyExplainsItself() {
  writeBytes(path("train-labels-idx1-ubyte"), Bytes{0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
  const QString msg = messageOf([&] { latent::loadDataset(path("train-labels-idx1-ubyte")); });
  QVERIFY2(msg.contains("train-labels-idx1-ubyte") && msg.contains("IDX label file"),
           qPrintable(msg));
}

void tst_Load::imageFolderNeedsTheInstalledLoader() {
  QTemporaryDir dir;
  writeBytes(dir.path().toStdString() + "/a.png", text("not really"));
  latent::setImageFolderLoader({});
  Error::Code code{};
  const QString msg = messageOf([&] { latent::loadDataset(dir.path().toStdString()); }, &code);
  QCOMPARE(code, Error::Code::Unsupported);
  QVERIFY2(msg.contains(dir.path()) && msg.contains("image folders are read by the LatentLab app"),
           qPrintable(msg));
  std::string seen;
  latent::setImageFolderLoader([&seen](const std::string& p, const LoadOptions& o) {
    seen = p;
    latent::LoadResult r;
    r.report.format = "test folder";
    r.data.shape = latent::Shape::tabular(o.imageWidth);
    r.data.samples = latent::Matrix::Zero(o.imageWidth, 1);
    return r;
  });
  LoadOptions o;
  o.imageWidth = 3;
  const auto r = latent::loadDatasetWithReport(dir.path().toStdString(), o);
  QCOMPARE(seen, dir.path().toStdString());
  QCOMPARE(r.report.format, std::string("test folder"));
  QCOMPARE(r.data.features(), 3);
  latent::setImageFolderLoader({});
}

void tst_Load::renormaliseMapsToAnotherDatasetsScale() {
  latent::Dataset d;
  d.shape = latent::Shape::tabular(2);
  d.samples.resize(2, 2);
  d.samples << 0, 1, -1, 1;  // feature 0: 0, 1; feature 1: -1, 1 (stored)
  d.normalisation = {latent::Normalisation::Kind::Standardise, {2, 10}, {5, 100}};
  // Originals: feature 0: 5, 7; feature 1: 90, 110.
  const latent::Normalisation target{latent::Normalisation::Kind::Range01, {4}, {5}};
  latent::renormalise(d, target);
  QCOMPARE(d.samples(0, 0), 0.0f);
  QCOMPARE(d.samples(0, 1), 0.5f);
  QCOMPARE(d.samples(1, 0), 21.25f);
  QCOMPARE(d.samples(1, 1), 26.25f);
  QCOMPARE(d.normalisation.scale, target.scale);
}

void tst_Load::renormaliseRejectsMismatchedSizes() {
  latent::Dataset d;
  d.name = "three";
  d.shape = latent::Shape::tabular(3);
  d.samples = latent::Matrix::Zero(3, 1);
  Error::Code code{};
  const QString msg = messageOf(
      [&] {
        latent::renormalise(d, {latent::Normalisation::Kind::Standardise, {1, 2}, {0, 0}});
      },
      &code);
  QCOMPARE(code, Error::Code::InvalidArgument);
  QVERIFY2(
      msg.contains("'three'") && msg.contains("3 values per sample") && msg.contains("2 scales"),
      qPrintable(msg));
}

void tst_Load::givenNormalisationAppliesOnLoad() {
  writeBytes(path("train.csv"), text("a,b\n0,10\n2,30\n"));
  writeBytes(path("test.csv"), text("a,b\n4,50\n"));
  const latent::Dataset train = latent::loadDataset(path("train.csv"));
  LoadOptions o;
  o.normalisation = train.normalisation;
  const latent::Dataset test = latent::loadDataset(path("test.csv"), o);
  // Train: a mean 1, deviation 1; b mean 20, deviation 10. Test in train's units: 3 and 3.
  QCOMPARE(test.samples(0, 0), 3.0f);
  QCOMPARE(test.samples(1, 0), 3.0f);
  QCOMPARE(test.normalisation.offset, train.normalisation.offset);
}

void tst_Load::unknownOrMissingInputNamesTheFile_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("message");
  QTest::newRow("missing") << "nothing-here.csv" << QByteArray() << "No such file or directory";
  QTest::newRow("binary") << "blob.bin"
                          << QByteArray(
                                 "\x7f"
                                 "ELF\x02\x01\x01\0\0\0",
                                 10)
                          << "not a format LatentLab recognises";
  QTest::newRow("one image") << "photo.png" << QByteArray("\x89PNG\r\n\x1a\n", 8)
                             << "a single image; open the folder";
  QTest::newRow("empty, no extension") << "empty" << QByteArray("") << "the file is empty";
  QTest::newRow("idx name, bad header")
      << "train-images-idx3-ubyte" << QByteArray("hello") << "not an IDX file";
}

void tst_Load::unknownOrMissingInputNamesTheFile() {
  QFETCH(QString, name);
  QFETCH(QByteArray, bytes);
  QFETCH(QString, message);
  const std::string file = path(name.toStdString());
  if (QTest::currentDataTag() != QString("missing"))
    writeBytes(file, Bytes(bytes.begin(), bytes.end()));
  const QString msg = messageOf([&] { latent::loadDataset(file); });
  QVERIFY2(msg.contains("'" + QString::fromStdString(file) + "'"), qPrintable(msg));
  QVERIFY2(msg.contains(message), qPrintable(msg));
}

void tst_Load::oldSignatureStillLoads() {
  writeBytes(path("old.csv"), text("1,2\n3,4\n"));
  const latent::Dataset d = latent::loadDataset(path("old.csv"));
  QCOMPARE(d.count(), 2);
  QCOMPARE(d.name, std::string("old.csv"));
}

QTEST_APPLESS_MAIN(tst_Load)
#include "tst_load.moc"
