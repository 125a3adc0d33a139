// The latent explorer's core helpers: lerp/slerp, the map projection and its inverse, manifold
// grids and the normal quantile, the spatial point index, chunked encoding and per-dimension KL.
#include <QtTest>
#include <cmath>

#include "analysis/interpolation.h"
#include "analysis/latentcodes.h"
#include "analysis/latentgrid.h"
#include "analysis/latentprojection.h"
#include "analysis/pointindex.h"
#include "data/rng.h"
#include "models/model.h"
#include "testutil.h"

using namespace latent;
using testutil::normalMatrix;

namespace {

Vector randomVector(int n, Rng& rng, float scale = 1.0f) { return normalMatrix(n, 1, rng, scale); }

/// Index of the nearest point within radius by a plain scan (the reference for PointIndex).
int bruteNearest(const Matrix& p, float x, float y, float radius, int skipLabel = -1) {
  int best = -1;
  float bestD2 = radius * radius;
  for (int i = 0; i < p.cols(); ++i) {
    if (skipLabel >= 0 && i % 3 == skipLabel) continue;
    const float dx = p(0, i) - x, dy = p(1, i) - y, d2 = dx * dx + dy * dy;
    if (d2 < bestD2 || (d2 == bestD2 && best < 0)) best = i, bestD2 = d2;
  }
  return best;
}

ModelSpec tinySpec(ModelKind kind, int latent) {
  ModelSpec spec;
  spec.kind = kind;
  spec.hidden = {12};
  spec.latent = latent;
  return spec;
}

}  // namespace

class tst_LatentAnalysis : public QObject {
  Q_OBJECT

 private slots:
  void interpolationEndpointsAreExact_data();
  void interpolationEndpointsAreExact();
  void linearIsEvenlySpaced();
  void slerpKeepsNormOnEqualNorms();
  void slerpDiffersFromLinearAndFallsBackWhenParallel();
  void slerpInterpolatesLengthWithoutOvershoot();
  void interpolationRejectsBadArguments();
  void normalQuantileMatchesKnownValues();
  void gridPointsLayoutTopRowIsLargestY();
  void priorQuantileGridHoldsEqualShares();
  void dimensionProjectionRoundTrips();
  void pcaProjectionRecoversAPlane();
  void projectionRejectsWrongShapes();
  void pointIndexAgreesWithBruteForce();
  void pointIndexHonoursAcceptAndRadius();
  void encodeAllEqualsOneEncode_data();
  void encodeAllEqualsOneEncode();
  void encodeAllStopsWhenAsked();
  void klPerDimensionMatchesFormula();
  void projectedCovariancesOfDimensionsAreVariances();
};

void tst_LatentAnalysis::interpolationEndpointsAreExact_data() {
  QTest::addColumn<int>("kind");
  QTest::newRow("linear") << int(InterpolationKind::Linear);
  QTest::newRow("slerp") << int(InterpolationKind::Slerp);
}

void tst_LatentAnalysis::interpolationEndpointsAreExact() {
  QFETCH(int, kind);
  Rng rng(1);
  const Vector a = randomVector(8, rng), b = randomVector(8, rng, 3.0f);
  const Matrix path = interpolate(a, b, 10, InterpolationKind(kind));
  QCOMPARE(path.cols(), 10);
  QVERIFY(path.col(0) == a);
  QVERIFY(path.col(9) == b);
}

void tst_LatentAnalysis::linearIsEvenlySpaced() {
  const Vector a = Vector::Constant(3, 1.0f), b = Vector::Constant(3, 5.0f);
  const Matrix path = interpolate(a, b, 5, InterpolationKind::Linear);
  for (int i = 0; i < 5; ++i) QCOMPARE(path(1, i), 1.0f + float(i));
}

