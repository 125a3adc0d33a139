// Trainer control: stop within one batch, pause/resume, determinism, divergence rollback, lr
// changes.
#include <QtTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "nn/gemm.h"
#include "testutil.h"
#include "train/trainer.h"

using namespace latent;

namespace {

std::shared_ptr<const Dataset> syntheticData(int n, int features, unsigned seed) {
  // Points near a 3-D subspace squashed into (0,1): learnable, quick.
  Rng rng(seed);
  Matrix basis(features, 3), codes(3, n);
  for (Eigen::Index i = 0; i < basis.size(); ++i) basis.data()[i] = rng.normal();
  for (Eigen::Index i = 0; i < codes.size(); ++i) codes.data()[i] = rng.normal();
  auto d = std::make_shared<Dataset>();
  d->name = "synthetic";
  d->shape = Shape::tabular(features);
  d->samples =
      (Scalar(0.5) * (basis * codes).array() * Scalar(0.5)).tanh() * Scalar(0.5) + Scalar(0.5);
  return d;
}

ModelSpec smallSpec(int epochs, int threads) {
  ModelSpec s;
  s.hidden = {32};
  s.latent = 4;
  s.training.epochs = epochs;
  s.training.batchSize = 32;
  s.training.threads = threads;
  s.training.seed = 5;
  return s;
}

/// The same samples declared as C×H×W images.
std::shared_ptr<const Dataset> asImages(const std::shared_ptr<const Dataset>& flat, int c, int h,
                                        int w) {
  auto d = std::make_shared<Dataset>(*flat);
  d->shape = Shape::image(c, h, w);
  return d;
}

/// Parameters and buffers (BatchNorm running statistics), in order.
std::vector<Matrix> weightsOf(const Model& m) {
  std::vector<Matrix> out;
  for (const auto& p : m.parameters()) out.push_back(*p.parameter->value);
  for (const auto& b : m.buffers()) out.push_back(*b.parameter->value);
  return out;
}

/// Resumes `spec` on `data` from `snapshot` (model, optimizer state, history), trains it to its
/// end, and checks the weights equal `straight`'s, a run of the same spec never interrupted.
void checkResumedRunMatches(const ModelSpec& spec, std::shared_ptr<const Dataset> data,
                            const ModelSnapshot& snapshot, const Model& straight) {
  Trainer resumed(spec, std::move(data), nullptr);
  resumed.resumeFrom(*snapshot.model, *snapshot.optimizer, snapshot.history);
  QCOMPARE(testutil::stateName(resumed.run()), QString("finished"));
  const auto a = weightsOf(straight), b = weightsOf(resumed.model());
  QCOMPARE(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) QVERIFY(a[i] == b[i]);
}

/// Fails the test instead of hanging when a background run does not end.
bool waitUntilInactive(const Trainer& t, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (t.isActive()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace

class tst_Trainer : public QObject {
  Q_OBJECT

 private slots:
  void trainingLowersTheLoss();
  void stopTakesEffectWithinOneBatch();
  void pauseResumeHundredTimesWithoutDeadlock();
  void pauseHoldsTheStepCount();
  void sameSeedAndThreadsGiveIdenticalWeights_data();
  void sameSeedAndThreadsGiveIdenticalWeights();
  void divergenceIsDetectedAndWeightsRestored();
  void learningRate100DivergesAndIsCaughtInItsBatch();
  void epochEndsWithNonFiniteValidationLossAreNotKept();
  void learningRateChangeTakesEffectAtTheNextBatch();
  void snapshotsAreIndependentCopies();
  void resumeContinuesFromSavedState();
  void bf16IsRefusedClearlyOrDeterministic();
  void klWarmUpRampsBetaAndResumesTheRamp();
  void learningRateFactorWarmsUpThenDecays();
  void cosineScheduleSetsEveryStepAndResumesFromTheStep();
  void gradientClippingTrainsDeterministically();
};

void tst_Trainer::trainingLowersTheLoss() {
  auto data = syntheticData(2000, 48, 1);
  Trainer t(smallSpec(4, 2), data, syntheticData(300, 48, 1));
  std::vector<double> val;
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd) val.push_back(p.validationLoss->total);
  });
  QCOMPARE(testutil::stateName(t.run()), QString("finished"));
  QCOMPARE(int(val.size()), 4);
  QVERIFY2(val.back() < 0.7 * val.front(),
           qPrintable(QString("%1 → %2").arg(val.front()).arg(val.back())));
  QCOMPARE(t.latestSnapshot()->history.size(), size_t(4));
}

