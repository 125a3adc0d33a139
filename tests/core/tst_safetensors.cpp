// safetensors: round trips, the exact bytes we write, Matrix layout, atomic writes, and a corpus of
// malformed files that must each fail with a clear latent::Error instead of crashing.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "persist/safetensors.h"

using latent::Error;
using latent::NamedTensor;
using latent::TensorFile;

Q_DECLARE_METATYPE(Error::Code)

namespace {

const std::string BadName = "bad.safetensors";

/// The 8-byte little-endian header length.
QByteArray le64(quint64 value) {
  QByteArray bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  return bytes;
}

/// A file with `json` as its header (unpadded) and `dataBytes` zero bytes of tensor data.
QByteArray withHeader(const QByteArray& json, int dataBytes = 0) {
  return le64(json.size()) + json + QByteArray(dataBytes, '\0');
}

/// A header with one entry `"w": {dtype, shape, data_offsets}` written as given.
QByteArray oneTensor(const QByteArray& shape, const QByteArray& offsets, const QByteArray& dtype) {
  return "{\"w\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets +
         "}}";
}

TensorFile decode(const QByteArray& bytes, const latent::TensorFileLimits& limits = {}) {
  return latent::decodeTensorFile(reinterpret_cast<const uint8_t*>(bytes.constData()),
                                  static_cast<size_t>(bytes.size()), BadName, limits);
}

QByteArray encode(const TensorFile& file) {
  const auto bytes = latent::encodeTensorFile(file);
  return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

template <typename F>
std::optional<Error> errorFrom(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

bool writeRaw(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

/// Several tensors of each rank we use, with metadata; sums 66, 6, 7 and 0 for a reader to check.
TensorFile sampleFile() {
  TensorFile file;
  NamedTensor weight{"encoder.0.weight", {3, 4}, {}};
  for (int i = 0; i < 12; ++i) weight.data.push_back(float(i));
  file.tensors.push_back(weight);
  file.tensors.push_back({"encoder.0.bias", {3}, {0.5f, 1.5f, 4.0f}});
  file.tensors.push_back({"scale", {}, {7.0f}});
  file.tensors.push_back({"unused", {0, 5}, {}});
  file.metadata = {{"format", "pt"}, {"latentlab.epoch", "12"}, {"note", "grüße"}};
  return file;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

void compareFiles(const TensorFile& actual, const TensorFile& expected) {
  QCOMPARE(actual.tensors.size(), expected.tensors.size());
  for (size_t i = 0; i < expected.tensors.size(); ++i) {
    QCOMPARE(actual.tensors[i].name, expected.tensors[i].name);
    QCOMPARE(actual.tensors[i].shape, expected.tensors[i].shape);
    QVERIFY2(sameBits(actual.tensors[i].data, expected.tensors[i].data),
             expected.tensors[i].name.c_str());
  }
  QCOMPARE(actual.metadata, expected.metadata);
}

}  // namespace

class tst_Safetensors : public QObject {
  Q_OBJECT

 private slots:
  void fileRoundTripKeepsTensorsAndMetadata();
  void roundTripWithEmptyMetadataOmitsTheKey();
  void roundTripIsBitExactForSpecialValues();
  void findReturnsTensorOrNull();
  void matrixTensorLayoutIsRowMajor();
  void toMatrixRejectsOtherRanksAndBadSizes();
  void encodesKnownBytes();
  void headerIsPaddedToEightBytes();
  void atomicWriteOverwritesAndLeavesNoTempFiles();
  void readsF64AsFloat();
  void unsupportedDtypeNamesTensorAndDtype();
  void malformedInputGivesClearError_data();
  void malformedInputGivesClearError();
  void limitsGiveTooLarge();
  void missingFileGivesIoError();
  void writeRejectsInvalidTensors_data();
  void writeRejectsInvalidTensors();
  void truncatedOrFlippedBytesNeverCrash();
};

void tst_Safetensors::fileRoundTripKeepsTensorsAndMetadata() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("model.safetensors").toStdString();
  const TensorFile file = sampleFile();
  latent::writeTensorFile(path, file);
  compareFiles(latent::readTensorFile(path), file);
  // For checking by hand with tests/data/read_safetensors.py, an independent reader.
  if (const QString out = qEnvironmentVariable("LATENT_SAFETENSORS_EXAMPLE"); !out.isEmpty())
    latent::writeTensorFile(out.toStdString(), file);
}

void tst_Safetensors::roundTripWithEmptyMetadataOmitsTheKey() {
  TensorFile file;
  file.tensors.push_back({"b", {2}, {1.0f, 2.0f}});
  file.tensors.push_back({"a", {1, 2}, {3.0f, 4.0f}});  // not sorted: written order is kept
  const QByteArray bytes = encode(file);
  QVERIFY(!bytes.contains("__metadata__"));
  compareFiles(decode(bytes), file);

  compareFiles(decode(encode(TensorFile{})), TensorFile{});  // no tensors at all
}

void tst_Safetensors::roundTripIsBitExactForSpecialValues() {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float tiny = std::numeric_limits<float>::denorm_min();
  TensorFile file;
  file.tensors.push_back({"special", {6}, {-0.0f, inf, -inf, nan, tiny, 3.4e38f}});
  compareFiles(decode(encode(file)), file);
}

void tst_Safetensors::findReturnsTensorOrNull() {
  const TensorFile file = sampleFile();
  QVERIFY(file.find("encoder.0.bias") == &file.tensors[1]);
  QVERIFY(file.find("encoder.0") == nullptr);
}

void tst_Safetensors::matrixTensorLayoutIsRowMajor() {
  latent::Matrix m(3, 4);  // 3×4, column-major in memory
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) m(r, c) = float(10 * r + c);
  const NamedTensor t = latent::toTensor("w", m);
  QCOMPARE(t.shape, (std::vector<int64_t>{3, 4}));
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) QCOMPARE(t.data[r * 4 + c], m(r, c));
  QCOMPARE(latent::toMatrix(t), m);

  const latent::Matrix column = latent::toMatrix({"bias", {3}, {1.0f, 2.0f, 3.0f}});
  QCOMPARE(column.rows(), Eigen::Index(3));
  QCOMPARE(column.cols(), Eigen::Index(1));
  QCOMPARE(column(2, 0), 3.0f);
}

void tst_Safetensors::toMatrixRejectsOtherRanksAndBadSizes() {
  for (const NamedTensor& t : {NamedTensor{"cube", {1, 1, 1}, {1.0f}}, NamedTensor{"s", {}, {1.0f}},
                               NamedTensor{"short", {2, 2}, {1.0f, 2.0f, 3.0f}}}) {
    const auto error = errorFrom([&] { latent::toMatrix(t); });
    QVERIFY2(error, t.name.c_str());
    QCOMPARE(error->code(), Error::Code::InvalidArgument);
    QVERIFY2(QString(error->what()).contains(QString::fromStdString("'" + t.name + "'")),
             error->what());
  }
}

void tst_Safetensors::encodesKnownBytes() {
  TensorFile file;
  file.tensors.push_back({"w", {2}, {1.0f, -2.0f}});
  file.metadata = {{"a", "b"}};
  const QByteArray json =
      R"({"__metadata__":{"a":"b"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  QCOMPARE(json.size(), qsizetype(79));  // + 1 space of padding = 80 = 0x50
  const QByteArray expected = QByteArray::fromHex("5000000000000000") + json + " " +
                              QByteArray::fromHex("0000803f000000c0");  // 1.0f, -2.0f
  QCOMPARE(encode(file), expected);
}

void tst_Safetensors::headerIsPaddedToEightBytes() {
  for (int nameLength = 1; nameLength <= 16; ++nameLength) {
    TensorFile file;
    file.tensors.push_back({std::string(nameLength, 'n'), {1}, {1.0f}});
    const QByteArray bytes = encode(file);
    const qsizetype headerBytes = qsizetype(qFromLittleEndian<quint64>(bytes.constData()));
    QCOMPARE((8 + headerBytes) % 8, qsizetype(0));
    QCOMPARE(bytes.size(), 8 + headerBytes + 4);  // data starts right after, 8-byte aligned
    const QByteArray header = bytes.mid(8, headerBytes);
    const QByteArray padding = header.mid(header.lastIndexOf('}') + 1);
    QVERIFY(padding.size() < 8);
    QCOMPARE(padding, QByteArray(padding.size(), ' '));
  }
}

void tst_Safetensors::atomicWriteOverwritesAndLeavesNoTempFiles() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("model.safetensors").toStdString();
  latent::writeTensorFile(path, sampleFile());
  TensorFile smaller;
  smaller.tensors.push_back({"only", {1}, {42.0f}});
  latent::writeTensorFile(path, smaller);

