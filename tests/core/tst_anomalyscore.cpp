// Anomaly scores from reconstruction error: every score equals a slow, direct computation of its
// definition from Model::reconstruct on odd-sized two-channel images (the neighbours score leaves
// a sample out of its own neighbours); bad requests (no reference,
// not an image, a window or k that does not fit, an unknown name) give clear errors; the normal
// reference is the training part of the app's split, in the normal classes (the validation part
// for the class models' score).
#include <QtTest>
#include <algorithm>
#include <limits>
#include <numeric>

#include "analysis/anomalyscore.h"
#include "analysis/classmodels.h"
#include "models/model.h"
#include "testutil.h"

using namespace latent;

namespace {

const Shape Image = Shape::image(2, 6, 5);  // not square: a swapped height and width shows

struct Fixture {
  std::unique_ptr<Model> model;
  Matrix data, reference;
  std::shared_ptr<const ClassModels> classes;  // three untrained "class" models
};

Fixture fixture() {
  ModelSpec spec;
  spec.hidden = {8};
  spec.latent = 3;
  Rng rng(11);
  Fixture f{std::make_unique<Model>(spec, Image, rng), {}, {}, {}};
  f.data = testutil::uniformMatrix(Image.size(), 40, rng);
  f.reference = testutil::uniformMatrix(Image.size(), 30, rng);
  auto classes = std::make_shared<ClassModels>();
  for (int c = 0; c < 3; ++c) {
    classes->classes.push_back(c);
    classes->models.push_back(std::make_shared<const Model>(spec, Image, rng));
    classes->epochs.push_back(1);
  }
  f.classes = std::move(classes);
  return f;
}

double meanSquare(const Matrix& diff, Eigen::Index i) {
  double sum = 0;
  for (Eigen::Index r = 0; r < diff.rows(); ++r) sum += double(diff(r, i)) * diff(r, i);
  return sum / double(diff.rows());
}

/// Every w×w patch mean of `map` (channel planes of H×W, row by row).
std::vector<double> patchMeansByLoops(const float* map, int w) {
  const int C = Image.dims[0], H = Image.dims[1], W = Image.dims[2];
  std::vector<double> out;
  for (int c = 0; c < C; ++c)
    for (int y = 0; y + w <= H; ++y)
      for (int x = 0; x + w <= W; ++x) {
        double sum = 0;
        for (int dy = 0; dy < w; ++dy)
          for (int dx = 0; dx < w; ++dx) sum += map[c * H * W + (y + dy) * W + x + dx];
        out.push_back(sum / (w * w));
      }
  return out;
}

/// Per column: the lowest MSE any of the class models gives it.
std::vector<double> lowestClassErrors(const ClassModels& classes, const Matrix& x) {
  std::vector<double> out(x.cols(), std::numeric_limits<double>::infinity());
  for (const auto& model : classes.models) {
    const Matrix diff = model->reconstruct(x) - x;
    for (Eigen::Index i = 0; i < x.cols(); ++i) out[i] = std::min(out[i], meanSquare(diff, i));
  }
  return out;
}

std::vector<double> byDefinition(const Fixture& f, AnomalyScore score, int window, int k) {
  const Matrix recon = f.model->reconstruct(f.data), diff = recon - f.data;
  const Matrix refDiff = f.model->reconstruct(f.reference) - f.reference;
  std::vector<double> errors(f.data.cols()), refErrors(f.reference.cols());
  for (Eigen::Index i = 0; i < f.data.cols(); ++i) errors[i] = meanSquare(diff, i);
  for (Eigen::Index r = 0; r < f.reference.cols(); ++r) refErrors[r] = meanSquare(refDiff, r);
  if (score == AnomalyScore::Classes) {
    errors = lowestClassErrors(*f.classes, f.data);
    refErrors = lowestClassErrors(*f.classes, f.reference);
  }
  std::vector<double> out(f.data.cols());
  for (Eigen::Index i = 0; i < f.data.cols(); ++i) {
    const Vector d = diff.col(i), squared = d.array().square();
    switch (score) {
      case AnomalyScore::Mse:
        out[i] = meanSquare(diff, i);
        break;
      case AnomalyScore::Bce: {
        double sum = 0;
        for (Eigen::Index r = 0; r < diff.rows(); ++r) {
          const double x = f.data(r, i), p = recon(r, i);
          sum -= x * std::log(p) + (1 - x) * std::log(1 - p);
        }
        out[i] = sum / double(diff.rows());
        break;
      }
      case AnomalyScore::Blurred: {
        const std::vector<double> blurred = patchMeansByLoops(d.data(), window);
        double sum = 0;
        for (double v : blurred) sum += v * v;
        out[i] = sum / double(blurred.size());
        break;
      }
      case AnomalyScore::LocalMax: {
        const std::vector<double> patches = patchMeansByLoops(squared.data(), window);
        out[i] = *std::max_element(patches.begin(), patches.end());
        break;
      }
      case AnomalyScore::PixelZ: {
        double sum = 0, meanOfPixels = 0;
        std::vector<double> perPixel(diff.rows());
        for (Eigen::Index r = 0; r < diff.rows(); ++r) {
          for (Eigen::Index j = 0; j < refDiff.cols(); ++j)
            perPixel[r] += double(refDiff(r, j)) * refDiff(r, j) / double(refDiff.cols());
          meanOfPixels += perPixel[r] / double(diff.rows());
        }
        for (Eigen::Index r = 0; r < diff.rows(); ++r)
          sum += squared(r) / std::max(perPixel[r], 1e-2 * meanOfPixels + 1e-12);
        out[i] = sum / double(diff.rows());
        break;
      }
      case AnomalyScore::Neighbours:
      case AnomalyScore::Classes: {
        // Nearest in the input space, the sample itself (distance 0) left out.
        const auto distance = [&](int r) {
          return (f.reference.col(r).cast<double>() - f.data.col(i).cast<double>()).squaredNorm();
        };
        std::vector<int> order;
        for (int r = 0; r < f.reference.cols(); ++r)
          if (distance(r) > 0) order.push_back(r);
        std::sort(order.begin(), order.end(),
                  [&](int a, int b) { return distance(a) < distance(b); });
        double typical = 0;
        for (int j = 0; j < k; ++j) typical += refErrors[order[j]] / k;
        out[i] = errors[i] / typical;
        break;
      }
    }
  }
  return out;
}

}  // namespace

