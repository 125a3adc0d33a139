// Tests for TrainingSession, the GUI's bridge to the trainer: signals on the GUI thread in order,
// batch progress throttled to ~30 Hz, pause/stop, restarts and a clean destructor mid-run.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <memory>

#include "data/shapes.h"
#include "trainingsession.h"

using Kind = latent::TrainingProgress::Kind;
using State = latent::Trainer::State;

namespace {

constexpr int TrainTimeoutMs = 120000;

latent::ModelSpec tinySpec(int epochs, int batchSize) {
  latent::ModelSpec spec;
  spec.hidden = {32};
  spec.latent = 4;
  spec.training.epochs = epochs;
  spec.training.batchSize = batchSize;
  return spec;
}

std::shared_ptr<const latent::Dataset> shapes(int count, unsigned seed) {
  return std::make_shared<const latent::Dataset>(latent::makeShapesDataset(count, seed));
}

Kind kindAt(const QSignalSpy& spy, qsizetype i) {
  return spy.at(i).at(0).value<latent::TrainingProgress>().kind;
}

/// The end state of the i-th `finished` signal, in words (QCOMPARE prints strings).
QString stateAt(const QSignalSpy& spy, qsizetype i) {
  return QString::fromStdString(toString(spy.at(i).at(0).value<State>()));
}

}  // namespace

class tst_TrainingSession : public QObject {
  Q_OBJECT

 private slots:
  void signalsArriveInOrderOnTheGuiThread();
  void batchProgressIsThrottled();
  void pausedRunStopsWhenAsked();
  void restartDropsTheOldRunsEvents();
  void invalidSpecThrowsAndStaysIdle();
  void destructorStopsARunningTrainer();
};

void tst_TrainingSession::signalsArriveInOrderOnTheGuiThread() {
  TrainingSession session;
  QSignalSpy progress(&session, &TrainingSession::progress);
  QSignalSpy snapshots(&session, &TrainingSession::snapshotReady);
  QSignalSpy finished(&session, &TrainingSession::finished);
  bool onGuiThread = true;
  connect(&session, &TrainingSession::progress, this,
          [&] { onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread(); });
  connect(&session, &TrainingSession::snapshotReady, this,
          [&] { onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread(); });

  session.start(tinySpec(3, 32), shapes(600, 1), shapes(100, 2));
  QVERIFY(session.isActive());
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  QVERIFY(onGuiThread);
  QCOMPARE(stateAt(finished, 0), QString("finished"));
  QCOMPARE(finished.at(0).at(1).toString(), QString("finished 3 epochs"));
  QCOMPARE(kindAt(progress, 0), Kind::Started);
  QCOMPARE(kindAt(progress, progress.count() - 1), Kind::Finished);
  int epochEnds = 0;
  for (qsizetype i = 0; i < progress.count(); ++i)
    epochEnds += kindAt(progress, i) == Kind::EpochEnd;
  QCOMPARE(epochEnds, 3);
  QVERIFY(snapshots.count() >= 3);
  QVERIFY(!session.isActive());
  QCOMPARE(session.latestSnapshot()->epoch, 3);
}

void tst_TrainingSession::batchProgressIsThrottled() {
  TrainingSession session;
  QSignalSpy finished(&session, &TrainingSession::finished);
  int batches = 0;
  connect(&session, &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) { batches += p.kind == Kind::Batch; });
  QElapsedTimer clock;
  clock.start();
  session.start(tinySpec(1000, 1), shapes(400, 1), nullptr);  // thousands of batches per second
  QTest::qWait(1500);
  session.stop();
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  const double seconds = clock.elapsed() / 1000.0;
  // ≤ 30 Hz of plain batch events plus the trainer's snapshot events (≤ 4 Hz), with slack.
  QVERIFY2(batches <= seconds * (TrainingSession::MaxBatchEventsPerSecond + 4) + 5,
           qPrintable(QString("%1 batch events in %2 s").arg(batches).arg(seconds)));
  QVERIFY2(batches >= 10, qPrintable(QString("only %1 batch events").arg(batches)));
}

void tst_TrainingSession::pausedRunStopsWhenAsked() {
  TrainingSession session;
  QSignalSpy progress(&session, &TrainingSession::progress);
  QSignalSpy finished(&session, &TrainingSession::finished);
  QSignalSpy paused(&session, &TrainingSession::pausedChanged);
  session.start(tinySpec(1000, 4), shapes(400, 1), nullptr);
  QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 2, TrainTimeoutMs);
  session.pause();
  QVERIFY(session.isPaused());
  QCOMPARE(paused.count(), 1);
  session.stop();  // must release the paused trainer
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  QCOMPARE(stateAt(finished, 0), QString("stopped"));
  QVERIFY(!session.isPaused());
  QCOMPARE(paused.count(), 2);
}

void tst_TrainingSession::restartDropsTheOldRunsEvents() {
  TrainingSession session;
  QSignalSpy progress(&session, &TrainingSession::progress);
  QSignalSpy finished(&session, &TrainingSession::finished);
  session.start(tinySpec(1000, 4), shapes(400, 1), nullptr);
  QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 2, TrainTimeoutMs);
  session.start(tinySpec(1, 32), shapes(200, 3), nullptr);  // the old run is stopped silently
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  QTest::qWait(100);
  QCOMPARE(finished.count(), 1);
  QCOMPARE(stateAt(finished, 0), QString("finished"));
  QCOMPARE(session.spec().training.epochs, 1);
}

void tst_TrainingSession::invalidSpecThrowsAndStaysIdle() {
  TrainingSession session;
  latent::ModelSpec spec = tinySpec(1, 8);
  spec.latent = 0;
  QVERIFY_THROWS_EXCEPTION(latent::Error, session.start(spec, shapes(50, 1), nullptr));
  QVERIFY(!session.isActive());
  QVERIFY(!session.latestSnapshot());
}

void tst_TrainingSession::destructorStopsARunningTrainer() {
  auto session = std::make_unique<TrainingSession>();
  QSignalSpy progress(session.get(), &TrainingSession::progress);
  session->start(tinySpec(1000, 4), shapes(400, 1), nullptr);
  QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 2, TrainTimeoutMs);
  QElapsedTimer clock;
  clock.start();
  session.reset();  // stops within a batch and joins; posted events die with the object
  QVERIFY2(clock.elapsed() < 2000, qPrintable(QString("took %1 ms").arg(clock.elapsed())));
  QTest::qWait(50);  // no queued lambda may run on the destroyed session
}

QTEST_MAIN(tst_TrainingSession)
#include "tst_trainingsession.moc"
