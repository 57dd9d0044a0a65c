#include "network.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "kernels.hpp"

namespace gradlab {

namespace {
void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}
bool finite(double x) { return std::isfinite(x); }
}  // namespace

std::string format_layers(const std::vector<int>& layers) {
  std::string out;
  for (size_t i = 0; i < layers.size(); ++i) out += (i ? "," : "") + std::to_string(layers[i]);
  return out;
}

std::vector<int> parse_layers(const std::string& text) {
  std::vector<int> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used == item.size() && !item.empty() && v >= 1 && v <= 1'000'000,
            "layers: '" + item + "' in '" + text + "' is not a width (expected e.g. 784,30,30,10)");
    out.push_back(static_cast<int>(v));
  }
  require(!text.empty() && text.back() != ',', "layers: '" + text + "' is not a list of widths (expected e.g. 784,30,30,10)");
  return out;
}

void validate(const NetworkConfig& c) {
  const auto n = c.layers.size();
  require(n >= 3, "layers: need an input, at least one hidden layer and an output (got " +
                      std::to_string(n) + " widths: " + format_layers(c.layers) + ")");
  for (size_t i = 0; i < n; ++i)
    require(c.layers[i] >= 1, "layers: width of layer " + std::to_string(i) + " is " +
                                  std::to_string(c.layers[i]) + "; every width must be at least 1");
  const double bytes = memory_model(c, 4).parameter_bytes;
  require(bytes <= kMemoryBudgetBytes,
          "layers: " + format_layers(c.layers) + " needs " + std::to_string(static_cast<long>(bytes / 1048576)) +
              " MB for its parameters, more than the limit of " +
              std::to_string(static_cast<long>(kMemoryBudgetBytes / 1048576)) + " MB");
  require(finite(c.leaky_slope), "leaky_slope must be a finite number");
  require(finite(c.elu_alpha) && c.elu_alpha > 0, "elu_alpha must be positive");
  require(finite(c.init.sigma_w) && c.init.sigma_w >= 0, "sigma_w must be ≥ 0");
  require(finite(c.init.sigma_b) && c.init.sigma_b >= 0, "sigma_b must be ≥ 0");
  require(finite(c.init.weight_constant), "weight_constant must be a finite number");
  require(finite(c.init.bias_constant), "bias_constant must be a finite number");
}

bool has_shortcut(const NetworkConfig& c, int layer) {
  const int hidden = static_cast<int>(c.layers.size()) - 2;
  return c.residual && layer > 0 && layer < hidden && c.layers[static_cast<size_t>(layer)] == c.layers[static_cast<size_t>(layer) + 1];
}

MemoryModel memory_model(const NetworkConfig& c, int scalar_bytes) {
  // Counted in scalars, then scaled. Per layer l with n_in → n_out units:
  //   parameters: W and dW, plus two optimizer moments (Adam) of each tensor;
  //               b, db and moments, or γ, β, their gradients and moments and
  //               four statistics vectors under batch norm;
  //   per example: Z, A, δ (dZ) always; φ' (D) for a hidden layer; dA where a
  //               shortcut or batch norm needs ∂C/∂a; x̂, y and dY under batch norm;
  //               plus the batch's inputs and targets.
  MemoryModel m;
  const int L = static_cast<int>(c.layers.size()) - 1;
  double params = 0, per_example = static_cast<double>(c.layers.front()) + c.layers.back();
  for (int l = 0; l < L; ++l) {
    const double n_in = c.layers[static_cast<size_t>(l)], n_out = c.layers[static_cast<size_t>(l) + 1];
    const bool hidden = l < L - 1, bn = hidden && c.batch_norm;
    params += 4 * n_in * n_out + (bn ? 12 : 4) * n_out;
    per_example += n_out * (3 + (hidden ? 1 : 0) + (has_shortcut(c, l) || bn ? 1 : 0) + (bn ? 3 : 0));
  }
  m.parameter_bytes = params * scalar_bytes;
  m.per_example_bytes = per_example * scalar_bytes;
  return m;
}

template <typename T>
Network<T>::Network(const NetworkConfig& config)
    : config_(config), phi_(config.activation, T(config.leaky_slope), T(config.elu_alpha)) {
  validate(config_);
  layers_.resize(config_.layers.size() - 1);
  for (int l = 0; l < num_layers(); ++l) {
    auto& layer = layers_[static_cast<size_t>(l)];
    const int n_in = config_.layers[l], n_out = config_.layers[l + 1];
    const bool hidden = l < num_layers() - 1;
    layer.W.resize(n_out, n_in);
    layer.batch_norm = hidden && config_.batch_norm;
    layer.residual = has_shortcut(config_, l);
    if (!layer.batch_norm) layer.b.resize(n_out);
    if (layer.batch_norm) {
      layer.gamma.resize(n_out);
      layer.beta.resize(n_out);
      layer.running_mean.resize(n_out);
      layer.running_var.resize(n_out);
    }
  }
  initialize(config_.seed);
}

