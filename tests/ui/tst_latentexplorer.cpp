// The latent space explorer driven as a user would (QTest mouse, wheel and keys on the real
// widgets, offscreen) with models trained briefly on the MNIST subset: clicks and scrubs decode
// exactly the lifted point, hover finds the sample, the legend hides exactly a class, zoom/reset,
// interpolation ends, grids, traversal, live updates during training, and stale encodes dropped.
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <QtTest>
#include <filesystem>
#include <numeric>

#include "analysis/interpolation.h"
#include "analysis/latentgrid.h"
#include "data/dataset.h"
#include "decoderimage.h"
#include "interpolationstrip.h"
#include "io/idx.h"
#include "latentexplorer.h"
#include "latentgridpanel.h"
#include "latentmapview.h"
#include "latentpalette.h"
#include "latenttraversepanel.h"
#include "modelpanel.h"
#include "train/trainer.h"
#include "trainingsession.h"

using latent::Dataset;
using latent::Matrix;
using latent::ModelKind;
using latent::ModelSnapshot;
using latent::Vector;

namespace {

constexpr int Samples = 3000;  // of the MNIST subset: enough for a map, quick to train on
constexpr int MapTimeoutMs = 20000;

struct Data {
  std::shared_ptr<const Dataset> all, train, validation;
};

Data loadMnist() {
  const std::string path = std::string(LATENT_SAMPLE_DATA) + "/train-images-idx3-ubyte.gz";
  if (!std::filesystem::exists(path)) return {};
  const Dataset full = latent::loadIdx(path);
  std::vector<int> first(Samples);
  std::iota(first.begin(), first.end(), 0);
  auto all = std::make_shared<const Dataset>(full.subset(first));
  const latent::Split split = latent::splitIndices(all->count(), 0.2, 1, all->labels);
  return {all, std::make_shared<const Dataset>(all->subset(split.train)),
          std::make_shared<const Dataset>(all->subset(split.validation))};
}

latent::ModelSpec tinySpec(ModelKind kind, int latentSize, int epochs) {
  latent::ModelSpec spec = ModelPanel::defaultSpec();
  spec.kind = kind;
  spec.hidden = {64};
  spec.latent = latentSize;
  spec.training.epochs = epochs;
  spec.training.batchSize = 64;
  spec.training.threads = 1;
  return spec;
}

std::shared_ptr<const ModelSnapshot> train(const Data& d, ModelKind kind, int latentSize) {
  latent::Trainer trainer(tinySpec(kind, latentSize, 2), d.train, d.validation);
  trainer.run();
  return trainer.latestSnapshot();
}

/// x · a / 255 per 8-bit channel, rounded as the map's blend does.
quint32 byteMul(quint32 x, quint32 a) {
  quint32 out = 0;
  for (int shift = 0; shift < 32; shift += 8) {
    const quint32 t = ((x >> shift) & 0xff) * a;
    out |= (((t + (t >> 8) + 0x80) >> 8) & 0xff) << shift;
  }
  return out;
}

/// Exact colour of a lone class point's centre over the white background (as the map blends).
QRgb pointCentreColour(const QColor& c) {
  constexpr quint32 a = 190;  // LatentMapView's point alpha at full coverage
  return byteMul(c.rgba(), a) + byteMul(0xffffffffu, 255 - a);
}

int countColour(const QImage& image, QRgb colour) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y) {
    const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    for (int x = 0; x < image.width(); ++x) n += row[x] == colour;
  }
  return n;
}

/// The sample whose nearest other visible point is farthest away on screen (hover is unambiguous).
int loneSample(LatentMapView& map, int avoid = -1) {
  int best = -1;
  double bestGap = -1;
  const QRectF inner = QRectF(map.rect()).adjusted(40, 40, -40, -40);
  for (int i = 0; i < map.pointCount(); ++i) {
    const QPointF p = map.toWidget(i);
    if (i == avoid || !inner.contains(p)) continue;
    double gap = 1e9;
    for (int j = 0; j < map.pointCount(); ++j)
      if (j != i) gap = std::min(gap, QLineF(p, map.toWidget(j)).length());
    if (gap > bestGap) best = i, bestGap = gap;
  }
  return best;
}

QPoint pixelOf(LatentMapView& map, int sample) { return map.toWidget(sample).toPoint(); }

