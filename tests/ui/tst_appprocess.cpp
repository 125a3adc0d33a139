// The real latentlab process, started as a child: killed with SIGKILL while it trains, its run is
// offered at the next start-up and restored from the last checkpoint with the optimizer state;
// closed while it trains, the whole process (threads, checkpoint writer, Qt) exits within 2 s.
#include <QMessageBox>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <fstream>

#include "datasetpanel.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "runcheckpoint.h"
#include "trainingsession.h"

namespace {

constexpr int TimeoutMs = 120000;

/// A model that trains for ever (each epoch a fraction of a second) unless something stops it.
latent::ModelSpec endlessSpec() {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {16};
  spec.latent = 4;
  spec.outputActivation = latent::Activation::Identity;  // standardised CSV values
  spec.training.epochs = 100000;
  spec.training.batchSize = 32;
  spec.training.threads = 1;
  return spec;
}

QString writeCsv(const QTemporaryDir& dir) {
  const QString path = dir.filePath("signals.csv");
  std::ofstream out(path.toStdString());
  out << "a,b,c,d,e,f\n";
  for (int i = 0; i < 400; ++i) {
    for (int f = 0; f < 6; ++f) out << (f ? "," : "") << std::sin(0.37 * i + 0.9 * f);
    out << "\n";
  }
  return path;
}

long long steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The checkpoint on disk, or nothing while there is none (or it is being replaced).
std::optional<latent::LoadedModel> checkpointOnDisk() {
  const QString path = RunCheckpoint::checkpointPath();
  if (!QFile::exists(path)) return std::nullopt;
  try {
    return latent::loadModelFile(QFile::encodeName(path).toStdString());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

class tst_AppProcess : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void killedProcessRunIsOfferedAndRestored();
  void closingWhileTrainingExitsWithinTwoSeconds();

 private:
  /// latentlab on the CSV, training at once; `extra` adds environment variables.
  void startApp(QProcess& app, const QStringList& extra = {});

  QTemporaryDir m_dir;
  QString m_csv;
};

void tst_AppProcess::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  qputenv("LATENTLAB_NO_CONFIRM", "1");
  qputenv("LATENTLAB_DATA_DIR", m_dir.filePath("appdata").toUtf8());
  m_csv = writeCsv(m_dir);
}

void tst_AppProcess::init() { RunCheckpoint::discardNow(); }

void tst_AppProcess::startApp(QProcess& app, const QStringList& extra) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  // Its settings (last spec, recent files) go to a scratch folder, not the user's.
  env.insert("XDG_CONFIG_HOME", m_dir.filePath("config"));
  env.insert("LATENTLAB_AUTOTRAIN", "1");
  env.insert("LATENTLAB_SPEC", QString::fromStdString(endlessSpec().toJson().dump()));
  for (const QString& kv : extra) env.insert(kv.section('=', 0, 0), kv.section('=', 1));
  app.setProcessEnvironment(env);
  app.setProcessChannelMode(QProcess::MergedChannels);
  app.start(QStringLiteral(LATENT_GUI), {m_csv});
  QVERIFY2(app.waitForStarted(), qPrintable(app.errorString()));
}

