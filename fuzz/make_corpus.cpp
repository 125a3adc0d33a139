// Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/: small valid files made
// with LatentLab's own writers and hand-made invalid ones, no real data. Deterministic, so running
// it again changes nothing. Crash regressions found by fuzzing are added by hand (crash-*).
// Usage: make_fuzz_corpus fuzz/corpus
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "data/rng.h"
#include "fuzzinput.h"
#include "persist/modelfile.h"
#include "persist/safetensors.h"
#include "train/trainer.h"

namespace {

namespace fs = std::filesystem;
using Bytes = std::string;

fs::path g_root;

void put(const std::string& target, const std::string& name, const Bytes& bytes) {
  const fs::path dir = g_root / target;
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), std::streamsize(bytes.size()));
}

Bytes be32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }

/// An IDX file: header (type, dims) then `body`.
Bytes idx(uint8_t type, const std::vector<uint32_t>& dims, const Bytes& body) {
  Bytes b{0, 0, char(type), char(dims.size())};
  for (uint32_t d : dims) b += be32(d);
  return b + body;
}

Bytes counting(size_t n, int step = 37) {
  Bytes b(n, 0);
  for (size_t i = 0; i < n; ++i) b[i] = char((i * step) & 0xff);
  return b;
}

const Bytes Sep(fuzz::FileSeparator);

void idxSeeds() {
  const Bytes images = idx(0x08, {3, 4, 4}, counting(48));
  const Bytes labels = idx(0x08, {3}, Bytes{0, 1, 2});
  std::vector<std::pair<std::string, Bytes>> seeds = {
      {"valid-ubyte-3x4x4", images},
      {"valid-ubyte-with-labels", images + Sep + labels},
      {"valid-int8-2x3x3", idx(0x09, {2, 3, 3}, counting(18, 91))},
      {"valid-int16-2x2x2", idx(0x0B, {2, 2, 2}, counting(16, 53))},
      {"valid-int32-tabular-2x3", idx(0x0C, {2, 3}, counting(24, 71))},
      {"valid-float32-2x2",
       idx(0x0D, {2, 2}, be32(0x3F800000) + be32(0) + be32(0xC0000000) + be32(0x3E800000))},
      {"valid-float64-2x1",
       idx(0x0E, {2, 1},
           Bytes{0x3F, char(0xF0), 0, 0, 0, 0, 0, 0} + Bytes{0x40, 0x24, 0, 0, 0, 0, 0, 0})},
      {"valid-hwc-2x2x2x3", idx(0x08, {2, 2, 2, 3}, counting(24))},
      {"valid-int16-labels", images + Sep + idx(0x0B, {3}, Bytes{0, 7, 0, 3, 0, 1})},
      {"invalid-empty", ""},
      {"invalid-short-header", Bytes{0, 0, 8}},
      {"invalid-magic", "PK\3\4 not an idx file"},
      {"invalid-type", idx(0x0A, {1, 1}, "x")},
      {"invalid-zero-dims", Bytes{0, 0, 8, 0}},
      {"invalid-five-dims", idx(0x08, {1, 1, 1, 1, 1}, "x")},
      {"invalid-dim-zero", idx(0x08, {0, 4, 4}, "")},
      {"invalid-truncated", idx(0x08, {3, 4, 4}, counting(40))},
      {"invalid-trailing-bytes", images + "extra"},
      {"invalid-label-file-as-images", labels},
      {"invalid-huge-dims", idx(0x0E, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, "")},
      {"invalid-five-channels", idx(0x08, {1, 1, 1, 5}, "abcde")},
      {"invalid-float-nan", idx(0x0D, {1, 2}, be32(0x7FC00000) + be32(0))},
      {"invalid-label-count", images + Sep + idx(0x08, {2}, Bytes{0, 1})},
      {"invalid-label-range", images + Sep + idx(0x0C, {3}, be32(1) + be32(0xFFFFFFFF) + be32(2))},
      {"invalid-float-labels", images + Sep + idx(0x0D, {3}, be32(0) + be32(0) + be32(0))},
  };
  for (const auto& [name, bytes] : seeds) {
    put("idx", name, bytes);
    put("idx_gz", name, bytes);  // the idx_gz target gzips its input itself
  }
}

