// The convolutional layers: forward against the definitions written out as plain loops (PyTorch's
// documented formulas), backward against central finite differences, on odd shapes (non-square,
// stride 2 with odd sizes, padding 0 and 1, even kernels).
#include <QtTest>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "nn/batchnorm2d.h"
#include "nn/conv2d.h"
#include "nn/convtranspose2d.h"
#include "nn/maxpool2d.h"
#include "nn/reshape.h"
#include "nn/upsample.h"
#include "testutil.h"

using namespace latent;
using testutil::checkGradient;
using testutil::normalMatrix;
using testutil::Tolerance;

Q_DECLARE_METATYPE(latent::Activation)
Q_DECLARE_METATYPE(latent::UpsampleMode)

namespace {

// Enough entries to reach every border case of these small layers.
constexpr int ManyChecks = 400;

/// L = Σ y ⊙ r in double, so dL/dy = r.
double weightedSum(const Matrix& y, const Matrix& r) {
  return y.cast<double>().cwiseProduct(r.cast<double>()).sum();
}

/// Checks dL/dx and every parameter gradient of `layer` for L = Σ forward(x) ⊙ r. `training`
/// evaluates L with forward (batch statistics) instead of infer.
void checkLayerGradients(Layer& layer, Matrix x, Rng& rng, bool training = false, float h = 1e-2f) {
  const Matrix r = normalMatrix(layer.outputSize(), x.cols(), rng);
  auto loss = [&] { return weightedSum(training ? layer.forward(x) : layer.infer(x), r); };
  layer.zeroGrad();
  layer.forward(x);
  const Matrix gx = layer.backward(r);
  QVERIFY(checkGradient(x, gx, loss, "dL/dx", h, ManyChecks) < Tolerance);
  for (Parameter* p : layer.parameters()) {
    const Matrix grad = p->grad;
    const std::string what = "dL/d" + p->name;
    QVERIFY2(checkGradient(*p->value, grad, loss, what.c_str(), h, ManyChecks) < Tolerance,
             what.c_str());
  }
}

// The convolution's definition: y[o][oy][ox] = b[o] + Σ W[o][c][ky][kx] x[c][oy·s-p+ky][ox·s-p+kx].
Matrix convolveByDefinition(const Conv2D& layer, const Matrix& w, const Matrix& bias,
                            const Matrix& x, int k, int s, int p) {
  const ImageDims in = layer.inputDims(), out = layer.outputDims();
  Matrix y(out.size(), x.cols());
  for (Eigen::Index n = 0; n < x.cols(); ++n)
    for (int o = 0; o < out.channels; ++o)
      for (int oy = 0; oy < out.height; ++oy)
        for (int ox = 0; ox < out.width; ++ox) {
          double sum = bias(o, 0);
          for (int c = 0; c < in.channels; ++c)
            for (int ky = 0; ky < k; ++ky)
              for (int kx = 0; kx < k; ++kx) {
                const int iy = oy * s - p + ky, ix = ox * s - p + kx;
                if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width) continue;
                sum += double(w(o, (c * k + ky) * k + kx)) *
                       x((c * in.height + iy) * in.width + ix, n);
              }
          y((o * out.height + oy) * out.width + ox, n) = Scalar(sum);
        }
  return y;
}

// The transposed convolution's definition: each input pixel scatters W[c][o] into the output,
// y[o][iy·s-p+ky][ix·s-p+kx] += W[c][o][ky][kx] x[c][iy][ix], plus b[o] everywhere.
Matrix transposeConvolveByDefinition(const ConvTranspose2D& layer, const Matrix& w,
                                     const Matrix& bias, const Matrix& x, int k, int s, int p) {
  const ImageDims in = layer.inputDims(), out = layer.outputDims();
  Matrix y(out.size(), x.cols());
  for (Eigen::Index n = 0; n < x.cols(); ++n)
    for (int o = 0; o < out.channels; ++o)
      y.col(n).segment(o * out.positions(), out.positions()).setConstant(bias(o, 0));
  for (Eigen::Index n = 0; n < x.cols(); ++n)
    for (int c = 0; c < in.channels; ++c)
      for (int iy = 0; iy < in.height; ++iy)
        for (int ix = 0; ix < in.width; ++ix)
          for (int o = 0; o < out.channels; ++o)
            for (int ky = 0; ky < k; ++ky)
              for (int kx = 0; kx < k; ++kx) {
                const int oy = iy * s - p + ky, ox = ix * s - p + kx;
                if (oy < 0 || oy >= out.height || ox < 0 || ox >= out.width) continue;
                y((o * out.height + oy) * out.width + ox, n) +=
                    w(c, (o * k + ky) * k + kx) * x((c * in.height + iy) * in.width + ix, n);
              }
  return y;
}