void tst_AppProcess::killedProcessRunIsOfferedAndRestored() {
  QProcess app;
  startApp(app);
  // Three epochs checkpointed, then killed: no destructor, no closeEvent, nothing flushed.
  std::optional<latent::LoadedModel> seen;
  QTRY_VERIFY_WITH_TIMEOUT((seen = checkpointOnDisk()) && seen->info.history.size() >= 3,
                           TimeoutMs);
  app.kill();
  QVERIFY(app.waitForFinished(10000));
  QCOMPARE(app.exitStatus(), QProcess::CrashExit);
  const std::optional<latent::LoadedModel> left = checkpointOnDisk();
  QVERIFY2(left, "the killed process left no readable checkpoint");
  QVERIFY(left->info.optimizer.has_value());
  const int epoch = left->info.history.back().epoch;
  QVERIFY(epoch >= 3);

  MainWindow window;  // the next launch
  window.show();
  window.offerRunRestore();
  auto* box = window.findChild<QMessageBox*>(QStringLiteral("restoreRunQuestion"));
  QVERIFY(box);
  QVERIFY2(box->text().contains(QDir::toNativeSeparators(m_csv)), qPrintable(box->text()));
  QAbstractButton* restore = nullptr;
  for (QAbstractButton* b : box->buttons())
    if (b->text() == QStringLiteral("Restore")) restore = b;
  QVERIFY(restore);
  QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
  QTest::mouseClick(restore, Qt::LeftButton);
  QVERIFY(loaded.count() > 0 || loaded.wait(TimeoutMs));
  QVERIFY(loaded.at(0).at(0).toBool());
  QCOMPARE(QString::fromStdString(window.datasetPanel()->dataset()->sourcePath), m_csv);
  const auto snapshot = window.trainingSession()->latestSnapshot();
  QVERIFY(snapshot && snapshot->optimizer);
  QCOMPARE(snapshot->epoch, epoch);
  QCOMPARE(snapshot->optimizer->step, left->info.optimizer->step);
  const auto restored = snapshot->model->parameters();
  const auto saved = left->model->parameters();
  QCOMPARE(restored.size(), saved.size());
  for (size_t i = 0; i < saved.size(); ++i)
    QVERIFY(*restored[i].parameter->value == *saved[i].parameter->value);
  qInfo("killed after a checkpoint of epoch %d was seen; restored epoch %d, optimizer step %lld",
        int(seen->info.history.size()), epoch, left->info.optimizer->step);
  window.setConfirmCloseWhileTraining(false);
}

void tst_AppProcess::closingWhileTrainingExitsWithinTwoSeconds() {
  // The app's screenshot hook closes the main window after the delay, as the user's close does
  // (LATENTLAB_NO_CONFIRM skips the question); training is still running then.
  QProcess app;
  startApp(app, {QStringLiteral("LATENTLAB_SCREENSHOT=%1").arg(m_dir.filePath("closing.png")),
                 QStringLiteral("LATENTLAB_SCREENSHOT_DELAY_MS=4000")});
  // Training: its first epoch-end checkpoint is on disk before the close.
  QTRY_VERIFY_WITH_TIMEOUT(checkpointOnDisk().has_value(), TimeoutMs);
  long long exited = 0;  // steady clock, ms: when the process was seen to end
  QObject::connect(&app, &QProcess::finished, [&exited] { exited = steadyMs(); });
  QByteArray output;
  QTRY_VERIFY_WITH_TIMEOUT((output += app.readAll()).contains("closing at steady clock"),
                           TimeoutMs);
  // The process may already have ended while the line above waited (a quick exit on a quiet
  // machine): waitForFinished() would then return false, so wait on the finished signal instead.
  QTRY_VERIFY2_WITH_TIMEOUT(exited > 0, output.constData(), 10000);
  output += app.readAll();
  const QRegularExpressionMatch closed =
      QRegularExpression(QStringLiteral("closing at steady clock (\\d+) ms"))
          .match(QString::fromUtf8(output));
  QVERIFY2(closed.hasMatch(), output.constData());
  const long long ms = exited - closed.captured(1).toLongLong();
  QCOMPARE(app.exitStatus(), QProcess::NormalExit);
  QVERIFY2(ms < 2000, qPrintable(QStringLiteral("exited %1 ms after the close").arg(ms)));
  QVERIFY2(!QFile::exists(RunCheckpoint::checkpointPath()), "a closed run left a checkpoint");
  qInfo("the process exited %lld ms after its window closed mid-training", ms);
}

QTEST_MAIN(tst_AppProcess)
#include "tst_appprocess.moc"
