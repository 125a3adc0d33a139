// Tests for the built-in Signals dataset: layout, evenly spread labelled anomalies that are the
// only difference from the clean window, per-channel standardisation, determinism from the seed,
// and argument checks.
#include <QtTest>
#include <cmath>

#include "data/signals.h"

using latent::SignalsOptions;

class tst_Signals : public QObject {
  Q_OBJECT

 private slots:
  void hasTheDocumentedLayout();
  void anomaliesAreEvenlySpreadAndCounted_data();
  void anomaliesAreEvenlySpreadAndCounted();
  void anomalyIsTheOnlyDifferenceFromTheCleanWindow();
  void cleanWindowsAreSmoothAndBounded();
  void channelsAreStandardisedAndTheScaleRecorded();
  void sameSeedSameWindowsWhateverTheCount();
  void rejectsBadArguments();
};

void tst_Signals::hasTheDocumentedLayout() {
  const latent::Dataset d = latent::makeSignalsDataset(20, 1);
  QCOMPARE(d.name, std::string("Signals (built-in)"));
  QCOMPARE(d.shape, latent::Shape::sequence(64, 3));
  QCOMPARE(d.features(), 192);
  QCOMPARE(d.count(), 20);
  QCOMPARE(d.classNames, (std::vector<std::string>{"normal", "anomalous"}));
  QCOMPARE(d.normalisation.kind, latent::Normalisation::Kind::Standardise);
  QCOMPARE(latent::makeSignalsDataset(2, 1, {.standardise = false}).normalisation.kind,
           latent::Normalisation::Kind::None);
  d.validate();
  const latent::Dataset w = latent::makeSignalsDataset(3, 1, {.length = 10, .channels = 5});
  QCOMPARE(w.shape, latent::Shape::sequence(10, 5));
  QCOMPARE(latent::makeSignalsDataset(0, 1).count(), 0);
}

void tst_Signals::anomaliesAreEvenlySpreadAndCounted_data() {
  QTest::addColumn<int>("count");
  QTest::addColumn<float>("fraction");
  QTest::newRow("default 10%") << 1000 << 0.1f;
  QTest::newRow("a third") << 99 << 1.0f / 3;
  QTest::newRow("none") << 50 << 0.0f;
  QTest::newRow("all") << 17 << 1.0f;
}

void tst_Signals::anomaliesAreEvenlySpreadAndCounted() {
  QFETCH(int, count);
  QFETCH(float, fraction);
  const latent::Dataset d =
      latent::makeSignalsDataset(count, 5, {.length = 8, .anomalyFraction = fraction});
  int anomalous = 0, longestNormalRun = 0, run = 0;
  for (int l : d.labels) {
    QVERIFY(l == 0 || l == 1);
    anomalous += l;
    run = l ? 0 : run + 1;
    longestNormalRun = std::max(longestNormalRun, run);
  }
  QCOMPARE(anomalous, int(std::floor(count * double(fraction))));
  if (fraction > 0) QVERIFY(longestNormalRun <= int(std::ceil(1 / fraction)));
}

void tst_Signals::anomalyIsTheOnlyDifferenceFromTheCleanWindow() {
  // In the generated units, where the anomaly sizes are documented.
  const SignalsOptions withAnomalies{.anomalyFraction = 0.5f, .standardise = false};
  const latent::Dataset a = latent::makeSignalsDataset(200, 9, withAnomalies);
  const latent::Dataset clean =
      latent::makeSignalsDataset(200, 9, {.anomalyFraction = 0.0f, .standardise = false});
  int changedChannelsTotal = 0;
  for (int i = 0; i < a.count(); ++i) {
    const latent::Vector diff = a.samples.col(i) - clean.samples.col(i);
    if (a.labels[i] == 0) {
      QCOMPARE(diff.cwiseAbs().maxCoeff(), 0.0f);
      continue;
    }
    // One channel changed, never before the middle half (a square wave's frequency change shows
    // only at its next edge, so the first changed step can come later).
    int changedChannels = 0, firstStep = 64;
    for (int c = 0; c < 3; ++c) {
      bool changed = false;
      for (int t = 0; t < 64; ++t)
        if (std::abs(diff(t * 3 + c)) > 1e-6f) changed = true, firstStep = std::min(firstStep, t);
      changedChannels += changed;
    }
    QCOMPARE(changedChannels, 1);
    QVERIFY2(firstStep >= 16, qPrintable(QString::number(firstStep)));
    // Large enough to see: at least 0.4 somewhere (level shifts and spikes are ≥ 0.4, and a
    // faster wave moves away from the clean one within a few steps).
    QVERIFY2(diff.cwiseAbs().maxCoeff() > 0.4f, qPrintable(QString::number(i)));
    changedChannelsTotal += changedChannels;
  }
  QCOMPARE(changedChannelsTotal, 100);
}