void tst_LatentAnalysis::slerpKeepsNormOnEqualNorms() {
  Rng rng(2);
  Vector a = randomVector(16, rng), b = randomVector(16, rng);
  b *= a.norm() / b.norm();
  const Matrix path = interpolate(a, b, 9, InterpolationKind::Slerp);
  double worst = 0;
  for (int i = 0; i < 9; ++i)
    worst = std::max(worst, std::abs(double(path.col(i).norm() - a.norm())));
  QVERIFY2(worst < 1e-5 * a.norm(), qPrintable(QString::number(worst)));
  // The middle point bisects the angle.
  const Vector mid = path.col(4);
  QVERIFY(std::abs(mid.dot(a) - mid.dot(b)) < 1e-4f * a.squaredNorm());
}

void tst_LatentAnalysis::slerpDiffersFromLinearAndFallsBackWhenParallel() {
  Vector a(2), b(2);
  a << 1, 0;
  b << 0, 1;
  const Vector s = slerp(a, b, 0.5f), l = lerp(a, b, 0.5f);
  QVERIFY(std::abs(s.norm() - 1.0f) < 1e-6f);             // on the unit circle
  QVERIFY(std::abs(l.norm() - std::sqrt(0.5f)) < 1e-6f);  // on the chord
  const Vector c = 2.0f * a;
  QVERIFY((slerp(a, c, 0.25f) - lerp(a, c, 0.25f)).norm() < 1e-6f);
  QVERIFY((slerp(Vector::Zero(2), b, 0.5f) - lerp(Vector::Zero(2), b, 0.5f)).norm() < 1e-7f);
}

void tst_LatentAnalysis::slerpInterpolatesLengthWithoutOvershoot() {
  // Nearly opposite ends of very different lengths: the length goes linearly from |a| to |b| and
  // the direction stays on the great circle (angle to a grows linearly with t).
  Vector a(2), b(2);
  a << 0.2f, 0.0f;
  b << -2.5f, -1.0f;
  const double theta = std::acos(double(a.dot(b)) / (a.norm() * b.norm()));
  for (float t : {0.1f, 0.25f, 0.5f, 0.75f, 0.9f}) {
    const Vector z = slerp(a, b, t);
    QVERIFY(std::abs(z.norm() - ((1 - t) * a.norm() + t * b.norm())) < 1e-5f);
    const double angle = std::acos(std::clamp(double(z.dot(a)) / (z.norm() * a.norm()), -1.0, 1.0));
    QVERIFY(std::abs(angle - t * theta) < 1e-5);
  }
}

void tst_LatentAnalysis::interpolationRejectsBadArguments() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolate(Vector::Zero(2), Vector::Zero(2), 1,
                                                              InterpolationKind::Linear));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slerp(Vector::Zero(2), Vector::Zero(3), 0.5f));
}

void tst_LatentAnalysis::normalQuantileMatchesKnownValues() {
  QCOMPARE(normalQuantile(0.5), 0.0);
  QVERIFY(std::abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
  QVERIFY(std::abs(normalQuantile(0.001) + 3.090232306167813) < 1e-12);
  QVERIFY(std::abs(normalQuantile(0.8413447460685429) - 1.0) < 1e-12);
  QVERIFY(std::abs(normalQuantile(1e-10) + 6.361340902404056) < 1e-9);
  for (double p : {0.01, 0.3, 0.6, 0.99})
    QVERIFY(std::abs(normalQuantile(p) + normalQuantile(1 - p)) < 1e-9);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, normalQuantile(0.0));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, normalQuantile(1.0));
}

void tst_LatentAnalysis::gridPointsLayoutTopRowIsLargestY() {
  const Matrix g = gridPoints(0, 4, 10, 14, 4);
  QCOMPARE(g.cols(), 16);
  QCOMPARE(g(0, 0), 0.5f);   // left column
  QCOMPARE(g(1, 0), 13.5f);  // top row: largest y
  QCOMPARE(g(0, 3), 3.5f);
  QCOMPARE(g(1, 15), 10.5f);  // bottom right
  QCOMPARE(g(0, 15), 3.5f);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, gridPoints(0, 1, 0, 1, 0));
}

