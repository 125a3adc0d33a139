// Pca: exact subspaces, orthonormal components, agreement with an independent SVD, and the MNIST
// reconstruction errors that sklearn reports (tests/data numbers from shared/bench/pca_ref.py).
#include <Eigen/SVD>
#include <QtTest>
#include <filesystem>
#include <string>

#include "analysis/pca.h"
#include "data/rng.h"
#include "io/idx.h"
#include "testutil.h"

using namespace latent;
using testutil::normalMatrix;

namespace {

/// features × n samples around a nonzero mean whose variance decays along random directions
/// (singular values 3, 3·0.8, 3·0.8², ...), so every component is well separated.
Matrix decayingData(int features, int n, Rng& rng) {
  const int rank = std::min(features, n);
  Matrix scaled = normalMatrix(rank, n, rng);
  for (int i = 0; i < rank; ++i) scaled.row(i) *= 3.0f * std::pow(0.8f, float(i));
  Eigen::HouseholderQR<Matrix> qr(normalMatrix(features, rank, rng));
  const Matrix basis = qr.householderQ() * Matrix::Identity(features, rank);
  const Vector mean = normalMatrix(features, 1, rng, 2.0f);
  return (basis * scaled).colwise() + mean;
}

/// MSE of reconstructing `x` from the top-k left singular vectors of the centred `fitData`,
/// everything in double and by Eigen's SVD: the reference, independent of Pca's
/// eigen-decomposition.
double referenceMse(const Matrix& fitData, const Matrix& x, int k) {
  const Eigen::MatrixXd data = fitData.cast<double>();
  const Eigen::VectorXd mean = data.rowwise().mean();
  const Eigen::MatrixXd centred = data.colwise() - mean;
  // Jacobi (after a QR of the wide matrix) is accurate and fast enough at these sizes; adding
  // BDCSVD for the large case more than doubled this file's compile time in CI.
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU);
  const Eigen::MatrixXd u = svd.matrixU().leftCols(k);
  const Eigen::MatrixXd xc = x.cast<double>().colwise() - mean;
  const Eigen::MatrixXd residual = u * (u.transpose() * xc) - xc;
  return residual.squaredNorm() / double(residual.size());
}

double orthonormalityError(const Matrix& w) {
  const Eigen::MatrixXd g = w.cast<double>().transpose() * w.cast<double>();
  return (g - Eigen::MatrixXd::Identity(g.rows(), g.cols())).cwiseAbs().maxCoeff();
}

}  // namespace

class tst_Pca : public QObject {
  Q_OBJECT

 private slots:
  void dataInASubspaceIsReconstructedExactly_data();
  void dataInASubspaceIsReconstructedExactly();
  void componentsAreOrthonormal_data();
  void componentsAreOrthonormal();
  void mseDecreasesMonotonicallyWithK();
  void mseMatchesAnIndependentSvd_data();
  void mseMatchesAnIndependentSvd();
  void truncatedEqualsAFitWithFewerComponents();
  void explainedVarianceIsTheVarianceOfTheCodes();
  void encodeAndDecodeHaveStatedShapes();
  void invalidComponentCountThrows();
  void mnistMseMatchesSklearn();
};

void tst_Pca::dataInASubspaceIsReconstructedExactly_data() {
  QTest::addColumn<int>("features");
  QTest::addColumn<int>("n");
  QTest::addColumn<int>("rank");
  QTest::newRow("tall 12×200, rank 4") << 12 << 200 << 4;
  QTest::newRow("wide 60×25, rank 3") << 60 << 25 << 3;  // more features than samples: Gram path
  QTest::newRow("rank 1") << 7 << 40 << 1;
}