template <typename T>
void Network<T>::initialize(uint64_t seed) {
  config_.seed = seed;
  // One stream for all layers, weights then biases layer by layer.
  Rng rng(seed, Stream::weights);
  for (auto& layer : layers_) {
    init_weights(config_.weight_init, config_.init, layer.W, rng);
    if (layer.batch_norm) {
      Vector<T> dropped(layer.W.rows());  // keeps the stream aligned with a network without batch norm
      init_biases(config_.bias_init, config_.init, dropped, rng);
    } else {
      init_biases(config_.bias_init, config_.init, layer.b, rng);
    }
    if (layer.batch_norm) {
      layer.gamma.setOnes();
      layer.beta.setZero();
      layer.running_mean.setZero();
      layer.running_var.setOnes();
    }
  }
}

template <typename T>
long Network<T>::parameter_count() const {
  long n = 0;
  for (const auto& layer : layers_) n += layer.W.size() + layer.b.size() + layer.gamma.size() + layer.beta.size();
  return n;
}

namespace {
// The float network's two large products through kernels.hpp, where the layer has
// at least one vector of output units; false leaves them to Eigen (double, or
// fewer than 4 units).
template <typename T>
bool kernel_forward_product(Layer<T>& layer, const MatrixView<T>& in) {
  // z = W·a_in (+ b, added first)
  if constexpr (std::is_same_v<T, float>) {
    if (layer.W.rows() < kernels::kMinRows) return false;
    layer.Z.resize(layer.W.rows(), in.cols());
    kernels::gemm_nn(int(layer.W.rows()), int(in.cols()), int(in.rows()), layer.W.data(), int(layer.W.rows()),
                     in.data(), int(in.outerStride()), layer.batch_norm ? nullptr : layer.b.data(), layer.Z.data(),
                     int(layer.Z.rows()));
    return true;
  }
  return false;
}
template <typename T>
bool kernel_weight_gradient(Layer<T>& layer, const MatrixView<T>& in, T inv_batch) {
  // ∂C/∂W = (δ·a_inᵀ)/B, and ‖∂C/∂W‖² on the way
  if constexpr (std::is_same_v<T, float>) {
    if (layer.W.rows() < kernels::kMinRows) return false;
    layer.dW.resize(layer.W.rows(), layer.W.cols());
    layer.dW_squared_norm =
        kernels::gemm_nt(int(layer.dW.rows()), int(layer.dW.cols()), int(in.cols()), inv_batch, layer.dZ.data(),
                         int(layer.dZ.rows()), in.data(), int(in.outerStride()), layer.dW.data(), int(layer.dW.rows()));
    return true;
  }
  return false;
}
}  // namespace

template <typename T>
void Network<T>::hidden_forward(Layer<T>& layer, const MatrixView<T>& in, Pass pass) {
  if (layer.batch_norm) {
    // x̂ = (z − μ)/√(σ² + ε) per unit, with the batch's μ, σ² (biased) or the running ones.
    const auto B = layer.Z.cols();
    Vector<T> mean, var;
    if (pass == Pass::eval) {
      mean = layer.running_mean;
      var = layer.running_var;
    } else {
      mean = layer.Z.rowwise().mean();
      var = (layer.Z.colwise() - mean).array().square().rowwise().mean();
      if (pass == Pass::train) {
        layer.batch_mean = mean;
        layer.batch_var = var * (B > 1 ? T(B) / T(B - 1) : T(1));  // unbiased, for the running estimate
      }
    }
    // A scalar std::sqrt, correctly rounded everywhere: Eigen's vectorised sqrt and
    // rsqrt are approximations on SSE (EIGEN_FAST_MATH) but exact on wasm, and a
    // seed must give the same numbers in both builds. n_out values: no cost.
    layer.inv_std.resize(var.size());
    for (Eigen::Index j = 0; j < var.size(); ++j) layer.inv_std(j) = T(1) / std::sqrt(var(j) + T(kBatchNormEpsilon));
    layer.Xhat = ((layer.Z.colwise() - mean).array().colwise() * layer.inv_std.array()).matrix();
    layer.Y = (layer.Xhat.array().colwise() * layer.gamma.array()).matrix();
    layer.Y.colwise() += layer.beta;
  }
  const Matrix<T>& y = layer.phi_input();
  // φ and φ' in one pass where it can, with the statistics' sums of Z and A (only
  // where A is φ(Z): not under batch norm or with a shortcut added).
  layer.sums.valid = false;
  const bool fused = pass != Pass::eval && !layer.batch_norm && !layer.residual &&
                     phi_.forward_fused(y, layer.A, layer.D, layer.sums);
  if (!fused) {
    phi_.forward(y, layer.A);
    if (pass != Pass::eval) phi_.derivative(y, layer.A, layer.D);  // before the shortcut is added
  }
  if (layer.residual) layer.A += in;
}

