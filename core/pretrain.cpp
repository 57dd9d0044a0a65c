#include "pretrain.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gradlab {

namespace {
// Copies a hidden layer's parameters (weights, bias, batch norm) from one to another.
template <typename T>
void copy_layer(const Layer<T>& from, Layer<T>& to) {
  to.W = from.W;
  to.b = from.b;
  if (from.batch_norm && to.batch_norm) {
    to.gamma = from.gamma;
    to.beta = from.beta;
    to.running_mean = from.running_mean;
    to.running_var = from.running_var;
  }
}
}  // namespace

template <typename T>
Pretrainer<T>::Pretrainer(Network<T>& net, const Dataset& data, int epochs, double learning_rate, int batch_size,
                          uint64_t seed)
    : net_(net), data_(data), epochs_(std::max(1, epochs)), learning_rate_(static_cast<T>(learning_rate)),
      batch_size_(std::max(1, batch_size)), seed_(seed), rng_(seed, Stream::extra) {
  order_.resize(static_cast<size_t>(data.size()));
  begin_layer();
}

template <typename T>
void Pretrainer<T>::begin_layer() {
  if (done()) return;
  // The layer's inputs: the data pushed through the (pretrained) layers below.
  const int n = data_.size();
  constexpr int kChunk = 256;
  const int n_in = net_.layer(layer_).fan_in();
  H_.resize(n_in, n);
  Matrix<T> X;
  for (int begin = 0; begin < n; begin += kChunk) {
    const int count = std::min(kChunk, n - begin);
    data_.columns(begin, count, X);
    // Only layers 0 … layer_−1 matter; the forward pass through all is simplest.
    if (layer_ == 0) {
      H_.middleCols(begin, count) = X;
    } else {
      net_.forward(X, Pass::eval);
      H_.middleCols(begin, count) = net_.layer(layer_ - 1).A;
    }
  }
  NetworkConfig c = net_.config();
  const bool unit_range = H_.size() > 0 && H_.minCoeff() >= T(0) && H_.maxCoeff() <= T(1);
  c.layers = {n_in, net_.layer(layer_).fan_out(), n_in};
  c.cost = unit_range ? Cost::cross_entropy : Cost::linear_quadratic;
  c.residual = false;
  c.seed = seed_ * 1000003u + static_cast<uint64_t>(layer_);
  ae_ = std::make_unique<Network<T>>(c);
  copy_layer(net_.layer(layer_), ae_->layer(0));
  epoch_ = 0;
  cursor_ = n;  // the first step shuffles
  first_loss_ = 0.0;
}

template <typename T>
void Pretrainer<T>::finish_layer() {
  copy_layer(ae_->layer(0), net_.layer(layer_));
  ++layer_;
  begin_layer();
}

template <typename T>
bool Pretrainer<T>::step() {
  if (done()) return true;
  const int n = static_cast<int>(H_.cols());
  if (cursor_ >= n) {
    std::iota(order_.begin(), order_.end(), 0);
    rng_.shuffle(order_);
    cursor_ = 0;
  }
  const int m = std::min(batch_size_, n - cursor_);
  batch_.resize(H_.rows(), m);
  for (int j = 0; j < m; ++j) batch_.col(j) = H_.col(order_[static_cast<size_t>(cursor_ + j)]);
  cursor_ += m;

  Network<T>& ae = *ae_;
  ae.forward(batch_, Pass::train);
  loss_ = ae.cost_sum(batch_) / m;  // the target is the input
  if (!std::isfinite(loss_)) return false;
  if (first_loss_ == 0.0) first_loss_ = loss_;
  ae.backward(batch_, batch_);
  for (int l = 0; l < ae.num_layers(); ++l) {  // plain SGD
    Layer<T>& layer = ae.layer(l);
    layer.W -= learning_rate_ * layer.dW;
    layer.b -= learning_rate_ * layer.db;
    if (layer.batch_norm) {
      layer.gamma -= learning_rate_ * layer.dgamma;
      layer.beta -= learning_rate_ * layer.dbeta;
    }
  }
  ++steps_;
  if (cursor_ >= n && ++epoch_ >= epochs_) finish_layer();
  return true;
}

template class Pretrainer<float>;
template class Pretrainer<double>;

}  // namespace gradlab
