// The sequence layers and the LSTM autoencoder: forward against PyTorch's documented LSTM
// equations written out per sample in double, backward (through time, stacked) against central
// finite differences, the lstm model kind, and learning on a synthetic sine data set.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "analysis/pca.h"
#include "models/model.h"
#include "nn/lstm.h"
#include "nn/sequencelayers.h"
#include "nn/sequential.h"
#include "testutil.h"
#include "train/trainer.h"

using namespace latent;
using testutil::checkGradient;
using testutil::normalMatrix;
using testutil::Tolerance;

namespace {

constexpr int ManyChecks = 300;

using MatrixD = Eigen::MatrixXd;
using VectorD = Eigen::VectorXd;

VectorD sigmoid(const VectorD& z) { return (1.0 + (-z.array()).exp()).inverse().matrix(); }

/// h_t of every step for one sample, from nn.LSTM's equations: i, f, g, o = σ, σ, tanh, σ of
/// W_ih x_t + b_ih + W_hh h_{t-1} + b_hh (row blocks of H); c_t = f c_{t-1} + i g; h_t = o tanh
/// c_t.
MatrixD lstmByDefinition(Lstm& layer, const VectorD& x, int steps, int inputs, int hidden) {
  auto p = layer.parameters();
  const MatrixD wIh = p[0]->value->cast<double>(), wHh = p[1]->value->cast<double>();
  const VectorD b = p[2]->value->cast<double>() + p[3]->value->cast<double>();
  VectorD h = VectorD::Zero(hidden), c = VectorD::Zero(hidden);
  MatrixD out(hidden, steps);
  for (int t = 0; t < steps; ++t) {
    const VectorD z = wIh * x.segment(t * inputs, inputs) + wHh * h + b;
    const VectorD i = sigmoid(z.segment(0, hidden)), f = sigmoid(z.segment(hidden, hidden));
    const VectorD g = z.segment(2 * hidden, hidden).array().tanh().matrix();
    const VectorD o = sigmoid(z.segment(3 * hidden, hidden));
    c = f.cwiseProduct(c) + i.cwiseProduct(g);
    h = o.cwiseProduct(c.array().tanh().matrix());
    out.col(t) = h;
  }
  return out;
}

/// L = Σ y ⊙ r in double through `net`; checks dL/dx and every parameter gradient.
void checkNetworkGradients(Sequential& net, Matrix x, Rng& rng, float h = 1e-2f) {
  const Matrix r = normalMatrix(net.outputSize(), x.cols(), rng);
  auto loss = [&] { return net.infer(x).cast<double>().cwiseProduct(r.cast<double>()).sum(); };
  for (auto& p : net.parameters()) p.parameter->zeroGrad();
  net.forward(x);
  const Matrix gx = net.backward(r);
  QVERIFY(checkGradient(x, gx, loss, "dL/dx", h, ManyChecks) < Tolerance);
  for (auto& p : net.parameters()) {
    const Matrix grad = p.parameter->grad;
    QVERIFY2(
        checkGradient(*p.parameter->value, grad, loss, p.name.c_str(), h, ManyChecks) < Tolerance,
        p.name.c_str());
  }
}

/// n windows of `steps` steps of two features, a·sin(ω t + φ) and a·cos(ω t + φ), plus 0.05·N(0,1)
/// noise, with random amplitude a ∈ [0.5, 1], frequency ω ∈ [0.3, 1.2] rad/step and phase φ.
std::shared_ptr<const Dataset> sines(int n, int steps, unsigned seed) {
  Rng rng(seed);
  auto d = std::make_shared<Dataset>();
  d->name = "sines";
  d->shape = Shape::sequence(steps, 2);
  d->samples.resize(2 * steps, n);
  for (int s = 0; s < n; ++s) {
    const float a = 0.5f + 0.5f * rng.uniform(), w = 0.3f + 0.9f * rng.uniform();
    const float phase = 6.2831853f * rng.uniform();
    for (int t = 0; t < steps; ++t) {
      d->samples(2 * t, s) = a * std::sin(w * t + phase) + 0.05f * rng.normal();
      d->samples(2 * t + 1, s) = a * std::cos(w * t + phase) + 0.05f * rng.normal();
    }
  }
  return d;
}

double mse(const Matrix& a, const Matrix& b) { return (a - b).squaredNorm() / double(a.size()); }

}  // namespace

