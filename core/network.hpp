// A fully connected feed-forward network, trained on mini-batches as matrix
// products (one column per example; see matrix.hpp).
//
// Layers are numbered 0 … L−1: layers 0 … L−2 are the hidden layers (activation φ),
// layer L−1 the output layer (sigmoid or softmax, fixed by the cost). Nielsen's
// "hidden layer 1" is layer 0 here. Templated on the scalar: float for training,
// double for the gradient checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activation.hpp"
#include "cost.hpp"
#include "init.hpp"
#include "matrix.hpp"

namespace gradlab {

/// Everything that fixes a network's shape and initial weights.
struct NetworkConfig {
  std::vector<int> layers{784, 30, 30, 10};  // input, hidden…, output widths
  Activation activation = Activation::sigmoid;
  double leaky_slope = 0.01;  // leaky_relu: φ(z) = slope·z for z < 0
  double elu_alpha = 1.0;     // elu: φ(z) = α(eᶻ − 1) for z < 0
  Cost cost = Cost::cross_entropy;
  WeightInit weight_init = WeightInit::nielsen;
  BiasInit bias_init = BiasInit::normal;
  InitParams init;
  uint64_t seed = 1;
};

/// Limits that keep a configuration trainable in a browser tab.
inline constexpr int kMaxLayers = 201;     // widths, including input and output
inline constexpr int kMaxWidth = 4096;
inline constexpr long kMaxParameters = 20'000'000;

/// Throws std::invalid_argument with a message naming the bad field.
void validate(const NetworkConfig& config);

/// "784,30,10" from {784, 30, 10}, and back (throws on a malformed list).
std::string format_layers(const std::vector<int>& layers);
std::vector<int> parse_layers(const std::string& text);

/// One layer's parameters, gradients and the caches of the last forward/backward.
template <typename T>
struct Layer {
  Matrix<T> W;   // (n_out, n_in)
  Vector<T> b;   // (n_out)
  Matrix<T> dW;  // (n_out, n_in) ∂C/∂W, C the mean cost over the batch
  Vector<T> db;  // (n_out)       ∂C/∂b = mean over the batch of δ
  Matrix<T> Z;   // (n_out, B) pre-activations z = W·a_in + b
  Matrix<T> A;   // (n_out, B) outputs a = φ(z)
  Matrix<T> D;   // (n_out, B) φ'(z), hidden layers, written by backward
  Matrix<T> dZ;  // (n_out, B) δ = ∂C_x/∂z for each example x (Nielsen's δ)

  int fan_in() const { return static_cast<int>(W.cols()); }
  int fan_out() const { return static_cast<int>(W.rows()); }
};

template <typename T>
class Network {
 public:
  /// Validates `config` and initialises the weights from config.seed.
  explicit Network(const NetworkConfig& config);

  /// Draws fresh weights and biases from `seed` (same seed, same network).
  void initialize(uint64_t seed);

  const NetworkConfig& config() const { return config_; }
  const ActivationFn<T>& activation() const { return phi_; }
  int num_layers() const { return static_cast<int>(layers_.size()); }  // hidden + output
  int num_hidden() const { return num_layers() - 1; }
  int input_width() const { return config_.layers.front(); }
  int output_width() const { return config_.layers.back(); }
  long parameter_count() const;

  Layer<T>& layer(int l) { return layers_[static_cast<size_t>(l)]; }
  const Layer<T>& layer(int l) const { return layers_[static_cast<size_t>(l)]; }

  /// Forward pass of a batch X (n_in, B); returns the outputs (n_out, B).
  const Matrix<T>& forward(const MatrixView<T>& X);

  /// Sum over the batch of the cost of the last forward, for targets Y (n_out, B).
  double cost_sum(const Matrix<T>& Y) const;

  /// Backward pass for the last forward(X) and targets Y: fills every layer's δ,
  /// and dW, db unless `weight_grads` is false (δ alone is enough for probes).
  void backward(const MatrixView<T>& X, const Matrix<T>& Y, bool weight_grads = true);

 private:
  NetworkConfig config_;
  ActivationFn<T> phi_;
  std::vector<Layer<T>> layers_;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace gradlab
