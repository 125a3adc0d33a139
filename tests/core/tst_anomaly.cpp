// Anomaly detection on real digits: a dense AE trained on 0–8 only (as `latentlab-cli train
// --normal 0,…,8` trains it: the training part of the split, normal classes only) ranks the
// held-out 9s of the t10k file above the normal digits, and `latentlab-cli anomalies` reports the
// same AUC from the saved model, for the default score and for plain MSE. Dense AEs trained per
// normal class (`--score classes`) reach the 0.80. Skipped without the MNIST subset.
//
// One shared model does not reach AUC 0.80; the best setting found gives 0.77 (table below). One
// model per normal class does, with the same settings: 256-8 for 10 epochs (each class model as
// many steps), score = lowest class-model MSE over that of the 8 nearest normal validation
// samples: 0.836 / 0.836 / 0.808 / 0.819 for seeds 5–8 (73–102 epochs per class), where the
// shared 256-8 model's default score gives 0.663 / 0.678 / 0.697 / 0.688. With 512-128-16 for 20
// epochs (CLI, clang build, 146–204 epochs per class): 0.855 / 0.831 / 0.801 for seeds 5–7, where
// the shared model gives 0.774 / 0.741 / 0.760. The reference must be samples the class models did
// not train on: with the training part, 181 epochs per class memorise it and the AUC drops to
// 0.735 (64 epochs: 0.85). Taking the lowest error alone, without neighbours: 0.78–0.82.
// ROC AUC for "is a 9" on t10k (2,000 samples, 196 nines), seed 5 unless noted, BCE loss, 20
// epochs, 2 threads; "mse" is the per-value MSE score, "nbr" the default `neighbours` score (MSE
// over the mean MSE of the 8 nearest normal training samples in pixel space):
//   256-16:                mse 0.615  nbr 0.745 (seeds 6, 7: 0.759, 0.699; 10 epochs 0.751)
//   256-2 / -4 / -8:       mse 0.449 / 0.473 / 0.572   nbr (code space, k 20) 0.389 / 0.569 / 0.652
//   256-12 / -24:          mse 0.622 / 0.566   nbr 0.758 / 0.670
//   256-32:                mse 0.546  nbr (code space, k 20) 0.655
//   128-16:                mse 0.593  nbr 0.742
//   512-128-16 (this test): mse 0.627  nbr 0.770 (seeds 6, 7: 0.742, 0.772; 10 epochs 0.734)
//   512-128-12 / -24:      mse 0.576 / 0.611   nbr 0.690 / 0.711
//   MSE loss 512-128-16:   mse 0.608  nbr 0.653
//   MSE loss 256-16 / -8:  mse 0.593 / 0.573   nbr (k 20) 0.704 / (code space, k 20) 0.634
//   masking noise 0.3:     mse 0.647  nbr 0.791 (seeds 6, 7: 0.712, 0.700); 0.2: 0.762
//   masking noise 0.5:     nbr 0.749; gaussian 0.5: 0.749; salt-and-pepper 0.1: 0.707
//   mask 0.2, 512-128-16:  nbr 0.739 (seed 6: 0.714)
//   dropout 0.2:           nbr 0.739;  tied weights: mse 0.562  nbr 0.650
//   session 6 (clang build, CLI): VAE 512-128-16 mse 0.577  bce 0.512  nbr 0.760; conv AE 16,32
//   → 16 (not dense) mse 0.613  nbr 0.725; 1024-256-16 nbr 0.736; 512-128-16 for 60 epochs 0.745;
//   512-128-32 0.716
// Other scores of the 256-16 model: bce 0.547, 3×3-blurred MSE 0.605 (5×5 0.592), worst 3×3 /
// 5×5 / 7×7 patch 0.613 / 0.639 / 0.659, per-pixel normalised 0.582; neighbours found in code
// space instead of pixel space 0.715 (k 1/3/8/20/50: 0.645/0.679/0.707/0.715/0.719), in pixel
// space with k 1/3/5/8/20/50: 0.686/0.728/0.749/0.745/0.739/0.728; in code space with k 20,
// neighbour-relative worst 7×7 patch 0.709, blurred 0.718, bce 0.715, z-scored 0.703, difference
// 0.706, per-pixel 0.649. Without an AE, the mean distance to the k nearest normal training
// digits scores 0.682 (k 1) / 0.616 (k 8): the lift is not the neighbours alone.
// Seeds move the AUC by up to ±0.05, so the 0.79 of one masking seed is luck, not a setting. The 9s
// reconstruct about as well as the 4s and 7s they resemble; judging each sample against the normal
// samples that look like it is what lifts 0.62 to 0.77. This test holds 0.74 (the lowest seed of
// the setting, not the chosen one) and a lift of 0.08 over MSE; about 35 s on a loaded 2-core box.
#include <QtTest>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/anomalyscore.h"
#include "analysis/classmodels.h"
#include "analysis/ranking.h"
#include "data/classfilter.h"
#include "io/idx.h"
#include "persist/modelfile.h"
#include "testutil.h"
#include "train/trainer.h"

