// Tests for MainWindow: a training run end to end through the GUI (progress on the GUI thread,
// chart points, status bar), pause/resume/stop, and dataset drops (corrupt and valid IDX files).
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QImageReader>
#include <QMessageBox>
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
#include "reconstructiongrid.h"
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

/// Trains `window` on its dataset with the spec it shows and waits for the end of the run.
bool trainToTheEnd(MainWindow& window) {
  QSignalSpy finished(window.trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  return finished.wait(TrainTimeoutMs) &&
         finished.at(0).at(0).value<latent::Trainer::State>() == latent::Trainer::State::Finished;
}

QList<QImage> reconstructionRow(const ReconstructionGrid& grid) {
  QList<QImage> row;
  for (int i = 0; i < grid.sampleCount(); ++i)
    row << grid.cell(ReconstructionGrid::Row::Reconstruction, i);
  return row;
}

/// Sends real drag-enter and drop events for `path` and waits for the load it starts.
bool sendDrop(MainWindow& window, const QString& path) {
  QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPoint centre = window.rect().center();
  QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &drop);
  return loaded.count() > 0 || loaded.wait(30000);
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
  void reconstructionsChangeWhileTraining();
  void trainContinuesTheModelAndResetStartsAfresh();
  void savedModelReopensWithSpecHistoryAndPixels();
  void corruptModelFileKeepsTheCurrentModel();
  void chartExportsPngSvgAndCsv();
  void droppedDatasetsBecomeRecent();
  void csvDropLoadsAndReportsTheFormat();
  void imageFolderDropLoadsClasses();
  void missingValuesAskAndDropRowsReloads();
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

void tst_MainWindow::reconstructionsChangeWhileTraining() {
  MainWindow window;
  window.setDataset(shapes(1200));
  window.modelPanel()->setSpec(smallSpec(3, 32));
  window.show();
  ReconstructionGrid* grid = window.reconstructions();
  QCOMPARE(grid->sampleCount(), ReconstructionGrid::SampleCount);
  QVERIFY(grid->cell(ReconstructionGrid::Row::Reconstruction, 0).isNull());
  QSignalSpy refreshed(grid, &ReconstructionGrid::refreshed);
  QTest::mouseClick(window.trainButton(), Qt::LeftButton);
  QVERIFY(refreshed.wait(TrainTimeoutMs));
  const QList<QImage> early = reconstructionRow(*grid);
  const double earlyError = grid->sampleError(0);
  QTRY_VERIFY_WITH_TIMEOUT(!window.trainingSession()->isActive(), TrainTimeoutMs);
  // The last snapshot (end of epoch 3) is shown once its job and the throttle delay are over.
  const long long lastStep = window.trainingSession()->latestSnapshot()->step;
  QTRY_COMPARE_WITH_TIMEOUT(grid->shownStep(), lastStep, 5000);
  QVERIFY(reconstructionRow(*grid) != early);
  QVERIFY2(grid->sampleError(0) < earlyError,
           qPrintable(QString("%1 → %2").arg(earlyError).arg(grid->sampleError(0))));
}

void tst_MainWindow::trainContinuesTheModelAndResetStartsAfresh() {
  MainWindow window;
  window.setDataset(shapes(600));
  window.modelPanel()->setSpec(smallSpec(2, 64));
  window.show();
  QCOMPARE(window.trainButton()->text(), QString("Train"));
  QVERIFY(!window.resetButton()->isEnabled());
  QVERIFY(trainToTheEnd(window));
  QCOMPARE(window.trainButton()->text(), QString("Continue"));
  const long long stepsAfterTwo = window.trainingSession()->latestSnapshot()->step;

  QVERIFY(trainToTheEnd(window));  // two more epochs on the same weights
  const auto snapshot = window.trainingSession()->latestSnapshot();
  QCOMPARE(snapshot->epoch, 4);
  QCOMPARE(snapshot->step, 2 * stepsAfterTwo);
  QCOMPARE(int(snapshot->history.size()), 4);
  QTRY_COMPARE(window.lossChart()->pointCount(Series::TrainEpoch), 4);
  QCOMPARE(window.statusEpochText(), QString("epoch 4/4"));

  latent::ModelSpec wider = smallSpec(2, 64);
  wider.latent = 6;  // another architecture cannot continue these weights
  window.modelPanel()->setSpec(wider);
  QCOMPARE(window.trainButton()->text(), QString("Train"));
  window.modelPanel()->setSpec(smallSpec(2, 64));
  QCOMPARE(window.trainButton()->text(), QString("Continue"));

  QTest::mouseClick(window.resetButton(), Qt::LeftButton);
  QCOMPARE(window.trainButton()->text(), QString("Train"));
  QVERIFY(!window.trainingSession()->latestSnapshot());
  QCOMPARE(window.lossChart()->pointCount(Series::TrainEpoch), 0);
  QVERIFY(trainToTheEnd(window));
  QCOMPARE(window.trainingSession()->latestSnapshot()->epoch, 2);
}

void tst_MainWindow::savedModelReopensWithSpecHistoryAndPixels() {
  QTemporaryDir dir;
  const QString path = dir.filePath("model.safetensors");
  const auto data = shapes(600);
  latent::ModelSpec spec = smallSpec(2, 64);
  spec.kind = latent::ModelKind::Vae;
  spec.beta = 0.5f;
  QList<QImage> trained;
  {
    MainWindow window;
    window.setDataset(data);
    window.modelPanel()->setSpec(spec);
    window.show();
    QVERIFY(trainToTheEnd(window));
    const long long last = window.trainingSession()->latestSnapshot()->step;
    QTRY_COMPARE_WITH_TIMEOUT(window.reconstructions()->shownStep(), last, 5000);
    trained = reconstructionRow(*window.reconstructions());
    QVERIFY(window.saveModel(path));
  }
  MainWindow reopened;
  reopened.setDataset(data);
  reopened.modelPanel()->setSpec(smallSpec(5, 16));  // something else before opening
  QSignalSpy refreshed(reopened.reconstructions(), &ReconstructionGrid::refreshed);
  QVERIFY(reopened.openModel(path));
  QVERIFY(reopened.modelPanel()->spec() == spec);
  QCOMPARE(reopened.lossChart()->pointCount(Series::TrainEpoch), 2);
  QVERIFY(refreshed.wait(5000));
  QCOMPARE(reconstructionRow(*reopened.reconstructions()), trained);
  QCOMPARE(reopened.trainButton()->text(), QString("Continue"));
}

void tst_MainWindow::corruptModelFileKeepsTheCurrentModel() {
  QTemporaryDir dir;
  const QString path = dir.filePath("broken.safetensors");
  std::ofstream(path.toStdString(), std::ios::binary) << "not a model at all";
  MainWindow window;
  window.setDataset(shapes(300));
  const latent::ModelSpec before = smallSpec(2, 64);
  window.modelPanel()->setSpec(before);
  QVERIFY(!window.openModel(path));
  QVERIFY(window.modelPanel()->spec() == before);
  QVERIFY2(window.statusMessage().contains("broken.safetensors"),
           qPrintable(window.statusMessage()));
  QVERIFY(!window.trainingSession()->latestSnapshot());
}

void tst_MainWindow::chartExportsPngSvgAndCsv() {
  MainWindow window;
  window.setDataset(shapes(600));
  window.modelPanel()->setSpec(smallSpec(3, 64));
  window.show();
  QVERIFY(trainToTheEnd(window));
  QTRY_COMPARE(window.lossChart()->pointCount(Series::TrainEpoch), 3);
  QTemporaryDir dir;
  QVERIFY(window.lossChart()->exportPng(dir.filePath("loss.png")));
  QVERIFY(window.lossChart()->exportSvg(dir.filePath("loss.svg")));
  QVERIFY(window.lossChart()->exportCsv(dir.filePath("loss.csv")));
  QCOMPARE(QImageReader(dir.filePath("loss.png")).size(), window.lossChart()->size());
  QFile svg(dir.filePath("loss.svg"));
  QVERIFY(svg.open(QIODevice::ReadOnly));
  const QByteArray svgText = svg.readAll();
  QVERIFY(svgText.contains("<svg") && svgText.contains("</svg>"));
  QFile csv(dir.filePath("loss.csv"));
  QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
  const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
  QCOMPARE(lines.size(), 4);  // header + 3 epochs
  QVERIFY(lines[0].startsWith("epoch,train_loss,validation_loss"));
  const QList<QPointF> validation = window.lossChart()->points(Series::ValidationEpoch);
  QCOMPARE(lines[3].split(',')[0], QString("3"));
  QCOMPARE(lines[3].split(',')[2].toDouble(), validation[2].y());
  QVERIFY(!window.lossChart()->exportCsv(dir.filePath("no/such/folder/loss.csv")));
}

void tst_MainWindow::droppedDatasetsBecomeRecent() {
  QTemporaryDir dir;
  const QString images = dir.filePath("t-images-idx3-ubyte");
  std::vector<uint8_t> pixels(3 * 4 * 4, 128);
  latent::writeIdxImages(images.toStdString(), pixels, 3, 4, 4);
  MainWindow window;
  QVERIFY(sendDrop(window, images));
  QCOMPARE(window.recentDatasets().value(0), QFileInfo(images).absoluteFilePath());
  QVERIFY(window.openDatasetAndWait(images));  // again: listed once, still first
  QCOMPARE(window.recentDatasets().count(QFileInfo(images).absoluteFilePath()), 1);
}

void tst_MainWindow::csvDropLoadsAndReportsTheFormat() {
  QTemporaryDir dir;
  const QString path = dir.filePath("iris-like.csv");
  std::ofstream out(path.toStdString());
  out << "sepal;petal;species\n";
  for (int i = 0; i < 30; ++i)
    out << i % 7 << ",5;" << i % 3 << ",25;" << (i % 2 ? "a" : "b") << "\n";
  out.close();
  MainWindow window;
  window.setDataset(shapes(50));
  QVERIFY(sendDrop(window, path));
  QVERIFY2(window.datasetPanel()->errorText().isEmpty(),
           qPrintable(window.datasetPanel()->errorText()));
  QCOMPARE(window.datasetPanel()->dataset()->count(), 30);
  QCOMPARE(window.datasetPanel()->dataset()->features(), 2);
  QCOMPARE(window.datasetPanel()->dataset()->classNames, (std::vector<std::string>{"a", "b"}));
  QVERIFY2(window.datasetPanel()->reportText().contains("CSV"),
           qPrintable(window.datasetPanel()->reportText()));
  QVERIFY(window.modelPanel()->buildText().contains("2→"));
}

void tst_MainWindow::imageFolderDropLoadsClasses() {
  QTemporaryDir dir;
  for (const char* cls : {"cats", "dogs"}) {
    QVERIFY(QDir(dir.path()).mkdir(cls));
    for (int i = 0; i < 3; ++i) {
      QImage image(12, 10, QImage::Format_RGB32);
      image.fill(QColor(40 * i, cls[0] == 'c' ? 200 : 20, 90));
      QVERIFY(image.save(dir.filePath(QStringLiteral("%1/%2.png").arg(cls).arg(i))));
    }
  }
  std::ofstream(dir.filePath("dogs/readme.png").toStdString()) << "not an image";
  MainWindow window;
  QVERIFY(sendDrop(window, dir.path()));
  const auto data = window.datasetPanel()->dataset();
  QVERIFY2(data, qPrintable(window.datasetPanel()->errorText()));
  QCOMPARE(data->count(), 6);
  QCOMPARE(data->shape.describe(), latent::Shape::image(3, 10, 12).describe());
  QCOMPARE(data->classNames, (std::vector<std::string>{"cats", "dogs"}));
  QVERIFY2(window.datasetPanel()->reportText().contains("readme.png"),
           qPrintable(window.datasetPanel()->reportText()));
}

void tst_MainWindow::missingValuesAskAndDropRowsReloads() {
  QTemporaryDir dir;
  const QString path = dir.filePath("gaps.csv");
  std::ofstream(path.toStdString()) << "a,b\n1,2\n3,\n5,6\n7,8\n";
  MainWindow window;
  const auto before = shapes(50);
  window.setDataset(before);
  window.show();
  QVERIFY(sendDrop(window, path));
  QCOMPARE(window.datasetPanel()->dataset(), before);  // refused at first, previous data kept
  QVERIFY2(window.datasetPanel()->errorText().contains("line 3"),
           qPrintable(window.datasetPanel()->errorText()));
  auto* question = window.findChild<QMessageBox*>("missingValuesQuestion");
  QVERIFY(question);
  QAbstractButton* drop = nullptr;
  for (QAbstractButton* b : question->buttons())
    if (b->text().contains("Drop")) drop = b;
  QVERIFY(drop);
  QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
  QTest::mouseClick(drop, Qt::LeftButton);
  QVERIFY(loaded.wait(10000));
  QCOMPARE(window.datasetPanel()->dataset()->count(), 3);
  QVERIFY2(window.datasetPanel()->reportText().contains("3"),
           qPrintable(window.datasetPanel()->reportText()));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
