// Output layers and their costs. Each cost fixes its output activation:
//   cross_entropy   sigmoid outputs, C = Σ_j −y ln a − (1−y) ln(1−a)  (Nielsen's default)
//   quadratic       sigmoid outputs, C = ½ Σ_j (a − y)²
//   log_likelihood  softmax outputs, C = −ln a_y
// and, for the autoencoders of layer-wise pretraining only (not a choice for
// readers), linear outputs with C = ½ Σ_j (a − y)².
// Costs are per example; the network's cost is their mean over the batch.
#pragma once

#include "matrix.hpp"
#include "names.hpp"

namespace gradlab {

enum class Cost { cross_entropy, quadratic, log_likelihood, linear_quadratic };

inline constexpr NameTable<Cost, 3> kCostNames{{
    {Cost::cross_entropy, "cross_entropy"},
    {Cost::quadratic, "quadratic"},
    {Cost::log_likelihood, "log_likelihood"},
}};

inline const char* to_string(Cost c) {
  return c == Cost::linear_quadratic ? "linear_quadratic" : name_of(kCostNames, c);
}
inline Cost parse_cost(std::string_view s) { return parse_name(kCostNames, s, "cost"); }

/// A = output activation of Z: sigmoid, or softmax over each column. (n_out, batch)
template <typename T>
void output_forward(Cost cost, const Matrix<T>& Z, Matrix<T>& A) {
  if (cost == Cost::log_likelihood) {
    // Subtract each column's maximum first so exp cannot overflow.
    A = (Z.rowwise() - Z.colwise().maxCoeff()).array().exp();
    A.array().rowwise() /= A.colwise().sum().array();
  } else if (cost == Cost::linear_quadratic) {
    A = Z;
  } else {
    A = Z.array().logistic();
  }
}

/// Sum over the batch of the per-example cost, computed from Z so that saturated
/// outputs (a = 1 in float) still give finite costs.
template <typename T>
double cost_sum(Cost cost, const Matrix<T>& Z, const Matrix<T>& A, const Matrix<T>& Y) {
  switch (cost) {
    case Cost::cross_entropy: {
      // −y ln σ(z) − (1−y) ln(1−σ(z)) = softplus(z) − y z
      auto z = Z.array();
      auto softplus = z.max(T(0)) + (-z.abs()).exp().log1p();
      return static_cast<double>((softplus - Y.array() * z).sum());
    }
    case Cost::quadratic:
    case Cost::linear_quadratic:
      return 0.5 * static_cast<double>((A - Y).squaredNorm());
    case Cost::log_likelihood: {
      // −Σ_j y_j ln softmax(z)_j = Σ_j y_j (logsumexp(z) − z_j)
      const auto zmax = Z.colwise().maxCoeff();
      const auto lse =
          ((Z.rowwise() - zmax).array().exp().colwise().sum().log() + zmax.array()).eval();
      return static_cast<double>((lse * Y.colwise().sum().array()).sum() -
                                 (Y.array() * Z.array()).sum());
    }
  }
  return 0.0;
}

/// δ^L = ∂C_x/∂z^L for each example x (a column). (n_out, batch)
template <typename T>
void output_delta(Cost cost, const Matrix<T>& A, const Matrix<T>& Y, Matrix<T>& dZ) {
  if (cost == Cost::quadratic)
    dZ = (A - Y).cwiseProduct((A.array() * (T(1) - A.array())).matrix());  // (a − y) σ'(z)
  else
    dZ = A - Y;  // cross-entropy with sigmoid, log-likelihood with softmax, linear: a − y
}

/// Whether column x of A is classified as `label`: argmax for several outputs,
/// a ≥ ½ means class 1 for a single output.
template <typename T>
bool output_correct(const Matrix<T>& A, Eigen::Index x, int label) {
  if (A.rows() == 1) return (A(0, x) >= T(0.5)) == (label == 1);
  Eigen::Index best = 0;
  A.col(x).maxCoeff(&best);
  return best == label;
}

}  // namespace gradlab
