// Hidden-layer activation functions φ and their derivatives φ'.
//
// Each works on whole (units, batch) matrices with Eigen array expressions, so a
// mini-batch is one vectorised pass. Backprop needs φ'(z): backward() writes it
// into a matrix once, and the same matrix gives the saturation statistic.
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "matrix.hpp"
#include "names.hpp"
#include "portable_math.hpp"

namespace gradlab {

enum class Activation { sigmoid, tanh, relu, leaky_relu, elu, linear, softplus, selu, gelu };

inline constexpr NameTable<Activation, 9> kActivationNames{{
    {Activation::sigmoid, "sigmoid"},
    {Activation::tanh, "tanh"},
    {Activation::relu, "relu"},
    {Activation::leaky_relu, "leaky_relu"},
    {Activation::elu, "elu"},
    {Activation::linear, "linear"},
    {Activation::softplus, "softplus"},
    {Activation::selu, "selu"},
    {Activation::gelu, "gelu"},
}};

inline const char* to_string(Activation a) { return name_of(kActivationNames, a); }
inline Activation parse_activation(std::string_view s) {
  return parse_name(kActivationNames, s, "activation");
}

/// What a forward pass summed over a hidden layer on the way (ActivationFn::forward_fused),
/// so that the statistics need no pass of their own.
struct ActivationSums {
  bool valid = false;  // the sums are of the layer's current Z, A and D
  double z_sum = 0;    // Σ z: not finite when some z is not (a bounded φ hides an infinite z)
  double a_sum = 0;    // Σ a
  double flat = 0;     // how many entries have |φ'| under 1 % of its maximum
};

/// φ with its parameters: the slope of leaky_relu for z < 0 and the α of elu.
template <typename T>
class ActivationFn {
 public:
  // SELU's fixed constants (Klambauer et al. 2017).
  static constexpr T kSeluLambda = T(1.0507009873554805);
  static constexpr T kSeluAlpha = T(1.6732632423543772);
  // GELU, tanh form (Hendrycks & Gimpel 2016): 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³))).
  static constexpr T kGeluC = T(0.7978845608028654);
  static constexpr T kGeluK = T(0.044715);

  ActivationFn(Activation kind, T leaky_slope, T elu_alpha)
      : kind_(kind), slope_(leaky_slope), alpha_(elu_alpha) {}

  Activation kind() const { return kind_; }

  /// A = φ(Z), elementwise. Z, A: (units, batch).
  void forward(const Matrix<T>& Z, Matrix<T>& A) const {
    A.resize(Z.rows(), Z.cols());
    auto z = Z.array();
    auto a = A.array();
    switch (kind_) {
      case Activation::sigmoid: a = z.logistic(); break;
      case Activation::tanh: a = z.tanh(); break;
      case Activation::relu: a = z.max(T(0)); break;
      case Activation::leaky_relu: a = (z > T(0)).select(z, slope_ * z); break;
      case Activation::elu: a = (z > T(0)).select(z, alpha_ * z.min(T(0)).unaryExpr(portable::Expm1{})); break;
      case Activation::linear: a = z; break;
      case Activation::softplus: a = z.max(T(0)) + (-z.abs()).unaryExpr(portable::Log1pExp{}); break;
      case Activation::selu:
        a = kSeluLambda * (z > T(0)).select(z, kSeluAlpha * z.min(T(0)).unaryExpr(portable::Expm1{}));
        break;
      case Activation::gelu:
        // ½(1 + tanh u) = σ(2u), which keeps its precision where tanh u → −1.
        a = z * (T(2) * kGeluC * (z + kGeluK * z.cube())).logistic();
        break;
    }
  }

  /// D = φ'(Z), elementwise, using A = φ(Z) where that is cheaper. All (units, batch).
  void derivative(const Matrix<T>& Z, const Matrix<T>& A, Matrix<T>& D) const {
    D.resize(Z.rows(), Z.cols());
    auto z = Z.array();
    auto a = A.array();
    auto d = D.array();
    switch (kind_) {
      case Activation::sigmoid: d = a * (T(1) - a); break;  // σ' = σ(1 − σ) ≤ 1/4
      case Activation::tanh: d = T(1) - a.square(); break;
      case Activation::relu: d = (z > T(0)).template cast<T>(); break;
      case Activation::leaky_relu: d = slope_ + (T(1) - slope_) * (z > T(0)).template cast<T>(); break;
      case Activation::elu: d = (z > T(0)).select(T(1), a + alpha_); break;
      case Activation::linear: d.setOnes(); break;
      case Activation::softplus: d = z.logistic(); break;
      case Activation::selu: d = (z > T(0)).select(kSeluLambda, a + kSeluLambda * kSeluAlpha); break;
      case Activation::gelu: {
        // φ = z s, s = σ(2u), u = c (z + k z³):  φ' = s + z s (1 − s) 2c (1 + 3k z²)
        auto s = (T(2) * kGeluC * (z + kGeluK * z.cube())).logistic();
        d = s + z * s * (T(1) - s) * (T(2) * kGeluC) * (T(1) + T(3) * kGeluK * z.square());
        break;
      }
    }
  }

