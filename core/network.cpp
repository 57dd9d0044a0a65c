#include "network.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

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
    require(used == item.size() && !item.empty() && v >= 0 && v <= 1'000'000,
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
  require(n <= static_cast<size_t>(kMaxLayers),
          "layers: at most " + std::to_string(kMaxLayers - 2) + " hidden layers (got " +
              std::to_string(n - 2) + ")");
  long params = 0;
  for (size_t i = 0; i < n; ++i) {
    require(c.layers[i] >= 1, "layers: width of layer " + std::to_string(i) + " is " +
                                  std::to_string(c.layers[i]) + "; every width must be at least 1");
    require(c.layers[i] <= kMaxWidth, "layers: width of layer " + std::to_string(i) + " is " +
                                          std::to_string(c.layers[i]) + "; at most " +
                                          std::to_string(kMaxWidth));
    if (i > 0) params += static_cast<long>(c.layers[i]) * (c.layers[i - 1] + 1);
  }
  require(params <= kMaxParameters, "layers: " + std::to_string(params) +
                                        " parameters is more than the limit of " +
                                        std::to_string(kMaxParameters));
  require(finite(c.leaky_slope) && c.leaky_slope >= 0 && c.leaky_slope <= 1,
          "leaky_slope must be in [0, 1] (got " + std::to_string(c.leaky_slope) + ")");
  require(finite(c.elu_alpha) && c.elu_alpha > 0 && c.elu_alpha <= 10,
          "elu_alpha must be in (0, 10] (got " + std::to_string(c.elu_alpha) + ")");
  require(finite(c.init.sigma_w) && c.init.sigma_w >= 0 && c.init.sigma_w <= 100,
          "sigma_w must be in [0, 100] (got " + std::to_string(c.init.sigma_w) + ")");
  require(finite(c.init.sigma_b) && c.init.sigma_b >= 0 && c.init.sigma_b <= 100,
          "sigma_b must be in [0, 100] (got " + std::to_string(c.init.sigma_b) + ")");
  require(finite(c.init.weight_constant) && std::abs(c.init.weight_constant) <= 1000,
          "weight_constant must be in [-1000, 1000] (got " + std::to_string(c.init.weight_constant) + ")");
  require(finite(c.init.bias_constant) && std::abs(c.init.bias_constant) <= 1000,
          "bias_constant must be in [-1000, 1000] (got " + std::to_string(c.init.bias_constant) + ")");
}

template <typename T>
Network<T>::Network(const NetworkConfig& config)
    : config_(config), phi_(config.activation, T(config.leaky_slope), T(config.elu_alpha)) {
  validate(config_);
  layers_.resize(config_.layers.size() - 1);
  for (int l = 0; l < num_layers(); ++l) {
    auto& layer = layers_[static_cast<size_t>(l)];
    layer.W.resize(config_.layers[l + 1], config_.layers[l]);
    layer.b.resize(config_.layers[l + 1]);
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
    init_biases(config_.bias_init, config_.init, layer.b, rng);
  }
}

template <typename T>
long Network<T>::parameter_count() const {
  long n = 0;
  for (const auto& layer : layers_) n += layer.W.size() + layer.b.size();
  return n;
}

template <typename T>
const Matrix<T>& Network<T>::forward(const MatrixView<T>& X) {
  const int L = num_layers();
  for (int l = 0; l < L; ++l) {
    auto& layer = layers_[static_cast<size_t>(l)];
    // z = W·a_in + b   (n_out, B) = (n_out, n_in)·(n_in, B)
    if (l == 0)
      layer.Z.noalias() = layer.W * X;
    else
      layer.Z.noalias() = layer.W * layers_[static_cast<size_t>(l - 1)].A;
    layer.Z.colwise() += layer.b;
    if (l < L - 1)
      phi_.forward(layer.Z, layer.A);
    else
      output_forward(config_.cost, layer.Z, layer.A);
  }
  return layers_.back().A;
}

template <typename T>
double Network<T>::cost_sum(const Matrix<T>& Y) const {
  const auto& out = layers_.back();
  return gradlab::cost_sum(config_.cost, out.Z, out.A, Y);
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
      if (l == 0)
        layer.dW.noalias() = layer.dZ * X.transpose();
      else
        layer.dW.noalias() = layer.dZ * layers_[static_cast<size_t>(l - 1)].A.transpose();
      layer.dW *= inv_batch;
      layer.db.noalias() = layer.dZ.rowwise().sum() * inv_batch;
    }
    if (l > 0) {
      // δ^{l−1} = (Wᵀ δ^l) ⊙ φ'(z^{l−1})
      auto& below = layers_[static_cast<size_t>(l - 1)];
      below.dZ.noalias() = layer.W.transpose() * layer.dZ;
      phi_.derivative(below.Z, below.A, below.D);
      below.dZ.array() *= below.D.array();
    }
  }
}

template class Network<float>;
template class Network<double>;

}  // namespace gradlab