void gzipSeeds() {
  const Bytes image = idx(0x08, {2, 3, 3}, counting(18));
  const Bytes gz = fuzz::gzipped(image);
  Bytes badCrc = gz;
  badCrc[badCrc.size() - 6] ^= 0x55;
  Bytes withName = gz;  // FLG.FNAME with a file name, as gzip(1) writes
  withName[3] = 0x08;
  withName.insert(10, Bytes("digits.idx", 11));
  put("gzip", "valid-idx", gz);
  put("gzip", "valid-two-members", gz + fuzz::gzipped("second member"));
  put("gzip", "valid-trailing-zeros", gz + Bytes(16, 0));
  put("gzip", "valid-file-name-field", withName);
  put("gzip", "valid-raw-bytes", image);
  put("gzip", "valid-empty-member", fuzz::gzipped(""));
  put("gzip", "valid-64k-zeros", fuzz::gzipped(Bytes(64 << 10, 0)));
  put("gzip", "invalid-bomb-2m-zeros", fuzz::gzipped(Bytes(2 << 20, 0)));  // over the 1 MiB cap
  put("gzip", "invalid-truncated", gz.substr(0, gz.size() / 2));
  put("gzip", "invalid-crc", badCrc);
  put("gzip", "invalid-magic-only", "\x1f\x8b");
  put("gzip", "invalid-method", Bytes("\x1f\x8b\x07\x00", 4) + Bytes(12, 0));
  put("gzip", "invalid-garbage-member", gz + "\x1f garbage");
  put("gzip", "invalid-empty", "");
}

Bytes asBytes(const std::vector<uint8_t>& v) { return Bytes(v.begin(), v.end()); }

Bytes withHeader(const Bytes& json, size_t dataBytes) {
  Bytes b(8, 0);
  for (int i = 0; i < 8; ++i) b[i] = char((json.size() >> (8 * i)) & 0xff);
  return b + json + Bytes(dataBytes, 0);
}

