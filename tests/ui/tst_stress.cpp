// Stress through the real window: 1,000 random operations (start, pause, resume, stop, learning
// rate, dataset switch, model open) issued from the GUI thread while training runs, with the
// buttons and status checked after each; closing during training exits within 2 s; learning rate
// 100 is caught, reported, rolled back, and training goes on with a sane rate. Every test has a
// watchdog thread that fails it instead of hanging.
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "data/rng.h"
#include "data/shapes.h"
#include "datasetpanel.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "persist/modelfile.h"
#include "trainingsession.h"

namespace {

constexpr int Operations = 1000;
constexpr int TimeoutMs = 120000;

/// Aborts the test process (a failure CTest reports) when not disarmed within `seconds`: a
/// deadlocked GUI thread cannot fail a test by itself.
class Watchdog {
 public:
  Watchdog(const char* what, int seconds)
      : m_thread([this, what, seconds] {
          std::unique_lock lock(m_mutex);
          if (!m_done.wait_for(lock, std::chrono::seconds(seconds), [this] { return m_disarmed; }))
            qFatal("watchdog: '%s' did not finish within %d s (deadlock?)", what, seconds);
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(m_mutex);
      m_disarmed = true;
    }
    m_done.notify_all();
    m_thread.join();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_done;
  bool m_disarmed = false;
  std::thread m_thread;  // last: starts after the members above exist
};

latent::ModelSpec smallSpec(int epochs) {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {32};
  spec.latent = 4;
  spec.training.epochs = epochs;
  spec.training.batchSize = 16;
  spec.training.threads = 2;
  return spec;
}

std::shared_ptr<const latent::Dataset> shapes(int count, unsigned seed) {
  return std::make_shared<const latent::Dataset>(latent::makeShapesDataset(count, seed));
}

/// Whether the buttons and the status text say what the session is doing; "" when they do.
QString inconsistency(MainWindow& w) {
  TrainingSession* s = w.trainingSession();
  const bool active = s->isActive();
  if (w.stopButton()->isEnabled() != active) return "Stop enabled ≠ active";
  if (w.pauseButton()->isEnabled() != active) return "Pause enabled ≠ active";
  if (active && w.trainButton()->isEnabled()) return "Train enabled while training";
  if (w.pauseButton()->text() != (s->isPaused() ? "Resume" : "Pause"))
    return "Pause button says " + w.pauseButton()->text();
  if (s->isPaused() && !active) return "paused but not active";
  return {};
}

}  // namespace

class tst_Stress : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void thousandRandomOperationsKeepAConsistentState();
  void closingDuringTrainingExitsWithinTwoSeconds();
  void learningRate100IsCaughtShownAndTrainingGoesOn();

 private:
  QTemporaryDir m_dir;
};

void tst_Stress::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  qputenv("LATENTLAB_NO_CONFIRM", "1");
  qputenv("LATENTLAB_DATA_DIR", m_dir.filePath("appdata").toUtf8());
}

void tst_Stress::thousandRandomOperationsKeepAConsistentState() {
  Watchdog watchdog("1,000 random operations", 300);
  // A model file to open (a tiny model of the same data), and two datasets to switch between.
  const auto dataA = shapes(600, 1), dataB = shapes(500, 2);
  const QString modelPath = m_dir.filePath("other.safetensors");
  {
    latent::Rng rng(3);
    const latent::Model model(smallSpec(1), dataA->shape, rng);
    latent::saveModelFile(modelPath.toStdString(), model, {dataA->shape, {}, {}, "", {}, {}});
  }
  MainWindow w;
  w.setDataset(dataA);
  w.modelPanel()->setSpec(smallSpec(1000));
  w.show();
  auto* rate = w.modelPanel()->findChild<QLineEdit*>(QStringLiteral("learningRate"));
  QVERIFY(rate);

  enum Op { Start, Pause, Resume, Stop, Rate, SwitchData, OpenModel, Count };
  const char* names[] = {"start", "pause", "resume", "stop", "rate", "dataset", "open model"};
  std::map<Op, int> issued;
  latent::Rng rng(20261126);  // fixed: the same sequence every run
  QElapsedTimer clock;
  clock.start();
  for (int i = 0; i < Operations; ++i) {
    const Op op = Op(rng.below(Count));
    ++issued[op];
    switch (op) {
      case Start:  // Train / Continue, when the window allows it
        QTest::mouseClick(w.trainButton(), Qt::LeftButton);
        break;
      case Pause:
        if (!w.trainingSession()->isPaused()) QTest::mouseClick(w.pauseButton(), Qt::LeftButton);
        break;
      case Resume:
        if (w.trainingSession()->isPaused()) QTest::mouseClick(w.pauseButton(), Qt::LeftButton);
        break;
      case Stop:
        QTest::mouseClick(w.stopButton(), Qt::LeftButton);
        break;
      case Rate: {  // typed into the field, as a user does: the session picks it up mid-run
        const double lr = std::pow(10.0, -4.0 + 2.0 * rng.uniform());
        rate->setText(QString::number(lr, 'g', 3));
        break;
      }
      case SwitchData:
        w.setDataset(rng.below(2) ? dataA : dataB);
        break;
      case OpenModel:  // refused while training, with a message; opened otherwise
        w.openModel(modelPath);
        break;
      case Count:
        break;
    }
    QTest::qWait(int(rng.below(4)));  // 0–3 ms: events and progress interleave with the clicks
    const QString problem = inconsistency(w);
    QVERIFY2(
        problem.isEmpty(),
        qPrintable(QStringLiteral("after operation %1 (%2): %3").arg(i).arg(names[op], problem)));
  }
  const qint64 elapsed = clock.elapsed();
  // The end: whatever state the run is in, Stop ends it and the window says so.
  QSignalSpy finished(w.trainingSession(), &TrainingSession::finished);
  const bool wasActive = w.trainingSession()->isActive();
  QTest::mouseClick(w.stopButton(), Qt::LeftButton);
  if (wasActive) QVERIFY(finished.count() > 0 || finished.wait(TimeoutMs));
  QVERIFY(!w.trainingSession()->isActive());
  QVERIFY(inconsistency(w).isEmpty());
  QVERIFY(w.trainButton()->isEnabled());
  if (wasActive)
    QVERIFY2(w.statusMessage().contains(QStringLiteral("stopped")), qPrintable(w.statusMessage()));
  QStringList counts;
  for (int op = 0; op < Count; ++op)
    counts << QStringLiteral("%1 %2").arg(issued[Op(op)]).arg(names[op]);
  qInfo("stress: %d operations issued in %lld ms (%s), 0 crashes, 0 deadlocks", Operations, elapsed,
        qPrintable(counts.join(QStringLiteral(", "))));
}