void tst_Signals::cleanWindowsAreSmoothAndBounded() {
  const latent::Dataset d = latent::makeSignalsDataset(
      100, 3, {.anomalyFraction = 0.3f, .noise = 0.0f, .standardise = false});
  QVERIFY(d.samples.allFinite());
  QVERIFY(d.samples.cwiseAbs().maxCoeff() < 4.5f);
  for (int i = 0; i < d.count(); ++i) {
    if (d.labels[i]) continue;
    // Sine channel without noise: consecutive steps differ by at most 2π·amplitude·frequency.
    for (int t = 1; t < 64; ++t)
      QVERIFY(std::abs(d.samples(t * 3, i) - d.samples((t - 1) * 3, i)) < 2 * 3.1416f * 4 / 64);
  }
  // With noise the same windows differ, by about the noise level.
  const latent::Dataset noisy =
      latent::makeSignalsDataset(100, 3, {.anomalyFraction = 0.3f, .standardise = false});
  const double rms = std::sqrt((noisy.samples - d.samples).squaredNorm() / d.samples.size());
  QVERIFY2(rms > 0.04 && rms < 0.06, qPrintable(QString::number(rms)));
}

void tst_Signals::channelsAreStandardisedAndTheScaleRecorded() {
  // The recorded scale maps the stored values back to the generated ones exactly.
  const latent::Dataset raw = latent::makeSignalsDataset(50, 7, {.standardise = false});
  const latent::Dataset d = latent::makeSignalsDataset(50, 7);
  QCOMPARE(d.normalisation.scale.size(), size_t(d.features()));
  QCOMPARE(d.normalisation.offset, std::vector<float>(size_t(d.features()), 0.0f));
  for (Eigen::Index row = 0; row < d.samples.rows(); ++row) {
    QCOMPARE(d.normalisation.scale[size_t(row)], d.normalisation.scale[size_t(row % 3)]);
    const latent::Matrix back = d.samples.row(row) * d.normalisation.scale[size_t(row)];
    QVERIFY((back - raw.samples.row(row)).cwiseAbs().maxCoeff() < 1e-5f);
  }
  // The analytic deviations match the data: each channel's mean square over many normal windows
  // is 1 (within sampling error), whatever the wave.
  const latent::Dataset many = latent::makeSignalsDataset(4000, 8, {.anomalyFraction = 0.0f});
  for (int c = 0; c < 3; ++c) {
    double sum = 0, sumSquares = 0;
    for (Eigen::Index i = 0; i < many.count(); ++i)
      for (int t = 0; t < 64; ++t) {
        const double v = many.samples(t * 3 + c, i);
        sum += v, sumSquares += v * v;
      }
    const double n = 64.0 * many.count(), mean = sum / n, variance = sumSquares / n - mean * mean;
    QVERIFY2(
        std::abs(mean) < 0.02 && std::abs(variance - 1) < 0.03,
        qPrintable(QString("channel %1: mean %2, variance %3").arg(c).arg(mean).arg(variance)));
  }
}

void tst_Signals::sameSeedSameWindowsWhateverTheCount() {
  const latent::Dataset a = latent::makeSignalsDataset(30, 11),
                        b = latent::makeSignalsDataset(30, 11);
  QCOMPARE(a.samples, b.samples);
  QCOMPARE(a.labels, b.labels);
  QVERIFY(a.samples != latent::makeSignalsDataset(30, 12).samples);
  const latent::Dataset longer = latent::makeSignalsDataset(60, 11);
  QCOMPARE(latent::Matrix(longer.samples.leftCols(30)), a.samples);
}

void tst_Signals::rejectsBadArguments() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeSignalsDataset(-1, 1));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeSignalsDataset(1, 1, {.length = 1}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeSignalsDataset(1, 1, {.channels = 0}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeSignalsDataset(1, 1, {.anomalyFraction = 1.5f}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeSignalsDataset(1, 1, {.noise = -1.0f}));
}

QTEST_APPLESS_MAIN(tst_Signals)
#include "tst_signals.moc"
