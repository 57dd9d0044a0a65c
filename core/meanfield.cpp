#include "meanfield.hpp"

#include <cmath>
#include <limits>

namespace gradlab {

namespace {
constexpr int kNodes = 1000;        // midpoints of a uniform grid on [−kExtent, kExtent]
constexpr double kExtent = 10.0;    // N(0, 1) beyond ±10 weighs 1e-23
constexpr int kIterations = 20;     // of the length map, before Newton takes over (slow near criticality)
constexpr int kNewtonSteps = 100;
constexpr double kTolerance = 1e-13;  // relative, on q*
constexpr double kTinyQ = 1e-30;      // below this q* is 0
}  // namespace

MeanFieldTheory::MeanFieldTheory(const ActivationFn<double>& phi) : phi_(phi), z_(1, kNodes), weights_(kNodes) {
  const double h = 2 * kExtent / kNodes;
  for (int i = 0; i < kNodes; ++i) {
    const double z = -kExtent + (i + 0.5) * h;  // symmetric, never 0: a step at 0 splits exactly in half
    z_(0, i) = z;
    weights_(i) = std::exp(-0.5 * z * z);
  }
  weights_ /= weights_.sum();
}

double MeanFieldTheory::expect(double q, bool derivative) const {
  const Matrix<double> u = std::sqrt(q) * z_;
  Matrix<double> a, d;
  phi_.forward(u, a);
  if (derivative) phi_.derivative(u, a, d);
  return (derivative ? d : a).array().square().matrix().row(0).dot(weights_.transpose());
}

double MeanFieldTheory::mean_phi2(double q) const { return expect(q, false); }

double MeanFieldTheory::mean_dphi2(double q) const { return expect(q, true); }

double MeanFieldTheory::q_star(double sigma_w2, double sigma_b2, double start) const {
  const double inf = std::numeric_limits<double>::infinity();
  const auto map = [&](double q) { return sigma_w2 * mean_phi2(q) + sigma_b2; };
  double q = std::isfinite(start) && start > kTinyQ ? start : 1.0;
  for (int i = 0; i < kIterations + kNewtonSteps; ++i) {
    const double next = map(q);
    if (!(next < kUnboundedQ)) return inf;
    if (next < kTinyQ) return 0.0;
    if (std::abs(next - q) <= kTolerance * q) return next;
    if (i < kIterations) {
      q = next;
      continue;
    }
    // The map crawls (near the critical point): Newton on map(q) − q, halving
    // instead of stepping below 0. A map still above the diagonal and at least as
    // steep as it (map′ ≥ 1, e.g. ReLU at σ_w² ≥ 2) never meets it: q grows without bound.
    const double e = 1e-6 * q;
    const double slope = (map(q + e) - map(q - e)) / (2 * e) - 1;
    if (next > q && slope >= 0) return inf;
    double target = q - (next - q) / slope;
    if (!std::isfinite(target)) return next;
    if (target <= 0) target = q / 2;
    if (target < kTinyQ) return 0.0;
    if (std::abs(target - q) <= kTolerance * q) return target;
    q = target;
  }
  return q;
}

MeanField MeanFieldTheory::at(double sigma_w2, double sigma_b2, double start) const {
  MeanField m;
  m.sigma_w2 = sigma_w2;
  m.sigma_b2 = sigma_b2;
  m.q_star = q_star(sigma_w2, sigma_b2, start);
  // At q* = 0 the limit q → 0⁺ (ReLU's φ′(√q z)² is 1/2 on average for any q > 0, 0 at q = 0).
  m.chi1 = sigma_w2 * mean_dphi2(!std::isfinite(m.q_star) ? kUnboundedQ : m.q_star > 0 ? m.q_star : kTinyQ);
  m.depth_scale = m.chi1 == 1 ? std::numeric_limits<double>::infinity() : -1 / std::log(m.chi1);
  return m;
}

double MeanFieldTheory::critical_sigma_w2(double sigma_b2, double tolerance, double lower) const {
  double lo = 1e-3, hi = kMaxSigmaW2;
  double q = 1.0;  // the last q*: the next network of the search is a close one
  const auto excess = [&](double s) {
    const MeanField m = at(s, sigma_b2, q);
    if (std::isfinite(m.q_star) && m.q_star > 0) q = m.q_star;
    return m.chi1 - 1;
  };
  if (!(excess(hi) > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (lower > lo && lower < hi && excess(lower) < 0) lo = lower;  // a known point below the line
  else if (!(excess(lo) < 0)) return std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 60 && hi - lo > tolerance * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (excess(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

MeanField mean_field_of(const NetworkConfig& c) {
  const MeanFieldTheory theory(ActivationFn<double>(c.activation, c.leaky_slope, c.elu_alpha));
  const auto [w, b] = effective_sigmas(c);
  MeanField m = theory.at(w, b);
  m.critical_sigma_w2 = theory.critical_sigma_w2(b);
  return m;
}

std::pair<double, double> effective_sigmas(const NetworkConfig& c) {
  const int n = c.layers.size() > 2 ? c.layers[1] : c.layers.front();
  const double w = c.weight_init == WeightInit::constant ? c.init.weight_constant * c.init.weight_constant
                                                         : weight_variance(c.weight_init, c.init, n, n);
  double b = 0;
  switch (c.bias_init) {
    case BiasInit::normal: b = 1; break;
    case BiasInit::zeros: b = 0; break;
    case BiasInit::scaled_normal: b = c.init.sigma_b * c.init.sigma_b; break;
    case BiasInit::constant: b = c.init.bias_constant * c.init.bias_constant; break;
  }
  return {n * w, b};
}

}  // namespace gradlab
