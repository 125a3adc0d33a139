// The analysis tabs driven through the real main window after a real training run on the MNIST
// subset: the Denoising slider and the PSNRs it shows against core psnr on the same samples, the
// PCA-vs-AE chart (64 PCA points, one more AE point per run) and its scores, k-means scores
// against the core functions and the latent map coloured by cluster, and every export read back.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "analysis/clustering.h"
#include "analysis/denoising.h"
#include "analysis/latentcodes.h"
#include "analysis/neighbourhood.h"
#include "analysis/reconstructionerror.h"
#include "analysispanels.h"
#include "clusterpanel.h"
#include "denoisingpanel.h"
#include "imagesave.h"
#include "interpolationstrip.h"
#include "io/csv.h"
#include "io/idx.h"
#include "io/npy.h"
#include "latentexplorer.h"
#include "latentgridpanel.h"
#include "latentmapview.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "models/noise.h"
#include "pcacomparisonpanel.h"
#include "reconstructiongrid.h"
#include "trainingsession.h"

namespace {

constexpr int TrainTimeoutMs = 180000;
constexpr int JobTimeoutMs = 60000;

latent::ModelSpec smallSpec() {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.hidden = {64};
  spec.latent = 8;
  spec.training.epochs = 2;
  spec.training.batchSize = 128;
  return spec;
}

latent::Matrix columns(const latent::Matrix& m, const std::vector<int>& indices) {
  latent::Matrix out(m.rows(), Eigen::Index(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) out.col(Eigen::Index(i)) = m.col(indices[i]);
  return out;
}

std::vector<int> labelsAt(const latent::Dataset& d, const std::vector<int>& indices) {
  std::vector<int> out;
  for (int i : indices) out.push_back(d.labels[size_t(i)]);
  return out;
}

}  // namespace

class tst_AnalysisPanels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void noiseSliderShowsTheCorePsnr();
  void plainModelIsSaidToBePlain();
  void pcaChartHas64PointsAndGainsOneAutoencoderPointPerRun();
  void neighbourhoodScoresMatchTheCore();
  void kmeansButtonShowsTheCoreScoresAndColoursTheMap();
  void codesExportReadsBackAsCsvAndNpy();
  void picturesExportReadBackToTheSamePixels();
  void exportMenuOffersEveryExport();

 private:
  /// Clicks the tab whose title is `title` on the tab bar.
  void showTab(const QString& title);
  bool train();
  std::shared_ptr<const latent::ModelSnapshot> snapshot() const {
    return m_window->trainingSession()->latestSnapshot();
  }

  std::unique_ptr<MainWindow> m_window;
  QTemporaryDir m_dir;
};

void tst_AnalysisPanels::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  qputenv("LATENTLAB_NO_CONFIRM", "1");
  m_window = std::make_unique<MainWindow>();
  m_window->resize(1300, 850);
  const QString mnist = QStringLiteral(LATENT_SAMPLE_DATA "/train-images-idx3-ubyte.gz");
  QVERIFY2(m_window->openDatasetAndWait(mnist), qPrintable(mnist));
  m_window->modelPanel()->setSpec(smallSpec());
  m_window->latentExplorer()->setDemoMode(true);  // picks an interpolation, so the strip exports
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  QVERIFY(train());
}

void tst_AnalysisPanels::cleanupTestCase() { m_window.reset(); }

bool tst_AnalysisPanels::train() {
  QSignalSpy finished(m_window->trainingSession(), &TrainingSession::finished);
  QTest::mouseClick(m_window->trainButton(), Qt::LeftButton);
  return finished.wait(TrainTimeoutMs) &&
         finished.at(0).at(0).value<latent::Trainer::State>() == latent::Trainer::State::Finished;
}

void tst_AnalysisPanels::showTab(const QString& title) {
  QTabWidget* tabs = m_window->tabs();
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->tabText(i) == title) {
      QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(i).center());
      QCOMPARE(tabs->currentIndex(), i);
      return;
    }
  QFAIL(qPrintable("no tab " + title));
}

