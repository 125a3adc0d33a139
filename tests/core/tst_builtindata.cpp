// Tests for the built-in tabular datasets (two moons, Swiss roll, blobs) and the builtin:NAME
// registry: shapes, determinism from the seed, balanced labels, [0,1] scaling that maps back,
// the structure each one promises, and clear errors.
#include <QtTest>
#include <cmath>
#include <set>

#include "data/builtin.h"
#include "data/tabular.h"

using latent::Dataset;
using latent::TabularOptions;

namespace {

using Generator = Dataset (*)(int, unsigned, const TabularOptions&);

Generator generatorNamed(const QString& name) {
  if (name == "moons") return latent::makeMoonsDataset;
  if (name == "swissroll") return latent::makeSwissRollDataset;
  return latent::makeBlobsDataset;
}

std::vector<int> classCounts(const Dataset& d) {
  std::vector<int> counts(size_t(d.classCount()), 0);
  for (int l : d.labels) ++counts[size_t(l)];
  return counts;
}

/// Leave-one-out 1-nearest-neighbour accuracy: high when the classes form separate regions.
double nearestNeighbourAccuracy(const Dataset& d) {
  int right = 0;
  for (int i = 0; i < d.count(); ++i) {
    double best = INFINITY;
    int label = -1;
    for (int j = 0; j < d.count(); ++j) {
      if (j == i) continue;
      const double dist = (d.samples.col(i) - d.samples.col(j)).squaredNorm();
      if (dist < best) best = dist, label = d.labels[size_t(j)];
    }
    right += label == d.labels[size_t(i)];
  }
  return double(right) / d.count();
}

}  // namespace

class tst_BuiltinData : public QObject {
  Q_OBJECT

 private slots:
  void generatorsHaveTheDocumentedLayout_data();
  void generatorsHaveTheDocumentedLayout();
  void sameSeedSameBytesOtherSeedOtherData_data();
  void sameSeedSameBytesOtherSeedOtherData();
  void classesAreSeparableNeighbourhoods_data();
  void classesAreSeparableNeighbourhoods();
  void extraDimensionsAreMixedIn();
  void rejectsBadArguments();
  void referencesParseWithSettings();
  void registryGeneratesEveryDataset();
  void badReferencesGiveClearErrors_data();
  void badReferencesGiveClearErrors();
};

void tst_BuiltinData::generatorsHaveTheDocumentedLayout_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("count");
  QTest::addColumn<int>("dims");
  QTest::addColumn<int>("classes");
  QTest::newRow("moons 3-D") << "moons" << 1001 << 3 << 2;
  QTest::newRow("moons 10-D") << "moons" << 400 << 10 << 2;
  QTest::newRow("roll 3-D") << "swissroll" << 999 << 3 << 4;
  QTest::newRow("roll 7-D") << "swissroll" << 300 << 7 << 4;
  QTest::newRow("blobs 2-D") << "blobs" << 802 << 2 << 4;
  QTest::newRow("blobs 10-D") << "blobs" << 500 << 10 << 4;
}

void tst_BuiltinData::generatorsHaveTheDocumentedLayout() {
  QFETCH(QString, name);
  QFETCH(int, count);
  QFETCH(int, dims);
  QFETCH(int, classes);
  const Dataset d = generatorNamed(name)(count, 7, {.dims = dims});
  d.validate();
  QCOMPARE(d.shape, latent::Shape::tabular(dims));
  QCOMPARE(d.count(), count);
  QCOMPARE(int(d.classNames.size()), classes);
  QCOMPARE(d.classCount(), classes);
  // Balanced: counts differ by at most one.
  const std::vector<int> counts = classCounts(d);
  QVERIFY(*std::max_element(counts.begin(), counts.end()) -
              *std::min_element(counts.begin(), counts.end()) <=
          1);
  // Every feature spans [0,1] exactly, and the recorded scaling maps back to finite values.
  QCOMPARE(d.normalisation.kind, latent::Normalisation::Kind::Range01);
  QCOMPARE(int(d.normalisation.scale.size()), dims);
  for (int f = 0; f < dims; ++f) {
    QCOMPARE(d.samples.row(f).minCoeff(), 0.0f);
    QCOMPARE(d.samples.row(f).maxCoeff(), 1.0f);
    QVERIFY(d.normalisation.scale[size_t(f)] > 0);
  }
  QVERIFY(d.samples.allFinite());
}

void tst_BuiltinData::sameSeedSameBytesOtherSeedOtherData_data() {
  QTest::addColumn<QString>("name");
  QTest::newRow("moons") << "moons";
  QTest::newRow("swissroll") << "swissroll";
  QTest::newRow("blobs") << "blobs";
}

void tst_BuiltinData::sameSeedSameBytesOtherSeedOtherData() {
  QFETCH(QString, name);
  const Generator make = generatorNamed(name);
  const Dataset a = make(300, 3, {.dims = 5}), b = make(300, 3, {.dims = 5});
  QCOMPARE(std::memcmp(a.samples.data(), b.samples.data(), sizeof(float) * a.samples.size()), 0);
  QCOMPARE(a.labels, b.labels);
  QCOMPARE(a.normalisation.offset, b.normalisation.offset);
  const Dataset c = make(300, 4, {.dims = 5});
  QVERIFY((a.samples - c.samples).cwiseAbs().maxCoeff() > 0.1f);
}

