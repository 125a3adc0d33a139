// Finite-difference gradient checks for every layer, loss and model kind (central differences).
#include <QtTest>
#include <functional>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "nn/activationlayer.h"
#include "nn/dense.h"
#include "nn/loss.h"
#include "testutil.h"

using namespace latent;
using testutil::checkGradient;
using testutil::normalMatrix;
using testutil::Tolerance;
using testutil::uniformMatrix;

Q_DECLARE_METATYPE(latent::Activation)

class tst_Gradients : public QObject {
  Q_OBJECT

 private slots:
  void denseBackwardMatchesFiniteDifferences_data();
  void denseBackwardMatchesFiniteDifferences();
  void tiedDenseBackwardMatchesFiniteDifferences();
  void activationLayerBackwardMatchesFiniteDifferences_data();
  void activationLayerBackwardMatchesFiniteDifferences();
  void dropoutBackwardMatchesFiniteDifferences();
  void lossGradientsMatchFiniteDifferences_data();
  void lossGradientsMatchFiniteDifferences();
  void klSparsityGradientMatchesFiniteDifferences();
  void modelGradientsMatchFiniteDifferences_data();
  void modelGradientsMatchFiniteDifferences();
  void dataParallelSlicesAddUpToTheWholeBatch();
};

void tst_Gradients::denseBackwardMatchesFiniteDifferences_data() {
  QTest::addColumn<Activation>("activation");
  for (Activation a : {Activation::Identity, Activation::ReLU, Activation::LeakyReLU,
                       Activation::Tanh, Activation::Sigmoid, Activation::ELU, Activation::GELU})
    QTest::newRow(toString(a).c_str()) << a;
}

void tst_Gradients::denseBackwardMatchesFiniteDifferences() {
  QFETCH(Activation, activation);
  Rng rng(7);
  Dense layer(5, 4, activation);
  layer.initialise(rng);
  Matrix x = normalMatrix(5, 3, rng);
  const Matrix r = normalMatrix(4, 3, rng);  // L = Σ y ⊙ r, so dL/dy = r
  auto loss = [&] {
    return double(layer.infer(x).cast<double>().cwiseProduct(r.cast<double>()).sum());
  };
  layer.zeroGrad();
  layer.forward(x);
  const Matrix gx = layer.backward(r);
  auto params = layer.parameters();
  QVERIFY(checkGradient(*params[0]->value, params[0]->grad, loss, "dL/dW") < Tolerance);
  QVERIFY(checkGradient(*params[1]->value, params[1]->grad, loss, "dL/db") < Tolerance);
  QVERIFY(checkGradient(x, gx, loss, "dL/dx") < Tolerance);
}

void tst_Gradients::tiedDenseBackwardMatchesFiniteDifferences() {
  Rng rng(8);
  Dense source(6, 3, Activation::Tanh);
  source.initialise(rng);
  TiedDense tied(source, Activation::Sigmoid);
  *tied.parameters()[0]->value = normalMatrix(6, 1, rng, 0.3f);
  Matrix x = normalMatrix(3, 4, rng);
  const Matrix r = normalMatrix(6, 4, rng);
  auto loss = [&] {
    return double(tied.infer(x).cast<double>().cwiseProduct(r.cast<double>()).sum());
  };
  source.zeroGrad();
  tied.zeroGrad();
  tied.forward(x);
  const Matrix gx = tied.backward(r);
  Parameter* w = source.parameters()[0];
  QVERIFY(checkGradient(*w->value, w->grad, loss, "dL/dW (tied)") < Tolerance);
  Parameter* b = tied.parameters()[0];
  QVERIFY(checkGradient(*b->value, b->grad, loss, "dL/db (tied)") < Tolerance);
  QVERIFY(checkGradient(x, gx, loss, "dL/dx (tied)") < Tolerance);
}

void tst_Gradients::activationLayerBackwardMatchesFiniteDifferences_data() {
  denseBackwardMatchesFiniteDifferences_data();
}

void tst_Gradients::activationLayerBackwardMatchesFiniteDifferences() {
  QFETCH(Activation, activation);
  Rng rng(9);
  ActivationLayer layer(6, activation);
  Matrix x = normalMatrix(6, 5, rng);
  const Matrix r = normalMatrix(6, 5, rng);
  auto loss = [&] {
    return double(layer.infer(x).cast<double>().cwiseProduct(r.cast<double>()).sum());
  };
  layer.forward(x);
  const Matrix gx = layer.backward(r);
  QVERIFY(checkGradient(x, gx, loss, "dL/dx", 1e-3f) < Tolerance);
}

