// Scalar and matrix types shared by the whole core: one sample per column, column-major.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace latent {

using Scalar = float;
/// Column-major float matrix; in the core a batch is features × samples (one sample per column).
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
/// Whole columns of a matrix without copying (a Matrix or a middleCols block of one).
using MatrixView = Eigen::Ref<const Matrix>;

/// An expected failure (missing file, bad header, bad option): a code and a message that names the
/// file or the option. Core never prints or exits; callers show `what()`.
class Error : public std::runtime_error {
 public:
  enum class Code { Io, Format, TooLarge, InvalidArgument, Unsupported };
  Error(Code code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  Code code() const { return m_code; }

 private:
  Code m_code;
};

/// "784×128" for messages that name shapes.
inline std::string shapeString(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "×" + std::to_string(cols);
}

}  // namespace latent
