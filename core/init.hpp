// Weight and bias initializers. Every sample comes from gradlab::Rng, in a fixed
// order (row by row of W, like numpy's randn(n_out, n_in) in Nielsen's code), so a
// seed gives the same network natively and in WebAssembly.
#pragma once

#include <cmath>
#include <vector>

#include "matrix.hpp"
#include "names.hpp"
#include "rng.hpp"

namespace gradlab {

enum class WeightInit {
  nielsen,         // N(0, 1/n_in): Nielsen's "default" initializer
  large,           // N(0, 1): Nielsen's "large" initializer
  xavier_uniform,  // U[−a, a], a = √(6/(n_in+n_out)) (Glorot & Bengio 2010)
  xavier_normal,   // N(0, 2/(n_in+n_out))
  he_normal,       // N(0, 2/n_in) (He et al. 2015)
  he_uniform,      // U[−a, a], a = √(6/n_in)
  lecun_normal,    // N(0, 1/n_in)
  orthogonal,      // rows (or columns) orthonormal (Saxe et al. 2014)
  zeros,
  constant,        // every weight = weight_constant
  scaled_normal,   // N(0, σ_w²/n_in) (mean-field papers: Poole et al. 2016)
  standard_uniform,  // U[−1/√n_in, 1/√n_in]: the "standard" init Glorot & Bengio 2010 compare with theirs
};

enum class BiasInit {
  normal,         // N(0, 1): Nielsen's default
  zeros,
  scaled_normal,  // N(0, σ_b²)
  constant,       // every bias = bias_constant
};

inline constexpr NameTable<WeightInit, 12> kWeightInitNames{{
    {WeightInit::nielsen, "nielsen"},
    {WeightInit::large, "large"},
    {WeightInit::xavier_uniform, "xavier_uniform"},
    {WeightInit::xavier_normal, "xavier_normal"},
    {WeightInit::he_normal, "he_normal"},
    {WeightInit::he_uniform, "he_uniform"},
    {WeightInit::lecun_normal, "lecun_normal"},
    {WeightInit::orthogonal, "orthogonal"},
    {WeightInit::zeros, "zeros"},
    {WeightInit::constant, "constant"},
    {WeightInit::scaled_normal, "scaled_normal"},
    {WeightInit::standard_uniform, "standard_uniform"},
}};

inline constexpr NameTable<BiasInit, 4> kBiasInitNames{{
    {BiasInit::normal, "normal"},
    {BiasInit::zeros, "zeros"},
    {BiasInit::scaled_normal, "scaled_normal"},
    {BiasInit::constant, "constant"},
}};

inline const char* to_string(WeightInit w) { return name_of(kWeightInitNames, w); }
inline const char* to_string(BiasInit b) { return name_of(kBiasInitNames, b); }
inline WeightInit parse_weight_init(std::string_view s) {
  return parse_name(kWeightInitNames, s, "weight init");
}
inline BiasInit parse_bias_init(std::string_view s) {
  return parse_name(kBiasInitNames, s, "bias init");
}

/// The parameters some initializers take.
struct InitParams {
  double sigma_w = 1.0;          // scaled_normal: Var(w) = σ_w²/n_in
  double sigma_b = 1.0;          // scaled_normal biases: Var(b) = σ_b²
  double weight_constant = 0.0;  // constant weights
  double bias_constant = 0.0;    // constant biases

