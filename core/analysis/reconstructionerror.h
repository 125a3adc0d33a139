// Per-sample reconstruction error (the anomaly score) and PSNR, for the analysis panels and CLI.
#pragma once

#include <vector>

#include "data/types.h"

namespace latent {

class Model;

/// Mean squared error per value of each sample's reconstruction (data: features × n), computed in
/// chunks on TBB workers (the model is const and shared).
std::vector<double> reconstructionErrors(const Model& model, const Matrix& data);

/// Peak signal-to-noise ratio in dB of `other` against `clean` (one sample per column, both the
/// same shape): 10·log10(peak² / MSE) per sample; +inf when identical.
std::vector<double> psnr(const Matrix& clean, const Matrix& other, double peak = 1.0);

}  // namespace latent