template <typename T>
const Matrix<T>& Network<T>::forward_through(const MatrixView<T>& X, int layers, Pass pass) {
  const int L = num_layers();
  for (int l = 0; l < layers; ++l) {
    auto& layer = layers_[static_cast<size_t>(l)];
    const MatrixView<T> in = l == 0 ? X : MatrixView<T>(layers_[static_cast<size_t>(l - 1)].A);
    // z = W·a_in + b   (n_out, B) = (n_out, n_in)·(n_in, B)
    if (!kernel_forward_product(layer, in)) {
      layer.Z.noalias() = layer.W * in;
      if (!layer.batch_norm) layer.Z.colwise() += layer.b;
    }
    if (l < L - 1) {
      hidden_forward(layer, in, pass);
    } else {
      output_forward(config_.cost, layer.Z, layer.A);
      layer.sums.valid = false;
    }
  }
  return layers_[static_cast<size_t>(layers - 1)].A;
}

template <typename T>
void Network<T>::commit_batch_statistics() {
  const T m = T(kBatchNormMomentum);
  for (auto& layer : layers_) {
    if (!layer.batch_norm || layer.batch_mean.size() == 0) continue;
    layer.running_mean = (T(1) - m) * layer.running_mean + m * layer.batch_mean;
    layer.running_var = (T(1) - m) * layer.running_var + m * layer.batch_var;
    layer.batch_mean.resize(0);
    layer.batch_var.resize(0);
  }
}

template <typename T>
double Network<T>::cost_sum(const Matrix<T>& Y) const {
  const auto& out = layers_.back();
  return gradlab::cost_sum(config_.cost, out.Z, out.A, Y);
}

template <typename T>
void Network<T>::batch_norm_backward(Layer<T>& layer, bool weight_grads) {
  // From dY = B·∂C/∂y (Ioffe & Szegedy 2015, with per-example-scaled gradients):
  //   ∂C/∂β = mean(dY),  ∂C/∂γ = mean(dY ⊙ x̂),  dX̂ = γ ⊙ dY
  //   dZ = (dX̂ − mean(dX̂) − x̂ ⊙ mean(dX̂ ⊙ x̂)) / √(σ² + ε)   (means over the batch)
  layer.dbeta = layer.dY.rowwise().mean();
  const Vector<T> dy_xhat = (layer.dY.array() * layer.Xhat.array()).rowwise().mean();
  if (weight_grads) layer.dgamma = dy_xhat;
  // mean(dX̂) = γ ⊙ dβ and mean(dX̂ ⊙ x̂) = γ ⊙ dγ, so dZ needs no second pass.
  const Vector<T> scale = layer.gamma.cwiseProduct(layer.inv_std);
  layer.dZ = ((layer.dY.colwise() - layer.dbeta).array() - layer.Xhat.array().colwise() * dy_xhat.array()).matrix();
  layer.dZ.array().colwise() *= scale.array();
}

template <typename T>
void Network<T>::backward(const MatrixView<T>& X, const Matrix<T>& Y, bool weight_grads) {
  const int L = num_layers();
  const T inv_batch = T(1) / static_cast<T>(X.cols());
  output_delta(config_.cost, layers_.back().A, Y, layers_.back().dZ);  // δ^L
  for (int l = L - 1; l >= 0; --l) {
    auto& layer = layers_[static_cast<size_t>(l)];
    if (weight_grads) {
      // ∂C/∂W = mean_x δ_x a_inᵀ = δ·A_inᵀ / B;  ∂C/∂b = mean_x δ_x
      // The 1/B folds into the product's scalar factor: no extra pass over dW.
      const MatrixView<T> in = l == 0 ? X : MatrixView<T>(layers_[static_cast<size_t>(l - 1)].A);
      if (!kernel_weight_gradient(layer, in, inv_batch)) {
        layer.dW.noalias() = (inv_batch * layer.dZ) * in.transpose();
        layer.dW_squared_norm = std::numeric_limits<double>::quiet_NaN();
      }
      if (!layer.batch_norm) layer.db.noalias() = layer.dZ.rowwise().sum() * inv_batch;
    }
    if (l == 0) break;
    // The layer below: B·∂C/∂a = Wᵀ δ (+ the gradient arriving through this
    // layer's shortcut), then δ = (B·∂C/∂a) ⊙ φ'(y), through batch norm if any.
    auto& below = layers_[static_cast<size_t>(l - 1)];
    const bool keep_dA = below.residual || below.batch_norm;
    Matrix<T>& dA = keep_dA ? below.dA : below.dZ;
    dA.noalias() = layer.W.transpose() * layer.dZ;
    if (layer.residual) dA += layer.dA;  // ∂a_l/∂a_{l−1} = I + …: the shortcut's gradient
    if (below.batch_norm) {
      below.dY = dA.cwiseProduct(below.D);
      batch_norm_backward(below, weight_grads);
    } else if (keep_dA) {
      below.dZ = dA.cwiseProduct(below.D);
    } else {
      below.dZ.array() *= below.D.array();
    }
  }
}

template class Network<float>;
template class Network<double>;

}  // namespace gradlab