void tst_LatentAnalysis::priorQuantileGridHoldsEqualShares() {
  const int k = 5;
  const Matrix g = priorQuantileGrid(k, 1.0, -2.0);
  QCOMPARE(g.cols(), k * k);
  for (int c = 0; c < k; ++c) {
    // Φ(x − centre) of column c is (c + ½)/k.
    const double x = g(0, c) - 1.0;
    QVERIFY(std::abs(0.5 * std::erfc(-x / std::sqrt(2.0)) - (c + 0.5) / k) < 1e-6);
  }
  QCOMPARE(g(1, (k / 2) * k), -2.0f);  // the middle row sits at the centre
}

void tst_LatentAnalysis::dimensionProjectionRoundTrips() {
  Rng rng(3);
  const Vector rest = randomVector(5, rng);
  const LatentProjection p = LatentProjection::dimensions(5, 3, 1, rest);
  const Matrix z = normalMatrix(5, 4, rng);
  const Matrix xy = p.project(z);
  QVERIFY(xy.row(0) == z.row(3));
  QVERIFY(xy.row(1) == z.row(1));
  const Vector lifted = p.lift(0.25f, -2.0f);
  QCOMPARE(lifted(3), 0.25f);
  QCOMPARE(lifted(1), -2.0f);
  QCOMPARE(lifted(0), rest(0));
  QCOMPARE(lifted(4), rest(4));
  QCOMPARE(QString::fromStdString(p.axisName(0)), QStringLiteral("z₃"));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LatentProjection::dimensions(5, 2, 2, rest));
}

void tst_LatentAnalysis::pcaProjectionRecoversAPlane() {
  // Codes on a 2D plane in 8D: PCA finds it, lift(project(z)) == z, and the axis names give
  // ~100% of the variance between them.
  Rng rng(4);
  const Matrix basis = normalMatrix(8, 2, rng);
  Matrix coeff = normalMatrix(2, 300, rng);
  coeff.row(0) *= 3.0f;
  const Vector offset = randomVector(8, rng);
  const Matrix codes = (basis * coeff).colwise() + offset;
  const LatentProjection p = LatentProjection::pca(codes);
  const Matrix back = p.lift(p.project(codes));
  QVERIFY2((back - codes).cwiseAbs().maxCoeff() < 1e-4f,
           qPrintable(QString::number((back - codes).cwiseAbs().maxCoeff())));
  QVERIFY(p.varianceRatio(0) + p.varianceRatio(1) > 0.9999);
  QVERIFY(p.varianceRatio(0) > p.varianceRatio(1));
  QVERIFY(QString::fromStdString(p.axisName(0)).startsWith(QStringLiteral("PC1 (")));
  // Orthonormal directions: the prior N(0, I) looks like N(project(0), I₂) on the map.
  const Matrix dtd = p.directions().transpose() * p.directions();
  QVERIFY((dtd - Matrix::Identity(2, 2)).cwiseAbs().maxCoeff() < 1e-5f);
}