double largestDifference(const Matrix& a, const Matrix& b) { return (a - b).cwiseAbs().maxCoeff(); }

void addConvRows() {
  QTest::addColumn<int>("channels");
  QTest::addColumn<int>("height");
  QTest::addColumn<int>("width");
  QTest::addColumn<int>("outChannels");
  QTest::addColumn<int>("kernel");
  QTest::addColumn<int>("stride");
  QTest::addColumn<int>("padding");
  QTest::addColumn<Activation>("activation");
  QTest::newRow("3x5x7 k3 s1 p1 tanh") << 3 << 5 << 7 << 4 << 3 << 1 << 1 << Activation::Tanh;
  QTest::newRow("2x7x6 k3 s2 p0") << 2 << 7 << 6 << 3 << 3 << 2 << 0 << Activation::Identity;
  QTest::newRow("1x7x5 k3 s2 p1 relu") << 1 << 7 << 5 << 3 << 3 << 2 << 1 << Activation::ReLU;
  QTest::newRow("2x6x5 k2 s2 p1 elu") << 2 << 6 << 5 << 2 << 2 << 2 << 1 << Activation::ELU;
  QTest::newRow("3x9x8 k5 s3 p2 gelu") << 3 << 9 << 8 << 2 << 5 << 3 << 2 << Activation::GELU;
  QTest::newRow("2x4x3 k1 s1 p0 sigmoid") << 2 << 4 << 3 << 3 << 1 << 1 << 0 << Activation::Sigmoid;
}

}  // namespace

class tst_Conv : public QObject {
  Q_OBJECT

 private slots:
  void conv2dForwardMatchesTheDefinition_data() { addConvRows(); }
  void conv2dForwardMatchesTheDefinition();
  void conv2dBackwardMatchesFiniteDifferences_data() { addConvRows(); }
  void conv2dBackwardMatchesFiniteDifferences();
  void convTranspose2dForwardMatchesTheDefinition_data();
  void convTranspose2dForwardMatchesTheDefinition();
  void convTranspose2dBackwardMatchesFiniteDifferences_data();
  void convTranspose2dBackwardMatchesFiniteDifferences();
  void convTransposeUndoesTheConvolutionsSize();
  void badGeometryIsRefusedWithBothShapes();
  void inferMatchesForwardOnLargeBatches();
  void maxPool2dPicksTheWindowMaximum();
  void maxPool2dBackwardMatchesFiniteDifferences_data();
  void maxPool2dBackwardMatchesFiniteDifferences();
  void upsampleMatchesPyTorchOnAKnownCase();
  void upsampleBackwardMatchesFiniteDifferences_data();
  void upsampleBackwardMatchesFiniteDifferences();
  void batchNorm2dBackwardMatchesFiniteDifferences();
  void batchNorm2dNormalisesInTrainingAndUsesRunningStatisticsInInference();
  void reshapePassesDataThrough();
  void convModelGradientsMatchFiniteDifferences_data();
  void convModelGradientsMatchFiniteDifferences();
  void convDataParallelSlicesAddUpToTheWholeBatch();
  void convSpecRoundTripsThroughJson();
  void validateExplainsBadConvCombinations_data();
  void validateExplainsBadConvCombinations();
  void describeLayersShowsStagesAndHowOddSizesAreRestored();
};

void tst_Conv::conv2dForwardMatchesTheDefinition() {
  QFETCH(int, channels);
  QFETCH(int, height);
  QFETCH(int, width);
  QFETCH(int, outChannels);
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, padding);
  Rng rng(21);
  Conv2D layer({channels, height, width}, outChannels, {kernel, stride, padding});
  layer.initialise(rng);
  const Matrix x = normalMatrix(layer.inputSize(), 3, rng);
  const Matrix expected =
      convolveByDefinition(layer, *layer.parameters()[0]->value, *layer.parameters()[1]->value, x,
                           kernel, stride, padding);
  QCOMPARE(layer.outputDims().height, (height + 2 * padding - kernel) / stride + 1);
  QVERIFY(largestDifference(layer.forward(x), expected) < 1e-5);
  QVERIFY(largestDifference(layer.infer(x), expected) < 1e-5);
}

