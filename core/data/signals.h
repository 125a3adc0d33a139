// The built-in "Signals" dataset: windows of multichannel sine, square and sawtooth-like signals
// with noise, some with an injected, labelled anomaly. Generated from a seed (no download); the
// sequence dataset for LSTM autoencoders and anomaly detection.
#pragma once

#include "data/dataset.h"

namespace latent {

struct SignalsOptions {
  int length = 64;               // time steps per window
  int channels = 3;              // channel c is a sine (c % 3 == 0), square (1) or sawtooth (2)
  float anomalyFraction = 0.1f;  // share of windows holding one anomaly, in [0, 1]
  float noise = 0.05f;           // standard deviation of the Gaussian noise added to every value
  /// Store every channel divided by its expected standard deviation (unit variance), as the
  /// sequence CSV loader standardises each column: the square wave's channel would otherwise
  /// weigh about 2.8× the sawtooth's in a reconstruction error.
  bool standardise = true;
};

/// `count` windows, each Shape::sequence(length, channels), time-major (step t, channel c at
/// t * channels + c); samples: (length·channels) × count. Each channel has its own random
/// frequency (1.5–4 cycles per window), phase, amplitude (0.5–1) and offset (±0.2); generated
/// values stay within about ±2.5. With `standardise`, channel c is stored divided by its standard
/// deviation over normal windows, σ_c² = E[amplitude²]·E[wave²] + Var(offset) + noise², from the
/// generator's distributions (so the same for every seed and count), and the dataset records it
/// (Normalisation::Standardise, scale σ_c and offset 0 for every step's channel c); without, the
/// values are stored as generated (Normalisation::None).
/// Anomalous windows (label 1; class names "normal", "anomalous") are spread evenly, exactly
/// floor(count · anomalyFraction) of them; each gets one anomaly on one channel from a random step
/// in the middle half on: a spike (1–3 steps of ±2–3 × amplitude), a level shift (±0.8–1.2 ×
/// amplitude to the end), or a frequency change (2.5× faster, phase-continuous).
/// Window i depends only on (seed, i, options): the clean signal and the noise do not depend on
/// whether the window is anomalous, so an anomaly is exactly the difference (scaled like its
/// channel when standardised). Throws
/// std::invalid_argument for count < 0, length < 2, channels < 1, or a fraction outside [0, 1].
Dataset makeSignalsDataset(int count, unsigned seed, const SignalsOptions& options = {});

}  // namespace latent