  compareFiles(latent::readTensorFile(path), smaller);
  QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
           QStringList{"model.safetensors"});
}

void tst_Safetensors::readsF64AsFloat() {
  QByteArray data(16, '\0');
  const double values[2] = {1.5, -2.25};
  std::memcpy(data.data(), values, sizeof values);  // the test host is little-endian, as the format
  const QByteArray json = oneTensor("[2]", "[0,16]", "\"F64\"");
  const TensorFile file = decode(le64(json.size()) + json + data);
  QCOMPARE(file.tensors.size(), size_t(1));
  QCOMPARE(file.tensors[0].data, (std::vector<float>{1.5f, -2.25f}));
}

void tst_Safetensors::unsupportedDtypeNamesTensorAndDtype() {
  const QByteArray bytes = withHeader(oneTensor("[2]", "[0,4]", "\"F16\""), 4);
  const auto error = errorFrom([&] { decode(bytes); });
  QVERIFY(error);
  QCOMPARE(error->code(), Error::Code::Unsupported);
  const QString message = error->what();
  QVERIFY2(message.startsWith("bad.safetensors: ") && message.contains("tensor 'w'") &&
               message.contains("'F16'"),
           error->what());
}

void tst_Safetensors::malformedInputGivesClearError_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<Error::Code>("code");
  QTest::addColumn<QString>("fragment");
  const auto F = Error::Code::Format;
  const QByteArray f32 = "\"F32\"";
  const QByteArray a8 = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

  QTest::newRow("empty file") << QByteArray() << F << "0 bytes, too short";
  QTest::newRow("seven bytes") << QByteArray(7, '\0') << F << "7 bytes, too short";
  QTest::newRow("header longer than file") << le64(100) + "{}" << F << "only 2 bytes follow";
  QTest::newRow("header length 2^64-1") << le64(~0ull) + "{}" << F << "header length says";
  QTest::newRow("empty header") << le64(0) << F << "not valid JSON";
  QTest::newRow("not JSON") << withHeader("{nope") << F << "not valid JSON";
  QTest::newRow("text after JSON") << withHeader("{}x") << F << "not valid JSON";
  QTest::newRow("padded with NULs")
      << withHeader(QByteArray("{}") + QByteArray(6, '\0')) << F << "not valid JSON";
  QTest::newRow("invalid UTF-8") << withHeader("{\"\xff\":1}") << F << "not valid JSON";
  QTest::newRow("JSON array") << withHeader("[1,2]") << F << "JSON array, not an object";
  QTest::newRow("deep nesting") << withHeader("{\"w\":" + QByteArray(100000, '[') +
                                              QByteArray(100000, ']') + "}")
                                << F << "nests deeper";
  QTest::newRow("entry not an object")
      << withHeader("{\"w\":5}") << F << "tensor 'w' is a JSON number";
  QTest::newRow("missing dtype") << withHeader("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8)
                                 << F << "tensor 'w' has no \"dtype\" field";
  QTest::newRow("dtype not a string")
      << withHeader(oneTensor("[2]", "[0,8]", "4"), 8) << F << "\"dtype\" is a JSON number";
  QTest::newRow("missing shape") << withHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}",
                                               8)
                                 << F << "tensor 'w' has no \"shape\" field";
  QTest::newRow("shape not an array") << withHeader(oneTensor("2", "[0,8]", f32), 8) << F
                                      << "\"shape\" is a JSON number, not an array";
  QTest::newRow("missing data_offsets")
      << withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8) << F
      << "tensor 'w' has no \"data_offsets\" field";
  QTest::newRow("negative dim") << withHeader(oneTensor("[2,-1]", "[0,8]", f32), 8) << F
                                << "holds -1, which is not an integer";
  QTest::newRow("fractional dim") << withHeader(oneTensor("[1.5]", "[0,4]", f32), 4) << F
                                  << "holds 1.5";
  QTest::newRow("string dim") << withHeader(oneTensor("[\"2\"]", "[0,8]", f32), 8) << F
                              << "holds \"2\"";
  QTest::newRow("dim above int64") << withHeader(oneTensor("[9223372036854775808,0]", "[0,0]", f32))
                                   << F << "holds 9223372036854775808";
  QTest::newRow("element count overflow")
      << withHeader(oneTensor("[4294967296,4294967296,16]", "[0,8]", f32), 8) << F
      << "more elements than fit in 64 bits";
  QTest::newRow("byte count overflow")
      << withHeader(oneTensor("[4611686018427387904]", "[0,8]", f32), 8) << F
      << "more bytes than fit in 64 bits";
  QTest::newRow("byte count differs")
      << withHeader(oneTensor("[2,2]", "[0,12]", f32), 12) << F
      << "tensor 'w' says shape [2, 2] (4 floats = 16 bytes) but its data_offsets span 12 bytes";
  QTest::newRow("one offset") << withHeader(oneTensor("[0]", "[0]", f32)) << F
                              << "\"data_offsets\" is [0], not [begin, end]";
  QTest::newRow("offsets reversed")
      << withHeader(oneTensor("[2]", "[8,0]", f32), 8) << F << "not [begin, end] with begin <= end";
  QTest::newRow("negative offset")
      << withHeader(oneTensor("[2]", "[-4,4]", f32), 8) << F << "holds -4";
  QTest::newRow("offsets past end") << withHeader(oneTensor("[4]", "[0,16]", f32), 8) << F
                                    << "reach past the end of the data (8 bytes";
  QTest::newRow("overlap")
      << withHeader("{" + a8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                    12)
      << F << "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a'";
  QTest::newRow("gap")
      << withHeader("{" + a8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}",
                    20)
      << F << "gap of 4 unused bytes after tensor 'a'";
  QTest::newRow("gap at start") << withHeader(oneTensor("[2]", "[4,12]", f32), 12) << F
                                << "at the start of the data";
  QTest::newRow("bytes after last tensor")
      << withHeader("{" + a8 + "}", 12) << F << "last 4 of the 12 data bytes belong to no tensor";
  QTest::newRow("data but no tensors") << withHeader("{}", 4) << F << "belong to no tensor";
  QTest::newRow("duplicate name") << withHeader("{" + a8 + "," + a8 + "}", 16) << F
                                  << "names tensor 'a' twice";
  QTest::newRow("duplicate field")
      << withHeader(
             "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],"
             "\"data_offsets\":[0,8]}}",
             8)
      << F << "field 'dtype' appears twice in the entry for 'w'";
  QTest::newRow("metadata value not a string") << withHeader("{\"__metadata__\":{\"epoch\":5}}")
                                               << F << "metadata 'epoch' is a JSON number (5)";
  QTest::newRow("metadata not an object")
      << withHeader("{\"__metadata__\":\"x\"}") << F << "\"__metadata__\" is a JSON string";
}

