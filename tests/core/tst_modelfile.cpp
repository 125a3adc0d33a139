// Model files: round trip of weights, spec, data description, history and optimizer state; bad
// files refused with a message naming the file.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "persist/modelfile.h"
#include "persist/safetensors.h"
#include "train/trainer.h"

using namespace latent;

namespace {

std::shared_ptr<const Dataset> tinyImages() {
  Rng rng(4);
  auto d = std::make_shared<Dataset>();
  d->name = "tiny";
  d->shape = Shape::image(1, 4, 5);
  d->samples.resize(20, 200);
  for (Eigen::Index i = 0; i < d->samples.size(); ++i) d->samples.data()[i] = rng.uniform();
  d->normalisation = {Normalisation::Kind::Range01, {255.0f}, {0.0f}};
  return d;
}

ModelSpec vaeSpec() {
  ModelSpec s;
  s.kind = ModelKind::Vae;
  s.loss = LossKind::Bce;
  s.hidden = {8};
  s.latent = 3;
  s.beta = 2.0f;
  s.training.epochs = 2;
  s.training.batchSize = 32;
  s.training.threads = 1;
  return s;
}

}  // namespace

class tst_ModelFile : public QObject {
  Q_OBJECT

 private slots:
  void saveThenLoadRestoresEverything();
  void loadedOptimizerStateResumesTraining();
  void convModelRoundTripsWithPyTorchTensorShapes();
  void lstmModelRoundTripsWithinTheSizeBound();
  void badFilesAreRefusedWithTheFileName_data();
  void badFilesAreRefusedWithTheFileName();
  void cleanupTestCase();

 private:
  QTemporaryDir m_dir;
  int m_refused = 0;  // malformed model files tried and refused with a clear error
};

void tst_ModelFile::saveThenLoadRestoresEverything() {
  auto data = tinyImages();
  Trainer trainer(vaeSpec(), data, data);
  QVERIFY(trainer.run() == Trainer::State::Finished);
  const auto snap = trainer.latestSnapshot();
  const ModelFileInfo info{data->shape,  data->normalisation, {"a", "b"},
                           "/data/tiny", snap->history,       *snap->optimizer};
  const std::string path = m_dir.filePath("m.safetensors").toStdString();
  saveModelFile(path, *snap->model, info);
  const LoadedModel loaded = loadModelFile(path);
  QVERIFY(loaded.model->spec() == vaeSpec());
  QCOMPARE(loaded.info.dataShape, data->shape);
  QCOMPARE(loaded.info.normalisation.scale, std::vector<float>{255.0f});
  QCOMPARE(loaded.info.classNames, (std::vector<std::string>{"a", "b"}));
  QCOMPARE(loaded.info.datasetPath, std::string("/data/tiny"));
  QCOMPARE(loaded.info.history.size(), size_t(2));
  QCOMPARE(loaded.info.history[1].validation.total, snap->history[1].validation.total);
  QVERIFY(loaded.info.optimizer);
  QCOMPARE(loaded.info.optimizer->step, snap->optimizer->step);
  // Same pixels from the reloaded model.
  QVERIFY(loaded.model->reconstruct(data->samples) == snap->model->reconstruct(data->samples));
  // The weights are laid out as PyTorch's Linear: weight [out, in], bias [out].
  const TensorFile raw = readTensorFile(path);
  QCOMPARE(raw.find("encoder.0.weight")->shape, (std::vector<int64_t>{8, 20}));
  QCOMPARE(raw.find("encoder.0.bias")->shape, (std::vector<int64_t>{8}));
  QCOMPARE(raw.find("encoder.1.weight")->shape, (std::vector<int64_t>{6, 8}));  // μ and log σ²
}