void tst_Trainer::stopTakesEffectWithinOneBatch() {
  auto data = syntheticData(4000, 48, 2);
  Trainer t(smallSpec(50, 2), data, nullptr);
  t.setProgressInterval(0);
  std::atomic<long long> stepAtRequest{-1};
  std::atomic<long long> stepAtStop{-1};
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::Batch && p.step == 20) {
      stepAtRequest = p.step;
      t.requestStop();
    }
    if (p.kind == TrainingProgress::Kind::Stopped) stepAtStop = p.step;
  });
  t.start();
  QVERIFY(waitUntilInactive(t, 60));
  QCOMPARE(testutil::stateName(t.state()), QString("stopped"));
  QCOMPARE(stepAtRequest.load(), 20LL);
  QVERIFY2(stepAtStop.load() <= stepAtRequest.load() + 1,
           qPrintable(QString::number(stepAtStop.load())));
}

void tst_Trainer::pauseResumeHundredTimesWithoutDeadlock() {
  auto data = syntheticData(4000, 48, 3);
  Trainer t(smallSpec(1000, 2), data, nullptr);
  t.start();
  for (int i = 0; i < 100; ++i) {
    t.pause();
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    t.resume();
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  QVERIFY(t.isActive());
  t.requestStop();
  QVERIFY(waitUntilInactive(t, 30));
  QCOMPARE(testutil::stateName(t.state()), QString("stopped"));
}

void tst_Trainer::pauseHoldsTheStepCount() {
  auto data = syntheticData(4000, 48, 4);
  Trainer t(smallSpec(1000, 2), data, nullptr);
  t.setProgressInterval(0);
  std::atomic<long long> lastStep{0};
  t.setObserver([&](const TrainingProgress& p) { lastStep = p.step; });
  t.start();
  while (lastStep.load() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  t.pause();
  QTRY_COMPARE_WITH_TIMEOUT(testutil::stateName(t.state()), QString("paused"), 5000);
  const long long held = lastStep.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  QCOMPARE(lastStep.load(), held);
  t.resume();
  QTRY_VERIFY_WITH_TIMEOUT(lastStep.load() > held, 5000);
  t.requestStop();
  QVERIFY(waitUntilInactive(t, 30));
}

void tst_Trainer::sameSeedAndThreadsGiveIdenticalWeights_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<int>("threads");
  for (int threads : {1, 2}) {
    QTest::newRow(qPrintable(QString("dense/%1").arg(threads))) << "dense" << threads;
    QTest::newRow(qPrintable(QString("vae/%1").arg(threads))) << "vae" << threads;
    QTest::newRow(qPrintable(QString("denoising/%1").arg(threads))) << "denoising" << threads;
    QTest::newRow(qPrintable(QString("sparse-kl/%1").arg(threads))) << "sparse" << threads;
    QTest::newRow(qPrintable(QString("conv/%1").arg(threads))) << "conv" << threads;
    QTest::newRow(qPrintable(QString("conv-batchnorm-vae/%1").arg(threads)))
        << "conv-batchnorm-vae" << threads;
    QTest::newRow(qPrintable(QString("lstm/%1").arg(threads))) << "lstm" << threads;
  }
}

void tst_Trainer::sameSeedAndThreadsGiveIdenticalWeights() {
  QFETCH(QString, kind);
  QFETCH(int, threads);
  ModelSpec spec = smallSpec(2, threads);
  const bool conv = kind.startsWith("conv");
  spec.kind = conv ? ModelKind::Conv : modelKindFromString(kind.toStdString());
  if (spec.kind == ModelKind::Denoising) spec.noise = NoiseSpec::parse("gaussian:0.2");
  if (spec.kind == ModelKind::Sparse) {
    spec.sparsity = SparsitySpec::parse("kl:0.1:0.5");
    spec.latentActivation = Activation::Sigmoid;
  }
  if (conv) {  // 2×4×4 images; batch norm: replicas share running statistics, one writer
    spec.conv.channels = {3, 4};
    spec.hidden = {};
    spec.conv.batchNorm = spec.variational = kind == "conv-batchnorm-vae";
  }
  if (kind == "lstm") {  // 8 steps × 4 features
    spec.kind = ModelKind::Lstm;
    spec.hidden = {6};
  }
  auto data = syntheticData(1000, 32, 6);
  if (conv) data = asImages(data, 2, 4, 4);
  if (kind == "lstm") {
    auto sequences = std::make_shared<Dataset>(*data);
    sequences->shape = Shape::sequence(8, 4);
    data = sequences;
  }
  std::vector<std::vector<Matrix>> runs;
  for (int run = 0; run < 2; ++run) {
    Trainer t(spec, data, nullptr);
    QCOMPARE(testutil::stateName(t.run()), QString("finished"));
    runs.push_back(weightsOf(t.model()));
    if (spec.conv.batchNorm)  // the running statistics were updated (they start at 0 and 1)
      QVERIFY(!t.model().buffers().empty() && !t.model().buffers()[0].parameter->value->isZero());
  }
  for (size_t i = 0; i < runs[0].size(); ++i) QVERIFY(runs[0][i] == runs[1][i]);  // bit for bit
  spec.training.seed += 1;
  Trainer other(spec, data, nullptr);
  other.run();
  QVERIFY(weightsOf(other.model())[0] != runs[0][0]);
}

void tst_Trainer::divergenceIsDetectedAndWeightsRestored() {
  auto data = syntheticData(1000, 32, 7);
  ModelSpec spec = smallSpec(1, 2);
  spec.training.optimizer.kind = OptimizerKind::Sgd;
  spec.outputActivation = Activation::Identity;  // a sigmoid output would saturate, not overflow
  Trainer t(spec, data, nullptr);
  QCOMPARE(testutil::stateName(t.run()), QString("finished"));
  const auto afterEpoch1 = weightsOf(t.model());
  std::string message;
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::Diverged) message = p.message;
  });
  t.setLearningRate(1e12f);
  t.setEpochs(3);
  QCOMPARE(testutil::stateName(t.run()), QString("diverged"));
  QVERIFY2(message.find("epoch 2 batch") != std::string::npos, message.c_str());
  QVERIFY2(message.find("restored to epoch 1") != std::string::npos, message.c_str());
  const auto restored = weightsOf(t.model());
  for (size_t i = 0; i < restored.size(); ++i) QVERIFY(restored[i] == afterEpoch1[i]);
  QVERIFY(t.model().allWeightsFinite());
  // Training can continue with a sane rate.
  t.setLearningRate(1e-3f);
  QCOMPARE(testutil::stateName(t.run()), QString("finished"));
  QCOMPARE(t.completedEpochs(), 3);
}

