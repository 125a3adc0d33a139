// The safetensors file format (github.com/huggingface/safetensors): named float tensors plus string
// metadata, readable by PyTorch and friends. Reading treats every byte as hostile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "data/types.h"

namespace latent {

/// One tensor as safetensors stores it: `data` is row-major (last index fastest), as in PyTorch,
/// and holds exactly product(shape) values (1 for shape {}).
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// A whole file: tensors in data order, and the optional "__metadata__" string map.
struct TensorFile {
  std::vector<NamedTensor> tensors;
  std::map<std::string, std::string> metadata;

  /// The tensor called `name`, or nullptr.
  const NamedTensor* find(const std::string& name) const;
};

/// Reading refuses (Error::Code::TooLarge) headers and files above these sizes.
struct TensorFileLimits {
  uint64_t maxHeaderBytes = 16u << 20;
  uint64_t maxTotalBytes = 4ull << 30;
};

/// The file's bytes: header length, JSON header padded with spaces to a multiple of 8 bytes, then
/// every tensor as little-endian F32 in `file.tensors` order. "__metadata__" is omitted when empty.
/// Throws Error(InvalidArgument) for a tensor whose data size differs from its shape's product,
/// a negative dimension, a duplicate or reserved name, or a name that is not valid UTF-8.
std::vector<uint8_t> encodeTensorFile(const TensorFile& file);

/// encodeTensorFile, then written atomically (readers never see a half-written file).
/// Throws Error(Io) naming `path` when the write fails.
void writeTensorFile(const std::string& path, const TensorFile& file);

/// Parses and validates `size` bytes. F32 and F64 tensors are returned as float; any other dtype
/// throws Error(Unsupported). Malformed input throws Error(Format), input above `limits` throws
/// Error(TooLarge); every message starts with `nameForMessages` and names the tensor or field.
TensorFile decodeTensorFile(const uint8_t* bytes, size_t size, const std::string& nameForMessages,
                            const TensorFileLimits& limits = {});

/// Reads and decodes `path` (messages name its file name). Throws Error(Io) when it cannot be read,
/// otherwise as decodeTensorFile.
TensorFile readTensorFile(const std::string& path, const TensorFileLimits& limits = {});

/// A rows×cols Matrix as shape {rows, cols} in row-major order, so element (r, c) is
/// data[r * cols + c]: a Dense weight (out×in) reads in PyTorch as Linear.weight [out, in].
NamedTensor toTensor(const std::string& name, const Matrix& matrix);

/// The inverse of toTensor: shape {rows, cols} → rows×cols, shape {n} → n×1 (a column).
/// Throws Error(InvalidArgument) for other ranks or when data.size() differs from the shape.
Matrix toMatrix(const NamedTensor& tensor);

}  // namespace latent
