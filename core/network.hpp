// A fully connected feed-forward network, trained on mini-batches as matrix
// products (one column per example; see matrix.hpp).
//
// Layers are numbered 0 … L−1: layers 0 … L−2 are the hidden layers (activation φ),
// layer L−1 the output layer (sigmoid or softmax, fixed by the cost). Nielsen's
// "hidden layer 1" is layer 0 here. Templated on the scalar: float for training,
// double for the gradient checks.
//
// A hidden layer computes, for its input a_in (n_in, B):
//   z = W a_in + b                      (plain)
//   z = W a_in                          (batch norm: β replaces the bias, which
//                                        the mean subtraction would cancel)
//   y = z                               (plain)
//   y = γ ⊙ (z − μ_B)/√(σ²_B + ε) + β   (batch norm, Ioffe & Szegedy 2015)
//   a = φ(y)                            (plain)
//   a = a_in + φ(y)                     (residual shortcut, He et al. 2016; only
//                                        where has_shortcut() says so)
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
  bool batch_norm = false;  // normalise every hidden layer's z before φ
  bool residual = false;    // shortcuts a = a_in + φ(y) across hidden layers of equal width
  uint64_t seed = 1;

  /// Same shape and same initial weights.
  bool operator==(const NetworkConfig& o) const {
    return layers == o.layers && activation == o.activation && leaky_slope == o.leaky_slope &&
           elu_alpha == o.elu_alpha && cost == o.cost && weight_init == o.weight_init && bias_init == o.bias_init &&
           init == o.init && batch_norm == o.batch_norm && residual == o.residual && seed == o.seed;
  }
  bool operator!=(const NetworkConfig& o) const { return !(*this == o); }
};

inline constexpr double kBatchNormEpsilon = 1e-5;
/// The most memory a network and its trainer may use (parameters, gradients,
/// optimizer moments and the caches of the largest batch): well inside a browser
/// tab's WebAssembly memory, even on a phone. Larger configurations are refused
/// with a message saying what to shrink.
inline constexpr double kMemoryBudgetBytes = 256.0 * 1024 * 1024;
inline constexpr double kBatchNormMomentum = 0.1;  // running ← 0.9 running + 0.1 batch

/// Throws std::invalid_argument with a message naming the bad field. This checks
/// that the network is well defined (widths ≥ 1, finite parameters in their
/// mathematical domain); the ranges a reader may choose are the settings table's
/// (settings.cpp), and the memory a configuration needs is checked by the trainer.
void validate(const NetworkConfig& config);

/// Whether layer l (0 = first hidden layer) gets a residual shortcut: the one rule,
/// used by the network, the memory model and the page's diagram. A shortcut adds
/// a_in to φ(y), so it needs equal widths: never the first hidden layer (its input
/// is the data), never where the width changes (gradlab adds no projection), never
/// the output layer.
bool has_shortcut(const NetworkConfig& config, int layer);

/// "784,30,10" from {784, 30, 10}, and back (throws on a malformed list).
std::string format_layers(const std::vector<int>& layers);
std::vector<int> parse_layers(const std::string& text);

/// How a forward pass treats batch norm: `train` normalises with the batch's
/// statistics and keeps them for commit_batch_statistics(); `probe` uses the
/// batch's statistics and keeps nothing; `eval` uses the running statistics.
enum class Pass { train, probe, eval };

/// Bytes a network needs: its parameters with their gradients and optimizer
/// moments, and the caches of a forward and backward pass per example of a batch.
/// An upper bound of what Network and Trainer allocate (tests/node/wasm.test.mjs
/// holds the wasm heap to it).
struct MemoryModel {
  double parameter_bytes = 0;    // W, b, γ, β, running statistics, their gradients, 2 moments
  double per_example_bytes = 0;  // the caches of one example in a training step
};
MemoryModel memory_model(const NetworkConfig& config, int scalar_bytes);

