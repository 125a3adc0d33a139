// Crash-safe runs through the GUI: a run checkpointed while it trains and then "crashed" (its
// window destroyed without closing, as a killed process leaves it) is offered at the next
// start-up; Restore brings back its dataset, weights, history, epoch and optimizer state, and
// Continue resumes from the next epoch. Discard, a finished run and a closed window leave nothing.
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "datasetpanel.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "runcheckpoint.h"
#include "trainingsession.h"

namespace {

constexpr int TimeoutMs = 120000;
constexpr int Samples = 400, Features = 12, BatchSize = 32;
// 10% validation: 360 training samples, 12 batches per epoch.
constexpr int BatchesPerEpoch = (Samples - Samples / 10 + BatchSize - 1) / BatchSize;

latent::ModelSpec smallSpec(int epochs) {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {16};
  spec.latent = 4;
  spec.outputActivation = latent::Activation::Identity;  // standardised CSV values
  spec.training.epochs = epochs;
  spec.training.batchSize = BatchSize;
  spec.training.threads = 1;
  return spec;
}

/// A CSV of smooth numeric rows, so the restore reloads a real file by its path.
QString writeCsv(const QTemporaryDir& dir) {
  const QString path = dir.filePath("signals.csv");
  std::ofstream out(path.toStdString());
  for (int f = 0; f < Features; ++f) out << (f ? "," : "") << "f" << f;
  out << "\n";
  for (int i = 0; i < Samples; ++i) {
    for (int f = 0; f < Features; ++f)
      out << (f ? "," : "") << std::sin(0.37 * i + 0.9 * f) + 0.01 * ((i * 7 + f * 3) % 11);
    out << "\n";
  }
  return path;
}

std::vector<latent::Matrix> weightsOf(const latent::Model& m) {
  std::vector<latent::Matrix> out;
  for (const auto& p : m.parameters()) out.push_back(*p.parameter->value);
  return out;
}

QMessageBox* restoreQuestion(MainWindow& window) {
  return window.findChild<QMessageBox*>(QStringLiteral("restoreRunQuestion"));
}

QAbstractButton* buttonNamed(QMessageBox* box, const QString& text) {
  for (QAbstractButton* b : box->buttons())
    if (b->text() == text) return b;
  return nullptr;
}

}  // namespace

class tst_Restore : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void crashedRunIsRestoredExactlyAndContinues();
  void timedCheckpointKeepsMidEpochState();
  void discardRemovesTheCheckpoint();
  void finishedStoppedAndClosedRunsLeaveNoCheckpoint();

 private:
  /// Trains in a window until a checkpoint of at least `epochs` epochs is on disk, then destroys
  /// the window without closing it: what a killed process leaves behind.
  void trainAndCrash(int epochs);

  QTemporaryDir m_dir;
  QString m_csv;
};

void tst_Restore::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  qputenv("LATENTLAB_NO_CONFIRM", "1");
  qputenv("LATENTLAB_DATA_DIR", m_dir.filePath("appdata").toUtf8());
  m_csv = writeCsv(m_dir);
}

void tst_Restore::init() { RunCheckpoint::discardNow(); }

void tst_Restore::trainAndCrash(int epochs) {
  auto* window = new MainWindow;
  QVERIFY(window->openDatasetAndWait(m_csv));
  window->modelPanel()->setSpec(smallSpec(100000));
  QTest::mouseClick(window->trainButton(), Qt::LeftButton);
  QVERIFY(window->trainingSession()->isActive());
  QTRY_VERIFY_WITH_TIMEOUT(window->runCheckpoint()->savedEpoch() >= epochs, TimeoutMs);
  delete window;  // no closeEvent, no `finished` delivered: the checkpoint stays
  QVERIFY(QFile::exists(RunCheckpoint::checkpointPath()));
}