void tst_Conv::conv2dBackwardMatchesFiniteDifferences() {
  QFETCH(int, channels);
  QFETCH(int, height);
  QFETCH(int, width);
  QFETCH(int, outChannels);
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, padding);
  QFETCH(Activation, activation);
  Rng rng(22);
  Conv2D layer({channels, height, width}, outChannels, {kernel, stride, padding, activation});
  layer.initialise(rng);
  checkLayerGradients(layer, normalMatrix(layer.inputSize(), 3, rng), rng);
}

void tst_Conv::convTranspose2dForwardMatchesTheDefinition_data() {
  QTest::addColumn<int>("channels");
  QTest::addColumn<int>("height");
  QTest::addColumn<int>("width");
  QTest::addColumn<int>("outChannels");
  QTest::addColumn<int>("kernel");
  QTest::addColumn<int>("stride");
  QTest::addColumn<int>("padding");
  QTest::addColumn<int>("outputPaddingHeight");
  QTest::addColumn<int>("outputPaddingWidth");
  QTest::addColumn<Activation>("activation");
  QTest::newRow("3x4x5 k3 s2 p1 op1,0 relu")
      << 3 << 4 << 5 << 2 << 3 << 2 << 1 << 1 << 0 << Activation::ReLU;
  QTest::newRow("2x3x3 k3 s2 p1 op0,1")
      << 2 << 3 << 3 << 3 << 3 << 2 << 1 << 0 << 1 << Activation::Identity;
  QTest::newRow("1x3x4 k3 s1 p0 tanh")
      << 1 << 3 << 4 << 2 << 3 << 1 << 0 << 0 << 0 << Activation::Tanh;
  QTest::newRow("2x3x2 k2 s2 p0 sigmoid")
      << 2 << 3 << 2 << 2 << 2 << 2 << 0 << 0 << 0 << Activation::Sigmoid;
  QTest::newRow("2x2x3 k4 s3 p1 op2,1 gelu")
      << 2 << 2 << 3 << 3 << 4 << 3 << 1 << 2 << 1 << Activation::GELU;
}

void tst_Conv::convTranspose2dForwardMatchesTheDefinition() {
  QFETCH(int, channels);
  QFETCH(int, height);
  QFETCH(int, width);
  QFETCH(int, outChannels);
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, padding);
  QFETCH(int, outputPaddingHeight);
  QFETCH(int, outputPaddingWidth);
  Rng rng(23);
  ConvTranspose2D layer({channels, height, width}, outChannels,
                        {kernel, stride, padding, outputPaddingHeight, outputPaddingWidth});
  layer.initialise(rng);
  QCOMPARE(layer.outputDims().height,
           (height - 1) * stride - 2 * padding + kernel + outputPaddingHeight);
  QCOMPARE(layer.outputDims().width,
           (width - 1) * stride - 2 * padding + kernel + outputPaddingWidth);
  const Matrix x = normalMatrix(layer.inputSize(), 3, rng);
  const Matrix expected =
      transposeConvolveByDefinition(layer, *layer.parameters()[0]->value,
                                    *layer.parameters()[1]->value, x, kernel, stride, padding);
  QVERIFY(largestDifference(layer.forward(x), expected) < 1e-5);
  QVERIFY(largestDifference(layer.infer(x), expected) < 1e-5);
}

void tst_Conv::convTranspose2dBackwardMatchesFiniteDifferences_data() {
  convTranspose2dForwardMatchesTheDefinition_data();
}

void tst_Conv::convTranspose2dBackwardMatchesFiniteDifferences() {
  QFETCH(int, channels);
  QFETCH(int, height);
  QFETCH(int, width);
  QFETCH(int, outChannels);
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, padding);
  QFETCH(int, outputPaddingHeight);
  QFETCH(int, outputPaddingWidth);
  QFETCH(Activation, activation);
  Rng rng(24);
  ConvTranspose2D layer(
      {channels, height, width}, outChannels,
      {kernel, stride, padding, outputPaddingHeight, outputPaddingWidth, activation});
  layer.initialise(rng);
  checkLayerGradients(layer, normalMatrix(layer.inputSize(), 3, rng), rng);
}

