// Optimizers: exact values against torch.optim (tests/data/optimizer_reference.json, written by
// tests/data/make_optimizer_reference.py), convergence on XOR, and the state()/setState() round
// trip.
#include <QtTest>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/dense.h"
#include "nn/loss.h"
#include "nn/optimizer.h"
#include "testutil.h"

using namespace latent;
using nlohmann::json;

Q_DECLARE_METATYPE(latent::OptimizerOptions)

namespace {

/// A row-major nested list (rows × cols) or a flat list (n × 1) from the reference file.
Matrix matrixFromJson(const json& j) {
  if (!j.is_array() || j.empty()) throw std::runtime_error("expected a non-empty list");
  if (!j.front().is_array()) {
    Matrix m(static_cast<Eigen::Index>(j.size()), 1);
    for (size_t i = 0; i < j.size(); ++i) m(Eigen::Index(i), 0) = j[i].get<Scalar>();
    return m;
  }
  Matrix m(static_cast<Eigen::Index>(j.size()), static_cast<Eigen::Index>(j.front().size()));
  for (size_t r = 0; r < j.size(); ++r) {
    if (j[r].size() != size_t(m.cols())) throw std::runtime_error("ragged matrix");
    for (size_t c = 0; c < j[r].size(); ++c)
      m(Eigen::Index(r), Eigen::Index(c)) = j[r][c].get<Scalar>();
  }
  return m;
}

OptimizerOptions optionsFromJson(const std::string& kind, const json& o) {
  OptimizerOptions options;
  options.kind = optimizerFromString(kind);
  options.learningRate = o.at("lr").get<float>();
  options.weightDecay = o.at("weight_decay").get<float>();
  if (options.kind == OptimizerKind::Sgd) {
    options.momentum = o.at("momentum").get<float>();
    options.nesterov = o.at("nesterov").get<bool>();
  } else {
    options.beta1 = o.at("betas")[0].get<double>();
    options.beta2 = o.at("betas")[1].get<double>();
    options.epsilon = o.at("eps").get<float>();
  }
  return options;
}

/// Parameters owning their values, for tests that need no layer.
struct ParameterSet {
  std::vector<Parameter> params;

  void add(const std::string& name, const Matrix& value) {
    params.push_back(
        {name, std::make_shared<Matrix>(value), Matrix::Zero(value.rows(), value.cols())});
  }
  std::vector<Parameter*> pointers() {
    std::vector<Parameter*> out;
    for (Parameter& p : params) out.push_back(&p);
    return out;
  }
  ParameterSet deepCopy() const {
    ParameterSet copy;
    for (const Parameter& p : params) copy.add(p.name, *p.value);
    return copy;
  }
};

/// The 2→8 tanh → 1 sigmoid network fitted to XOR by full-batch gradient descent on the MSE.
struct XorNet {
  Dense hidden{2, 8, Activation::Tanh};
  Dense output{8, 1, Activation::Sigmoid};
  Matrix x{2, 4}, y{1, 4};

  explicit XorNet(uint64_t seed) {
    Rng rng(seed);
    hidden.initialise(rng);
    output.initialise(rng);
    x << 0, 0, 1, 1,  //
        0, 1, 0, 1;
    y << 0, 1, 1, 0;
  }
  std::vector<Parameter*> parameters() {
    std::vector<Parameter*> out = hidden.parameters();
    for (Parameter* p : output.parameters()) out.push_back(p);
    return out;
  }
  /// zeroGrad → forward → loss → backward; returns the loss before the step.
  double computeGradients() {
    hidden.zeroGrad();
    output.zeroGrad();
    Matrix gradPrediction;
    const double loss =
        mseLoss(output.forward(hidden.forward(x)), y, 4, Reduction::MeanPerElement, gradPrediction);
    hidden.backward(output.backward(gradPrediction));
    return loss;
  }
};

OptimizerOptions sgdOptions(float lr, bool nesterov) {
  OptimizerOptions o;
  o.kind = OptimizerKind::Sgd;
  o.learningRate = lr;
  o.momentum = 0.9f;
  o.nesterov = nesterov;
  return o;
}

OptimizerOptions adamOptions(OptimizerKind kind, float lr, float weightDecay) {
  OptimizerOptions o;
  o.kind = kind;
  o.learningRate = lr;
  o.weightDecay = weightDecay;
  return o;
}

}  // namespace