void tst_Trainer::learningRate100DivergesAndIsCaughtInItsBatch() {
  // What a user does by mistake: Adam (the default) at learning rate 100 after a good epoch. The
  // first batch whose loss is not finite stops the run: no optimizer step is taken with it, every
  // batch reported before it was finite, the weights are the last epoch's, and training goes on.
  auto data = syntheticData(1000, 32, 13);
  ModelSpec spec = smallSpec(1, 2);
  spec.outputActivation = Activation::Identity;  // a sigmoid output would saturate, not overflow
  Trainer t(spec, data, nullptr);
  QCOMPARE(testutil::stateName(t.run()), QString("finished"));
  const auto afterEpoch1 = weightsOf(t.model());
  const long long stepsAfterEpoch1 = t.latestSnapshot()->step;
  t.setProgressInterval(0);  // every batch reports
  std::vector<TrainingProgress> events;
  t.setObserver([&](const TrainingProgress& p) { events.push_back(p); });
  t.setLearningRate(100.0f);
  t.setEpochs(200);
  QCOMPARE(testutil::stateName(t.run()), QString("diverged"));
  QVERIFY(events.size() >= 2);
  const TrainingProgress& diverged = events.back();
  QCOMPARE(diverged.kind, TrainingProgress::Kind::Diverged);
  const TrainingProgress& lastBatch = events[events.size() - 2];
  QVERIFY2(lastBatch.kind == TrainingProgress::Kind::Batch ||
               lastBatch.kind == TrainingProgress::Kind::EpochEnd ||
               lastBatch.kind == TrainingProgress::Kind::Started,
           "the event before the divergence is the previous batch");
  for (const auto& e : events)
    if (e.kind == TrainingProgress::Kind::Batch)
      QVERIFY2(std::isfinite(e.batchLoss.total), "a non-finite batch was reported as progress");
  qInfo("diverged in batch %d of epoch %d at lr 100: %s", diverged.batch, diverged.epoch,
        diverged.message.c_str());
  QCOMPARE(diverged.snapshot->step, stepsAfterEpoch1);  // rolled back to the epoch end's state
  // Caught in the batch it happened: the rollback's step count is the epoch end's, and the
  // reported batch is the one after the last finite one.
  if (lastBatch.kind == TrainingProgress::Kind::Batch)
    QCOMPARE(diverged.batch, lastBatch.batch + 1);
  else
    QCOMPARE(diverged.batch, 1);
  QVERIFY2(diverged.message.find("restored to epoch") != std::string::npos,
           diverged.message.c_str());
  QCOMPARE(diverged.epoch, t.completedEpochs() + 1);
  QVERIFY(t.model().allWeightsFinite());
  QVERIFY(diverged.snapshot && diverged.snapshot->model->allWeightsFinite());
  if (t.completedEpochs() == 1) {  // diverged in the first epoch at lr 100: epoch 1's weights
    const auto restored = weightsOf(t.model());
    for (size_t i = 0; i < restored.size(); ++i) QVERIFY(restored[i] == afterEpoch1[i]);
  }
  // A new rate, and training goes on from the restored weights.
  t.setLearningRate(1e-3f);
  t.setEpochs(t.completedEpochs() + 1);
  QCOMPARE(testutil::stateName(t.run()), QString("finished"));
  QVERIFY(t.model().allWeightsFinite());
}

