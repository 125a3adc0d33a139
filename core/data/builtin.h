// The built-in datasets by name, so the CLI (`--data builtin:moons`) and the GUI's menu offer
// the same generators with the same defaults.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace latent {

struct BuiltinInfo {
  std::string name;         // "moons": what follows "builtin:"
  std::string title;        // "Two moons": for menus
  std::string description;  // one line: what it is for
  int defaultCount = 0;     // samples (users for "useritem")
};

/// Every built-in dataset: shapes, signals, moons, swissroll, blobs, useritem.
const std::vector<BuiltinInfo>& builtinDatasets();

/// What to generate: a name from builtinDatasets and its settings (0 or negative: the default).
struct BuiltinRequest {
  std::string name;
  int count = 0;  // samples (users); 0: the dataset's default
  unsigned seed = 1;
  int dims = 0;  // moons, swissroll, blobs: features (default 3); useritem: items (200)
};

/// True for "builtin:…" references.
bool isBuiltinReference(const std::string& text);

/// Parses "builtin:NAME" with optional ":key=value" settings n (count), seed, dim, e.g.
/// "builtin:moons:n=2000:dim=5:seed=3". Throws Error(InvalidArgument) naming the unknown
/// dataset (and listing the known ones) or the bad setting.
BuiltinRequest parseBuiltinReference(const std::string& text);

/// Generates the dataset. Throws Error(InvalidArgument) for an unknown name or bad settings.
Dataset makeBuiltinDataset(const BuiltinRequest& request);

}  // namespace latent
