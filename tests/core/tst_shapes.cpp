// Tests for the built-in Shapes dataset: layout, value range, balanced labels, determinism from
// the seed, distinct classes, and generation speed.
#include <QElapsedTimer>
#include <QtTest>

#include "data/shapes.h"

class tst_Shapes : public QObject {
  Q_OBJECT

 private slots:
  void hasTheDocumentedLayout();
  void valuesStayInUnitRangeWithInkInEveryImage();
  void classesAreBalanced();
  void sameSeedGivesSameImagesOtherSeedDiffers();
  void classesLookDifferentOnAverage();
  void tenThousandImagesInUnderASecond();
};

void tst_Shapes::hasTheDocumentedLayout() {
  const latent::Dataset d = latent::makeShapesDataset(10, 1);
  QCOMPARE(d.name, std::string("Shapes (built-in)"));
  QVERIFY(d.shape == latent::Shape::image(1, 28, 28));
  QCOMPARE(d.features(), 784);
  QCOMPARE(d.count(), 10);
  QCOMPARE(d.classNames, (std::vector<std::string>{"circle", "square", "triangle", "cross"}));
  QVERIFY(d.normalisation.kind == latent::Normalisation::Kind::Range01);
  d.validate();
  QCOMPARE(latent::makeShapesDataset(0, 1).count(), 0);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeShapesDataset(-1, 1));
}

void tst_Shapes::valuesStayInUnitRangeWithInkInEveryImage() {
  const latent::Dataset d = latent::makeShapesDataset(400, 7);
  QVERIFY(d.samples.minCoeff() >= 0.0f);
  QVERIFY(d.samples.maxCoeff() <= 1.0f);
  for (int i = 0; i < d.count(); ++i) {
    const float ink = d.samples.col(i).sum();
    QVERIFY2(ink > 20 && ink < 300, qPrintable(QString("image %1 has ink %2").arg(i).arg(ink)));
    // The border rows and columns stay empty: every shape is fully inside the image.
    for (int k = 0; k < 28; ++k) {
      QCOMPARE(d.samples(k, i), 0.0f);            // top row
      QCOMPARE(d.samples(27 * 28 + k, i), 0.0f);  // bottom row
      QCOMPARE(d.samples(k * 28, i), 0.0f);       // left column
      QCOMPARE(d.samples(k * 28 + 27, i), 0.0f);  // right column
    }
  }
}

void tst_Shapes::classesAreBalanced() {
  const latent::Dataset d = latent::makeShapesDataset(1001, 3);
  std::vector<int> counts(4);
  for (int l : d.labels) ++counts.at(l);
  QCOMPARE(counts, (std::vector<int>{251, 250, 250, 250}));
}

void tst_Shapes::sameSeedGivesSameImagesOtherSeedDiffers() {
  const latent::Dataset a = latent::makeShapesDataset(50, 11),
                        b = latent::makeShapesDataset(50, 11);
  const latent::Dataset c = latent::makeShapesDataset(50, 12);
  QVERIFY(a.samples == b.samples);
  QVERIFY(a.labels == b.labels);
  QVERIFY(a.samples != c.samples);
  // Image i does not depend on how many images were asked for.
  QVERIFY(latent::makeShapesDataset(20, 11).samples == a.samples.leftCols(20));
}

void tst_Shapes::classesLookDifferentOnAverage() {
  // A nearest-class-mean classifier fitted on one seed does clearly better than chance (25%) on
  // another: the classes differ in the pixels, not just in their labels.
  const latent::Dataset fit = latent::makeShapesDataset(4000, 5),
                        test = latent::makeShapesDataset(1000, 6);
  std::vector<latent::Vector> mean(4, latent::Vector::Zero(784));
  for (int i = 0; i < fit.count(); ++i) mean[fit.labels[i]] += fit.samples.col(i) / 1000.0f;
  int correct = 0;
  for (int i = 0; i < test.count(); ++i) {
    int best = 0;
    for (int c = 1; c < 4; ++c)
      if ((test.samples.col(i) - mean[c]).squaredNorm() <
          (test.samples.col(i) - mean[best]).squaredNorm())
        best = c;
    correct += best == test.labels[i];
  }
  qInfo("nearest class mean: %d / %d correct", correct, test.count());
  QVERIFY(correct > 350);
}

void tst_Shapes::tenThousandImagesInUnderASecond() {
  QElapsedTimer clock;
  clock.start();
  const latent::Dataset d = latent::makeShapesDataset(10000, 1);
  const qint64 ms = clock.elapsed();
  qInfo("10,000 shapes in %lld ms", ms);
  QCOMPARE(d.count(), 10000);
  QVERIFY(ms < 1000);
}

QTEST_APPLESS_MAIN(tst_Shapes)
#include "tst_shapes.moc"