void tst_Gradients::dropoutBackwardMatchesFiniteDifferences() {
  Rng rng(10);
  Dropout layer(8, 0.5f);
  Matrix x = normalMatrix(8, 4, rng);
  const Matrix r = normalMatrix(8, 4, rng);
  Rng maskRng(3);
  auto loss = [&] {  // the same mask every call
    maskRng.reseed(3);
    layer.setTraining(true, &maskRng);
    return double(layer.forward(x).cast<double>().cwiseProduct(r.cast<double>()).sum());
  };
  loss();
  const Matrix gx = layer.backward(r);
  QVERIFY((gx.array() == 0).count() > 0);  // some units dropped
  QVERIFY(checkGradient(x, gx, loss, "dL/dx (dropout)") < Tolerance);
  layer.setTraining(false, nullptr);
  QCOMPARE(layer.infer(x), x);
}

void tst_Gradients::lossGradientsMatchFiniteDifferences_data() {
  QTest::addColumn<QString>("loss");
  QTest::addColumn<int>("reduction");
  for (const char* l : {"mse", "bce", "l1"})
    for (int r : {0, 1})
      QTest::newRow(qPrintable(QString("%1/%2").arg(l).arg(r))) << QString(l) << r;
}

void tst_Gradients::lossGradientsMatchFiniteDifferences() {
  QFETCH(QString, loss);
  QFETCH(int, reduction);
  Rng rng(11);
  Matrix pred = normalMatrix(7, 5, rng, 2.0f);
  const Matrix target = uniformMatrix(7, 5, rng);
  const Reduction red =
      reduction == 0 ? Reduction::MeanPerElement : Reduction::SumFeaturesMeanBatch;
  const int batchTotal = 9;  // a slice of a bigger batch
  auto value = [&](Matrix& grad) {
    if (loss == "mse") return mseLoss(pred, target, batchTotal, red, grad);
    if (loss == "bce") return bceWithLogitsLoss(pred, target, batchTotal, red, grad);
    grad = Matrix::Zero(pred.rows(), pred.cols());
    return l1SparsityPenalty(pred, 0.3f, batchTotal, grad);
  };
  Matrix grad, scratch;
  value(grad);
  QVERIFY(checkGradient(
              pred, grad, [&] { return value(scratch); }, qPrintable(loss), 1e-3f) < Tolerance);
}

void tst_Gradients::klSparsityGradientMatchesFiniteDifferences() {
  Rng rng(12);
  Matrix h = uniformMatrix(5, 6, rng) * 0.8f + Matrix::Constant(5, 6, 0.1f);
  const float rho = 0.05f, weight = 2.0f;
  auto value = [&] {
    const Vector mean = h.rowwise().mean();
    return klSparsityValue(mean, rho, weight);
  };
  Matrix grad = Matrix::Zero(5, 6);
  const Vector mean = h.rowwise().mean();
  addKlSparsityGradient(mean, rho, weight, 6, grad);
  QVERIFY(checkGradient(h, grad, value, "KL sparsity", 1e-3f) < Tolerance);

  Matrix mu = normalMatrix(3, 4, rng), logVar = normalMatrix(3, 4, rng, 0.5f), gMu, gLv, s1, s2;
  gaussianKlLoss(mu, logVar, 4, gMu, gLv);
  QVERIFY(checkGradient(
              mu, gMu, [&] { return gaussianKlLoss(mu, logVar, 4, s1, s2); }, "KL/dmu", 1e-3f) <
          Tolerance);
  QVERIFY(checkGradient(
              logVar, gLv, [&] { return gaussianKlLoss(mu, logVar, 4, s1, s2); }, "KL/dlogvar",
              1e-3f) < Tolerance);
}