void tst_Pca::dataInASubspaceIsReconstructedExactly() {
  QFETCH(int, features);
  QFETCH(int, n);
  QFETCH(int, rank);
  Rng rng(21);
  const Matrix basis = normalMatrix(features, rank, rng);
  const Vector offset = normalMatrix(features, 1, rng, 3.0f);
  const Matrix x = (basis * normalMatrix(rank, n, rng)).colwise() + offset;
  const Matrix unseen = (basis * normalMatrix(rank, 10, rng)).colwise() + offset;  // same subspace
  const Pca pca = Pca::fit(x, rank + 1);

  const double atRank = pca.truncated(rank).reconstructionMse(x);
  qInfo("MSE at k = %d: %.3g", rank, atRank);
  QVERIFY(atRank < 1e-10);
  QVERIFY(pca.truncated(rank).reconstructionMse(unseen) < 1e-10);
  QVERIFY(pca.explainedVariance()(rank) < 1e-8 * pca.explainedVariance()(0));
  if (rank > 1) {
    const double below = pca.truncated(rank - 1).reconstructionMse(x);
    qInfo("MSE at k = %d: %.3g", rank - 1, below);
    QVERIFY(below > 1e-3);
  }
}

void tst_Pca::componentsAreOrthonormal_data() {
  QTest::addColumn<int>("features");
  QTest::addColumn<int>("n");
  QTest::addColumn<int>("k");
  QTest::newRow("20×300, k 10") << 20 << 300 << 10;
  QTest::newRow("20×300, all") << 20 << 300 << 20;
  QTest::newRow("50×30, all (one null direction)") << 50 << 30 << 30;
  QTest::newRow("30×30, all") << 30 << 30 << 30;
}

void tst_Pca::componentsAreOrthonormal() {
  QFETCH(int, features);
  QFETCH(int, n);
  QFETCH(int, k);
  Rng rng(22);
  const Pca pca = Pca::fit(decayingData(features, n, rng), k);
  QCOMPARE(pca.components().rows(), Eigen::Index(features));
  QCOMPARE(pca.components().cols(), Eigen::Index(k));
  const double err = orthonormalityError(pca.components());
  qInfo("largest |WᵀW - I|: %.2e", err);
  QVERIFY(err < 1e-5);
  const Eigen::VectorXd& v = pca.explainedVariance();
  for (int j = 1; j < k; ++j) QVERIFY(v(j) <= v(j - 1));
  for (int j = 0; j < k; ++j) {  // sign convention: the largest-magnitude entry is positive
    Eigen::Index top = 0;
    pca.components().col(j).cwiseAbs().maxCoeff(&top);
    QVERIFY(pca.components()(top, j) > 0);
  }
}

void tst_Pca::mseDecreasesMonotonicallyWithK() {
  Rng rng(23);
  const Matrix x = decayingData(24, 400, rng);
  const Matrix test = decayingData(24, 100, rng);
  const Pca pca = Pca::fit(x, 24);
  const Eigen::VectorXd curve = pca.reconstructionMseCurve(x);
  const Eigen::VectorXd testCurve = pca.reconstructionMseCurve(test);
  double previous = 1e300;
  for (int k = 1; k <= 24; ++k) {
    const double mse = pca.truncated(k).reconstructionMse(x);
    QVERIFY2(mse <= previous, qPrintable(QString("k = %1: %2 > %3").arg(k).arg(mse).arg(previous)));
    // reconstructionMse works in float (relative error ~1e-7), the curve in double.
    QVERIFY(std::abs(curve(k - 1) - mse) < 1e-9 + 1e-6 * mse);
    const double testMse = pca.truncated(k).reconstructionMse(test);
    QVERIFY(std::abs(testCurve(k - 1) - testMse) < 1e-9 + 1e-6 * testMse);
    previous = mse;
  }
  qInfo("MSE with every direction kept: %.2e (curve %.2e)", pca.reconstructionMse(x), curve(23));
  QVERIFY(pca.reconstructionMse(x) < 1e-10);
  QVERIFY(curve(23) < 1e-10);
}

