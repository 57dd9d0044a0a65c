#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/rng.hpp"

using namespace gradlab;

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
