// Per-layer statistics of a training step, kept as flat arrays (one entry per
// layer) that the trainer owns and overwrites in place; the wasm layer exposes
// them to JavaScript without copying.
//
// Layers are indexed as in Network: hidden layers input side first, then the
// output layer last.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "matrix.hpp"

namespace gradlab {

struct StepStats {
  long step = 0;       // steps done when these were measured (before this update)
  int epoch = 0;       // completed epochs
  int batch_size = 0;  // examples in this mini-batch
  double loss = std::numeric_limits<double>::quiet_NaN();      // mean cost over the batch
  double accuracy = std::numeric_limits<double>::quiet_NaN();  // fraction right in the batch
  double grad_norm = 0.0;  // global ‖g‖ over every parameter, before clipping
  bool clipped = false;    // clipping changed this step's gradient
  long clip_count = 0;     // steps clipped so far

  std::vector<double> batch_speed;       // ‖∂C/∂b‖₂ = ‖mean over the batch of δ‖: Nielsen's speed
                                         // on this mini-batch (‖∂C/∂β‖ under batch norm)
  std::vector<double> weight_grad_norm;  // ‖∂C/∂W‖_F (the cost's gradient, no penalty)
  std::vector<double> weight_norm;       // ‖W‖_F before the update
  std::vector<double> update_ratio;      // ‖ΔW‖_F / ‖W‖_F of this update
  std::vector<double> activation_mean;   // mean of a over units and examples
  std::vector<double> activation_std;    // standard deviation of a
  std::vector<double> saturation;        // see ActivationFn::saturated_fraction; 0 for the output

  int num_layers() const { return static_cast<int>(batch_speed.size()); }

  void resize(int layers);
};

/// The per-layer statistics of a step, by name: the one list that the bindings,
/// the page's worker and tables, and the CLI take their names from.
struct LayerStatistic {
  const char* key;  // camelCase, as in JavaScript; snake_case in history columns (columns.hpp)
  std::vector<double> StepStats::*values;
  const char* help;
};
inline const LayerStatistic kLayerStatistics[] = {
    {"batchSpeed", &StepStats::batch_speed, "‖∂C/∂b‖ on the last mini-batch (‖∂C/∂β‖ under batch norm)"},
    {"weightGradNorm", &StepStats::weight_grad_norm, "‖∂C/∂W‖, the cost's gradient without penalties"},
    {"weightNorm", &StepStats::weight_norm, "‖W‖ before the last update"},
    {"updateRatio", &StepStats::update_ratio, "‖ΔW‖/‖W‖ of the last update"},
    {"activationMean", &StepStats::activation_mean, "mean activation over units and examples"},
    {"activationStd", &StepStats::activation_std, "standard deviation of the activations"},
    {"saturation", &StepStats::saturation, "fraction of saturated (or, for ReLU, dead) units"},
};

inline void StepStats::resize(int layers) {
  for (const auto& s : kLayerStatistics) (this->*s.values).assign(static_cast<size_t>(layers), 0.0);
}

/// ‖M‖_F in double, without float overflow for large but finite entries; NaN or
/// infinity when an entry is.
template <typename Derived>
double frobenius_norm(const Eigen::MatrixBase<Derived>& m) {
  const double s = static_cast<double>(m.squaredNorm());
  if (std::isfinite(s)) return std::sqrt(s);
  if (!m.allFinite()) return static_cast<double>(m.squaredNorm());  // NaN or inf
  return m.template cast<double>().norm();
}

}  // namespace gradlab
