// Rng: a small portable pseudo-random generator (xoshiro256**, seeded through SplitMix64) with
// the few distributions the quant modules need.
//
// Its streams depend on the seed alone and are the same with every compiler and standard library
// (std::normal_distribution is not), so modules built on it are reproducible. An Rng is not
// thread-safe: give each unit of parallel work (a tree, an instrument) its own generator from
// Rng::ForStream(seed, index), so results do not depend on how the work is spread over threads.
#ifndef FAI_CANVAS_MODULES_RNG_H_
#define FAI_CANVAS_MODULES_RNG_H_

#include <cmath>
#include <cstdint>

namespace fai::quant {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix64(&seed);
  }

  // A generator for sub-stream `stream` of `seed`: distinct streams are independent.
  static Rng ForStream(uint64_t seed, uint64_t stream) {
    uint64_t mixed = seed ^ 0x6a09e667f3bcc909ULL;
    const uint64_t a = SplitMix64(&mixed);
    uint64_t s = stream + 0x3c6ef372fe94f82bULL;
    return Rng(a ^ (SplitMix64(&s) * 0x9e3779b97f4a7c15ULL));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [0, n). REQUIRES: n > 0. (Modulo bias below 2^-40 for n < 2^24.)
  uint64_t UniformInt(uint64_t n) { return Next() % n; }

  // Standard normal (Marsaglia's polar method).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * Uniform() - 1;
      v = 2 * Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  // Gamma(shape, 1) (Marsaglia and Tsang). REQUIRES: shape > 0.
  double Gamma(double shape) {
    if (shape < 1) return Gamma(shape + 1) * std::pow(Uniform() + 0x1.0p-54, 1 / shape);
    const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = Normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = Uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u + 0x1.0p-54) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
    }
  }

  // Student-t with `dof` degrees of freedom, scaled to unit variance. REQUIRES: dof > 2.
  double StudentT(double dof) {
    const double chi2 = 2 * Gamma(dof / 2);
    return Normal() / std::sqrt(chi2 / dof) * std::sqrt((dof - 2) / dof);
  }

 private:
  static uint64_t SplitMix64(uint64_t* x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_RNG_H_
