// A deliberately naive trainer, written from the textbook formulas and nothing
// else of the core: plain loops over std::vector<double>, example by example
// where the formula is per example, no Eigen, no core code on the numerical path.
// It takes from the core only the initial weights (copied in) and the batches'
// random order (gradlab::Rng's shuffle, tested on its own in test_rng.cpp).
// test_reference.cpp holds the core's Trainer<double> to it.
//
// Conventions: C is the mean cost over the mini-batch, and every gradient below
// is of C; W is stored row by row, W[j·n_in + k] the weight from input k to unit j.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/gradlab.hpp"

namespace gradlab::reference {

using Vec = std::vector<double>;
using Rows = std::vector<Vec>;  // one vector per example

/// A parameter tensor with its gradient and its optimizer's state.
struct Tensor {
  Vec value, grad, m1, m2;
  long t = 0;
  double norm() const { return std::sqrt(std::inner_product(value.begin(), value.end(), value.begin(), 0.0)); }
};

inline double norm(const Vec& v) { return std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0)); }

struct RefLayer {
  int n_in = 0, n_out = 0;
  bool hidden = false, bn = false, shortcut = false;
  Tensor W, b, gamma, beta;  // b empty under batch norm; γ, β only under it
  Vec running_mean, running_var, batch_mean, batch_var;
  Rows in, z, xhat, y, a, dphi;  // the last forward pass, [example][unit]
  Rows delta;                    // the last backward pass: B·∂C/∂y per example (∂C_x/∂z without batch norm)
};

struct RefStats {
  double loss = 0, grad_norm = 0;
  bool clipped = false;
  Vec speed, weight_grad_norm, weight_norm, update_ratio, activation_mean, activation_std, saturation;
};

class RefTrainer {
 public:
  RefTrainer(const Network<double>& start, const TrainConfig& t, const Dataset& data, uint64_t seed)
      : cfg_(start.config()), t_(t), data_(data), rng_(seed, Stream::batches) {
    const int L = start.num_layers();
    for (int l = 0; l < L; ++l) {
      const auto& src = start.layer(l);
      RefLayer r;
      r.n_in = src.fan_in();
      r.n_out = src.fan_out();
      r.hidden = l < L - 1;
      r.bn = src.batch_norm;
      r.shortcut = r.hidden && cfg_.residual && l > 0 && r.n_in == r.n_out;
      r.W.value.resize(static_cast<size_t>(r.n_in * r.n_out));
      for (int j = 0; j < r.n_out; ++j)
        for (int k = 0; k < r.n_in; ++k) r.W.value[static_cast<size_t>(j * r.n_in + k)] = src.W(j, k);
      if (r.bn) {
        r.gamma.value.assign(src.gamma.data(), src.gamma.data() + r.n_out);
        r.beta.value.assign(src.beta.data(), src.beta.data() + r.n_out);
        r.running_mean.assign(src.running_mean.data(), src.running_mean.data() + r.n_out);
        r.running_var.assign(src.running_var.data(), src.running_var.data() + r.n_out);
      } else {
        r.b.value.assign(src.b.data(), src.b.data() + r.n_out);
      }
      layers_.push_back(r);
    }
    order_.resize(static_cast<size_t>(data.size()));
    cursor_ = data.size();
  }

  const RefLayer& layer(int l) const { return layers_[static_cast<size_t>(l)]; }
  const RefStats& stats() const { return stats_; }

  /// One mini-batch: the next m examples of this epoch's permutation.
  void step() {
    const int n = data_.size();
    if (cursor_ >= n) {
      std::iota(order_.begin(), order_.end(), 0);
      rng_.shuffle(order_);
      cursor_ = 0;
    }
    const int m = std::min(t_.batch_size, n - cursor_);
    std::vector<int> batch(order_.begin() + cursor_, order_.begin() + cursor_ + m);
    cursor_ += m;
    const Rows X = inputs(batch);
    forward(X, /*train=*/true);
    stats_ = RefStats{};
    stats_.loss = 0;
    for (int x = 0; x < m; ++x) stats_.loss += cost(x, batch[static_cast<size_t>(x)]) / m;
    backward(batch);
    measure();
    update();
  }

