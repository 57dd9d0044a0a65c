// Per-layer histograms, as in Glorot & Bengio 2010 (figs. 3–8): for every hidden
// layer, the distribution of its activations, its pre-activations (φ's input),
// its back-propagated gradients δ and its weights' gradient ∂C/∂W, over one
// batch of probe examples (Trainer::histograms).
//
// Every layer of a quantity is binned on one common range, so the rows can be
// compared: a layer whose δ has vanished is a narrow spike at 0 beside a wide
// one. Each row is normalised (its bins sum to the fraction of finite values,
// 1 unless the run overflowed) and carries its mean and standard deviation.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "matrix.hpp"

namespace gradlab {

/// How a quantity's common range is chosen.
enum class HistogramRange {
  symmetric,  // [−m, m], m the largest |value| of any layer (z, δ, ∂C/∂W: centred on 0)
  span,       // [smallest, largest] value of any layer (an unbounded φ's outputs)
  fixed,      // a given range (a bounded φ's outputs: sigmoid [0, 1], tanh [−1, 1])
};

/// One quantity's histograms, every hidden layer on one range.
struct Histogram {
  double lo = 0, hi = 1;           // the common range of the bins
  int bins = 0;
  std::vector<double> fraction;    // hidden layers × bins, layer by layer: the fraction of the layer's values in each bin
  std::vector<double> mean;        // per hidden layer, of its finite values
  std::vector<double> stddev;      // per hidden layer: the spread
  std::vector<double> nonfinite;   // per hidden layer: the fraction of NaN or infinite values
};

struct Histograms {
  Histogram activation, preactivation, delta, weight_grad;
  std::vector<double> flat;  // per hidden layer: the fraction of z where φ′ is under 1 % of its peak
  int examples = 0;          // the probe examples they were taken over
};

/// The quantities by name: the one list the bindings and the page take them from.
struct HistogramQuantity {
  const char* key;  // camelCase, as in JavaScript
  Histogram Histograms::*member;
  const char* help;
};
inline const HistogramQuantity kHistogramQuantities[] = {
    {"activation", &Histograms::activation, "the layer's outputs φ(z) (before a residual shortcut is added)"},
    {"preactivation", &Histograms::preactivation, "φ's input z (y = γx̂ + β under batch norm)"},
    {"delta", &Histograms::delta, "δ = ∂C_x/∂z, the back-propagated gradient, per example and unit (∂C_x/∂y under batch norm)"},
    {"weightGrad", &Histograms::weight_grad, "∂C/∂W over the probe batch, per weight"},
};

/// Bins `layers` (one matrix of values per hidden layer) into `out` on one range
/// chosen by `rule` ([lo, hi] for `fixed`). Values outside a fixed range count in
/// the end bins. A degenerate range (all values equal) is widened to width 1.
template <typename T>
void fill_histogram(const std::vector<const Matrix<T>*>& layers, HistogramRange rule, int bins, Histogram& out,
                    double lo = 0, double hi = 1) {
  const size_t H = layers.size();
  if (rule != HistogramRange::fixed) {
    double small = std::numeric_limits<double>::infinity(), large = -small;
    for (const Matrix<T>* m : layers)
      for (Eigen::Index i = 0; i < m->size(); ++i) {
        const double v = static_cast<double>(m->data()[i]);
        if (!std::isfinite(v)) continue;
        small = std::min(small, v);
        large = std::max(large, v);
      }
    if (!(small <= large)) small = large = 0;  // no finite value at all
    if (rule == HistogramRange::symmetric) {
      const double m = std::max(std::abs(small), std::abs(large));
      lo = -m, hi = m;
    } else {
      lo = small, hi = large;
    }
    if (!(hi > lo)) {  // all values equal: a range around them, wide enough to be one at any magnitude
      const double pad = std::max(0.5, std::abs(lo) * 1e-6);
      lo -= pad, hi += pad;
    }
  }
  out.lo = lo, out.hi = hi, out.bins = bins;
  out.fraction.assign(H * static_cast<size_t>(bins), 0.0);
  out.mean.assign(H, 0.0);
  out.stddev.assign(H, 0.0);
  out.nonfinite.assign(H, 0.0);
  const double scale = bins / (hi - lo);
  for (size_t l = 0; l < H; ++l) {
    const Matrix<T>& m = *layers[l];
    double* row = &out.fraction[l * static_cast<size_t>(bins)];
    double sum = 0, count = 0;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      const double v = static_cast<double>(m.data()[i]);
      if (!std::isfinite(v)) continue;
      const double at = std::floor((v - lo) * scale);
      row[std::isfinite(at) ? static_cast<size_t>(std::clamp(at, 0.0, bins - 1.0)) : 0] += 1;
      sum += v;
      ++count;
    }
    const double total = static_cast<double>(m.size());
    if (total > 0) out.nonfinite[l] = (total - count) / total;
    if (count == 0) continue;
    const double mean = sum / count;
    double sq = 0;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      const double v = static_cast<double>(m.data()[i]);
      if (std::isfinite(v)) sq += (v - mean) * (v - mean);
    }
    out.mean[l] = mean;
    out.stddev[l] = std::sqrt(sq / count);
    for (int b = 0; b < bins; ++b) row[b] /= total;
  }
}

}  // namespace gradlab