void tst_BuiltinData::classesAreSeparableNeighbourhoods_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("dims");
  QTest::newRow("moons 3-D") << "moons" << 3;
  QTest::newRow("moons 6-D") << "moons" << 6;
  QTest::newRow("swissroll 3-D") << "swissroll" << 3;
  QTest::newRow("blobs 5-D") << "blobs" << 5;
}

void tst_BuiltinData::classesAreSeparableNeighbourhoods() {
  QFETCH(QString, name);
  QFETCH(int, dims);
  // With little noise each class is a connected region: a point's nearest neighbour shares its
  // label. A generator that put labels at random would score about 1 / classes.
  const Dataset d = generatorNamed(name)(600, 11, {.dims = dims, .noise = 0.05f});
  const double accuracy = nearestNeighbourAccuracy(d);
  qInfo("%s: 1-NN accuracy %.3f", qPrintable(name), accuracy);
  QVERIFY2(accuracy > 0.95, qPrintable(QString::number(accuracy)));
}

void tst_BuiltinData::extraDimensionsAreMixedIn() {
  // The rotation spreads the 2-D moons over every coordinate: no feature is pure noise, so each
  // one's values depend on which moon the point is on (class means differ clearly).
  const Dataset d = latent::makeMoonsDataset(2000, 5, {.dims = 6, .noise = 0.02f});
  int informative = 0;
  for (int f = 0; f < 6; ++f) {
    double sum[2] = {0, 0};
    for (int i = 0; i < d.count(); ++i) sum[d.labels[size_t(i)]] += d.samples(f, i);
    informative += std::abs(sum[0] - sum[1]) / (d.count() / 2) > 0.02;
  }
  QVERIFY2(informative >= 4, qPrintable(QString::number(informative)));
}

void tst_BuiltinData::rejectsBadArguments() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeMoonsDataset(-1, 1, {}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeMoonsDataset(10, 1, {.dims = 2}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeSwissRollDataset(10, 1, {.dims = 11}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeBlobsDataset(10, 1, {.dims = 3, .classes = 0}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeMoonsDataset(10, 1, {.dims = 3, .noise = -1}));
  QCOMPARE(latent::makeBlobsDataset(0, 1, {}).count(), 0);
}

void tst_BuiltinData::referencesParseWithSettings() {
  QVERIFY(latent::isBuiltinReference("builtin:moons"));
  QVERIFY(!latent::isBuiltinReference("moons.csv"));
  const latent::BuiltinRequest r =
      latent::parseBuiltinReference("builtin:moons:n=500:dim=5:seed=9");
  QCOMPARE(r.name, std::string("moons"));
  QCOMPARE(r.count, 500);
  QCOMPARE(r.dims, 5);
  QCOMPARE(r.seed, 9u);
  const Dataset d = latent::makeBuiltinDataset(r);
  QCOMPARE(d.count(), 500);
  QCOMPARE(d.features(), 5);
  const Dataset direct = latent::makeMoonsDataset(500, 9, {.dims = 5});
  QCOMPARE(d.samples, direct.samples);
}

void tst_BuiltinData::registryGeneratesEveryDataset() {
  std::set<std::string> names;
  for (const latent::BuiltinInfo& info : latent::builtinDatasets()) {
    names.insert(info.name);
    const Dataset d = latent::makeBuiltinDataset({.name = info.name, .count = 12});
    d.validate();
    QCOMPARE(d.count(), 12);
    QVERIFY(d.hasLabels());
    QVERIFY(!info.title.empty());
  }
  for (const char* expected : {"shapes", "signals", "moons", "swissroll", "blobs", "useritem"})
    QVERIFY2(names.count(expected), expected);
  // The default count applies when none is given.
  QCOMPARE(latent::makeBuiltinDataset({.name = "moons"}).count(), 2000);
}

void tst_BuiltinData::badReferencesGiveClearErrors_data() {
  QTest::addColumn<QString>("reference");
  QTest::addColumn<QString>("expected");
  QTest::newRow("unknown") << "builtin:spirals"
                           << "no built-in dataset 'spirals'";
  QTest::newRow("bad key") << "builtin:moons:size=3"
                           << "should be n=COUNT";
  QTest::newRow("bad number") << "builtin:moons:n=abc"
                              << "n=abc is not a whole number";
  QTest::newRow("negative") << "builtin:moons:n=-4"
                            << "n=-4 is not a whole number";
  QTest::newRow("dims too large") << "builtin:moons:dim=12"
                                  << "dims 3..10";
  QTest::newRow("fixed shape") << "builtin:shapes:dim=3"
                               << "fixed shape";
}

void tst_BuiltinData::badReferencesGiveClearErrors() {
  QFETCH(QString, reference);
  QFETCH(QString, expected);
  try {
    latent::makeBuiltinDataset(latent::parseBuiltinReference(reference.toStdString()));
    QFAIL("no error");
  } catch (const latent::Error& e) {
    QVERIFY2(QString(e.what()).contains(expected), e.what());
    QCOMPARE(e.code(), latent::Error::Code::InvalidArgument);
  }
}

QTEST_APPLESS_MAIN(tst_BuiltinData)
#include "tst_builtindata.moc"
