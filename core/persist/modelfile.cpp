// Model file <-> Model, spec, history and optimizer state.
#include "persist/modelfile.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "persist/safetensors.h"

namespace latent {

namespace {
using json = nlohmann::json;
constexpr const char* FormatVersion = "1";
constexpr const char* OptimizerPrefix = "optimizer.";
// Metadata names of Shape::Kind and Normalisation::Kind, in enum order (read and written alike).
constexpr const char* ShapeKindNames[] = {"tabular", "image", "sequence"};
constexpr const char* NormalisationNames[] = {"none", "range01", "standardise"};

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error(Error::Code::Format, path + ": " + what);
}

// Biases (n×1) are stored 1-D, as PyTorch's Linear.bias; a parameter with a file shape (a conv
// weight, [out, in, kH, kW]) with it: the row-major data is the same.
NamedTensor tensorFor(const std::string& name, const Matrix& m,
                      const std::vector<int64_t>& fileShape = {}) {
  NamedTensor t = toTensor(name, m);
  if (!fileShape.empty())
    t.shape = fileShape;
  else if (m.cols() == 1)
    t.shape = {m.rows()};
  return t;
}

// Parameters and buffers: everything a model file stores besides optimizer state.
std::vector<NamedParameter> storedTensors(const Model& model) {
  auto all = model.parameters();
  for (const auto& b : model.buffers()) all.push_back(b);
  return all;
}

json lossJson(const LossTerms& t) {
  return {{"total", t.total},
          {"reconstruction", t.reconstruction},
          {"kl", t.kl},
          {"sparsity", t.sparsity},
          {"mse", t.mse}};
}

LossTerms lossFromJson(const json& j) {
  return {j.at("total").get<double>(), j.at("reconstruction").get<double>(),
          j.at("kl").get<double>(), j.at("sparsity").get<double>(), j.at("mse").get<double>()};
}

json historyJson(const std::vector<EpochRecord>& history) {
  json out = json::array();
  for (const auto& r : history) {
    json e = {{"epoch", r.epoch},
              {"train", lossJson(r.train)},
              {"seconds", r.seconds},
              {"samples_per_sec", r.samplesPerSecond},
              {"beta", r.beta}};
    if (r.hasValidation) e["validation"] = lossJson(r.validation);
    out.push_back(e);
  }
  return out;
}

std::vector<EpochRecord> historyFromJson(const json& j) {
  std::vector<EpochRecord> out;
  for (const auto& e : j) {
    EpochRecord r;
    r.epoch = e.at("epoch").get<int>();
    r.train = lossFromJson(e.at("train"));
    r.seconds = e.at("seconds").get<double>();
    r.samplesPerSecond = e.at("samples_per_sec").get<double>();
    r.beta = e.value("beta", 1.0f);
    if (e.contains("validation")) {
      r.validation = lossFromJson(e.at("validation"));
      r.hasValidation = true;
    }
    out.push_back(r);
  }
  return out;
}

json dataJson(const ModelFileInfo& info, int inputSize) {
  return {{"input_size", inputSize},
          {"shape_kind", ShapeKindNames[int(info.dataShape.kind)]},
          {"shape", info.dataShape.dims},
          {"normalisation", NormalisationNames[int(info.normalisation.kind)]},
          {"scale", info.normalisation.scale},
          {"offset", info.normalisation.offset},
          {"class_names", info.classNames},
          {"dataset_path", info.datasetPath}};
}

template <typename Enum, size_t N>
Enum enumFrom(const std::string& text, const char* const (&names)[N], const std::string& path,
              const char* field) {
  for (size_t i = 0; i < N; ++i)
    if (text == names[i]) return Enum(i);
  bad(path, std::string("metadata field '") + field + "' has unknown value '" + text + "'");
}

// Reads the data shape and normalisation; the shape must hold `input_size` values.
void readData(const json& j, ModelFileInfo& info, const std::string& path) {
  info.dataShape.kind = enumFrom<Shape::Kind>(j.at("shape_kind").get<std::string>(), ShapeKindNames,
                                              path, "shape_kind");
  info.dataShape.dims = j.at("shape").get<std::vector<int>>();
  info.normalisation.kind = enumFrom<Normalisation::Kind>(
      j.at("normalisation").get<std::string>(), NormalisationNames, path, "normalisation");
  info.normalisation.scale = j.at("scale").get<std::vector<float>>();
  info.normalisation.offset = j.at("offset").get<std::vector<float>>();
  info.classNames = j.value("class_names", std::vector<std::string>{});
  info.datasetPath = j.value("dataset_path", std::string());
  const int inputSize = j.at("input_size").get<int>();
  const size_t rank[] = {1, 3, 2};  // tabular D, image C×H×W, sequence T×F
  if (info.dataShape.dims.size() != rank[int(info.dataShape.kind)])
    bad(path, "a " + j.at("shape_kind").get<std::string>() + " shape needs " +
                  std::to_string(rank[int(info.dataShape.kind)]) + " dimensions, got " +
                  std::to_string(info.dataShape.dims.size()));
  long long values = 1;
  for (int d : info.dataShape.dims) {
    if (d <= 0 || d > (1 << 24)) bad(path, "the data shape has a dimension " + std::to_string(d));
    values *= d;
    if (values > (1LL << 31)) bad(path, "the data shape is implausibly large");
  }
  if (info.dataShape.dims.empty() || values != inputSize)
    bad(path, "the data shape " + info.dataShape.describe() + " does not hold " +
                  std::to_string(inputSize) + " values");
}

const json& metadataJson(const TensorFile& file, const std::string& key, const std::string& path,
                         json& storage) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end())
    bad(path, "not a LatentLab model file (no '" + key + "' metadata)");
  storage = json::parse(it->second, nullptr, /*allow_exceptions=*/false);
  if (storage.is_discarded()) bad(path, "metadata '" + key + "' is not valid JSON");
  return storage;
}

