// Activations and their derivatives; GELU is the exact (erf) form, as PyTorch's default.
#include "nn/activation.h"

#include <cmath>

namespace latent {

namespace {
constexpr Scalar InvSqrt2 = 0.70710678118654752f;
constexpr Scalar InvSqrt2Pi = 0.39894228040143268f;
}  // namespace

std::string toString(Activation a) {
  switch (a) {
    case Activation::Identity:
      return "identity";
    case Activation::ReLU:
      return "relu";
    case Activation::LeakyReLU:
      return "leaky_relu";
    case Activation::Tanh:
      return "tanh";
    case Activation::Sigmoid:
      return "sigmoid";
    case Activation::ELU:
      return "elu";
    case Activation::GELU:
      return "gelu";
  }
  return "identity";
}

Activation activationFromString(const std::string& name) {
  if (name == "identity" || name == "linear" || name == "none") return Activation::Identity;
  if (name == "relu") return Activation::ReLU;
  if (name == "leaky_relu" || name == "leakyrelu") return Activation::LeakyReLU;
  if (name == "tanh") return Activation::Tanh;
  if (name == "sigmoid") return Activation::Sigmoid;
  if (name == "elu") return Activation::ELU;
  if (name == "gelu") return Activation::GELU;
  throw Error(Error::Code::InvalidArgument,
              "unknown activation '" + name +
                  "' (choose identity, relu, leaky_relu, tanh, sigmoid, elu or gelu)");
}

bool activationNeedsPreActivation(Activation a) { return a == Activation::GELU; }

void activateInPlace(Activation a, Eigen::Ref<Matrix> v) {
  switch (a) {
    case Activation::Identity:
      return;
    case Activation::ReLU:
      v = v.cwiseMax(Scalar(0));
      return;
    case Activation::LeakyReLU:
      v = v.unaryExpr([](Scalar x) { return x > 0 ? x : LeakyReluSlope * x; });
      return;
    case Activation::Tanh:
      v = v.array().tanh();
      return;
    case Activation::Sigmoid:
      // 1/(1+e^-x) written via tanh: no overflow for large |x|, and vectorised by Eigen.
      v = (Scalar(0.5) * (Scalar(0.5) * v.array()).tanh() + Scalar(0.5)).matrix();
      return;
    case Activation::ELU:
      v = v.unaryExpr([](Scalar x) { return x > 0 ? x : EluAlpha * std::expm1(x); });
      return;
    case Activation::GELU:
      v = v.unaryExpr(
          [](Scalar x) { return Scalar(0.5) * x * (Scalar(1) + std::erf(x * InvSqrt2)); });
      return;
  }
}

void multiplyByDerivative(Activation a, const Matrix& z, const Matrix& y, Matrix& grad) {
  switch (a) {
    case Activation::Identity:
      return;
    case Activation::ReLU:  // f'(z) = [z > 0] = [y > 0]
      grad = (y.array() > Scalar(0)).select(grad, Scalar(0));
      return;
    case Activation::LeakyReLU:
      grad = (y.array() > Scalar(0)).select(grad, LeakyReluSlope * grad);
      return;
    case Activation::Tanh:  // f' = 1 - y²
      grad.array() *= Scalar(1) - y.array().square();
      return;
    case Activation::Sigmoid:  // f' = y(1 - y)
      grad.array() *= y.array() * (Scalar(1) - y.array());
      return;
    case Activation::ELU:  // f' = 1 for z > 0, else alpha e^z = y + alpha
      grad = (y.array() > Scalar(0)).select(grad, (grad.array() * (y.array() + EluAlpha)).matrix());
      return;
    case Activation::GELU: {  // f' = Φ(z) + z φ(z)
      grad.array() *= z.array().unaryExpr([](Scalar x) {
        return Scalar(0.5) * (Scalar(1) + std::erf(x * InvSqrt2)) +
               x * InvSqrt2Pi * std::exp(Scalar(-0.5) * x * x);
      });
      return;
    }
  }
}

void derivativeProduct(Activation a, const Matrix& z, const Matrix& y, const Matrix& gradOutput,
                       Matrix& out) {
  // The common cases fused into one pass over memory; the rest copy, then multiply in place.
  switch (a) {
    case Activation::Identity:
      out = gradOutput;
      return;
    case Activation::ReLU:
      out = (y.array() > Scalar(0)).select(gradOutput, Scalar(0));
      return;
    case Activation::Sigmoid:
      out = (gradOutput.array() * y.array() * (Scalar(1) - y.array())).matrix();
      return;
    case Activation::Tanh:
      out = (gradOutput.array() * (Scalar(1) - y.array().square())).matrix();
      return;
    default:
      out = gradOutput;
      multiplyByDerivative(a, z, y, out);
  }
}

}  // namespace latent