class tst_Optimizers : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void ProducesPyTorchValues_Sgd() { checkAgainstPyTorch("Sgd"); }
  void ProducesPyTorchValues_SgdNesterov() { checkAgainstPyTorch("SgdNesterov"); }
  void ProducesPyTorchValues_SgdWeightDecay() { checkAgainstPyTorch("SgdWeightDecay"); }
  void ProducesPyTorchValues_Adam() { checkAgainstPyTorch("Adam"); }
  void ProducesPyTorchValues_AdamWeightDecay() { checkAgainstPyTorch("AdamWeightDecay"); }
  void ProducesPyTorchValues_AdamW() { checkAgainstPyTorch("AdamW"); }

  void XORConvergence_Sgd() { checkXorConvergence(sgdOptions(0.5f, false), 300); }
  void XORConvergence_SgdNesterov() { checkXorConvergence(sgdOptions(0.5f, true), 300); }
  void XORConvergence_Adam() {
    checkXorConvergence(adamOptions(OptimizerKind::Adam, 0.05f, 0), 300);
  }
  void XORConvergence_AdamW() {
    checkXorConvergence(adamOptions(OptimizerKind::AdamW, 0.05f, 1e-2f), 300);
  }

  void stateRoundTripContinuesExactly_data();
  void stateRoundTripContinuesExactly();
  void setStateWithWrongShapesThrows();
  void stepCounterAdvancesOncePerStep();
  void replicaGradientsAreAddedBeforeTheUpdate();
  void zeroingStepFlagsGradientsAndBackwardOverwrites();
  void gradientNormClippingScalesTheSummedGradient();

 private:
  void checkAgainstPyTorch(const std::string& caseName);
  void checkXorConvergence(const OptimizerOptions& options, int maxSteps);

  json m_reference;
};

void tst_Optimizers::initTestCase() {
  const std::string path = std::string(LATENT_TEST_DATA) + "/optimizer_reference.json";
  std::ifstream in(path);
  QVERIFY2(in.good(), qPrintable(QString::fromStdString("cannot open " + path)));
  m_reference = json::parse(in);
  QCOMPARE(m_reference.at("gradients").size(), size_t(5));
}

void tst_Optimizers::checkAgainstPyTorch(const std::string& caseName) {
  const json* entry = nullptr;
  for (const json& c : m_reference.at("cases"))
    if (c.at("name") == caseName) entry = &c;
  QVERIFY2(entry, ("no case " + caseName + " in optimizer_reference.json").c_str());

  ParameterSet set;
  for (const json& p : m_reference.at("parameters"))
    set.add(p.at("name").get<std::string>(), matrixFromJson(p.at("initial")));
  const OptimizerOptions options =
      optionsFromJson(entry->at("optimizer").get<std::string>(), entry->at("options"));
  auto optimizer = makeOptimizer(set.pointers(), options);

  const json& gradients = m_reference.at("gradients");
  const json& steps = entry->at("steps");
  QCOMPARE(steps.size(), gradients.size());
  double worst = 0;
  for (size_t s = 0; s < steps.size(); ++s) {
    for (Parameter& p : set.params) p.grad = matrixFromJson(gradients[s].at(p.name));
    optimizer->step();
    for (const Parameter& p : set.params) {
      const Matrix expected = matrixFromJson(steps[s].at(p.name));
      QCOMPARE(p.value->rows(), expected.rows());
      QCOMPARE(p.value->cols(), expected.cols());
      const double diff = (*p.value - expected).cwiseAbs().maxCoeff();
      if (diff >= 1e-6)
        qWarning("%s step %zu %s: largest difference %.3g", caseName.c_str(), s + 1, p.name.c_str(),
                 diff);
      worst = std::max(worst, diff);
    }
  }
  // The state after the last step (exp_avg.0, momentum_buffer.1, ...) has PyTorch's names.
  double worstState = 0;
  const auto state = optimizer->state();
  for (const auto& [name, value] : entry->at("state_after_last_step").items()) {
    auto it = state.find(name);
    QVERIFY2(it != state.end(), ("state() has no '" + name + "'").c_str());
    const Matrix expected = matrixFromJson(value);
    QCOMPARE(it->second.rows(), expected.rows());
    worstState = std::max(worstState, double((it->second - expected).cwiseAbs().maxCoeff()));
  }
  QCOMPARE(state.size(), entry->at("state_after_last_step").size());
  qInfo(
      "%s: largest difference from PyTorch %.3g in the parameters over %zu steps, %.3g in the "
      "state",
      caseName.c_str(), worst, steps.size(), worstState);
  QVERIFY(worst < 1e-6);
  QVERIFY(worstState < 1e-6);
  QCOMPARE(optimizer->stepCount(), static_cast<long long>(steps.size()));
}