void sendWheel(QWidget* w, const QPoint& pos, int angle) {
  QWheelEvent e(QPointF(pos), w->mapToGlobal(QPointF(pos)), QPoint(), QPoint(0, angle),
                Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(w, &e);
}

}  // namespace

class tst_LatentExplorer : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void clickDecodesTheLiftedPoint_data();
  void clickDecodesTheLiftedPoint();
  void pressAndMoveScrubs();
  void hoverFindsTheSampleUnderTheCursor();
  void hidingAClassHidesExactlyItsPoints();
  void zoomKeepsTheCursorPointAndResetRestoresTheView();
  void middleDragPans();
  void interpolationEndsAreTheSamplesReconstructions();
  void slerpAndLinearDifferForAVae();
  void draggingAnEndMovesTheStrip();
  void shiftClickPicksFreePositions();
  void stripExportsAsPng();
  void manifoldGridHasKByKTiles();
  void priorQuantileGridDecodesThePriorQuantiles();
  void priorSamplesRerollAndRepeat();
  void traverseSliderDecodesAtOnce();
  void vaeShowsKlPerDimension();
  void mapUpdatesWhenASnapshotArrivesDuringTraining();
  void decodedSequencesAreDrawnAsCurves();
  void staleEncodingResultsAreDropped();
  void newerSnapshotsReplaceWaitingOnes();

 private:
  /// A fresh explorer shown at a fixed size with `snapshot`'s map on it.
  void showMap(const std::shared_ptr<const ModelSnapshot>& snapshot,
               LatentProjectionChoice choice = {});

  Data m_data;
  std::shared_ptr<const ModelSnapshot> m_ae2, m_vae8, m_vae2;
  std::unique_ptr<LatentExplorer> m_explorer;
};

void tst_LatentExplorer::initTestCase() {
  m_data = loadMnist();
  if (!m_data.all) QSKIP("data/mnist10k not present (run scripts/fetch-mnist.sh)");
  m_ae2 = train(m_data, ModelKind::Dense, 2);
  m_vae8 = train(m_data, ModelKind::Vae, 8);
  m_vae2 = train(m_data, ModelKind::Vae, 2);
  QVERIFY(m_ae2 && m_vae8 && m_vae2);
}

void tst_LatentExplorer::init() { m_explorer = std::make_unique<LatentExplorer>(); }
void tst_LatentExplorer::cleanup() { m_explorer.reset(); }

void tst_LatentExplorer::showMap(const std::shared_ptr<const ModelSnapshot>& snapshot,
                                 LatentProjectionChoice choice) {
  m_explorer->resize(1100, 760);
  m_explorer->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_explorer.get()));
  QSignalSpy updated(m_explorer.get(), &LatentExplorer::mapUpdated);
  m_explorer->setData(m_data.all, m_data.validation);
  m_explorer->setProjection(choice);
  m_explorer->setSnapshot(snapshot);
  QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, MapTimeoutMs);
  QCOMPARE(m_explorer->currentMap()->request.snapshot, snapshot);
  QCOMPARE(m_explorer->map()->pointCount(), m_data.validation->count());
}

void tst_LatentExplorer::clickDecodesTheLiftedPoint_data() {
  QTest::addColumn<bool>("eightD");
  QTest::newRow("2D dense AE") << false;
  QTest::newRow("8D VAE, PCA") << true;
}

void tst_LatentExplorer::clickDecodesTheLiftedPoint() {
  QFETCH(bool, eightD);
  showMap(eightD ? m_vae8 : m_ae2);
  const LatentMap& m = *m_explorer->currentMap();
  QCOMPARE(m.projection.kind(), eightD ? latent::LatentProjection::Kind::Pca
                                       : latent::LatentProjection::Kind::Dimensions);
  LatentMapView* map = m_explorer->map();
  for (const QPoint pos : {QPoint(map->width() * 2 / 5, map->height() * 3 / 5),
                           QPoint(map->width() * 3 / 4, map->height() / 4)}) {
    QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pos);
    const QPointF at = map->toMap(QPointF(pos));
    const Vector z = m.projection.lift(float(at.x()), float(at.y()));
    const Matrix expected = m.model().decode(z);
    QCOMPARE(m_explorer->previewCode(), z);
    QVERIFY(m_explorer->previewValues() == expected);
    QCOMPARE(m_explorer->previewImage(), decoderimage::toImage(expected, 0, m_data.all->shape));
  }
}