void tst_AnalysisPanels::noiseSliderShowsTheCorePsnr() {
  DenoisingPanel* panel = m_window->analysisPanels()->denoising();
  showTab(QStringLiteral("Denoising"));
  QSlider* slider = panel->levelSlider();
  const int before = slider->value();
  slider->setFocus();
  QTest::keyClick(slider, Qt::Key_PageUp);  // one page: +0.10
  QVERIFY(slider->value() > before);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {  // masking noise, chosen with the keyboard on the combo box
      panel->kindBox()->setFocus();
      QTest::keyClick(panel->kindBox(), Qt::Key_Down);
      QCOMPARE(panel->noise().kind, latent::NoiseSpec::Kind::Mask);
    }
    const latent::NoiseSpec noise = panel->noise();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy() && panel->shownResult().noise == noise &&
                                 panel->shownResult().step == snapshot()->step,
                             JobTimeoutMs);
    // The same samples, noise and model, straight through the core.
    const latent::Dataset& data = *panel->data();
    const int n = std::min(data.count(), DenoisingPanel::MaxSamples);
    const latent::Matrix clean = data.samples.leftCols(n);
    latent::Matrix noisy;
    latent::Rng rng(DenoisingPanel::NoiseSeed);
    latent::applyNoise(noise, clean, rng, noisy);
    const latent::Matrix denoised = snapshot()->model->reconstruct(noisy);
    const double peak = latent::psnrPeak(clean);
    QCOMPARE(peak, 1.0);  // MNIST pixels in [0, 1]
    const std::vector<double> psnrNoisy = latent::psnr(clean, noisy, peak);
    const std::vector<double> psnrDenoised = latent::psnr(clean, denoised, peak);
    for (int i = 0; i < DenoisingPanel::GridSamples; ++i) {
      QCOMPARE(panel->psnrLabel(i, false)->text(), DenoisingPanel::formatPsnr(psnrNoisy[i]));
      QCOMPARE(panel->psnrLabel(i, true)->text(), DenoisingPanel::formatPsnr(psnrDenoised[i]));
    }
    double meanNoisy = 0, meanDenoised = 0;
    int finiteNoisy = 0;
    for (int i = 0; i < n; ++i) {
      if (std::isfinite(psnrNoisy[i])) {
        meanNoisy += psnrNoisy[i];
        ++finiteNoisy;
      }
      meanDenoised += psnrDenoised[i] / n;
    }
    meanNoisy /= finiteNoisy;
    const QString average = panel->averageLabel()->text();
    QVERIFY2(average.contains(DenoisingPanel::formatPsnr(meanNoisy)), qPrintable(average));
    QVERIFY2(average.contains(DenoisingPanel::formatPsnr(meanDenoised)), qPrintable(average));
    QVERIFY2(average.contains(QLocale().toString(n)), qPrintable(average));
    qInfo("%s: noisy %.2f dB → denoised %.2f dB over %d samples",
          qPrintable(QString::fromStdString(noise.toString())), meanNoisy, meanDenoised, n);
  }
}

void tst_AnalysisPanels::plainModelIsSaidToBePlain() {
  DenoisingPanel* panel = m_window->analysisPanels()->denoising();
  QCOMPARE(snapshot()->model->spec().noise.kind, latent::NoiseSpec::Kind::None);
  QVERIFY2(panel->modelNoteLabel()->text().contains("plain autoencoder"),
           qPrintable(panel->modelNoteLabel()->text()));
  QVERIFY(!panel->modelNoteLabel()->text().contains("denoising autoencoder</b>"));
}

void tst_AnalysisPanels::pcaChartHas64PointsAndGainsOneAutoencoderPointPerRun() {
  PcaComparisonPanel* panel = m_window->analysisPanels()->pcaComparison();
  showTab(QStringLiteral("PCA vs AE"));
  QTRY_COMPARE_WITH_TIMEOUT(panel->pcaSeries()->count(), 64, JobTimeoutMs);
  // The curve is PCA fitted on the training part, measured on the validation part.
  const auto baseline = panel->baseline();
  const latent::Pca pca = latent::Pca::fit(baseline->train->samples, 64);
  for (int k : {1, 8, 64}) {
    const double mse = pca.truncated(k).reconstructionMse(baseline->evaluation->samples);
    const double shown = panel->pcaSeries()->at(k - 1).y();
    QVERIFY2(std::abs(shown - mse) < 1e-6 * mse,
             qPrintable(QString("k=%1: %2 vs %3").arg(k).arg(shown).arg(mse)));
  }
  QCOMPARE(panel->autoencoderSeries()->count(), 1);  // the run of initTestCase
  QVERIFY(train());                                  // Continue: one more short real run
  QTRY_COMPARE(panel->autoencoderSeries()->count(), 2);
  const QPointF point = panel->autoencoderSeries()->at(1);
  QCOMPARE(int(point.x()), 8);
  QCOMPARE(point.y(), snapshot()->history.back().validation.mse);
  QCOMPARE(panel->pcaSeries()->count(), 64);  // the same split: not refitted
  QVERIFY(panel->baseline() == baseline);
}

