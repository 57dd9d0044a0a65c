// One training update of a network's parameters from the gradients of its last
// backward pass. Fine-tuning (Trainer) and layer-wise pretraining (Pretrainer)
// both use it, so every training setting means the same in both. In order:
//
//   1. clipping of the cost's gradient g, over every tensor of every layer: by
//      value (each component clamped to [−V, V]), then by global norm
//      (g ← g·T/‖g‖ when ‖g‖ ≥ T; Pascanu, Mikolov & Bengio 2013);
//   2. the L2 penalty on weights: g_W ← g_W + (λ₂/n) W, so that under SGD
//      w ← (1 − ηλ₂/n) w − η ∂C/∂w, Nielsen's weight decay;
//   3. the optimizer's step Δ (optimizer.hpp), each tensor with its own moments;
//   4. the L1 penalty on weights as a proximal step (soft thresholding, as in
//      ISTA): w ← sgn(w̃) max(|w̃| − ηλ₁/n, 0) with w̃ = w + Δ. A weight that the
//      penalty would push across zero stops at exactly zero;
//   5. every new value is checked before any is written, batch norm's running
//      statistics included: if one would be NaN or infinite, the network
//      (weights, biases, γ, β and running statistics) is left exactly as it was.
//
// Penalties apply to weights only, never to biases, γ or β; n is the size of the
// training set. What clipping bounds depends on the optimizer: under SGD the step
// is at most η·T; momentum sums clipped gradients, so its step is at most
// η·T/(1 − β); Adam and RMSProp divide by the gradients' own recent size, so
// clipping bounds what enters their moments, not the step (already about η per
// weight under Adam).
#pragma once

#include <vector>

#include "network.hpp"
#include "optimizer.hpp"
#include "stats.hpp"

namespace gradlab {

/// How to train; everything but pretrain_epochs can change between steps without
/// resetting the network. Defaults: the settings table's (settings.cpp); the test
/// "the core's structs default to the settings table" holds them equal.
struct TrainConfig {
  double learning_rate = 0.1;  // η
  int batch_size = 10;         // m
  double l2 = 0.0;             // λ₂ (step 2 above)
  double l1 = 0.0;             // λ₁ (step 4 above)
  Optimizer optimizer = Optimizer::sgd;
  double momentum = 0.9;       // β of momentum, β₁ of Adam
  double clip_norm = 0.0;      // > 0: clip by global norm at this threshold T
  double clip_value = 0.0;     // > 0: clamp every gradient component to [−V, V]
  int pretrain_epochs = 0;     // > 0: greedy layer-wise pretraining first, this many epochs per layer
};

/// Throws std::invalid_argument naming the bad field. This checks that the rule
/// is well defined (η > 0, β in [0, 1), …); the ranges a reader may choose are
/// the settings table's.
void validate(const TrainConfig& config);

template <typename T>
class Updater {
 public:
  explicit Updater(int num_layers = 0) { reset(num_layers); }

  /// Forgets every moment and the optimizer's step count (a new optimizer, a reset).
  void reset(int num_layers) { moments_.assign(4 * static_cast<size_t>(num_layers), Moments<T>{}); }

  /// Applies one update to `net` from the gradients of its last backward pass
  /// (which it overwrites with the steps taken). n is the training set's size,
  /// for the penalties. `stats`, if given, receives the gradient's global norm
  /// before clipping, whether it was clipped, and each layer's ‖W‖ and
  /// ‖ΔW‖/‖W‖. `grad_norm`, if ≥ 0, is that global norm already measured (the
  /// trainer has every layer's); otherwise it is computed when needed. Returns
  /// −1, or the first layer whose new values would not all be finite; then
  /// nothing in the network changed.
  int apply(Network<T>& net, const TrainConfig& config, double n, StepStats* stats, double grad_norm = -1);

 private:
  std::vector<Moments<T>> moments_;  // per layer: W, b, γ, β
};

extern template class Updater<float>;
extern template class Updater<double>;

}  // namespace gradlab
