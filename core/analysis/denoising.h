// Denoising measured: corrupt clean samples, reconstruct them with a model, and compare both the
// noisy and the denoised version with the clean one by PSNR (the Denoising panel's numbers).
#pragma once

#include <vector>

#include "data/types.h"
#include "models/modelspec.h"

namespace latent {

class Model;

struct DenoisingResult {
  Matrix noisy;                      // features × n: clean corrupted by the noise
  Matrix denoised;                   // features × n: the model's reconstruction of `noisy`
  std::vector<double> psnrNoisy;     // n: PSNR(noisy, clean) in dB (+inf when identical)
  std::vector<double> psnrDenoised;  // n: PSNR(denoised, clean) in dB
  // Means over the samples with a finite PSNR: a sample the noise left unchanged (+inf, e.g. a
  // mask hitting only zeros) has no meaningful dB value; it is counted instead. +inf when none is
  // finite.
  double meanPsnrNoisy = 0;
  double meanPsnrDenoised = 0;
  int unchangedNoisy = 0;  // samples with PSNR(noisy, clean) = +inf
  int unchangedDenoised = 0;
  double peak = 1;  // the peak value the PSNR uses
};

/// The peak of a PSNR on `clean` (features × n): the span of [min(0, lowest), max(1, highest)],
/// so data in [0, 1] (images) uses 1 and other data its own range.
double psnrPeak(const Matrix& clean);

/// Corrupts `clean` (features × n, model.inputSize() rows) with `noise` drawn from Rng(seed), the
/// whole matrix in column order (the same seed gives the same noisy samples), reconstructs on TBB
/// workers and measures PSNR against `clean` with psnrPeak(clean). Throws std::invalid_argument
/// when the rows do not match the model.
DenoisingResult evaluateDenoising(const Model& model, const Matrix& clean, const NoiseSpec& noise,
                                  unsigned seed);

}  // namespace latent
