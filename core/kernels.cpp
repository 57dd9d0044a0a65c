#include "kernels.hpp"

#include <cassert>
#include <cstring>

namespace gradlab::kernels {

namespace {
typedef float f4 __attribute__((vector_size(16)));

inline f4 load(const float* p) {
  f4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, f4 v) { std::memcpy(p, &v, sizeof v); }
inline f4 splat(float x) { return f4{x, x, x, x}; }

// The tiles' loops over registers must unroll completely (GCC's -O2 would keep
// the accumulators in memory otherwise).
#define UNROLL _Pragma("GCC unroll 8")

// The register tile: R vectors of rows (4R rows) × NC columns of C. V8 gives
// WASM SIMD 16 vector registers on x86-64: R = 2, NC = 5 uses 10 accumulators,
// 2 operand vectors and a broadcast.

// The register tile's one loop, shared by both products: for each step p in
// order, acc[r][c] += A[4r…4r+3, p] · b(p, c), with b(p, c) = B[p·step + c·col].
template <int R, int NC>
inline void accumulate(f4 (&acc)[R][NC], int steps, const float* A, int lda, const float* B, long step, long col) {
  for (int p = 0; p < steps; ++p) {
    f4 a[R];
    UNROLL
    for (int r = 0; r < R; ++r) a[r] = load(A + static_cast<long>(p) * lda + 4 * r);
    UNROLL
    for (int c = 0; c < NC; ++c) {
      const f4 x = splat(B[p * step + c * col]);
      UNROLL
      for (int r = 0; r < R; ++r) acc[r][c] += a[r] * x;
    }
  }
}

// C[0:4R, 0:NC] = bias + A[0:4R, :] · B[:, 0:NC]
template <int R, int NC>
void tile_nn(int k, const float* A, int lda, const float* B, int ldb, const float* bias, float* C, int ldc) {
  f4 acc[R][NC];
  UNROLL
  for (int r = 0; r < R; ++r) {
    const f4 start = bias ? load(bias + 4 * r) : splat(0.0f);
    UNROLL
    for (int c = 0; c < NC; ++c) acc[r][c] = start;
  }
  accumulate<R, NC>(acc, k, A, lda, B, 1, ldb);  // b(p, c) = B[p + c·ldb]
  UNROLL
  for (int c = 0; c < NC; ++c)
    UNROLL
    for (int r = 0; r < R; ++r) store(C + static_cast<long>(c) * ldc + 4 * r, acc[r][c]);
}

// C[0:4R, 0:NC] = alpha · (A[0:4R, :] · (B[0:NC, :])ᵀ); returns the block's squares
// summed in float, lanes below `skip` (rows already counted by an overlapping
// block) left out.
template <int R, int NC>
float tile_nt(int n, float alpha, const float* A, int lda, const float* B, int ldb, float* C, int ldc, int skip) {
  f4 acc[R][NC];
  UNROLL
  for (int r = 0; r < R; ++r)
    UNROLL
    for (int c = 0; c < NC; ++c) acc[r][c] = splat(0.0f);
  accumulate<R, NC>(acc, n, A, lda, B, ldb, 1);  // b(j, c) = B[j·ldb + c]
  f4 squares = splat(0.0f);
  UNROLL
  for (int c = 0; c < NC; ++c)
    UNROLL
    for (int r = 0; r < R; ++r) {
      const f4 v = acc[r][c] * alpha;
      store(C + static_cast<long>(c) * ldc + 4 * r, v);
      squares += v * v;
    }
  float sum = 0.0f;
  UNROLL
  for (int lane = skip; lane < 4; ++lane) sum += squares[lane];
  return sum;
}

// Row blocks of C: 8 rows while they last, then 4, then the overlapping last 4.
template <typename Tile>
void for_row_blocks(int m, Tile&& tile) {
  assert(m >= kMinRows);  // the overlapping last block starts at row m − 4
  int i = 0;
  for (; i + 8 <= m; i += 8) tile(2, i, 0);
  if (i + 4 <= m) {
    tile(1, i, 0);
    i += 4;
  }
  if (i < m) tile(1, m - 4, 4 - (m - i));
}

template <int R>
void nn_columns(int n, int k, const float* A, int lda, const float* B, int ldb, const float* bias, float* C, int ldc) {
  constexpr int NC = 5;
  int j = 0;
  for (; j + NC <= n; j += NC) tile_nn<R, NC>(k, A, lda, B + static_cast<long>(j) * ldb, ldb, bias, C + static_cast<long>(j) * ldc, ldc);
  const float* b = B + static_cast<long>(j) * ldb;
  float* c = C + static_cast<long>(j) * ldc;
  switch (n - j) {
    case 4: tile_nn<R, 4>(k, A, lda, b, ldb, bias, c, ldc); break;
    case 3: tile_nn<R, 3>(k, A, lda, b, ldb, bias, c, ldc); break;
    case 2: tile_nn<R, 2>(k, A, lda, b, ldb, bias, c, ldc); break;
    case 1: tile_nn<R, 1>(k, A, lda, b, ldb, bias, c, ldc); break;
    default: break;
  }
}

template <int R>
double nt_columns(int k, int n, float alpha, const float* A, int lda, const float* B, int ldb, float* C, int ldc, int skip) {
  constexpr int NC = 4;
  double sum = 0;
  int p = 0;
  for (; p + NC <= k; p += NC) sum += tile_nt<R, NC>(n, alpha, A, lda, B + p, ldb, C + static_cast<long>(p) * ldc, ldc, skip);
  const float* b = B + p;
  float* c = C + static_cast<long>(p) * ldc;
  switch (k - p) {
    case 3: sum += tile_nt<R, 3>(n, alpha, A, lda, b, ldb, c, ldc, skip); break;
    case 2: sum += tile_nt<R, 2>(n, alpha, A, lda, b, ldb, c, ldc, skip); break;
    case 1: sum += tile_nt<R, 1>(n, alpha, A, lda, b, ldb, c, ldc, skip); break;
    default: break;
  }
  return sum;
}
}  // namespace

void gemm_nn(int m, int n, int k, const float* A, int lda, const float* B, int ldb, const float* bias, float* C,
             int ldc) {
  for_row_blocks(m, [&](int R, int i, int) {
    const float* b = bias ? bias + i : nullptr;
    if (R == 2)
      nn_columns<2>(n, k, A + i, lda, B, ldb, b, C + i, ldc);
    else
      nn_columns<1>(n, k, A + i, lda, B, ldb, b, C + i, ldc);
  });
}

double gemm_nt(int m, int k, int n, float alpha, const float* A, int lda, const float* B, int ldb, float* C,
               int ldc) {
  double sum = 0;
  for_row_blocks(m, [&](int R, int i, int skip) {
    if (R == 2)
      sum += nt_columns<2>(k, n, alpha, A + i, lda, B, ldb, C + i, ldc, skip);
    else
      sum += nt_columns<1>(k, n, alpha, A + i, lda, B, ldb, C + i, ldc, skip);
  });
  return sum;
}

StepSums step_sums(const float* w, const float* d, long n) {
  // (w + d)·0 is 0 for a finite sum and NaN otherwise, and NaN survives the sums.
  f4 probe = splat(0.0f);
  double w_squares = 0, d_squares = 0;
  long i = 0;
  while (i < n) {
    const long end = n - i >= 256 ? i + 256 : n;
    f4 ws = splat(0.0f), ds = splat(0.0f);
    for (; i + 4 <= end; i += 4) {
      const f4 a = load(w + i), b = load(d + i);
      probe += (a + b) * 0.0f;
      ws += a * a;
      ds += b * b;
    }
    float wt = 0.0f, dt = 0.0f;
    for (; i < end; ++i) {
      probe[0] += (w[i] + d[i]) * 0.0f;
      wt += w[i] * w[i];
      dt += d[i] * d[i];
    }
    w_squares += double((ws[0] + ws[1]) + (ws[2] + ws[3])) + double(wt);
    d_squares += double((ds[0] + ds[1]) + (ds[2] + ds[3])) + double(dt);
  }
  return {((probe[0] + probe[1]) + (probe[2] + probe[3])) == 0.0f, w_squares, d_squares};
}

void bytes_to_unit(const uint8_t* bytes, int n, float* out) {
  typedef uint8_t u8x16 __attribute__((vector_size(16)));
  typedef uint32_t u32x16 __attribute__((vector_size(64)));
  typedef float f16 __attribute__((vector_size(64)));
  const float scale = 1.0f / 255.0f;
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    u8x16 b;
    std::memcpy(&b, bytes + i, sizeof b);
    // The float whose bits are 2²³'s with b in the low bits is 2²³ + b exactly;
    // minus 2²³ it is b. Clang 14 turns a plain integer-to-float conversion of
    // bytes into sixteen scalar conversions for WASM SIMD; this stays in vectors
    // (and gives the same float as float(b)).
    const u32x16 bits = __builtin_convertvector(b, u32x16) | 0x4B000000u;
    f16 v;
    std::memcpy(&v, &bits, sizeof v);
    v = (v - 8388608.0f) * scale;
    std::memcpy(out + i, &v, sizeof v);
  }
  for (; i < n; ++i) out[i] = float(bytes[i]) * scale;
}

}  // namespace gradlab::kernels