void tst_LatentAnalysis::projectionRejectsWrongShapes() {
  const LatentProjection p = LatentProjection::dimensions(4, 0, 1, Vector::Zero(4));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.project(Matrix::Zero(3, 2)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.lift(Matrix::Zero(3, 2)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LatentProjection::pca(Matrix::Zero(4, 1)));
}

void tst_LatentAnalysis::pointIndexAgreesWithBruteForce() {
  Rng rng(5);
  Matrix points = normalMatrix(2, 5000, rng);
  points.row(0) *= 10.0f;  // an elongated cloud: cells are not square
  const PointIndex index(points);
  QVERIFY(index.cellsX() > 1);
  for (int q = 0; q < 500; ++q) {
    const float x = 14.0f * rng.normal(), y = 1.4f * rng.normal(), r = 0.02f + rng.uniform();
    QCOMPARE(index.nearest(x, y, r), bruteNearest(points, x, y, r));
  }
}

void tst_LatentAnalysis::pointIndexHonoursAcceptAndRadius() {
  Rng rng(6);
  const Matrix points = normalMatrix(2, 3000, rng);
  const PointIndex index(points);
  for (int q = 0; q < 300; ++q) {
    const float x = rng.normal(), y = rng.normal();
    QCOMPARE(index.nearest(x, y, 0.3f, [](int i) { return i % 3 != 1; }),
             bruteNearest(points, x, y, 0.3f, 1));
  }
  QCOMPARE(index.nearest(0, 0, 0.3f, [](int) { return false; }), -1);
  QCOMPARE(index.nearest(100, 100, 1.0f), -1);
  QCOMPARE(index.nearest(points(0, 7), points(1, 7), 0.0f), 7);
  QCOMPARE(PointIndex().nearest(0, 0, 1.0f), -1);
}

void tst_LatentAnalysis::encodeAllEqualsOneEncode_data() {
  QTest::addColumn<bool>("vae");
  QTest::newRow("dense") << false;
  QTest::newRow("vae") << true;
}

void tst_LatentAnalysis::encodeAllEqualsOneEncode() {
  QFETCH(bool, vae);
  Rng rng(7);
  const Model model(tinySpec(vae ? ModelKind::Vae : ModelKind::Dense, 3), 20, rng);
  const Matrix x = testutil::uniformMatrix(20, 101, rng);
  const LatentCodes codes = encodeAll(model, x, {}, 16);  // 7 chunks, the last one short
  QVERIFY((codes.mean - model.encode(x)).cwiseAbs().maxCoeff() < 1e-6f);
  if (vae)
    QVERIFY((codes.logVar - model.encodeDistribution(x).logVar).cwiseAbs().maxCoeff() < 1e-6f);
  else
    QCOMPARE(codes.logVar.size(), 0);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, encodeAll(model, Matrix::Zero(19, 4)));
}

void tst_LatentAnalysis::encodeAllStopsWhenAsked() {
  Rng rng(8);
  const Model model(tinySpec(ModelKind::Dense, 2), 10, rng);
  std::stop_source stop;
  stop.request_stop();
  const LatentCodes codes = encodeAll(model, Matrix::Ones(10, 50), stop.get_token(), 10);
  QCOMPARE(codes.mean.cols(), 50);  // the shape is kept; the contents are unspecified
}

void tst_LatentAnalysis::klPerDimensionMatchesFormula() {
  Matrix mean(2, 2), logVar(2, 2);
  mean << 0, 2, 1, -1;
  logVar << 0, 0, std::log(4.0f), 0;
  const Eigen::VectorXd kl = klPerDimension(mean, logVar);
  QVERIFY(std::abs(kl(0) - 0.5 * (0 + 4) / 2.0 * 1.0) < 1e-6);  // ½(μ²) averaged: (0 + 2)/2 = 1
  const double row1 = (0.5 * (1 + 4 - std::log(4.0) - 1) + 0.5 * 1) / 2;
  QVERIFY(std::abs(kl(1) - row1) < 1e-6);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, klPerDimension(mean, Matrix::Zero(3, 2)));
}

void tst_LatentAnalysis::projectedCovariancesOfDimensionsAreVariances() {
  Rng rng(9);
  const Matrix logVar = normalMatrix(4, 6, rng);
  const LatentProjection p = LatentProjection::dimensions(4, 2, 0, Vector::Zero(4));
  const Matrix cov = projectedCovariances(p, logVar);
  for (int i = 0; i < 6; ++i) {
    QVERIFY(std::abs(cov(0, i) - std::exp(logVar(2, i))) < 1e-5f);
    QCOMPARE(cov(1, i), 0.0f);
    QVERIFY(std::abs(cov(2, i) - std::exp(logVar(0, i))) < 1e-5f);
  }
}

QTEST_APPLESS_MAIN(tst_LatentAnalysis)
#include "tst_latentanalysis.moc"
