// Tests for the Anomalies tab, driven through the main window on the MNIST subset: "train on normal
// classes only" trains on the ticked digits alone; dragging the threshold and stepping it from the
// keyboard flag exactly the samples whose score reaches it; ticking classes shows the AUC and
// confusion counts the core computes on the same scores, and the CLI agrees for the default score
// and for MSE chosen from the keyboard; the per-class models are trained once, with progress, and
// the CLI trains the same ones; a cancelled training gives no analysis; a gallery click
// selects the sample on the latent map; exported scores name the dataset rows of the samples.
// Skipped without data/mnist10k.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/anomalyscore.h"
#include "analysis/ranking.h"
#include "anomalygallery.h"
#include "anomalypanel.h"
#include "datasetpanel.h"
#include "errorhistogramview.h"
#include "latentexplorer.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "rocchartview.h"
#include "trainingsession.h"
#include "windowerrorview.h"

namespace {

constexpr int TimeoutMs = 120000;
const QString TrainFile = QStringLiteral(LATENT_SAMPLE_DATA "/train-images-idx3-ubyte.gz");

latent::ModelSpec smallSpec() {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {64};
  spec.latent = 8;
  spec.training.epochs = 2;
  spec.training.batchSize = 100;
  spec.training.seed = 3;
  return spec;
}

std::vector<bool> outside(const latent::Dataset& data, const std::vector<int>& normal) {
  std::vector<bool> out(data.labels.size());
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = std::find(normal.begin(), normal.end(), data.labels[i]) == normal.end();
  return out;
}

/// Whether the CLI's ROC AUC is the panel's. Exact, up to the printing of the JSON: both processes
/// keep OpenBLAS single-threaded (latent::useSingleThreadedBlas, called by every Model), so the
/// products round alike. Before that the CLI, which scores without training first, ran OpenBLAS on
/// 2 threads: every per-sample error differed in its 8th digit and pairs of samples swapped.
bool sameAuc(double cli, double panel) { return std::abs(cli - panel) <= 1e-12; }

long long countAtLeast(const std::vector<double>& errors, double threshold) {
  return std::count_if(errors.begin(), errors.end(), [&](double e) { return e >= threshold; });
}

/// Waits until the panel shows an analysis of the session's latest snapshot for `classes`.
bool waitForAnalysis(MainWindow& window, const std::vector<int>& classes) {
  AnomalyPanel* panel = window.anomalyPanel();
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < TimeoutMs) {
    const auto a = panel->analysis();
    if (a && a->request.snapshot == window.trainingSession()->latestSnapshot() &&
        a->request.normalClasses == classes)
      return true;
    QTest::qWait(20);
  }
  return false;
}

}  // namespace

class tst_AnomalyPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void trainsOnNormalClassesOnly();
  void draggingTheThresholdFlagsWhatReachesIt();
  void keyboardStepsTheThreshold();
  void tickedClassesGiveTheCoresAucAndConfusion();
  void cliReportsTheSameAuc();
  void classModelsAreTrainedOnceAndTheCliAgrees();
  void cancelledClassModelsGiveNoAnalysis();
  void galleryClickSelectsTheSampleOnTheMap();
  void exportedScoresNameTheDatasetRows();
  void sequencesShowPerWindowErrors();

 private:
  std::vector<double> shownErrors() const;

  std::unique_ptr<MainWindow> m_window;
  AnomalyPanel* m_panel = nullptr;
};

void tst_AnomalyPanel::initTestCase() {
  if (!std::filesystem::exists(TrainFile.toStdString())) QSKIP("data/mnist10k not present");
  QStandardPaths::setTestModeEnabled(true);
  qputenv("LATENTLAB_NO_CONFIRM", "1");
  m_window = std::make_unique<MainWindow>();
  m_window->resize(1300, 850);
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  QVERIFY(m_window->openDatasetAndWait(TrainFile));
  m_window->modelPanel()->setSpec(smallSpec());
  m_panel = m_window->anomalyPanel();
}

void tst_AnomalyPanel::cleanupTestCase() { m_window.reset(); }