void tst_Conv::convTransposeUndoesTheConvolutionsSize() {
  // Output padding = the remainder the convolution's floor dropped: every size comes back.
  for (int kernel : {2, 3, 4, 5})
    for (int height = 5; height <= 12; ++height) {
      const int width = height + 3, stride = 2, padding = kernel / 2;
      const Conv2D down({1, height, width}, 2, {kernel, stride, padding});
      const int opH = (height + 2 * padding - kernel) % stride;
      const int opW = (width + 2 * padding - kernel) % stride;
      const ConvTranspose2D up(down.outputDims(), 1, {kernel, stride, padding, opH, opW});
      QCOMPARE(up.outputDims(), (ImageDims{1, height, width}));
    }
}

void tst_Conv::badGeometryIsRefusedWithBothShapes() {
  try {
    Conv2D({1, 2, 2}, 4, {5, 1, 0});
    QFAIL("a 5×5 kernel on a 2×2 image was accepted");
  } catch (const std::invalid_argument& e) {
    QVERIFY2(QString(e.what()).contains("1×2×2"), e.what());
  }
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ConvTranspose2D({2, 3, 3}, 1, {3, 2, 1, 2, 0}));
  Conv2D layer({2, 5, 5}, 3, {3, 1, 1});
  Rng rng(25);
  try {
    layer.forward(normalMatrix(49, 2, rng));
    QFAIL("a wrong input size was accepted");
  } catch (const std::invalid_argument& e) {
    QVERIFY2(QString(e.what()).contains("2×5×5") && QString(e.what()).contains("49×2"), e.what());
  }
}

void tst_Conv::inferMatchesForwardOnLargeBatches() {
  // Inference converts in chunks of samples; training takes the whole slice at once.
  Rng rng(26);
  Conv2D conv({2, 6, 5}, 3, {3, 2, 1, Activation::ELU});
  ConvTranspose2D deconv(conv.outputDims(), 2, {3, 2, 1, 1, 0, Activation::Tanh});
  conv.initialise(rng);
  deconv.initialise(rng);
  const Matrix x = normalMatrix(conv.inputSize(), 600, rng);
  const Matrix h = conv.forward(x);
  QVERIFY(largestDifference(conv.infer(x), h) < 1e-6);
  QVERIFY(largestDifference(deconv.infer(h), deconv.forward(h)) < 1e-6);
}

void tst_Conv::maxPool2dPicksTheWindowMaximum() {
  MaxPool2D pool({1, 3, 4}, 2);  // 3×4 → 1×2 (the last row is dropped, as PyTorch's floor)
  Matrix x(12, 1);
  x << 1, 5, 2, 0,  //
      3, 4, 8, 7,   //
      9, 9, 9, 9;
  const Matrix y = pool.forward(x);
  QCOMPARE(y.rows(), Eigen::Index(2));
  QCOMPARE(y(0, 0), 5.0f);
  QCOMPARE(y(1, 0), 8.0f);
  const Matrix g = pool.backward(Matrix::Constant(2, 1, 1.0f));
  QCOMPARE(g.sum(), 2.0f);
  QCOMPARE(g(1, 0), 1.0f);  // the 5
  QCOMPARE(g(6, 0), 1.0f);  // the 8
}

void tst_Conv::maxPool2dBackwardMatchesFiniteDifferences_data() {
  QTest::addColumn<int>("kernel");
  QTest::addColumn<int>("stride");
  QTest::addColumn<int>("padding");
  QTest::newRow("k2 s2 on odd sizes") << 2 << 2 << 0;
  QTest::newRow("k3 s2 p1 (overlapping)") << 3 << 2 << 1;
  QTest::newRow("k3 s1") << 3 << 1 << 0;
}

void tst_Conv::maxPool2dBackwardMatchesFiniteDifferences() {
  QFETCH(int, kernel);
  QFETCH(int, stride);
  QFETCH(int, padding);
  Rng rng(27);
  MaxPool2D pool({2, 5, 7}, kernel, stride, padding);
  // Small steps: a step must not change a window's winner (values differ by ~0.1 at least
  // in most windows; the best of three steps counts).
  checkLayerGradients(pool, normalMatrix(pool.inputSize(), 2, rng), rng, false, 1e-3f);
}

