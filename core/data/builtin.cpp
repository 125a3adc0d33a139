// Built-in dataset registry: names, defaults, the "builtin:NAME:key=value" reference syntax.
#include "data/builtin.h"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>

#include "data/shapes.h"
#include "data/signals.h"
#include "data/tabular.h"
#include "data/useritem.h"

namespace latent {
namespace {

constexpr const char* Prefix = "builtin:";

[[noreturn]] void invalid(const std::string& message) {
  throw Error(Error::Code::InvalidArgument, message);
}

std::string knownNames() {
  std::string names;
  for (const BuiltinInfo& b : builtinDatasets()) names += (names.empty() ? "" : ", ") + b.name;
  return names;
}

const BuiltinInfo& infoFor(const std::string& name) {
  for (const BuiltinInfo& b : builtinDatasets())
    if (b.name == name) return b;
  invalid("no built-in dataset '" + name + "' (built-in datasets: " + knownNames() + ")");
}

long long parseSetting(const std::string& reference, const std::string& key,
                       const std::string& value) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || v < 0 || v > 100'000'000)
    invalid("'" + reference + "': " + key + "=" + value + " is not a whole number >= 0");
  return v;
}

}  // namespace

const std::vector<BuiltinInfo>& builtinDatasets() {
  static const std::vector<BuiltinInfo> list{
      {"shapes", "Shapes", "28×28 circles, squares, triangles and crosses", 4000},
      {"signals", "Signals", "sequences with labelled anomalies", 2000},
      {"moons", "Two moons", "two interleaved half circles, in 3–10 dimensions", 2000},
      {"swissroll", "Swiss roll", "a rolled-up sheet, in 3–10 dimensions", 2000},
      {"blobs", "Blobs", "four Gaussian blobs, in 2–10 dimensions", 2000},
      {"useritem", "User–item", "1,000 users × 200 items with planted taste groups", 1000},
  };
  return list;
}

bool isBuiltinReference(const std::string& text) { return text.rfind(Prefix, 0) == 0; }

BuiltinRequest parseBuiltinReference(const std::string& text) {
  if (!isBuiltinReference(text)) invalid("'" + text + "' is not a builtin:NAME reference");
  std::stringstream parts(text.substr(std::string(Prefix).size()));
  BuiltinRequest r;
  std::getline(parts, r.name, ':');
  infoFor(r.name);  // names the unknown dataset
  for (std::string setting; std::getline(parts, setting, ':');) {
    const size_t eq = setting.find('=');
    const std::string key = setting.substr(0, eq);
    if (eq == std::string::npos || (key != "n" && key != "seed" && key != "dim"))
      invalid("'" + text + "': setting '" + setting + "' should be n=COUNT, seed=SEED or dim=D");
    const long long v = parseSetting(text, key, setting.substr(eq + 1));
    if (key == "n") r.count = int(v);
    if (key == "seed") r.seed = unsigned(v);
    if (key == "dim") r.dims = int(v);
  }
  return r;
}

Dataset makeBuiltinDataset(const BuiltinRequest& r) {
  const int count = r.count > 0 ? r.count : infoFor(r.name).defaultCount;
  if (r.dims > 0 && (r.name == "shapes" || r.name == "signals"))
    invalid("builtin:" + r.name + " has a fixed shape (no dim= setting)");
  try {
    TabularOptions tabular;
    if (r.dims > 0) tabular.dims = r.dims;
    if (r.name == "shapes") return makeShapesDataset(count, r.seed);
    if (r.name == "signals") return makeSignalsDataset(count, r.seed);
    if (r.name == "moons") return makeMoonsDataset(count, r.seed, tabular);
    if (r.name == "swissroll") return makeSwissRollDataset(count, r.seed, tabular);
    if (r.name == "blobs") return makeBlobsDataset(count, r.seed, tabular);
    UserItemOptions items;
    if (r.dims > 0) {  // a smaller catalogue keeps the groups and user sizes that fit
      items.items = r.dims;
      items.itemsPerGroup = std::min(items.itemsPerGroup, r.dims);
      items.maxInteractions = std::min(items.maxInteractions, r.dims);
      items.minInteractions = std::min(items.minInteractions, items.maxInteractions);
    }
    if (r.name == "useritem") return makeUserItemDataset(count, r.seed, items);
  } catch (const std::invalid_argument& e) {
    invalid("builtin:" + r.name + ": " + e.what());
  }
  infoFor(r.name);
  invalid("no built-in dataset '" + r.name + "'");
}

}  // namespace latent