class tst_AnomalyScore : public QObject {
  Q_OBJECT

 private slots:
  void scoresMatchTheirDefinitions_data();
  void scoresMatchTheirDefinitions();
  void namesRoundTrip();
  void badRequestsGiveClearErrors();
  void referencesAreTheNormalClassesOfTheSplit();
  void classModelsTakeTheSharedModelsSteps();
};

void tst_AnomalyScore::scoresMatchTheirDefinitions_data() {
  QTest::addColumn<int>("score");
  QTest::addColumn<int>("window");
  QTest::addColumn<int>("neighbours");
  QTest::addColumn<bool>("scoreReference");
  for (AnomalyScore s : allAnomalyScores()) {
    const QByteArray name = QByteArray::fromStdString(toString(s));
    QTest::newRow(name) << int(s) << 3 << 4 << false;
    if (needsImage(s)) {
      QTest::newRow(name + " window 1") << int(s) << 1 << 4 << false;
      QTest::newRow(name + " window 5") << int(s) << 5 << 4 << false;
    }
    if (s == AnomalyScore::Neighbours || s == AnomalyScore::Classes) {
      QTest::newRow(name + " k 1") << int(s) << 3 << 1 << false;
      QTest::newRow(name + " of the reference itself") << int(s) << 3 << 4 << true;
    }
  }
}

void tst_AnomalyScore::scoresMatchTheirDefinitions() {
  QFETCH(int, score);
  QFETCH(int, window);
  QFETCH(int, neighbours);
  QFETCH(bool, scoreReference);
  Fixture f = fixture();
  if (scoreReference) f.data = f.reference;
  AnomalyScoreOptions options;
  options.score = AnomalyScore(score);
  options.window = window;
  options.neighbours = neighbours;
  options.classModels = f.classes;
  const std::vector<double> got = anomalyScores(
      *f.model, Image, f.data, options, needsReference(options.score) ? f.reference : Matrix());
  const std::vector<double> want = byDefinition(f, options.score, window, neighbours);
  QCOMPARE(got.size(), want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i)
    worst = std::max(worst, std::abs(got[i] - want[i]) / std::max(1e-12, std::abs(want[i])));
  qInfo("largest relative difference: %.3g", worst);
  QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
  // Not a constant: the scores rank the samples.
  QVERIFY(*std::max_element(got.begin(), got.end()) >
          1.01 * *std::min_element(got.begin(), got.end()));
}

void tst_AnomalyScore::namesRoundTrip() {
  for (AnomalyScore s : allAnomalyScores()) QVERIFY(anomalyScoreFromString(toString(s)) == s);
  QCOMPARE(int(allAnomalyScores().size()), 7);
}

