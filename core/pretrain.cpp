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
Pretrainer<T>::Pretrainer(Network<T>& net, const Dataset& data, int epochs, uint64_t seed)
    : net_(net), data_(data), epochs_(std::max(1, epochs)), seed_(seed), rng_(seed, Stream::extra) {
  order_.resize(static_cast<size_t>(data.size()));
  begin_layer();
}

template <typename T>
bool Pretrainer<T>::inputs_in_unit_range(int l) const {
  if (l == 0) return data_.uses_bytes;  // pixels, byte / 255
  return net_.config().activation == Activation::sigmoid && !net_.layer(l - 1).residual;
}

template <typename T>
void Pretrainer<T>::begin_layer() {
  if (done()) return;
  const int n_in = net_.layer(layer_).fan_in();
  NetworkConfig c = net_.config();
  c.layers = {n_in, net_.layer(layer_).fan_out(), n_in};
  c.cost = inputs_in_unit_range(layer_) ? Cost::cross_entropy : Cost::linear_quadratic;
  c.residual = false;
  c.seed = seed_ * 1000003u + static_cast<uint64_t>(layer_);
  ae_ = std::make_unique<Network<T>>(c);
  copy_layer(net_.layer(layer_), ae_->layer(0));
  updater_.reset(ae_->num_layers());
  epoch_ = 0;
  cursor_ = data_.size();  // the first step shuffles
  first_loss_ = 0.0;
}

template <typename T>
void Pretrainer<T>::finish_layer() {
  copy_layer(ae_->layer(0), net_.layer(layer_));
  ++layer_;
  begin_layer();
}

template <typename T>
bool Pretrainer<T>::step(const TrainConfig& config, double n_train) {
  if (done()) return true;
  const int n = data_.size();
  if (cursor_ >= n) {
    std::iota(order_.begin(), order_.end(), 0);
    rng_.shuffle(order_);
    cursor_ = 0;
  }
  const int m = std::min(config.batch_size, n - cursor_);
  X_.resize(data_.features(), m);
  for (int j = 0; j < m; ++j) data_.column(order_[static_cast<size_t>(cursor_ + j)], X_.col(j).data());
  // The layer's input: the examples, or their image under the pretrained layers below.
  const Matrix<T>& in = layer_ == 0 ? X_ : net_.forward_through(X_, layer_, Pass::eval);

  Network<T>& ae = *ae_;
  ae.forward(in, Pass::train);
  const double loss = ae.cost_sum(in) / m;  // the target is the input
  if (!std::isfinite(loss)) return false;
  ae.backward(in, in);
  if (updater_.apply(ae, config, n_train, nullptr) >= 0) return false;
  loss_ = loss;
  if (first_loss_ == 0.0) first_loss_ = loss_;
  cursor_ += m;
  ++steps_;
  if (cursor_ >= n && ++epoch_ >= epochs_) finish_layer();
  return true;
}

template class Pretrainer<float>;
template class Pretrainer<double>;

}  // namespace gradlab
