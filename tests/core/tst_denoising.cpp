// evaluateDenoising: its noisy samples are applyNoise's with the given seed, its denoised ones
// the model's reconstruction of them, its PSNRs psnr() of both against the clean samples.
#include <QtTest>

#include "analysis/denoising.h"
#include "analysis/reconstructionerror.h"
#include "data/rng.h"
#include "models/model.h"
#include "models/noise.h"
#include "testutil.h"

using latent::Matrix;

class tst_Denoising : public QObject {
  Q_OBJECT

 private slots:
  void matchesNoiseReconstructionAndPsnr_data();
  void matchesNoiseReconstructionAndPsnr();
  void unchangedSamplesAreCountedNotAveraged();
  void peakIsTheDataRange();
  void wrongShapeIsRefused();
};

void tst_Denoising::matchesNoiseReconstructionAndPsnr_data() {
  QTest::addColumn<QString>("noise");
  QTest::newRow("gaussian") << "gaussian:0.3";
  QTest::newRow("mask") << "mask:0.25";
  QTest::newRow("salt and pepper") << "saltpepper:0.1";
}

void tst_Denoising::matchesNoiseReconstructionAndPsnr() {
  QFETCH(QString, noise);
  latent::ModelSpec spec;
  spec.hidden = {16};
  spec.latent = 4;
  latent::Rng init(3), data(4);
  const latent::Model model(spec, 20, init);
  const Matrix clean = testutil::uniformMatrix(20, 700, data);  // > one parallel chunk
  const latent::NoiseSpec n = latent::NoiseSpec::parse(noise.toStdString());
  const latent::DenoisingResult r = latent::evaluateDenoising(model, clean, n, 9);

  Matrix noisy;
  latent::Rng rng(9);
  latent::applyNoise(n, clean, rng, noisy);
  QCOMPARE(r.noisy, noisy);
  QVERIFY((r.denoised - model.reconstruct(noisy)).cwiseAbs().maxCoeff() < 1e-6f);
  QCOMPARE(r.peak, 1.0);
  QCOMPARE(r.psnrNoisy, latent::psnr(clean, noisy, 1.0));
  const std::vector<double> denoised = latent::psnr(clean, r.denoised, 1.0);
  QCOMPARE(r.psnrDenoised, denoised);
  double sum = 0;
  for (double v : denoised) sum += v;
  QVERIFY(std::abs(r.meanPsnrDenoised - sum / 700) < 1e-9);
  QCOMPARE(r.unchangedDenoised, 0);
  // The noisy mean leaves out the samples the noise did not change (infinite PSNR).
  double noisySum = 0;
  int unchanged = 0;
  for (double v : r.psnrNoisy)
    if (std::isinf(v))
      ++unchanged;
    else
      noisySum += v;
  QCOMPARE(r.unchangedNoisy, unchanged);
  QVERIFY(unchanged < 700);
  QVERIFY(std::abs(r.meanPsnrNoisy - noisySum / (700 - unchanged)) < 1e-9);
  QVERIFY(r.meanPsnrNoisy > 0 && std::isfinite(r.meanPsnrNoisy));
  // Another seed, other noise.
  QVERIFY(latent::evaluateDenoising(model, clean, n, 10).noisy != noisy);
}

void tst_Denoising::unchangedSamplesAreCountedNotAveraged() {
  latent::ModelSpec spec;
  spec.hidden = {8};
  spec.latent = 2;
  latent::Rng init(5);
  const latent::Model model(spec, 6, init);
  const Matrix zeros = Matrix::Zero(6, 50);  // masking zeros changes nothing
  const latent::DenoisingResult r =
      latent::evaluateDenoising(model, zeros, latent::NoiseSpec::parse("mask:0.5"), 1);
  QCOMPARE(r.unchangedNoisy, 50);
  QVERIFY(std::isinf(r.meanPsnrNoisy));
  QVERIFY(std::isfinite(r.meanPsnrDenoised));  // a random model does not output exact zeros
}

void tst_Denoising::peakIsTheDataRange() {
  Matrix unit(2, 2);
  unit << 0.1f, 0.9f, 0.5f, 0.2f;
  QCOMPARE(latent::psnrPeak(unit), 1.0);
  Matrix wide(2, 2);
  wide << -2, 1, 3, 0;
  QCOMPARE(latent::psnrPeak(wide), 5.0);
}

void tst_Denoising::wrongShapeIsRefused() {
  latent::ModelSpec spec;
  spec.hidden = {8};
  spec.latent = 2;
  latent::Rng init(1);
  const latent::Model model(spec, 10, init);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::evaluateDenoising(model, Matrix::Zero(11, 3), {}, 1));
}

QTEST_APPLESS_MAIN(tst_Denoising)
#include "tst_denoising.moc"
