// Tests for the analysis metrics: ROC/PR curves against hand-computed values, thresholds and
// confusion counts, k-NN and linear-probe accuracy (separable → 1, random labels → chance),
// trustworthiness, k-means / silhouette / adjusted Rand index, PSNR.
#include <QtTest>
#include <cmath>

#include "analysis/clustering.h"
#include "analysis/neighbourhood.h"
#include "analysis/ranking.h"
#include "analysis/reconstructionerror.h"
#include "testutil.h"

using latent::Matrix;

namespace {

/// `perClass` points around each of `centres` (d × classes) with N(0, spread²) noise.
struct Blobs {
  Matrix points;
  std::vector<int> labels;
};

Blobs blobs(const Matrix& centres, int perClass, float spread, unsigned seed) {
  latent::Rng rng(seed);
  Blobs b;
  b.points.resize(centres.rows(), centres.cols() * perClass);
  for (Eigen::Index c = 0; c < centres.cols(); ++c)
    for (int i = 0; i < perClass; ++i) {
      const Eigen::Index col = c * perClass + i;
      b.points.col(col) = centres.col(c) + testutil::normalMatrix(centres.rows(), 1, rng, spread);
      b.labels.push_back(int(c));
    }
  return b;
}

Matrix fourCorners() {
  Matrix c(3, 4);
  c << 0, 10, 0, 10,  //
      0, 0, 10, 10,   //
      5, -5, 5, -5;
  return c;
}

}  // namespace

class TestAnalysis : public QObject {
  Q_OBJECT

 private slots:
  void rocAucMatchesHandComputedValues();
  void tiedScoresCountHalf();
  void precisionRecallAndAveragePrecision();
  void thresholdAtFalsePositiveRateAndConfusion();
  void badScoresAreRefused();
  void knnAndLinearProbeOnSeparableAndRandomLabels();
  void trustworthinessOfFaithfulAndScrambledMaps();
  void kmeansFindsBlobsAndScoresAgree();
  void adjustedRandIndexProperties();
  void psnrValues();
};

void TestAnalysis::rocAucMatchesHandComputedValues() {
  // Positives at scores 0.9, 0.6, 0.35; negatives at 0.8, 0.4, 0.1. Of the 9 (pos, neg) pairs the
  // positive wins 0.9>all(3), 0.6>{0.4,0.1}(2), 0.35>{0.1}(1): AUC = 6/9.
  const std::vector<double> scores{0.9, 0.8, 0.6, 0.4, 0.35, 0.1};
  const std::vector<bool> positive{true, false, true, false, true, false};
  const latent::RocCurve roc = latent::rocCurve(scores, positive);
  QVERIFY(std::abs(roc.auc - 6.0 / 9.0) < 1e-12);
  QCOMPARE(int(roc.points.size()), 7);
  QCOMPARE(roc.points.front().truePositiveRate, 0.0);
  QCOMPARE(roc.points.back().falsePositiveRate, 1.0);
  QCOMPARE(roc.points.back().truePositiveRate, 1.0);
  QCOMPARE(latent::rocCurve({1, 2, 3, 4}, {false, false, true, true}).auc, 1.0);
  QCOMPARE(latent::rocCurve({4, 3, 2, 1}, {false, false, true, true}).auc, 0.0);
}

void TestAnalysis::tiedScoresCountHalf() {
  QCOMPARE(latent::rocCurve({0.5, 0.5, 0.5, 0.5}, {true, false, true, false}).auc, 0.5);
  // One tie between a positive and a negative at 0.7; the other positive (0.9) wins both pairs.
  QCOMPARE(latent::rocCurve({0.9, 0.7, 0.7, 0.1}, {true, true, false, false}).auc, 3.5 / 4.0);
}

void TestAnalysis::precisionRecallAndAveragePrecision() {
  const std::vector<double> scores{0.9, 0.8, 0.6, 0.4, 0.35, 0.1};
  const std::vector<bool> positive{true, false, true, false, true, false};
  const latent::PrCurve pr = latent::precisionRecallCurve(scores, positive);
  // sklearn.metrics.average_precision_score gives (1/3)(1 + 2/3 + 3/5) = 0.7555…
  QVERIFY(std::abs(pr.averagePrecision - (1.0 + 2.0 / 3.0 + 3.0 / 5.0) / 3.0) < 1e-12);
  QCOMPARE(pr.points.front().precision, 1.0);
  QCOMPARE(pr.points.back().recall, 1.0);
  QCOMPARE(pr.points.back().precision, 0.5);
}