void tst_Optimizers::checkXorConvergence(const OptimizerOptions& options, int maxSteps) {
  // Several seeds: a convergence claim should not rest on one lucky initialisation.
  for (uint64_t seed : {1, 2, 3}) {
    XorNet net(seed);
    auto optimizer = makeOptimizer(net.parameters(), options);
    double loss = net.computeGradients();
    const double initial = loss;
    int steps = 0;
    while (loss >= 0.02 && steps < maxSteps) {
      optimizer->step();
      ++steps;
      loss = net.computeGradients();
    }
    qInfo("%s seed %d: loss %.4f → %.4f after %d steps", toString(options.kind).c_str(), int(seed),
          initial, loss, steps);
    QVERIFY2(loss < 0.02,
             qPrintable(QString("seed %1: loss %2 after %3 steps").arg(seed).arg(loss).arg(steps)));
  }
}

void tst_Optimizers::stateRoundTripContinuesExactly_data() {
  QTest::addColumn<OptimizerOptions>("options");
  OptimizerOptions sgd = sgdOptions(0.1f, false);
  sgd.weightDecay = 0.01f;
  QTest::newRow("sgd") << sgd;
  QTest::newRow("sgd-nesterov") << sgdOptions(0.1f, true);
  QTest::newRow("adam") << adamOptions(OptimizerKind::Adam, 1e-2f, 0.1f);
  QTest::newRow("adamw") << adamOptions(OptimizerKind::AdamW, 1e-2f, 0.1f);
}

void tst_Optimizers::stateRoundTripContinuesExactly() {
  QFETCH(OptimizerOptions, options);
  Rng rng(5);
  ParameterSet original;
  original.add("weight", testutil::normalMatrix(6, 5, rng));
  original.add("bias", testutil::normalMatrix(6, 1, rng));
  std::vector<std::vector<Matrix>> gradients(7);
  for (auto& step : gradients)
    for (const Parameter& p : original.params)
      step.push_back(testutil::normalMatrix(p.value->rows(), p.value->cols(), rng));
  auto feed = [&](ParameterSet& set, Optimizer& optimizer, size_t step) {
    for (size_t i = 0; i < set.params.size(); ++i) set.params[i].grad = gradients[step][i];
    optimizer.step();
  };

  auto first = makeOptimizer(original.pointers(), options);
  for (size_t s = 0; s < 3; ++s) feed(original, *first, s);
  const auto saved = first->state();
  const long long savedStep = first->stepCount();
  QCOMPARE(savedStep, 3LL);
  QVERIFY(!saved.empty());

  ParameterSet resumed = original.deepCopy();  // as loaded from a model file
  auto second = makeOptimizer(resumed.pointers(), options);
  second->setState(saved, savedStep);
  QCOMPARE(second->stepCount(), savedStep);
  for (size_t s = 3; s < gradients.size(); ++s) {
    feed(original, *first, s);
    feed(resumed, *second, s);
    for (size_t i = 0; i < original.params.size(); ++i)
      QCOMPARE(*resumed.params[i].value, *original.params[i].value);  // bit for bit
  }
  QCOMPARE(second->state(), first->state());
  QCOMPARE(second->stepCount(), first->stepCount());
}