void tst_Gradients::modelGradientsMatchFiniteDifferences_data() {
  QTest::addColumn<QString>("json");
  QTest::newRow("dense") << R"({"kind":"dense","hidden":[7],"latent":3})";
  QTest::newRow("dense-bce-gelu")
      << R"({"kind":"dense","hidden":[6,5],"latent":2,"activation":"gelu","loss":"bce"})";
  QTest::newRow("overcomplete-tanh")
      << R"({"kind":"dense","hidden":[],"latent":12,"activation":"tanh"})";
  QTest::newRow("tied")
      << R"({"kind":"dense","hidden":[6],"latent":3,"tied_weights":true,"activation":"elu"})";
  QTest::newRow("sparse-l1")
      << R"({"kind":"sparse","hidden":[6],"latent":5,"latent_activation":"relu","sparsity":"l1:0.05"})";
  QTest::newRow("sparse-kl")
      << R"({"kind":"sparse","hidden":[6],"latent":5,"latent_activation":"sigmoid","sparsity":"kl:0.1:0.5"})";
  QTest::newRow("denoising-gaussian")
      << R"({"kind":"denoising","hidden":[6],"latent":3,"noise":"gaussian:0.3"})";
  QTest::newRow("denoising-mask")
      << R"({"kind":"denoising","hidden":[6],"latent":3,"noise":"mask:0.3"})";
  QTest::newRow("denoising-saltpepper")
      << R"({"kind":"denoising","hidden":[6],"latent":3,"noise":"saltpepper:0.2"})";
  QTest::newRow("dropout") << R"({"kind":"dense","hidden":[8],"latent":3,"dropout":0.3})";
  QTest::newRow("vae") << R"({"kind":"vae","hidden":[6],"latent":2,"loss":"bce","beta":1.5})";
  QTest::newRow("vae-mse") << R"({"kind":"vae","hidden":[6,4],"latent":3,"loss":"mse"})";
}

void tst_Gradients::modelGradientsMatchFiniteDifferences() {
  QFETCH(QString, json);
  const ModelSpec spec = ModelSpec::fromJson(nlohmann::json::parse(json.toStdString()));
  const int inputs = 9, batch = 4;
  Rng init(13);
  Model model(spec, inputs, init);
  const Matrix x = uniformMatrix(inputs, batch, init);
  const float beta = spec.beta;
  // Same noise, dropout mask and ε at every evaluation: a fixed seed per pass.
  auto pass = [&] {
    Rng rng(99);
    model.zeroGrad();
    model.forwardTrain(x, rng);
    const Vector mean = model.codeActivationSum() / Scalar(batch);
    return model.backwardTrain(x, batch, beta, &mean).total;
  };
  pass();
  std::vector<Matrix> grads;
  for (auto& p : model.parameters()) grads.push_back(p.parameter->grad);
  auto params = model.parameters();
  for (size_t i = 0; i < params.size(); ++i)
    QVERIFY2(checkGradient(*params[i].parameter->value, grads[i], pass, params[i].name.c_str()) <
                 Tolerance,
             params[i].name.c_str());
}

void tst_Gradients::dataParallelSlicesAddUpToTheWholeBatch() {
  // Two replicas on halves of a batch give the same gradient sum as one pass on the whole batch.
  const ModelSpec spec =
      ModelSpec::fromJson(nlohmann::json::parse(R"({"kind":"dense","hidden":[6],"latent":3})"));
  Rng init(14);
  Model whole(spec, 5, init);
  auto replica = whole.replicaSharingWeights();
  const Matrix x = uniformMatrix(5, 6, init);
  const Matrix left = x.leftCols(2), right = x.rightCols(4);
  Rng r1(1), r2(2), r3(3);
  whole.zeroGrad();
  whole.forwardTrain(x, r1);
  const double total = whole.backwardTrain(x, 6, 1, nullptr).total;
  std::vector<Matrix> expected;
  for (auto& p : whole.parameters()) expected.push_back(p.parameter->grad);

  whole.zeroGrad();
  replica->zeroGrad();
  whole.forwardTrain(left, r2);
  replica->forwardTrain(right, r3);
  const double sum = whole.backwardTrain(left, 6, 1, nullptr).total +
                     replica->backwardTrain(right, 6, 1, nullptr).total;
  QVERIFY(std::abs(sum - total) < 1e-6 * std::max(1.0, total));
  auto a = whole.parameters();
  auto b = replica->parameters();
  for (size_t i = 0; i < a.size(); ++i) {
    QCOMPARE(a[i].parameter->value.get(), b[i].parameter->value.get());  // shared values
    const Matrix combined = a[i].parameter->grad + b[i].parameter->grad;
    QVERIFY2((combined - expected[i]).cwiseAbs().maxCoeff() < 1e-5f, a[i].name.c_str());
  }
}

QTEST_APPLESS_MAIN(tst_Gradients)
#include "tst_gradients.moc"
