// Per-layer statistics of a training step, kept as flat arrays (one entry per
// layer, or layers × bins for histograms) that the trainer owns and overwrites in
// place; the wasm layer exposes them to JavaScript without copying.
//
// Layers are indexed as in Network: hidden layers input side first, then the
// output layer last.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "matrix.hpp"

namespace gradlab {

inline constexpr int kHistogramBins = 32;
// δ histograms bin log2|δ| in steps of 2 (octaves), from 2^kDeltaLog2Min: 32 bins
// cover |δ| from about 1.4e−17 to 256. Zeros and smaller values go in the first bin,
// larger values in the last.
inline constexpr int kDeltaLog2Min = -56;
inline constexpr int kDeltaOctavesPerBin = 2;

struct StepStats {
  long step = 0;       // steps done when these were measured (before this update)
  int epoch = 0;       // completed epochs
  int batch_size = 0;  // examples in this mini-batch
  double loss = std::numeric_limits<double>::quiet_NaN();      // mean cost over the batch
  double accuracy = std::numeric_limits<double>::quiet_NaN();  // fraction right in the batch
  double grad_norm = 0.0;  // global ‖g‖ over every parameter, before clipping
  bool clipped = false;    // clipping changed this step's gradient
  long clip_count = 0;     // steps clipped so far

  std::vector<double> speed;             // ‖∂C/∂b‖₂ = ‖mean over the batch of δ‖: Nielsen's speed
                                         // (‖∂C/∂β‖ for a batch-norm layer, see Layer::speed_gradient)
  std::vector<double> weight_grad_norm;  // ‖∂C/∂W‖_F (the cost's gradient, no penalty)
  std::vector<double> weight_norm;       // ‖W‖_F before the update
  std::vector<double> update_ratio;      // ‖ΔW‖_F / ‖W‖_F of this update
  std::vector<double> activation_mean;   // mean of a over units and examples
  std::vector<double> activation_std;    // standard deviation of a
  std::vector<double> saturation;        // see ActivationFn::saturated_fraction; 0 for the output
  std::vector<double> activation_hist;   // (layers, bins): fraction of a per bin
  std::vector<double> activation_hist_lo;  // (layers) range of each activation histogram
  std::vector<double> activation_hist_hi;  // (layers)
  std::vector<double> delta_hist;          // (layers, bins): fraction of log2|δ| per bin

  int num_layers() const { return static_cast<int>(speed.size()); }

  void resize(int layers) {
    const auto n = static_cast<size_t>(layers);
    for (auto* v : {&speed, &weight_grad_norm, &weight_norm, &update_ratio, &activation_mean,
                    &activation_std, &saturation, &activation_hist_lo, &activation_hist_hi})
      v->assign(n, 0.0);
    activation_hist.assign(n * kHistogramBins, 0.0);
    delta_hist.assign(n * kHistogramBins, 0.0);
  }
};

/// ‖M‖_F in double, without float overflow for large but finite entries; NaN or
/// infinity when an entry is.
template <typename Derived>
double frobenius_norm(const Eigen::MatrixBase<Derived>& m) {
  const double s = static_cast<double>(m.squaredNorm());
  if (std::isfinite(s)) return std::sqrt(s);
  if (!m.allFinite()) return static_cast<double>(m.squaredNorm());  // NaN or inf
  return m.template cast<double>().norm();
}

/// Fractions of the entries of M in `bins` equal bins over [lo, hi); values
/// outside go to the edge bins, NaNs nowhere. (Integer counts in the loop: this
/// runs over every layer at every step.)
template <typename T>
void linear_histogram(const Matrix<T>& M, double lo, double hi, double* bins) {
  std::fill(bins, bins + kHistogramBins, 0.0);
  if (M.size() == 0) return;
  const T scale = T(kHistogramBins / (hi - lo)), offset = T(lo);
  uint32_t counts[kHistogramBins] = {};
  const T* data = M.data();
  for (Eigen::Index i = 0; i < M.size(); ++i) {
    const T x = (data[i] - offset) * scale;
    if (!(x == x)) continue;  // NaN
    const T clamped = x < T(0) ? T(0) : (x > T(kHistogramBins - 1) ? T(kHistogramBins - 1) : x);
    ++counts[static_cast<int>(clamped)];
  }
  uint64_t counted = 0;
  for (uint32_t c : counts) counted += c;
  if (counted > 0)
    for (int k = 0; k < kHistogramBins; ++k) bins[k] = static_cast<double>(counts[k]) / static_cast<double>(counted);
}

namespace detail {
// floor(log2|x|) from the exponent bits (no libm call in the per-element loop).
inline int exponent_of(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return static_cast<int>((bits >> 23) & 0xFF) - 127;
}
inline int exponent_of(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return static_cast<int>((bits >> 52) & 0x7FF) - 1023;
}
}  // namespace detail

/// Fractions of the entries of δ per bin of log2|δ| (see kDeltaLog2Min).
template <typename T>
void log_histogram(const Matrix<T>& M, double* bins) {
  std::fill(bins, bins + kHistogramBins, 0.0);
  if (M.size() == 0) return;
  uint32_t counts[kHistogramBins] = {};
  uint32_t nans = 0;
  const T* data = M.data();
  for (Eigen::Index i = 0; i < M.size(); ++i) {
    const T x = data[i];
    if (!(x == x)) {
      ++nans;
      continue;
    }
    const int k = (detail::exponent_of(x) - kDeltaLog2Min) / kDeltaOctavesPerBin;  // zero → very negative
    ++counts[std::clamp(k, 0, kHistogramBins - 1)];
  }
  const double counted = static_cast<double>(M.size() - nans);
  if (counted > 0)
    for (int k = 0; k < kHistogramBins; ++k) bins[k] = static_cast<double>(counts[k]) / counted;
}

}  // namespace gradlab