// The spec comes from the file, and building a Model allocates every weight it implies: a few
// bytes of metadata ("hidden": [2000000000], "kernel": 40000) must not ask for gigabytes. Every
// encoder weight must be in the file (loadWeights checks each shape afterwards), so the file's own
// size bounds what the spec may ask for; the decoder mirrors the encoder, so the model then costs
// memory in proportion to the file. Counted in 64 bits with overflow checks: the spec's ints are
// hostile too.
class EncoderWeightBudget {
 public:
  EncoderWeightBudget(const ModelSpec& spec, const Shape& shape, const TensorFile& file,
                      const std::string& path)
      : m_spec(spec), m_shape(shape), m_path(path) {
    for (const auto& t : file.tensors) m_present += t.data.size();
  }

  /// Adds a × b (+ c) weights; refuses the file when they overflow or exceed what it holds.
  void add(uint64_t a, uint64_t b, uint64_t c = 0) {
    uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(product, c, &product) ||
        __builtin_add_overflow(m_implied, product, &m_implied) || m_implied > m_present)
      refuse();
  }
  /// A size the layers hold in an int (an image stage, a gate block) must fit one.
  uint64_t fitInt(uint64_t size) {
    if (size > uint64_t(std::numeric_limits<int>::max())) refuse();
    return size;
  }
  [[noreturn]] void refuse() const {
    bad(m_path, "the spec's layer sizes (" + describe() + ") need more encoder weights than the " +
                    "file's " + std::to_string(m_present) + " values");
  }

 private:
  // describeLayers builds the conv stages in int, which a refused spec may overflow.
  std::string describe() const {
    if (m_spec.kind != ModelKind::Conv) return m_spec.describeLayers(m_shape);
    // Appended piece by piece: GCC 12's -Wrestrict misreads `" " + std::to_string(c)` here.
    std::string s = "conv channels";
    for (int c : m_spec.conv.channels) s.append(" ").append(std::to_string(c));
    s.append(", kernel ").append(std::to_string(m_spec.conv.kernel)).append(", hidden");
    for (int h : m_spec.hidden) s.append(" ").append(std::to_string(h));
    return s.append(", latent ").append(std::to_string(m_spec.latent));
  }

  const ModelSpec& m_spec;
  const Shape& m_shape;
  const std::string& m_path;
  uint64_t m_present = 0, m_implied = 0;
};

// Dense layers from `inputs` through the hidden sizes to the code (μ and log σ² for a VAE).
void addDenseHead(EncoderWeightBudget& budget, const ModelSpec& spec, uint64_t inputs) {
  std::vector<uint64_t> sizes(spec.hidden.begin(), spec.hidden.end());
  sizes.push_back(uint64_t(spec.latent) * (spec.isVariational() ? 2 : 1));
  for (const uint64_t size : sizes) {
    budget.add(inputs, size, size);
    inputs = size;
  }
}

