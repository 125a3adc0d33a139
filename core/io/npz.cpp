// .npz loading: pick the data and label arrays by name (or position), read them from the zip,
// and build the dataset by the .npy rules.
#include "io/npz.h"

#include <cmath>
#include <filesystem>

#include "io/gzip.h"
#include "io/npy.h"
#include "io/npyarray.h"
#include "io/zip.h"

namespace latent {
namespace {

constexpr const char* DataNames[] = {"x",       "X",       "data",         "images",
                                     "x_train", "X_train", "train_images", "features",
                                     "inputs",  "arr_0"};
constexpr const char* LabelNames[] = {"y",       "Y",       "labels",       "label",
                                      "y_train", "Y_train", "train_labels", "targets",
                                      "target",  "arr_1"};

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

[[noreturn]] void fail(Error::Code code, const std::string& where, const std::string& what) {
  throw Error(code, where + ": " + what);
}

struct Member {
  std::string name;  // without ".npy"
  const ZipEntry* entry = nullptr;
};

std::vector<Member> npyMembers(const std::vector<ZipEntry>& entries, LoadReport& report) {
  std::vector<Member> out;
  for (const ZipEntry& e : entries) {
    if (e.name.size() > 4 && e.name.ends_with(".npy"))
      out.push_back({e.name.substr(0, e.name.size() - 4), &e});
    else if (!e.name.ends_with("/"))
      report.addNote("ignored " + inQuotes(e.name) + " (not a .npy array)");
  }
  return out;
}

template <size_t N>
int findByName(const std::vector<Member>& members, const char* const (&names)[N], int skip) {
  for (const char* name : names)
    for (size_t i = 0; i < members.size(); ++i)
      if (int(i) != skip && members[i].name == name) return int(i);
  return -1;
}

// One array read out of the archive; `bytes` owns what `array.data` points into.
struct LoadedArray {
  std::vector<uint8_t> bytes;
  NpyArray array;
};

LoadedArray readMember(const std::vector<uint8_t>& zip, const Member& m, const std::string& path,
                       uint64_t maxBytes) {
  LoadedArray out;
  out.bytes = readZipEntry(zip, *m.entry, path, maxBytes);
  const std::string where = inQuotes(path) + " array " + inQuotes(m.name);
  out.array = parseNpyHeader(out.bytes.data(), out.bytes.size(), where);
  const size_t headerSize = npyHeaderSize(out.bytes.data(), out.bytes.size(), where);
  attachNpyData(out.array, out.bytes.data(), out.bytes.size(), headerSize, maxBytes);
  return out;
}

// The labels as integers, or an explanation of why the array cannot be labels for n samples.
std::string toLabels(const NpyArray& a, uint64_t n, std::vector<int64_t>& labels) {
  const auto& s = a.shape;
  if (!(s.size() == 1 || (s.size() == 2 && s[1] == 1)))
    return "shape " + a.describe() + " is not 1-D";
  if (s[0] != n)
    return "it holds " + std::to_string(s[0]) + " labels for " + std::to_string(n) + " samples";
  std::string problem;
  labels.assign(size_t(n), 0);
  forEachNpyValue(a, [&](uint64_t i, double v) {
    if (!problem.empty()) return;
    if (v != std::floor(v) || std::abs(v) > 9e15)
      problem = "value " + std::to_string(v) + " at index " + std::to_string(i) +
                " is not a whole number";
    labels[i] = int64_t(v);
  });
  return problem;
}

}  // namespace

LoadResult loadNpz(const std::string& path, const LoadOptions& options) {
  LoadResult r;
  r.report.format = "NumPy .npz";
  const std::vector<uint8_t> zip = readFileBytes(path, options.maxBytes);
  const std::vector<ZipEntry> entries = readZipDirectory(zip, path);
  const std::vector<Member> members = npyMembers(entries, r.report);
  if (members.empty())
    fail(Error::Code::Format, inQuotes(path), "the archive holds no .npy arrays");
  int data = findByName(members, DataNames, -1);
  const bool dataByName = data >= 0;
  if (!dataByName) data = 0;
  int labels = findByName(members, LabelNames, data);
  if (labels < 0 && !dataByName && members.size() > 1) labels = 1;
  const LoadedArray x = readMember(zip, members[size_t(data)], path, options.maxBytes);
  std::vector<int64_t> labelValues;
  bool haveLabels = false;
  if (labels >= 0) {
    const Member& m = members[size_t(labels)];
    const LoadedArray y = readMember(zip, m, path, options.maxBytes);
    const uint64_t n = x.array.shape.empty() ? 0 : x.array.shape[0];
    if (const std::string problem = toLabels(y.array, n, labelValues); problem.empty())
      haveLabels = true;
    else if (findByName(members, LabelNames, data) == labels)  // named as labels: must fit
      fail(Error::Code::Format, y.array.where, "cannot be the labels: " + problem);
    else
      r.report.addNote("array " + inQuotes(m.name) + " not used as labels: " + problem);
  }
  std::string ignored;
  for (size_t i = 0; i < members.size(); ++i)
    if (int(i) != data && !(haveLabels && int(i) == labels))
      ignored += (ignored.empty() ? "" : ", ") + inQuotes(members[i].name);
  r.report.addNote("data: array " + inQuotes(members[size_t(data)].name) + " " +
                   x.array.describe() +
                   (haveLabels ? "; labels: array " + inQuotes(members[size_t(labels)].name) : "") +
                   (ignored.empty() ? "" : "; ignored " + ignored));
  r.data = datasetFromNpyArray(x.array, haveLabels ? &labelValues : nullptr, options, r.report);
  r.data.name = std::filesystem::path(path).filename().string();
  r.data.sourcePath = path;
  return r;
}

}  // namespace latent
