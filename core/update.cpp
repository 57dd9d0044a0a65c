#include "update.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "kernels.hpp"

namespace gradlab {

namespace {
void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// Calls f(tensor, gradient, moment slot) for every parameter tensor of layer l
// that exists: W, b (not under batch norm), γ and β (only under batch norm).
// Whether every p + g is finite, in one vectorised pass: (p + g)·0 is 0 for a
// finite value and NaN for an infinite or NaN one, and NaN survives the sum.
template <typename P, typename G>
bool finite_sum(const P& p, const G& g) {
  using T = typename P::Scalar;
  return ((p.array() + g.array()) * T(0)).sum() == T(0);
}

template <typename T, typename F>
void for_each_tensor(Layer<T>& layer, F&& f) {
  f(layer.W, layer.dW, 0);
  if (layer.b.size() > 0) f(layer.b, layer.db, 1);
  if (layer.batch_norm) {
    f(layer.gamma, layer.dgamma, 2);
    f(layer.beta, layer.dbeta, 3);
  }
}
}  // namespace

void validate(const TrainConfig& c) {
  require(std::isfinite(c.learning_rate) && c.learning_rate > 0, "learning_rate must be positive");
  require(c.batch_size >= 1, "batch_size must be at least 1");
  require(std::isfinite(c.l2) && c.l2 >= 0, "l2 must be ≥ 0");
  require(std::isfinite(c.l1) && c.l1 >= 0, "l1 must be ≥ 0");
  require(std::isfinite(c.momentum) && c.momentum >= 0 && c.momentum < 1, "momentum must be in [0, 1)");
  require(std::isfinite(c.clip_norm) && c.clip_norm >= 0, "clip_norm must be ≥ 0 (0 turns it off)");
  require(std::isfinite(c.clip_value) && c.clip_value >= 0, "clip_value must be ≥ 0 (0 turns it off)");
  require(c.pretrain_epochs >= 0, "pretrain_epochs must be ≥ 0");
}

template <typename T>
int Updater<T>::apply(Network<T>& net, const TrainConfig& c, double n, StepStats* stats, double grad_norm) {
  const int L = net.num_layers();
  if (moments_.size() != 4 * static_cast<size_t>(L)) reset(L);

  // 1. Clipping. The global norm before it, in double (float squares overflow).
  double norm = grad_norm;
  if (norm < 0 && (stats || c.clip_norm > 0)) {
    double sum = 0.0;
    for (int l = 0; l < L; ++l)
      for_each_tensor(net.layer(l), [&](auto&, auto& g, int) {
        const double gn = frobenius_norm(g);
        sum += gn * gn;
      });
    norm = std::sqrt(sum);
  }
  bool clipped = false;
  if (c.clip_value > 0) {
    const T v = static_cast<T>(c.clip_value);
    for (int l = 0; l < L; ++l)
      for_each_tensor(net.layer(l), [&](auto&, auto& g, int) {
        if (g.size() == 0 || g.cwiseAbs().maxCoeff() <= v) return;
        g = g.cwiseMin(v).cwiseMax(-v);
        clipped = true;
      });
  }
  if (c.clip_norm > 0) {
    double after = 0.0;  // the norm after clipping by value
    for (int l = 0; l < L; ++l)
      for_each_tensor(net.layer(l), [&](auto&, auto& g, int) {
        const double gn = frobenius_norm(g);
        after += gn * gn;
      });
    after = std::sqrt(after);
    if (after >= c.clip_norm) {  // g ← g·T/‖g‖
      const T scale = static_cast<T>(c.clip_norm / after);
      for (int l = 0; l < L; ++l) for_each_tensor(net.layer(l), [&](auto&, auto& g, int) { g *= scale; });
      clipped = true;
    }
  }
  if (stats) {
    stats->grad_norm = norm;
    stats->clipped = clipped;
    if (clipped) ++stats->clip_count;
  }

  // 2–4. Each tensor's step Δ, written over its gradient; then 5, the check.
  const OptimizerSettings o{c.optimizer, c.learning_rate, c.momentum};
  const T l2 = static_cast<T>(c.l2 / n);
  const T threshold = static_cast<T>(c.learning_rate * c.l1 / n);
  for (int l = 0; l < L; ++l) {
    auto& layer = net.layer(l);
    if (l2 != T(0)) layer.dW += l2 * layer.W;
    bool finite = true;
    for_each_tensor(layer, [&](auto&, auto& g, int slot) {
      optimizer_step(o, g.data(), g.size(), moments_[4 * static_cast<size_t>(l) + static_cast<size_t>(slot)]);
    });
    if (threshold != T(0)) {
      // Δ ← soft(W + Δ) − W: W + Δ then lands exactly on soft(W + Δ), zeros included.
      auto w = (layer.W + layer.dW).array();
      layer.dW = ((w.abs() - threshold).max(T(0)) * w.sign() - layer.W.array()).matrix();
    }
    // W and ΔW: the check and the norms in one pass (float), else one each.
    double w_norm = NAN, dw_norm = NAN;
    if constexpr (std::is_same_v<T, float>) {
      const kernels::StepSums sums = kernels::step_sums(layer.W.data(), layer.dW.data(), layer.W.size());
      finite = sums.finite;
      if (std::isfinite(sums.w_squares) && std::isfinite(sums.d_squares)) {
        w_norm = std::sqrt(sums.w_squares);
        dw_norm = std::sqrt(sums.d_squares);
      }
    } else {
      finite = finite_sum(layer.W, layer.dW);
    }
    for_each_tensor(layer, [&](auto& p, auto& g, int slot) { finite = finite && (slot == 0 || finite_sum(p, g)); });
    // The batch statistics the commit folds into the running ones: a finite z
    // can still have an infinite variance (which makes x̂ = 0 and hides it).
    if (layer.batch_norm && layer.batch_mean.size() > 0)
      finite = finite && finite_sum(layer.running_mean, layer.batch_mean) && finite_sum(layer.running_var, layer.batch_var);
    if (stats) {
      if (std::isnan(w_norm) || std::isnan(dw_norm)) {  // double, or a float square overflowed
        w_norm = frobenius_norm(layer.W);
        dw_norm = frobenius_norm(layer.dW);
      }
      stats->weight_norm[static_cast<size_t>(l)] = w_norm;
      stats->update_ratio[static_cast<size_t>(l)] = w_norm > 0 ? dw_norm / w_norm : (dw_norm > 0 ? INFINITY : 0.0);
    }
    if (!finite) return l;
  }
  for (int l = 0; l < L; ++l) for_each_tensor(net.layer(l), [](auto& p, auto& g, int) { p += g; });
  net.commit_batch_statistics();
  return -1;
}

template class Updater<float>;
template class Updater<double>;

}  // namespace gradlab