class tst_Lstm : public QObject {
  Q_OBJECT

 private slots:
  void lstmForwardMatchesTheDefinition();
  void lstmBackwardMatchesFiniteDifferences_data();
  void lstmBackwardMatchesFiniteDifferences();
  void stackedLstmsBackwardMatchesFiniteDifferences();
  void sequenceLayersBackwardMatchFiniteDifferences();
  void reverseTimeFlipsTheSteps();
  void lstmModelGradientsMatchFiniteDifferences_data();
  void lstmModelGradientsMatchFiniteDifferences();
  void lstmSpecValidatesAndRoundTrips();
  void forgetGateBiasStartsAtTheSpecsValue();
  void lstmAutoencoderLearnsSines();
};

void tst_Lstm::lstmForwardMatchesTheDefinition() {
  Rng rng(41);
  const int steps = 5, inputs = 3, hidden = 4;
  Lstm seq(steps, inputs, hidden, true), last(steps, inputs, hidden, false);
  seq.initialise(rng);
  for (size_t i = 0; i < 4; ++i) *last.parameters()[i]->value = *seq.parameters()[i]->value;
  const Matrix x = normalMatrix(steps * inputs, 3, rng);
  const Matrix y = seq.forward(x), yLast = last.forward(x);
  QCOMPARE(y.rows(), Eigen::Index(steps * hidden));
  QCOMPARE(yLast.rows(), Eigen::Index(hidden));
  double worst = 0;
  for (Eigen::Index b = 0; b < x.cols(); ++b) {
    const MatrixD expected = lstmByDefinition(seq, x.col(b).cast<double>(), steps, inputs, hidden);
    const MatrixD actual = Eigen::Map<const Matrix>(y.col(b).data(), hidden, steps).cast<double>();
    worst = std::max(worst, (actual - expected).cwiseAbs().maxCoeff());
    worst = std::max(worst,
                     (yLast.col(b).cast<double>() - expected.col(steps - 1)).cwiseAbs().maxCoeff());
  }
  qInfo("largest difference from the definition: %.2e", worst);
  QVERIFY(worst < 1e-5);
  QVERIFY((seq.infer(x) - y).cwiseAbs().maxCoeff() < 1e-6f);
}

void tst_Lstm::lstmBackwardMatchesFiniteDifferences_data() {
  QTest::addColumn<int>("steps");
  QTest::addColumn<int>("inputs");
  QTest::addColumn<int>("hidden");
  QTest::addColumn<bool>("returnSequences");
  QTest::newRow("1 step") << 1 << 3 << 4 << true;
  QTest::newRow("6 steps, sequences") << 6 << 3 << 5 << true;
  QTest::newRow("7 steps, last state") << 7 << 2 << 3 << false;
  QTest::newRow("4 steps, 1 feature") << 4 << 1 << 6 << true;
}

void tst_Lstm::lstmBackwardMatchesFiniteDifferences() {
  QFETCH(int, steps);
  QFETCH(int, inputs);
  QFETCH(int, hidden);
  QFETCH(bool, returnSequences);
  Rng rng(42);
  Sequential net("net");
  net.add<Lstm>(steps, inputs, hidden, returnSequences).initialise(rng);
  checkNetworkGradients(net, normalMatrix(steps * inputs, 3, rng), rng);
}

void tst_Lstm::stackedLstmsBackwardMatchesFiniteDifferences() {
  // Encoder and decoder as the model stacks them: LSTM → LSTM (last) → repeat → LSTM → per step.
  Rng rng(43);
  const int steps = 5;
  Sequential net("net");
  net.add<Lstm>(steps, 2, 4, true).initialise(rng);
  net.add<Lstm>(steps, 4, 3, false).initialise(rng);
  net.add<RepeatVector>(steps, 3);
  net.add<Lstm>(steps, 3, 4, true).initialise(rng);
  net.add<TimeDistributedDense>(steps, 4, 2, Activation::Tanh).initialise(rng);
  // The input gradient fades through two LSTMs: a larger first step (the network is smooth)
  // keeps it above float noise.
  checkNetworkGradients(net, normalMatrix(steps * 2, 3, rng), rng, 5e-2f);
}

