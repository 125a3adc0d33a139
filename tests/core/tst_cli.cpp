// latentlab-cli end to end: train → evaluate → encode → pca on a small IDX file, the JSON lines,
// and one clear stderr line with a non-zero exit for every user error.
#include <QDir>
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/recommend.h"
#include "data/rng.h"
#include "data/useritem.h"
#include "io/idx.h"
#include "models/model.h"
#include "persist/modelfile.h"

namespace {

struct Run {
  int exitCode = -1;
  QString out, err;
};

Run runCli(const QStringList& args) {
  QProcess p;
  p.start(LATENT_CLI, args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

nlohmann::json lastJsonLine(const QString& out) {
  const QStringList lines = out.trimmed().split('\n');
  return nlohmann::json::parse(lines.last().toStdString());
}

}  // namespace

class tst_Cli : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void trainEvaluateEncodeRoundTrip();
  void convTrainThenEvaluateReloadsTheModel();  // and the LSTM kind
  void evaluateReportsPerWindowErrors();
  void lstmTakesTheSuggestedSettingsUnlessGiven();
  void imageFoldersAreData();
  void pcaReportsTheReconstructionError();
  void userErrorsGiveOneLineAndNonZeroExit_data();
  void userErrorsGiveOneLineAndNonZeroExit();
  void tablesFollowTheMissingAndLabelOptions();
  void divergenceSaysWhatHappenedAndSavesFiniteWeights();
  void normalClassesAloneAreTrainedOn();
  void learningRate100IsCaughtInTheFirstBatch();
  void builtinDatasetsLoadByName();
  void recommendEvaluatesAgainstMostPopular();
  void recommendListsTheCoreRankingForAUser();
  void ratingsTablesAreBinarisedForRecommendations();

 private:
  QTemporaryDir m_dir;
  QString m_images;
};

void tst_Cli::initTestCase() {
  // 300 blurry 8×8 "images": a bright square at a random place, labels 0..2.
  latent::Rng rng(2);
  const int n = 300;
  std::vector<uint8_t> pixels(n * 64, 0), labels(n);
  for (int i = 0; i < n; ++i) {
    const int x = int(rng.below(5)), y = int(rng.below(5));
    labels[i] = uint8_t((x + y) % 3);
    for (int dy = 0; dy < 3; ++dy)
      for (int dx = 0; dx < 3; ++dx) pixels[i * 64 + (y + dy) * 8 + x + dx] = 230;
  }
  m_images = m_dir.filePath("train-images-idx3-ubyte.gz");
  latent::writeIdxImages(m_images.toStdString(), pixels, n, 8, 8);
  latent::writeIdxLabels(m_dir.filePath("train-labels-idx1-ubyte.gz").toStdString(), labels);
}

void tst_Cli::trainEvaluateEncodeRoundTrip() {
  const QString model = m_dir.filePath("m.safetensors");
  Run train = runCli({"train", "--data", m_images, "--hidden", "32", "--latent", "3", "--epochs",
                      "3", "--batch", "32", "--out", model, "--json"});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  QVERIFY(train.out.contains("epoch 3/3"));
  const auto result = lastJsonLine(train.out);
  QCOMPARE(result.at("epochs").get<int>(), 3);
  for (const char* key : {"train_loss", "val_mse", "samples_per_sec", "seconds"})
    QVERIFY2(result.at(key).get<double>() > 0, key);

  Run eval = runCli({"evaluate", "--model", model, "--data", m_images, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  const auto scores = lastJsonLine(eval.out);
  QVERIFY(scores.at("mse").get<double>() > 0 && scores.at("mse").get<double>() < 0.25);
  QVERIFY(scores.at("bce").get<double>() > 0);

  const QString csv = m_dir.filePath("codes.csv");
  Run encode = runCli({"encode", "--model", model, "--data", m_images, "--out", csv});
  QVERIFY2(encode.exitCode == 0, qPrintable(encode.err));
  QFile f(csv);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList rows = QString::fromUtf8(f.readAll()).trimmed().split('\n');
  QCOMPARE(rows.size(), 301);
  QCOMPARE(rows.first(), QString("z0,z1,z2,label"));
  QCOMPARE(rows.at(1).split(',').size(), 4);
}

void tst_Cli::convTrainThenEvaluateReloadsTheModel() {
  const QString model = m_dir.filePath("conv.safetensors");
  Run train =
      runCli({"train",    "--data",  m_images,   "--model", "conv",     "--conv", "4,8",
              "--kernel", "3",       "--stride", "2",       "--latent", "3",      "--epochs",
              "2",        "--batch", "32",       "--out",   model,      "--json"});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  QVERIFY(train.out.contains("epoch 2/2"));
  Run eval = runCli({"evaluate", "--model", model, "--data", m_images, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  const double mse = lastJsonLine(eval.out).at("mse").get<double>();
  QVERIFY(mse > 0 && mse < 0.25);
  QVERIFY(std::abs(mse - lastJsonLine(train.out).at("val_mse").get<double>()) < 0.05);

  // The same images read row by row (8 steps × 8 features) by an LSTM autoencoder.
  const QString lstm = m_dir.filePath("lstm.safetensors");
  Run rows = runCli({"train", "--data", m_images, "--model", "lstm", "--hidden", "16", "--latent",
                     "4", "--reverse-target", "--epochs", "2", "--batch", "32", "--validation", "0",
                     "--out", lstm, "--json"});
  QVERIFY2(rows.exitCode == 0, qPrintable(rows.err));
  // Nothing held out: there is no validation error to report, rather than a misleading 0.
  QVERIFY(lastJsonLine(rows.out).at("val_mse").is_null());
  Run evalRows = runCli({"evaluate", "--model", lstm, "--data", m_images, "--json"});
  QVERIFY2(evalRows.exitCode == 0, qPrintable(evalRows.err));
}

void tst_Cli::evaluateReportsPerWindowErrors() {
  // A two-column time series cut into windows of 16 steps, every 4 steps.
  const QString series = m_dir.filePath("series.csv");
  {
    QFile f(series);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("a,b\n");
    for (int t = 0; t < 200; ++t)
      f.write(QString("%1,%2\n").arg(std::sin(0.3 * t)).arg(std::cos(0.11 * t)).toUtf8());
  }
  const QStringList windows{"--window", "16", "--window-stride", "4"};
  const QString model = m_dir.filePath("series.safetensors");
  Run train =
      runCli(QStringList{"train", "--data", series, "--model", "lstm", "--hidden", "8", "--latent",
                         "3", "--epochs", "2", "--batch", "16", "--out", model} +
             windows);
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  const QString errors = m_dir.filePath("window-errors.csv");
  Run eval = runCli(
      QStringList{"evaluate", "--model", model, "--data", series, "--errors", errors, "--json"} +
      windows);
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  const auto report = lastJsonLine(eval.out);
  const auto& w = report.at("window_error");
  const int count = (200 - 16) / 4 + 1;
  QCOMPARE(w.at("windows").get<int>(), count);
  QVERIFY(!w.contains("auc"));  // no labels
  QFile f(errors);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QStringList rows = QString::fromUtf8(f.readAll()).trimmed().split('\n');
  QCOMPARE(rows.size(), count + 1);
  QCOMPARE(rows.first(), QString("index,label,error"));
  double sum = 0, largest = 0;
  for (int i = 1; i < rows.size(); ++i) {
    const double e = rows[i].section(',', 2).toDouble();
    sum += e;
    largest = std::max(largest, e);
  }
  QVERIFY(std::abs(sum / count - w.at("mean").get<double>()) < 1e-6);
  QVERIFY(std::abs(largest - w.at("max").get<double>()) < 1e-6);
  // The mean per-window error is the per-value MSE (every window has the same size).
  QVERIFY(std::abs(w.at("mean").get<double>() - report.at("mse").get<double>()) < 1e-5);
}

void tst_Cli::lstmTakesTheSuggestedSettingsUnlessGiven() {
  // `train --model lstm` trains what the model panel suggests for sequences; an option given on
  // the command line wins (including --no-reverse-target against the suggested reversal).
  const QString suggested = m_dir.filePath("suggested.safetensors");
  const QStringList data{"--data", "builtin:signals:n=40", "--validation", "0", "--quiet"};
  Run run =
      runCli(QStringList{"train", "--model", "lstm", "--epochs", "1", "--out", suggested} + data);
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  latent::ModelSpec want = latent::suggestedLstmSpec();
  want.training.epochs = 1;
  want.training.validationFraction = 0;
  QVERIFY(latent::loadModelFile(suggested.toStdString()).model->spec() == want);

  const QString given = m_dir.filePath("given.safetensors");
  run = runCli(QStringList{"train",
                           "--model",
                           "lstm",
                           "--epochs",
                           "1",
                           "--latent",
                           "8",
                           "--no-reverse-target",
                           "--forget-bias",
                           "1",
                           "--lr",
                           "0.003",
                           "--lr-schedule",
                           "constant",
                           "--lr-warmup",
                           "0",
                           "--max-grad-norm",
                           "0",
                           "--batch",
                           "16",
                           "--out",
                           given} +
               data);
  QVERIFY2(run.exitCode == 0, qPrintable(run.err));
  const latent::ModelSpec got = latent::loadModelFile(given.toStdString()).model->spec();
  QCOMPARE(got.latent, 8);
  QCOMPARE(got.lstm.reverseTarget, false);
  QCOMPARE(got.lstm.forgetBias, 1.0f);
  QCOMPARE(got.training.optimizer.learningRate, 0.003f);
  QVERIFY(got.training.lrSchedule == latent::LrSchedule::Constant);
  QCOMPARE(got.training.lrWarmupEpochs, 0);
  QCOMPARE(got.training.optimizer.maxGradNorm, 0.0f);
  QCOMPARE(got.training.batchSize, 16);
  QCOMPARE(got.hidden, std::vector<int>{64});  // not given: suggested
}

void tst_Cli::imageFoldersAreData() {
  // Two class folders of 8×8 grayscale PGM files (decoded by Qt's image readers, as in the GUI).
  const QString root = m_dir.filePath("digits");
  for (int c = 0; c < 2; ++c) {
    QVERIFY(QDir().mkpath(QString("%1/class%2").arg(root).arg(c)));
    for (int i = 0; i < 12; ++i) {
      QFile f(QString("%1/class%2/%3.pgm").arg(root).arg(c).arg(i));
      QVERIFY(f.open(QIODevice::WriteOnly));
      QByteArray pixels(64, char(0));
      for (int p = 0; p < 64; ++p) pixels[p] = char(c ? (p % 8) * 30 : (p / 8) * 30 + i);
      f.write("P5\n8 8\n255\n" + pixels);
    }
  }
  const QString model = m_dir.filePath("folder.safetensors");
  Run train = runCli({"train", "--data", root, "--hidden", "8", "--latent", "2", "--epochs", "2",
                      "--batch", "8", "--out", model, "--json"});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  Run eval = runCli({"evaluate", "--model", model, "--data", root, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  QCOMPARE(lastJsonLine(eval.out).at("samples").get<int>(), 24);
}

void tst_Cli::pcaReportsTheReconstructionError() {
  Run two = runCli({"pca", "--data", m_images, "--components", "2", "--json"});
  Run ten = runCli({"pca", "--data", m_images, "--components", "10", "--json"});
  QVERIFY2(two.exitCode == 0 && ten.exitCode == 0, qPrintable(two.err + ten.err));
  QVERIFY(lastJsonLine(ten.out).at("mse").get<double>() <
          lastJsonLine(two.out).at("mse").get<double>());
}

void tst_Cli::userErrorsGiveOneLineAndNonZeroExit_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("expected");
  QTest::newRow("missing data") << QStringList{"train", "--data", "/no/such/file-idx3-ubyte",
                                               "--out", "x"}
                                << "/no/such/file-idx3-ubyte";
  QTest::newRow("bad hidden") << QStringList{"train", "--data", "@IMAGES", "--hidden",
                                             "12a",   "--out",  "x"}
                              << "--hidden";
  QTest::newRow("bad kind") << QStringList{"train", "--data", "@IMAGES", "--model",
                                           "gan",   "--out",  "x"}
                            << "unknown model kind 'gan'";
  QTest::newRow("bad noise") << QStringList{"train",    "--data", "@IMAGES", "--noise",
                                            "pink:0.1", "--out",  "x"}
                             << "noise 'pink:0.1'";
  QTest::newRow("kl sparsity rate")
      << QStringList{"train",      "--data",   "@IMAGES", "--model", "sparse",
                     "--sparsity", "kl:1.5:1", "--out",   "x"}
      << "target rate";
  QTest::newRow("vae tied") << QStringList{"train", "--data", "@IMAGES", "--model",
                                           "vae",   "--tied", "--out",   "x"}
                            << "tied weights";
  QTest::newRow("bad conv channels")
      << QStringList{"train", "--data", "@IMAGES", "--model", "conv", "--conv", "8,x", "--out", "x"}
      << "--conv";
  QTest::newRow("conv upsample even kernel")
      << QStringList{"train", "--data",         "@IMAGES",  "--model", "conv", "--kernel",
                     "4",     "--conv-decoder", "upsample", "--out",   "x"}
      << "odd kernel";
  QTest::newRow("variational dense")
      << QStringList{"train", "--data", "@IMAGES", "--variational", "--out", "x"}
      << "choose kind vae";
  QTest::newRow("not a model") << QStringList{"evaluate", "--model", "@IMAGES", "--data", "@IMAGES"}
                               << "train-images-idx3-ubyte.gz";
  QTest::newRow("unknown format") << QStringList{"inspect", "@DIR/notes.txt"} << "notes.txt";
  QTest::newRow("bad export name")
      << QStringList{"encode",  "--model", "@DIR/m.safetensors", "--data",
                     "@IMAGES", "--out",   "codes.xls"}
      << "codes.xls";
  QTest::newRow("bad --missing") << QStringList{"inspect", "@IMAGES", "--missing", "skip"}
                                 << "--missing 'skip'";
  QTest::newRow("unknown normal class")
      << QStringList{"train", "--data", "@IMAGES", "--normal", "0,7", "--out", "x"}
      << "--normal: class 7 is not one of the classes of 'train-images-idx3-ubyte.gz' (0–2)";
  QTest::newRow("normal without labels")
      << QStringList{"train", "--data", "@DIR/plain.csv", "--label-column", "none", "--normal", "0",
                     "--out", "x"}
      << "--normal: 'plain.csv' has no labels";
  QTest::newRow("anomalies normal class")
      << QStringList{"anomalies", "--model", "@DIR/m.safetensors", "--data", "@IMAGES",
                     "--normal",  "3"}
      << "--normal: class 3 is not one of the classes";
  QTest::newRow("unknown builtin")
      << QStringList{"inspect", "builtin:spiral"} << "no built-in dataset 'spiral'";
  QTest::newRow("recommend user and evaluate")
      << QStringList{"recommend", "--model",          "@DIR/rec.safetensors",
                     "--data",    "builtin:useritem", "--user",
                     "1",         "--evaluate"}
      << "either --user U";
  QTest::newRow("recommend user out of range")
      << QStringList{"recommend", "--model", "@DIR/rec.safetensors", "--data", "builtin:useritem",
                     "--user",    "1000"}
      << "users 0..999";
  QTest::newRow("recommend wrong item count") << QStringList{"recommend",
                                                             "--model",
                                                             "@DIR/rec.safetensors",
                                                             "--data",
                                                             "builtin:useritem:dim=150",
                                                             "--evaluate"}
                                              << "takes 200";
  QTest::newRow("recommend on images")
      << QStringList{"recommend", "--model",        "@DIR/rec.safetensors",
                     "--data",    "builtin:shapes", "--evaluate"}
      << "user–item data is a table";
  QTest::newRow("no subcommand") << QStringList{} << "";
}

void tst_Cli::userErrorsGiveOneLineAndNonZeroExit() {
  QFETCH(QStringList, args);
  QFETCH(QString, expected);
  QFile(m_dir.filePath("notes.txt")).open(QIODevice::WriteOnly);
  QFile plain(m_dir.filePath("plain.csv"));  // numbers only: no label column
  QVERIFY(plain.open(QIODevice::WriteOnly));
  plain.write("1.5,2,3\n4,5,6.5\n7,8,9\n1,2,2\n");
  plain.close();
  for (QString& a : args) a.replace("@IMAGES", m_images).replace("@DIR", m_dir.path());
  if (args.contains(m_dir.path() + "/rec.safetensors") &&
      !QFile::exists(m_dir.filePath("rec.safetensors")))
    runCli({"train", "--data", "builtin:useritem", "--epochs", "1", "--out",
            m_dir.filePath("rec.safetensors")});
  if (args.contains(m_dir.path() + "/m.safetensors") &&
      !QFile::exists(m_dir.filePath("m.safetensors")))
    runCli(
        {"train", "--data", m_images, "--epochs", "1", "--out", m_dir.filePath("m.safetensors")});
  const Run r = runCli(args);
  QVERIFY2(r.exitCode != 0, qPrintable(r.out));
  if (expected.isEmpty()) return;  // CLI11's own usage message
  const QStringList lines = r.err.trimmed().split('\n');
  QCOMPARE(lines.size(), 1);
  QVERIFY2(lines.first().contains(expected), qPrintable(lines.first()));
}

void tst_Cli::tablesFollowTheMissingAndLabelOptions() {
  // 40 rows of 3 features and a text label; line 3 misses a value.
  QString text = "a;b;c;kind\n";
  for (int i = 0; i < 40; ++i)
    text += QString("%1;%2;%3,5;%4\n")
                .arg(i == 1 ? QString() : QString::number(i % 7))
                .arg(i % 5)
                .arg(i % 3)
                .arg(i % 2 ? "odd" : "even");
  const QString csv = m_dir.filePath("table.csv");
  QFile f(csv);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text.toUtf8());
  f.close();
  Run refused = runCli({"inspect", csv});
  QVERIFY(refused.exitCode != 0);
  QVERIFY2(refused.err.contains("line 3, column 1 ('a') is missing"), qPrintable(refused.err));
  Run dropped = runCli({"inspect", csv, "--missing", "drop", "--label-column", "kind"});
  QVERIFY2(dropped.exitCode == 0, qPrintable(dropped.err));
  QVERIFY2(
      dropped.out.contains("samples:       39") && dropped.out.contains("dropped 1 row: line 3"),
      qPrintable(dropped.out));
  QVERIFY2(dropped.out.contains("even: 20") && dropped.out.contains("odd: 19"),
           qPrintable(dropped.out));
  const QString model = m_dir.filePath("table.safetensors");
  Run train = runCli({"train", "--data", csv, "--missing", "mean", "--hidden", "4", "--latent", "2",
                      "--epochs", "1", "--out", model, "--quiet"});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  QVERIFY2(train.err.contains("warning: '" + csv + "': filled 1 missing"), qPrintable(train.err));
  Run eval = runCli({"evaluate", "--model", model, "--data", csv, "--missing", "drop", "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  QCOMPARE(lastJsonLine(eval.out).at("samples").get<int>(), 39);
}

void tst_Cli::divergenceSaysWhatHappenedAndSavesFiniteWeights() {
  // A VAE with SGD at learning rate 100: its first step blows the weights up (the loss would
  // become NaN a few batches later); caught in that batch.
  const QString model = m_dir.filePath("diverged.safetensors");
  const Run r = runCli({"train", "--data", m_images, "--model", "vae", "--optimizer", "sgd", "--lr",
                        "100", "--hidden", "32", "--latent", "3", "--epochs", "5", "--out", model});
  QVERIFY2(r.exitCode != 0, qPrintable(r.out));
  const QStringList lines = r.err.trimmed().split('\n');
  QCOMPARE(lines.size(), 1);
  for (const char* part : {"training diverged", "weights exploded at epoch 1 batch 1",
                           "weights restored", "lower --lr"})
    QVERIFY2(lines.first().contains(part), qPrintable(lines.first()));
  // The restored (finite) weights were saved and load.
  const Run eval = runCli({"evaluate", "--model", model, "--data", m_images, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  QVERIFY(std::isfinite(lastJsonLine(eval.out).at("mse").get<double>()));
}

void tst_Cli::normalClassesAloneAreTrainedOn() {
  const latent::Dataset data = latent::loadIdx(m_images.toStdString());
  const latent::Split split = latent::splitIndices(data.count(), 0.1, 1, data.labels);
  const auto normal = std::count_if(split.train.begin(), split.train.end(),
                                    [&](int i) { return data.labels[i] != 2; });
  QVERIFY(normal < long(split.train.size()));
  Run train =
      runCli({"train", "--data", m_images, "--normal", "0,1", "--hidden", "16", "--latent", "2",
              "--epochs", "1", "--out", m_dir.filePath("normal.safetensors"), "--json", "--quiet"});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  QCOMPARE(lastJsonLine(train.out).at("train_samples").get<long>(), long(normal));
}

void tst_Cli::learningRate100IsCaughtInTheFirstBatch() {
  // The defaults (dense AE, Adam, sigmoid output) at --lr 100: the bounded loss stays finite
  // while the first step blows the weights up, which the norm check catches in that batch.
  const QString model = m_dir.filePath("lr100.safetensors");
  const Run r = runCli({"train", "--data", m_images, "--lr", "100", "--hidden", "32", "--latent",
                        "3", "--epochs", "5", "--out", model});
  QVERIFY2(r.exitCode != 0, qPrintable(r.out));
  const QString line = r.err.trimmed();
  for (const char* part :
       {"training diverged", "weights exploded at epoch 1 batch 1", "learning rate 100 is too high",
        "restored to their initial values", "lower --lr"})
    QVERIFY2(line.contains(part), qPrintable(line));
  const Run eval = runCli({"evaluate", "--model", model, "--data", m_images, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
}

void tst_Cli::builtinDatasetsLoadByName() {
  const Run moons = runCli({"inspect", "builtin:moons:n=100:dim=4"});
  QVERIFY2(moons.exitCode == 0, qPrintable(moons.err));
  QVERIFY2(moons.out.contains("samples:       100") && moons.out.contains("4 features") &&
               moons.out.contains("upper moon: 50"),
           qPrintable(moons.out));
  const Run train =
      runCli({"train", "--data", "builtin:swissroll:n=300", "--hidden", "8", "--latent", "2",
              "--epochs", "2", "--quiet", "--json", "--out", m_dir.filePath("roll.safetensors")});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  QVERIFY(lastJsonLine(train.out).at("val_mse").get<double>() > 0);
}

/// Trains the collaborative denoising AE on the built-in user–item data (as the README shows).
QString trainRecommender(const QString& dir) {
  const QString model = dir + "/cdae.safetensors";
  if (QFile::exists(model)) return model;
  const Run train = runCli({"train",
                            "--data",
                            "builtin:useritem",
                            "--model",
                            "denoising",
                            "--noise",
                            "dropout:0.5",
                            "--loss",
                            "bce",
                            "--hidden",
                            "64",
                            "--latent",
                            "16",
                            "--epochs",
                            "30",
                            "--batch",
                            "64",
                            "--lr",
                            "0.003",
                            "--validation",
                            "0.3",
                            "--threads",
                            "2",
                            "--quiet",
                            "--out",
                            model});
  if (train.exitCode != 0) qWarning("%s", qPrintable(train.err));
  return model;
}

void tst_Cli::recommendEvaluatesAgainstMostPopular() {
  const QString model = trainRecommender(m_dir.path());
  const Run r =
      runCli({"recommend", "--model", model, "--data", "builtin:useritem", "--evaluate", "--json"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  const auto report = lastJsonLine(r.out);
  qInfo("%s", report.dump().c_str());
  QCOMPARE(report.at("users").get<int>(), 300);  // the model's 30% validation users
  QCOMPARE(report.at("items").get<int>(), 200);
  const double hr = report.at("hit_rate_at_10"), popular = report.at("popular_hit_rate_at_10");
  QVERIFY(hr > popular + 0.1);
  QVERIFY(report.at("ndcg_at_10").get<double>() > report.at("popular_ndcg_at_10").get<double>());
  QVERIFY(report.at("ndcg_at_10").get<double>() <= hr);
  // The core gives the same numbers for the same model, users and seed.
  const latent::LoadedModel loaded = latent::loadModelFile(model.toStdString());
  const latent::Dataset data = latent::makeUserItemDataset(1000, 1);
  const auto split = latent::splitIndices(1000, 0.3, 1, data.labels);
  const auto core = latent::evaluateLeaveOneOut(*loaded.model, data.samples, split.validation, 1);
  QCOMPARE(hr, core.model.hitRate);
  QCOMPARE(popular, core.popular.hitRate);
  // Every user, and a k of 5, change what is measured.
  const Run all = runCli({"recommend", "--model", model, "--data", "builtin:useritem", "--evaluate",
                          "--users", "all", "--k", "5", "--json"});
  QVERIFY2(all.exitCode == 0, qPrintable(all.err));
  QCOMPARE(lastJsonLine(all.out).at("users").get<int>(), 1000);
  QVERIFY(lastJsonLine(all.out).contains("hit_rate_at_5"));
}

void tst_Cli::recommendListsTheCoreRankingForAUser() {
  const QString model = trainRecommender(m_dir.path());
  const Run r = runCli({"recommend", "--model", model, "--data", "builtin:useritem", "--user", "42",
                        "--top", "7", "--json"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  const auto out = lastJsonLine(r.out);
  const latent::Dataset data = latent::makeUserItemDataset(1000, 1);
  const latent::LoadedModel loaded = latent::loadModelFile(model.toStdString());
  const latent::Vector known = data.samples.col(42);
  const auto expected = latent::topUnseen(loaded.model->reconstruct(known).col(0), known, 7);
  QCOMPARE(out.at("user").get<int>(), 42);
  QCOMPARE(int(out.at("known").size()), int(known.sum()));
  const auto& list = out.at("recommendations");
  QCOMPARE(int(list.size()), 7);
  for (int i = 0; i < 7; ++i) {
    QCOMPARE(list[i].at("item").get<int>(), expected[size_t(i)].item);
    QCOMPARE(known(list[i].at("item").get<int>()), 0.0f);
    QVERIFY(std::abs(list[i].at("score").get<double>() - expected[size_t(i)].score) < 1e-6);
  }
}

void tst_Cli::ratingsTablesAreBinarisedForRecommendations() {
  // 60 users × 12 items of ratings 0 (none) to 5: users in two halves like items 0–5 or 6–11.
  QString text;
  latent::Rng rng(3);
  for (int u = 0; u < 60; ++u) {
    QStringList row;
    for (int i = 0; i < 12; ++i) {
      const bool liked = (i < 6) == (u % 2 == 0) && rng.uniform() < 0.6f;
      row << QString::number(liked ? 1 + int(rng.below(5)) : 0);
    }
    text += row.join(',') + "\n";
  }
  const QString csv = m_dir.filePath("ratings.csv");
  QFile f(csv);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text.toUtf8());
  f.close();
  const QString model = m_dir.filePath("ratings.safetensors");
  const Run train = runCli({"train",
                            "--data",
                            csv,
                            "--interactions",
                            "--label-column",
                            "none",
                            "--model",
                            "denoising",
                            "--noise",
                            "dropout:0.3",
                            "--loss",
                            "bce",
                            "--hidden",
                            "8",
                            "--latent",
                            "2",
                            "--epochs",
                            "3",
                            "--quiet",
                            "--out",
                            model});
  QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  const QStringList firstRow = text.section('\n', 0, 0).split(',');
  const Run r = runCli({"recommend", "--model", model, "--data", csv, "--label-column", "none",
                        "--user", "0", "--top", "12", "--json"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  const auto out = lastJsonLine(r.out);
  // Known = the rated items of row 1 (any rating); recommended = exactly the unrated ones.
  std::vector<int> rated, unrated;
  for (int i = 0; i < 12; ++i) (firstRow[i] != "0" ? rated : unrated).push_back(i);
  QCOMPARE(out.at("known").get<std::vector<int>>(), rated);
  std::vector<int> recommended;
  for (const auto& item : out.at("recommendations")) recommended.push_back(item.at("item"));
  std::sort(recommended.begin(), recommended.end());
  QCOMPARE(recommended, unrated);
}

QTEST_APPLESS_MAIN(tst_Cli)
#include "tst_cli.moc"