void tst_ModelFile::loadedOptimizerStateResumesTraining() {
  // 1 epoch, save, load, 1 more epoch == 2 epochs straight.
  auto data = tinyImages();
  ModelSpec spec = vaeSpec();
  spec.training.validationFraction = 0;
  Trainer straight(spec, data, nullptr);
  straight.run();
  spec.training.epochs = 1;
  Trainer first(spec, data, nullptr);
  first.run();
  const auto snap = first.latestSnapshot();
  const std::string path = m_dir.filePath("resume.safetensors").toStdString();
  saveModelFile(path, *snap->model,
                {data->shape, data->normalisation, {}, "", snap->history, *snap->optimizer});
  const LoadedModel loaded = loadModelFile(path);
  spec.training.epochs = 2;
  Trainer second(spec, data, nullptr);
  second.resumeFrom(*loaded.model, *loaded.info.optimizer, loaded.info.history);
  QVERIFY(second.run() == Trainer::State::Finished);
  auto a = straight.model().parameters(), b = second.model().parameters();
  for (size_t i = 0; i < a.size(); ++i) QVERIFY(*a[i].parameter->value == *b[i].parameter->value);
}

void tst_ModelFile::convModelRoundTripsWithPyTorchTensorShapes() {
  auto data = tinyImages();  // 1×4×5: odd width, so the decoder needs output padding
  ModelSpec spec = vaeSpec();
  spec.kind = ModelKind::Conv;
  spec.conv.channels = {3, 2};
  spec.conv.batchNorm = true;
  spec.variational = true;
  spec.hidden = {};
  Trainer trainer(spec, data, nullptr);
  QVERIFY(trainer.run() == Trainer::State::Finished);
  const auto snap = trainer.latestSnapshot();
  const std::string path = m_dir.filePath("conv.safetensors").toStdString();
  saveModelFile(path, *snap->model,
                {data->shape, data->normalisation, {}, "", snap->history, *snap->optimizer});
  const LoadedModel loaded = loadModelFile(path);
  QVERIFY(loaded.model->spec() == spec);
  QVERIFY(loaded.model->reconstruct(data->samples) == snap->model->reconstruct(data->samples));
  const auto buffers = loaded.model->buffers();
  QCOMPARE(buffers.size(), size_t(6));  // running mean and var of 3 BatchNorm layers
  QVERIFY(*buffers[0].parameter->value == *snap->model->buffers()[0].parameter->value);
  // PyTorch layouts: Conv2d.weight [out, in, kH, kW], ConvTranspose2d.weight [in, out, kH, kW].
  const TensorFile raw = readTensorFile(path);
  QCOMPARE(raw.find("encoder.0.weight")->shape, (std::vector<int64_t>{3, 1, 3, 3}));
  QCOMPARE(raw.find("encoder.1.running_mean")->shape, (std::vector<int64_t>{3}));
  const auto layers = loaded.model->describeLayers();
  const auto last = std::find_if(layers.rbegin(), layers.rend(), [](const std::string& l) {
    return l.find("ConvTranspose2D") != std::string::npos;
  });
  QVERIFY(last != layers.rend());
  const std::string name = last->substr(0, last->find(' ')) + ".weight";
  QCOMPARE(raw.find(name)->shape, (std::vector<int64_t>{3, 1, 3, 3}));
}

// The spec-size bound counts exactly the encoder's weights, so a real model (the smallest file
// for its spec) must pass it: two stacked LSTMs and a VAE code. The suggested LSTM settings'
// options (forget-gate bias, gradient clip, cosine schedule with warm-up) come back too.
void tst_ModelFile::lstmModelRoundTripsWithinTheSizeBound() {
  auto data = tinyImages();  // 1×4×5 read as 4 steps of 5 features
  ModelSpec spec = vaeSpec();
  spec.kind = ModelKind::Lstm;
  spec.hidden = {6, 3};
  spec.variational = true;
  spec.training.epochs = 1;
  spec.lstm.forgetBias = 3;
  spec.training.optimizer.maxGradNorm = 1;
  spec.training.lrSchedule = LrSchedule::Cosine;
  spec.training.lrWarmupEpochs = 1;
  Trainer trainer(spec, data, nullptr);
  QVERIFY(trainer.run() == Trainer::State::Finished);
  const auto snap = trainer.latestSnapshot();
  const std::string path = m_dir.filePath("lstm.safetensors").toStdString();
  saveModelFile(path, *snap->model, {data->shape, data->normalisation, {}, "", {}, std::nullopt});
  const LoadedModel loaded = loadModelFile(path);
  QVERIFY(loaded.model->spec() == spec);
  QVERIFY(loaded.model->reconstruct(data->samples) == snap->model->reconstruct(data->samples));
}

