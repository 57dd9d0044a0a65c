#include <catch2/catch.hpp>
#include <cstring>

#include <Eigen/QR>

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

TEST_CASE("gaussian data: i.i.d. N(0, 1) inputs, labels from a hyperplane, seeded, noise flips labels", "[data]") {
  const Dataset d = make_gaussian(4000, 50, 0.0, 3);
  REQUIRE(d.size() == 4000);
  REQUIRE(d.features() == 50);
  CHECK(d.num_classes == 2);
  const double n = static_cast<double>(d.X.size());
  const double mean = d.X.cast<double>().sum() / n;
  const double var = (d.X.cast<double>().array() - mean).square().sum() / n;
  CHECK(std::abs(mean) < 5 / std::sqrt(n));
  CHECK(var == Approx(1).epsilon(0.02));
  // Independent coordinates: the sample correlation of two is ~0.
  const Eigen::ArrayXd a = d.X.row(0).cast<double>().transpose(), b = d.X.row(1).cast<double>().transpose();
  CHECK(std::abs((a * b).mean()) < 5 / std::sqrt(4000.0));
  const long ones = std::count(d.labels.begin(), d.labels.end(), 1);
  CHECK(ones > 1800);
  CHECK(ones < 2200);
  // Linearly separable without noise: the least-squares hyperplane separates them all.
  const Eigen::MatrixXd X = d.X.cast<double>().transpose();
  Eigen::VectorXd y(4000);
  for (int i = 0; i < 4000; ++i) y(i) = d.labels[static_cast<size_t>(i)] ? 1 : -1;
  const Eigen::VectorXd w = X.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd s = X * w;
  int agree = 0;
  for (int i = 0; i < 4000; ++i) agree += (s(i) > 0) == (y(i) > 0);
  CHECK(agree > 3800);
  // Seeded, and noise flips about that fraction of the labels.
  CHECK(make_gaussian(4000, 50, 0.0, 3).labels == d.labels);
  CHECK(make_gaussian(4000, 50, 0.0, 4).labels != d.labels);
  const Dataset noisy = make_gaussian(4000, 50, 0.2, 3);
  CHECK(noisy.X == d.X);
  long flipped = 0;
  for (int i = 0; i < 4000; ++i) flipped += noisy.labels[static_cast<size_t>(i)] != d.labels[static_cast<size_t>(i)];
  CHECK(flipped == Approx(800).margin(100));
}