using namespace latent;

namespace {

constexpr int HeldOut = 9;
const std::vector<int> Normal{0, 1, 2, 3, 4, 5, 6, 7, 8};

std::vector<bool> isClass(const Dataset& data, int label) {
  std::vector<bool> out(data.labels.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = data.labels[i] == label;
  return out;
}

/// `latentlab-cli anomalies` on the test file; its JSON report.
nlohmann::json cliReport(const QString& model, const std::string& data, const QStringList& extra) {
  QProcess cli;
  cli.start(LATENT_CLI,
            QStringList{"anomalies", "--model", model, "--data", QString::fromStdString(data),
                        "--normal", "0,1,2,3,4,5,6,7,8", "--fpr", "0.1", "--json"} +
                extra);
  if (!cli.waitForFinished(120000) || cli.exitCode() != 0)
    return {{"error", cli.readAllStandardError().toStdString()}};
  return nlohmann::json::parse(cli.readAllStandardOutput().trimmed().toStdString());
}

/// A dense BCE model trained on the normal digits only, as `latentlab-cli train --hidden H --latent
/// L --loss bce --epochs E --seed 5 --threads 2 --normal 0,…,8` trains it (training and validation
/// parts both kept to 0–8).
std::unique_ptr<Trainer> trainOnNormal(const Dataset& train, std::vector<int> hidden, int latent,
                                       int epochs) {
  ModelSpec spec;
  spec.hidden = std::move(hidden);
  spec.latent = latent;
  spec.loss = LossKind::Bce;
  spec.training.epochs = epochs;
  spec.training.seed = 5;
  spec.training.threads = 2;
  const Split split = splitIndices(train.count(), spec.training.validationFraction,
                                   spec.training.seed, train.labels);
  auto trainer = std::make_unique<Trainer>(
      spec, std::make_shared<const Dataset>(train.subset(keepClasses(train, split.train, Normal))),
      std::make_shared<const Dataset>(train.subset(keepClasses(train, split.validation, Normal))));
  trainer->run();
  return trainer;
}

/// `latentlab-cli anomalies --scores` wrote one row per sample: its number, label, score, flag.
void checkScoresCsv(const QString& path, const std::vector<double>& scores,
                    const std::vector<int>& labels, long long flagged) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), int(scores.size()) + 1);
  long long counted = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const QStringList f = lines[int(i) + 1].split(',');
    QCOMPARE(f[0].toInt(), int(i));
    QCOMPARE(f[1].toInt(), labels[i]);
    QVERIFY2(std::abs(f[2].toDouble() - scores[i]) <= 1e-8 * scores[i],
             qPrintable(lines[int(i) + 1] + " vs " + QString::number(scores[i], 'g', 12)));
    counted += f[3].toInt();
  }
  QCOMPARE(counted, flagged);
}

}  // namespace

class TestAnomaly : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void heldOutDigitIsFlaggedAndTheCliAgrees();
  void classModelsFlagTheHeldOutDigit();

 private:
  /// Saves the model with the training file's name, where the CLI finds the normal reference.
  QString saveForCli(const Model& model);

  const std::string m_trainPath = std::string(LATENT_SAMPLE_DATA) + "/train-images-idx3-ubyte.gz";
  const std::string m_testPath = std::string(LATENT_SAMPLE_DATA) + "/t10k-images-idx3-ubyte.gz";
  Dataset m_train, m_test;
  QTemporaryDir m_tmp;
};

void TestAnomaly::initTestCase() {
  if (!std::filesystem::exists(m_testPath)) QSKIP("data/mnist10k not present");
  m_train = loadIdx(m_trainPath);
  m_test = loadIdx(m_testPath);
}

QString TestAnomaly::saveForCli(const Model& model) {
  const QString path = m_tmp.filePath("normal.safetensors");
  saveModelFile(path.toStdString(), model,
                {m_train.shape, m_train.normalisation, m_train.classNames, m_trainPath, {}, {}});
  return path;
}

