// Optimizers: turn a gradient g (penalties included) into a step Δ for one
// parameter tensor, keeping that tensor's moment buffers.
//   sgd       Δ = −η g
//   momentum  v ← β v + g;                      Δ = −η v
//   rmsprop   s ← ρ s + (1−ρ) g²;               Δ = −η g / (√s + ε)        (Hinton 2012)
//   adam      m ← β₁ m + (1−β₁) g;  v ← β₂ v + (1−β₂) g²
//             Δ = −η m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)       (Kingma & Ba 2015)
// The learning speed the simulator reports is always the gradient's norm: Adam and
// RMSProp rescale the steps, not the gradients.
#pragma once

#include <cmath>

#include "matrix.hpp"
#include "names.hpp"
#include "portable_math.hpp"

namespace gradlab {

enum class Optimizer { sgd, momentum, adam, rmsprop };

inline constexpr NameTable<Optimizer, 4> kOptimizerNames{{
    {Optimizer::sgd, "sgd"},
    {Optimizer::momentum, "momentum"},
    {Optimizer::adam, "adam"},
    {Optimizer::rmsprop, "rmsprop"},
}};
inline const char* to_string(Optimizer o) { return name_of(kOptimizerNames, o); }
inline Optimizer parse_optimizer(std::string_view s) { return parse_name(kOptimizerNames, s, "optimizer"); }

inline constexpr double kAdamBeta2 = 0.999;
inline constexpr double kRmsPropDecay = 0.9;
inline constexpr double kOptimizerEpsilon = 1e-8;

struct OptimizerSettings {
  Optimizer kind = Optimizer::sgd;
  double learning_rate = 0.1;  // η
  double momentum = 0.9;       // β of momentum, β₁ of Adam
};

/// The state of one parameter tensor's optimizer: its moment buffers (sized on
/// first use) and the steps taken with them, Adam's t. They start and are reset
/// together, so a switch to Adam mid-run starts with t = 1 and bias-corrects.
template <typename T>
struct Moments {
  Vector<T> first, second;
  long steps = 0;
};

/// Replaces the n gradient values at g by the optimizer's step Δ, and counts it.
template <typename T>
void optimizer_step(const OptimizerSettings& o, T* g, Eigen::Index n, Moments<T>& m) {
  const long t = ++m.steps;
  using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<Array> grad(g, n);
  const T eta = static_cast<T>(o.learning_rate);
  const T eps = static_cast<T>(kOptimizerEpsilon);
  auto ensure = [n](Vector<T>& v) {
    if (v.size() != n) v.setZero(n);
  };
  switch (o.kind) {
    case Optimizer::sgd:
      grad *= -eta;
      break;
    case Optimizer::momentum: {
      ensure(m.first);
      auto v = m.first.array();
      v = static_cast<T>(o.momentum) * v + grad;
      grad = -eta * v;
      break;
    }
    case Optimizer::rmsprop: {
      ensure(m.second);
      auto s = m.second.array();
      const T rho = static_cast<T>(kRmsPropDecay);
      s = rho * s + (T(1) - rho) * grad.square();
      grad = -eta * grad / (s.unaryExpr(portable::Sqrt{}) + eps);
      break;
    }
    case Optimizer::adam: {
      ensure(m.first);
      ensure(m.second);
      const T b1 = static_cast<T>(o.momentum), b2 = static_cast<T>(kAdamBeta2);
      auto m1 = m.first.array();
      auto m2 = m.second.array();
      m1 = b1 * m1 + (T(1) - b1) * grad;
      m2 = b2 * m2 + (T(1) - b2) * grad.square();
      const T c1 = T(1) / (T(1) - static_cast<T>(std::pow(o.momentum, static_cast<double>(t))));
      const T c2 = T(1) / (T(1) - static_cast<T>(std::pow(kAdamBeta2, static_cast<double>(t))));
      grad = -eta * (m1 * c1) / ((m2 * c2).unaryExpr(portable::Sqrt{}) + eps);
      break;
    }
  }
}

}  // namespace gradlab
