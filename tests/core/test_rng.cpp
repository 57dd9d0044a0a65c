#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/rng.hpp"

using namespace gradlab;

TEST_CASE("portable log matches libm to 2 ulp over many decades", "[rng]") {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    const double ours = portable::log(x), ref = std::log(x);
    REQUIRE(std::abs(ours - ref) <= 2 * std::abs(ref) * 2.3e-16 + 1e-300);
  }
  REQUIRE(portable::log(1.0) == 0.0);
  REQUIRE(std::isinf(portable::log(0.0)));
  REQUIRE(std::isnan(portable::log(-1.0)));
}

TEST_CASE("portable sincos matches libm", "[rng]") {
  for (double x = -50.0; x < 50.0; x += 0.0137) {
    double s, c;
    portable::sincos(x, &s, &c);
    REQUIRE(std::abs(s - std::sin(x)) < 1e-14);
    REQUIRE(std::abs(c - std::cos(x)) < 1e-14);
  }
}

TEST_CASE("the generator is deterministic and its streams differ", "[rng]") {
  Rng a(42), b(42), c(42, Stream::data), d(43);
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    REQUIRE(x == b.next_u64());
    differs_c |= x != c.next_u64();
    differs_d |= x != d.next_u64();
  }
  REQUIRE(differs_c);
  REQUIRE(differs_d);
}

TEST_CASE("uniform, below and normal have the right moments", "[rng]") {
  Rng rng(7);
  const int n = 200000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
  std::vector<int> counts(7, 0);
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    su += u;
    su2 += u * u;
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
    counts[rng.below(7)]++;
  }
  // Tolerances are about 5 standard errors of each estimate.
  CHECK(su / n == Approx(0.5).margin(5 * std::sqrt(1.0 / 12 / n)));
  CHECK(su2 / n - (su / n) * (su / n) == Approx(1.0 / 12).margin(0.002));
  CHECK(sn / n == Approx(0.0).margin(5 / std::sqrt(n)));
  CHECK(sn2 / n == Approx(1.0).margin(5 * std::sqrt(2.0 / n)));
  CHECK(sn4 / n == Approx(3.0).margin(5 * std::sqrt(96.0 / n)));  // normal kurtosis
  for (int c : counts) CHECK(c == Approx(n / 7.0).margin(5 * std::sqrt(n / 7.0)));
}

TEST_CASE("shuffle is a seeded permutation", "[rng]") {
  std::vector<int> a(100), b(100);
  for (int i = 0; i < 100; ++i) a[i] = b[i] = i;
  Rng r1(3), r2(3);
  r1.shuffle(a);
  r2.shuffle(b);
  REQUIRE(a == b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 100; ++i) REQUIRE(sorted[i] == i);
  int fixed = 0;
  for (int i = 0; i < 100; ++i) fixed += a[i] == i;
  REQUIRE(fixed < 10);
}

TEST_CASE("portable expm1, exp and log1p match libm, also near 0", "[rng]") {
  const auto close = [](double ours, double ref, double ulps) {
    return std::abs(ours - ref) <= ulps * 2.3e-16 * std::abs(ref) + 1e-300;
  };
  for (double x = -45.0; x < 700.0; x += 0.0731) {
    REQUIRE(close(portable::expm1(x), std::expm1(x), 4));
    REQUIRE(close(portable::exp(x), std::exp(x), 4));
  }
  for (double x = -740.0; x < -40.0; x += 0.37) REQUIRE(close(portable::exp(x), std::exp(x), 8));
  for (double t = 1e-300; t < 1e-3; t *= 1.37) {
    for (double x : {t, -t}) {
      REQUIRE(close(portable::expm1(x), std::expm1(x), 2));
      REQUIRE(close(portable::log1p(x), std::log1p(x), 2));
    }
  }
  for (double y = -0.999999; y < 1e300; y = y < 0 ? y * 0.9 + 1e-9 : y * 1.37 + 1e-9)
    REQUIRE(close(portable::log1p(y), std::log1p(y), 4));
  REQUIRE(portable::expm1(-100.0) == -1.0);
  REQUIRE(std::isinf(portable::expm1(1000.0)));
  REQUIRE(std::isnan(portable::expm1(NAN)));
  REQUIRE(portable::exp(-800.0) == 0.0);
  REQUIRE(std::isinf(portable::log1p(-1.0)));
  REQUIRE(std::isnan(portable::log1p(-2.0)));
  REQUIRE(std::isinf(portable::log1p(HUGE_VAL)));
}

TEST_CASE("the activations' float expm1 and softplus are correctly rounded, within an ulp of libm's", "[rng]") {
  // Their whole point is the same bits in every build; here, that they are right:
  // rounded once from double, they are the float nearest e^x − 1 (up to rare
  // double-rounding ties), where glibc's expm1f is off by an ulp now and then.
  int off_nearest = 0, n = 0;
  for (float x = -20.0f; x < 0.0f; x = std::nextafter(x + 1.3e-4f, 1.0f), ++n) {
    const float ours = portable::Expm1{}(x), libm = std::expm1(x);
    REQUIRE(std::abs(ours - libm) <= std::abs(std::nextafter(libm, 0.0f) - libm));
    off_nearest += ours != static_cast<float>(std::expm1(static_cast<double>(x)));
    const float sp = portable::Log1pExp{}(x), sp_ref = static_cast<float>(std::log1p(std::exp(static_cast<double>(x))));
    off_nearest += sp != sp_ref;
  }
  REQUIRE(n > 100000);
  REQUIRE(off_nearest <= 2);
}