void tst_Stress::closingDuringTrainingExitsWithinTwoSeconds() {
  Watchdog watchdog("closing during training", 60);
  auto* w = new MainWindow;
  // Large batches of a wider model: a stop waits for the batch in progress, so this is the slow
  // case.
  w->setDataset(shapes(4000, 1));
  latent::ModelSpec spec = smallSpec(1000);
  spec.hidden = {256};
  spec.training.batchSize = 512;
  w->modelPanel()->setSpec(spec);
  w->show();
  long long steps = 0;
  connect(w->trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) { steps = p.step; });
  QTest::mouseClick(w->trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(steps > 0, TimeoutMs);
  QElapsedTimer clock;
  clock.start();
  QVERIFY(w->close());  // stops the run and joins the training thread
  delete w;             // and every worker and writer thread the window owns
  const qint64 ms = clock.elapsed();
  qInfo("closing during training: window closed and destroyed in %lld ms", ms);
  QVERIFY2(ms < 2000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
}

void tst_Stress::learningRate100IsCaughtShownAndTrainingGoesOn() {
  Watchdog watchdog("learning rate 100", 300);
  MainWindow w;
  w.setDataset(shapes(1200, 1));
  // The form's defaults (Adam, sigmoid output, MSE) with enough epochs that the second run is
  // still going when Stop is clicked: with 5, it could finish before the stop spy existed.
  latent::ModelSpec spec = smallSpec(1000);
  spec.training.optimizer.learningRate = 100.0f;
  w.modelPanel()->setSpec(spec);
  w.show();
  latent::TrainingProgress diverged;
  std::vector<latent::TrainingProgress> batches;
  connect(w.trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) {
            if (p.kind == latent::TrainingProgress::Kind::Diverged) diverged = p;
            if (p.kind == latent::TrainingProgress::Kind::Batch) batches.push_back(p);
          });
  QSignalSpy finished(w.trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(w.trainButton(), Qt::LeftButton);
  QVERIFY(finished.wait(TimeoutMs));
  QCOMPARE(QString::fromStdString(
               latent::toString(finished.at(0).at(0).value<latent::Trainer::State>())),
           QStringLiteral("diverged"));
  // Caught in the first batch (before it, nothing was reported), rolled back to the initial
  // weights, and the window says what happened and what to do.
  QCOMPARE(diverged.epoch, 1);
  QCOMPARE(diverged.batch, 1);
  QVERIFY(batches.empty());
  QVERIFY(diverged.snapshot && diverged.snapshot->model->allWeightsFinite());
  QCOMPARE(diverged.snapshot->step, 0LL);
  const QString status = w.statusMessage();
  for (const char* part : {"diverged", "weights exploded", "learning rate 100 is too high",
                           "restored to their initial values"})
    QVERIFY2(status.contains(QLatin1String(part)), qPrintable(status));
  QVERIFY(inconsistency(w).isEmpty());
  // A new rate in the form, and Train goes on from the restored weights.
  auto* rate = w.modelPanel()->findChild<QLineEdit*>(QStringLiteral("learningRate"));
  QTest::keyClick(rate, Qt::Key_A, Qt::ControlModifier);
  QTest::keyClicks(rate, QStringLiteral("0.001"));
  QCOMPARE(w.modelPanel()->spec().training.optimizer.learningRate, 1e-3f);
  latent::TrainingProgress epochEnd;
  connect(w.trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) {
            if (p.kind == latent::TrainingProgress::Kind::EpochEnd) epochEnd = p;
          });
  QVERIFY(w.trainButton()->isEnabled());
  QTest::mouseClick(w.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(epochEnd.epoch >= 1, TimeoutMs);
  QVERIFY(std::isfinite(epochEnd.trainLoss.total));
  QVERIFY(epochEnd.snapshot->model->allWeightsFinite());
  QSignalSpy stopped(w.trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(w.stopButton(), Qt::LeftButton);
  QVERIFY(stopped.count() > 0 || stopped.wait(TimeoutMs));
  QCOMPARE(
      QString::fromStdString(latent::toString(stopped.at(0).at(0).value<latent::Trainer::State>())),
      QStringLiteral("stopped"));
}

QTEST_MAIN(tst_Stress)
#include "tst_stress.moc"
