// Crash-safe runs: a run checkpointed at epoch ends and interrupted resumes from its checkpoint to
// the same weights as a run that was never interrupted; failed saves are reported, not fatal.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "testutil.h"
#include "train/checkpointer.h"

using namespace latent;

namespace {

std::shared_ptr<const Dataset> smallData() {
  Rng rng(17);
  auto d = std::make_shared<Dataset>();
  d->name = "small";
  d->shape = Shape::tabular(24);
  d->samples = testutil::uniformMatrix(24, 640, rng);
  return d;
}

ModelSpec smallSpec(int epochs) {
  ModelSpec s;
  s.hidden = {16};
  s.latent = 3;
  s.training.epochs = epochs;
  s.training.batchSize = 32;  // 20 batches per epoch
  s.training.threads = 2;
  s.training.seed = 8;
  return s;
}

ModelFileInfo dataInfo(const Dataset& d) {
  ModelFileInfo info;
  info.dataShape = d.shape;
  info.normalisation = d.normalisation;
  info.datasetPath = "/data/small.idx";
  return info;
}

std::vector<Matrix> weightsOf(const Model& m) {
  std::vector<Matrix> out;
  for (const auto& p : m.parameters()) out.push_back(*p.parameter->value);
  return out;
}

}  // namespace

class tst_Checkpointer : public QObject {
  Q_OBJECT

 private slots:
  void interruptedRunResumesToTheSameWeights();
  void everyEpochEndIsSaved();
  void savesAreSpacedAndTheNewestWins();
  void failedSaveIsReportedAndTrainingGoesOn();
  void noCheckpointMeansNothingToRestore();
  void fileWithoutOptimizerStateIsNotACheckpoint();
  void discardRemovesTheCheckpointAndStaleTemporaries();
  void discardLaterComesBeforeTheNextRunsSaves();
  void requestedCheckpointSavesMidEpochState();
};

void tst_Checkpointer::interruptedRunResumesToTheSameWeights() {
  // Three epochs straight, against: three epochs interrupted in epoch 3 (the process "crashes"),
  // then a new trainer restored from the checkpoint alone. Same seed and threads: same weights.
  QTemporaryDir dir;
  const std::string path = dir.filePath("run.checkpoint").toStdString();
  const auto data = smallData();
  Trainer straight(smallSpec(3), data, nullptr);
  QCOMPARE(testutil::stateName(straight.run()), QString("finished"));

  {
    Checkpointer checkpointer(path, dataInfo(*data));
    Trainer interrupted(smallSpec(3), data, nullptr);
    interrupted.setProgressInterval(0);
    interrupted.setObserver([&](const TrainingProgress& p) {
      checkpointer.observe(p);
      if (p.kind == TrainingProgress::Kind::Batch && p.epoch == 3 && p.batch == 5)
        interrupted.requestStop();
    });
    QCOMPARE(testutil::stateName(interrupted.run()), QString("stopped"));
    checkpointer.flush();
    QCOMPARE(checkpointer.savedEpoch(), 2);
    QCOMPARE(QString::fromStdString(checkpointer.lastError()), QString());
  }

  const std::optional<LoadedModel> restored = Checkpointer::find(path);
  QVERIFY(restored);
  QCOMPARE(restored->info.history.size(), size_t(2));
  QCOMPARE(restored->info.datasetPath, std::string("/data/small.idx"));
  QVERIFY(restored->model->spec() == smallSpec(3));
  Trainer resumed(restored->model->spec(), data, nullptr);
  resumed.resumeFrom(*restored->model, *restored->info.optimizer, restored->info.history);
  QCOMPARE(testutil::stateName(resumed.run()), QString("finished"));
  const auto a = weightsOf(straight.model()), b = weightsOf(resumed.model());
  for (size_t i = 0; i < a.size(); ++i) QVERIFY2(a[i] == b[i], "weights differ after the restore");
}