void tst_Conv::upsampleMatchesPyTorchOnAKnownCase() {
  // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4),
  // mode='bilinear', align_corners=False) and mode='nearest' with size=(3, 3).
  Matrix x(4, 1);
  x << 1, 2, 3, 4;
  Matrix bilinear(16, 1);
  bilinear << 1.0f, 1.25f, 1.75f, 2.0f, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3.0f,
      3.25f, 3.75f, 4.0f;
  QVERIFY(largestDifference(Upsample({1, 2, 2}, 4, 4, UpsampleMode::Bilinear).infer(x), bilinear) <
          1e-6);
  Matrix nearest(9, 1);
  nearest << 1, 1, 2, 1, 1, 2, 3, 3, 4;
  QCOMPARE(Upsample({1, 2, 2}, 3, 3, UpsampleMode::Nearest).infer(x), nearest);
}

void tst_Conv::upsampleBackwardMatchesFiniteDifferences_data() {
  QTest::addColumn<UpsampleMode>("mode");
  QTest::addColumn<int>("outHeight");
  QTest::addColumn<int>("outWidth");
  QTest::newRow("nearest 3x4 to 7x9") << UpsampleMode::Nearest << 7 << 9;
  QTest::newRow("bilinear 3x4 to 7x9") << UpsampleMode::Bilinear << 7 << 9;
  QTest::newRow("bilinear 3x4 to 6x8") << UpsampleMode::Bilinear << 6 << 8;
  QTest::newRow("bilinear 3x4 to 2x3 (down)") << UpsampleMode::Bilinear << 2 << 3;
}

void tst_Conv::upsampleBackwardMatchesFiniteDifferences() {
  QFETCH(UpsampleMode, mode);
  QFETCH(int, outHeight);
  QFETCH(int, outWidth);
  Rng rng(28);
  Upsample layer({2, 3, 4}, outHeight, outWidth, mode);
  checkLayerGradients(layer, normalMatrix(layer.inputSize(), 2, rng), rng);
}

void tst_Conv::batchNorm2dBackwardMatchesFiniteDifferences() {
  Rng rng(29);
  BatchNorm2D layer({3, 4, 5});
  *layer.parameters()[0]->value = normalMatrix(3, 1, rng);  // γ away from 1, β away from 0
  *layer.parameters()[1]->value = normalMatrix(3, 1, rng);
  Matrix x = normalMatrix(layer.inputSize(), 4, rng, 2.0f);
  x.array() += 0.5f;
  checkLayerGradients(layer, x, rng, /*training=*/true, 1e-2f);
}

void tst_Conv::batchNorm2dNormalisesInTrainingAndUsesRunningStatisticsInInference() {
  Rng rng(30);
  BatchNorm2D layer({2, 3, 3});
  Matrix x = normalMatrix(layer.inputSize(), 8, rng, 3.0f);
  x.topRows(9).array() += 5.0f;  // channel 0 has mean ~5
  const Matrix y = layer.forward(x);
  const double mean0 = y.topRows(9).cast<double>().mean();
  const double var0 = y.topRows(9).cast<double>().array().square().mean() - mean0 * mean0;
  QVERIFY(std::abs(mean0) < 1e-5);
  QVERIFY(std::abs(var0 - 1) < 1e-3);
  // Running mean after one step: 0.9 · 0 + 0.1 · batch mean (PyTorch's momentum 0.1).
  const Scalar batchMean0 = x.topRows(9).mean();
  QVERIFY(std::abs((*layer.buffers()[0]->value)(0, 0) - 0.1f * batchMean0) < 1e-5f);
  const Matrix inferred = layer.infer(x);
  const Scalar runningMean = (*layer.buffers()[0]->value)(0, 0);
  const Scalar runningVar = (*layer.buffers()[1]->value)(0, 0);
  QVERIFY(std::abs(inferred(0, 0) - (x(0, 0) - runningMean) / std::sqrt(runningVar + 1e-5f)) <
          1e-4f);
  layer.setUpdatesBuffers(false);  // a replica leaves the shared statistics alone
  layer.forward(x);
  QCOMPARE((*layer.buffers()[0]->value)(0, 0), runningMean);
}