void tst_ModelFile::badFilesAreRefusedWithTheFileName_data() {
  QTest::addColumn<QString>("damage");
  QTest::addColumn<QString>("expected");
  QTest::newRow("missing tensor") << "drop:decoder.1.bias"
                                  << "tensor 'decoder.1.bias' is missing";
  QTest::newRow("wrong shape") << "shape:encoder.0.weight"
                               << "should be 8×20";
  QTest::newRow("NaN weight") << "nan:encoder.0.weight"
                              << "NaN or infinite";
  QTest::newRow("no spec") << "meta:latentlab.spec"
                           << "not a LatentLab model file";
  QTest::newRow("bad spec JSON") << "garble:latentlab.spec"
                                 << "not valid JSON";
  QTest::newRow("invalid spec") << "latent0"
                                << "latent size must be at least 1";
  QTest::newRow("extra tensor") << "extra"
                                << "unexpected tensor 'surprise'";
  QTest::newRow("shape mismatch in data") << "datashape"
                                          << "does not hold";
  QTest::newRow("bad optimizer index") << "optindex"
                                       << "refers to no parameter";
  QTest::newRow("conv spec on tabular data") << "convtabular"
                                             << "needs images";
  QTest::newRow("image shape of rank 2") << "rank"
                                         << "needs 3 dimensions";
  // Sizes from the metadata are checked against the tensors before the model is built (which
  // would try to allocate 160 GB, or overflow int doubling the VAE's code size).
  QTest::newRow("huge hidden layer") << "hugehidden"
                                     << "need more encoder weights than the file's";
  QTest::newRow("huge code") << "hugelatent"
                             << "need more encoder weights than the file's";
  QTest::newRow("huge input") << "hugeinput"
                              << "need more encoder weights than the file's";
  // The same for the conv and LSTM kinds, whose weights are not input × hidden matrices.
  QTest::newRow("huge conv channels")
      << "spec:{\"kind\":\"conv\",\"conv\":{\"channels\":[2000000000]}}"
      << "need more encoder weights than the file's";
  QTest::newRow("huge conv kernel")
      << "spec:{\"kind\":\"conv\",\"conv\":{\"channels\":[4],\"kernel\":100001}}"
      << "need more encoder weights than the file's";
  QTest::newRow("int-overflowing conv kernel")
      << "spec:{\"kind\":\"conv\",\"conv\":{\"channels\":[1],\"kernel\":2147483647}}"
      << "need more encoder weights than the file's";
  QTest::newRow("conv stage past int")
      << "spec:{\"kind\":\"conv\",\"conv\":{\"channels\":[1,1073741824],\"kernel\":1,\"stride\":1}}"
      << "need more encoder weights than the file's";
  QTest::newRow("huge conv dense head")
      << "spec:{\"kind\":\"conv\",\"conv\":{\"channels\":[2]},\"hidden\":[1000000]}"
      << "need more encoder weights than the file's";
  QTest::newRow("huge conv code") << "spec:{\"kind\":\"conv\",\"variational\":true,\"conv\":{"
                                     "\"channels\":[2]},\"hidden\":[4],\"latent\":1073741824}"
                                  << "need more encoder weights than the file's";
  QTest::newRow("huge LSTM") << "spec:{\"kind\":\"lstm\",\"hidden\":[50000]}"
                             << "need more encoder weights than the file's";
  QTest::newRow("LSTM gates past int") << "spec:{\"kind\":\"lstm\",\"hidden\":[1000000000]}"
                                       << "need more encoder weights than the file's";
  QTest::newRow("second LSTM huge") << "spec:{\"kind\":\"lstm\",\"hidden\":[4,30000]}"
                                    << "need more encoder weights than the file's";
  QTest::newRow("huge LSTM code") << "spec:{\"kind\":\"lstm\",\"hidden\":[4],\"latent\":2000000000}"
                                  << "need more encoder weights than the file's";
  // A spec that fits the file's size but not its tensors still fails on the first tensor.
  QTest::newRow("small LSTM, dense tensors")
      << "spec:{\"kind\":\"lstm\",\"hidden\":[2],\"latent\":2}"
      << "is missing";
}

