// Model files: the weights as float32 tensors in the safetensors layout (readable by NumPy and
// PyTorch users), with the spec, the data's shape and normalisation, the training history and the
// optimizer state in the JSON metadata, so a run can be resumed. Written atomically.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "train/snapshot.h"

namespace latent {

/// What a model file holds besides the weights.
struct ModelFileInfo {
  Shape dataShape;                      // the shape of one sample the model was trained on
  Normalisation normalisation;          // how the training data was scaled on load
  std::vector<std::string> classNames;  // may be empty
  std::string datasetPath;              // where the training data came from (may be empty)
  std::vector<EpochRecord> history;
  std::optional<OptimizerState> optimizer;
};

struct LoadedModel {
  std::unique_ptr<Model> model;
  ModelFileInfo info;
};

/// Writes `model` and `info` to `path` atomically (a temporary file renamed over the target).
void saveModelFile(const std::string& path, const Model& model, const ModelFileInfo& info);

/// Reads and validates a model file: every tensor present with the shape the spec implies, all
/// values finite, metadata well-formed. Throws Error naming the file and the problem.
LoadedModel loadModelFile(const std::string& path);

}  // namespace latent