  /// Nielsen's speed: ‖mean over the first n examples of ∂C_x/∂b‖ (β under batch
  /// norm, whose chunks of the mini-batch size are normalised with their own
  /// statistics).
  Vec probe(int n) {
    const int L = static_cast<int>(layers_.size());
    std::vector<Vec> sum(static_cast<size_t>(L));
    for (int l = 0; l < L; ++l) sum[static_cast<size_t>(l)].assign(static_cast<size_t>(layers_[static_cast<size_t>(l)].n_out), 0.0);
    const int chunk = cfg_.batch_norm ? t_.batch_size : n;
    for (int begin = 0; begin < n; begin += chunk) {
      std::vector<int> ids;
      for (int i = begin; i < std::min(n, begin + chunk); ++i) ids.push_back(i);
      forward(inputs(ids), /*train=*/false);
      backward(ids);
      // The gradients are of the chunk's mean cost: times its size gives the sum of ∂C_x.
      for (int l = 0; l < L; ++l) {
        const auto& r = layers_[static_cast<size_t>(l)];
        const Vec& g = r.bn ? r.beta.grad : r.b.grad;
        for (int j = 0; j < r.n_out; ++j) sum[static_cast<size_t>(l)][static_cast<size_t>(j)] += g[static_cast<size_t>(j)] * ids.size();
      }
    }
    Vec speed;
    for (const auto& s : sum) speed.push_back(norm(s) / n);
    return speed;
  }