void tst_Lstm::sequenceLayersBackwardMatchFiniteDifferences() {
  Rng rng(44);
  Sequential net("net");
  net.add<RepeatVector>(4, 3);
  net.add<TimeDistributedDense>(4, 3, 5, Activation::Sigmoid).initialise(rng);
  net.add<ReverseTime>(4, 5);
  net.add<TimeDistributedDense>(4, 5, 2, Activation::Identity).initialise(rng);
  checkNetworkGradients(net, normalMatrix(3, 4, rng), rng);
}

void tst_Lstm::reverseTimeFlipsTheSteps() {
  Matrix x(6, 1);
  x << 1, 2, 3, 4, 5, 6;  // 3 steps × 2 features
  Matrix expected(6, 1);
  expected << 5, 6, 3, 4, 1, 2;
  ReverseTime reverse(3, 2);
  QCOMPARE(reverse.infer(x), expected);
  QCOMPARE(RepeatVector(3, 2).infer(x.topRows(2)), (Matrix(6, 1) << 1, 2, 1, 2, 1, 2).finished());
}

void tst_Lstm::lstmModelGradientsMatchFiniteDifferences_data() {
  QTest::addColumn<QString>("json");
  QTest::newRow("lstm")
      << R"({"kind":"lstm","hidden":[4],"latent":3,"output_activation":"identity"})";
  QTest::newRow("stacked, reversed target")
      << R"({"kind":"lstm","hidden":[5,3],"latent":2,"lstm":{"reverse_target":true}})";
  QTest::newRow("lstm-vae")
      << R"({"kind":"lstm","variational":true,"hidden":[4],"latent":2,"loss":"mse","beta":0.5})";
  QTest::newRow("denoising lstm")
      << R"({"kind":"lstm","hidden":[4],"latent":3,"noise":"gaussian:0.2"})";
}

void tst_Lstm::lstmModelGradientsMatchFiniteDifferences() {
  QFETCH(QString, json);
  const ModelSpec spec = ModelSpec::fromJson(nlohmann::json::parse(json.toStdString()));
  const Shape shape = Shape::sequence(6, 2);
  const int batch = 3;
  Rng init(45);
  Model model(spec, shape, init);
  const Matrix x = testutil::uniformMatrix(shape.size(), batch, init);
  auto pass = [&] {  // the same noise and ε at every evaluation
    Rng rng(99);
    model.zeroGrad();
    model.forwardTrain(x, rng);
    return model.backwardTrain(x, batch, spec.beta, nullptr).total;
  };
  pass();
  auto params = model.parameters();
  std::vector<Matrix> grads;
  for (auto& p : params) grads.push_back(p.parameter->grad);
  for (size_t i = 0; i < params.size(); ++i)
    QVERIFY2(checkGradient(*params[i].parameter->value, grads[i], pass, params[i].name.c_str(),
                           1e-2f, 60) < Tolerance,
             params[i].name.c_str());
}

void tst_Lstm::lstmSpecValidatesAndRoundTrips() {
  ModelSpec spec;
  spec.kind = ModelKind::Lstm;
  spec.hidden = {64};
  spec.latent = 16;
  spec.lstm.reverseTarget = true;
  spec.lstm.forgetBias = 3;
  spec.training.optimizer.maxGradNorm = 1;
  spec.training.lrSchedule = LrSchedule::Cosine;
  spec.training.lrWarmupEpochs = 2;
  QVERIFY(ModelSpec::fromJson(spec.toJson()) == spec);
  QVERIFY(ModelSpec::fromJson(suggestedLstmSpec().toJson()) == suggestedLstmSpec());
  // Specs written before these options existed train as they did: bias 1, no clip, constant rate.
  const ModelSpec old = ModelSpec::fromJson(nlohmann::json::parse(
      R"({"kind":"lstm","lstm":{"reverse_target":true},"training":{"learning_rate":0.003}})"));
  QCOMPARE(old.lstm.forgetBias, 1.0f);
  QCOMPARE(old.training.optimizer.maxGradNorm, 0.0f);
  QVERIFY(old.training.lrSchedule == LrSchedule::Constant);
  QCOMPARE(old.training.lrWarmupEpochs, 0);
  QVERIFY_THROWS_EXCEPTION(
      Error,
      ModelSpec::fromJson(nlohmann::json::parse(R"({"training":{"lr_schedule":"triangle"}})")));
  QCOMPARE(spec.describeLayers(Shape::image(1, 28, 28)),
           std::string("28×28 →LSTM 64 →16 →repeat 28 →LSTM 64 →28×28 (decoded last step first)"));
  const auto refused = [&](const Shape& shape, const char* expected) {
    try {
      spec.validate(shape);
      return QString("accepted");
    } catch (const Error& e) {
      return QString(e.what()).contains(expected) ? QString() : QString(e.what());
    }
  };
  QCOMPARE(refused(Shape::tabular(10), "needs sequences"), QString());
  QCOMPARE(refused(Shape::image(3, 8, 8), "single-channel"), QString());
  spec.hidden = {};
  QCOMPARE(refused(Shape::sequence(8, 2), "at least one LSTM size"), QString());
  // Model files name the weights as PyTorch's nn.LSTM does (weight_ih, weight_hh, two biases).
  spec.hidden = {4};
  Rng rng(46);
  const Model model(spec, Shape::sequence(8, 2), rng);
  QCOMPARE(model.parameters()[0].name, std::string("encoder.0.weight_ih"));
  QCOMPARE(model.parameters()[0].parameter->value->rows(), Eigen::Index(16));
}