// Conv blocks: out × in × k² weights each, then the dense head on the flattened last stage. The
// stage sizes are recomputed here in 64 bits (convStages works in int, and padding = kernel / 2
// makes any kernel fit, so the kernel is bounded only by the weights it implies).
void addConvEncoder(EncoderWeightBudget& budget, const ModelSpec& spec, const Shape& shape) {
  const ConvSpec& c = spec.conv;
  const ImageDims image = imageDims(shape);
  const int64_t padding = c.kernel / 2;
  int64_t channels = image.channels, height = image.height, width = image.width;
  const auto outSize = [&](int64_t size) {
    const int64_t span = size + 2 * padding - c.kernel;
    return span < 0 ? int64_t(0) : span / c.stride + 1;
  };
  for (const int out : c.channels) {
    budget.fitInt(uint64_t(channels) * uint64_t(c.kernel) * uint64_t(c.kernel));  // patch size
    budget.add(uint64_t(c.kernel) * uint64_t(c.kernel), uint64_t(channels) * uint64_t(out), out);
    channels = out;
    height = outSize(height);
    width = outSize(width);
    budget.fitInt(uint64_t(channels) * uint64_t(height) * uint64_t(width));
  }
  addDenseHead(budget, spec, uint64_t(channels) * uint64_t(height) * uint64_t(width));
}

// LSTMs: 4h × (in + h) weights and two 4h biases each; the last one's state feeds the code.
void addLstmEncoder(EncoderWeightBudget& budget, const ModelSpec& spec, const Shape& shape) {
  uint64_t inputs = uint64_t(sequenceDims(shape).features);
  for (const int h : spec.hidden) {
    const uint64_t gates = budget.fitInt(4 * uint64_t(h));
    budget.add(gates, inputs + uint64_t(h), 2 * gates);
    inputs = uint64_t(h);
  }
  const uint64_t code = uint64_t(spec.latent) * (spec.isVariational() ? 2 : 1);
  budget.add(inputs, code, code);
}

// Called after spec.validate(shape): every size is positive, the kinds fit the shape.
void checkSpecFitsFile(const ModelSpec& spec, const Shape& shape, const TensorFile& file,
                       const std::string& path) {
  EncoderWeightBudget budget(spec, shape, file, path);
  if (spec.kind == ModelKind::Conv)
    addConvEncoder(budget, spec, shape);
  else if (spec.kind == ModelKind::Lstm)
    addLstmEncoder(budget, spec, shape);
  else
    addDenseHead(budget, spec, uint64_t(shape.size()));
  // Model doubles the latent size in int for a VAE's μ and log σ² heads.
  budget.fitInt(uint64_t(spec.latent) * 2);
}

void loadWeights(const TensorFile& file, Model& model, const std::string& path) {
  for (auto& p : storedTensors(model)) {
    const NamedTensor* t = file.find(p.name);
    if (t == nullptr) bad(path, "tensor '" + p.name + "' is missing");
    Matrix& value = *p.parameter->value;
    const std::vector<int64_t>& fileShape = p.parameter->fileShape;
    const bool vectorOk = value.cols() == 1 && t->shape == std::vector<int64_t>{value.rows()};
    const bool matrixOk = t->shape == std::vector<int64_t>{value.rows(), value.cols()};
    const bool fileShapeOk = !fileShape.empty() && t->shape == fileShape;
    if (!vectorOk && !matrixOk && !fileShapeOk)
      bad(path, "tensor '" + p.name + "' should be " + shapeString(value.rows(), value.cols()) +
                    " for this model's spec");
    if (matrixOk)
      value = toMatrix(*t);
    else if (vectorOk)
      value = Eigen::Map<const Matrix>(t->data.data(), value.rows(), 1);
    else  // row-major data of [rows, ...] is the rows × cols matrix in row-major order
      value =
          Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
              t->data.data(), value.rows(), value.cols());
    if (!value.allFinite()) bad(path, "tensor '" + p.name + "' contains NaN or infinite values");
  }
}

