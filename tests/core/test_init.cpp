// Every initializer's sample mean and variance against its formula.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

namespace {
struct SampleMoments {
  double mean, variance;
};
template <typename Derived>
SampleMoments moments(const Eigen::MatrixBase<Derived>& m) {
  const double n = static_cast<double>(m.size());
  const double mean = m.sum() / n;
  return {mean, (m.array() - mean).square().sum() / (n - 1)};
}
}  // namespace

TEST_CASE("weight initializers have the mean and variance of their formulas", "[init]") {
  InitParams p;
  p.sigma_w = 1.7;
  p.weight_constant = 0.25;
  for (const auto& [init, name] : kWeightInitNames) {
    for (auto [n_out, n_in] : {std::pair{200, 300}, std::pair{400, 100}}) {
      INFO(name << " " << n_out << "x" << n_in);
      Matrix<double> W(n_out, n_in);
      Rng rng(99);
      init_weights(init, p, W, rng);
      const double n = static_cast<double>(W.size());
      const double var = weight_variance(init, p, n_in, n_out);
      const SampleMoments m = moments(W);
      if (init == WeightInit::constant) {
        CHECK((W.array() == 0.25).all());
        continue;
      }
      if (init == WeightInit::zeros) {
        CHECK(W.isZero(0));
        continue;
      }
      // Mean within 5 standard errors; variance within 5 standard errors of the
      // sample variance: sd ≈ σ²·√(2/n) for normals, σ²·√(0.8/n) for uniforms.
      CHECK(std::abs(m.mean) < 5 * std::sqrt(var / n));
      CHECK(std::abs(m.variance - var) < 5 * var * std::sqrt(2.0 / n));
      if (init == WeightInit::xavier_uniform || init == WeightInit::he_uniform || init == WeightInit::standard_uniform) {
        const double a = std::sqrt(3 * var);
        CHECK(W.maxCoeff() <= a);
        CHECK(W.minCoeff() >= -a);
        CHECK(W.maxCoeff() > 0.99 * a);
      }
      if (init == WeightInit::orthogonal) {
        // The shorter side is orthonormal: W Wᵀ = I (n_out ≤ n_in) or Wᵀ W = I.
        const Matrix<double> G = n_out <= n_in ? Matrix<double>(W * W.transpose())
                                               : Matrix<double>(W.transpose() * W);
        CHECK((G - Matrix<double>::Identity(G.rows(), G.cols())).cwiseAbs().maxCoeff() < 1e-12);
      }
    }
  }
}

TEST_CASE("the named variances are the published formulas", "[init]") {
  InitParams p;
  p.sigma_w = 2.0;
  CHECK(weight_variance(WeightInit::nielsen, p, 784, 30) == Approx(1.0 / 784));
  CHECK(weight_variance(WeightInit::large, p, 784, 30) == Approx(1.0));
  CHECK(weight_variance(WeightInit::xavier_normal, p, 784, 30) == Approx(2.0 / 814));
  CHECK(weight_variance(WeightInit::xavier_uniform, p, 784, 30) == Approx(2.0 / 814));
  CHECK(weight_variance(WeightInit::he_normal, p, 100, 30) == Approx(0.02));
  CHECK(weight_variance(WeightInit::lecun_normal, p, 100, 30) == Approx(0.01));
  CHECK(weight_variance(WeightInit::scaled_normal, p, 100, 30) == Approx(0.04));
  // Glorot & Bengio's "standard" U[−1/√n, 1/√n]: bound 1/√n_in, variance 1/(3 n_in).
  CHECK(std::sqrt(3 * weight_variance(WeightInit::standard_uniform, p, 100, 30)) == Approx(0.1));
}

TEST_CASE("bias initializers", "[init]") {
  InitParams p;
  p.sigma_b = 0.3;
  p.bias_constant = -2.0;
  const int n = 50000;
  Vector<double> b(n);
  Rng rng(5);
  init_biases(BiasInit::normal, p, b, rng);
  CHECK(std::abs(moments(b).mean) < 5 / std::sqrt(n));
  CHECK(std::abs(moments(b).variance - 1.0) < 5 * std::sqrt(2.0 / n));
  init_biases(BiasInit::scaled_normal, p, b, rng);
  CHECK(std::abs(moments(b).variance - 0.09) < 5 * 0.09 * std::sqrt(2.0 / n));
  init_biases(BiasInit::zeros, p, b, rng);
  CHECK(b.isZero(0));
  init_biases(BiasInit::constant, p, b, rng);
  CHECK((b.array() == -2.0).all());
}

TEST_CASE("a seed gives the same network in float and double, and different seeds differ", "[init]") {
  NetworkConfig c;
  c.layers = {20, 10, 5};
  c.seed = 3;
  Network<float> f(c);
  Network<double> d(c);
  for (int l = 0; l < 2; ++l) {
    CHECK(f.layer(l).W == d.layer(l).W.cast<float>());
    CHECK(f.layer(l).b == d.layer(l).b.cast<float>());
  }
  c.seed = 4;
  Network<float> g(c);
  CHECK(f.layer(0).W != g.layer(0).W);
}