std::vector<double> tst_AnomalyPanel::shownErrors() const {
  // The core's scores for the shown request: the chosen score, the normal reference taken from
  // the training part of the whole dataset.
  const AnomalyRequest& r = m_panel->analysis()->request;
  const latent::Model& model = *r.snapshot->model;
  const latent::Matrix reference =
      latent::needsReference(r.score.score)
          ? latent::scoreReference(r.score.score, *r.all, model.spec().training, r.normalClasses)
          : latent::Matrix();
  latent::AnomalyScoreOptions options = r.score;
  options.classModels = m_panel->analysis()->classModels;
  return latent::anomalyScores(model, r.data->shape, r.data->samples, options, reference);
}

void tst_AnomalyPanel::trainsOnNormalClassesOnly() {
  m_window->tabs()->setCurrentWidget(m_panel);
  QVERIFY(QTest::qWaitForWindowExposed(m_panel));
  // Digit 9 is unticked by default; tick it and untick it again with real clicks.
  QCheckBox* nine = m_panel->classBox(9);
  QVERIFY(nine && !nine->isChecked() && m_panel->classBox(8)->isChecked());
  const QPoint box(8, nine->height() / 2);
  QTest::mouseClick(nine, Qt::LeftButton, {}, box);
  QVERIFY(nine->isChecked());
  QTest::mouseClick(nine, Qt::LeftButton, {}, box);
  QVERIFY(!nine->isChecked());
  QTest::mouseClick(m_panel->trainNormalBox(), Qt::LeftButton, {}, box);
  QVERIFY(m_panel->trainsOnNormalOnly());

  // The run's batches per epoch tell how many samples it trains on: the normal ones of the split.
  const auto data = m_window->datasetPanel()->dataset();
  const latent::ModelSpec spec = m_window->modelPanel()->spec();
  const latent::Split split = latent::splitIndices(data->count(), spec.training.validationFraction,
                                                   spec.training.seed, data->labels);
  const auto normalTrain = std::count_if(split.train.begin(), split.train.end(),
                                         [&](int i) { return data->labels[i] != 9; });
  const int batch = spec.training.batchSize;
  QVERIFY((normalTrain + batch - 1) / batch < (long(split.train.size()) + batch - 1) / batch);
  int batchesPerEpoch = 0;
  connect(m_window->trainingSession(), &TrainingSession::progress, this,
          [&](const latent::TrainingProgress& p) {
            if (p.kind == latent::TrainingProgress::Kind::EpochEnd)
              batchesPerEpoch = p.batchesPerEpoch;
          });
  QSignalSpy finished(m_window->trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(m_window->trainButton(), Qt::LeftButton);
  QVERIFY(finished.wait(TimeoutMs));
  QVERIFY(finished.at(0).at(0).value<latent::Trainer::State>() == latent::Trainer::State::Finished);
  QCOMPARE(batchesPerEpoch, int((normalTrain + batch - 1) / batch));
  disconnect(m_window->trainingSession(), &TrainingSession::progress, this, nullptr);

  // The panel scores the whole validation part, 9s included.
  m_window->tabs()->setCurrentWidget(m_panel);
  QVERIFY(waitForAnalysis(*m_window, {0, 1, 2, 3, 4, 5, 6, 7, 8}));
  const latent::Dataset& scored = *m_panel->analysis()->request.data;
  QCOMPARE(scored.count(), int(split.validation.size()));
  QVERIFY(std::count(scored.labels.begin(), scored.labels.end(), 9) > 0);
}

void tst_AnomalyPanel::draggingTheThresholdFlagsWhatReachesIt() {
  QVERIFY(m_panel->analysis());
  const std::vector<double> errors = shownErrors();
  ErrorHistogramView* histogram = m_panel->histogram();
  std::vector<double> sorted = errors;
  std::sort(sorted.begin(), sorted.end());
  const int from = histogram->xForValue(sorted[sorted.size() / 2]);
  const int to = histogram->xForValue(sorted[sorted.size() * 9 / 10]);
  const int y = histogram->height() / 2;
  QVERIFY(to > from + 5);
  QTest::mousePress(histogram, Qt::LeftButton, {}, QPoint(from, y));
  const double atPress = m_panel->threshold();
  QCOMPARE(m_panel->flaggedCount(), countAtLeast(errors, atPress));
  for (int x = from; x <= to; x += 7) QTest::mouseMove(histogram, QPoint(x, y));
  QTest::mouseRelease(histogram, Qt::LeftButton, {}, QPoint(to, y));

  const double threshold = m_panel->threshold();
  QCOMPARE(threshold, histogram->valueForX(to));
  QVERIFY(threshold > atPress);
  const long long expected = countAtLeast(errors, threshold);
  QVERIFY(expected > 0 && expected < long(errors.size()) / 2);
  QCOMPARE(m_panel->flaggedCount(), expected);
  QVERIFY2(m_panel->flaggedLabel()->text().startsWith(
               QStringLiteral("flagged %1 of %2 ").arg(expected).arg(errors.size())),
           qPrintable(m_panel->flaggedLabel()->text()));
  QCOMPARE(m_panel->thresholdBox()->value(),
           std::round(threshold * 1e6) / 1e6);  // the box shows it to 6 decimals
}

void tst_AnomalyPanel::keyboardStepsTheThreshold() {
  QDoubleSpinBox* box = m_panel->thresholdBox();
  const double before = m_panel->threshold();
  box->setFocus();
  const double shown = box->value();
  QTest::keyClick(box, Qt::Key_Up);
  QTest::keyClick(box, Qt::Key_Up);
  QVERIFY(std::abs(box->value() - (shown + 2 * box->singleStep())) <= 1e-6);
  QVERIFY(std::abs(m_panel->threshold() - box->value()) <= 1e-6);  // the box shows 6 decimals
  QVERIFY(m_panel->threshold() > before);
  const std::vector<double> errors = shownErrors();
  QCOMPARE(m_panel->flaggedCount(), countAtLeast(errors, m_panel->threshold()));
  QCOMPARE(m_panel->histogram()->threshold(), m_panel->threshold());
}

void tst_AnomalyPanel::tickedClassesGiveTheCoresAucAndConfusion() {
  // Untick 8 too: now 8s and 9s are the anomalies.
  QCheckBox* eight = m_panel->classBox(8);
  QTest::mouseClick(eight, Qt::LeftButton, {}, QPoint(8, eight->height() / 2));
  const std::vector<int> normal{0, 1, 2, 3, 4, 5, 6, 7};
  QVERIFY(waitForAnalysis(*m_window, normal));
  const latent::Dataset& data = *m_panel->analysis()->request.data;
  const std::vector<double> errors = shownErrors();
  const std::vector<bool> anomalous = outside(data, normal);
  const latent::RocCurve roc = latent::rocCurve(errors, anomalous);
  const latent::PrCurve pr = latent::precisionRecallCurve(errors, anomalous);
  QCOMPARE(m_panel->rocChart()->shownArea(), roc.auc);
  QCOMPARE(m_panel->rocChart()->title(), QStringLiteral("ROC · AUC %1").arg(roc.auc, 0, 'f', 4));
  QCOMPARE(m_panel->prChart()->shownArea(), pr.averagePrecision);
  QVERIFY(m_panel->prChart()->title().endsWith(QString::number(pr.averagePrecision, 'f', 4)));
  qInfo("AUC for 'is an 8 or a 9' after 2 epochs on 0-8: %.4f", roc.auc);

  const latent::Confusion c = latent::confusionAt(errors, anomalous, m_panel->threshold());
  QVERIFY(c.truePositives > 0 && c.falsePositives > 0);
  QCOMPARE(m_panel->confusionLabel()->text().section(QStringLiteral(" · TPR"), 0, 0),
           QStringLiteral("TP %1 · FP %2 · TN %3 · FN %4")
               .arg(c.truePositives)
               .arg(c.falsePositives)
               .arg(c.trueNegatives)
               .arg(c.falseNegatives));

  // Ticking every class leaves nothing anomalous: no curve, no area.
  for (int c8 : {8, 9}) {
    QCheckBox* b = m_panel->classBox(c8);
    QTest::mouseClick(b, Qt::LeftButton, {}, QPoint(8, b->height() / 2));
  }
  QVERIFY(waitForAnalysis(*m_window, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  QVERIFY(std::isnan(m_panel->rocChart()->shownArea()));
  QVERIFY(m_panel->confusionLabel()->text().isEmpty());
  m_panel->setNormalClasses({0, 1, 2, 3, 4, 5, 6, 7, 8});
  QVERIFY(waitForAnalysis(*m_window, {0, 1, 2, 3, 4, 5, 6, 7, 8}));
}

void tst_AnomalyPanel::cliReportsTheSameAuc() {
  // Score every sample of the training file, which the CLI can read too.
  QVERIFY(m_panel->analysis());
  m_panel->setEvaluateAll(true);
  QTRY_VERIFY_WITH_TIMEOUT(m_panel->analysis() && m_panel->analysis()->request.data->count() ==
                                                      m_window->datasetPanel()->dataset()->count(),
                           TimeoutMs);
  const double auc = m_panel->rocChart()->shownArea();
  QVERIFY(std::isfinite(auc));
  QTemporaryDir tmp;
  const QString model = tmp.filePath(QStringLiteral("normal.safetensors"));
  QVERIFY(m_window->saveModel(model));
  QProcess cli;
  cli.start(LATENT_CLI, {"anomalies", "--model", model, "--data", TrainFile, "--normal",
                         "0,1,2,3,4,5,6,7,8", "--json"});
  QVERIFY(cli.waitForFinished(TimeoutMs));
  QCOMPARE(cli.exitCode(), 0);
  const auto report = nlohmann::json::parse(cli.readAllStandardOutput().trimmed().toStdString());
  QVERIFY2(sameAuc(report["auc"].get<double>(), auc),
           qPrintable(QStringLiteral("CLI %1, panel %2")
                          .arg(report["auc"].get<double>(), 0, 'g', 12)
                          .arg(auc, 0, 'g', 12)));
  QCOMPARE(report["score"].get<std::string>(), std::string("neighbours"));
  QCOMPARE(report["samples"].get<int>(), m_panel->analysis()->request.data->count());

  // Choose plain MSE from the keyboard: another ranking, and the CLI's --score mse agrees.
  QComboBox* score = m_panel->scoreBox();
  score->setFocus();
  QTest::keyClick(score, Qt::Key_Home);
  QCOMPARE(score->currentText(), QStringLiteral("MSE"));
  QTRY_VERIFY_WITH_TIMEOUT(
      m_panel->analysis() && m_panel->analysis()->request.score.score == latent::AnomalyScore::Mse,
      TimeoutMs);
  const double mseAuc = m_panel->rocChart()->shownArea();
  const auto a = m_panel->analysis();
  QCOMPARE(
      mseAuc,
      latent::rocCurve(shownErrors(), outside(*a->request.data, a->request.normalClasses)).auc);
  QVERIFY(mseAuc != auc);
  cli.start(LATENT_CLI, {"anomalies", "--model", model, "--data", TrainFile, "--normal",
                         "0,1,2,3,4,5,6,7,8", "--score", "mse", "--json"});
  QVERIFY(cli.waitForFinished(TimeoutMs));
  QCOMPARE(cli.exitCode(), 0);
  const double cliMseAuc =
      nlohmann::json::parse(cli.readAllStandardOutput().trimmed().toStdString())["auc"];
  QVERIFY2(
      sameAuc(cliMseAuc, mseAuc),
      qPrintable(
          QStringLiteral("CLI %1, panel %2").arg(cliMseAuc, 0, 'g', 12).arg(mseAuc, 0, 'g', 12)));
  QTest::keyClick(score, Qt::Key_End);  // back to the default, the one before the class models
  QTest::keyClick(score, Qt::Key_Up);
  QVERIFY(m_panel->score() == latent::AnomalyScoreOptions{}.score);
  QTRY_VERIFY_WITH_TIMEOUT(
      m_panel->analysis() && m_panel->analysis()->request.score.score == m_panel->score(),
      TimeoutMs);
  m_panel->setEvaluateAll(false);
  QTRY_VERIFY_WITH_TIMEOUT(
      m_panel->analysis() && !m_panel->evaluatesAll() &&
          m_panel->analysis()->request.data->count() < m_window->datasetPanel()->dataset()->count(),
      TimeoutMs);
}

void tst_AnomalyPanel::classModelsAreTrainedOnceAndTheCliAgrees() {
  // Choose the per-class models from the keyboard: the status shows the training's progress.
  QComboBox* score = m_panel->scoreBox();
  score->setFocus();
  QTest::keyClick(score, Qt::Key_End);
  QVERIFY(m_panel->score() == latent::AnomalyScore::Classes);
  QTRY_VERIFY_WITH_TIMEOUT(
      m_panel->statusLabel()->text().startsWith("training one model per normal class (9 models"),
      TimeoutMs);
  // Meanwhile no analysis of the previous score stands under the new score's name.
  QVERIFY(!m_panel->analysis() ||
          m_panel->analysis()->request.score.score == latent::AnomalyScore::Classes);
  if (!m_panel->analysis())
    QCOMPARE(m_panel->rocChart()->title(), QStringLiteral("ROC · waiting for the class models"));
  QTRY_VERIFY_WITH_TIMEOUT(m_panel->analysis() && m_panel->analysis()->request.score.score ==
                                                      latent::AnomalyScore::Classes,
                           TimeoutMs);
  const auto first = m_panel->analysis();
  QVERIFY(first->classModels);
  QCOMPARE(first->classModels->classes, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  QVERIFY(m_panel->statusLabel()->text().contains(" · 9 class models of "));
  const std::vector<bool> anomalous = outside(*first->request.data, first->request.normalClasses);
  const double auc = m_panel->rocChart()->shownArea();
  QCOMPARE(auc, latent::rocCurve(shownErrors(), anomalous).auc);
  qInfo("AUC for 'is a 9' from the class models: %.4f", auc);

  // Every sample scored: the same class models, not trained again.
  m_panel->setEvaluateAll(true);
  QTRY_VERIFY_WITH_TIMEOUT(m_panel->analysis() && m_panel->analysis()->request.data->count() ==
                                                      m_window->datasetPanel()->dataset()->count(),
                           TimeoutMs);
  QCOMPARE(m_panel->analysis()->classModels, first->classModels);
  const double allAuc = m_panel->rocChart()->shownArea();

  // The CLI trains the same class models from the saved model's settings and agrees.
  QTemporaryDir tmp;
  const QString model = tmp.filePath(QStringLiteral("normal.safetensors"));
  QVERIFY(m_window->saveModel(model));
  QProcess cli;
  cli.start(LATENT_CLI, {"anomalies", "--model", model, "--data", TrainFile, "--normal",
                         "0,1,2,3,4,5,6,7,8", "--score", "classes", "--json"});
  QVERIFY(cli.waitForFinished(TimeoutMs));
  QCOMPARE(cli.exitCode(), 0);
  const auto report = nlohmann::json::parse(cli.readAllStandardOutput().trimmed().toStdString());
  QCOMPARE(report["class_models"]["epochs"].get<std::vector<int>>(), first->classModels->epochs);
  QVERIFY2(sameAuc(report["auc"].get<double>(), allAuc),
           qPrintable(QStringLiteral("CLI %1, panel %2")
                          .arg(report["auc"].get<double>(), 0, 'g', 12)
                          .arg(allAuc, 0, 'g', 12)));

  QTest::keyClick(score, Qt::Key_Up);  // back to the default
  QVERIFY(m_panel->score() == latent::AnomalyScoreOptions{}.score);
  m_panel->setEvaluateAll(false);
  QTRY_VERIFY_WITH_TIMEOUT(m_panel->analysis() && !m_panel->evaluatesAll() &&
                               m_panel->analysis()->request.data->count() <
                                   m_window->datasetPanel()->dataset()->count() &&
                               m_panel->analysis()->request.score.score == m_panel->score(),
                           TimeoutMs);
  QVERIFY(!m_panel->analysis()->classModels);
}

void tst_AnomalyPanel::cancelledClassModelsGiveNoAnalysis() {
  AnomalyRequest request = m_panel->analysis()->request;
  request.score.score = latent::AnomalyScore::Classes;
  request.control = std::make_shared<AnomalyJobControl>();
  request.control->cancel = true;
  QVERIFY(!buildAnomalyAnalysis(request));
  request.control->cancel = false;
  const auto done = buildAnomalyAnalysis(request);
  QVERIFY(done && done->classModels);
  QCOMPARE(request.control->progress.load(), 1.0);
}

void tst_AnomalyPanel::galleryClickSelectsTheSampleOnTheMap() {
  QVERIFY(m_panel->analysis());
  AnomalyGallery* gallery = m_panel->gallery();
  QCOMPARE(gallery->count(), AnomalyPanel::TopK);
  const std::vector<double> errors = shownErrors();
  const int worst = int(std::max_element(errors.begin(), errors.end()) - errors.begin());
  QCOMPARE(gallery->example(0).sample, worst);
  const int second = gallery->example(1).sample;
  QVERIFY(errors[second] <= errors[worst]);
  QTest::mouseClick(gallery, Qt::LeftButton, {}, gallery->columnRect(1).center());
  QCOMPARE(m_window->tabs()->currentWidget(), m_window->latentExplorer());
  QTRY_COMPARE_WITH_TIMEOUT(m_window->latentExplorer()->selectedSample(), second, TimeoutMs);
  // The selected sample is the panel's: same pixels.
  const auto map = m_window->latentExplorer()->currentMap();
  QVERIFY(map->request.data->samples.col(second) ==
          m_panel->analysis()->request.data->samples.col(second));
}

void tst_AnomalyPanel::exportedScoresNameTheDatasetRows() {
  const auto a = m_panel->analysis();
  QVERIFY(a && !m_panel->evaluatesAll());
  QVERIFY(m_panel->exportButton()->isEnabled());
  QTemporaryDir tmp;
  const QString path = tmp.filePath(QStringLiteral("scores.csv"));
  QString error;
  QVERIFY2(m_panel->exportScores(path, &error), qPrintable(error));
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.value(0), QStringLiteral("sample,label,score,flagged"));
  QCOMPARE(lines.size() - 1, int(a->errors.size()));
  // Each row names the validation sample's row in the dataset file: same pixels, same label.
  const latent::Dataset& all = *m_window->datasetPanel()->dataset();
  const latent::Dataset& scored = *a->request.data;
  long long flagged = 0;
  for (int i = 0; i < scored.count(); ++i) {
    const QStringList f = lines[i + 1].split(',');
    const int row = f[0].toInt();
    QVERIFY(row >= 0 && row < all.count());
    QVERIFY(all.samples.col(row) == scored.samples.col(i));
    QCOMPARE(f[1].toInt(), scored.labels[size_t(i)]);
    QVERIFY(std::abs(f[2].toDouble() - a->errors[size_t(i)]) <= 1e-8 * a->errors[size_t(i)]);
    flagged += f[3].toInt();
  }
  QCOMPARE(flagged, m_panel->flaggedCount());
  QVERIFY(flagged > 0);
  QVERIFY(!m_panel->exportScores(tmp.filePath("missing/dir/scores.csv"), &error));
  QVERIFY2(error.contains("missing/dir/scores.csv"), qPrintable(error));
}

void tst_AnomalyPanel::sequencesShowPerWindowErrors() {
  m_window->useBuiltInSignals();
  latent::ModelSpec spec = smallSpec();
  spec.hidden = {32};
  spec.latent = 4;
  m_window->modelPanel()->setSpec(spec);
  m_window->anomalyPanel()->setNormalClasses({0});  // "normal"; "anomalous" windows are label 1
  QSignalSpy finished(m_window->trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(m_window->trainButton(), Qt::LeftButton);
  QVERIFY(finished.wait(TimeoutMs));
  m_window->tabs()->setCurrentWidget(m_panel);
  QVERIFY(waitForAnalysis(*m_window, {0}));
  QVERIFY(m_panel->analysis()->request.data->shape.kind == latent::Shape::Kind::Sequence);
  WindowErrorView* windows = m_panel->windowView();
  QTRY_VERIFY(windows->isVisible() && windows->width() > 300 &&
              windows->height() >= 150);  // laid out
  const std::vector<double> errors = shownErrors();
  QCOMPARE(windows->flaggedCount(), int(countAtLeast(errors, m_panel->threshold())));
  // Clicking the error strip's right end shows the last windows.
  QTest::mouseClick(windows, Qt::LeftButton, {}, QPoint(windows->width() - 8, 12));
  QCOMPARE(windows->firstShown(), int(errors.size()) - WindowErrorView::VisibleWindows);
  QVERIFY(std::isfinite(m_panel->rocChart()->shownArea()));
}

QTEST_MAIN(tst_AnomalyPanel)
#include "tst_anomalypanel.moc"
