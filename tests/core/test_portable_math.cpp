// The portable elementary functions (core/portable_math.hpp): + − × ÷ only, so
// that the native and the wasm build round alike. Here: that they are right.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "core/portable_math.hpp"

using namespace gradlab;

namespace {
// |ours − ref| within `ulps` units in the last place of ref (subnormals included).
template <typename T>
bool within_ulps(T ours, T ref, double ulps) {
  if (ours == ref) return true;
  const T ulp = std::nextafter(std::abs(ref), std::numeric_limits<T>::infinity()) - std::abs(ref);
  return std::abs(ours - ref) <= ulps * ulp;
}
}  // namespace

TEST_CASE("portable log matches libm to 2 ulp over many decades", "[portable]") {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    const double ours = portable::log(x), ref = std::log(x);
    REQUIRE(std::abs(ours - ref) <= 2 * std::abs(ref) * 2.3e-16 + 1e-300);
  }
  REQUIRE(portable::log(1.0) == 0.0);
  REQUIRE(std::isinf(portable::log(0.0)));
  REQUIRE(std::isnan(portable::log(-1.0)));
}

TEST_CASE("portable sincos matches libm", "[portable]") {
  for (double x = -50.0; x < 50.0; x += 0.0137) {
    double s, c;
    portable::sincos(x, &s, &c);
    REQUIRE(std::abs(s - std::sin(x)) < 1e-14);
    REQUIRE(std::abs(c - std::cos(x)) < 1e-14);
  }
}

TEST_CASE("portable expm1, exp and log1p match libm to a few ulp, also near 0 and at the ends", "[portable]") {
  for (double x = -45.0; x < 709.7; x += 0.0731) {
    REQUIRE(within_ulps(portable::expm1(x), std::expm1(x), 4));
    REQUIRE(within_ulps(portable::exp(x), std::exp(x), 4));
  }
  for (double x = 709.0; x <= 709.78; x += 0.01) REQUIRE(within_ulps(portable::exp(x), std::exp(x), 4));
  // Results that are subnormal (one rounding of a subnormal: ±1 of its few bits).
  for (double x = -745.0; x < -700.0; x += 0.37) REQUIRE(within_ulps(portable::exp(x), std::exp(x), 4));
  for (double t = 1e-300; t < 1e-3; t *= 1.37) {
    for (double x : {t, -t}) {
      REQUIRE(within_ulps(portable::expm1(x), std::expm1(x), 3));  // libm's own error included
      REQUIRE(within_ulps(portable::log1p(x), std::log1p(x), 3));
    }
  }
  for (double y = -0.999999; y < 1e300; y = y < 0 ? y * 0.9 + 1e-9 : y * 1.37 + 1e-9)
    REQUIRE(within_ulps(portable::log1p(y), std::log1p(y), 4));
  const double inf = std::numeric_limits<double>::infinity();
  REQUIRE(portable::expm1(-100.0) == -1.0);
  REQUIRE(portable::expm1(-inf) == -1.0);
  REQUIRE(portable::expm1(inf) == inf);
  REQUIRE(portable::expm1(709.8) == inf);
  REQUIRE(std::signbit(portable::expm1(-0.0)));
  REQUIRE(std::isnan(portable::expm1(NAN)));
  REQUIRE(portable::exp(-inf) == 0.0);
  REQUIRE(portable::exp(-800.0) == 0.0);
  REQUIRE(portable::exp(709.8) == inf);
  REQUIRE(std::isinf(portable::log1p(-1.0)));
  REQUIRE(std::isnan(portable::log1p(-2.0)));
  REQUIRE(portable::log1p(inf) == inf);
}

TEST_CASE("the activations' float expm1 and softplus are correctly rounded, within an ulp of libm's", "[portable]") {
  // Rounded once from double, they are the float nearest e^x − 1 and ln(1 + e^x)
  // (up to rare double-rounding ties), where glibc's expm1f is off by an ulp now and then.
  int off_nearest = 0, n = 0;
  for (float x = -20.0f; x < 0.0f; x = std::nextafter(x + 1.3e-4f, 1.0f), ++n) {
    const float ours = portable::Expm1{}(x);
    REQUIRE(within_ulps<float>(ours, std::expm1(x), 1));
    off_nearest += ours != static_cast<float>(std::expm1(static_cast<double>(x)));
    off_nearest += portable::Log1pExp{}(x) != static_cast<float>(std::log1p(std::exp(static_cast<double>(x))));
  }
  REQUIRE(n > 100000);
  REQUIRE(off_nearest <= 2);
}
