// Signals dataset generation: per window, three independent random streams (clean signal, noise,
// anomaly) so that making a window anomalous changes nothing but the anomaly itself.
#include "data/signals.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/rng.h"

namespace latent {
namespace {

constexpr float TwoPi = 2.0f * std::numbers::pi_v<float>;

enum class Wave { Sine, Square, Sawtooth };
enum class Anomaly { Spike, LevelShift, FrequencyChange };

struct Channel {
  Wave wave = Wave::Sine;
  float frequency = 0;  // cycles per step
  float phase = 0;      // in cycles
  float amplitude = 0;
  float offset = 0;
};

struct InjectedAnomaly {
  Anomaly kind = Anomaly::Spike;
  int channel = 0;
  int start = 0;     // first affected step
  int duration = 1;  // spike only
  float size = 0;    // signed, in units of the channel's amplitude
};

Channel drawChannel(int c, int length, Rng& rng) {
  Channel ch;
  ch.wave = Wave(c % 3);
  ch.frequency = (1.5f + 2.5f * rng.uniform()) / float(length);
  ch.phase = rng.uniform();
  ch.amplitude = 0.5f + 0.5f * rng.uniform();
  ch.offset = 0.4f * rng.uniform() - 0.2f;
  return ch;
}

InjectedAnomaly drawAnomaly(int channels, int length, Rng& rng) {
  InjectedAnomaly a;
  a.kind = Anomaly(rng.below(3));
  a.channel = int(rng.below(uint64_t(channels)));
  a.start = length / 4 + int(rng.below(uint64_t(std::max(1, length / 2))));
  a.duration = 1 + int(rng.below(3));
  const float sign = rng.uniform() < 0.5f ? -1.0f : 1.0f;
  a.size = sign * (a.kind == Anomaly::Spike ? 2.0f + rng.uniform() : 0.8f + 0.4f * rng.uniform());
  return a;
}

// The wave's value at `cycles` (any real number), in [-1, 1].
float waveAt(Wave wave, float cycles) {
  const float f = cycles - std::floor(cycles);  // position within the cycle, [0, 1)
  switch (wave) {
    case Wave::Sine:
      return std::sin(TwoPi * f);
    case Wave::Square:
      return f < 0.5f ? 1.0f : -1.0f;
    case Wave::Sawtooth:
      return 2.0f * f - 1.0f;
  }
  return 0;
}

// Cycles elapsed at step t; after a frequency change the phase runs 2.5× faster from its start,
// continuing where it was (no jump).
float cyclesAt(const Channel& ch, int t, const InjectedAnomaly* a) {
  float cycles = ch.phase + ch.frequency * float(t);
  if (a && a->kind == Anomaly::FrequencyChange && t > a->start)
    cycles += 1.5f * ch.frequency * float(t - a->start);
  return cycles;
}

float anomalyOffset(const InjectedAnomaly& a, const Channel& ch, int t) {
  if (a.kind == Anomaly::LevelShift && t >= a.start) return a.size * ch.amplitude;
  if (a.kind == Anomaly::Spike && t >= a.start && t < a.start + a.duration)
    return a.size * ch.amplitude;
  return 0;
}

// Writes one window (length × channels values, time-major) into `out`.
void generateWindow(unsigned seed, int index, const SignalsOptions& o, bool anomalous,
                    Scalar* out) {
  Rng signalRng = Rng::derive(seed, uint64_t(index), 0);
  Rng noiseRng = Rng::derive(seed, uint64_t(index), 1);
  Rng anomalyRng = Rng::derive(seed, uint64_t(index), 2);
  std::vector<Channel> channels;
  for (int c = 0; c < o.channels; ++c) channels.push_back(drawChannel(c, o.length, signalRng));
  const InjectedAnomaly anomaly = drawAnomaly(o.channels, o.length, anomalyRng);
  for (int t = 0; t < o.length; ++t)
    for (int c = 0; c < o.channels; ++c) {
      const Channel& ch = channels[c];
      const InjectedAnomaly* a = anomalous && anomaly.channel == c ? &anomaly : nullptr;
      float v = ch.offset + ch.amplitude * waveAt(ch.wave, cyclesAt(ch, t, a));
      if (a) v += anomalyOffset(*a, ch, t);
      out[t * o.channels + c] = v + o.noise * noiseRng.normal();
    }
}

// E[wave²] over a uniformly random phase: ½ for a sine, 1 for a square wave, ⅓ for a sawtooth.
double meanSquare(Wave wave) {
  switch (wave) {
    case Wave::Sine:
      return 0.5;
    case Wave::Square:
      return 1.0;
    case Wave::Sawtooth:
      return 1.0 / 3.0;
  }
  return 1.0;
}

// Channel c's standard deviation over normal windows, from drawChannel's distributions:
// amplitude ~ U(0.5, 1) has E[a²] = 7/12, offset ~ U(-0.2, 0.2) has variance 0.4²/12.
double channelDeviation(int c, float noise) {
  constexpr double MeanSquaredAmplitude = 7.0 / 12.0, OffsetVariance = 0.4 * 0.4 / 12.0;
  return std::sqrt(MeanSquaredAmplitude * meanSquare(Wave(c % 3)) + OffsetVariance +
                   double(noise) * noise);
}

// Divides channel c of every step by its deviation; the normalisation maps stored values back.
void standardiseChannels(Dataset& d, const SignalsOptions& o) {
  Normalisation n;
  n.kind = Normalisation::Kind::Standardise;
  n.scale.clear();
  for (int t = 0; t < o.length; ++t)
    for (int c = 0; c < o.channels; ++c) n.scale.push_back(float(channelDeviation(c, o.noise)));
  n.offset.assign(n.scale.size(), 0.0f);
  // Column-wise over the samples: a dataset of zero samples has no storage, and taking a row of
  // it would offset a null pointer (UBSan reports that).
  const Eigen::Map<const Vector> scale(n.scale.data(), Eigen::Index(n.scale.size()));
  if (d.samples.cols() > 0) d.samples.array().colwise() /= scale.array();
  d.normalisation = std::move(n);
}

void checkArguments(int count, const SignalsOptions& o) {
  if (count < 0 || o.length < 2 || o.channels < 1 || !(o.anomalyFraction >= 0) ||
      o.anomalyFraction > 1 || !(o.noise >= 0))
    throw std::invalid_argument(
        "makeSignalsDataset: need count >= 0, length >= 2, channels >= 1, anomaly fraction in "
        "[0,1] and noise >= 0; got count " +
        std::to_string(count) + ", length " + std::to_string(o.length) + ", channels " +
        std::to_string(o.channels) + ", fraction " + std::to_string(o.anomalyFraction) +
        ", noise " + std::to_string(o.noise));
}

}  // namespace

Dataset makeSignalsDataset(int count, unsigned seed, const SignalsOptions& options) {
  checkArguments(count, options);
  Dataset d;
  d.name = "Signals (built-in)";
  d.shape = Shape::sequence(options.length, options.channels);
  d.classNames = {"normal", "anomalous"};
  d.samples.resize(d.shape.size(), count);
  d.labels.resize(size_t(count));
  const double f = options.anomalyFraction;
  for (int i = 0; i < count; ++i) {
    // Evenly spread: window i is anomalous when floor(i·f) steps up at i + 1.
    const bool anomalous = std::floor((i + 1) * f) > std::floor(i * f);
    d.labels[i] = anomalous ? 1 : 0;
    generateWindow(seed, i, options, anomalous, d.samples.col(i).data());
  }
  if (options.standardise) standardiseChannels(d, options);
  return d;
}

}  // namespace latent