void tst_Pca::mseMatchesAnIndependentSvd_data() {
  QTest::addColumn<int>("features");
  QTest::addColumn<int>("n");
  QTest::newRow("tall 30×500") << 30 << 500;
  QTest::newRow("wide 80×40") << 80 << 40;
  QTest::newRow("square 40×40") << 40 << 40;
  QTest::newRow("large 100×2000") << 100 << 2000;
}

void tst_Pca::mseMatchesAnIndependentSvd() {
  QFETCH(int, features);
  QFETCH(int, n);
  Rng rng(24);
  const Matrix x = decayingData(features, n, rng) + normalMatrix(features, n, rng, 0.05f);
  const Matrix test = decayingData(features, 50, rng);
  const int kMax = std::min(features, n) / 2;
  const Pca pca = Pca::fit(x, kMax);
  double worst = 0;
  // The curve the PCA-vs-AE chart plots, checked directly (it is computed in double).
  const Eigen::VectorXd curve = pca.reconstructionMseCurve(test);
  for (int k : {1, 2, kMax / 2, kMax}) {
    const Pca p = pca.truncated(k);
    worst = std::max(worst, std::abs(p.reconstructionMse(x) - referenceMse(x, x, k)));
    worst = std::max(worst, std::abs(p.reconstructionMse(test) - referenceMse(x, test, k)));
    worst = std::max(worst, std::abs(curve(k - 1) - referenceMse(x, test, k)));
  }
  qInfo("largest MSE difference from Eigen's SVD: %.2e", worst);
  QVERIFY(worst < 1e-6);
}

void tst_Pca::truncatedEqualsAFitWithFewerComponents() {
  Rng rng(25);
  const Matrix x = decayingData(16, 200, rng);
  const Pca full = Pca::fit(x, 12);
  const Pca small = Pca::fit(x, 5);
  const Pca cut = full.truncated(5);
  QCOMPARE(cut.componentCount(), 5);
  QVERIFY((cut.components() - small.components()).cwiseAbs().maxCoeff() < 1e-5f);
  QVERIFY((cut.explainedVariance() - small.explainedVariance()).cwiseAbs().maxCoeff() < 1e-9);
  QCOMPARE(cut.mean(), full.mean());
  QCOMPARE(cut.totalVariance(), full.totalVariance());
}

void tst_Pca::explainedVarianceIsTheVarianceOfTheCodes() {
  Rng rng(26);
  const Matrix x = decayingData(10, 300, rng);
  const Pca pca = Pca::fit(x, 10);
  const Eigen::MatrixXd codes = pca.encode(x).cast<double>();
  for (int j = 0; j < 10; ++j) {
    const double mean = codes.row(j).mean();
    const double variance = (codes.row(j).array() - mean).square().sum() / (codes.cols() - 1);
    QVERIFY(std::abs(mean) < 1e-4);
    QVERIFY(std::abs(variance - pca.explainedVariance()(j)) < 1e-4 * pca.explainedVariance()(0));
  }
  QVERIFY(std::abs(pca.explainedVarianceRatio().sum() - 1.0) < 1e-9);
  const double features = (x.cast<double>().colwise() - x.cast<double>().rowwise().mean())
                              .rowwise()
                              .squaredNorm()
                              .sum() /
                          (x.cols() - 1);
  QVERIFY(std::abs(pca.totalVariance() - features) < 1e-9 * features);
  QVERIFY(pca.truncated(3).explainedVarianceRatio().sum() < 1.0);
}