void tst_LatentExplorer::pressAndMoveScrubs() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const QPoint start(200, 200), end(260, 230);
  QTest::mousePress(map, Qt::LeftButton, Qt::NoModifier, start);
  const QImage first = m_explorer->previewImage();
  QTest::mouseMove(map, end);
  const QPointF at = map->toMap(QPointF(end));
  const Vector z = m_explorer->currentMap()->projection.lift(float(at.x()), float(at.y()));
  QCOMPARE(m_explorer->previewCode(), z);
  QVERIFY(m_explorer->previewValues() == m_explorer->currentMap()->model().decode(z));
  QVERIFY(m_explorer->previewImage() != first);
  QTest::mouseRelease(map, Qt::LeftButton, Qt::NoModifier, end);
}

void tst_LatentExplorer::hoverFindsTheSampleUnderTheCursor() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const int lone = loneSample(*map);
  QVERIFY(lone >= 0);
  QTest::mouseMove(map, pixelOf(*map, lone));
  QTRY_COMPARE(map->hoveredSample(), lone);
  // Any other visible sample: the hover finds the nearest one to that pixel (brute force).
  for (int i : {3, 17, 101}) {
    const QPoint p = pixelOf(*map, i);
    if (!map->rect().contains(p)) continue;
    QTest::mouseMove(map, p);
    int nearest = -1;
    double best = LatentMapView::HoverRadius;
    for (int j = 0; j < map->pointCount(); ++j) {
      const double d = QLineF(QPointF(p), map->toWidget(j)).length();
      if (d < best || (d == best && nearest < 0)) best = d, nearest = j;
    }
    QCOMPARE(map->hoveredSample(), nearest);
  }
}

void tst_LatentExplorer::hidingAClassHidesExactlyItsPoints() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const int hidden = 3;
  QCOMPARE(map->classCount(), 10);
  const QImage before = map->renderedImage().copy();
  std::vector<int> counts(10);
  for (int c = 0; c < 10; ++c)
    counts[c] = countColour(before, pointCentreColour(latentpalette::classColour(c)));
  QVERIFY(counts[hidden] > 0);
  const int renders = map->renderCount();
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, map->legendEntryRect(hidden).center());
  QVERIFY(!map->isClassVisible(hidden));
  const QImage after = map->renderedImage().copy();
  QCOMPARE(map->renderCount(), renders + 1);
  QCOMPARE(countColour(after, pointCentreColour(latentpalette::classColour(hidden))), 0);
  for (int c = 0; c < 10; ++c)  // the others stay (points under a hidden one even show more)
    if (c != hidden)
      QVERIFY(countColour(after, pointCentreColour(latentpalette::classColour(c))) >= counts[c]);
  // A hidden sample cannot be hovered or picked.
  const auto& labels = m_data.validation->labels;
  for (int i = 0; i < map->pointCount(); ++i) {
    const int found = map->sampleAt(map->toWidget(i));
    QVERIFY(found < 0 || labels[found] != hidden);
  }
  // Showing it again gives the same pixels as before.
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, map->legendEntryRect(hidden).center());
  QVERIFY(map->isClassVisible(hidden));
  QCOMPARE(map->renderedImage(), before);
  // Painting without a change does not re-render.
  const int rendersNow = map->renderCount();
  map->repaint();
  QCOMPARE(map->renderCount(), rendersNow);
}

void tst_LatentExplorer::zoomKeepsTheCursorPointAndResetRestoresTheView() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const QPointF centre = map->viewCentre();
  const double scale = map->viewScale();
  const QImage original = map->renderedImage().copy();
  const QPoint cursor(150, 120);
  const QPointF under = map->toMap(QPointF(cursor));
  sendWheel(map, cursor, 240);  // two steps in
  QVERIFY(std::abs(map->viewScale() / scale -
                   LatentMapView::ZoomPerWheelStep * LatentMapView::ZoomPerWheelStep) < 1e-9);
  QVERIFY(QLineF(map->toMap(QPointF(cursor)), under).length() < 1e-9);
  QVERIFY(!map->isAutoView());
  QVERIFY(map->renderedImage() != original);
  map->setFocus();
  QTest::keyClick(map, Qt::Key_R);
  QCOMPARE(map->viewCentre(), centre);
  QCOMPARE(map->viewScale(), scale);
  QCOMPARE(map->renderedImage(), original);
}

