// Conv2D, ConvTranspose2D and Lstm forward outputs against PyTorch's for the same weights and
// inputs (tests/data/layer_reference.json, written by tests/data/make_layer_reference.py in
// float64): the largest absolute difference must stay below 1e-5.
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "nn/conv2d.h"
#include "nn/convtranspose2d.h"
#include "nn/lstm.h"

using namespace latent;
using nlohmann::json;

namespace {

constexpr double Tolerance = 1e-5;

/// rows × cols from a flat row-major list (PyTorch's order for a weight [rows, ...]).
Matrix rowMajor(const json& flat, Eigen::Index rows, Eigen::Index cols) {
  if (flat.size() != size_t(rows * cols))
    throw std::runtime_error("expected " + std::to_string(rows * cols) + " values, found " +
                             std::to_string(flat.size()));
  Matrix m(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = flat[size_t(r * cols + c)].get<Scalar>();
  return m;
}

/// One sample per column, each sample's flat list as is (PyTorch's (c, y, x) or (t, f) order is
/// the core's column layout too).
Matrix samples(const json& list) {
  const Eigen::Index features = Eigen::Index(list.front().size());
  Matrix m(features, Eigen::Index(list.size()));
  for (Eigen::Index b = 0; b < m.cols(); ++b) {
    const json& sample = list[size_t(b)];
    if (sample.size() != size_t(features)) throw std::runtime_error("ragged samples");
    for (Eigen::Index i = 0; i < features; ++i) m(i, b) = sample[size_t(i)].get<Scalar>();
  }
  return m;
}

void setParameter(Parameter& p, const Matrix& value) {
  QCOMPARE(value.rows(), p.value->rows());
  QCOMPARE(value.cols(), p.value->cols());
  *p.value = value;
}

/// Largest |ours - theirs| over the batch; the shapes must agree first.
double worstDifference(const Matrix& ours, const json& expected) {
  const Matrix theirs = samples(expected);
  if (ours.rows() != theirs.rows() || ours.cols() != theirs.cols()) return INFINITY;
  return (ours.cast<double>() - theirs.cast<double>()).cwiseAbs().maxCoeff();
}

double runConv(const json& c) {
  const ImageDims in{c["in_channels"], c["height"], c["width"]};
  const int out = c["out_channels"], k = c["kernel"];
  Conv2D layer(in, out, ConvOptions{k, c["stride"], c["padding"], Activation::Identity});
  const auto shape = c["output_shape"];
  const ImageDims expected{shape[0], shape[1], shape[2]};
  if (!(layer.outputDims() == expected)) return INFINITY;
  setParameter(*layer.parameters()[0], rowMajor(c["weight"], out, in.channels * k * k));
  setParameter(*layer.parameters()[1], rowMajor(c["bias"], out, 1));
  const Matrix x = samples(c["input"]);
  return std::max(worstDifference(layer.forward(x), c["output"]),
                  worstDifference(layer.infer(x), c["output"]));
}

double runTranspose(const json& c) {
  const ImageDims in{c["in_channels"], c["height"], c["width"]};
  const int out = c["out_channels"], k = c["kernel"];
  ConvTransposeOptions options;
  options.kernel = k;
  options.stride = c["stride"];
  options.padding = c["padding"];
  options.outputPaddingHeight = c["output_padding"][0];
  options.outputPaddingWidth = c["output_padding"][1];
  ConvTranspose2D layer(in, out, options);
  const auto shape = c["output_shape"];
  const ImageDims expected{shape[0], shape[1], shape[2]};
  if (!(layer.outputDims() == expected)) return INFINITY;
  setParameter(*layer.parameters()[0], rowMajor(c["weight"], in.channels, out * k * k));
  setParameter(*layer.parameters()[1], rowMajor(c["bias"], out, 1));
  const Matrix x = samples(c["input"]);
  return std::max(worstDifference(layer.forward(x), c["output"]),
                  worstDifference(layer.infer(x), c["output"]));
}

double runLstm(const json& c) {
  const int steps = c["steps"], features = c["features"], hidden = c["hidden"];
  Lstm layer(steps, features, hidden, c["return_sequences"].get<bool>());
  const auto params = layer.parameters();
  setParameter(*params[0], rowMajor(c["weight_ih"], 4 * hidden, features));
  setParameter(*params[1], rowMajor(c["weight_hh"], 4 * hidden, hidden));
  setParameter(*params[2], rowMajor(c["bias_ih"], 4 * hidden, 1));
  setParameter(*params[3], rowMajor(c["bias_hh"], 4 * hidden, 1));
  const Matrix x = samples(c["input"]);
  return std::max(worstDifference(layer.forward(x), c["output"]),
                  worstDifference(layer.infer(x), c["output"]));
}

}  // namespace

class tst_TorchLayers : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void forwardMatchesPyTorch_data();
  void forwardMatchesPyTorch();

 private:
  json m_reference;
};

void tst_TorchLayers::initTestCase() {
  const std::string path = std::string(LATENT_TEST_DATA) + "/layer_reference.json";
  std::ifstream in(path);
  QVERIFY2(in, qPrintable(QString::fromStdString("cannot read " + path)));
  m_reference = json::parse(in);
  QVERIFY(m_reference.at("cases").size() >= 8);
}

void tst_TorchLayers::forwardMatchesPyTorch_data() {
  QTest::addColumn<int>("index");
  for (size_t i = 0; i < m_reference.at("cases").size(); ++i)
    QTest::newRow(m_reference["cases"][i]["name"].get<std::string>().c_str()) << int(i);
}

void tst_TorchLayers::forwardMatchesPyTorch() {
  QFETCH(int, index);
  const json& c = m_reference["cases"][size_t(index)];
  const std::string kind = c["layer"];
  const double worst = kind == "conv2d"            ? runConv(c)
                       : kind == "convtranspose2d" ? runTranspose(c)
                                                   : runLstm(c);
  qInfo("%s: largest difference from PyTorch %.2e", c["name"].get<std::string>().c_str(), worst);
  QVERIFY2(worst < Tolerance, qPrintable(QString("%1 > %2").arg(worst).arg(Tolerance)));
}

QTEST_APPLESS_MAIN(tst_TorchLayers)
#include "tst_torchlayers.moc"