void tst_AnalysisPanels::neighbourhoodScoresMatchTheCore() {
  PcaComparisonPanel* panel = m_window->analysisPanels()->pcaComparison();
  showTab(QStringLiteral("PCA vs AE"));
  QTRY_VERIFY_WITH_TIMEOUT(panel->comparison() && panel->comparison()->step == snapshot()->step,
                           JobTimeoutMs);
  const auto b = panel->baseline();
  const latent::Model& model = *snapshot()->model;
  const std::vector<int> train =
      pcacomparison::evenSample(b->train->count(), pcacomparison::MaxProbeTrain);
  const std::vector<int> test =
      pcacomparison::evenSample(b->evaluation->count(), pcacomparison::MaxProbeTest);
  const latent::Matrix trainX = columns(b->train->samples, train);
  const latent::Matrix testX = columns(b->evaluation->samples, test);
  const std::vector<int> trainLabels = labelsAt(*b->train, train),
                         testLabels = labelsAt(*b->evaluation, test);
  // encodeAll as the panel (its chunks give the codes bit for bit; a different blocking might not).
  const latent::Matrix trainCodes = latent::encodeAll(model, trainX).mean;
  const latent::Matrix testCodes = latent::encodeAll(model, testX).mean;
  QCOMPARE(int(test.size()), b->evaluation->count());  // every validation code is classified
  const double knnAe = latent::knnAccuracy(trainCodes, trainLabels, testCodes, testLabels, 5);
  const double probeAe =
      latent::linearProbeAccuracy(trainCodes, trainLabels, testCodes, testLabels);
  const latent::Pca pca8 = b->pca->truncated(8);
  const double knnPca =
      latent::knnAccuracy(pca8.encode(trainX), trainLabels, pca8.encode(testX), testLabels, 5);
  using P = PcaComparisonPanel;
  QCOMPARE(panel->qualityLabel(P::KnnRow, P::AeColumn)->text(), P::formatScore(knnAe));
  QCOMPARE(panel->qualityLabel(P::ProbeRow, P::AeColumn)->text(), P::formatScore(probeAe));
  QCOMPARE(panel->qualityLabel(P::KnnRow, P::PcaColumn)->text(), P::formatScore(knnPca));
  QVERIFY(knnAe > 0.5);  // a trained 8-D code separates digits far above chance (0.1)
  const QString compression = panel->compressionLabel()->text();
  QVERIFY2(compression.contains("784 values × 8 bits") &&
               compression.contains(QLocale().toString(784 * 8) + " bits") &&
               compression.contains("256 bits") && compression.contains("24.5× smaller"),
           qPrintable(compression));
  QCOMPARE(panel->autoencoderMap()->pointCount(), b->evaluation->count());
  QCOMPARE(panel->pcaMap()->pointCount(), b->evaluation->count());
  qInfo("k-NN: AE %.4f, PCA(8) %.4f; probe AE %.4f", knnAe, knnPca, probeAe);
}

