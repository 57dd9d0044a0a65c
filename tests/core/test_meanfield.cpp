// Mean-field theory (meanfield.hpp) against the published values, an independent
// Monte Carlo estimate, and what wide random networks measure.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

namespace {
MeanFieldTheory theory(Activation a) { return MeanFieldTheory(ActivationFn<double>(a, 0.01, 1.0)); }
}  // namespace

TEST_CASE("ReLU: q* = σ_b²/(1 − σ_w²/2), χ₁ = σ_w²/2, critical at σ_w² = 2 (He init)", "[meanfield]") {
  const MeanFieldTheory relu = theory(Activation::relu);
  for (const auto& [w, b] : {std::pair{1.0, 0.1}, std::pair{1.5, 0.5}, std::pair{0.5, 1.0}}) {
    INFO("σ_w² = " << w << ", σ_b² = " << b);
    const MeanField m = relu.at(w, b);
    CHECK(m.chi1 == Approx(w / 2).epsilon(1e-12));
    CHECK(m.q_star == Approx(b / (1 - w / 2)).epsilon(1e-9));
    CHECK(m.depth_scale == Approx(-1 / std::log(w / 2)).epsilon(1e-9));
  }
  // Chaotic: the activations grow without bound, χ₁ is still σ_w²/2.
  const MeanField chaotic = relu.at(3, 0.1);
  CHECK(std::isinf(chaotic.q_star));
  CHECK(chaotic.chi1 == Approx(1.5).epsilon(1e-12));
  for (double b : {0.0, 0.05, 0.5}) CHECK(relu.critical_sigma_w2(b) == Approx(2).epsilon(1e-6));
}

TEST_CASE("tanh: the critical line passes σ_w² = 1 at σ_b² = 0 and rises with σ_b²", "[meanfield]") {
  const MeanFieldTheory tanh = theory(Activation::tanh);
  // σ_b = 0: q* = 0 for σ_w² ≤ 1, and χ₁ = σ_w² φ′(0)² = σ_w² there (PAPERS.md).
  CHECK(tanh.at(0.8, 0).q_star == 0);
  CHECK(tanh.at(0.8, 0).chi1 == Approx(0.8));
  CHECK(tanh.critical_sigma_w2(0) == Approx(1).epsilon(2e-3));
  // The point of the line at σ_b² = 0.05: σ_w² ≈ 1.76, the value quoted for tanh in
  // the mean-field papers' experiments.
  CHECK(tanh.critical_sigma_w2(0.05) == Approx(1.76).epsilon(5e-3));
  double previous = 0;
  for (double b : {0.0, 0.01, 0.05, 0.1, 0.3, 1.0}) {
    const double c = tanh.critical_sigma_w2(b);
    CHECK(c > previous);
    previous = c;
  }
}

TEST_CASE("the quadrature agrees with a Monte Carlo estimate from std::tanh and std::exp", "[meanfield]") {
  // 200,000 standard normal samples, the length map iterated on them: nothing of
  // ActivationFn or of the grid.
  Rng rng(7, Stream::extra);
  std::vector<double> z(200000);
  for (double& v : z) v = rng.normal();
  const auto monte_carlo = [&](auto phi, auto dphi, double w, double b) {
    double q = 1;
    for (int i = 0; i < 60; ++i) {  // far from criticality: converged well before
      double s = 0;
      for (double v : z) s += phi(std::sqrt(q) * v) * phi(std::sqrt(q) * v);
      q = w * s / z.size() + b;
    }
    double s = 0;
    for (double v : z) s += dphi(std::sqrt(q) * v) * dphi(std::sqrt(q) * v);
    return std::pair{q, w * s / z.size()};
  };
  const auto th = [](double x) { return std::tanh(x); };
  const auto dth = [](double x) { return 1 - std::tanh(x) * std::tanh(x); };
  const auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
  const auto dsig = [&](double x) { return sig(x) * (1 - sig(x)); };
  for (const auto& [w, b] : {std::pair{2.5, 0.1}, std::pair{1.2, 0.5}}) {
    INFO("tanh at σ_w² = " << w << ", σ_b² = " << b);
    const auto [q, chi] = monte_carlo(th, dth, w, b);
    const MeanField m = theory(Activation::tanh).at(w, b);
    CHECK(m.q_star == Approx(q).epsilon(0.01));
    CHECK(m.chi1 == Approx(chi).epsilon(0.01));
  }
  const auto [q, chi] = monte_carlo(sig, dsig, 16, 0.5);
  const MeanField m = theory(Activation::sigmoid).at(16, 0.5);
  CHECK(m.q_star == Approx(q).epsilon(0.01));
  CHECK(m.chi1 == Approx(chi).epsilon(0.01));
}

namespace {
// Per-example gradient size per hidden layer of a random network fed i.i.d.
// N(0, 1) inputs: the probe's gradRms at initialization.
std::vector<double> measured_grad_rms(Activation a, double sigma_w, double sigma_b, int depth, int width, uint64_t seed) {
  NetworkConfig net;
  net.layers.assign(static_cast<size_t>(depth) + 2, width);
  net.layers.back() = 10;
  net.activation = a;
  net.cost = Cost::log_likelihood;
  net.weight_init = WeightInit::scaled_normal;
  net.bias_init = BiasInit::scaled_normal;
  net.init.sigma_w = sigma_w;
  net.init.sigma_b = sigma_b;
  net.seed = seed;
  auto data = std::make_shared<Dataset>();
  Rng rng(seed, Stream::extra);
  data->X.resize(width, 200);
  for (Eigen::Index i = 0; i < data->X.size(); ++i) data->X.data()[i] = static_cast<float>(rng.normal());
  data->num_classes = 10;
  for (int j = 0; j < 200; ++j) data->labels.push_back(static_cast<uint8_t>(rng.below(10)));
  TrainConfig train;
  Trainer<double> trainer(net, train, data);
  return trainer.probe(200).grad_rms;
}
}  // namespace

TEST_CASE("wide random networks shrink or grow the gradient by √χ₁ per layer, as predicted", "[meanfield]") {
  // Width 256, depth 24, three seeds: the geometric mean of gradRms[l]/gradRms[l+1]
  // over the middle layers (away from the input and the output) against √χ₁.
  const int depth = 24, width = 256;
  struct Case {
    Activation a;
    double sigma_w2, sigma_b2;
  };
  for (const Case& c : {Case{Activation::tanh, 1.0, 0.3}, Case{Activation::tanh, 2.5, 0.05}, Case{Activation::relu, 1.6, 0.1}}) {
    const double predicted = std::sqrt(theory(c.a).at(c.sigma_w2, c.sigma_b2).chi1);
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      INFO(to_string(c.a) << " at σ_w² = " << c.sigma_w2 << ", σ_b² = " << c.sigma_b2 << ", seed " << seed);
      const auto g = measured_grad_rms(c.a, std::sqrt(c.sigma_w2), std::sqrt(c.sigma_b2), depth, width, seed);
      double log_ratio = 0;
      const int from = 4, to = depth - 4;  // hidden layers [from, to): 16 ratios
      for (int l = from; l < to; ++l) log_ratio += std::log(g[static_cast<size_t>(l)] / g[static_cast<size_t>(l + 1)]);
      const double measured = std::exp(log_ratio / (to - from));
      CHECK(measured == Approx(predicted).epsilon(0.03));
    }
  }
}
