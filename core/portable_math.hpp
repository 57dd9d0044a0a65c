// Elementary functions computed with +, -, *, / and exact bit operations only.
//
// The native build links glibc's libm, the WebAssembly build musl's. Their log, sin
// and cos may differ in the last bit, and a seed must give bit-identical weights
// and data in both builds. These versions use only IEEE-754 operations that are
// correctly rounded everywhere (and the project compiles with -ffp-contract=off so
// no fused multiply-add changes a rounding). They are accurate to about 1 ulp,
// which is all that sampling needs.
//
// expm1 and log1p serve the activations: ELU and SELU called the C library's
// expm1f for every element, and glibc's and musl's differ in the last bit for a
// few inputs in a million on [−3, −0.03] (log1pf more often; see
// tools/libm_diff.cpp), so a native and a wasm run from one seed parted once
// training met one (issue 14: SELU with batch norm from an orthogonal init, at
// step 41). Eigen's own float exp, logistic and tanh use no C library in their
// vectorized loops.
#pragma once

#include <cmath>
#include <limits>

namespace gradlab::portable {

inline constexpr double kPi = 3.14159265358979323846;

/// Natural logarithm of x > 0 (returns -inf for 0 and NaN for negatives or NaN).
inline double log(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -HUGE_VAL : NAN;
  if (x == HUGE_VAL) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m·2^e, m in [0.5, 1): exact
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  // ln m = 2 atanh(t), t = (m−1)/(m+1), |t| ≤ 0.1716: the odd series converges fast.
  const double t = (m - 1.0) / (m + 1.0);
  const double t2 = t * t;
  double series = 1.0 / 25.0;
  for (int k = 11; k >= 0; --k) series = 1.0 / (2 * k + 1) + t2 * series;
  const double ln2_hi = 6.93147180369123816490e-01;  // ln 2 split so e·ln2_hi is exact
  const double ln2_lo = 1.90821492927058770002e-10;
  return e * ln2_hi + (2.0 * t * series + e * ln2_lo);
}

namespace detail {
// sin and cos of r with |r| ≤ π/4, by their Taylor series (Horner form).
inline double sin_kernel(double r) {
  const double r2 = r * r;
  double p = 0.0;
  for (int k = 10; k >= 1; --k) p = (1.0 - p * r2 / ((2 * k) * (2 * k + 1)));
  return r * p;
}
inline double cos_kernel(double r) {
  const double r2 = r * r;
  double p = 0.0;
  for (int k = 10; k >= 1; --k) p = (1.0 - p * r2 / ((2 * k - 1) * (2 * k)));
  return p;
}

inline constexpr double kInvLn2 = 1.44269504088896338700e+00;
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2 split so k·kLn2Hi is exact
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;

// 1/n! for n ≤ 14 (a constexpr product: rounded as IEEE does, in either compiler).
struct InverseFactorials {
  double c[15]{};
  constexpr InverseFactorials() {
    double f = 1;
    c[0] = 1;
    for (int n = 1; n < 15; ++n) c[n] = 1.0 / (f *= n);
  }
};
inline constexpr InverseFactorials kInvFact{};

// e^r − 1 for |r| ≤ ln2/2, by Taylor to r^14/14! (truncation < 3e-17 relative).
inline double expm1_kernel(double r) {
  double p = kInvFact.c[14];
  for (int n = 13; n >= 2; --n) p = p * r + kInvFact.c[n];
  return r + r * r * p;
}

// ln(DBL_MAX): above it e^x overflows.
inline constexpr double kMaxLog = 709.782712893383973096;
}  // namespace detail

/// e^x − 1, to a few ulp (≤ 4e-16 relative), also near 0.
inline double expm1(double x) {
  if (std::isnan(x) || x == 0.0) return x;  // −0 stays −0
  if (x > detail::kMaxLog) return HUGE_VAL;
  if (x < -40.0) return -1.0;  // e^x < 5e-18: −1 in double
  const double k = std::floor(x * detail::kInvLn2 + 0.5);
  if (k == 0) return detail::expm1_kernel(x);
  const double r = (x - k * detail::kLn2Hi) - k * detail::kLn2Lo;
  return std::ldexp(1.0 + detail::expm1_kernel(r), static_cast<int>(k)) - 1.0;  // ldexp: exact, or one rounding to a subnormal
}

/// e^x, to a few ulp (the same reduction and polynomial as expm1).
inline double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > detail::kMaxLog) return HUGE_VAL;
  if (x < -746.0) return 0.0;
  const double k = std::floor(x * detail::kInvLn2 + 0.5);
  const double r = (x - k * detail::kLn2Hi) - k * detail::kLn2Lo;
  return std::ldexp(1.0 + detail::expm1_kernel(r), static_cast<int>(k));
}

/// ln(1 + y) for y ≥ −1, to a few ulp, also near 0.
inline double log1p(double y) {
  if (y == HUGE_VAL) return y;
  if (std::abs(y) < 1e-4)  // the series: the next term is under 2e-21 relative
    return y * (1.0 + y * (-0.5 + y * (1.0 / 3.0 + y * (-0.25 + y * 0.2))));
  const double u = 1.0 + y;
  // ln(1 + y) = ln u + ln(1 + c/u), c the rounding of 1 + y (0 for a float y).
  const double c = y - (u - 1.0);
  return c == 0.0 ? log(u) : log(u) + c / u;
}

/// Elementwise, for Eigen's unaryExpr on floats or doubles: e^x − 1 and
/// ln(1 + e^x) (softplus(z) = max(z, 0) + ln(1 + e^−|z|)), each rounded once.
struct Expm1 {
  template <typename T>
  T operator()(T x) const { return static_cast<T>(expm1(static_cast<double>(x))); }
};
struct Log1pExp {
  template <typename T>
  T operator()(T x) const { return static_cast<T>(log1p(exp(static_cast<double>(x)))); }
};

/// √x elementwise, correctly rounded: a scalar std::sqrt (sqrtss natively,
/// f32.sqrt in wasm). Eigen's vectorized float sqrt is _mm_rsqrt_ps and a Newton
/// step under EIGEN_FAST_MATH (its default), an approximation that differs
/// between CPUs and that Emscripten's SSE emulation computes exactly.
struct Sqrt {
  template <typename T>
  T operator()(T x) const { return std::sqrt(x); }
};

/// sin and cos for |x| up to about 1e6 (Cody–Waite reduction by π/2).
inline void sincos(double x, double* s, double* c) {
  const double two_over_pi = 0.63661977236758134308;
  const double pio2_hi = 1.57079632673412561417e+00;  // first 33 bits of π/2
  const double pio2_lo = 6.07710050650619224932e-11;  // π/2 − pio2_hi
  const double k = std::floor(x * two_over_pi + 0.5);
  const double r = (x - k * pio2_hi) - k * pio2_lo;
  const double sr = detail::sin_kernel(r), cr = detail::cos_kernel(r);
  const long q = static_cast<long>(k) & 3;
  switch (q) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}

}  // namespace gradlab::portable