void tst_LatentExplorer::middleDragPans() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const QPointF centre = map->viewCentre();
  QTest::mousePress(map, Qt::MiddleButton, Qt::NoModifier, QPoint(300, 300));
  QTest::mouseMove(map, QPoint(340, 280));
  QTest::mouseRelease(map, Qt::MiddleButton, Qt::NoModifier, QPoint(340, 280));
  const QPointF moved = map->viewCentre() - centre;
  QVERIFY(std::abs(moved.x() + 40 / map->viewScale()) < 1e-9);
  QVERIFY(std::abs(moved.y() + 20 / map->viewScale()) < 1e-9);  // dragging up moves the view down
}

void tst_LatentExplorer::interpolationEndsAreTheSamplesReconstructions() {
  showMap(m_vae8);
  LatentMapView* map = m_explorer->map();
  const int a = loneSample(*map), b = loneSample(*map, a);
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, a));
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, b));
  QCOMPARE(m_explorer->endpoints()[0]->sample, a);
  QCOMPARE(m_explorer->endpoints()[1]->sample, b);
  const LatentMap& m = *m_explorer->currentMap();
  const auto frames = m_explorer->strip()->frames();
  QCOMPARE(frames.size(), InterpolationStrip::DefaultFrames);
  const auto reconstruction = [&](int i) {
    return decoderimage::toImage(m.model().decode(m.codes.mean.col(i)), 0, m_data.all->shape);
  };
  QCOMPARE(frames.first(), reconstruction(a));
  QCOMPARE(frames.last(), reconstruction(b));
  // The second click selected b: its input and reconstruction are shown.
  QCOMPARE(m_explorer->selectedSample(), b);
  QCOMPARE(m_explorer->selectionReconstructionImage(), reconstruction(b));
  QCOMPARE(m_explorer->selectionInputImage(),
           decoderimage::toImage(m_data.validation->samples, b, m_data.all->shape));
  m_explorer->strip()->setFrameCount(4);
  QCOMPARE(m_explorer->strip()->frames().size(), 4);
}

void tst_LatentExplorer::slerpAndLinearDifferForAVae() {
  showMap(m_vae8);
  LatentMapView* map = m_explorer->map();
  QCOMPARE(m_explorer->strip()->kind(), latent::InterpolationKind::Slerp);  // VAE default
  const int a = loneSample(*map), b = loneSample(*map, a);
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, a));
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, b));
  const auto slerp = m_explorer->strip()->frames();
  m_explorer->strip()->setKind(latent::InterpolationKind::Linear);
  const auto linear = m_explorer->strip()->frames();
  QCOMPARE(slerp.first(), linear.first());
  QCOMPARE(slerp.last(), linear.last());
  int differing = 0;
  for (int i = 1; i + 1 < slerp.size(); ++i) differing += slerp[i] != linear[i];
  QVERIFY2(differing > 0, "slerp and linear gave the same middle frames");
}

void tst_LatentExplorer::draggingAnEndMovesTheStrip() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  const int a = loneSample(*map), b = loneSample(*map, a);
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, a));
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, b));
  const QPoint from = pixelOf(*map, b), to = from + QPoint(-35, 25);
  QTest::mousePress(map, Qt::LeftButton, Qt::NoModifier, from);
  QTest::mouseMove(map, to);
  QTest::mouseRelease(map, Qt::LeftButton, Qt::NoModifier, to);
  const LatentMap& m = *m_explorer->currentMap();
  const QPointF at = map->toMap(QPointF(to));
  const Vector z = m.projection.lift(float(at.x()), float(at.y()));
  QCOMPARE(m_explorer->endpoints()[1]->sample, -1);
  QCOMPARE(m_explorer->endpoints()[1]->code, z);
  QCOMPARE(m_explorer->endpoints()[0]->sample, a);  // the other end stays
  QCOMPARE(m_explorer->strip()->frames().last(),
           decoderimage::toImage(m.model().decode(z), 0, m_data.all->shape));
}