// "exp_avg.3" → 3; size_t(-1) when there is no valid index below `count`.
size_t parameterIndex(const std::string& key, size_t count) {
  const auto dot = key.rfind('.');
  if (dot == std::string::npos || dot + 1 == key.size()) return size_t(-1);
  size_t index = 0;
  for (char c : key.substr(dot + 1)) {
    if (c < '0' || c > '9' || index > count) return size_t(-1);
    index = index * 10 + size_t(c - '0');
  }
  return index < count ? index : size_t(-1);
}

std::optional<OptimizerState> loadOptimizer(const TensorFile& file, const Model& model,
                                            const std::string& path) {
  auto it = file.metadata.find("latentlab.optimizer_step");
  if (it == file.metadata.end()) return std::nullopt;
  OptimizerState state;
  try {
    state.step = std::stoll(it->second);
  } catch (const std::exception&) {
    bad(path, "metadata 'latentlab.optimizer_step' is not a number");
  }
  auto params = model.parameters();
  for (const auto& t : file.tensors) {
    if (t.name.rfind(OptimizerPrefix, 0) != 0) continue;
    const std::string key = t.name.substr(std::string(OptimizerPrefix).size());
    const size_t index = parameterIndex(key, params.size());
    if (index == size_t(-1)) bad(path, "optimizer tensor '" + t.name + "' refers to no parameter");
    const Matrix& v = *params[index].parameter->value;
    if (t.data.size() != size_t(v.size()))
      bad(path, "optimizer tensor '" + t.name + "' does not match its parameter's size");
    // Stored like the parameter: 1-D for vectors, row-major [rows, cols] for matrices.
    state.tensors[key] = t.shape.size() == 2
                             ? toMatrix(t)
                             : Matrix(Eigen::Map<const Matrix>(t.data.data(), v.rows(), v.cols()));
  }
  return state;
}
}  // namespace

void saveModelFile(const std::string& path, const Model& model, const ModelFileInfo& info) {
  TensorFile file;
  for (const auto& p : storedTensors(model))
    file.tensors.push_back(tensorFor(p.name, *p.parameter->value, p.parameter->fileShape));
  file.metadata["format"] = "pt";  // tells safetensors readers the tensors follow PyTorch naming
  file.metadata["latentlab.version"] = FormatVersion;
  file.metadata["latentlab.spec"] = model.spec().toJson().dump();
  file.metadata["latentlab.data"] = dataJson(info, model.inputSize()).dump();
  file.metadata["latentlab.history"] = historyJson(info.history).dump();
  if (info.optimizer) {
    file.metadata["latentlab.optimizer_step"] = std::to_string(info.optimizer->step);
    for (const auto& [name, m] : info.optimizer->tensors)
      file.tensors.push_back(tensorFor(OptimizerPrefix + name, m));
  }
  writeTensorFile(path, file);
}

LoadedModel loadModelFile(const std::string& path) {
  const TensorFile file = readTensorFile(path);
  json specJson, dataJsonValue, historyJsonValue;
  LoadedModel out;
  ModelSpec spec;
  try {
    spec = ModelSpec::fromJson(metadataJson(file, "latentlab.spec", path, specJson));
    readData(metadataJson(file, "latentlab.data", path, dataJsonValue), out.info, path);
    out.info.history =
        historyFromJson(metadataJson(file, "latentlab.history", path, historyJsonValue));
    spec.validate(out.info.dataShape);
  } catch (const json::exception& e) {
    bad(path, std::string("metadata is malformed: ") + e.what());
  } catch (const Error& e) {
    if (std::string(e.what()).rfind(path, 0) == 0) throw;
    bad(path, e.what());
  }
  checkSpecFitsFile(spec, out.info.dataShape, file, path);
  Rng unused(0);
  out.model = std::make_unique<Model>(spec, out.info.dataShape, unused);
  loadWeights(file, *out.model, path);
  out.info.optimizer = loadOptimizer(file, *out.model, path);
  std::set<std::string> known;
  for (const auto& p : storedTensors(*out.model)) known.insert(p.name);
  for (const auto& t : file.tensors)
    if (!known.count(t.name) && t.name.rfind(OptimizerPrefix, 0) != 0)
      bad(path, "unexpected tensor '" + t.name + "' for this model's spec");
  return out;
}

}  // namespace latent
