// zeroParameter and fillUniform.
#include "nn/parameterinit.h"

#include <memory>

namespace latent {

Parameter zeroParameter(const std::string& name, int rows, int cols,
                        std::vector<int64_t> fileShape) {
  Parameter p{name, std::make_shared<Matrix>(Matrix::Zero(rows, cols)), Matrix::Zero(rows, cols)};
  p.fileShape = std::move(fileShape);
  return p;
}

void fillUniform(Matrix& values, Scalar bound, Rng& rng) {
  for (Eigen::Index i = 0; i < values.size(); ++i)
    values.data()[i] = (Scalar(2) * rng.uniform() - Scalar(1)) * bound;
}

}  // namespace latent