  /// A = φ(Z) and D = φ'(Z) in one pass, summing Z, A and D's flat entries on
  /// the way: the sigmoid only (the chapter's φ; the others return false and take
  /// forward() and derivative()). A and D are bit-identical to theirs: the same
  /// Eigen packet function per element, in any order.
  bool forward_fused(const Matrix<T>& Z, Matrix<T>& A, Matrix<T>& D, ActivationSums& sums) const {
    namespace ei = Eigen::internal;
    if (kind_ != Activation::sigmoid) return false;
    using Packet = typename ei::packet_traits<T>::type;
    constexpr Eigen::Index P = ei::packet_traits<T>::size;
    A.resize(Z.rows(), Z.cols());
    D.resize(Z.rows(), Z.cols());
    const Eigen::Index n = Z.size();
    const T* z = Z.data();
    T* a = A.data();
    T* d = D.data();
    const ei::scalar_logistic_op<T> logistic;
    const T threshold = T(0.01) * derivative_max();
    const Packet one = ei::pset1<Packet>(T(1)), limit = ei::pset1<Packet>(threshold);
    Packet z_sum = ei::pset1<Packet>(T(0)), a_sum = z_sum, flat = z_sum;
    Eigen::Index i = 0;
    for (; i + P <= n; i += P) {
      const Packet zp = ei::ploadu<Packet>(z + i);
      const Packet ap = logistic.packetOp(zp);
      const Packet dp = ei::pmul(ap, ei::psub(one, ap));
      ei::pstoreu(a + i, ap);
      ei::pstoreu(d + i, dp);
      z_sum = ei::padd(z_sum, zp);
      a_sum = ei::padd(a_sum, ap);
      flat = ei::padd(flat, ei::pand(ei::pcmp_lt(ei::pabs(dp), limit), one));  // 1 where flat
    }
    sums.z_sum = static_cast<double>(ei::predux(z_sum));
    sums.a_sum = static_cast<double>(ei::predux(a_sum));
    sums.flat = static_cast<double>(ei::predux(flat));
    for (; i < n; ++i) {
      a[i] = logistic(z[i]);
      d[i] = a[i] * (T(1) - a[i]);
      sums.z_sum += static_cast<double>(z[i]);
      sums.a_sum += static_cast<double>(a[i]);
      sums.flat += std::abs(d[i]) < threshold ? 1.0 : 0.0;
    }
    sums.valid = true;
    return true;
  }

  /// sup |φ'|: the reference for "saturated" (|φ'| under 1 % of it).
  T derivative_max() const {
    switch (kind_) {
      case Activation::sigmoid: return T(0.25);
      case Activation::leaky_relu: return std::max(T(1), std::abs(slope_));
      case Activation::elu: return std::max(T(1), alpha_);
      case Activation::selu: return kSeluLambda * kSeluAlpha;
      case Activation::gelu: return T(1.1289931);  // at z ≈ 1.4185
      default: return T(1);
    }
  }

  /// Fraction of saturated units given D = φ'(Z) over a batch. For relu: the
  /// fraction of dead units (zero for every example of the batch); otherwise the
  /// fraction of (unit, example) entries with |φ'| < 1 % of its maximum.
  double saturated_fraction(const Matrix<T>& D, const ActivationSums& sums = {}) const {
    if (D.size() == 0) return 0.0;
    if (kind_ == Activation::relu) {
      const auto dead = (D.array() == T(0)).rowwise().all().count();
      return static_cast<double>(dead) / static_cast<double>(D.rows());
    }
    return sums.valid ? sums.flat / static_cast<double>(D.size()) : flat_fraction(D);
  }

  /// Fraction of (unit, example) entries of D = φ'(Z) where |φ'| is under 1 % of
  /// its maximum: where φ is flat and passes (almost) no gradient back. For relu,
  /// the entries with z ≤ 0.
  double flat_fraction(const Matrix<T>& D) const {
    if (D.size() == 0) return 0.0;
    const T threshold = T(0.01) * derivative_max();
    return static_cast<double>((D.array().abs() < threshold).count()) / static_cast<double>(D.size());
  }

  /// φ and φ' at n ≥ 2 points evenly spaced over [lo, hi], by the same code as
  /// training: out = the n z's, then the n φ(z)'s, then the n φ'(z)'s.
  void curve(double lo, double hi, int n, std::vector<double>& out) const {
    Matrix<T> Z(1, n), A, D;
    for (int i = 0; i < n; ++i) Z(0, i) = static_cast<T>(lo + (hi - lo) * i / (n - 1));
    forward(Z, A);
    derivative(Z, A, D);
    out.resize(3 * static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      out[static_cast<size_t>(i)] = static_cast<double>(Z(0, i));
      out[static_cast<size_t>(n + i)] = static_cast<double>(A(0, i));
      out[static_cast<size_t>(2 * n + i)] = static_cast<double>(D(0, i));
    }
  }

  /// φ's range where it is bounded on both sides: sigmoid (0, 1), tanh (−1, 1).
  /// False for the others.
  bool bounded_range(double& lo, double& hi) const {
    if (kind_ == Activation::sigmoid) lo = 0, hi = 1;
    else if (kind_ == Activation::tanh) lo = -1, hi = 1;
    else return false;
    return true;
  }

 private:
  Activation kind_;
  T slope_;
  T alpha_;
};

}  // namespace gradlab