void tst_AnomalyScore::badRequestsGiveClearErrors() {
  const Fixture f = fixture();
  const auto message = [&](AnomalyScoreOptions o, const Shape& shape, const Matrix& reference) {
    try {
      anomalyScores(*f.model, shape, f.data, o, reference);
    } catch (const Error& e) {
      return QString::fromStdString(e.what());
    }
    return QString();
  };
  AnomalyScoreOptions o;
  o.score = AnomalyScore::Neighbours;
  QVERIFY(message(o, Image, {}).contains("needs normal reference samples"));
  o.neighbours = 31;
  QVERIFY(message(o, Image, f.reference).contains("k = 31 must be between 1 and the 30"));
  o.score = AnomalyScore::Classes;
  o.neighbours = 4;
  QVERIFY(message(o, Image, f.reference).contains("needs models trained per normal class"));
  auto wrongSize = std::make_shared<ClassModels>(*f.classes);
  Rng rng(3);
  wrongSize->models.push_back(std::make_shared<const Model>(f.model->spec(), 7, rng));
  o.classModels = wrongSize;
  QVERIFY(message(o, Image, f.reference).contains("the class models take 7 inputs, the model 60"));
  o.score = AnomalyScore::PixelZ;
  QVERIFY(message(o, Image, f.reference.topRows(10)).contains("differ in size"));
  o.score = AnomalyScore::LocalMax;
  QVERIFY(message(o, Shape::tabular(Image.size()), {}).contains("needs images, not 60 features"));
  o.window = 6;  // the image is 5 wide
  QVERIFY(message(o, Image, {}).contains("the window 6 must be between 1 and 5 pixels"));
  o.score = AnomalyScore::Mse;
  QVERIFY(message(o, Shape::image(1, 6, 5), {}).contains("does not fit the model"));
  QVERIFY(message(o, Image, {}).isEmpty());
  try {
    anomalyScoreFromString("psnr");
    QFAIL("no error");
  } catch (const Error& e) {
    QVERIFY(QString(e.what()).contains("unknown anomaly score 'psnr'"));
  }
}

void tst_AnomalyScore::referencesAreTheNormalClassesOfTheSplit() {
  Dataset data;
  data.shape = Shape::tabular(2);
  data.samples = Matrix(2, 40);
  for (int i = 0; i < 40; ++i) {
    data.samples.col(i) << float(i), float(-i);
    data.labels.push_back(i % 4);
  }
  data.classNames = {"a", "b", "c", "d"};
  TrainingSpec training;
  training.seed = 9;
  training.validationFraction = 0.25f;
  const Split split = splitIndices(40, 0.25, 9, data.labels);
  const Matrix reference = trainingReference(data, training, {0, 2});
  std::vector<int> expected;
  for (int i : split.train)
    if (data.labels[i] % 2 == 0) expected.push_back(i);
  QCOMPARE(reference.cols(), Eigen::Index(expected.size()));
  QVERIFY(!expected.empty());
  for (size_t j = 0; j < expected.size(); ++j)
    QCOMPARE(reference(0, Eigen::Index(j)), float(expected[j]));
  QCOMPARE(trainingReference(data, training).cols(), Eigen::Index(split.train.size()));
  QCOMPARE(scoreReference(AnomalyScore::Neighbours, data, training, {0, 2}), reference);

  // The class models' score compares with the validation part, which no class model saw.
  const Matrix unseen = scoreReference(AnomalyScore::Classes, data, training, {0, 2});
  expected.clear();
  for (int i : split.validation)
    if (data.labels[i] % 2 == 0) expected.push_back(i);
  QCOMPARE(unseen.cols(), Eigen::Index(expected.size()));
  QVERIFY(!expected.empty());
  for (size_t j = 0; j < expected.size(); ++j)
    QCOMPARE(unseen(0, Eigen::Index(j)), float(expected[j]));
  training.validationFraction = 0;  // nothing held out: the training part stands in
  QCOMPARE(scoreReference(AnomalyScore::Classes, data, training, {0, 2}),
           trainingReference(data, training, {0, 2}));
}

void tst_AnomalyScore::classModelsTakeTheSharedModelsSteps() {
  // 10 epochs of 7,000 samples in batches of 128: 550 steps.
  QCOMPARE(classModelEpochs(10, 7000, 700, 128), 92);  // 6 batches an epoch: 552 steps
  QCOMPARE(classModelEpochs(10, 7000, 7000, 128), 10);
  QCOMPARE(classModelEpochs(10, 7000, 1, 128), 550);  // smaller than a batch: a step an epoch
  QCOMPARE(classModelEpochs(3, 100, 50, 128), 3);     // everything in one batch
}

QTEST_APPLESS_MAIN(tst_AnomalyScore)
#include "tst_anomalyscore.moc"