void tst_Trainer::epochEndsWithNonFiniteValidationLossAreNotKept() {
  // An epoch whose batches were all finite but whose end gives a non-finite validation loss used
  // to be kept as the rollback point and in the history, whose NaN made the saved model file
  // unreadable. Now the run diverges there and keeps only finite states. (This was triggered by a
  // VAE with SGD at learning rate 100; the per-step weight-norm check now catches that in its
  // first batch, so here the validation set itself makes the loss non-finite: one sample holds
  // +inf, which the loaders refuse but the trainer must not trust.)
  auto train = syntheticData(300, 16, 2);
  auto validation = std::make_shared<Dataset>(*syntheticData(30, 16, 3));
  validation->samples(5, 7) = std::numeric_limits<Scalar>::infinity();
  Trainer t(smallSpec(5, 2), train, validation);
  std::string message;
  int epochEnds = 0;
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::Diverged) message = p.message;
    if (p.kind == TrainingProgress::Kind::EpochEnd) ++epochEnds;
  });
  QCOMPARE(testutil::stateName(t.run()), QString("diverged"));
  QVERIFY2(message.find("validation loss became") != std::string::npos, message.c_str());
  QVERIFY2(message.find("after epoch 1") != std::string::npos, message.c_str());
  QVERIFY2(message.find("restored to their initial values") != std::string::npos, message.c_str());
  QCOMPARE(epochEnds, 0);
  QCOMPARE(t.completedEpochs(), 0);
  QVERIFY(t.latestSnapshot()->history.empty());
  QVERIFY(t.model().allWeightsFinite());
}