void tst_Lstm::forgetGateBiasStartsAtTheSpecsValue() {
  // bias_ih's forget rows (the second block of H) hold the spec's value in every LSTM of the
  // model, bias_hh's are 0, the other gates keep PyTorch's uniform draw.
  ModelSpec spec;
  spec.kind = ModelKind::Lstm;
  spec.hidden = {5, 3};
  spec.latent = 2;
  spec.lstm.forgetBias = 3;
  Rng rng(47);
  Model model(spec, Shape::sequence(6, 2), rng);
  int lstms = 0;
  for (const auto& p : model.parameters()) {
    const Matrix& v = *p.parameter->value;
    const Eigen::Index h = v.rows() / 4;
    if (p.name.ends_with("bias_ih")) {
      ++lstms;
      QVERIFY2((v.middleRows(h, h).array() == 3.0f).all(), p.name.c_str());
      QVERIFY(v.topRows(h).cwiseAbs().maxCoeff() <= 1 / std::sqrt(float(h)));
    }
    if (p.name.ends_with("bias_hh")) QVERIFY2(v.middleRows(h, h).isZero(), p.name.c_str());
  }
  QCOMPARE(lstms, 4);  // two in the encoder, two in the decoder
}

void tst_Lstm::lstmAutoencoderLearnsSines() {
  // Three numbers (a, ω, φ) describe each window, but the frequency spread leaves PCA far off at
  // 4 components; a 4-unit LSTM code does much better, and decoding the steps in reverse (the
  // first outputs are the steps the encoder read last) learns faster than in order.
  const int steps = 24;
  auto train = sines(2000, steps, 1), test = sines(500, steps, 2);
  const double pcaMse = Pca::fit(train->samples, 4).reconstructionMse(test->samples);
  double aeMse[2] = {0, 0};
  for (bool reverse : {false, true}) {
    ModelSpec spec;
    spec.kind = ModelKind::Lstm;
    spec.hidden = {32};
    spec.latent = 4;
    spec.lstm.reverseTarget = reverse;
    spec.outputActivation = Activation::Identity;
    spec.training.epochs = 12;
    spec.training.batchSize = 32;
    spec.training.optimizer.learningRate = 3e-3f;
    spec.training.seed = 4;
    spec.training.threads = 2;
    Trainer trainer(spec, train, nullptr);
    QCOMPARE(testutil::stateName(trainer.run()), QString("finished"));
    aeMse[reverse] = mse(trainer.model().reconstruct(test->samples), test->samples);
  }
  const double power = test->samples.squaredNorm() / double(test->samples.size());
  qInfo(
      "sines, code 4, 12 epochs: test MSE LSTM AE %.5f (in order), %.5f (reversed target), "
      "PCA %.5f; signal power %.5f",
      aeMse[0], aeMse[1], pcaMse, power);
  QVERIFY2(aeMse[1] < 0.5 * pcaMse,
           qPrintable(QString("LSTM AE %1 vs PCA %2").arg(aeMse[1]).arg(pcaMse)));
  QVERIFY2(aeMse[1] < aeMse[0], "the reversed target did not help");
}

QTEST_APPLESS_MAIN(tst_Lstm)
#include "tst_lstm.moc"