void safetensorsSeeds() {
  latent::TensorFile a;
  a.tensors.push_back({"encoder.0.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
  a.tensors.push_back({"encoder.0.bias", {2}, {0.5f, -0.5f}});
  a.tensors.push_back({"scalar", {}, {3.25f}});
  a.tensors.push_back({"empty", {0, 4}, {}});
  a.metadata = {{"format", "pt"}, {"note", "seed"}};
  put("safetensors", "valid-four-tensors", asBytes(latent::encodeTensorFile(a)));
  put("safetensors", "valid-empty", asBytes(latent::encodeTensorFile({})));
  const Bytes f64 = "{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
  Bytes f64File = withHeader(f64, 0);
  f64File += Bytes{0, 0, 0, 0, 0, 0, char(0xF0), 0x3F} + Bytes{0, 0, 0, 0, 0, 0, 0, char(0xC0)};
  put("safetensors", "valid-f64", f64File);
  put("safetensors", "invalid-short", Bytes(7, 0));
  put("safetensors", "invalid-header-length", Bytes("\xff\xff\xff\xff\xff\xff\xff\xff{}", 10));
  put("safetensors", "invalid-dtype",
      withHeader("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4));
  put("safetensors", "invalid-overlap",
      withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                 "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                 12));
  put("safetensors", "invalid-duplicate",
      withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                 "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                 8));
  put("safetensors", "invalid-nul-padding", withHeader(Bytes("{}\0\0\0\0\0\0", 8), 0));
  put("safetensors", "invalid-deep", withHeader("{\"w\":" + Bytes(64, '[') + "}", 0));
  put("safetensors", "invalid-overflow",
      withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                 "\"data_offsets\":[0,0]}}",
                 0));
  put("safetensors", "invalid-metadata-number", withHeader("{\"__metadata__\":{\"e\":5}}", 0));
}

std::shared_ptr<const latent::Dataset> tinyImages() {
  latent::Rng rng(3);
  auto d = std::make_shared<latent::Dataset>();
  d->name = "tiny";
  d->shape = latent::Shape::image(1, 2, 3);
  d->samples.resize(6, 40);
  for (Eigen::Index i = 0; i < d->samples.size(); ++i) d->samples.data()[i] = rng.uniform();
  d->normalisation = {latent::Normalisation::Kind::Range01, {255.0f}, {0.0f}};
  return d;
}

/// A model of `spec` trained for one epoch on a tiny dataset, saved with history and optimizer.
Bytes modelFile(latent::ModelSpec spec, const std::string& scratch) {
  const auto data = tinyImages();
  spec.training.epochs = 1;
  spec.training.batchSize = 8;
  spec.training.threads = 1;
  latent::Trainer trainer(spec, data, nullptr);
  trainer.run();
  const auto snapshot = trainer.latestSnapshot();
  latent::ModelFileInfo info{data->shape, data->normalisation, {"a", "b"},
                             "tiny.idx",  snapshot->history,   *snapshot->optimizer};
  latent::saveModelFile(scratch, trainer.model(), info);
  std::ifstream in(scratch, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void modelSeeds() {
  const std::string scratch = (fs::temp_directory_path() / "latent-corpus-model.safetensors");
  latent::ModelSpec dense;
  dense.hidden = {3};
  dense.latent = 2;
  const Bytes denseFile = modelFile(dense, scratch);
  put("modelfile", "valid-dense", denseFile);

  latent::ModelSpec vae = dense;
  vae.kind = latent::ModelKind::Vae;
  vae.loss = latent::LossKind::Bce;
  vae.klWarmupEpochs = 2;
  put("modelfile", "valid-vae", modelFile(vae, scratch));

  latent::ModelSpec sparse = dense;
  sparse.kind = latent::ModelKind::Sparse;
  sparse.sparsity = latent::SparsitySpec::parse("kl:0.1:0.5");
  sparse.latentActivation = latent::Activation::Sigmoid;
  put("modelfile", "valid-sparse-kl", modelFile(sparse, scratch));

  latent::ModelSpec denoising = dense;
  denoising.kind = latent::ModelKind::Denoising;
  denoising.noise = latent::NoiseSpec::parse("mask:0.25");
  denoising.tiedWeights = true;
  denoising.hidden = {};
  denoising.training.optimizer.kind = latent::OptimizerKind::Sgd;
  put("modelfile", "valid-denoising-tied-sgd", modelFile(denoising, scratch));

  latent::ModelSpec deep = dense;
  deep.hidden = {4, 3};
  deep.activation = latent::Activation::GELU;
  deep.dropout = 0.25f;
  put("modelfile", "valid-deep-gelu", modelFile(deep, scratch));

  // The conv and LSTM kinds, whose spec sizes (channels, kernel, LSTM sizes) the reader bounds by
  // the file's tensors: seeds for the fuzzer to grow those fields from.
  latent::ModelSpec conv = dense;
  conv.kind = latent::ModelKind::Conv;
  conv.conv.channels = {2};
  conv.conv.batchNorm = true;
  conv.hidden = {};
  put("modelfile", "valid-conv-batchnorm", modelFile(conv, scratch));
  latent::ModelSpec lstm = dense;
  lstm.kind = latent::ModelKind::Lstm;
  lstm.hidden = {3};
  lstm.variational = true;
  put("modelfile", "valid-lstm-vae", modelFile(lstm, scratch));
  fs::remove(scratch);

  // Invalid: the same dense file with a tensor's bytes cut, and one that is plain safetensors.
  put("modelfile", "invalid-truncated", denseFile.substr(0, denseFile.size() - 5));
  latent::TensorFile plain;
  plain.tensors.push_back({"encoder.0.weight", {3, 6}, std::vector<float>(18, 0.1f)});
  put("modelfile", "invalid-no-metadata", asBytes(latent::encodeTensorFile(plain)));
}

// Strings are built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on a + b chains.
Bytes digitsJson(int images, int valueStep) {
  Bytes json = "{\"data\":[";
  for (int i = 0; i < images * 784; ++i) {
    if (i) json += ',';
    json += std::to_string((i * valueStep) % 11 / 10.0).substr(0, 4);
  }
  return json + "]}";
}

void mnistJsonSeeds() {
  const Bytes two = digitsJson(2, 3);
  put("mnistjson", "valid-two-images", two);
  Bytes ten;  // one file per digit, each with one image
  for (int d = 0; d < 10; ++d) {
    if (d) ten += Sep;
    ten += digitsJson(1, d + 1);
  }
  put("mnistjson", "valid-ten-digits", ten);
  Bytes nested = "[[";
  for (int i = 0; i < 784; ++i) {
    if (i) nested += ',';
    nested += i % 2 ? "1" : "0.5";
  }
  put("mnistjson", "valid-nested-arrays", nested + "]]");
  put("mnistjson", "invalid-not-json", "{\"data\": [0, 1,");
  put("mnistjson", "invalid-empty-data", "{\"data\": []}");
  put("mnistjson", "invalid-count", "{\"data\": [0, 0.5, 1]}");
  // One image whose first value is replaced by something that is not a number in [0,1].
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, Bytes>>{{"invalid-value-above-one", "2"},
                                                  {"invalid-negative", "-1"},
                                                  {"invalid-string", "\"x\""},
                                                  {"invalid-null", "null"},
                                                  {"invalid-nan-like", "1e999"}}) {
    Bytes bad = digitsJson(1, 1);
    const size_t first = bad.find('[') + 1;
    bad.replace(first, bad.find(',', first) - first, value);
    put("mnistjson", name, bad);
  }
  put("mnistjson", "invalid-short-image", "[[0.5, 0.5]]");
}

// --- datasets: CSV, NPY, NPZ. Every input starts with the options byte of fuzzload.h. ---------

constexpr char Defaults = 0;            // report missing values, header detected, scaling auto
constexpr char DropRows = 1;            // missing policy: drop rows
constexpr char FillMean = 2;            // missing policy: column mean
constexpr char Window3 = char(2 << 6);  // a time series in windows of 3 steps, stride 2

void csvSeeds() {
  const std::vector<std::tuple<std::string, char, Bytes>> seeds = {
      {"valid-header-label", Defaults, "a,b,label\n0.1,0.2,cat\n0.3,0.4,dog\n0.5,0.6,cat\n"},
      {"valid-no-header", Defaults, "1,2,3\n4,5,6\n7,8,9\n"},
      {"valid-tsv-quoted", Defaults, "x\ty\tname\n1\t2\t\"a, b\"\n3\t4\t\"say \"\"hi\"\"\"\n"},
      {"valid-decimal-comma", Defaults, "\xEF\xBB\xBFx;y\n1,5;2,25\n3,0;4,75\n"},
      {"valid-comment-header", Defaults, "# p q r\n1 2 3\n4 5 6\n"},
      {"valid-missing-dropped", DropRows, "a,b\n1,NA\n2,3\n4,5\n,6\n"},
      {"valid-missing-filled", FillMean, "a,b,class\n1,?,0\n2,3,1\nnan,5,0\n7,inf,1\n"},
      {"valid-ragged-dropped", DropRows, "a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n"},
      {"valid-index-column", Defaults, ",f1,f2\n0,0.5,1.5\n1,2.5,3.5\n2,4.5,5.5\n"},
      {"valid-time-series", Window3,
       "time,s1,s2,anomaly\n0,1,2,0\n1,2,3,0\n2,3,4,1\n3,4,5,0\n4,5,6,0\n5,6,7,0\n6,7,8,1\n"},
      {"valid-latin1", Defaults, "caf\xE9,na\xEFve\n1,2\n3,4\n"},
      {"invalid-missing-reported", Defaults, "a,b\n1,NA\n2,3\n"},
      {"invalid-ragged", Defaults, "a,b,c\n1,2,3\n4,5\n"},
      {"invalid-utf16", Defaults,
       Bytes("\xFF\xFE"
             "a\0,\0b\0\n\0",
             10)},
      {"invalid-binary", Defaults, Bytes("\x00\x01\x02\x03,\x04\n", 7)},
      {"invalid-only-header", Defaults, "a,b,c\n"},
      {"invalid-empty", Defaults, ""},
      {"invalid-unclosed-quote", Defaults, "a,b\n\"1,2\n3,4\n"},
      {"invalid-no-numbers", Defaults, "a,b\nx,y\nz,w\n"},
  };
  for (const auto& [name, options, text] : seeds) put("csv", name, Bytes(1, options) + text);
}

Bytes le(uint64_t v, int size) {
  Bytes b;
  for (int i = 0; i < size; ++i) b.push_back(char(v >> (8 * i)));
  return b;
}

/// A .npy file (format 1.0) as np.save writes it: the header dict padded with spaces and a
/// newline so the data starts at a multiple of 64.
Bytes npy(const std::string& descr, const std::string& shape, const Bytes& body,
          bool fortran = false) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                     ", 'shape': " + shape + ", }";
  const size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;
  dict += std::string(total - 10 - dict.size() - 1, ' ') + "\n";
  return Bytes("\x93NUMPY\x01\x00", 8) + le(dict.size(), 2) + dict + body;
}

Bytes floats(const std::vector<float>& values) {
  Bytes b;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    b += le(bits, 4);
  }
  return b;
}

const std::vector<std::pair<std::string, Bytes>>& npyFiles() {
  static const std::vector<std::pair<std::string, Bytes>> files = {
      {"valid-u1-images-3x2x2", npy("|u1", "(3, 2, 2)", counting(12))},
      {"valid-f4-tabular-2x3", npy("<f4", "(2, 3)", floats({0.5f, 1, -2, 3.25f, 0, 7}))},
      {"valid-f8-big-endian", npy(">f8", "(2, 1)", Bytes(7, 0) + "\x01" + Bytes(8, 0))},
      {"valid-i2-fortran", npy("<i2", "(2, 3)", counting(12, 17), /*fortran=*/true)},
      {"valid-hwc-rgb", npy("|u1", "(1, 2, 2, 3)", counting(12, 29))},
      {"valid-chw-rgb", npy("|u1", "(1, 3, 2, 2)", counting(12, 31))},
      {"valid-bool", npy("|b1", "(2, 2)", Bytes{1, 0, 0, 1})},
      {"valid-f2", npy("<f2", "(1, 2)", Bytes{0, 0x3C, 0, 0x40})},
      {"valid-u8-labels-like", npy("<u8", "(3,)", le(1, 8) + le(2, 8) + le(3, 8))},
      {"valid-nan-tabular", npy("<f4", "(3, 2)", floats({1, NAN, 2, 3, INFINITY, 4}))},
      {"invalid-truncated", npy("<f4", "(4, 4)", floats({1, 2, 3}))},
      {"invalid-huge-shape", npy("<f4", "(4294967296, 4294967296)", floats({1}))},
      {"invalid-negative-shape", npy("<f4", "(-1, 2)", floats({1, 2}))},
      {"invalid-object-dtype", npy("|O", "(1,)", Bytes(8, 0))},
      {"invalid-rank-5", npy("|u1", "(1, 1, 1, 1, 1)", Bytes(1, 0))},
      {"invalid-bad-dict", Bytes("\x93NUMPY\x01\x00\x10\x00{'descr': 1}   \n", 26)},
      {"invalid-magic", Bytes("\x93NUMPX\x01\x00\x00\x00", 10)},
  };
  return files;
}

void npySeeds() {
  for (const auto& [name, bytes] : npyFiles()) put("npy", name, Bytes(1, Defaults) + bytes);
  put("npy", "valid-nan-dropped", Bytes(1, DropRows) + npyFiles()[9].second);
  put("npy", "valid-nan-filled", Bytes(1, FillMean) + npyFiles()[9].second);
  put("npy", "valid-time-series",
      Bytes(1, Window3) + npy("<f4", "(5, 2)", floats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})));
}

/// Raw deflate of `data` (what a zip member holds), level 6 like Python's zipfile.
Bytes deflated(const Bytes& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, uLong(data.size())), 0);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = uInt(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// A zip archive as np.savez (stored) or np.savez_compressed (deflated) writes it.
Bytes zip(const std::vector<std::pair<std::string, Bytes>>& members, bool deflate) {
  Bytes out, directory;
  for (const auto& [name, data] : members) {
    const Bytes body = deflate ? deflated(data) : data;
    const uint32_t crc =
        uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
    const Bytes common = le(20, 2) + le(0, 2) + le(deflate ? 8 : 0, 2) + le(0, 4) + le(crc, 4) +
                         le(body.size(), 4) + le(data.size(), 4) + le(name.size(), 2);
    directory += le(0x02014b50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) +
                 le(0, 2) + le(0, 4) + le(out.size(), 4) + name;
    out += le(0x04034b50, 4) + common + le(0, 2) + name + body;
  }
  const size_t directoryOffset = out.size();
  return out + directory + le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(members.size(), 2) +
         le(members.size(), 2) + le(directory.size(), 4) + le(directoryOffset, 4) + le(0, 2);
}

void npzSeeds() {
  const Bytes images = npy("|u1", "(3, 2, 2)", counting(12));
  const Bytes labels = npy("<i8", "(3,)", le(7, 8) + le(8, 8) + le(9, 8));
  const Bytes table = npy("<f4", "(3, 2)", floats({1, NAN, 2, 3, 4, 5}));
  // np.array(['cat', 'dog', 'cat']): '<U3', UTF-32LE code units; becomes class names.
  const auto utf32 = [](const std::string& ascii) {
    Bytes b;
    for (const char c : ascii) b += le(uint8_t(c), 4);
    return b;
  };
  const Bytes names = npy("<U3", "(3,)", utf32("catdogcat"));
  const std::vector<std::tuple<std::string, char, Bytes>> seeds = {
      {"valid-x-y-stored", Defaults, zip({{"x.npy", images}, {"y.npy", labels}}, false)},
      {"valid-x-y-deflated", Defaults, zip({{"x.npy", images}, {"y.npy", labels}}, true)},
      {"valid-keras-names", Defaults,
       zip({{"x_test.npy", images}, {"x_train.npy", images}, {"y_train.npy", labels}}, true)},
      {"valid-one-array", Defaults, zip({{"whatever.npy", images}}, false)},
      {"valid-string-labels", Defaults, zip({{"x.npy", images}, {"y.npy", names}}, false)},
      {"valid-nan-filled", FillMean, zip({{"data.npy", table}}, true)},
      {"invalid-labels-count", Defaults,
       zip({{"x.npy", images}, {"y.npy", npy("<i8", "(1,)", le(1, 8))}}, false)},
      {"invalid-member-not-npy", Defaults, zip({{"x.npy", "not an array"}}, true)},
      {"invalid-empty-archive", Defaults, zip({}, false)},
      {"invalid-truncated", Defaults,
       zip({{"x.npy", images}, {"y.npy", labels}}, true).substr(0, 90)},
  };
  for (const auto& [name, options, bytes] : seeds) put("npz", name, Bytes(1, options) + bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_corpus fuzz/corpus\n");
    return 2;
  }
  g_root = argv[1];
  idxSeeds();
  gzipSeeds();
  safetensorsSeeds();
  modelSeeds();
  mnistJsonSeeds();
  csvSeeds();
  npySeeds();
  npzSeeds();
  std::printf("seeds written to %s\n", argv[1]);
  return 0;
}