void tst_Trainer::learningRateChangeTakesEffectAtTheNextBatch() {
  auto data = syntheticData(4000, 48, 8);
  Trainer t(smallSpec(1000, 2), data, nullptr);
  t.setProgressInterval(0);
  std::mutex m;
  std::vector<std::pair<long long, float>> seen;
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind != TrainingProgress::Kind::Batch) return;
    std::lock_guard lock(m);
    seen.emplace_back(p.step, p.learningRate);
    if (p.step == 10) t.setLearningRate(5e-4f);
    if (p.step == 20) t.requestStop();
  });
  t.start();
  QVERIFY(waitUntilInactive(t, 60));
  std::lock_guard lock(m);
  for (const auto& [step, lr] : seen) {
    if (step < 10) QCOMPARE(lr, 1e-3f);
    if (step > 10) QCOMPARE(lr, 5e-4f);
  }
}

void tst_Trainer::snapshotsAreIndependentCopies() {
  auto data = syntheticData(1000, 32, 9);
  Trainer t(smallSpec(2, 2), data, nullptr);
  std::shared_ptr<const ModelSnapshot> first;
  t.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd && p.epoch == 1) first = p.snapshot;
  });
  t.run();
  QVERIFY(first);
  QCOMPARE(first->epoch, 1);
  QVERIFY(weightsOf(*first->model)[0] !=
          weightsOf(t.model())[0]);  // later training did not touch it
  QVERIFY(first->optimizer);
}

void tst_Trainer::resumeContinuesFromSavedState() {
  // Training 2 epochs, then resuming a new trainer from the snapshot for epoch 3, gives the same
  // weights as training 3 epochs straight (same seed, same threads).
  auto data = syntheticData(1000, 32, 10);
  Trainer straight(smallSpec(3, 2), data, nullptr);
  straight.run();
  Trainer firstPart(smallSpec(2, 2), data, nullptr);
  firstPart.run();
  checkResumedRunMatches(smallSpec(3, 2), data, *firstPart.latestSnapshot(), straight.model());
}

void tst_Trainer::bf16IsRefusedClearlyOrDeterministic() {
  ModelSpec spec = smallSpec(2, 2);
  spec.training.precision = Precision::BFloat16;
  auto data = syntheticData(1000, 32, 11);
  if (!bf16GemmAvailable()) {
    try {
      Trainer t(spec, data, nullptr);
      QFAIL("bf16 accepted without support");
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("bf16"));
    }
    return;
  }
  std::vector<Matrix> first;
  for (int run = 0; run < 2; ++run) {
    Trainer t(spec, data, nullptr);
    QCOMPARE(testutil::stateName(t.run()), QString("finished"));
    const auto w = weightsOf(t.model());
    if (run == 0)
      first = w;
    else
      for (size_t i = 0; i < w.size(); ++i) QVERIFY(w[i] == first[i]);
  }
}

void tst_Trainer::klWarmUpRampsBetaAndResumesTheRamp() {
  ModelSpec spec = smallSpec(1, 2);
  spec.kind = ModelKind::Vae;
  spec.beta = 2.0f;
  spec.klWarmupEpochs = 2;
  auto data = syntheticData(640, 32, 12);  // 20 batches of 32 per epoch
  Trainer first(spec, data, nullptr);
  first.run();
  const auto snap = first.latestSnapshot();
  QVERIFY(snap->history[0].beta > 0.9f && snap->history[0].beta <= 1.0f);  // half-way: ~β/2
  spec.training.epochs = 3;
  Trainer resumed(spec, data, nullptr);
  resumed.resumeFrom(*snap->model, *snap->optimizer, snap->history);
  resumed.run();
  const auto& history = resumed.latestSnapshot()->history;
  QCOMPARE(int(history.size()), 3);
  QVERIFY(history[1].beta > 1.9f && history[1].beta <= 2.0f);  // the ramp continued, not restarted
  QCOMPARE(history[2].beta, 2.0f);
}

