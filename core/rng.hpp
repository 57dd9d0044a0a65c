// Portable pseudo-random numbers: xoshiro256** (Blackman & Vigna) seeded through
// splitmix64, with our own uniform, integer and normal samplers.
//
// <random>'s distributions are implementation-defined: std::normal_distribution
// gives different numbers under libstdc++ (native) and libc++ (WebAssembly). Every
// sampler here is written out so one seed gives bit-identical weights and data
// order in both builds.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "portable_math.hpp"

namespace gradlab {

/// One step of splitmix64; used to expand a seed into generator state.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Independent streams drawn from one user seed, so that (say) changing the batch
/// size never changes the initial weights.
enum class Stream : uint64_t { weights = 1, data = 2, batches = 3, toy_points = 4, extra = 5 };

class Rng {
 public:
  explicit Rng(uint64_t seed, Stream stream = Stream::weights) { reseed(seed, stream); }

  void reseed(uint64_t seed, Stream stream = Stream::weights) {
    uint64_t sm = seed ^ (static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ull);
    for (auto& word : s_) word = splitmix64(sm);
    has_spare_ = false;
  }

  /// 64 uniformly random bits (xoshiro256**).
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform double in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  /// Unbiased integer in [0, n), n ≥ 1 (rejection of the short last interval).
  uint64_t below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t r = next_u64();
      if (r >= threshold) return r % n;
    }
  }

  /// Standard normal N(0, 1) by Marsaglia's polar method (pairs; one is kept).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * portable::log(s) / s);  // sqrt is correctly rounded
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  /// Fisher–Yates shuffle of any random-access container.
  template <typename Container>
  void shuffle(Container& c) {
    for (size_t i = c.size(); i > 1; --i) {
      const size_t j = static_cast<size_t>(below(i));
      std::swap(c[i - 1], c[j]);
    }
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace gradlab