void tst_Checkpointer::everyEpochEndIsSaved() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("run.checkpoint").toStdString();
  const auto data = smallData();
  Checkpointer checkpointer(path, dataInfo(*data));
  Trainer trainer(smallSpec(4), data, nullptr);
  std::vector<int> savedAtEpochEnd;
  trainer.setObserver([&](const TrainingProgress& p) {
    checkpointer.observe(p);
    if (p.kind != TrainingProgress::Kind::EpochEnd) return;
    checkpointer.flush();  // so the file can be checked at each epoch end
    savedAtEpochEnd.push_back(checkpointer.savedEpoch());
  });
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QCOMPARE(savedAtEpochEnd, (std::vector<int>{1, 2, 3, 4}));
  checkpointer.flush();
  const auto restored = Checkpointer::find(path);
  QVERIFY(restored);
  QCOMPARE(restored->info.history.size(), size_t(4));
  QCOMPARE(restored->info.optimizer->step, trainer.latestSnapshot()->step);
}

void tst_Checkpointer::savesAreSpacedAndTheNewestWins() {
  // Epochs ending faster than the spacing: the first is saved at once, the next ones wait, and
  // the newest of them is what is saved when the spacing is up (or at a flush).
  QTemporaryDir dir;
  const std::string path = dir.filePath("run.checkpoint").toStdString();
  const auto data = smallData();
  Trainer trainer(smallSpec(4), data, nullptr);
  std::vector<TrainingProgress> epochEnds;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::EpochEnd) epochEnds.push_back(p);
  });
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QCOMPARE(epochEnds.size(), size_t(4));

  Checkpointer checkpointer(path, dataInfo(*data));
  checkpointer.setMinSecondsBetweenSaves(3600);
  checkpointer.observe(epochEnds[0]);
  QTRY_COMPARE(checkpointer.savedEpoch(), 1);
  checkpointer.observe(epochEnds[1]);
  checkpointer.observe(epochEnds[2]);
  QTest::qWait(300);
  QCOMPARE(checkpointer.savedEpoch(), 1);  // within the spacing: not yet
  checkpointer.flush();
  QCOMPARE(checkpointer.savedEpoch(), 3);  // epoch 2 was never written: 3 replaced it
  QCOMPARE(Checkpointer::find(path)->info.history.size(), size_t(3));

  checkpointer.setMinSecondsBetweenSaves(0.2);
  checkpointer.observe(epochEnds[3]);
  QTRY_COMPARE_WITH_TIMEOUT(checkpointer.savedEpoch(), 4, 5000);  // without a flush
}

void tst_Checkpointer::failedSaveIsReportedAndTrainingGoesOn() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("no/such/folder/run.checkpoint").toStdString();
  const auto data = smallData();
  Checkpointer checkpointer(path, dataInfo(*data));
  Trainer trainer(smallSpec(2), data, nullptr);
  trainer.setObserver([&](const TrainingProgress& p) { checkpointer.observe(p); });
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  checkpointer.flush();
  QCOMPARE(checkpointer.savedEpoch(), -1);
  const QString error = QString::fromStdString(checkpointer.lastError());
  QVERIFY2(error.contains("run.checkpoint"), qPrintable(error));
}

void tst_Checkpointer::noCheckpointMeansNothingToRestore() {
  QTemporaryDir dir;
  QVERIFY(!Checkpointer::find(dir.filePath("run.checkpoint").toStdString()));
}

void tst_Checkpointer::fileWithoutOptimizerStateIsNotACheckpoint() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("model.safetensors").toStdString();
  const auto data = smallData();
  Trainer trainer(smallSpec(1), data, nullptr);
  trainer.run();
  saveModelFile(path, trainer.model(), dataInfo(*data));  // a plain model file: no optimizer
  try {
    Checkpointer::find(path);
    QFAIL("a model file without optimizer state was taken for a checkpoint");
  } catch (const Error& e) {
    QVERIFY2(QString(e.what()).contains("model.safetensors"), e.what());
  }
}

