// .npz loading: pick the data and label arrays by name (or position), read them from the zip,
// and build the dataset by the .npy rules.
#include "io/npz.h"

#include <cmath>
#include <filesystem>

#include "io/failure.h"
#include "io/gzip.h"
#include "io/npy.h"
#include "io/npyarray.h"
#include "io/zip.h"

namespace latent {
namespace {

constexpr const char* DataNames[] = {"x",       "X",       "data",         "images",
                                     "x_train", "X_train", "train_images", "features",
                                     "inputs",  "arr_0"};
// Names a user gives labels: such an array must be usable as labels, else the load fails.
constexpr const char* LabelNames[] = {
    "y", "Y", "labels", "label", "y_train", "Y_train", "train_labels", "targets", "target"};
// np.savez's name for a second unnamed array: labels only when it can be (else ignored, noted),
// as it may as well be a second table (np.savez(f, X_train, X_test)).
constexpr const char* UnnamedLabelNames[] = {"arr_1"};

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

std::string arrayWhere(const std::string& path, const Member& m) {
  return inQuotes(path) + " array " + inQuotes(m.name);
}

// One array read out of the archive; `bytes` owns what `array.data` points into.
struct LoadedArray {
  std::vector<uint8_t> bytes;
  NpyArray array;
};

// Parses an array read from the archive: header, dtype, and its size against the bytes present
// (before anything is allocated for its values).
void parseMember(LoadedArray& out, const std::string& where, NpyDtypes accepted,
                 uint64_t maxBytes) {
  out.array = parseNpyHeader(out.bytes.data(), out.bytes.size(), where, accepted);
  const size_t headerSize = npyHeaderSize(out.bytes.data(), out.bytes.size(), where);
  attachNpyData(out.array, out.bytes.data(), out.bytes.size(), headerSize, maxBytes);
}

LoadedArray readMember(const std::vector<uint8_t>& zip, const Member& m, const std::string& path,
                       uint64_t maxBytes) {
  LoadedArray out;
  out.bytes = readZipEntry(zip, *m.entry, path, maxBytes);
  parseMember(out, arrayWhere(path, m), NpyDtypes::Numbers, maxBytes);
  return out;
}

bool labelShape(const NpyArray& a, uint64_t n) {
  const auto& s = a.shape;
  return (s.size() == 1 || (s.size() == 2 && s[1] == 1)) && s[0] == n;
}

// The labels as text (whole numbers in decimal, strings as UTF-8), or an explanation of why the
// array cannot be labels for n samples. `encoding` gets a note when byte strings were Latin-1.
std::string toLabels(const NpyArray& a, uint64_t n, std::vector<std::string>& labels,
                     std::string& encoding) {
  const auto& s = a.shape;
  if (!(s.size() == 1 || (s.size() == 2 && s[1] == 1)))
    return "shape " + a.describe() + " is not 1-D";
  if (s[0] != n)
    return "it holds " + std::to_string(s[0]) + " labels for " + std::to_string(n) + " samples";
  if (a.isString()) {
    NpyStrings strings = npyToStrings(a);
    if (!strings.problem.empty()) return strings.problem;
    for (size_t i = 0; i < strings.values.size(); ++i)
      if (strings.values[i].empty())
        return "the string at index " + std::to_string(i) + " is empty (a label needs a name)";
    if (strings.firstNotUtf8 >= 0)
      encoding = "byte strings not UTF-8 (first at index " + std::to_string(strings.firstNotUtf8) +
                 "): read as Latin-1";
    labels = std::move(strings.values);
    return "";
  }
  std::string problem;
  labels.assign(size_t(n), "");
  forEachNpyValue(a, [&](uint64_t i, double v) {
    if (!problem.empty()) return;
    if (v != std::floor(v) || std::abs(v) > 9e15)
      problem = "value " + std::to_string(v) + " at index " + std::to_string(i) +
                " is not a whole number";
    labels[i] = std::to_string(int64_t(v));
  });
  return problem;
}

// The label array's problem, with the text a caught error gives after "'a.npz' array 'y': ".
std::string reasonOf(const Error& e, const std::string& where) {
  const std::string m = e.what();
  return m.starts_with(where + ": ") ? m.substr(where.size() + 2) : m;
}

}  // namespace

LoadResult loadNpz(const std::string& path, const LoadOptions& options) {
  LoadResult r;
  r.report.format = "NumPy .npz";
  const std::vector<uint8_t> zip = readFileBytes(path, options.maxBytes);
  const std::vector<ZipEntry> entries = readZipDirectory(zip, path);
  const std::vector<Member> members = npyMembers(entries, r.report);
  if (members.empty())
    failAt(Error::Code::Format, inQuotes(path), "the archive holds no .npy arrays");
  int data = findByName(members, DataNames, -1);
  const bool dataByName = data >= 0;
  if (!dataByName) data = 0;
  int labels = findByName(members, LabelNames, data);
  const bool labelsByName = labels >= 0;
  if (labels < 0) labels = findByName(members, UnnamedLabelNames, data);
  if (labels < 0 && !dataByName && members.size() > 1) labels = 1;
  const LoadedArray x = readMember(zip, members[size_t(data)], path, options.maxBytes);
  NpyLabels labelText;
  bool haveLabels = false;
  if (labels >= 0) {
    const Member& m = members[size_t(labels)];
    const std::string where = arrayWhere(path, m);
    const uint64_t n = x.array.shape.empty() ? 0 : x.array.shape[0];
    LoadedArray y;
    y.bytes = readZipEntry(zip, *m.entry, path, options.maxBytes);  // a corrupt entry: an error
    std::string problem, encoding;
    bool parsed = false;
    try {
      parseMember(y, where, NpyDtypes::NumbersAndStrings, options.maxBytes);
      parsed = true;
      problem = toLabels(y.array, n, labelText.text, encoding);
    } catch (const Error& e) {
      if (labelsByName) throw;  // named as labels: the user wants to know why they are not
      problem = reasonOf(e, where);
    }
    if (problem.empty()) {
      haveLabels = true;
      labelText.source = "array " + inQuotes(m.name);
      if (!encoding.empty()) r.report.addNote(labelText.source + ": " + encoding);
    } else if (labelsByName) {
      failAt(Error::Code::Format, where, "cannot be the labels: " + problem);
    } else {  // arr_1 or the second array: maybe a second table, not labels
      r.report.addNote(
          "array " + inQuotes(m.name) + (parsed ? " (shape " + y.array.describe() + ")" : "") +
          " is not labels for " + std::to_string(n) + " samples" +
          (parsed && !labelShape(y.array, n) ? "" : " (" + problem + ")") + "; ignored");
    }
  }
  std::string ignored;
  for (size_t i = 0; i < members.size(); ++i)
    if (int(i) != data && !(haveLabels && int(i) == labels))
      ignored += (ignored.empty() ? "" : ", ") + inQuotes(members[i].name);
  r.report.addNote("data: array " + inQuotes(members[size_t(data)].name) + " " +
                   x.array.describe() +
                   (haveLabels ? "; labels: array " + inQuotes(members[size_t(labels)].name) : "") +
                   (ignored.empty() ? "" : "; ignored " + ignored));
  r.data = datasetFromNpyArray(x.array, haveLabels ? &labelText : nullptr, options, r.report);
  r.data.name = std::filesystem::path(path).filename().string();
  r.data.sourcePath = path;
  return r;
}

}  // namespace latent
