// Code export (CSV and .npy with labels): what is written reads back through the core's own
// loaders to the same float32 values and labels; bad arguments are refused by name. Anomaly scores
// as CSV: one row per score with its sample number, label and flag.
#include <QTemporaryDir>
#include <QtTest>

#include "data/rng.h"
#include "io/codeexport.h"
#include "io/csv.h"
#include "io/npy.h"
#include "testutil.h"

using latent::Matrix;

class tst_CodeExport : public QObject {
  Q_OBJECT

 private slots:
  void csvReadsBackToTheSameCodesAndLabels();
  void npyReadsBackToTheSameCodesAndLabels();
  void withoutLabelsThereIsNoLabelColumn();
  void labelCountMismatchIsRefused();
  void unwritablePathNamesTheFile();
  void scoresCsvHasOneRowPerScoreWithItsFlag();

 private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
  static latent::LoadOptions raw() {
    latent::LoadOptions o;
    o.scaling = latent::Scaling::None;
    return o;
  }
  /// 5 × 40 codes spanning several orders of magnitude, and labels 0..3.
  static Matrix codes(std::vector<int>& labels) {
    latent::Rng rng(11);
    Matrix m = testutil::normalMatrix(5, 40, rng);
    m.row(0) *= 1e-4f;
    m.row(1) *= 3e3f;
    labels.clear();
    for (int i = 0; i < 40; ++i) labels.push_back(i % 4);
    return m;
  }
};

void tst_CodeExport::csvReadsBackToTheSameCodesAndLabels() {
  std::vector<int> labels;
  const Matrix m = codes(labels);
  latent::writeCodesCsv(path("codes.csv"), m, labels);
  latent::LoadOptions options = raw();
  options.labelColumn = "label";
  const latent::LoadResult r = latent::loadCsv(path("codes.csv"), options);
  QCOMPARE(r.data.features(), 5);
  QCOMPARE(r.data.count(), 40);
  QCOMPARE(r.data.samples, m);  // 9 significant digits: every float32 exactly
  QCOMPARE(r.data.labels, labels);
}

void tst_CodeExport::npyReadsBackToTheSameCodesAndLabels() {
  std::vector<int> labels;
  const Matrix m = codes(labels);
  latent::writeCodesNpy(path("codes.npy"), m, labels);
  const latent::LoadResult r = latent::loadNpy(path("codes.npy"), raw());
  QCOMPARE(r.data.features(), 6);  // the label is the last column of each row
  QCOMPARE(r.data.count(), 40);
  QCOMPARE(Matrix(r.data.samples.topRows(5)), m);
  for (int i = 0; i < 40; ++i) QCOMPARE(r.data.samples(5, i), float(labels[size_t(i)]));
}

void tst_CodeExport::withoutLabelsThereIsNoLabelColumn() {
  std::vector<int> labels;
  const Matrix m = codes(labels);
  latent::writeCodesNpy(path("plain.npy"), m, {});
  QCOMPARE(latent::loadNpy(path("plain.npy"), raw()).data.samples, m);
  latent::writeCodesCsv(path("plain.csv"), m, {});
  latent::LoadOptions options = raw();
  options.noLabelColumn = true;
  const latent::LoadResult r = latent::loadCsv(path("plain.csv"), options);
  QCOMPARE(r.data.samples, m);
  QVERIFY(!r.data.hasLabels());
}

void tst_CodeExport::labelCountMismatchIsRefused() {
  std::vector<int> labels;
  const Matrix m = codes(labels);
  labels.pop_back();
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::writeCodesCsv(path("bad.csv"), m, labels));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::writeCodesNpy(path("bad.npy"), m, labels));
  QVERIFY(!QFile::exists(QString::fromStdString(path("bad.csv"))));
}

void tst_CodeExport::unwritablePathNamesTheFile() {
  std::vector<int> labels;
  const Matrix m = codes(labels);
  const std::string where = path("no-such-folder/codes.csv");
  try {
    latent::writeCodesCsv(where, m, labels);
    QFAIL("expected an error");
  } catch (const latent::Error& e) {
    QVERIFY2(std::string(e.what()).find(where) != std::string::npos, e.what());
  }
}

void tst_CodeExport::scoresCsvHasOneRowPerScoreWithItsFlag() {
  const std::vector<int> samples{7, 3, 12}, labels{1, 0, 9};
  const std::vector<double> scores{0.5, 2.0 / 3.0, 1e-7};
  latent::writeScoresCsv(path("scores.csv"), samples, labels, scores, 2.0 / 3.0);
  QFile file(QString::fromStdString(path("scores.csv")));
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 4);
  QCOMPARE(lines[0], QStringLiteral("sample,label,score,flagged"));
  for (int i = 0; i < 3; ++i) {
    const QStringList f = lines[i + 1].split(',');
    QCOMPARE(f.size(), 4);
    QCOMPARE(f[0].toInt(), samples[size_t(i)]);
    QCOMPARE(f[1].toInt(), labels[size_t(i)]);
    QVERIFY(std::abs(f[2].toDouble() - scores[size_t(i)]) <= 1e-8 * scores[size_t(i)]);
    QCOMPARE(f[3], QString(i == 1 ? "1" : "0"));  // at the threshold counts as flagged
  }
  latent::writeScoresCsv(path("unlabelled.csv"), samples, {}, scores, 0.1);
  QFile plain(QString::fromStdString(path("unlabelled.csv")));
  QVERIFY(plain.open(QIODevice::ReadOnly));
  QCOMPARE(QString::fromUtf8(plain.readAll()).split('\n')[1], QStringLiteral("7,,0.5,1"));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::writeScoresCsv(path("bad.csv"), {1}, {}, scores, 0));
}

QTEST_APPLESS_MAIN(tst_CodeExport)
#include "tst_codeexport.moc"
