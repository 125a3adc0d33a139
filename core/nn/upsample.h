// Upsample: resizes every channel to a given height × width, nearest-neighbour or bilinear, with
// PyTorch's nn.Upsample(size=...) coordinates (bilinear: align_corners=False). Any ratio works,
// so a decoder can return to sizes that are not multiples of the encoder's stride.
#pragma once

#include <string>
#include <vector>

#include "nn/convgeometry.h"
#include "nn/layer.h"

namespace latent {

enum class UpsampleMode { Nearest, Bilinear };
std::string toString(UpsampleMode m);
UpsampleMode upsampleModeFromString(const std::string& name);  // nearest | bilinear

class Upsample : public Layer {
 public:
  Upsample(ImageDims input, int outHeight, int outWidth, UpsampleMode mode);

  const Matrix& forward(const Matrix& input) override;
  const Matrix& backward(const Matrix& gradOutput) override;
  Matrix infer(const Matrix& input) const override;

  int inputSize() const override { return m_input.size(); }
  int outputSize() const override { return resizedDims().size(); }
  std::string describe() const override;
  ImageDims outputDims() const { return resizedDims(); }

  /// An output coordinate's two source samples and the weight of the second (nearest: one
  /// source, weight 0).
  struct Tap {
    int first = 0, second = 0;
    Scalar weight = 0;
  };

 private:
  ImageDims resizedDims() const { return {m_input.channels, m_outHeight, m_outWidth}; }
  void resize(const MatrixView& input, Matrix& out) const;

  ImageDims m_input;
  int m_outHeight, m_outWidth;
  UpsampleMode m_mode;
  std::vector<Tap> m_rows;     // one per output row
  std::vector<Tap> m_columns;  // one per output column
  Matrix m_output;             // (C·H_out·W_out) × batch
  Matrix m_gradInput;          // (C·H_in·W_in) × batch
};

}  // namespace latent