void tst_Optimizers::setStateWithWrongShapesThrows() {
  for (const OptimizerOptions& options :
       {sgdOptions(0.1f, false), adamOptions(OptimizerKind::Adam, 1e-2f, 0)}) {
    ParameterSet set;
    set.add("weight", Matrix::Ones(3, 4));
    set.add("bias", Matrix::Ones(3, 1));
    for (Parameter& p : set.params)
      p.grad = Matrix::Constant(p.value->rows(), p.value->cols(), 0.5f);
    auto optimizer = makeOptimizer(set.pointers(), options);
    optimizer->step();
    const auto good = optimizer->state();

    auto wrongShape = good;
    const std::string first = good.begin()->first;  // e.g. "exp_avg.0": the 3×4 weight's slot
    wrongShape[first] = Matrix::Zero(4, 3);
    try {
      optimizer->setState(wrongShape, 1);
      QFAIL("setState accepted a transposed tensor");
    } catch (const Error& e) {
      qInfo("%s", e.what());
      QCOMPARE(e.code(), Error::Code::Format);
      QVERIFY2(std::string(e.what()).find("4×3") != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("3×4") != std::string::npos, e.what());
    }
    auto missing = good;
    missing.erase(std::prev(missing.end()));
    QVERIFY_THROWS_EXCEPTION(Error, optimizer->setState(missing, 1));

    // A failed setState leaves the optimizer as it was.
    QCOMPARE(optimizer->state(), good);
    QCOMPARE(optimizer->stepCount(), 1LL);
  }
}

void tst_Optimizers::stepCounterAdvancesOncePerStep() {
  ParameterSet set;
  set.add("a", Matrix::Ones(2, 2));
  set.add("b", Matrix::Ones(300, 100));  // big enough to be split across TBB tasks
  for (Parameter& p : set.params) p.grad = Matrix::Ones(p.value->rows(), p.value->cols());
  for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW}) {
    OptimizerOptions o;
    o.kind = kind;
    auto optimizer = makeOptimizer(set.pointers(), o);
    for (int s = 1; s <= 4; ++s) {
      optimizer->step();
      QCOMPARE(optimizer->stepCount(), static_cast<long long>(s));
    }
    // Every value of a parameter got the same update, whichever task it was in.
    for (const Parameter& p : set.params) QCOMPARE(p.value->maxCoeff(), p.value->minCoeff());
    QCOMPARE((*set.params[0].value)(0, 0), (*set.params[1].value)(0, 0));
    optimizer->zeroGrad();
    for (const Parameter& p : set.params) QCOMPARE(p.grad.cwiseAbs().maxCoeff(), 0.0f);
    for (Parameter& p : set.params) p.grad.setOnes();
  }
}

void tst_Optimizers::replicaGradientsAreAddedBeforeTheUpdate() {
  // step({replica}) == adding the replica's gradient by hand, then step(); on a parameter large
  // enough to be split into several chunks.
  auto makeParameter = [](float fill) {
    Parameter p{"weight", std::make_shared<Matrix>(Matrix::Constant(300, 250, 0.5f)), Matrix()};
    p.grad = Matrix::Constant(300, 250, fill);
    p.grad(7, 200) = -3 * fill;
    return p;
  };
  Parameter fused = makeParameter(0.1f), manual = makeParameter(0.1f),
            replica = makeParameter(0.02f);
  auto a = makeOptimizer({&fused}, adamOptions(OptimizerKind::Adam, 1e-2f, 0));
  auto b = makeOptimizer({&manual}, adamOptions(OptimizerKind::Adam, 1e-2f, 0));
  a->step({{&replica}});
  manual.grad += replica.grad;
  b->step();
  QVERIFY(*fused.value == *manual.value);
  QVERIFY(fused.grad == manual.grad);
  QVERIFY(*fused.value != Matrix::Constant(300, 250, 0.5f));
}