void tst_Conv::reshapePassesDataThrough() {
  Rng rng(31);
  Reshape flatten(12, "Flatten 3×2×2→12");
  const Matrix x = normalMatrix(12, 3, rng);
  QCOMPARE(&flatten.forward(x), &x);
  QCOMPARE(&flatten.backward(x), &x);
  QCOMPARE(flatten.describe(), std::string("Flatten 3×2×2→12"));
}

void tst_Conv::convModelGradientsMatchFiniteDifferences_data() {
  // Smooth activations where the first layer's gradient is small: with ReLU, a weight step moves
  // many units across the kink at once and central differences stop being reliable there.
  QTest::addColumn<QString>("json");
  QTest::addColumn<int>("channels");
  QTest::newRow("transpose")
      << R"({"kind":"conv","conv":{"channels":[3,4]},"hidden":[],"latent":3})" << 1;
  QTest::newRow("rgb, hidden, tanh, bce")
      << R"({"kind":"conv","conv":{"channels":[3]},"hidden":[5],"latent":2,"activation":"tanh","loss":"bce"})"
      << 3;
  QTest::newRow("upsample bilinear, k5 s3")
      << R"({"kind":"conv","conv":{"channels":[2,3],"kernel":5,"stride":3,"decoder":"upsample","upsample":"bilinear"},"hidden":[],"latent":3,"activation":"elu"})"
      << 2;
  QTest::newRow("batch norm")
      << R"({"kind":"conv","conv":{"channels":[3,2],"batch_norm":true},"hidden":[],"latent":3,"activation":"tanh"})"
      << 1;
  QTest::newRow("conv-vae")
      << R"({"kind":"conv","variational":true,"conv":{"channels":[3,4]},"hidden":[],"latent":2,"loss":"bce","beta":1.5,"activation":"tanh"})"
      << 1;
  QTest::newRow("denoising, even kernel")
      << R"({"kind":"conv","conv":{"channels":[3],"kernel":4},"hidden":[],"latent":3,"noise":"gaussian:0.2","activation":"gelu"})"
      << 2;
}

void tst_Conv::convModelGradientsMatchFiniteDifferences() {
  QFETCH(QString, json);
  QFETCH(int, channels);
  const ModelSpec spec = ModelSpec::fromJson(nlohmann::json::parse(json.toStdString()));
  const Shape shape = Shape::image(channels, 7, 6);  // odd height: output padding in play
  const int batch = 4;
  Rng init(32);
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
  QCOMPARE(model.reconstruct(x).rows(), Eigen::Index(shape.size()));
}

void tst_Conv::convDataParallelSlicesAddUpToTheWholeBatch() {
  // Two replicas on slices give the gradient sum of one pass on the whole batch.
  ModelSpec spec;
  spec.kind = ModelKind::Conv;
  spec.conv.channels = {3, 4};
  spec.hidden = {};
  spec.latent = 3;
  const Shape shape = Shape::image(2, 6, 5);
  Rng init(33);
  Model whole(spec, shape, init);
  auto replica = whole.replicaSharingWeights();
  const Matrix x = testutil::uniformMatrix(shape.size(), 6, init);
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
  auto a = whole.parameters(), b = replica->parameters();
  for (size_t i = 0; i < a.size(); ++i) {
    QCOMPARE(a[i].parameter->value.get(), b[i].parameter->value.get());
    const Matrix combined = a[i].parameter->grad + b[i].parameter->grad;
    QVERIFY2(largestDifference(combined, expected[i]) < 1e-5, a[i].name.c_str());
  }
}

void tst_Conv::convSpecRoundTripsThroughJson() {
  ModelSpec spec;
  spec.kind = ModelKind::Conv;
  spec.conv = {{8, 16, 32}, 5, 3, ConvSpec::Decoder::Upsample, UpsampleMode::Bilinear, true};
  spec.variational = true;
  spec.hidden = {64};
  spec.loss = LossKind::Bce;
  const ModelSpec back = ModelSpec::fromJson(spec.toJson());
  QVERIFY(back == spec);
  QVERIFY(back.conv == spec.conv);
  QVERIFY(back.variational && back.isVariational());
  // A spec written before conv existed reads as a dense spec with the conv defaults.
  const ModelSpec old = ModelSpec::fromJson(nlohmann::json::parse(R"({"kind":"vae"})"));
  QVERIFY(!old.variational);
  QCOMPARE(old.conv.channels, (std::vector<int>{16, 32}));
  QVERIFY_THROWS_EXCEPTION(
      Error, ModelSpec::fromJson(nlohmann::json::parse(R"({"conv":{"decoder":"magic"}})")));
}

