// latentlab-cli end to end: train → evaluate → encode → pca on a small IDX file, the JSON lines,
// and one clear stderr line with a non-zero exit for every user error.
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

#include "data/rng.h"
#include "io/idx.h"

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
  void pcaReportsTheReconstructionError();
  void userErrorsGiveOneLineAndNonZeroExit_data();
  void userErrorsGiveOneLineAndNonZeroExit();
  void divergenceSaysWhatHappenedAndSavesFiniteWeights();

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
  QTest::newRow("not a model") << QStringList{"evaluate", "--model", "@IMAGES", "--data", "@IMAGES"}
                               << "train-images-idx3-ubyte.gz";
  QTest::newRow("unknown format") << QStringList{"inspect", "@DIR/notes.txt"} << "notes.txt";
  QTest::newRow("bad export name")
      << QStringList{"encode",  "--model", "@DIR/m.safetensors", "--data",
                     "@IMAGES", "--out",   "codes.xls"}
      << "codes.xls";
  QTest::newRow("no subcommand") << QStringList{} << "";
}

void tst_Cli::userErrorsGiveOneLineAndNonZeroExit() {
  QFETCH(QStringList, args);
  QFETCH(QString, expected);
  QFile(m_dir.filePath("notes.txt")).open(QIODevice::WriteOnly);
  for (QString& a : args) a.replace("@IMAGES", m_images).replace("@DIR", m_dir.path());
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

void tst_Cli::divergenceSaysWhatHappenedAndSavesFiniteWeights() {
  // A VAE with SGD at learning rate 100: the loss becomes NaN within the first epoch.
  const QString model = m_dir.filePath("diverged.safetensors");
  const Run r = runCli({"train", "--data", m_images, "--model", "vae", "--optimizer", "sgd", "--lr",
                        "100", "--hidden", "32", "--latent", "3", "--epochs", "5", "--out", model});
  QVERIFY2(r.exitCode != 0, qPrintable(r.out));
  const QStringList lines = r.err.trimmed().split('\n');
  QCOMPARE(lines.size(), 1);
  for (const char* part : {"training diverged", "loss became", "weights restored", "lower --lr"})
    QVERIFY2(lines.first().contains(part), qPrintable(lines.first()));
  // The restored (finite) weights were saved and load.
  const Run eval = runCli({"evaluate", "--model", model, "--data", m_images, "--json"});
  QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
  QVERIFY(std::isfinite(lastJsonLine(eval.out).at("mse").get<double>()));
}

QTEST_APPLESS_MAIN(tst_Cli)
#include "tst_cli.moc"
