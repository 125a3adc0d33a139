// Tests for ReconstructionGrid: the reconstructions shown are exactly the snapshot model's, the
// noisy row appears for denoising models, refreshes are throttled with the latest snapshot winning,
// and results computed for replaced samples are dropped.
#include <QSignalSpy>
#include <QtTest>

#include "data/shapes.h"
#include "models/model.h"
#include "reconstructiongrid.h"
#include "sampleimage.h"
#include "train/snapshot.h"

namespace {

latent::ModelSpec tinySpec() {
  latent::ModelSpec spec;
  spec.hidden = {32};
  spec.latent = 4;
  return spec;
}

std::shared_ptr<const latent::Dataset> shapes(int count) {
  return std::make_shared<const latent::Dataset>(latent::makeShapesDataset(count, 7));
}

std::shared_ptr<const latent::ModelSnapshot> snapshotOf(const latent::ModelSpec& spec, int inputs,
                                                        unsigned seed, long long step) {
  latent::Rng rng(seed);
  auto snapshot = std::make_shared<latent::ModelSnapshot>();
  snapshot->model = std::make_shared<const latent::Model>(spec, inputs, rng);
  snapshot->step = step;
  return snapshot;
}

}  // namespace

class TestReconstructionGrid : public QObject {
  Q_OBJECT

 private slots:
  void showsTheSnapshotModelsReconstructions();
  void denoisingModelsGetANoisyRow();
  void burstsAreThrottledAndTheLatestWins();
  void sequenceErrorsAreAStripAlongTime();
  void resultsForReplacedSamplesAreDropped();
  void mismatchedModelIsIgnored();
};

void TestReconstructionGrid::showsTheSnapshotModelsReconstructions() {
  const auto data = shapes(20);
  const latent::ModelSpec spec = tinySpec();
  ReconstructionGrid grid;
  grid.setSamples(data, spec);
  QCOMPARE(grid.sampleCount(), ReconstructionGrid::SampleCount);
  QVERIFY(std::isnan(grid.sampleError(0)));
  QVERIFY(grid.cell(ReconstructionGrid::Row::Reconstruction, 0).isNull());

  const auto snapshot = snapshotOf(spec, data->features(), 3, 42);
  QSignalSpy refreshed(&grid, &ReconstructionGrid::refreshed);
  grid.setSnapshot(snapshot);
  QVERIFY(refreshed.wait(5000));
  QCOMPARE(grid.shownStep(), 42LL);

  const latent::Matrix x = data->samples.leftCols(ReconstructionGrid::SampleCount);
  const latent::Matrix expected = snapshot->model->reconstruct(x);
  for (int i = 0; i < ReconstructionGrid::SampleCount; ++i) {
    const QImage want = sampleimage::fromSample(data->shape, expected.col(i).data());
    QCOMPARE(grid.cell(ReconstructionGrid::Row::Reconstruction, i), want);
    QCOMPARE(grid.cell(ReconstructionGrid::Row::Input, i),
             sampleimage::fromSample(data->shape, x.col(i).data()));
    const double mse = (expected.col(i) - x.col(i)).squaredNorm() / double(x.rows());
    QVERIFY(std::abs(grid.sampleError(i) - mse) <= 1e-6 * std::max(1.0, mse));
  }
  QVERIFY(!grid.showsNoisyRow());
  QVERIFY(grid.cell(ReconstructionGrid::Row::Noisy, 0).isNull());
}

void TestReconstructionGrid::denoisingModelsGetANoisyRow() {
  const auto data = shapes(10);
  latent::ModelSpec spec = tinySpec();
  spec.kind = latent::ModelKind::Denoising;
  spec.noise = latent::NoiseSpec::parse("mask:0.5");
  ReconstructionGrid grid;
  grid.setSamples(data, spec);
  QSignalSpy refreshed(&grid, &ReconstructionGrid::refreshed);
  grid.setSnapshot(snapshotOf(spec, data->features(), 3, 1));
  QVERIFY(refreshed.wait(5000));
  QVERIFY(grid.showsNoisyRow());
  const QImage noisy = grid.cell(ReconstructionGrid::Row::Noisy, 0);
  QVERIFY(!noisy.isNull());
  QVERIFY(noisy != grid.cell(ReconstructionGrid::Row::Input, 0));  // half the pixels masked
}

void TestReconstructionGrid::burstsAreThrottledAndTheLatestWins() {
  const auto data = shapes(10);
  const latent::ModelSpec spec = tinySpec();
  ReconstructionGrid grid;
  grid.setSamples(data, spec);
  QSignalSpy refreshed(&grid, &ReconstructionGrid::refreshed);
  for (int step = 1; step <= 50; ++step)
    grid.setSnapshot(snapshotOf(spec, data->features(), 3, step));
  QTRY_COMPARE_WITH_TIMEOUT(grid.shownStep(), 50LL, 5000);
  // The first is computed at once, the rest collapse into the latest: two jobs, not fifty.
  QCOMPARE(grid.refreshCount(), 2);
  QCOMPARE(refreshed.count(), 2);
}

void TestReconstructionGrid::resultsForReplacedSamplesAreDropped() {
  const auto data = shapes(10);
  const latent::ModelSpec spec = tinySpec();
  ReconstructionGrid grid;
  grid.setSamples(data, spec);
  grid.setSnapshot(snapshotOf(spec, data->features(), 3, 5));  // job running now
  grid.setSamples(shapes(12), spec);                           // new run: old result is stale
  QTest::qWait(3 * ReconstructionGrid::MinRefreshMs);
  QCOMPARE(grid.refreshCount(), 0);
  QCOMPARE(grid.shownStep(), -1LL);
}

void TestReconstructionGrid::mismatchedModelIsIgnored() {
  const auto data = shapes(10);
  const latent::ModelSpec spec = tinySpec();
  ReconstructionGrid grid;
  grid.setSamples(data, spec);
  grid.setSnapshot(snapshotOf(spec, 10, 3, 5));  // a model for 10 features, data has 784
  QTest::qWait(2 * ReconstructionGrid::MinRefreshMs);
  QCOMPARE(grid.refreshCount(), 0);
}

void TestReconstructionGrid::sequenceErrorsAreAStripAlongTime() {
  // 16 steps of 2 features: one wrong value, feature 1 at step 5.
  const latent::Shape shape = latent::Shape::sequence(16, 2);
  std::vector<float> a(32, 0.5f), b = a;
  b[5 * 2 + 1] = 1.0f;
  const QImage strip = sampleimage::errorHeatmap(shape, a.data(), b.data(), 0.5f);
  QCOMPARE(strip.width(), 16);
  QCOMPARE(strip.height() % 2, 0);
  const int band = strip.height() / 2;
  for (int y = 0; y < strip.height(); ++y)
    for (int t = 0; t < 16; ++t) {
      const bool wrong = t == 5 && y >= band;
      QCOMPARE(strip.pixel(t, y) == QColor(Qt::black).rgb(), !wrong);
    }
  QCOMPARE(strip.pixel(5, band), QColor(Qt::white).rgb());  // the error is maxError: white
}

QTEST_MAIN(TestReconstructionGrid)
#include "tst_reconstructiongrid.moc"