void tst_AnalysisPanels::kmeansButtonShowsTheCoreScoresAndColoursTheMap() {
  ClusterPanel* panel = m_window->analysisPanels()->clusters();
  showTab(QStringLiteral("Clusters"));
  QCOMPARE(panel->kSpin()->value(), 10);  // the number of classes
  panel->kSpin()->setFocus();
  QTest::keyClick(panel->kSpin(), Qt::Key_Down);  // k = 9
  QTest::mouseClick(panel->runButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(panel->shownResult().k == 9 &&
                               panel->shownResult().step == snapshot()->step && !panel->isBusy(),
                           JobTimeoutMs);
  const latent::Dataset& data = *panel->shownResult().data;
  const latent::Matrix codes = latent::encodeAll(*snapshot()->model, data.samples).mean;
  const latent::KMeansResult km = latent::kmeans(codes, 9, ClusterPanel::KMeansSeed);
  const std::vector<int> sample = ClusterPanel::silhouetteSample(data.count());
  std::vector<int> assigned;
  for (int i : sample) assigned.push_back(km.assignment[size_t(i)]);
  const double silhouette = latent::silhouetteScore(columns(codes, sample), assigned);
  const double ari = latent::adjustedRandIndex(km.assignment, data.labels);
  QCOMPARE(panel->silhouetteLabel()->text(), QString::number(silhouette, 'f', 4));
  QCOMPARE(panel->adjustedRandLabel()->text(), QString::number(ari, 'f', 4));
  QVERIFY(ari > 0.1);  // clusters of a trained code follow the digits somewhat
  qInfo("k = 9: silhouette %.4f, ARI %.4f", silhouette, ari);

  // The map encodes while its tab is shown: tick the box here, then look at the map.
  LatentExplorer* explorer = m_window->latentExplorer();
  QVERIFY(!explorer->isColouredByCluster());
  QTest::mouseClick(panel->colourMapCheck(), Qt::LeftButton);
  QVERIFY(panel->colourMapCheck()->isChecked());
  showTab("Latent space");
  QTRY_VERIFY_WITH_TIMEOUT(explorer->currentMap() != nullptr, JobTimeoutMs);
  QTRY_VERIFY(explorer->isColouredByCluster());
  QCOMPARE(explorer->map()->classCount(), 9);
  showTab("Clusters");
  QTest::mouseClick(panel->colourMapCheck(), Qt::LeftButton);
  QVERIFY(!explorer->isColouredByCluster());
  QCOMPARE(explorer->map()->classCount(), 10);  // the digits again
}

void tst_AnalysisPanels::codesExportReadsBackAsCsvAndNpy() {
  ClusterPanel* panel = m_window->analysisPanels()->clusters();
  QSignalSpy exported(panel, &ClusterPanel::exported);
  const QString csv = m_dir.filePath("codes.csv"), npy = m_dir.filePath("codes.npy");
  panel->exportCodes(csv);
  QVERIFY(exported.wait(JobTimeoutMs));
  QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
  panel->exportCodes(npy);
  QVERIFY(exported.wait(JobTimeoutMs));
  QVERIFY2(exported.at(1).at(0).toBool(), qPrintable(exported.at(1).at(1).toString()));

  const auto snap = snapshot();
  latent::LoadOptions raw;
  raw.scaling = latent::Scaling::None;
  raw.labelColumn = "label";
  const latent::LoadResult fromCsv = latent::loadCsv(csv.toStdString(), raw);
  raw.labelColumn.clear();
  const latent::LoadResult fromNpy = latent::loadNpy(npy.toStdString(), raw);
  // Every sample of the dataset, encoded by the current model.
  const int n = fromCsv.data.count();
  QCOMPARE(n, 8000);
  QCOMPARE(fromCsv.data.features(), 8);
  QCOMPARE(fromNpy.data.count(), n);
  QCOMPARE(fromNpy.data.features(), 9);  // + the label column
  const auto& labels = fromCsv.data.labels;
  QCOMPARE(int(labels.size()), n);
  for (int i = 0; i < n; ++i) QCOMPARE(fromNpy.data.samples(8, i), float(labels[size_t(i)]));
  QCOMPARE(latent::Matrix(fromNpy.data.samples.topRows(8)), fromCsv.data.samples);
  // The codes are the model's codes of the dataset's samples, in order.
  const latent::Dataset mnist = latent::loadIdx(LATENT_SAMPLE_DATA "/train-images-idx3-ubyte.gz");
  QCOMPARE(labels, mnist.labels);
  const latent::Matrix codes = snap->model->encode(mnist.samples.leftCols(500));
  QVERIFY((fromCsv.data.samples.leftCols(500) - codes).cwiseAbs().maxCoeff() < 1e-5f);

  // A bad name is refused with the file named, and nothing is written.
  panel->exportCodes(m_dir.filePath("codes.txt"));
  QVERIFY(exported.wait(JobTimeoutMs));
  QVERIFY(!exported.at(2).at(0).toBool());
  QVERIFY(exported.at(2).at(1).toString().contains("codes.txt"));
  QVERIFY(!QFile::exists(m_dir.filePath("codes.txt")));
}

void tst_AnalysisPanels::picturesExportReadBackToTheSamePixels() {
  ReconstructionGrid* grid = m_window->reconstructions();
  QTRY_VERIFY_WITH_TIMEOUT(!grid->cell(ReconstructionGrid::Row::Reconstruction, 0).isNull(),
                           JobTimeoutMs);
  const QString sheetPath = m_dir.filePath("reconstructions.png");
  QString error;
  QVERIFY2(AnalysisPanels::exportReconstructions(*grid, sheetPath, &error), qPrintable(error));
  const QImage sheet = QImage(sheetPath).convertToFormat(QImage::Format_RGB32);
  QVERIFY(!sheet.isNull());
  // Each cell sits at its place in the sheet, pixel for pixel.
  const QList<ReconstructionGrid::Row> rows{ReconstructionGrid::Row::Input,
                                            ReconstructionGrid::Row::Reconstruction,
                                            ReconstructionGrid::Row::Error};
  for (int r = 0; r < rows.size(); ++r)
    for (int i = 0; i < grid->sampleCount(); ++i) {
      const QImage cell = grid->cell(rows[r], i).convertToFormat(QImage::Format_RGB32);
      const QPoint at(i * (cell.width() + AnalysisPanels::SheetGap),
                      r * (cell.height() + AnalysisPanels::SheetGap));
      QCOMPARE(sheet.copy(QRect(at, cell.size())), cell);
    }

  LatentExplorer* explorer = m_window->latentExplorer();
  showTab("Latent space");  // the map encodes while its tab is shown
  QTRY_VERIFY_WITH_TIMEOUT(!explorer->gridPanel()->image().isNull(), JobTimeoutMs);
  QTRY_VERIFY_WITH_TIMEOUT(!explorer->strip()->stripImage().isNull(), JobTimeoutMs);
  const QString gridPath = m_dir.filePath("grid.png"), stripPath = m_dir.filePath("strip.png");
  QVERIFY(explorer->gridPanel()->exportPng(gridPath));
  QVERIFY(explorer->strip()->exportPng(stripPath));
  QCOMPARE(QImage(gridPath).convertToFormat(QImage::Format_RGB32),
           explorer->gridPanel()->image().convertToFormat(QImage::Format_RGB32));
  QCOMPARE(QImage(stripPath).convertToFormat(QImage::Format_RGB32),
           explorer->strip()->stripImage().convertToFormat(QImage::Format_RGB32));

  // No half files: a failed write names the file and leaves nothing behind.
  const QString bad = m_dir.filePath("missing-folder/sheet.png");
  QVERIFY(!AnalysisPanels::exportReconstructions(*grid, bad, &error));
  QVERIFY2(error.contains("sheet.png"), qPrintable(error));
  QVERIFY(!savePngAtomically(QImage(), m_dir.filePath("empty.png"), &error));
  QVERIFY(!QFile::exists(m_dir.filePath("empty.png")));
}

void tst_AnalysisPanels::exportMenuOffersEveryExport() {
  QMenu* exportMenu = nullptr;
  for (QAction* a : m_window->menuBar()->actions())
    if (a->menu())
      for (QAction* b : a->menu()->actions())
        if (b->menu() && b->text().remove('&') == "Export") exportMenu = b->menu();
  QVERIFY(exportMenu);
  QStringList texts;
  for (QAction* a : exportMenu->actions()) texts << a->text().remove('&');
  for (const char* want :
       {"Codes", "Reconstructions", "Latent grid", "Interpolation strip", "Loss history"})
    QVERIFY2(texts.filter(want).size() == 1, qPrintable(texts.join(" | ")));
}

QTEST_MAIN(tst_AnalysisPanels)
#include "tst_analysispanels.moc"