// Each case runs through both the in-memory decoder and the file reader (as "bad.safetensors").
void tst_Safetensors::malformedInputGivesClearError() {
  QFETCH(QByteArray, bytes);
  QFETCH(Error::Code, code);
  QFETCH(QString, fragment);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QString::fromStdString(BadName));
  QVERIFY(writeRaw(path, bytes));

  for (const auto& error : {errorFrom([&] { decode(bytes); }),
                            errorFrom([&] { latent::readTensorFile(path.toStdString()); })}) {
    QVERIFY2(error, "no latent::Error thrown");
    const QString message = error->what();
    QVERIFY2(message.startsWith("bad.safetensors: "), error->what());
    QVERIFY2(message.contains(fragment), error->what());
    QCOMPARE(error->code(), code);
  }
}

void tst_Safetensors::limitsGiveTooLarge() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QByteArray bytes = encode(sampleFile());
  const QString path = dir.filePath(QString::fromStdString(BadName));
  QVERIFY(writeRaw(path, bytes));

  for (const latent::TensorFileLimits limits : {latent::TensorFileLimits{.maxHeaderBytes = 64},
                                                latent::TensorFileLimits{.maxTotalBytes = 64}}) {
    for (const auto& error : {errorFrom([&] { decode(bytes, limits); }), errorFrom([&] {
                                latent::readTensorFile(path.toStdString(), limits);
                              })}) {
      QVERIFY(error);
      QCOMPARE(error->code(), Error::Code::TooLarge);
      QVERIFY2(QString(error->what()).contains("more than the limit of 64 bytes"), error->what());
    }
  }
}