void tst_LatentExplorer::shiftClickPicksFreePositions() {
  showMap(m_vae8);
  LatentMapView* map = m_explorer->map();
  const QPoint p(120, 140), q(420, 300);
  QTest::mouseClick(map, Qt::LeftButton, Qt::ShiftModifier, p);
  QTest::mouseClick(map, Qt::LeftButton, Qt::ShiftModifier, q);
  const LatentMap& m = *m_explorer->currentMap();
  const auto lifted = [&](QPoint w) {
    const QPointF at = map->toMap(QPointF(w));
    return m.projection.lift(float(at.x()), float(at.y()));
  };
  QCOMPARE(m_explorer->endpoints()[0]->sample, -1);
  QCOMPARE(m_explorer->endpoints()[0]->code, lifted(p));
  QCOMPARE(m_explorer->endpoints()[1]->code, lifted(q));
  QCOMPARE(m_explorer->strip()->frames().first(),
           decoderimage::toImage(m.model().decode(lifted(p)), 0, m_data.all->shape));
  map->setFocus();
  QTest::keyClick(map, Qt::Key_Escape);
  QVERIFY(!m_explorer->endpoints()[0]);
  QVERIFY(m_explorer->strip()->frames().isEmpty());
}

void tst_LatentExplorer::stripExportsAsPng() {
  showMap(m_ae2);
  LatentMapView* map = m_explorer->map();
  QTest::mouseClick(map, Qt::LeftButton, Qt::ShiftModifier, QPoint(100, 100));
  QTest::mouseClick(map, Qt::LeftButton, Qt::ShiftModifier, QPoint(400, 400));
  m_explorer->strip()->setFrameCount(5);
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("strip.png"));
  QVERIFY(m_explorer->strip()->exportPng(path));
  const QImage saved(path);
  constexpr int Zoom = InterpolationStrip::ExportZoom, Gap = InterpolationStrip::ExportGap;
  QCOMPARE(saved.size(), QSize(5 * 28 * Zoom + 4 * Gap, 28 * Zoom));
  // The last frame, enlarged, is the decode of the second end.
  const QImage last = m_explorer->strip()->frames().last().convertToFormat(QImage::Format_RGB32);
  QCOMPARE(saved.pixel(4 * (28 * Zoom + Gap) + 2 * Zoom + 1, 14 * Zoom), last.pixel(2, 14));
}

void tst_LatentExplorer::manifoldGridHasKByKTiles() {
  showMap(m_ae2);
  LatentGridPanel* grid = m_explorer->gridPanel();
  QCOMPARE(grid->mode(), LatentGridPanel::Mode::VisibleRegion);  // not a VAE
  grid->setK(7);
  QCOMPARE(grid->tileCount(), 49);
  QCOMPARE(grid->image().size(),
           QSize(7 * 28 + 6 * LatentGridPanel::ExportGap, 7 * 28 + 6 * LatentGridPanel::ExportGap));
  // Top-left tile: the decode of the visible region's top-left cell centre.
  const LatentMap& m = *m_explorer->currentMap();
  const QRectF r = m_explorer->map()->visibleRegion();
  const Matrix z =
      m.projection.lift(latent::gridPoints(r.left(), r.right(), r.top(), r.bottom(), 7));
  const QImage tile = decoderimage::toImage(m.model().decode(z.col(0)), 0, m_data.all->shape);
  QCOMPARE(grid->image().copy(0, 0, 28, 28).convertToFormat(QImage::Format_RGB32),
           tile.convertToFormat(QImage::Format_RGB32));
  // The grid follows zoom (merged by a short timer).
  const QImage before = grid->image();
  sendWheel(m_explorer->map(), QPoint(200, 200), 120);
  QTRY_VERIFY(grid->image() != before);
}