void tst_ModelFile::badFilesAreRefusedWithTheFileName() {
  QFETCH(QString, damage);
  QFETCH(QString, expected);
  Rng rng(1);
  const Model model(vaeSpec(), 20, rng);
  const std::string good = m_dir.filePath("good.safetensors").toStdString();
  OptimizerState opt{{{"exp_avg.0", Matrix::Zero(8, 20)}}, 3};
  saveModelFile(good, model, {Shape::image(1, 4, 5), {}, {}, "", {}, opt});
  TensorFile file = readTensorFile(good);
  const QStringList parts = damage.split(':');
  const std::string target = parts.size() > 1 ? parts[1].toStdString() : "";
  auto& ts = file.tensors;
  if (parts[0] == "drop")
    ts.erase(std::find_if(ts.begin(), ts.end(), [&](auto& t) { return t.name == target; }));
  if (parts[0] == "shape")
    std::find_if(ts.begin(), ts.end(), [&](auto& t) { return t.name == target; })->shape = {20, 8};
  if (parts[0] == "nan")
    std::find_if(ts.begin(), ts.end(), [&](auto& t) { return t.name == target; })->data[3] = NAN;
  if (parts[0] == "meta") file.metadata.erase(target);
  if (parts[0] == "spec") file.metadata["latentlab.spec"] = damage.mid(5).toStdString();
  if (parts[0] == "garble") file.metadata[target] = "{not json";
  if (damage == "latent0")
    file.metadata["latentlab.spec"] = R"({"kind":"vae","hidden":[8],"latent":0})";
  if (damage == "extra") ts.push_back({"surprise", {1}, {1.0f}});
  if (damage == "datashape") {
    auto j = nlohmann::json::parse(file.metadata["latentlab.data"]);
    j["shape"] = {1, 4, 4};
    file.metadata["latentlab.data"] = j.dump();
  }
  if (damage == "optindex") ts.push_back({"optimizer.exp_avg.99", {1}, {0.0f}});
  if (damage == "convtabular" || damage == "rank") {
    auto j = nlohmann::json::parse(file.metadata["latentlab.data"]);
    if (damage == "rank") j["shape"] = {4, 5};
    if (damage == "convtabular") {
      j["shape_kind"] = "tabular";
      j["shape"] = {20};
      auto spec = nlohmann::json::parse(file.metadata["latentlab.spec"]);
      spec["kind"] = "conv";
      spec["variational"] = true;
      file.metadata["latentlab.spec"] = spec.dump();
    }
    file.metadata["latentlab.data"] = j.dump();
  }
  if (damage == "hugehidden")
    file.metadata["latentlab.spec"] = R"({"kind":"vae","hidden":[2000000000],"latent":3})";
  if (damage == "hugelatent")
    file.metadata["latentlab.spec"] = R"({"kind":"vae","hidden":[8],"latent":1073741824})";
  if (damage == "hugeinput") {
    auto j = nlohmann::json::parse(file.metadata["latentlab.data"]);
    j["shape"] = {1, 32768, 65535};
    j["input_size"] = 32768 * 65535;
    file.metadata["latentlab.data"] = j.dump();
  }
  const std::string bad = m_dir.filePath("bad.safetensors").toStdString();
  writeTensorFile(bad, file);
  try {
    loadModelFile(bad);
    QFAIL("loaded a damaged file");
  } catch (const Error& e) {
    const QString message = e.what();
    QVERIFY2(message.contains("bad.safetensors"), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
    ++m_refused;
  }
}

void tst_ModelFile::cleanupTestCase() {
  qInfo(
      "model files: %d malformed files tried, every one refused with the file name and the "
      "problem",
      m_refused);
}

QTEST_APPLESS_MAIN(tst_ModelFile)
#include "tst_modelfile.moc"
