// Learning on the real MNIST subset (fixed seed, few epochs), judged against baselines: PCA at the
// same code size, the noisy input itself, and the previous epoch's ELBO. Skipped without the data.
#include <QtTest>
#include <filesystem>

#include "analysis/pca.h"
#include "io/idx.h"
#include "nn/gemm.h"
#include "testutil.h"
#include "train/trainer.h"

using namespace latent;

namespace {

struct Mnist {
  std::shared_ptr<const Dataset> train, test;
};

Mnist loadMnist() {
  const std::string dir = LATENT_SAMPLE_DATA;
  if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz")) return {};
  return {std::make_shared<const Dataset>(loadIdx(dir + "/train-images-idx3-ubyte.gz")),
          std::make_shared<const Dataset>(loadIdx(dir + "/t10k-images-idx3-ubyte.gz"))};
}

ModelSpec denseSpec(std::vector<int> hidden, int latent, int epochs) {
  ModelSpec s;
  s.hidden = std::move(hidden);
  s.latent = latent;
  s.training.epochs = epochs;
  s.training.batchSize = 128;
  s.training.seed = 3;
  s.training.threads = 2;
  return s;
}

double mse(const Matrix& a, const Matrix& b) { return (a - b).squaredNorm() / double(a.size()); }

}  // namespace

class tst_Learning : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void denseAutoencoderBeatsPcaAtTheSameCodeSize_data();
  void denseAutoencoderBeatsPcaAtTheSameCodeSize();
  void denoisingAutoencoderCleansNoisyDigits();
  void vaeTestElboImprovesEveryEpoch();
  void mixedPrecisionLearnsAsWellAsFloat32();

 private:
  Mnist m_data;
};

void tst_Learning::initTestCase() {
  m_data = loadMnist();
  if (!m_data.train) QSKIP("data/mnist10k not present (run scripts/fetch-mnist.sh)");
  QCOMPARE(m_data.train->count(), 8000);
  QCOMPARE(m_data.test->count(), 2000);
}

void tst_Learning::denseAutoencoderBeatsPcaAtTheSameCodeSize_data() {
  QTest::addColumn<int>("latent");
  QTest::addColumn<int>("epochs");
  QTest::newRow("latent 2") << 2 << 12;
  QTest::newRow("latent 8") << 8 << 8;
}

void tst_Learning::denseAutoencoderBeatsPcaAtTheSameCodeSize() {
  QFETCH(int, latent);
  QFETCH(int, epochs);
  const double pcaMse =
      Pca::fit(m_data.train->samples, latent).reconstructionMse(m_data.test->samples);
  Trainer trainer(denseSpec({256, 64}, latent, epochs), m_data.train, nullptr);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  const double aeMse = mse(trainer.model().reconstruct(m_data.test->samples), m_data.test->samples);
  qInfo("latent %d: test MSE autoencoder %.5f, PCA %.5f", latent, aeMse, pcaMse);
  QVERIFY2(aeMse < pcaMse, qPrintable(QString("AE %1 vs PCA %2").arg(aeMse).arg(pcaMse)));
}

void tst_Learning::denoisingAutoencoderCleansNoisyDigits() {
  ModelSpec spec = denseSpec({256}, 64, 5);
  spec.kind = ModelKind::Denoising;
  spec.noise = NoiseSpec::parse("gaussian:0.3");
  Trainer trainer(spec, m_data.train, nullptr);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  Rng rng(12345);
  Matrix noisy = m_data.test->samples;
  for (Eigen::Index i = 0; i < noisy.size(); ++i) noisy.data()[i] += 0.3f * rng.normal();
  const double before = mse(noisy, m_data.test->samples);
  const double after = mse(trainer.model().reconstruct(noisy), m_data.test->samples);
  qInfo("noisy input MSE %.5f, denoised MSE %.5f", before, after);
  QVERIFY(after < 0.5 * before);
}

void tst_Learning::vaeTestElboImprovesEveryEpoch() {
  ModelSpec spec = denseSpec({400}, 20, 3);
  spec.kind = ModelKind::Vae;
  spec.loss = LossKind::Bce;
  Trainer trainer(spec, m_data.train, m_data.test);
  std::vector<double> negativeElbo;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd) negativeElbo.push_back(p.validationLoss->total);
  });
  Rng init(spec.training.seed);
  const Model fresh(spec, 784, init);  // the trainer's initial weights (same seed)
  negativeElbo.insert(negativeElbo.begin(),
                      fresh.evaluate(m_data.test->samples, m_data.test->samples, 2000, 1).total);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QCOMPARE(int(negativeElbo.size()), 4);
  for (size_t e = 1; e < negativeElbo.size(); ++e) {
    qInfo("epoch %zu: test -ELBO %.2f nats per image", e, negativeElbo[e]);
    QVERIFY2(negativeElbo[e] < negativeElbo[e - 1], qPrintable(QString("epoch %1").arg(e)));
  }
}

void tst_Learning::mixedPrecisionLearnsAsWellAsFloat32() {
  if (!bf16GemmAvailable()) QSKIP("no bfloat16 products on this CPU or build");
  double testMse[2] = {0, 0};
  for (Precision p : {Precision::Float32, Precision::BFloat16}) {
    ModelSpec spec = denseSpec({256}, 64, 5);
    spec.training.precision = p;
    Trainer trainer(spec, m_data.train, nullptr);
    QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
    testMse[int(p)] = mse(trainer.model().reconstruct(m_data.test->samples), m_data.test->samples);
  }
  qInfo("784-256-64 AE, 5 epochs: test MSE fp32 %.5f, bf16 %.5f", testMse[0], testMse[1]);
  QVERIFY2(testMse[1] < 1.03 * testMse[0], "bfloat16 training lost more than 3% of test MSE");
}

QTEST_APPLESS_MAIN(tst_Learning)
#include "tst_learning.moc"
