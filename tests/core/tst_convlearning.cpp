// Learning of the convolutional AE on the real MNIST subset (fixed seed, few epochs), judged
// against PCA at the same code size and, for the conv-VAE, against its own previous epochs.
// Skipped without the data.
#include <QtTest>
#include <filesystem>

#include "analysis/pca.h"
#include "io/idx.h"
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

/// torch_ref.py's conv AE (16 and 32 channels, kernel 3, stride 2) with the given code size.
ModelSpec convSpec(int latent, int epochs) {
  ModelSpec s;
  s.kind = ModelKind::Conv;
  s.conv.channels = {16, 32};
  s.hidden = {};
  s.latent = latent;
  s.training.epochs = epochs;
  s.training.batchSize = 64;  // twice the steps of 128 per epoch: past the early plateau sooner
  s.training.seed = 3;
  s.training.threads = 2;
  return s;
}

double mse(const Matrix& a, const Matrix& b) { return (a - b).squaredNorm() / double(a.size()); }

}  // namespace

class tst_ConvLearning : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void convAutoencoderBeatsPcaAtTheSameCodeSize();
  void convVaeTestElboImprovesEveryEpoch();

 private:
  Mnist m_data;
};

void tst_ConvLearning::initTestCase() {
  m_data = loadMnist();
  if (!m_data.train) QSKIP("data/mnist10k not present (run scripts/fetch-mnist.sh)");
  QCOMPARE(m_data.train->shape, Shape::image(1, 28, 28));
}

void tst_ConvLearning::convAutoencoderBeatsPcaAtTheSameCodeSize() {
  const int latent = 8;
  const double pcaMse =
      Pca::fit(m_data.train->samples, latent).reconstructionMse(m_data.test->samples);
  Trainer trainer(convSpec(latent, 6), m_data.train, nullptr);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  const double aeMse = mse(trainer.model().reconstruct(m_data.test->samples), m_data.test->samples);
  qInfo("latent %d, 6 epochs: test MSE conv autoencoder %.5f, PCA %.5f", latent, aeMse, pcaMse);
  QVERIFY2(aeMse < pcaMse, qPrintable(QString("conv AE %1 vs PCA %2").arg(aeMse).arg(pcaMse)));
}

void tst_ConvLearning::convVaeTestElboImprovesEveryEpoch() {
  ModelSpec spec = convSpec(16, 3);
  spec.variational = true;
  spec.loss = LossKind::Bce;
  Trainer trainer(spec, m_data.train, m_data.test);
  std::vector<double> negativeElbo;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd) negativeElbo.push_back(p.validationLoss->total);
  });
  Rng init(spec.training.seed);
  const Model fresh(spec, m_data.train->shape, init);  // the trainer's initial weights
  negativeElbo.insert(negativeElbo.begin(),
                      fresh.evaluate(m_data.test->samples, m_data.test->samples, 2000, 1).total);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QCOMPARE(int(negativeElbo.size()), 4);
  for (size_t e = 1; e < negativeElbo.size(); ++e) {
    qInfo("epoch %zu: test -ELBO %.2f nats per image", e, negativeElbo[e]);
    QVERIFY2(negativeElbo[e] < negativeElbo[e - 1], qPrintable(QString("epoch %1").arg(e)));
  }
}

QTEST_APPLESS_MAIN(tst_ConvLearning)
#include "tst_convlearning.moc"