void tst_LatentExplorer::priorQuantileGridDecodesThePriorQuantiles() {
  showMap(m_vae2);
  LatentGridPanel* grid = m_explorer->gridPanel();
  QCOMPARE(grid->mode(), LatentGridPanel::Mode::PriorQuantiles);  // the VAE default
  grid->setK(5);
  const LatentMap& m = *m_explorer->currentMap();
  const Matrix z = m.projection.lift(latent::priorQuantileGrid(5));  // 2D: the map is z itself
  const int step = 28 + LatentGridPanel::ExportGap;
  for (int i : {0, 12, 24}) {
    const QImage tile = decoderimage::toImage(m.model().decode(z.col(i)), 0, m_data.all->shape);
    QCOMPARE(grid->image().copy((i % 5) * step, (i / 5) * step, 28, 28),
             tile.convertToFormat(QImage::Format_RGB32));
  }
}

void tst_LatentExplorer::priorSamplesRerollAndRepeat() {
  showMap(m_vae8);
  LatentGridPanel* grid = m_explorer->gridPanel();
  grid->setMode(LatentGridPanel::Mode::PriorSamples);
  const QImage first = grid->image();
  QPushButton* reroll = nullptr;
  for (QPushButton* b : grid->findChildren<QPushButton*>())
    if (b->text() == QStringLiteral("Re-roll")) reroll = b;
  QVERIFY(reroll && reroll->isEnabled());
  QTest::mouseClick(reroll, Qt::LeftButton);
  QVERIFY(grid->image() != first);
  // Same seed → same samples.
  const QImage second = grid->image();
  grid->setK(grid->k() + 1);
  grid->setK(grid->k() - 1);
  QCOMPARE(grid->image(), second);
}

void tst_LatentExplorer::traverseSliderDecodesAtOnce() {
  showMap(m_vae8);
  LatentMapView* map = m_explorer->map();
  const int s = loneSample(*map);
  QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, pixelOf(*map, s));
  LatentTraversePanel* traverse = m_explorer->traversePanel();
  QCOMPARE(traverse->sliderCount(), 8);
  const LatentMap& m = *m_explorer->currentMap();
  traverse->slider(5)->setValue(LatentTraversePanel::SliderSteps / 2);
  Vector expected = m.codes.mean.col(s);
  expected(5) += float(LatentTraversePanel::RangeSpreads * 1.0 * 0.5);  // VAE: prior units
  QVERIFY((m_explorer->previewCode() - expected).cwiseAbs().maxCoeff() < 1e-6f);
  QVERIFY(m_explorer->previewValues() == m.model().decode(m_explorer->previewCode()));
}

void tst_LatentExplorer::vaeShowsKlPerDimension() {
  showMap(m_vae8);
  const LatentMap& m = *m_explorer->currentMap();
  QCOMPARE(m.klPerDimension.size(), 8);
  const int active = int((m.klPerDimension.array() > LatentTraversePanel::ActiveKl).count());
  QCOMPARE(m_explorer->traversePanel()->activeDimensions(), active);
  QCOMPARE(m_explorer->traversePanel()->collapseWarningShown(), active == 0 || 5 * active < 8);
  // A dense AE has no KL chart.
  showMap(m_ae2);
  QCOMPARE(m_explorer->currentMap()->klPerDimension.size(), 0);
  QCOMPARE(m_explorer->traversePanel()->activeDimensions(), 0);
}

void tst_LatentExplorer::mapUpdatesWhenASnapshotArrivesDuringTraining() {
  TrainingSession session;
  m_explorer->resize(1000, 700);
  m_explorer->show();
  connect(&session, &TrainingSession::snapshotReady, m_explorer.get(),
          &LatentExplorer::setSnapshot);
  QSignalSpy updated(m_explorer.get(), &LatentExplorer::mapUpdated);
  QSignalSpy finished(&session, &TrainingSession::finished);
  m_explorer->setData(m_data.all, m_data.validation);
  session.start(tinySpec(ModelKind::Dense, 2, 3), m_data.train, m_data.validation);
  std::vector<Matrix> maps;
  std::vector<long long> steps;
  connect(m_explorer.get(), &LatentExplorer::mapUpdated, this, [&] {
    maps.push_back(m_explorer->currentMap()->points);
    steps.push_back(m_explorer->currentMap()->request.snapshot->step);
  });
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
  QTRY_VERIFY_WITH_TIMEOUT(!m_explorer->encoder()->isBusy(), MapTimeoutMs);
  QVERIFY2(maps.size() >= 2, qPrintable(QString::number(maps.size())));
  QVERIFY(std::is_sorted(steps.begin(), steps.end()));  // never back to an older snapshot
  QVERIFY(steps.back() > steps.front());
  QVERIFY((maps.back() - maps.front()).cwiseAbs().maxCoeff() > 1e-3f);  // the points moved
  // The last map is the final model's.
  QCOMPARE(m_explorer->currentMap()->request.snapshot, session.latestSnapshot());
}