  /// The chain of factors, one example at a time (networks without batch norm):
  /// with ‖δ^l_x‖ = ‖∂C_x/∂b^l‖, returns √(mean ‖δ^l_x‖²) and, for hidden layers,
  /// √(mean (‖δ^l_x‖/‖δ^{l+1}_x‖)²) over the first n examples.
  /// Every hidden layer's values over the first n examples in one batch, as
  /// Glorot & Bengio histogram them: φ(y) (without the shortcut), y, the per-example
  /// δ, and ∂C/∂W (the batch's mean).
  struct HiddenValues {
    Vec activation, preactivation, delta, weight_grad;
  };
  std::vector<HiddenValues> hidden_values(int n) {
    std::vector<int> ids(static_cast<size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
    forward(inputs(ids), /*train=*/false);
    backward(ids);
    std::vector<HiddenValues> out;
    for (const auto& r : layers_) {
      if (!r.hidden) break;
      HiddenValues v;
      for (const auto& row : r.y)
        for (double y : row) {
          v.preactivation.push_back(y);
          v.activation.push_back(phi(y));
        }
      for (const auto& row : r.delta) v.delta.insert(v.delta.end(), row.begin(), row.end());
      v.weight_grad = r.W.grad;
      out.push_back(v);
    }
    return out;
  }

  std::pair<Vec, Vec> probe_chain(int n) {
    const size_t L = layers_.size();
    Vec sq(L, 0.0), gain(L, 0.0);
    for (int x = 0; x < n; ++x) {
      forward(inputs({x}), /*train=*/false);
      backward({x});
      Vec norms;
      for (const auto& r : layers_) norms.push_back(norm(r.b.grad));
      for (size_t l = 0; l < L; ++l) {
        sq[l] += norms[l] * norms[l];
        if (l + 1 < L && norms[l] > 0) gain[l] += (norms[l] / norms[l + 1]) * (norms[l] / norms[l + 1]);
      }
    }
    for (size_t l = 0; l < L; ++l) {
      sq[l] = std::sqrt(sq[l] / n);
      gain[l] = std::sqrt(gain[l] / n);
    }
    return {sq, gain};
  }

 private:
  Rows inputs(const std::vector<int>& ids) const {
    Rows X;
    for (int i : ids) {
      Vec x(static_cast<size_t>(data_.features()));
      for (int k = 0; k < data_.features(); ++k)
        x[static_cast<size_t>(k)] = data_.uses_bytes ? data_.pixels(k, i) / 255.0 : static_cast<double>(data_.X(k, i));
      X.push_back(x);
    }
    return X;
  }

  Vec target(int example) const {
    const int label = data_.labels[static_cast<size_t>(example)];
    const int outs = layers_.back().n_out;
    Vec y(static_cast<size_t>(outs), 0.0);
    if (outs == 1) y[0] = label;
    else y[static_cast<size_t>(label)] = 1.0;
    return y;
  }

  // φ and φ' from their definitions.
  double phi(double z) const {
    const double s = cfg_.leaky_slope, alpha = cfg_.elu_alpha;
    const double lambda = 1.0507009873554805, selu_alpha = 1.6732632423543772;
    switch (cfg_.activation) {
      case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-z));
      case Activation::tanh: return std::tanh(z);
      case Activation::relu: return z > 0 ? z : 0.0;
      case Activation::leaky_relu: return z > 0 ? z : s * z;
      case Activation::elu: return z > 0 ? z : alpha * (std::exp(z) - 1.0);
      case Activation::linear: return z;
      case Activation::softplus: return z > 30 ? z : std::log(1.0 + std::exp(z));
      case Activation::selu: return lambda * (z > 0 ? z : selu_alpha * (std::exp(z) - 1.0));
      case Activation::gelu: {
        const double c = std::sqrt(2.0 / M_PI), u = c * (z + 0.044715 * z * z * z);
        return 0.5 * z * (1.0 + std::tanh(u));
      }
    }
    return 0.0;
  }
  double dphi(double z) const {
    const double s = cfg_.leaky_slope, alpha = cfg_.elu_alpha;
    const double lambda = 1.0507009873554805, selu_alpha = 1.6732632423543772;
    switch (cfg_.activation) {
      case Activation::sigmoid: { const double g = phi(z); return g * (1.0 - g); }
      case Activation::tanh: { const double t = std::tanh(z); return 1.0 - t * t; }
      case Activation::relu: return z > 0 ? 1.0 : 0.0;
      case Activation::leaky_relu: return z > 0 ? 1.0 : s;
      case Activation::elu: return z > 0 ? 1.0 : alpha * std::exp(z);
      case Activation::linear: return 1.0;
      case Activation::softplus: return 1.0 / (1.0 + std::exp(-z));
      case Activation::selu: return lambda * (z > 0 ? 1.0 : selu_alpha * std::exp(z));
      case Activation::gelu: {
        const double c = std::sqrt(2.0 / M_PI), u = c * (z + 0.044715 * z * z * z), t = std::tanh(u);
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z);
      }
    }
    return 0.0;
  }
  double dphi_max() const {
    switch (cfg_.activation) {
      case Activation::sigmoid: return 0.25;
      case Activation::leaky_relu: return std::max(1.0, std::abs(cfg_.leaky_slope));
      case Activation::elu: return std::max(1.0, cfg_.elu_alpha);
      case Activation::selu: return 1.0507009873554805 * 1.6732632423543772;
      case Activation::gelu: return 1.1289931;
      default: return 1.0;
    }
  }

  void forward(const Rows& X, bool train) {
    const int B = static_cast<int>(X.size());
    const Rows* in = &X;
    for (auto& r : layers_) {
      r.in = *in;
      r.z.assign(static_cast<size_t>(B), Vec(static_cast<size_t>(r.n_out)));
      for (int x = 0; x < B; ++x)
        for (int j = 0; j < r.n_out; ++j) {
          double z = r.bn ? 0.0 : r.b.value[static_cast<size_t>(j)];
          for (int k = 0; k < r.n_in; ++k) z += r.W.value[static_cast<size_t>(j * r.n_in + k)] * r.in[static_cast<size_t>(x)][static_cast<size_t>(k)];
          r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] = z;
        }
      r.y = r.z;
      if (r.bn) {
        // x̂ = (z − μ_B)/√(σ²_B + ε), y = γ x̂ + β (Ioffe & Szegedy 2015, Alg. 1)
        r.xhat = r.z;
        r.batch_mean.assign(static_cast<size_t>(r.n_out), 0.0);
        r.batch_var.assign(static_cast<size_t>(r.n_out), 0.0);
        for (int j = 0; j < r.n_out; ++j) {
          double mu = 0, var = 0;
          for (int x = 0; x < B; ++x) mu += r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] / B;
          for (int x = 0; x < B; ++x) {
            const double d = r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] - mu;
            var += d * d / B;
          }
          r.batch_mean[static_cast<size_t>(j)] = mu;
          r.batch_var[static_cast<size_t>(j)] = var;
          for (int x = 0; x < B; ++x) {
            const double xh = (r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] - mu) / std::sqrt(var + kBatchNormEpsilon);
            r.xhat[static_cast<size_t>(x)][static_cast<size_t>(j)] = xh;
            r.y[static_cast<size_t>(x)][static_cast<size_t>(j)] = r.gamma.value[static_cast<size_t>(j)] * xh + r.beta.value[static_cast<size_t>(j)];
          }
        }
        (void)train;
      }
      r.a = r.y;
      r.dphi = r.y;
      for (int x = 0; x < B; ++x) {
        if (r.hidden) {
          for (int j = 0; j < r.n_out; ++j) {
            const double yv = r.y[static_cast<size_t>(x)][static_cast<size_t>(j)];
            r.a[static_cast<size_t>(x)][static_cast<size_t>(j)] = phi(yv) + (r.shortcut ? r.in[static_cast<size_t>(x)][static_cast<size_t>(j)] : 0.0);
            r.dphi[static_cast<size_t>(x)][static_cast<size_t>(j)] = dphi(yv);
          }
        } else if (cfg_.cost == Cost::log_likelihood) {
          double zmax = -INFINITY, sum = 0;
          for (double z : r.z[static_cast<size_t>(x)]) zmax = std::max(zmax, z);
          for (int j = 0; j < r.n_out; ++j) sum += std::exp(r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] - zmax);
          for (int j = 0; j < r.n_out; ++j)
            r.a[static_cast<size_t>(x)][static_cast<size_t>(j)] = std::exp(r.z[static_cast<size_t>(x)][static_cast<size_t>(j)] - zmax) / sum;
        } else {
          for (int j = 0; j < r.n_out; ++j) r.a[static_cast<size_t>(x)][static_cast<size_t>(j)] = 1.0 / (1.0 + std::exp(-r.z[static_cast<size_t>(x)][static_cast<size_t>(j)]));
        }
      }
      in = &r.a;
    }
  }

  // C_x for example x of the batch (its index in the data set: `example`).
  double cost(int x, int example) const {
    const Vec& a = layers_.back().a[static_cast<size_t>(x)];
    const Vec y = target(example);
    double c = 0;
    for (size_t j = 0; j < a.size(); ++j) {
      if (cfg_.cost == Cost::cross_entropy) c += -y[j] * std::log(a[j]) - (1 - y[j]) * std::log(1 - a[j]);
      else if (cfg_.cost == Cost::quadratic) c += 0.5 * (a[j] - y[j]) * (a[j] - y[j]);
      else if (y[j] == 1) c += -std::log(a[j]);
    }
    return c;
  }

  void backward(const std::vector<int>& ids) {
    const int B = static_cast<int>(ids.size());
    const int L = static_cast<int>(layers_.size());
    Rows e_a;  // ∂C/∂a of the current layer, per example
    for (int l = L - 1; l >= 0; --l) {
      auto& r = layers_[static_cast<size_t>(l)];
      Rows e_z(static_cast<size_t>(B), Vec(static_cast<size_t>(r.n_out)));
      if (!r.hidden) {
        for (int x = 0; x < B; ++x) {
          const Vec y = target(ids[static_cast<size_t>(x)]);
          for (int j = 0; j < r.n_out; ++j) {
            const double a = r.a[static_cast<size_t>(x)][static_cast<size_t>(j)];
            const double delta = cfg_.cost == Cost::quadratic ? (a - y[static_cast<size_t>(j)]) * a * (1 - a) : a - y[static_cast<size_t>(j)];
            e_z[static_cast<size_t>(x)][static_cast<size_t>(j)] = delta / B;
          }
        }
      } else {
        Rows e_y(static_cast<size_t>(B), Vec(static_cast<size_t>(r.n_out)));
        for (int x = 0; x < B; ++x)
          for (int j = 0; j < r.n_out; ++j)
            e_y[static_cast<size_t>(x)][static_cast<size_t>(j)] = e_a[static_cast<size_t>(x)][static_cast<size_t>(j)] * r.dphi[static_cast<size_t>(x)][static_cast<size_t>(j)];
        if (r.bn) {
          r.gamma.grad.assign(static_cast<size_t>(r.n_out), 0.0);
          r.beta.grad.assign(static_cast<size_t>(r.n_out), 0.0);
          for (int j = 0; j < r.n_out; ++j) {
            double sum_g = 0, sum_gx = 0;  // Σ ∂C/∂x̂ and Σ ∂C/∂x̂ · x̂ over the batch
            for (int x = 0; x < B; ++x) {
              const double g = e_y[static_cast<size_t>(x)][static_cast<size_t>(j)], xh = r.xhat[static_cast<size_t>(x)][static_cast<size_t>(j)];
              r.beta.grad[static_cast<size_t>(j)] += g;
              r.gamma.grad[static_cast<size_t>(j)] += g * xh;
              sum_g += g * r.gamma.value[static_cast<size_t>(j)];
              sum_gx += g * r.gamma.value[static_cast<size_t>(j)] * xh;
            }
            const double inv_std = 1.0 / std::sqrt(r.batch_var[static_cast<size_t>(j)] + kBatchNormEpsilon);
            for (int x = 0; x < B; ++x) {
              const double g_xhat = e_y[static_cast<size_t>(x)][static_cast<size_t>(j)] * r.gamma.value[static_cast<size_t>(j)];
              e_z[static_cast<size_t>(x)][static_cast<size_t>(j)] =
                  inv_std * (g_xhat - sum_g / B - r.xhat[static_cast<size_t>(x)][static_cast<size_t>(j)] * sum_gx / B);
            }
          }
        } else {
          e_z = e_y;
        }
        r.delta = e_y;
        for (auto& row : r.delta)
          for (double& v : row) v *= B;
      }
      // ∂C/∂W = Σ_x ∂C/∂z_x a_inᵀ,  ∂C/∂b = Σ_x ∂C/∂z_x
      r.W.grad.assign(r.W.value.size(), 0.0);
      if (!r.bn) r.b.grad.assign(static_cast<size_t>(r.n_out), 0.0);
      for (int x = 0; x < B; ++x)
        for (int j = 0; j < r.n_out; ++j) {
          const double g = e_z[static_cast<size_t>(x)][static_cast<size_t>(j)];
          if (!r.bn) r.b.grad[static_cast<size_t>(j)] += g;
          for (int k = 0; k < r.n_in; ++k) r.W.grad[static_cast<size_t>(j * r.n_in + k)] += g * r.in[static_cast<size_t>(x)][static_cast<size_t>(k)];
        }
      // ∂C/∂a_in = Wᵀ ∂C/∂z (+ ∂C/∂a through the shortcut)
      Rows e_in(static_cast<size_t>(B), Vec(static_cast<size_t>(r.n_in), 0.0));
      for (int x = 0; x < B; ++x)
        for (int k = 0; k < r.n_in; ++k) {
          double s = r.shortcut ? e_a[static_cast<size_t>(x)][static_cast<size_t>(k)] : 0.0;
          for (int j = 0; j < r.n_out; ++j) s += r.W.value[static_cast<size_t>(j * r.n_in + k)] * e_z[static_cast<size_t>(x)][static_cast<size_t>(j)];
          e_in[static_cast<size_t>(x)][static_cast<size_t>(k)] = s;
        }
      e_a = e_in;
    }
  }

  void measure() {
    const int L = static_cast<int>(layers_.size());
    for (int l = 0; l < L; ++l) {
      const auto& r = layers_[static_cast<size_t>(l)];
      stats_.speed.push_back(norm(r.bn ? r.beta.grad : r.b.grad));
      stats_.weight_grad_norm.push_back(norm(r.W.grad));
      double sum = 0, count = 0;
      for (const auto& row : r.a)
        for (double v : row) {
          sum += v;
          ++count;
        }
      const double mean = sum / count;
      double sq = 0;
      for (const auto& row : r.a)
        for (double v : row) sq += (v - mean) * (v - mean);
      stats_.activation_mean.push_back(mean);
      stats_.activation_std.push_back(std::sqrt(sq / count));
      double saturated = 0;
      if (!r.hidden) {
      } else if (cfg_.activation == Activation::relu) {
        for (int j = 0; j < r.n_out; ++j) {
          bool dead = true;
          for (const auto& row : r.dphi) dead = dead && row[static_cast<size_t>(j)] == 0;
          saturated += dead ? 1.0 / r.n_out : 0.0;
        }
      } else {
        for (const auto& row : r.dphi)
          for (double d : row) saturated += std::abs(d) < 0.01 * dphi_max() ? 1.0 : 0.0;
        saturated /= r.dphi.size() * r.n_out;
      }
      stats_.saturation.push_back(saturated);
    }
  }

  void update() {
    // Every tensor of every layer, in a fixed order.
    std::vector<Tensor*> all;
    for (auto& r : layers_)
      for (Tensor* p : {&r.W, &r.b, &r.gamma, &r.beta})
        if (!p->value.empty()) all.push_back(p);
    // 1. Clipping: by value, then by the global norm (Pascanu et al. 2013).
    double sq = 0;
    for (Tensor* p : all) for (double g : p->grad) sq += g * g;
    stats_.grad_norm = std::sqrt(sq);
    if (t_.clip_value > 0)
      for (Tensor* p : all)
        for (double& g : p->grad)
          if (std::abs(g) > t_.clip_value) {
            g = g > 0 ? t_.clip_value : -t_.clip_value;
            stats_.clipped = true;
          }
    if (t_.clip_norm > 0) {
      double after = 0;
      for (Tensor* p : all) for (double g : p->grad) after += g * g;
      after = std::sqrt(after);
      if (after >= t_.clip_norm) {
        for (Tensor* p : all) for (double& g : p->grad) g *= t_.clip_norm / after;
        stats_.clipped = true;
      }
    }
    const double n = data_.size(), eta = t_.learning_rate, beta1 = t_.momentum;
    for (auto& r : layers_) {
      const Vec W_before = r.W.value;
      // 2. L2 on weights: g ← g + (λ₂/n) w.
      for (size_t i = 0; i < r.W.value.size(); ++i) r.W.grad[i] += t_.l2 / n * r.W.value[i];
      // 3. The optimizer's step, per tensor.
      for (Tensor* p : {&r.W, &r.b, &r.gamma, &r.beta}) {
        if (p->value.empty()) continue;
        ++p->t;
        p->m1.resize(p->value.size(), 0.0);
        p->m2.resize(p->value.size(), 0.0);
        for (size_t i = 0; i < p->value.size(); ++i) {
          const double g = p->grad[i];
          double delta = 0;
          switch (t_.optimizer) {
            case Optimizer::sgd: delta = -eta * g; break;
            case Optimizer::momentum:  // v ← βv + g; Δ = −ηv
              p->m1[i] = beta1 * p->m1[i] + g;
              delta = -eta * p->m1[i];
              break;
            case Optimizer::rmsprop:  // s ← ρs + (1−ρ)g²; Δ = −ηg/(√s + ε)  (Hinton 2012, ρ = 0.9)
              p->m2[i] = 0.9 * p->m2[i] + 0.1 * g * g;
              delta = -eta * g / (std::sqrt(p->m2[i]) + 1e-8);
              break;
            case Optimizer::adam: {  // Kingma & Ba 2015, β₂ = 0.999, ε = 1e-8
              p->m1[i] = beta1 * p->m1[i] + (1 - beta1) * g;
              p->m2[i] = 0.999 * p->m2[i] + 0.001 * g * g;
              const double mhat = p->m1[i] / (1 - std::pow(beta1, p->t));
              const double vhat = p->m2[i] / (1 - std::pow(0.999, p->t));
              delta = -eta * mhat / (std::sqrt(vhat) + 1e-8);
              break;
            }
          }
          p->value[i] += delta;
        }
      }
      // 4. L1 as a proximal step: shrink towards zero by ηλ₁/n, stopping at zero.
      if (t_.l1 > 0) {
        const double shrink = eta * t_.l1 / n;
        for (double& w : r.W.value) w = w > shrink ? w - shrink : (w < -shrink ? w + shrink : 0.0);
      }
      double dw = 0;
      for (size_t i = 0; i < r.W.value.size(); ++i) dw += (r.W.value[i] - W_before[i]) * (r.W.value[i] - W_before[i]);
      const double w_norm = norm(W_before);
      stats_.weight_norm.push_back(w_norm);
      // A zero W (under L1) has ratio 0 if it stays zero, else infinity.
      stats_.update_ratio.push_back(w_norm > 0 ? std::sqrt(dw) / w_norm : (dw > 0 ? INFINITY : 0.0));
      // The running statistics (unbiased variance), once the step is taken.
      if (r.bn) {
        const double B = static_cast<double>(r.z.size());
        for (int j = 0; j < r.n_out; ++j) {
          r.running_mean[static_cast<size_t>(j)] = 0.9 * r.running_mean[static_cast<size_t>(j)] + 0.1 * r.batch_mean[static_cast<size_t>(j)];
          r.running_var[static_cast<size_t>(j)] =
              0.9 * r.running_var[static_cast<size_t>(j)] + 0.1 * r.batch_var[static_cast<size_t>(j)] * (B > 1 ? B / (B - 1) : 1.0);
        }
      }
    }
  }

  NetworkConfig cfg_;
  TrainConfig t_;
  const Dataset& data_;
  Rng rng_;
  std::vector<RefLayer> layers_;
  std::vector<int> order_;
  int cursor_ = 0;
  RefStats stats_;
};

}  // namespace gradlab::reference
