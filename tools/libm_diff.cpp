// Where the native and the WebAssembly C libraries part: hashes f(x) for every
// float x in [−100, 0] in blocks of 2²² and prints one line per block, so that
// the native build (glibc) and the wasm build (musl) can be compared; with a
// range of bit patterns it prints each f(x). This is how core/portable_math.hpp
// found that expm1f and log1pf differ (and expf at one float, logf nowhere):
//   g++ -O2 -ffp-contract=off -o /tmp/libm_n tools/libm_diff.cpp
//   em++ -O2 -ffp-contract=off -sENVIRONMENT=node -o /tmp/libm_w.js tools/libm_diff.cpp
//   for f in expm1 exp log1p log tanh; do
//     /tmp/libm_n $f >/tmp/n_$f; node --no-experimental-fetch /tmp/libm_w.js $f >/tmp/w_$f
//     echo "$f: $(diff /tmp/n_$f /tmp/w_$f | grep -c '^<') blocks differ"; done
//   /tmp/libm_n expm1 3212836864 3213836864    # then the values of one block, to diff
// (log1p and log are taken of −x: over [0, 100].)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
static float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
static float apply(const char* name, float x) {
  if (!std::strcmp(name, "expm1")) return std::expm1(x);
  if (!std::strcmp(name, "exp")) return std::exp(x);
  if (!std::strcmp(name, "log1p")) return std::log1p(-x);
  if (!std::strcmp(name, "log")) return std::log(-x);
  if (!std::strcmp(name, "tanh")) return std::tanh(x);
  std::fprintf(stderr, "libm_diff: expm1, exp, log1p, log or tanh, not '%s'\n", name);
  std::exit(2);
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::fprintf(stderr, "usage: libm_diff FUNCTION [FIRST_BITS LAST_BITS]\n");
    return 2;
  }
  const char* name = argv[1];
  if (argc == 4) {
    const uint32_t lo = std::strtoul(argv[2], nullptr, 10), hi = std::strtoul(argv[3], nullptr, 10);
    for (uint32_t u = lo; u <= hi && u >= lo; ++u) std::printf("%u %08x\n", u, bits(apply(name, from_bits(u))));
    return 0;
  }
  const uint32_t lo = bits(-0.0f), hi = bits(-100.0f), block = 1u << 22;
  for (uint32_t b = lo; b <= hi; b += block) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a over the results' bits
    for (uint32_t u = b; u < b + block && u <= hi; ++u) h = (h ^ bits(apply(name, from_bits(u)))) * 1099511628211ull;
    std::printf("%u %016llx\n", b, static_cast<unsigned long long>(h));
  }
  return 0;
}
