// Rng: a small, fast, portable random generator (xoshiro256++ seeded by splitmix64). Randomness is
// always passed in, never global, so a seed reproduces a run bit for bit on every platform.
#pragma once

#include <cmath>
#include <cstdint>

namespace latent {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    for (auto& s : m_state) s = splitmix(seed);
    m_hasSpare = false;
  }
  /// A generator for a sub-stream: same (seed, a, b) → same stream.
  static Rng derive(uint64_t seed, uint64_t a, uint64_t b = 0) {
    return Rng(seed ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^
               0x5851F42D4C957F2Dull);
  }

  uint64_t next() {
    const uint64_t result = rotl(m_state[0] + m_state[3], 23) + m_state[0];
    const uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
  }
  /// Uniform in [0, 1).
  float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  /// Standard normal (Box–Muller, the spare value kept).
  float normal() {
    if (m_hasSpare) {
      m_hasSpare = false;
      return m_spare;
    }
    double u1 = 0.0;
    do u1 = (next() >> 11) * (1.0 / 9007199254740992.0);
    while (u1 <= 0.0);
    const double u2 = (next() >> 11) * (1.0 / 9007199254740992.0);
    const double r = std::sqrt(-2.0 * std::log(u1));
    m_spare = static_cast<float>(r * std::sin(2.0 * M_PI * u2));
    m_hasSpare = true;
    return static_cast<float>(r * std::cos(2.0 * M_PI * u2));
  }
  /// Fisher–Yates shuffle of any random-access range.
  template <typename It>
  void shuffle(It first, It last) {
    for (auto n = last - first; n > 1; --n) std::swap(first[n - 1], first[below(n)]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t m_state[4];
  float m_spare = 0.0f;
  bool m_hasSpare = false;
};

}  // namespace latent
