// Elementary functions computed with +, -, *, / and exact bit operations only.
//
// The native build links glibc's libm, the WebAssembly build musl's. Their log, sin
// and cos may differ in the last bit, and a seed must give bit-identical weights
// and data in both builds. These versions use only IEEE-754 operations that are
// correctly rounded everywhere (and the project compiles with -ffp-contract=off so
// no fused multiply-add changes a rounding). They are accurate to about 1 ulp,
// which is all that sampling needs. Not for hot paths.
#pragma once

#include <cmath>

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
}  // namespace detail

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