void tst_Safetensors::missingFileGivesIoError() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("absent.safetensors").toStdString();
  for (const std::string& p : {path, dir.path().toStdString()}) {
    const auto error = errorFrom([&] { latent::readTensorFile(p); });
    QVERIFY(error);
    QCOMPARE(error->code(), Error::Code::Io);
    QVERIFY2(QString(error->what()).contains(QString::fromStdString(p)), error->what());
  }
}

void tst_Safetensors::writeRejectsInvalidTensors_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("fragment");
  QTest::newRow("size differs from shape") << "short"
                                           << "holds 3 values";
  QTest::newRow("negative dim") << "neg"
                                << "invalid shape [-1, 2]";
  QTest::newRow("duplicate name") << "dup"
                                  << "appears twice";
  QTest::newRow("reserved name") << "__metadata__"
                                 << "reserved";
  QTest::newRow("invalid UTF-8 name") << "\xff"
                                      << "not valid UTF-8";
}

void tst_Safetensors::writeRejectsInvalidTensors() {
  QFETCH(QString, name);
  QFETCH(QString, fragment);
  TensorFile file;
  if (name == "short") file.tensors.push_back({"short", {2, 2}, {1.0f, 2.0f, 3.0f}});
  if (name == "neg") file.tensors.push_back({"neg", {-1, 2}, {}});
  if (name == "dup") file.tensors = {{"dup", {1}, {1.0f}}, {"dup", {1}, {2.0f}}};
  if (name == "__metadata__") file.tensors.push_back({"__metadata__", {1}, {1.0f}});
  if (file.tensors.empty()) file.tensors.push_back({"\xff", {1}, {1.0f}});

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("out.safetensors").toStdString();
  const auto error = errorFrom([&] { latent::writeTensorFile(path, file); });
  QVERIFY(error);
  QCOMPARE(error->code(), Error::Code::InvalidArgument);
  QVERIFY2(QString(error->what()).contains(fragment), error->what());
  QVERIFY(!QFile::exists(QString::fromStdString(path)));
}

// Every truncation must fail cleanly; every single-byte corruption must either decode or fail
// cleanly. Anything else (a crash, a std::bad_alloc, a foreign exception) fails the test.
void tst_Safetensors::truncatedOrFlippedBytesNeverCrash() {
  const QByteArray good = encode(sampleFile());
  for (qsizetype n = 0; n < good.size(); ++n)
    QVERIFY2(errorFrom([&] { decode(good.left(n)); }), qPrintable(QString::number(n)));
  for (qsizetype i = 0; i < good.size(); ++i) {
    for (const char mask : {'\x01', '\x20', '\x80', '\xff'}) {
      QByteArray bad = good;
      bad[i] = char(bad[i] ^ mask);
      errorFrom([&] { decode(bad); });
    }
  }
}

QTEST_APPLESS_MAIN(tst_Safetensors)
#include "tst_safetensors.moc"