void tst_Trainer::learningRateFactorWarmsUpThenDecays() {
  // 5 epochs of 10 steps, the first epoch a warm-up: W = 10, T = 50.
  TrainingSpec t;
  t.lrSchedule = LrSchedule::Cosine;
  t.lrWarmupEpochs = 1;
  const auto factor = [&](long long step) { return learningRateFactor(t, step, 10, 5); };
  QCOMPARE(factor(1), 0.1);
  QCOMPARE(factor(5), 0.5);
  QCOMPARE(factor(10), 1.0);
  QCOMPARE(factor(11), 1.0);                      // the decay starts at the peak
  QVERIFY(std::abs(factor(31) - 0.5) < 1e-12);    // half-way through the decay
  QVERIFY(factor(50) > 0 && factor(50) < 0.002);  // the last step still moves
  QCOMPARE(factor(60), 0.0);                      // beyond the target epochs
  for (long long s = 11; s < 50; ++s) QVERIFY(factor(s + 1) < factor(s));
  t.lrSchedule = LrSchedule::Constant;
  QCOMPARE(factor(5), 0.5);
  QCOMPARE(factor(11), 1.0);
  QCOMPARE(factor(50), 1.0);
  t.lrWarmupEpochs = 0;
  QCOMPARE(factor(1), 1.0);
}

void tst_Trainer::cosineScheduleSetsEveryStepAndResumesFromTheStep() {
  // Every step runs at the set rate times the schedule's factor (the progress reports it), and a
  // run stopped after epoch 1 and resumed from its snapshot continues the decay: the same weights
  // as 3 epochs straight.
  ModelSpec spec = smallSpec(3, 2);
  spec.training.optimizer.learningRate = 4e-3f;
  spec.training.optimizer.maxGradNorm = 0.5f;
  spec.training.lrSchedule = LrSchedule::Cosine;
  spec.training.lrWarmupEpochs = 1;
  auto data = syntheticData(640, 32, 13);  // 20 batches of 32 per epoch
  Trainer straight(spec, data, nullptr);
  straight.setProgressInterval(0);
  std::vector<std::pair<long long, float>> seen;
  straight.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::Batch || p.kind == TrainingProgress::Kind::EpochEnd)
      seen.emplace_back(p.step, p.learningRate);
  });
  QCOMPARE(testutil::stateName(straight.run()), QString("finished"));
  QCOMPARE(int(seen.size()), 60);
  for (const auto& [step, lr] : seen)
    QCOMPARE(lr, float(4e-3f * learningRateFactor(spec.training, step, 20, 3)));

  Trainer firstPart(spec, data, nullptr);
  firstPart.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd && p.epoch == 1) firstPart.requestStop();
  });
  QCOMPARE(testutil::stateName(firstPart.run()), QString("stopped"));
  const auto snap = firstPart.latestSnapshot();
  QCOMPARE(snap->step, 20LL);
  checkResumedRunMatches(spec, data, *snap, straight.model());
}

void tst_Trainer::gradientClippingTrainsDeterministically() {
  // Clipping reduces all workers' gradients before the norm: the same seed and threads give the
  // same weights, and a tight clip changes them (it was applied).
  ModelSpec spec = smallSpec(2, 2);
  spec.training.optimizer.maxGradNorm = 1e-3f;
  auto data = syntheticData(640, 32, 14);
  std::vector<Matrix> first;
  for (int run = 0; run < 2; ++run) {
    Trainer t(spec, data, nullptr);
    QCOMPARE(testutil::stateName(t.run()), QString("finished"));
    const auto w = weightsOf(t.model());
    if (run == 0)
      first = w;
    else
      for (size_t i = 0; i < w.size(); ++i) QVERIFY(w[i] == first[i]);
  }
  spec.training.optimizer.maxGradNorm = 0;
  Trainer unclipped(spec, data, nullptr);
  unclipped.run();
  QVERIFY(weightsOf(unclipped.model())[0] != first[0]);
}

QTEST_APPLESS_MAIN(tst_Trainer)
#include "tst_trainer.moc"
