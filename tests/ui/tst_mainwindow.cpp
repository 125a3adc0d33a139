// Tests for MainWindow: a training run end to end through the GUI (progress on the GUI thread,
// chart points, status bar), pause/resume/stop, and dataset drops (corrupt and valid IDX files).
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <QtTest>
#include <fstream>

#include "data/shapes.h"
#include "datasetpanel.h"
#include "io/idx.h"
#include "losschartview.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "trainingsession.h"

using Series = LossChartView::Series;

namespace {

constexpr int TrainTimeoutMs = 120000;

latent::ModelSpec smallSpec(int epochs, int batchSize) {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {64};
  spec.latent = 4;
  spec.training.epochs = epochs;
  spec.training.batchSize = batchSize;
  return spec;
}

std::shared_ptr<const latent::Dataset> shapes(int count) {
  return std::make_shared<const latent::Dataset>(latent::makeShapesDataset(count, 1));
}

/// Records every progress event's step and whether it arrived on the GUI thread.
struct ProgressRecorder {
  long long lastStep = -1;
  int events = 0;
  bool allOnGuiThread = true;
  void connectTo(TrainingSession* session) {
    QObject::connect(
        session, &TrainingSession::progress, session, [this](const latent::TrainingProgress& p) {
          allOnGuiThread = allOnGuiThread && QThread::currentThread() == qApp->thread();
          lastStep = p.step;
          ++events;
        });
  }
};

/// The state of the first `finished` signal a spy caught, in words.
QString endState(const QSignalSpy& finished) {
  return QString::fromStdString(toString(finished.at(0).at(0).value<latent::Trainer::State>()));
}

bool sendDrop(MainWindow& window, const QString& path) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPoint centre = window.rect().center();
  QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &drop);
  return true;
}

}  // namespace

class tst_MainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void trainingRunsToTheEndAndValidationLossFalls();
  void pauseHoldsTheBatchCounterAndStopEndsTheRun();
  void invalidSpecDisablesTrain();
  void modelPanelRoundTripsTheSpec();
  void corruptDropShowsErrorAndKeepsDataset();
  void validIdxDropReplacesDataset();
  void unsupportedDropIsRefused();
  void closingWhileTrainingStopsCleanly();
};

void tst_MainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location
  qputenv("LATENTLAB_NO_CONFIRM", "1");
}

void tst_MainWindow::trainingRunsToTheEndAndValidationLossFalls() {
  MainWindow window;
  window.setDataset(shapes(1200));
  window.modelPanel()->setSpec(smallSpec(2, 64));
  window.show();
  ProgressRecorder recorder;
  recorder.connectTo(window.trainingSession());
  QSignalSpy finished(window.trainingSession(), &TrainingSession::finished);
  QVERIFY(window.trainButton()->isEnabled());

  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QVERIFY(window.trainingSession()->isActive());
  QVERIFY(!window.trainButton()->isEnabled());
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  QCOMPARE(endState(finished), QString("finished"));
  QCOMPARE(window.statusProgress()->value(), window.statusProgress()->maximum());
  QVERIFY2(window.statusMessage().contains("finished"), qPrintable(window.statusMessage()));
  QCOMPARE(window.statusEpochText(), QString("epoch 2/2"));
  QVERIFY(recorder.events > 0);
  QVERIFY(recorder.allOnGuiThread);

  LossChartView* chart = window.lossChart();
  QTRY_COMPARE(chart->pointCount(Series::TrainEpoch), 2);
  QTRY_COMPARE(chart->pointCount(Series::ValidationEpoch), 2);
  const QList<QPointF> validation = chart->points(Series::ValidationEpoch);
  QVERIFY2(validation[1].y() < validation[0].y(),
           qPrintable(QString("%1 then %2").arg(validation[0].y()).arg(validation[1].y())));
  QCOMPARE(*chart->lastValidationLoss(), validation[1].y());
  QVERIFY(chart->yAxisTitle().contains("mean per value"));
  QVERIFY(window.trainingSession()->latestSnapshot());
  QCOMPARE(window.trainingSession()->latestSnapshot()->epoch, 2);
  QVERIFY(window.trainButton()->isEnabled());
}

void tst_MainWindow::pauseHoldsTheBatchCounterAndStopEndsTheRun() {
  MainWindow window;
  window.setDataset(shapes(1200));
  window.modelPanel()->setSpec(smallSpec(500, 8));  // long enough never to finish here
  window.show();
  ProgressRecorder recorder;
  recorder.connectTo(window.trainingSession());
  QSignalSpy finished(window.trainingSession(), &TrainingSession::finished);

  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(recorder.lastStep > 0, TrainTimeoutMs);

  QTest::mouseClick(window.pauseButton(), Qt::LeftButton);
  QCOMPARE(window.pauseButton()->text(), QString("Resume"));
  QTest::qWait(150);  // events already posted before the pause arrive
  const long long paused = recorder.lastStep;
  QTest::qWait(300);
  QVERIFY2(recorder.lastStep - paused <= 1,
           qPrintable(QString("step %1 → %2 while paused").arg(paused).arg(recorder.lastStep)));

  QTest::mouseClick(window.pauseButton(), Qt::LeftButton);
  QCOMPARE(window.pauseButton()->text(), QString("Pause"));
  QTRY_VERIFY_WITH_TIMEOUT(recorder.lastStep > paused + 1, TrainTimeoutMs);

  QTest::mouseClick(window.stopButton(), Qt::LeftButton);
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, TrainTimeoutMs);
  QCOMPARE(endState(finished), QString("stopped"));
  QVERIFY2(window.statusMessage().startsWith("stopped"), qPrintable(window.statusMessage()));
  QVERIFY(!window.trainingSession()->isActive());
  QVERIFY(window.trainButton()->isEnabled());
  QVERIFY(!window.stopButton()->isEnabled());
  QVERIFY(recorder.allOnGuiThread);
}