void TestAnomaly::heldOutDigitIsFlaggedAndTheCliAgrees() {
  const Dataset& train = m_train;
  const Dataset& test = m_test;
  const auto trainer = trainOnNormal(train, {512, 128}, 16, 20);
  QCOMPARE(testutil::stateName(trainer->state()), QString("finished"));
  const TrainingSpec& training = trainer->spec().training;

  const AnomalyScoreOptions defaults;
  QVERIFY(defaults.score == AnomalyScore::Neighbours);
  AnomalyScoreOptions mseOnly;
  mseOnly.score = AnomalyScore::Mse;
  const Matrix reference = trainingReference(train, training, Normal);
  const std::vector<bool> nines = isClass(test, HeldOut);
  const std::vector<double> scores =
      anomalyScores(trainer->model(), test.shape, test.samples, defaults, reference);
  const std::vector<double> errors =
      anomalyScores(trainer->model(), test.shape, test.samples, mseOnly);
  const double auc = rocCurve(scores, nines).auc, mseAuc = rocCurve(errors, nines).auc;
  qInfo("ROC AUC for 'is a %d': %.4f from the default score, %.4f from plain MSE", HeldOut, auc,
        mseAuc);
  QVERIFY2(auc >= 0.74, qPrintable(QString::number(auc)));
  QVERIFY2(auc >= mseAuc + 0.08, qPrintable(QString("%1 vs %2").arg(auc).arg(mseAuc)));

  // The CLI finds the normal reference through the training file named in the model file.
  const QString model = saveForCli(trainer->model());
  const QString scoresCsv = m_tmp.filePath("scores.csv");
  const nlohmann::json report = cliReport(model, m_testPath, {"--scores", scoresCsv});
  QVERIFY2(report.contains("auc"), report.dump().c_str());
  QCOMPARE(report["score"].get<std::string>(), std::string("neighbours"));
  checkScoresCsv(scoresCsv, scores, test.labels, report["flagged"].get<long long>());
  QVERIFY(std::abs(report["auc"].get<double>() - auc) < 1e-9);
  QCOMPARE(report["samples"].get<int>(), test.count());
  QVERIFY(report["fpr"].get<double>() <= 0.1);
  QCOMPARE(report["top"].size(), size_t(10));
  // The most anomalous sample is the one with the largest score.
  const int first = report["top"][0];
  QCOMPARE(scores[first], *std::max_element(scores.begin(), scores.end()));

  const nlohmann::json mseReport = cliReport(model, m_testPath, {"--score", "mse"});
  QVERIFY2(mseReport.contains("auc"), mseReport.dump().c_str());
  QVERIFY(std::abs(mseReport["auc"].get<double>() - mseAuc) < 1e-9);
}

void TestAnomaly::classModelsFlagTheHeldOutDigit() {
  const Dataset& train = m_train;
  const Dataset& test = m_test;
  const auto trainer = trainOnNormal(train, {256}, 8, 10);
  QCOMPARE(testutil::stateName(trainer->state()), QString("finished"));
  const ModelSpec& spec = trainer->spec();
  const Split split = splitIndices(train.count(), spec.training.validationFraction,
                                   spec.training.seed, train.labels);

  // One model per digit 0–8 with the same settings, each as many steps as the model above.
  const auto models = trainClassModels(spec, train, Normal);
  QVERIFY(models);
  QCOMPARE(models->classes, Normal);
  const auto batches = [](size_t n) { return long(n + 127) / 128; };
  const long steps = 10 * batches(keepClasses(train, split.train, Normal).size());
  const long zeroBatches = batches(keepClasses(train, split.train, {0}).size());
  QVERIFY(models->epochs[0] * zeroBatches >= steps);
  QVERIFY((models->epochs[0] - 1) * zeroBatches < steps);
  AnomalyScoreOptions options;
  options.score = AnomalyScore::Classes;
  options.classModels = std::make_shared<const ClassModels>(*models);
  const Matrix reference = scoreReference(AnomalyScore::Classes, train, spec.training, Normal);
  const std::vector<bool> nines = isClass(test, HeldOut);
  const double auc =
      rocCurve(anomalyScores(trainer->model(), test.shape, test.samples, options, reference), nines)
          .auc;
  AnomalyScoreOptions shared;  // the default score of the one model trained on all of 0–8
  const double sharedAuc =
      rocCurve(anomalyScores(trainer->model(), test.shape, test.samples, shared,
                             trainingReference(train, spec.training, Normal)),
               nines)
          .auc;
  qInfo("ROC AUC for 'is a 9': %.4f from the class models, %.4f from the shared model", auc,
        sharedAuc);
  QVERIFY2(auc >= 0.80, qPrintable(QString::number(auc)));
  QVERIFY2(auc >= sharedAuc + 0.05, qPrintable(QString("%1 vs %2").arg(auc).arg(sharedAuc)));

  // The CLI trains the same class models from the saved model's settings.
  const nlohmann::json report =
      cliReport(saveForCli(trainer->model()), m_testPath, {"--score", "classes"});
  QVERIFY2(report.contains("auc"), report.dump().c_str());
  QCOMPARE(report["class_models"]["epochs"].get<std::vector<int>>(), models->epochs);
  QVERIFY(std::abs(report["auc"].get<double>() - auc) < 1e-9);
}

QTEST_APPLESS_MAIN(TestAnomaly)
#include "tst_anomaly.moc"
