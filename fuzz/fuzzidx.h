// Shared body of the IDX fuzz targets (raw and gzipped).
#pragma once

#include <filesystem>

#include "fuzzinput.h"
#include "io/idx.h"

namespace fuzz {

inline void loadIdxFiles(const uint8_t* data, size_t size, bool gzip) {
  const auto parts = splitInput(data, size, FileSeparator, 2);
  const std::string suffix = gzip ? ".gz" : "";
  auto write = [&](const std::string& name, std::string_view bytes) {
    return writeScratch(name + suffix, gzip ? std::string_view(gzipped(bytes)) : bytes);
  };
  const std::string images = write("train-images-idx3-ubyte", parts[0]);
  const std::string labels = scratchDir() + "/train-labels-idx1-ubyte" + suffix;
  if (parts.size() > 1)
    write("train-labels-idx1-ubyte", parts[1]);
  else
    std::filesystem::remove(labels);
  try {
    const latent::Dataset d = latent::loadIdx(images);
    d.validate();
    require(d.count() > 0 && d.features() > 0, "a loaded dataset has samples and features");
    require(d.samples.allFinite(), "loaded samples are finite");
    require(d.samples.minCoeff() >= 0.0f && d.samples.maxCoeff() <= 1.0f,
            "loaded samples are scaled into [0,1]");
    require(!d.hasLabels() || int(d.labels.size()) == d.count(), "one label per sample");
  } catch (const latent::Error&) {
    // The expected failure: a clear error naming the file.
  }
}

}  // namespace fuzz