void TestAnalysis::thresholdAtFalsePositiveRateAndConfusion() {
  const std::vector<double> scores{0.9, 0.8, 0.6, 0.4, 0.35, 0.1};
  const std::vector<bool> positive{true, false, true, false, true, false};
  QCOMPARE(latent::thresholdAtFalsePositiveRate(scores, positive, 0.0), 0.9);
  QCOMPARE(latent::thresholdAtFalsePositiveRate(scores, positive, 1.0 / 3.0), 0.6);
  QCOMPARE(latent::thresholdAtFalsePositiveRate(scores, positive, 1.0), 0.1);
  const latent::Confusion m = latent::confusionAt(scores, positive, 0.6);
  QCOMPARE(m.truePositives, 2LL);
  QCOMPARE(m.falsePositives, 1LL);
  QCOMPARE(m.trueNegatives, 2LL);
  QCOMPARE(m.falseNegatives, 1LL);
  QCOMPARE(latent::topK(scores, 3), (std::vector<int>{0, 1, 2}));
  QCOMPARE(latent::topK({1, 3, 3, 2}, 2), (std::vector<int>{1, 2}));
}

void TestAnalysis::badScoresAreRefused() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::rocCurve({1, 2}, {true, true}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::rocCurve({1, 2}, {true}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::rocCurve({1, std::nan("")}, {true, false}));
}

void TestAnalysis::knnAndLinearProbeOnSeparableAndRandomLabels() {
  const Blobs train = blobs(fourCorners(), 50, 0.5f, 1);
  const Blobs test = blobs(fourCorners(), 30, 0.5f, 2);
  QCOMPARE(latent::knnAccuracy(train.points, train.labels, test.points, test.labels, 5), 1.0);
  QCOMPARE(latent::linearProbeAccuracy(train.points, train.labels, test.points, test.labels), 1.0);

  // Labels independent of the points: both should be near chance (1/4).
  latent::Rng rng(3);
  const Matrix noiseTrain = testutil::normalMatrix(5, 800, rng);
  const Matrix noiseTest = testutil::normalMatrix(5, 800, rng);
  std::vector<int> randomTrain(800), randomTest(800);
  for (int& l : randomTrain) l = int(rng.below(4));
  for (int& l : randomTest) l = int(rng.below(4));
  const double knn = latent::knnAccuracy(noiseTrain, randomTrain, noiseTest, randomTest, 5);
  const double probe = latent::linearProbeAccuracy(noiseTrain, randomTrain, noiseTest, randomTest);
  QVERIFY2(std::abs(knn - 0.25) < 0.06, qPrintable(QString::number(knn)));
  QVERIFY2(std::abs(probe - 0.25) < 0.06, qPrintable(QString::number(probe)));
}

void TestAnalysis::trustworthinessOfFaithfulAndScrambledMaps() {
  latent::Rng rng(4);
  const Matrix x = testutil::normalMatrix(2, 300, rng);
  Matrix scaled = 3.0f * x;  // distances scaled: same neighbours
  QVERIFY(std::abs(latent::trustworthiness(x, scaled, 5) - 1.0) < 1e-12);
  const Matrix unrelated = testutil::normalMatrix(2, 300, rng);
  const double t = latent::trustworthiness(x, unrelated, 5);
  QVERIFY2(t < 0.65, qPrintable(QString::number(t)));  // random maps score about 0.5
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::trustworthiness(x, x, 200));
}

void TestAnalysis::kmeansFindsBlobsAndScoresAgree() {
  const Blobs b = blobs(fourCorners(), 40, 0.5f, 5);
  const latent::KMeansResult r = latent::kmeans(b.points, 4, 7);
  QCOMPARE(latent::adjustedRandIndex(r.assignment, b.labels), 1.0);
  const double s = latent::silhouetteScore(b.points, r.assignment);
  QVERIFY2(s > 0.8, qPrintable(QString::number(s)));
  const latent::KMeansResult same = latent::kmeans(b.points, 4, 7);
  QCOMPARE(same.assignment, r.assignment);  // seeded: reproducible
  // Two clusters for four blobs fit worse (larger inertia) than four.
  QVERIFY(latent::kmeans(b.points, 2, 7).inertia > r.inertia);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::kmeans(b.points, 0, 1));
}

void TestAnalysis::adjustedRandIndexProperties() {
  const std::vector<int> a{0, 0, 1, 1, 2, 2};
  QCOMPARE(latent::adjustedRandIndex(a, a), 1.0);
  QCOMPARE(latent::adjustedRandIndex(a, {5, 5, 3, 3, 9, 9}), 1.0);  // names do not matter
  // sklearn.metrics.adjusted_rand_score([0,0,1,1,2,2],[0,0,1,2,2,2]) = 0.4444…
  QVERIFY(std::abs(latent::adjustedRandIndex(a, {0, 0, 1, 2, 2, 2}) - 4.0 / 9.0) < 1e-12);
  latent::Rng rng(6);
  std::vector<int> x(4000), y(4000);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = int(rng.below(5));
    y[i] = int(rng.below(5));
  }
  QVERIFY(std::abs(latent::adjustedRandIndex(x, y)) < 0.01);
}

void TestAnalysis::psnrValues() {
  Matrix clean = Matrix::Constant(4, 2, 0.5f);
  Matrix other = clean;
  other.col(1).array() += 0.1f;  // MSE 0.01 → 20 dB at peak 1
  const std::vector<double> p = latent::psnr(clean, other);
  QVERIFY(std::isinf(p[0]));
  QVERIFY(std::abs(p[1] - 20.0) < 1e-4);
}

QTEST_APPLESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