void tst_MainWindow::invalidSpecDisablesTrain() {
  MainWindow window;
  window.setDataset(shapes(100));
  latent::ModelSpec spec = smallSpec(1, 16);
  spec.kind = latent::ModelKind::Sparse;  // without a sparsity penalty: invalid
  window.modelPanel()->setSpec(spec);
  QVERIFY(!window.modelPanel()->isValid());
  QVERIFY(window.modelPanel()->errorText().contains("sparsity"));
  QVERIFY(!window.trainButton()->isEnabled());
  window.modelPanel()->setSpec(smallSpec(1, 16));
  QVERIFY(window.trainButton()->isEnabled());
  QVERIFY(window.modelPanel()->buildText().contains("784→64→4→64→784"));
}

void tst_MainWindow::modelPanelRoundTripsTheSpec() {
  latent::ModelSpec spec;
  spec.kind = latent::ModelKind::Vae;
  spec.hidden = {128, 32};
  spec.latent = 2;
  spec.loss = latent::LossKind::Bce;
  spec.beta = 4.0f;
  spec.dropout = 0.1f;  // not in the form: kept from setSpec
  spec.training.optimizer.kind = latent::OptimizerKind::AdamW;
  spec.training.optimizer.learningRate = 3e-4f;
  spec.training.batchSize = 50;
  spec.training.epochs = 7;
  spec.training.threads = 2;
  spec.training.seed = 9;
  spec.training.validationFraction = 0.2f;
  ModelPanel panel;
  panel.setInputSize(784);
  panel.setSpec(spec);
  QVERIFY2(panel.isValid(), qPrintable(panel.errorText()));
  QVERIFY(panel.spec() == spec);
  QVERIFY(panel.buildText().contains("784→128→32→(μ,σ)2→32→128→784"));
}

void tst_MainWindow::corruptDropShowsErrorAndKeepsDataset() {
  QTemporaryDir dir;
  const QString path = dir.filePath("corrupt-images-idx3-ubyte");
  std::ofstream(path.toStdString(), std::ios::binary) << "this is not an IDX file";
  MainWindow window;
  const auto before = shapes(100);
  window.setDataset(before);

  QVERIFY(sendDrop(window, path));
  QVERIFY2(window.datasetPanel()->errorText().contains("corrupt-images-idx3-ubyte"),
           qPrintable(window.datasetPanel()->errorText()));
  QCOMPARE(window.datasetPanel()->dataset(), before);
  QVERIFY(window.datasetPanel()->summaryText().contains("Shapes"));
}

void tst_MainWindow::validIdxDropReplacesDataset() {
  QTemporaryDir dir;
  const QString images = dir.filePath("tiny-images-idx3-ubyte");
  std::vector<uint8_t> pixels(7 * 6 * 6);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = uint8_t(i * 37 % 256);
  latent::writeIdxImages(images.toStdString(), pixels, 7, 6, 6);
  latent::writeIdxLabels(dir.filePath("tiny-labels-idx1-ubyte").toStdString(),
                         {0, 1, 2, 0, 1, 2, 0});
  MainWindow window;
  window.setDataset(shapes(100));
  window.datasetPanel()->showError("an old error");

  QVERIFY(sendDrop(window, images));
  QVERIFY(window.datasetPanel()->errorText().isEmpty());
  QCOMPARE(window.datasetPanel()->dataset()->count(), 7);
  const QString summary = window.datasetPanel()->summaryText();
  QVERIFY2(summary.contains("7 samples"), qPrintable(summary));
  QVERIFY2(summary.contains("1×6×6"), qPrintable(summary));
  QVERIFY2(summary.contains("classes 3"), qPrintable(summary));
  QCOMPARE(window.datasetPanel()->thumbnailCount(), 7);
  QVERIFY(window.modelPanel()->buildText().contains("36→"));
}

void tst_MainWindow::unsupportedDropIsRefused() {
  QTemporaryDir dir;
  const QString path = dir.filePath("notes.txt");
  std::ofstream(path.toStdString()) << "hello";
  MainWindow window;
  QVERIFY(!sendDrop(window, path));
  QVERIFY(MainWindow::isSupportedDatasetPath(dir.path()));
  QVERIFY(MainWindow::isSupportedDatasetPath("/x/train-images-idx3-ubyte.gz"));
  QVERIFY(MainWindow::isSupportedDatasetPath("/x/train-images.idx3-ubyte"));
}

void tst_MainWindow::closingWhileTrainingStopsCleanly() {
  MainWindow window;
  window.setDataset(shapes(1200));
  window.modelPanel()->setSpec(smallSpec(500, 8));
  window.show();
  ProgressRecorder recorder;
  recorder.connectTo(window.trainingSession());
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(recorder.lastStep > 0, TrainTimeoutMs);
  QVERIFY(window.close());  // LATENTLAB_NO_CONFIRM: no dialog; the run is stopped and joined
  QVERIFY(!window.isVisible());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
