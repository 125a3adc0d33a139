// Element-wise activations as stateless pairs: activate in place, and multiply a gradient by the
// activation's derivative (from the cached pre-activation z and/or output y).
#pragma once

#include <string>

#include "data/types.h"

namespace latent {

enum class Activation { Identity, ReLU, LeakyReLU, Tanh, Sigmoid, ELU, GELU };

std::string toString(Activation a);
/// Accepts "identity|linear|relu|leaky_relu|leakyrelu|tanh|sigmoid|elu|gelu"; throws Error
/// otherwise.
Activation activationFromString(const std::string& name);

/// True when the derivative needs z (the pre-activation), not just y = f(z).
bool activationNeedsPreActivation(Activation a);

/// y = f(z), in place on `values` (any shape).
void activateInPlace(Activation a, Eigen::Ref<Matrix> values);

/// grad ⊙= f'(z). `z` is only read when activationNeedsPreActivation(a); `y` = f(z).
void multiplyByDerivative(Activation a, const Matrix& z, const Matrix& y, Matrix& grad);
/// out = gradOutput ⊙ f'(z), in one pass (out is resized).
void derivativeProduct(Activation a, const Matrix& z, const Matrix& y, const Matrix& gradOutput,
                       Matrix& out);

constexpr Scalar LeakyReluSlope = 0.01f;
constexpr Scalar EluAlpha = 1.0f;

}  // namespace latent