  bool operator==(const InitParams& o) const {
    return sigma_w == o.sigma_w && sigma_b == o.sigma_b && weight_constant == o.weight_constant &&
           bias_constant == o.bias_constant;
  }
};

/// Var(w) that `init` targets for a layer (n_out, n_in); the mean is 0 except for
/// `constant`. For orthogonal, the mean square of an entry, 1/max(n_in, n_out).
inline double weight_variance(WeightInit init, const InitParams& p, int n_in, int n_out) {
  const double fan_in = n_in, fan_sum = n_in + n_out;
  switch (init) {
    case WeightInit::nielsen:
    case WeightInit::lecun_normal: return 1.0 / fan_in;
    case WeightInit::large: return 1.0;
    case WeightInit::xavier_uniform:
    case WeightInit::xavier_normal: return 2.0 / fan_sum;
    case WeightInit::he_normal:
    case WeightInit::he_uniform: return 2.0 / fan_in;
    case WeightInit::orthogonal: return 1.0 / std::max(n_in, n_out);
    case WeightInit::zeros:
    case WeightInit::constant: return 0.0;
    case WeightInit::scaled_normal: return p.sigma_w * p.sigma_w / fan_in;
    case WeightInit::standard_uniform: return 1.0 / (3.0 * fan_in);  // a = 1/√n_in, Var = a²/3
  }
  return 0.0;
}

namespace detail {
// Orthonormalise the rows of G (r ≤ c) in place: modified Gram–Schmidt, run twice
// for accuracy. Plain loops in double, so both builds round identically.
inline void orthonormalize_rows(std::vector<double>& g, int r, int c) {
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < r; ++i) {
      double* gi = &g[static_cast<size_t>(i) * c];
      for (int j = 0; j < i; ++j) {
        const double* gj = &g[static_cast<size_t>(j) * c];
        double dot = 0.0;
        for (int k = 0; k < c; ++k) dot += gi[k] * gj[k];
        for (int k = 0; k < c; ++k) gi[k] -= dot * gj[k];
      }
      double norm2 = 0.0;
      for (int k = 0; k < c; ++k) norm2 += gi[k] * gi[k];
      const double inv = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
      for (int k = 0; k < c; ++k) gi[k] *= inv;
    }
  }
}
}  // namespace detail

/// Fills W (n_out, n_in), already sized, from `rng`.
template <typename T>
void init_weights(WeightInit init, const InitParams& p, Matrix<T>& W, Rng& rng) {
  const int n_out = static_cast<int>(W.rows()), n_in = static_cast<int>(W.cols());
  const double sd = std::sqrt(weight_variance(init, p, n_in, n_out));
  auto fill = [&](auto draw) {
    for (int j = 0; j < n_out; ++j)
      for (int k = 0; k < n_in; ++k) W(j, k) = static_cast<T>(draw());
  };
  switch (init) {
    case WeightInit::nielsen:
    case WeightInit::large:
    case WeightInit::xavier_normal:
    case WeightInit::he_normal:
    case WeightInit::lecun_normal:
    case WeightInit::scaled_normal: fill([&] { return sd * rng.normal(); }); break;
    case WeightInit::xavier_uniform:
    case WeightInit::he_uniform:
    case WeightInit::standard_uniform: {
      const double a = std::sqrt(3.0) * sd;  // Var U[−a, a] = a²/3
      fill([&] { return rng.uniform(-a, a); });
      break;
    }
    case WeightInit::zeros: W.setZero(); break;
    case WeightInit::constant: W.setConstant(static_cast<T>(p.weight_constant)); break;
    case WeightInit::orthogonal: {
      // Orthonormalise the shorter side: rows if n_out ≤ n_in, else columns.
      const bool rows = n_out <= n_in;
      const int r = rows ? n_out : n_in, c = rows ? n_in : n_out;
      std::vector<double> g(static_cast<size_t>(r) * c);
      for (double& x : g) x = rng.normal();
      detail::orthonormalize_rows(g, r, c);
      for (int i = 0; i < r; ++i)
        for (int k = 0; k < c; ++k) {
          const T v = static_cast<T>(g[static_cast<size_t>(i) * c + k]);
          if (rows) W(i, k) = v; else W(k, i) = v;
        }
      break;
    }
  }
}

/// Fills b (n_out), already sized, from `rng`.
template <typename T>
void init_biases(BiasInit init, const InitParams& p, Vector<T>& b, Rng& rng) {
  switch (init) {
    case BiasInit::normal:
      for (Eigen::Index j = 0; j < b.size(); ++j) b(j) = static_cast<T>(rng.normal());
      break;
    case BiasInit::zeros: b.setZero(); break;
    case BiasInit::scaled_normal:
      for (Eigen::Index j = 0; j < b.size(); ++j) b(j) = static_cast<T>(p.sigma_b * rng.normal());
      break;
    case BiasInit::constant: b.setConstant(static_cast<T>(p.bias_constant)); break;
  }
}

}  // namespace gradlab