void tst_Conv::validateExplainsBadConvCombinations_data() {
  QTest::addColumn<QString>("json");
  QTest::addColumn<bool>("tabular");
  QTest::addColumn<QString>("expected");
  QTest::newRow("conv on tabular data") << R"({"kind":"conv"})" << true << "needs images";
  QTest::newRow("no conv blocks") << R"({"kind":"conv","conv":{"channels":[]}})" << false
                                  << "at least one conv block";
  QTest::newRow("zero channels") << R"({"kind":"conv","conv":{"channels":[8,0]}})" << false
                                 << "channel counts must be positive";
  QTest::newRow("zero stride") << R"({"kind":"conv","conv":{"stride":0}})" << false
                               << "kernel and stride must be at least 1";
  QTest::newRow("upsample with even kernel")
      << R"({"kind":"conv","conv":{"kernel":4,"decoder":"upsample"}})" << false << "odd kernel";
  QTest::newRow("tied conv") << R"({"kind":"conv","tied_weights":true})" << false
                             << "tied weights are for dense";
  QTest::newRow("variational dense")
      << R"({"kind":"dense","variational":true})" << false << "choose kind vae";
  QTest::newRow("conv-vae with sparsity")
      << R"({"kind":"conv","variational":true,"sparsity":"l1:0.1"})" << false
      << "use beta, not a sparsity penalty";
}

void tst_Conv::validateExplainsBadConvCombinations() {
  QFETCH(QString, json);
  QFETCH(bool, tabular);
  QFETCH(QString, expected);
  const ModelSpec spec = ModelSpec::fromJson(nlohmann::json::parse(json.toStdString()));
  const Shape shape = tabular ? Shape::tabular(784) : Shape::image(1, 28, 28);
  try {
    spec.validate(shape);
    QFAIL("the spec was accepted");
  } catch (const Error& e) {
    QCOMPARE(e.code(), Error::Code::InvalidArgument);
    QVERIFY2(QString(e.what()).contains(expected), e.what());
  }
}

void tst_Conv::describeLayersShowsStagesAndHowOddSizesAreRestored() {
  ModelSpec spec;
  spec.kind = ModelKind::Conv;
  spec.hidden = {};
  spec.latent = 32;
  QCOMPARE(spec.describeLayers(Shape::image(1, 28, 28)),
           std::string("1×28×28 →conv 16×14×14 →conv 32×7×7 →1568→32→1568 →convT 16×14×14 "
                       "→convT 1×28×28 (output padding restores each stage's exact size)"));
  spec.conv.channels = {8, 8, 8};
  spec.variational = true;
  const std::string rgb = spec.describeLayers(Shape::image(3, 28, 27));
  QVERIFY2(rgb.find("3×28×27 →conv 8×14×14 →conv 8×7×7 →conv 8×4×4") == 0, rgb.c_str());
  QVERIFY2(rgb.find("(μ,σ)32") != std::string::npos, rgb.c_str());
  QVERIFY2(rgb.find("→convT 3×28×27 (output padding restores each stage's exact size)") !=
               std::string::npos,
           rgb.c_str());
  // The model built from it really returns to 3×28×27.
  Rng rng(34);
  const Model model(spec, Shape::image(3, 28, 27), rng);
  QCOMPARE(model.reconstruct(Matrix::Zero(3 * 28 * 27, 2)).rows(), Eigen::Index(3 * 28 * 27));
  spec.conv.decoder = ConvSpec::Decoder::Upsample;
  const std::string up = spec.describeLayers(Shape::image(3, 28, 27));
  QVERIFY2(up.find("→up+conv 3×28×27 (nearest upsampling to each stage's exact size)") !=
               std::string::npos,
           up.c_str());
}

QTEST_APPLESS_MAIN(tst_Conv)
#include "tst_conv.moc"