void tst_LatentExplorer::decodedSequencesAreDrawnAsCurves() {
  // A 16-step, 2-feature sequence (time-major): one curve per feature in the class colours.
  Matrix values(32, 1);
  for (int t = 0; t < 16; ++t)
    values(2 * t, 0) = std::sin(t * 0.4f), values(2 * t + 1, 0) = 0.1f * t;
  const QImage curve = decoderimage::toImage(values, 0, latent::Shape::sequence(16, 2));
  QCOMPARE(curve.size(), QSize(decoderimage::PlotWidth, decoderimage::PlotHeight));
  // Count the pixels nearer to each feature's colour than to the other's and to white.
  const auto distance = [](QRgb a, QRgb b) {
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) +
           std::abs(qBlue(a) - qBlue(b));
  };
  const QRgb colours[] = {latentpalette::classColour(0).rgb(), latentpalette::classColour(1).rgb(),
                          qRgb(255, 255, 255)};
  int nearest[3] = {0, 0, 0};
  for (int y = 0; y < curve.height(); ++y)
    for (int x = 0; x < curve.width(); ++x) {
      const QRgb p = curve.pixel(x, y);
      int best = 0;
      for (int k = 1; k < 3; ++k)
        if (distance(p, colours[k]) < distance(p, colours[best])) best = k;
      ++nearest[best];
    }
  QVERIFY2(nearest[0] > 20 && nearest[1] > 20,
           qPrintable(QStringLiteral("%1 / %2 curve pixels").arg(nearest[0]).arg(nearest[1])));
}

void tst_LatentExplorer::staleEncodingResultsAreDropped() {
  LatentEncoder encoder;
  QSignalSpy ready(&encoder, &LatentEncoder::ready);
  QSignalSpy dropped(&encoder, &LatentEncoder::dropped);
  // A job for the whole data set, then (while it runs) the validation part: the first result
  // belongs to data the map no longer shows and is dropped.
  encoder.request({m_ae2, m_data.all, {}});
  QVERIFY(encoder.isBusy());
  encoder.request({m_ae2, m_data.validation, {}});
  QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1 && !encoder.isBusy(), MapTimeoutMs);
  QCOMPARE(dropped.count(), 1);
  const auto map = ready.at(0).at(0).value<std::shared_ptr<const LatentMap>>();
  QCOMPARE(map->request.data, m_data.validation);
  QCOMPARE(map->points.cols(), m_data.validation->count());
  // invalidate() (new data, new run) drops what is in flight.
  encoder.request({m_vae8, m_data.all, {}});
  QVERIFY(encoder.isBusy());
  encoder.invalidate();
  QTRY_VERIFY_WITH_TIMEOUT(!encoder.isBusy(), MapTimeoutMs);
  QCOMPARE(ready.count(), 1);
  QCOMPARE(dropped.count(), 2);
}

void tst_LatentExplorer::newerSnapshotsReplaceWaitingOnes() {
  LatentEncoder encoder;
  QSignalSpy ready(&encoder, &LatentEncoder::ready);
  QSignalSpy dropped(&encoder, &LatentEncoder::dropped);
  // Three snapshots while the first encodes: the second never runs (latest wins, no queue).
  encoder.request({m_ae2, m_data.validation, {}});
  encoder.request({m_vae2, m_data.validation, {}});
  encoder.request({m_vae8, m_data.validation, {}});
  QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 2 && !encoder.isBusy(), MapTimeoutMs);
  QCOMPARE(dropped.count(), 0);
  const auto first = ready.at(0).at(0).value<std::shared_ptr<const LatentMap>>();
  const auto last = ready.at(1).at(0).value<std::shared_ptr<const LatentMap>>();
  QCOMPARE(first->request.snapshot, m_ae2);
  QCOMPARE(last->request.snapshot, m_vae8);
  QVERIFY(last->id > first->id);
}

QTEST_MAIN(tst_LatentExplorer)
#include "tst_latentexplorer.moc"
