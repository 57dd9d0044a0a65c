// Mean-field theory of a deep random network (Poole et al. 2016; Schoenholz et al.
// 2017): weights N(0, σ_w²/n_in), biases N(0, σ_b²), infinitely wide layers.
//
//   length map   q^l = σ_w² E[φ(√q^{l−1} z)²] + σ_b²,   z ~ N(0, 1), fixed point q*
//   χ₁ = σ_w² E[φ′(√q* z)²]: the factor by which a back-propagated gradient's
//        squared norm changes per layer (so its size by √χ₁)
//   χ₁ < 1 ordered (gradients vanish), χ₁ > 1 chaotic (they explode); the depth
//   scale of the squared gradient, ξ_∇ = −1/ln χ₁.
//
// The expectations are Gaussian quadratures on a fine symmetric grid (exact by
// symmetry for ReLU's step derivative), evaluated with the training code's own φ
// and φ′ (ActivationFn<double>), so the theory has no formula of its own either.
#pragma once

#include <utility>
#include <vector>

#include "activation.hpp"
#include "network.hpp"

namespace gradlab {

/// The largest σ_w² the theory searches (a critical point beyond it is reported as none).
inline constexpr double kMaxSigmaW2 = 100.0;
/// q beyond this is taken as unbounded: no finite fixed point (e.g. ReLU with σ_w² > 2).
inline constexpr double kUnboundedQ = 1e12;

struct MeanField {
  double sigma_w2 = 0, sigma_b2 = 0;
  double q_star = 0;       // the length map's stable fixed point (infinity: none, the activations grow without bound)
  double chi1 = 0;         // σ_w² E[φ′(√q* z)²]
  double depth_scale = 0;  // ξ_∇ = −1/ln χ₁ (layers for the squared gradient to change by e; infinity at χ₁ = 1)
  double critical_sigma_w2 = 0;  // σ_w² where χ₁ = 1 at this σ_b² (NaN: none up to kMaxSigmaW2)
};

/// The theory's quantities by name: the one list the CLI's --theory columns and
/// the bindings take their names from (camelCase; the CLI writes snake_case).
struct TheoryQuantity {
  const char* key;
  double MeanField::*value;
  const char* help;
};
inline const TheoryQuantity kTheoryQuantities[] = {
    {"sigmaW2", &MeanField::sigma_w2, "σ_w² the weights stand for: n·Var(w) of the hidden layers"},
    {"sigmaB2", &MeanField::sigma_b2, "σ_b² the biases stand for: E[b²]"},
    {"qStar", &MeanField::q_star, "q*, the fixed point of the length map (the pre-activations' variance deep in the network)"},
    {"chi1", &MeanField::chi1, "χ₁ = σ_w² E[φ′(√q* z)²]: the squared gradient's factor per layer"},
    {"depthScale", &MeanField::depth_scale, "ξ_∇ = −1/ln χ₁: layers for the squared gradient to change by e"},
    {"criticalSigmaW2", &MeanField::critical_sigma_w2, "the σ_w² where χ₁ = 1 at this σ_b² (the edge of chaos)"},
};

class MeanFieldTheory {
 public:
  explicit MeanFieldTheory(const ActivationFn<double>& phi);

  /// E[φ(√q z)²] and E[φ′(√q z)²], z ~ N(0, 1).
  double mean_phi2(double q) const;
  double mean_dphi2(double q) const;

  /// The stable fixed point of the length map from q = 1 (infinity if q grows
  /// past kUnboundedQ; 0 when the map contracts to 0, e.g. tanh with σ_b = 0, σ_w² ≤ 1).
  /// `start`: where the iteration begins (a nearby network's q* saves most of it).
  double q_star(double sigma_w2, double sigma_b2, double start = 1.0) const;
  MeanField at(double sigma_w2, double sigma_b2, double start = 1.0) const;
  /// σ_w² in (0, kMaxSigmaW2] where χ₁ = 1 at this σ_b² (bisection, to a relative
  /// `tolerance`, from above `lower` if given; χ₁ grows with σ_w²); NaN if χ₁ stays
  /// on one side of 1 over that range.
  double critical_sigma_w2(double sigma_b2, double tolerance = 1e-7, double lower = 1e-3) const;

 private:
  /// E[φ(√q z)²], or E[φ′(√q z)²] when `derivative`.
  double expect(double q, bool derivative) const;

  ActivationFn<double> phi_;
  Matrix<double> z_;         // (1, n) the quadrature's nodes
  Eigen::VectorXd weights_;  // (n) their weights, summing to 1
};

/// The theory for a network: its activation at the (σ_w², σ_b²) its init stands
/// for (effective_sigmas), with the critical σ_w² at that σ_b².
MeanField mean_field_of(const NetworkConfig& config);

/// The (σ_w², σ_b²) a network's init stands for in the theory: n·Var(w) of its
/// hidden layers (width n, so scaled_normal gives σ_w², He 2, LeCun and Nielsen 1)
/// and E[b²] of its biases.
std::pair<double, double> effective_sigmas(const NetworkConfig& config);

}  // namespace gradlab
