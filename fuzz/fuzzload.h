// Shared body of the dataset-loader fuzz targets (CSV, NPY, NPZ): the first input byte picks the
// load options a user can choose (missing-value policy, header, scaling, windows), the rest is
// the file. A load either fails with latent::Error or gives a dataset whose invariants hold.
#pragma once

#include <functional>

#include "fuzzinput.h"
#include "io/loadoptions.h"

namespace fuzz {

/// Options from one byte: bits 0–1 missing policy, 2–3 header, 4–5 scaling, 6–7 a time-series
/// window (none, 1, 3 or 8 steps; stride 2 when 3). The memory cap stays below libFuzzer's
/// -rss_limit_mb, so a loader that trusts its cap must honour it.
inline latent::LoadOptions loadOptionsFrom(uint8_t selector) {
  latent::LoadOptions o;
  o.missing = latent::MissingPolicy(selector % 3);
  o.header = latent::HeaderRow((selector >> 2) % 3);
  o.scaling = latent::Scaling((selector >> 4) & 3);
  constexpr int Windows[] = {0, 1, 3, 8};
  o.windowLength = Windows[(selector >> 6) & 3];
  o.windowStride = o.windowLength == 3 ? 2 : 0;
  o.maxBytes = 256ull << 20;
  return o;
}

/// Writes the file part of the input to scratchDir()/name and loads it with `load`; checks what a
/// successful load promises.
inline void loadDatasetFile(
    const uint8_t* data, size_t size, const std::string& name,
    const std::function<latent::LoadResult(const std::string&, const latent::LoadOptions&)>& load) {
  if (size == 0) return;
  const latent::LoadOptions options = loadOptionsFrom(data[0]);
  const std::string path = writeScratch(name, data + 1, size - 1);
  try {
    const latent::LoadResult r = load(path, options);
    const latent::Dataset& d = r.data;
    d.validate();
    require(d.count() > 0 && d.features() > 0, "a loaded dataset has samples and features");
    require(d.shape.size() == d.features(), "the shape describes one sample");
    require(d.samples.allFinite(), "loaded samples are finite");
    require(!d.hasLabels() || int(d.labels.size()) == d.count(), "one label per sample");
    for (const int label : d.labels)
      require(d.classNames.empty() || size_t(label) < d.classNames.size(),
              "a label names one of the class names, when there are names");
  } catch (const latent::Error&) {
    // The expected failure: a clear error naming the file.
  }
}

}  // namespace fuzz
