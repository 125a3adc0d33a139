// The LSTM autoencoder as an anomaly detector on the built-in Signals: trained unsupervised on
// windows as they come (a tenth of them anomalous), its per-window reconstruction error separates
// the injected anomalies of fresh windows with a ROC AUC of at least 0.9 (issue 7), for more than
// one seed.
// Why it used to be seed-dependent: a 64-unit LSTM learns the sine and square channels first and
// the sawtooth (a ramp with jumps) last; until it does, sawtooth anomalies drown in that channel's
// error (normal-window MSE 0.73 on it vs 0.06 on the sine, seed 1, epoch 40). When that happened
// within 40 epochs was a lottery. Forget-gate bias 3 (the cell integrates a ramp over a period), a
// higher peak rate with a 1-epoch warm-up, cosine decay and the gradient norm clipped at 1 make it
// happen by epoch ~30 for every seed tried; 50 epochs (1.25× the old time) leave a margin.
// AUC after training, 2,000 windows, 2 threads, seeds 1-5 (AVX2 build; other CPUs round
// differently):
//   before (bias 1, Adam 3e-3 constant, 40 epochs)           0.835 0.930 0.946 0.787 0.919
//   bias 3 alone, 40 epochs                                  0.906 0.891 0.896 0.924 0.903
//   1e-2 peak, warm-up 1, cosine, clip 1, bias 1, 50 epochs  0.954 0.912 0.920 0.890 0.934
//   the same with bias 3, 40 epochs                          0.964 0.935 0.977 0.894 0.970
//   the same with bias 3, 50 epochs (suggestedLstmSpec)      0.970 0.980 0.980 0.976 0.976
// With the suggestion also: seeds 6-12 0.969-0.987; the GUI's split (1,800 windows, 10% held
// out) seeds 1-5 0.962-0.970. Leaving one part out at 50 epochs (seeds 1-5, worst): no clip 0.927,
// no warm-up 0.897, constant rate 0.846, bias 1 0.890; the old settings for 50 epochs 0.815.
// What did not help within ~1.5× the old time: code 32, batch 16 or 8, stacked LSTMs (48,48 and
// 64,32: 0.71-0.79), hidden 72-96 for fewer epochs, not reversing the target (0.60-0.77). Hidden
// 128 reaches 0.94-0.96 but costs 3.5× per epoch. A dense AE 192-256-16 on 8,000 windows: 0.93.
#include <QtTest>
#include <memory>

#include "analysis/ranking.h"
#include "analysis/reconstructionerror.h"
#include "data/signals.h"
#include "models/model.h"
#include "testutil.h"

using namespace latent;

namespace {

constexpr double MinimumAuc = 0.90;
constexpr int TraceEvery = 10;  // epochs between the AUCs printed (each costs an inference pass)

/// ROC AUC of per-window error for "is anomalous" (label 1) on `data`.
double anomalyAuc(const Model& model, const Dataset& data) {
  const std::vector<double> errors = reconstructionErrors(model, data.samples);
  std::vector<bool> anomalous(data.labels.size());
  for (size_t i = 0; i < anomalous.size(); ++i) anomalous[i] = data.labels[i] == 1;
  return rocCurve(errors, anomalous).auc;
}

/// The settings the app suggests for sequences, seeded, on two threads.
ModelSpec lstmSpec(unsigned seed) {
  ModelSpec spec = suggestedLstmSpec();
  spec.training.seed = seed;
  spec.training.threads = 2;
  return spec;
}

}  // namespace

class tst_LstmAnomaly : public QObject {
  Q_OBJECT

 private slots:
  void perWindowErrorSeparatesInjectedAnomalies_data();
  void perWindowErrorSeparatesInjectedAnomalies();
};

void tst_LstmAnomaly::perWindowErrorSeparatesInjectedAnomalies_data() {
  // Seed 1 is the GUI's default; two seeds keep the test near two minutes on two slow cores.
  QTest::addColumn<unsigned>("seed");
  QTest::newRow("seed 1") << 1u;
  QTest::newRow("seed 2") << 2u;
}

void tst_LstmAnomaly::perWindowErrorSeparatesInjectedAnomalies() {
  QFETCH(unsigned, seed);
  // The GUI's built-in: 2,000 windows of 64 steps × 3 standardised channels; the test windows are
  // new ones.
  auto train = std::make_shared<const Dataset>(makeSignalsDataset(2000, 1));
  const Dataset test = makeSignalsDataset(1000, 2);
  Trainer trainer(lstmSpec(seed), train, nullptr);
  std::vector<double> aucs;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd && p.epoch % TraceEvery == 0)
      aucs.push_back(anomalyAuc(*p.snapshot->model, test));
  });
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QString trace;
  for (double a : aucs) trace += QString::number(a, 'f', 3) + " ";
  qInfo("ROC AUC every %d epochs: %s", TraceEvery, qPrintable(trace));
  const double auc = anomalyAuc(trainer.model(), test);
  QVERIFY2(auc >= MinimumAuc, qPrintable(QString("AUC %1").arg(auc)));
}

QTEST_APPLESS_MAIN(tst_LstmAnomaly)
#include "tst_lstmanomaly.moc"
