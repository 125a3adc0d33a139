// .npy loading (header checked against the file before the data is read, layout rules, scaling)
// and the version 1.0 float32 writer.
#include "io/npy.h"

#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include "io/atomicfile.h"
#include "io/failure.h"
#include "io/gzip.h"
#include "io/npyarray.h"
#include "io/table.h"

namespace latent {
namespace {

struct NpyImageLayout {
  int channels = 1, height = 0, width = 0;
  bool channelsLast = false;  // N×H×W×C in the file: converted to planar C×H×W
};

bool isChannelCount(uint64_t c) { return c == 1 || c == 3 || c == 4; }

NpyImageLayout imageLayout(const NpyArray& a) {
  const auto& s = a.shape;
  NpyImageLayout l;
  if (s.size() == 3) {
    l = {1, int(s[1]), int(s[2]), false};
  } else if (isChannelCount(s[3])) {
    l = {int(s[3]), int(s[1]), int(s[2]), true};
  } else if (isChannelCount(s[1])) {
    l = {int(s[1]), int(s[2]), int(s[3]), false};
  } else {
    failAt(Error::Code::Unsupported, a.where,
           "shape " + a.describe() +
               ": a 4-D array is read as N×H×W×C when its last dimension is 1, 3 or 4, else as "
               "N×C×H×W when its second is");
  }
  return l;
}

void checkSampleSizes(const NpyArray& a) {
  uint64_t perSample = 1;
  for (size_t k = 1; k < a.shape.size(); ++k) perSample *= a.shape[k];  // no overflow: checked
  if (a.shape[0] > INT_MAX || perSample > INT_MAX)
    failAt(Error::Code::TooLarge, a.where,
           "shape " + a.describe() + ": more samples or values per sample than LatentLab holds");
}

// Stored = (value - offset) / scale. uint8: /255; bool: as stored; else [0,1] kept, or min-max.
Normalisation imageNormalisation(const NpyArray& a) {
  if (a.kind == 'u' && a.itemSize == 1) return {Normalisation::Kind::Range01, {255.0f}, {0.0f}};
  if (a.kind == 'b') return {};
  double lo = INFINITY, hi = -INFINITY;
  const uint64_t perSample = a.count() / a.shape[0];
  forEachNpyValue(a, [&](uint64_t i, double v) {
    if (!std::isfinite(v))
      failAt(Error::Code::Format, a.where,
             "image " + std::to_string(i / perSample) + " holds a NaN or infinite value");
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  });
  if (lo >= 0 && hi <= 1) return {};
  return {Normalisation::Kind::Range01, {float(hi > lo ? hi - lo : 1.0)}, {float(lo)}};
}

Dataset imageDataset(const NpyArray& a, LoadReport& report) {
  const NpyImageLayout l = imageLayout(a);
  Dataset d;
  d.shape = Shape::image(l.channels, l.height, l.width);
  d.normalisation = imageNormalisation(a);
  const uint64_t plane = uint64_t(l.height) * l.width, per = plane * l.channels;
  d.samples.resize(Eigen::Index(per), Eigen::Index(a.shape[0]));
  const double offset = d.normalisation.offset[0], scale = d.normalisation.scale[0];
  Scalar* out = d.samples.data();  // column-major: sample n starts at n * per
  const uint64_t c = uint64_t(l.channels);
  forEachNpyValue(a, [&](uint64_t i, double v) {
    const uint64_t within = i % per;
    // Channels last: value `within` is channel (within % c) of pixel (within / c).
    const uint64_t dst = l.channelsLast ? i - within + (within % c) * plane + within / c : i;
    out[dst] = Scalar((v - offset) / scale);
  });
  report.addNote(std::to_string(a.shape[0]) + " images of " + d.shape.describe() + " from " +
                 (a.shape.size() == 3 ? "N×H×W"
                  : l.channelsLast    ? "N×H×W×C (converted to planar C×H×W)"
                                      : "N×C×H×W") +
                 ", " + d.normalisation.describe());
  return d;
}

Dataset tableDataset(const NpyArray& a, const NpyLabels* labels, const LoadOptions& options,
                     LoadReport& report) {
  Table t;
  t.where = a.where;
  t.rows = int64_t(a.shape[0]);
  t.columns = int(a.shape[1]);
  t.values = Eigen::Map<const Matrix>(npyToFloat(a).data(), t.columns, Eigen::Index(t.rows));
  t.columnNames.assign(size_t(t.columns), "");
  for (int c = 0; c < t.columns; ++c) t.columnNumbers.push_back(c);
  for (int64_t r = 0; r < t.rows; ++r) t.rowNumbers.push_back(r);
  if (labels) {
    t.hasLabels = true;
    t.labelSource = labels->source;
    t.labelText = labels->text;
  }
  report.rowWord = "row";
  const bool bytes = a.kind == 'u' && a.itemSize == 1;
  LoadOptions o = options;
  if (bytes) {  // pixels flattened to rows: /255 like every uint8 image
    t.values /= 255.0f;
    o.scaling = Scaling::None;
  }
  if (a.kind == 'b') o.scaling = Scaling::None;
  Dataset d = tableToDataset(std::move(t), o, report);
  if (bytes) d.normalisation = {Normalisation::Kind::Range01, {255.0f}, {0.0f}};
  return d;
}

// Reads the header first, so the whole file is read with a limit of what it declares.
NpyArray readNpyFile(const std::string& path, const LoadOptions& options,
                     std::vector<uint8_t>& bytes) {
  const std::string where = "'" + path + "'";
  std::vector<uint8_t> head = readFileHead(path, NpyPreambleSize);
  const size_t headerSize = npyHeaderSize(head.data(), head.size(), where);
  head = readFileHead(path, headerSize);
  NpyArray a = parseNpyHeader(head.data(), head.size(), where);
  const uint64_t declared = npyDataBytes(a, options.maxBytes);
  try {
    bytes = readFileBytes(path, headerSize + declared);
  } catch (const Error& e) {
    if (e.code() != Error::Code::TooLarge) throw;
    failAt(Error::Code::Format, where,
           "the header declares shape " + a.describe() + " (" + std::to_string(declared) +
               " bytes) but the file holds more bytes after the header");
  }
  attachNpyData(a, bytes.data(), bytes.size(), headerSize, options.maxBytes);
  return a;
}

}  // namespace

Dataset datasetFromNpyArray(const NpyArray& a, const NpyLabels* labels, const LoadOptions& options,
                            LoadReport& report) {
  if (a.isString())  // parseNpyHeader refuses them for data; a caller asked for strings
    failAt(Error::Code::Unsupported, a.where, "dtype '" + a.descr + "' holds strings, not numbers");
  const size_t rank = a.shape.size();
  if (rank < 2)
    failAt(Error::Code::Unsupported, a.where,
           "shape " + a.describe() +
               ": a dataset needs one sample per row, shape (N, D), (N, H, W) or (N, H, W, C)" +
               (rank == 1 ? " (a 1-D integer array can be the labels inside an .npz)" : ""));
  if (rank > 4)
    failAt(Error::Code::Unsupported, a.where,
           "shape " + a.describe() + ": arrays of 2 to 4 dimensions are read");
  if (a.count() == 0)
    failAt(Error::Code::Format, a.where, "shape " + a.describe() + " holds no values");
  checkSampleSizes(a);
  if (labels && labels->text.size() != a.shape[0])
    failAt(Error::Code::Format, a.where,
           std::to_string(labels->text.size()) + " labels for " + std::to_string(a.shape[0]) +
               " samples");
  if (rank == 2) return tableDataset(a, labels, options, report);
  Dataset d = imageDataset(a, report);
  if (labels) {  // the same mapping as a table's (and a CSV file's) label column
    LabelSet set = labelsFromText(labels->text);
    d.labels = std::move(set.labels);
    d.classNames = std::move(set.classNames);
    addLabelNote(d, labels->source, report);
  }
  return d;
}

LoadResult loadNpy(const std::string& path, const LoadOptions& options) {
  LoadResult r;
  r.report.format = "NumPy .npy";
  std::vector<uint8_t> bytes;
  const NpyArray a = readNpyFile(path, options, bytes);
  r.report.addNote("array " + a.describe() + (a.fortranOrder ? ", Fortran order" : ""));
  r.data = datasetFromNpyArray(a, nullptr, options, r.report);
  r.data.name = std::filesystem::path(path).filename().string();
  r.data.sourcePath = path;
  return r;
}

void writeNpyTransposed(const std::string& path, const Matrix& columns) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(columns.cols()) + ", " + std::to_string(columns.rows()) +
                       "), }";
  const size_t preamble = 10;  // magic (6) + version (2) + header length (2)
  const size_t total = (preamble + header.size() + 1 + 63) / 64 * 64;
  header.append(total - preamble - header.size() - 1, ' ');
  header.push_back('\n');
  std::vector<uint8_t> bytes = {0x93,
                                'N',
                                'U',
                                'M',
                                'P',
                                'Y',
                                1,
                                0,
                                uint8_t(header.size() & 0xff),
                                uint8_t(header.size() >> 8)};
  bytes.insert(bytes.end(), header.begin(), header.end());
  // C order of the (samples, features) array = the core's column-major (features, samples) data.
  const size_t payload = size_t(columns.size()) * sizeof(float);
  const size_t offset = bytes.size();
  bytes.resize(offset + payload);
  std::memcpy(bytes.data() + offset, columns.data(), payload);
  writeFileAtomically(path, bytes.data(), bytes.size());
}

}  // namespace latent