void tst_Optimizers::zeroingStepFlagsGradientsAndBackwardOverwrites() {
  Rng rng(3);
  Dense layer(4, 3, Activation::Tanh);
  layer.initialise(rng);
  const Matrix x = Matrix::Random(4, 5), r = Matrix::Random(3, 5);
  layer.zeroGrad();
  layer.forward(x);
  layer.backward(r);
  auto params = layer.parameters();
  auto optimizer = makeOptimizer(params, adamOptions(OptimizerKind::Adam, 1e-2f, 0));
  optimizer->step({}, /*zeroGradients=*/true);
  for (Parameter* p : params) QVERIFY(p->gradIsZero);
  layer.forward(x);  // the next pass overwrites the stale buffers...
  layer.backward(r);
  const Matrix lazyWeight = params[0]->grad, lazyBias = params[1]->grad;
  layer.zeroGrad();  // ...exactly as a pass from real zeros does
  layer.forward(x);
  layer.backward(r);
  QVERIFY(lazyWeight == params[0]->grad);
  QVERIFY(lazyBias == params[1]->grad);
  QVERIFY(!params[0]->gradIsZero);
}

void tst_Optimizers::gradientNormClippingScalesTheSummedGradient() {
  // Plain SGD at rate 1, so a step moves every value by minus its (clipped) gradient. Two
  // parameters, one big enough to be split into chunks, each with a replica's gradient to add:
  // the norm is that of all summed gradients together (torch.nn.utils.clip_grad_norm_).
  auto makeSet = [] {
    ParameterSet set;
    set.add("weight", Matrix::Zero(300, 250));
    set.add("bias", Matrix::Zero(3, 1));
    set.params[0].grad = Matrix::Constant(300, 250, 0.01f);
    set.params[0].grad(7, 200) = 2.0f;
    set.params[1].grad << 1.0f, -2.0f, 0.5f;
    return set;
  };
  OptimizerOptions o = sgdOptions(1.0f, false);
  o.momentum = 0;
  const ParameterSet reference = makeSet();
  double squared = 0;
  for (const Parameter& p : reference.params) squared += 4.0 * p.grad.cast<double>().squaredNorm();
  const double norm = std::sqrt(squared);  // of own + replica = 2 × the set's gradient

  for (const float maxNorm : {float(norm / 4), float(2 * norm)}) {
    ParameterSet own = makeSet(), replica = makeSet();
    o.maxGradNorm = maxNorm;
    auto optimizer = makeOptimizer(own.pointers(), o);
    optimizer->step({replica.pointers()}, /*zeroGradients=*/true);
    QVERIFY(std::abs(optimizer->lastGradNorm() - norm) < 1e-6 * norm);
    const double scale = std::min(1.0, maxNorm / (norm + 1e-6));
    for (size_t i = 0; i < own.params.size(); ++i) {
      const Matrix expected =
          (-2.0 * scale * reference.params[i].grad.cast<double>()).cast<Scalar>();
      const double difference = (*own.params[i].value - expected).cwiseAbs().maxCoeff();
      QVERIFY2(
          difference < 1e-6,
          qPrintable(QString("max norm %1: largest difference %2").arg(maxNorm).arg(difference)));
    }
  }
  // Off (0), the norm is not computed.
  ParameterSet own = makeSet(), replica = makeSet();
  o.maxGradNorm = 0;
  auto optimizer = makeOptimizer(own.pointers(), o);
  optimizer->step({replica.pointers()});
  QCOMPARE(optimizer->lastGradNorm(), 0.0);
  QCOMPARE((*own.params[1].value)(1, 0), 4.0f);
}

QTEST_APPLESS_MAIN(tst_Optimizers)
#include "tst_optimizers.moc"