void tst_Checkpointer::discardRemovesTheCheckpointAndStaleTemporaries() {
  QTemporaryDir dir;
  const QString path = dir.filePath("run.checkpoint");
  for (const QString& name : {QString("run.checkpoint"), QString("run.checkpoint.tmp-a1b2c3"),
                              QString("other.safetensors"), QString("run.checkpointer")})
    std::ofstream(dir.filePath(name).toStdString()) << "x";
  Checkpointer::discard(path.toStdString());
  QStringList left = QDir(dir.path()).entryList(QDir::Files);
  left.sort();
  QCOMPARE(left, (QStringList{"other.safetensors", "run.checkpointer"}));
}

void tst_Checkpointer::discardLaterComesBeforeTheNextRunsSaves() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("run.checkpoint").toStdString();
  auto data = smallData();
  Trainer trainer(smallSpec(2), data, nullptr);
  Checkpointer checkpointer(path, dataInfo(*data));
  trainer.setObserver([&](const TrainingProgress& p) { checkpointer.observe(p); });
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  checkpointer.flush();
  QCOMPARE(checkpointer.savedEpoch(), 2);
  QVERIFY(QFile::exists(QString::fromStdString(path)));
  checkpointer.discardLater();  // the run ended
  checkpointer.flush();
  QVERIFY(!QFile::exists(QString::fromStdString(path)));
  QCOMPARE(checkpointer.savedEpoch(), -1);
  // The next run (described differently) is checkpointed again, after the removal.
  ModelFileInfo other = dataInfo(*data);
  other.datasetPath = "/data/other.csv";
  checkpointer.setData(other);
  trainer.setEpochs(3);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  checkpointer.discardLater();  // requested before this observe: the save below must survive it
  trainer.setEpochs(4);
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  checkpointer.flush();
  const auto found = Checkpointer::find(path);
  QVERIFY(found.has_value());
  QCOMPARE(found->info.datasetPath, std::string("/data/other.csv"));
  QCOMPARE(found->info.history.back().epoch, 4);
}

void tst_Checkpointer::requestedCheckpointSavesMidEpochState() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("run.checkpoint").toStdString();
  auto data = smallData();
  Trainer trainer(smallSpec(2), data, nullptr);
  trainer.setProgressInterval(3600);  // no batch events unless a checkpoint asks for one
  Checkpointer checkpointer(path, dataInfo(*data));
  std::vector<TrainingProgress> timed;
  trainer.setObserver([&](const TrainingProgress& p) {
    if (p.kind == TrainingProgress::Kind::Batch) {
      timed.push_back(p);
      checkpointer.observe(p);  // only the timed one: the epoch ends would overwrite it
    }
    if (p.kind == TrainingProgress::Kind::EpochEnd && p.epoch == 1) trainer.requestCheckpoint();
  });
  trainer.requestCheckpoint();  // taken by epoch 1's first batch
  QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
  QCOMPARE(timed.size(), size_t(2));  // one in each epoch, each at its first batch
  for (const auto& p : timed) {
    QVERIFY(p.snapshot && p.snapshot->optimizer);
    QCOMPARE(p.batch, 1);
  }
  QCOMPARE(timed[1].step, 21LL);  // 20 batches per epoch, then one
  checkpointer.flush();
  const auto found = Checkpointer::find(path);
  QVERIFY(found.has_value());
  QCOMPARE(found->info.optimizer->step, 21LL);
  QCOMPARE(found->info.history.size(), size_t(1));  // the completed epoch, not the one in progress
  const auto saved = weightsOf(*found->model), live = weightsOf(*timed[1].snapshot->model);
  for (size_t i = 0; i < saved.size(); ++i) QVERIFY(saved[i] == live[i]);
}

QTEST_APPLESS_MAIN(tst_Checkpointer)
#include "tst_checkpointer.moc"
