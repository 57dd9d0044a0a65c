// The WebAssembly SIMD ceiling: how many float multiply-adds per second a plain
// f32x4 loop reaches in this engine. Each accumulator runs a ← a·m + c (WebAssembly
// has no fused multiply-add: a mul then an add). With too few independent
// accumulators the loop waits on the mul→add latency; the probe tries 8, 12 and 16
// and the benchmark keeps the fastest, the throughput no training step can beat.
#include <emscripten/emscripten.h>
#include <wasm_simd128.h>

namespace {
template <int N>
float mad(int iterations, float seed) {
  const v128_t m = wasm_f32x4_splat(0.999999f), c = wasm_f32x4_splat(1e-6f);
  v128_t a[N];
  for (int k = 0; k < N; ++k) a[k] = wasm_f32x4_splat(seed + static_cast<float>(k));
  for (int i = 0; i < iterations; ++i)
#pragma clang loop unroll(full)
    for (int k = 0; k < N; ++k) a[k] = wasm_f32x4_add(wasm_f32x4_mul(a[k], m), c);
  v128_t s = a[0];
  for (int k = 1; k < N; ++k) s = wasm_f32x4_add(s, a[k]);
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);
}
}  // namespace

extern "C" {
/// `iterations` rounds over `chains` (8, 12 or 16) accumulators; returns a value
/// that depends on all of them.
EMSCRIPTEN_KEEPALIVE float mad_loop(int chains, int iterations, float seed) {
  switch (chains) {
    case 12: return mad<12>(iterations, seed);
    case 16: return mad<16>(iterations, seed);
    case 24: return mad<24>(iterations, seed);
    default: return mad<8>(iterations, seed);
  }
}

/// FLOPs per round of mad_loop with `chains` accumulators: 4 lanes × (mul + add).
EMSCRIPTEN_KEEPALIVE int flops_per_iteration(int chains) { return chains * 4 * 2; }
}
