// The mechanism's views in the core: the histograms' edge cases, φ and φ′ as
// the page plots them, and Glorot & Bengio's comparison of the "standard" and
// the normalized init. The histograms themselves are checked against the naive
// reference in test_reference.cpp.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

TEST_CASE("histograms skip non-finite values and widen a degenerate range", "[histograms]") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  Matrix<double> a(1, 5), b(1, 4);
  a << -2, nan, 1, inf, 0.5;
  b << 0, 0, 0, 0;
  Histogram h;
  fill_histogram<double>({&a, &b}, HistogramRange::symmetric, 4, h);
  CHECK(h.lo == -2);
  CHECK(h.hi == 2);
  CHECK(h.nonfinite[0] == Approx(0.4));
  CHECK(h.nonfinite[1] == 0);
  // Layer 1's three finite values on bins of width 1 from −2: −2 in bin 0, 0.5 in
  // bin 2, 1 in bin 3; each a fifth of its 5 values.
  CHECK(h.fraction[0] == Approx(0.2));
  CHECK(h.fraction[1] == 0);
  CHECK(h.fraction[2] == Approx(0.2));
  CHECK(h.fraction[3] == Approx(0.2));
  CHECK(h.mean[0] == Approx(-0.5 / 3));
  // Layer 2: all zeros, in the bin holding 0.
  CHECK(h.fraction[4 + 2] == 1);
  CHECK(h.stddev[1] == 0);

  fill_histogram<double>({&b}, HistogramRange::span, 3, h);
  CHECK(h.lo == -0.5);
  CHECK(h.hi == 0.5);
  CHECK(h.fraction[1] == 1);

  // Equal values far from 0 (where ±0.5 is lost to rounding) still get a range and one bin.
  Matrix<double> far(1, 3);
  far << 3e20, 3e20, 3e20;
  fill_histogram<double>({&far}, HistogramRange::span, 5, h);
  CHECK(h.hi > h.lo);
  double total = 0;
  for (double f : h.fraction) total += f;
  CHECK(total == Approx(1));

  // A fixed range puts what falls outside it in the end bins.
  Matrix<double> c(1, 3);
  c << -5, 0.25, 5;
  fill_histogram<double>({&c}, HistogramRange::fixed, 2, h, 0, 1);
  CHECK(h.fraction[0] == Approx(2.0 / 3));
  CHECK(h.fraction[1] == Approx(1.0 / 3));
}

TEST_CASE("φ′ of the plotted curve is φ's slope, and σ′ peaks at 1/4 at z = 0", "[histograms]") {
  for (const auto& [kind, name] : kActivationNames) {
    INFO(name);
    const ActivationFn<double> phi(kind, 0.1, 1.0);
    const int n = 2001;  // z = −10 … 10 in steps of 0.01, z = 0 among them
    std::vector<double> c;
    phi.curve(-10, 10, n, c);
    REQUIRE(c.size() == 3u * n);
    CHECK(c[1000] == Approx(0).margin(1e-12));
    double peak = 0;
    for (int i = 1; i < n - 1; ++i) {
      const double z = c[i], slope = (c[n + i + 1] - c[n + i - 1]) / (c[i + 1] - c[i - 1]);
      peak = std::max(peak, std::abs(c[2 * n + i]));
      // Central differences, away from the kinks at 0 of relu, leaky relu, elu and selu.
      if (std::abs(z) > 0.02) CHECK(c[2 * n + i] == Approx(slope).margin(1e-4));
    }
    // derivative_max() is the supremum of |φ′|, the reference for "saturated".
    CHECK(peak <= phi.derivative_max() + 1e-12);
    CHECK(peak == Approx(phi.derivative_max()).epsilon(1e-3));
    if (kind == Activation::sigmoid) {
      CHECK(c[2 * n + 1000] == Approx(0.25).epsilon(1e-15));
      CHECK(peak == c[2 * n + 1000]);
    }
  }
}

namespace {
// Five tanh layers of 100 (Glorot & Bengio's setting, narrower), zero biases, on
// random inputs: the spread of each hidden layer's activations and δ at init.
struct Spreads {
  std::vector<double> activation, delta;
};
Spreads glorot_spreads(WeightInit init) {
  NetworkConfig net;
  net.layers = {100, 100, 100, 100, 100, 100, 10};
  net.activation = Activation::tanh;
  net.cost = Cost::log_likelihood;
  net.weight_init = init;
  net.bias_init = BiasInit::zeros;
  net.seed = 3;
  auto data = std::make_shared<Dataset>();
  const test::Batch b = test::random_batch(100, 10, 256, 8);
  data->X = b.X.cast<float>();
  data->num_classes = 10;
  for (int j = 0; j < b.Y.cols(); ++j) {
    Eigen::Index label;
    b.Y.col(j).maxCoeff(&label);
    data->labels.push_back(static_cast<uint8_t>(label));
  }
  TrainConfig train;
  Trainer<double> trainer(net, train, data);
  const Histograms& h = trainer.histograms(256, 41);
  return {h.activation.stddev, h.delta.stddev};
}
}  // namespace

TEST_CASE("Glorot & Bengio: with the standard init activations and δ shrink across tanh layers, with Xavier's they keep their spread", "[histograms]") {
  const Spreads standard = glorot_spreads(WeightInit::standard_uniform);
  const Spreads xavier = glorot_spreads(WeightInit::xavier_uniform);
  // Standard: Var(w)·n = 1/3, so near the linear regime each layer scales the
  // activations' spread by ~1/√3 forward and δ's by ~1/√3 backward; 4 layers: ~0.1.
  CHECK(standard.activation[4] / standard.activation[0] < 0.3);
  CHECK(standard.delta[0] / standard.delta[4] < 0.3);
  // Xavier (equal widths): Var(w)·n = 1, the spreads stay within a factor ~2.
  CHECK(xavier.activation[4] / xavier.activation[0] > 0.5);
  CHECK(xavier.delta[0] / xavier.delta[4] > 0.5);
}

TEST_CASE("histograms refuse bad sizes and take at most a sweep's chunk", "[histograms]") {
  NetworkConfig net;
  net.layers = {3, 4, 4, 2};
  auto data = std::make_shared<Dataset>();
  const test::Batch b = test::random_batch(3, 2, 30, 1);
  data->X = b.X.cast<float>();
  data->num_classes = 2;
  for (int j = 0; j < 30; ++j) data->labels.push_back(static_cast<uint8_t>(b.Y(1, j)));
  TrainConfig train;
  Trainer<float> trainer(net, train, data);
  CHECK_THROWS_AS(trainer.histograms(0, 10), std::invalid_argument);
  CHECK_THROWS_AS(trainer.histograms(10, 1), std::invalid_argument);
  CHECK_THROWS_AS(trainer.histograms(10, kMaxHistogramBins + 1), std::invalid_argument);
  CHECK(trainer.histograms(1000, 10).examples == 30);
  CHECK(trainer.histograms(1000, 10).activation.fraction.size() == 2u * 10);
}