void tst_Restore::crashedRunIsRestoredExactlyAndContinues() {
  trainAndCrash(3);
  const latent::LoadedModel saved =
      latent::loadModelFile(QFile::encodeName(RunCheckpoint::checkpointPath()).toStdString());
  QVERIFY(saved.info.optimizer.has_value());
  const int epoch = saved.info.history.back().epoch;
  const long long step = saved.info.optimizer->step;
  QVERIFY(epoch >= 3);
  QCOMPARE(step, (long long)epoch * BatchesPerEpoch);  // an epoch end: nothing half-done

  MainWindow window;  // the next launch: no dataset yet
  window.show();
  window.offerRunRestore();
  QMessageBox* box = restoreQuestion(window);
  QVERIFY(box);
  QVERIFY2(box->text().contains(QDir::toNativeSeparators(m_csv)), qPrintable(box->text()));
  QVERIFY2(box->text().contains(QStringLiteral("Progress: %1 of 100000 epochs").arg(epoch)),
           qPrintable(box->text()));
  QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
  QTest::mouseClick(buttonNamed(box, QStringLiteral("Restore")), Qt::LeftButton);
  QVERIFY(loaded.count() > 0 || loaded.wait(TimeoutMs));
  QVERIFY(loaded.at(0).at(0).toBool());
  QCOMPARE(QString::fromStdString(window.datasetPanel()->dataset()->sourcePath), m_csv);

  const auto snapshot = window.trainingSession()->latestSnapshot();
  QVERIFY(snapshot && snapshot->optimizer);
  QCOMPARE(snapshot->epoch, epoch);
  QCOMPARE(snapshot->step, step);
  QCOMPARE(snapshot->optimizer->step, step);
  QCOMPARE(snapshot->history.size(), saved.info.history.size());
  for (size_t i = 0; i < snapshot->history.size(); ++i) {
    QCOMPARE(snapshot->history[i].epoch, saved.info.history[i].epoch);
    QCOMPARE(snapshot->history[i].train.total, saved.info.history[i].train.total);
  }
  const auto restored = weightsOf(*snapshot->model), expected = weightsOf(*saved.model);
  QCOMPARE(restored.size(), expected.size());
  for (size_t i = 0; i < restored.size(); ++i) QVERIFY(restored[i] == expected[i]);
  QCOMPARE(snapshot->optimizer->tensors.size(), saved.info.optimizer->tensors.size());
  for (const auto& [name, m] : saved.info.optimizer->tensors)
    QVERIFY2(snapshot->optimizer->tensors.at(name) == m, name.c_str());
  QVERIFY2(window.statusMessage().contains(QStringLiteral("epoch %1").arg(epoch)),
           qPrintable(window.statusMessage()));
  // The remaining epochs of the run, and Continue resumes it from the next epoch with the same
  // optimizer state: its first epoch end is one epoch of steps further.
  QCOMPARE(window.modelPanel()->spec().training.epochs, 100000 - epoch);
  QCOMPARE(window.trainButton()->text(), QStringLiteral("Continue"));
  latent::TrainingProgress firstEnd;
  connect(window.trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) {
            if (p.kind == latent::TrainingProgress::Kind::EpochEnd && firstEnd.epoch == 0)
              firstEnd = p;
          });
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(firstEnd.epoch != 0, TimeoutMs);
  QCOMPARE(firstEnd.epoch, epoch + 1);
  QCOMPARE(firstEnd.step, step + BatchesPerEpoch);
  QCOMPARE(firstEnd.snapshot->history.size(), size_t(epoch + 1));
  QSignalSpy finished(window.trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(window.stopButton(), Qt::LeftButton);
  QVERIFY(finished.wait(TimeoutMs));
  window.runCheckpoint()->flush();
  QVERIFY(!QFile::exists(RunCheckpoint::checkpointPath()));  // a stopped run is a finished one
}

void tst_Restore::timedCheckpointKeepsMidEpochState() {
  MainWindow window;
  QVERIFY(window.openDatasetAndWait(m_csv));
  latent::ModelSpec spec = smallSpec(100000);
  spec.training.batchSize = 1;  // 360 batches per epoch: the timer fires well inside the first
  window.modelPanel()->setSpec(spec);
  window.runCheckpoint()->setInterval(std::chrono::milliseconds(20));
  latent::TrainingProgress timed;
  long long savedStep = -1;
  size_t savedHistory = 99;
  connect(window.trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) {
            using Kind = latent::TrainingProgress::Kind;
            if (timed.step != 0 || p.kind != Kind::Batch || !p.snapshot || !p.snapshot->optimizer)
              return;
            // RunCheckpoint saw this event first (connected earlier): its save is the newest.
            timed = p;
            window.runCheckpoint()->flush();
            const auto onDisk = latent::loadModelFile(
                QFile::encodeName(RunCheckpoint::checkpointPath()).toStdString());
            savedStep = onDisk.info.optimizer->step;
            savedHistory = onDisk.info.history.size();
          });
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(timed.step != 0, TimeoutMs);
  QCOMPARE(savedStep, timed.step);
  QVERIFY2(timed.step % 360 != 0, "a timed checkpoint falls inside an epoch");
  QCOMPARE(savedHistory, size_t(timed.epoch - 1));  // the epochs completed before it
  QVERIFY(window.close());
}

void tst_Restore::discardRemovesTheCheckpoint() {
  trainAndCrash(1);
  MainWindow window;
  window.offerRunRestore();
  QMessageBox* box = restoreQuestion(window);
  QVERIFY(box);
  QTest::mouseClick(buttonNamed(box, QStringLiteral("Discard")), Qt::LeftButton);
  QVERIFY(!QFile::exists(RunCheckpoint::checkpointPath()));
  QVERIFY(!window.trainingSession()->latestSnapshot());  // nothing was restored
  QTRY_VERIFY(!restoreQuestion(window));                 // the answered box is gone
  window.offerRunRestore();
  QVERIFY(!restoreQuestion(window));  // nothing left to offer
}

void tst_Restore::finishedStoppedAndClosedRunsLeaveNoCheckpoint() {
  MainWindow window;
  QVERIFY(window.openDatasetAndWait(m_csv));
  window.modelPanel()->setSpec(smallSpec(2));
  QSignalSpy finished(window.trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QVERIFY(finished.wait(TimeoutMs));
  window.runCheckpoint()->flush();
  QCOMPARE(window.runCheckpoint()->savedCount(), 2);         // both epoch ends were checkpointed…
  QVERIFY(!QFile::exists(RunCheckpoint::checkpointPath()));  // …and the finished run removed it

  window.modelPanel()->setSpec(smallSpec(100000));
  QTest::mouseClick(window.resetButton(), Qt::LeftButton);
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(window.runCheckpoint()->savedEpoch() >= 1, TimeoutMs);
  QVERIFY(QFile::exists(RunCheckpoint::checkpointPath()));
  QVERIFY(window.close());  // quitting while training stops the run
  window.runCheckpoint()->flush();
  QVERIFY(!QFile::exists(RunCheckpoint::checkpointPath()));
}

QTEST_MAIN(tst_Restore)
#include "tst_restore.moc"