void tst_Pca::encodeAndDecodeHaveStatedShapes() {
  Rng rng(27);
  const Pca pca = Pca::fit(decayingData(9, 50, rng), 4);
  QCOMPARE(pca.features(), 9);
  QCOMPARE(pca.componentCount(), 4);
  QCOMPARE(pca.mean().size(), Eigen::Index(9));
  QCOMPARE(pca.explainedVariance().size(), Eigen::Index(4));
  QCOMPARE(pca.explainedVarianceRatio().size(), Eigen::Index(4));
  const Matrix x = normalMatrix(9, 7, rng);
  const Matrix codes = pca.encode(x);
  QCOMPARE(codes.rows(), Eigen::Index(4));
  QCOMPARE(codes.cols(), Eigen::Index(7));
  const Matrix back = pca.decode(codes);
  QCOMPARE(back.rows(), Eigen::Index(9));
  QCOMPARE(back.cols(), Eigen::Index(7));
  QVERIFY((pca.encode(back) - codes).cwiseAbs().maxCoeff() < 1e-5f);  // a projection: idempotent
  QCOMPARE(pca.decode(Matrix::Zero(4, 1)), Matrix(pca.mean()));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.encode(normalMatrix(8, 7, rng)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.decode(normalMatrix(3, 7, rng)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.reconstructionMse(normalMatrix(10, 2, rng)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           pca.reconstructionMseCurve(normalMatrix(10, 2, rng)));
}

void tst_Pca::invalidComponentCountThrows() {
  Rng rng(28);
  const Matrix tall = normalMatrix(6, 20, rng), wide = normalMatrix(20, 6, rng);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Pca::fit(tall, 0));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Pca::fit(tall, -1));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Pca::fit(tall, 7));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Pca::fit(wide, 7));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Pca::fit(Matrix(), 1));
  QCOMPARE(Pca::fit(tall, 6).componentCount(), 6);
  QCOMPARE(Pca::fit(wide, 6).componentCount(), 6);
  try {
    Pca::fit(tall, 7);
    QFAIL("no exception");
  } catch (const std::invalid_argument& e) {
    QVERIFY2(std::string(e.what()).find("6×20") != std::string::npos, e.what());
  }
  const Pca pca = Pca::fit(tall, 3);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.truncated(0));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pca.truncated(4));
  try {
    pca.truncated(4);
    QFAIL("no exception");
  } catch (const std::invalid_argument& e) {
    QVERIFY2(std::string(e.what()).find("6×3") != std::string::npos, e.what());
  }
}

void tst_Pca::mnistMseMatchesSklearn() {
  // Test-set MSE per pixel of sklearn 1.2.1 PCA(svd_solver='full') fitted on the 8000 training
  // images ([0,1] scale), from /work/shared/bench/pca_ref.py (full precision from the same fit).
  struct Reference {
    int k;
    double testMse;
  };
  constexpr Reference Sklearn[] = {
      {2, 0.05555148}, {8, 0.03755753}, {16, 0.02697308}, {32, 0.01699164}, {64, 0.00922392}};
  const std::filesystem::path dir(LATENT_SAMPLE_DATA);
  const auto trainPath = dir / "train-images-idx3-ubyte.gz",
             testPath = dir / "t10k-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(trainPath) || !std::filesystem::exists(testPath))
    QSKIP("sample data (data/mnist10k) is not present");
  const Dataset train = loadIdx(trainPath.string());
  const Dataset test = loadIdx(testPath.string());
  QCOMPARE(train.count(), 8000);
  QCOMPARE(test.count(), 2000);

  QElapsedTimer timer;
  timer.start();
  const Pca pca = Pca::fit(train.samples, 64);
  qInfo("fit 784×8000, k = 64: %lld ms", static_cast<long long>(timer.elapsed()));
  timer.restart();
  const Eigen::VectorXd curve = pca.reconstructionMseCurve(test.samples);
  qInfo("test MSE for k = 1..64: %lld ms", static_cast<long long>(timer.elapsed()));
  double worst = 0;
  for (const Reference& r : Sklearn) {
    const double mse = pca.truncated(r.k).reconstructionMse(test.samples);
    qInfo("k = %2d: test MSE %.8f (sklearn %.8f)", r.k, mse, r.testMse);
    worst = std::max(worst, std::abs(mse - r.testMse));
    QVERIFY(std::abs(curve(r.k - 1) - mse) < 1e-6);
  }
  qInfo("largest difference from sklearn: %.2e", worst);
  QVERIFY(worst < 1e-4);
}

QTEST_APPLESS_MAIN(tst_Pca)
#include "tst_pca.moc"