/// One layer's parameters, gradients and the caches of the last forward/backward.
/// Gradients of matrices over the batch are stored times B (per-example scale, so
/// that dZ is Nielsen's δ); parameter gradients are means (∂C of the mean cost).
template <typename T>
struct Layer {
  bool batch_norm = false;
  bool residual = false;
  Matrix<T> W;             // (n_out, n_in)
  Vector<T> b;             // (n_out); empty under batch norm (β is the layer's shift)
  Vector<T> gamma, beta;   // (n_out) batch norm scale and shift; empty without batch norm
  Vector<T> running_mean;  // (n_out) batch norm statistics for Pass::eval
  Vector<T> running_var;   // (n_out)
  Vector<T> batch_mean;    // (n_out) the last train pass's μ_B and biased σ²_B,
  Vector<T> batch_var;     // (n_out) folded into the running ones on commit
  Matrix<T> dW;            // (n_out, n_in) ∂C/∂W, C the mean cost over the batch
  double dW_squared_norm = 0;  // ‖∂C/∂W‖², measured by the product that wrote dW, or NaN
  Vector<T> db;            // (n_out)       ∂C/∂b; empty under batch norm
  Vector<T> dgamma, dbeta; // (n_out)       ∂C/∂γ, ∂C/∂β
  Matrix<T> Z;             // (n_out, B) z = W·a_in + b
  Matrix<T> Xhat;          // (n_out, B) normalised z (batch norm)
  Vector<T> inv_std;       // (n_out) 1/√(σ²_B + ε) of the last batch (batch norm)
  Matrix<T> Y;             // (n_out, B) γ x̂ + β, φ's input under batch norm
  Matrix<T> A;             // (n_out, B) the layer's output
  Matrix<T> D;             // (n_out, B) φ'(y), written by forward in train and probe passes
  ActivationSums sums;     // Σz, Σa and D's flat entries, if the pass that wrote A summed them
  Matrix<T> dA;            // (n_out, B) B·∂C/∂a, kept for shortcuts and batch norm
  Matrix<T> dY;            // (n_out, B) B·∂C/∂y under batch norm
  Matrix<T> dZ;            // (n_out, B) δ = B·∂C/∂z (Nielsen's δ per example)

  int fan_in() const { return static_cast<int>(W.cols()); }
  int fan_out() const { return static_cast<int>(W.rows()); }
  /// φ's input: y under batch norm, else z.
  const Matrix<T>& phi_input() const { return batch_norm ? Y : Z; }
  /// B·∂C/∂(φ's input): the δ whose batch mean is the layer's speed.
  const Matrix<T>& delta() const { return batch_norm ? dY : dZ; }
  /// The learning speed of the last backward pass: ‖∂C/∂b‖, or ‖∂C/∂β‖ under
  /// batch norm (β is the layer's only shift there).
  const Vector<T>& speed_gradient() const { return batch_norm ? dbeta : db; }
};

template <typename T>
class Network {
 public:
  /// Validates `config` and initialises the weights from config.seed.
  explicit Network(const NetworkConfig& config);

  /// Draws fresh weights and biases from `seed` (same seed, same network); batch
  /// norm starts at γ = 1, β = 0 and running statistics (0, 1). A batch-norm
  /// layer's biases are drawn and dropped, so that a seed gives the same weights
  /// with and without batch norm.
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
  const Matrix<T>& forward(const MatrixView<T>& X, Pass pass = Pass::train) {
    return forward_through(X, num_layers(), pass);
  }
  /// Forward pass through the first `layers` layers only; returns the last one's
  /// output (its width, B).
  const Matrix<T>& forward_through(const MatrixView<T>& X, int layers, Pass pass);

  /// Folds the batch statistics of the last train pass into the running ones
  /// (batch-norm layers): called once a training step is accepted.
  void commit_batch_statistics();

  /// Sum over the batch of the cost of the last forward, for targets Y (n_out, B).
  double cost_sum(const Matrix<T>& Y) const;

  /// Backward pass for the last forward(X) (a train or probe pass) and targets
  /// Y: fills every layer's δ and, unless `weight_grads` is false, the parameter
  /// gradients (δ and dβ alone are enough for probes).
  void backward(const MatrixView<T>& X, const Matrix<T>& Y, bool weight_grads = true);

 private:
  void hidden_forward(Layer<T>& layer, const MatrixView<T>& in, Pass pass);
  void batch_norm_backward(Layer<T>& layer, bool weight_grads);

  NetworkConfig config_;
  ActivationFn<T> phi_;
  std::vector<Layer<T>> layers_;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace gradlab
