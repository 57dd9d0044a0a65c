// Hand-written 4-wide float kernels for the products that dominate small
// networks, where Eigen's general GEMM spends much of its time packing operands
// (measured in bench/README.md, "What was optimized").
//
// Written with GCC/Clang vector extensions, so the same source compiles to SSE
// natively and to WASM SIMD (or to scalar code in the no-SIMD module). Each
// result element is summed in one fixed order, with separate multiplies and adds
// (no fused multiply-add), so native and wasm builds give bit-identical results.
//
// Every matrix is column-major with a leading dimension (Eigen's layout,
// matrix.hpp). The kernels need m ≥ 4 rows: a last partial block of rows is
// computed as an overlapping whole vector (rows m−4 … m−1), whose shared rows
// come out bit-identical to the block before, so no padding is needed.
#pragma once

#include <cstdint>

namespace gradlab::kernels {

/// The fewest rows the kernels take (one vector); callers check it (network.cpp
/// leaves narrower layers to Eigen), and the kernels assert it.
inline constexpr int kMinRows = 4;

/// C (m × n) = A (m × k) · B (k × n), plus bias (m) added first if not null:
/// c_ij = (((bias_i + a_i0 b_0j) + a_i1 b_1j) + …). The forward product z = W a + b.
void gemm_nn(int m, int n, int k, const float* A, int lda, const float* B, int ldb, const float* bias, float* C,
             int ldc);

/// C (m × k) = alpha · (A (m × n) · Bᵀ), with B (k × n): c_ip = alpha · Σ_j a_ij b_pj,
/// summed over j in order. The weight gradient ∂C/∂W = (δ · a_inᵀ)/B. Returns
/// Σ c_ip², in float within each block of rows × 4 columns and in double across
/// blocks (non-finite if any entry is, or if a square overflows a float).
double gemm_nt(int m, int k, int n, float alpha, const float* A, int lda, const float* B, int ldb, float* C,
               int ldc);

/// One pass over a weight tensor w and its step d (n values each): whether every
/// w + d is finite (`finite`), Σ w² and Σ d² (in float within blocks of 256, in
/// double across them; non-finite if a square overflows a float). The update's
/// check and its ‖W‖, ‖ΔW‖ in one read of both.
struct StepSums {
  bool finite;
  double w_squares, d_squares;
};
StepSums step_sums(const float* w, const float* d, long n);

/// out[i] = bytes[i] · (1/255) for i < n: MNIST pixels into features.
void bytes_to_unit(const uint8_t* bytes, int n, float* out);

}  // namespace gradlab::kernels
