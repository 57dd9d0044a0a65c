#include <catch2/catch.hpp>
#include <cstring>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

TEST_CASE("the MNIST file holds 10,000 labelled digits", "[data]") {
  const Dataset& d = *test::mnist();
  CHECK(d.size() == 10000);
  CHECK(d.features() == 784);
  CHECK(d.num_classes == 10);
  std::vector<int> per_class(10, 0);
  for (auto label : d.labels) per_class[label]++;
  for (int c : per_class) CHECK(c > 800);
  REQUIRE(d.uses_bytes);
  Matrix<float> X;
  d.columns(0, d.size(), X);
  CHECK(X.minCoeff() == 0.0f);
  CHECK(X.maxCoeff() == 1.0f);
  // Digits are mostly background: the mean pixel is ~0.13.
  CHECK(X.mean() == Approx(0.13).margin(0.03));
  // One column is the same whether read alone or in a block, and is byte / 255.
  Vector<float> one(784);
  d.column(17, one.data());
  CHECK(one == X.col(17));
  CHECK(one(300) == d.pixels(300, 17) * (1.0f / 255.0f));
}

TEST_CASE("malformed MNIST bytes are refused with a clear message", "[data]") {
  std::vector<uint8_t> good(16 + 2 * (4 + 1), 0);
  std::memcpy(good.data(), "GLMNIST1", 8);
  good[8] = 2;                 // count
  good[12] = 2, good[14] = 2;  // 2x2 images
  CHECK(parse_mnist(good.data(), good.size()).size() == 2);
  CHECK_THROWS_WITH(parse_mnist(good.data(), 5), Contains("not a gradlab MNIST file"));
  CHECK_THROWS_WITH(parse_mnist(nullptr, 0), Contains("not a gradlab MNIST file"));
  CHECK_THROWS_WITH(parse_mnist(good.data(), good.size() - 1), Contains("truncated"));
  auto bad_label = good;
  bad_label.back() = 12;
  CHECK_THROWS_WITH(parse_mnist(bad_label.data(), bad_label.size()), Contains("label 12"));
  auto bad_magic = good;
  bad_magic[0] = 'X';
  CHECK_THROWS_WITH(parse_mnist(bad_magic.data(), bad_magic.size()), Contains("GLMNIST1"));
}

TEST_CASE("toy sets: balanced, in range, seeded, noise moves labels", "[data]") {
  for (const auto& [kind, name] : kToyNames) {
    INFO(name);
    const Dataset a = make_toy(kind, 400, 0.2, 5), b = make_toy(kind, 400, 0.2, 5);
    CHECK(a.size() == 400);
    CHECK(a.features() == 2);
    CHECK(a.X == b.X);
    CHECK(a.X.cwiseAbs().maxCoeff() < 2.0);
    const long ones = std::count(a.labels.begin(), a.labels.end(), 1);
    CHECK(ones > 120);
    CHECK(ones < 280);
  }
  CHECK_THROWS_WITH(make_toy(Toy::xor_, 100, 2.0, 1), Contains("noise"));
  CHECK_THROWS_WITH(make_toy(Toy::xor_, 1, 0.0, 1), Contains("sample count"));
  CHECK_THROWS_WITH(parse_toy("moons"), Contains("unknown dataset 'moons'"));
}

TEST_CASE("the split is a seeded partition", "[data]") {
  const Dataset all = make_toy(Toy::gauss, 100, 0.1, 1);
  const Split s = shuffle_split(all, 30, 9), t = shuffle_split(all, 30, 9), u = shuffle_split(all, 30, 10);
  CHECK(s.train.size() == 70);
  CHECK(s.test.size() == 30);
  CHECK(s.train.X == t.train.X);
  CHECK(s.train.X != u.train.X);
  // Every example lands in exactly one part.
  double sum_all = all.X.sum(), sum_parts = s.train.X.sum() + s.test.X.sum();
  CHECK(sum_parts == Approx(sum_all));
  CHECK_THROWS_WITH(shuffle_split(all, 100, 1), Contains("test count"));
}
