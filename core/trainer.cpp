#include "trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <type_traits>

namespace gradlab {

namespace {
void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

std::string layer_name(int layer, int num_layers) {
  return layer == num_layers - 1 ? "the output layer" : "hidden layer " + std::to_string(layer + 1);
}

// Examples [begin, begin + count) as a T matrix: a view of float features, else
// converted into `scratch`.
template <typename T>
MatrixView<T> columns(const Dataset& data, int begin, int count, Matrix<T>& scratch) {
  if constexpr (std::is_same_v<T, float>)
    if (!data.uses_bytes) return MatrixView<T>(data.X.middleCols(begin, count));
  data.columns(begin, count, scratch);
  return MatrixView<T>(scratch);
}
}  // namespace

void validate(const TrainConfig& c) {
  require(std::isfinite(c.learning_rate) && c.learning_rate > 0 && c.learning_rate <= 1000,
          "learning_rate must be in (0, 1000] (got " + std::to_string(c.learning_rate) + ")");
  require(c.batch_size >= 1 && c.batch_size <= 100000,
          "batch_size must be in [1, 100000] (got " + std::to_string(c.batch_size) + ")");
  require(std::isfinite(c.l2) && c.l2 >= 0 && c.l2 <= 1e6,
          "l2 (λ) must be in [0, 1e6] (got " + std::to_string(c.l2) + ")");
  require(std::isfinite(c.l1) && c.l1 >= 0 && c.l1 <= 1e6,
          "l1 (λ₁) must be in [0, 1e6] (got " + std::to_string(c.l1) + ")");
  require(std::isfinite(c.momentum) && c.momentum >= 0 && c.momentum < 1,
          "momentum must be in [0, 1) (got " + std::to_string(c.momentum) + ")");
  require(std::isfinite(c.clip_norm) && c.clip_norm >= 0,
          "clip_norm must be ≥ 0 (0 turns it off; got " + std::to_string(c.clip_norm) + ")");
  require(std::isfinite(c.clip_value) && c.clip_value >= 0,
          "clip_value must be ≥ 0 (0 turns it off; got " + std::to_string(c.clip_value) + ")");
  require(c.pretrain_epochs >= 0 && c.pretrain_epochs <= 1000,
          "pretrain_epochs must be in [0, 1000] (got " + std::to_string(c.pretrain_epochs) + ")");
}

template <typename T>
Trainer<T>::Trainer(const NetworkConfig& net, const TrainConfig& train,
                    std::shared_ptr<const Dataset> train_data, std::shared_ptr<const Dataset> test_data)
    : network_(net), train_(train), train_data_(std::move(train_data)), test_data_(std::move(test_data)),
      batch_rng_(net.seed, Stream::batches) {
  validate(train_);
  require(train_data_ != nullptr && train_data_->size() > 0, "the training set is empty");
  check_data(*train_data_, "training");
  if (test_data_ && test_data_->size() == 0) test_data_.reset();  // nothing held out
  if (test_data_) check_data(*test_data_, "test");
  stats_.resize(network_.num_layers());
  probe_.speed.assign(static_cast<size_t>(network_.num_layers()), 0.0);
  order_.resize(static_cast<size_t>(train_data_->size()));
  moments_.resize(4 * static_cast<size_t>(network_.num_layers()));
  cursor_ = train_data_->size();  // the first step draws a fresh permutation
  if (train_.pretrain_epochs > 0)
    pretrainer_ = std::make_unique<Pretrainer<T>>(network_, *train_data_, train_.pretrain_epochs,
                                                  train_.learning_rate, train_.batch_size, net.seed);
}

template <typename T>
void Trainer<T>::check_data(const Dataset& d, const char* which) const {
  const int in = network_.input_width(), out = network_.output_width();
  require(d.features() == in, std::string("data size mismatch: the input layer has ") + std::to_string(in) +
                                  " units but the " + which + " data ('" + d.name + "') has " +
                                  std::to_string(d.features()) + " features per example");
  require(out == d.num_classes || (out == 1 && d.num_classes == 2),
          std::string("data size mismatch: the output layer has ") + std::to_string(out) +
              " units but the " + which + " data ('" + d.name + "') has " + std::to_string(d.num_classes) +
              " classes (use " + std::to_string(d.num_classes) +
              (d.num_classes == 2 ? ", or 1" : "") + " output units)");
  require(static_cast<int>(d.labels.size()) == d.size(), "data: labels and examples differ in number");
}

template <typename T>
void Trainer<T>::set_train_config(const TrainConfig& config) {
  validate(config);
  if (config.optimizer != train_.optimizer) moments_.assign(moments_.size(), Moments<T>{});
  const int pretrain_epochs = train_.pretrain_epochs;
  train_ = config;
  train_.pretrain_epochs = pretrain_epochs;
}

template <typename T>
void Trainer<T>::reset(uint64_t seed) {
  network_.initialize(seed);
  batch_rng_.reseed(seed, Stream::batches);
  cursor_ = train_data_->size();
  step_ = 0;
  epoch_ = 0;
  divergence_ = Divergence{};
  stats_ = StepStats{};
  stats_.resize(network_.num_layers());
  moments_.assign(moments_.size(), Moments<T>{});
  pretrainer_.reset();
  if (train_.pretrain_epochs > 0)
    pretrainer_ = std::make_unique<Pretrainer<T>>(network_, *train_data_, train_.pretrain_epochs,
                                                  train_.learning_rate, train_.batch_size, seed);
}

template <typename T>
int Trainer<T>::steps_per_epoch() const {
  const int n = train_data_->size(), m = train_.batch_size;
  return (n + m - 1) / m;
}

template <typename T>
void Trainer<T>::next_epoch_order() {
  std::iota(order_.begin(), order_.end(), 0);
  batch_rng_.shuffle(order_);
  cursor_ = 0;
}

template <typename T>
void Trainer<T>::make_targets(const std::vector<uint8_t>& labels, int begin, int count, Matrix<T>& Y) const {
  // One-hot columns; a single sigmoid output holds the class (0 or 1) itself.
  const int out = network_.output_width();
  Y.setZero(out, count);
  for (int j = 0; j < count; ++j) {
    const int label = labels[static_cast<size_t>(begin + j)];
    if (out == 1)
      Y(0, j) = static_cast<T>(label);
    else
      Y(label, j) = T(1);
  }
}

template <typename T>
void Trainer<T>::gather_batch(int begin, int count) {
  const Dataset& d = *train_data_;
  X_.resize(d.features(), count);
  batch_labels_.resize(static_cast<size_t>(count));
  for (int j = 0; j < count; ++j) {
    const int i = order_[static_cast<size_t>(begin + j)];
    d.column(i, X_.col(j).data());
    batch_labels_[static_cast<size_t>(j)] = d.labels[static_cast<size_t>(i)];
  }
  make_targets(batch_labels_, 0, count, Y_);
}

template <typename T>
bool Trainer<T>::diverge(int layer, const char* what) {
  divergence_.diverged = true;
  divergence_.step = step_ + 1;
  divergence_.layer = layer;
  divergence_.what = what;
  divergence_.message = "diverged at step " + std::to_string(step_ + 1) + ": the " + what + " of " +
                        layer_name(layer, network_.num_layers()) +
                        " became NaN or infinite; training stopped (reset to start again)";
  return false;
}

template <typename T>
double Trainer<T>::clip_gradients() {
  // The global norm over every parameter's gradient, before clipping (‖∂C/∂W‖ is
  // already in the statistics).
  double sum = 0.0;
  for (int l = 0; l < network_.num_layers(); ++l) {
    const auto& layer = network_.layer(l);
    const double w = stats_.weight_grad_norm[static_cast<size_t>(l)];
    sum += w * w;
    for (double n : {frobenius_norm(layer.db), frobenius_norm(layer.dgamma), frobenius_norm(layer.dbeta)}) sum += n * n;
  }
  const double norm = std::sqrt(sum);
  bool clipped = false;
  if (train_.clip_value > 0) {
    const T v = static_cast<T>(train_.clip_value);
    for (int l = 0; l < network_.num_layers(); ++l) {
      auto& layer = network_.layer(l);
      auto clamp = [&](auto& g) {
        if (g.size() == 0 || g.cwiseAbs().maxCoeff() <= v) return;
        g = g.cwiseMin(v).cwiseMax(-v);
        clipped = true;
      };
      clamp(layer.dW);
      clamp(layer.db);
      clamp(layer.dgamma);
      clamp(layer.dbeta);
    }
  }
  if (train_.clip_norm > 0) {
    double after = 0.0;  // the norm after clipping by value
    for (int l = 0; l < network_.num_layers(); ++l) {
      const auto& layer = network_.layer(l);
      after += layer.dW.squaredNorm() + layer.db.squaredNorm() + layer.dgamma.squaredNorm() + layer.dbeta.squaredNorm();
    }
    after = std::sqrt(after);
    if (after >= train_.clip_norm) {  // g ← g·T/‖g‖ (Pascanu, Mikolov & Bengio 2013)
      const T scale = static_cast<T>(train_.clip_norm / after);
      for (int l = 0; l < network_.num_layers(); ++l) {
        auto& layer = network_.layer(l);
        layer.dW *= scale;
        layer.db *= scale;
        layer.dgamma *= scale;
        layer.dbeta *= scale;
      }
      clipped = true;
    }
  }
  stats_.grad_norm = norm;
  stats_.clipped = clipped;
  if (clipped) ++stats_.clip_count;
  return norm;
}

template <typename T>
bool Trainer<T>::apply_update() {
  // The full gradient (penalties on weights only), then the optimizer's step,
  // written into the gradient buffers before it is applied, so that a step that
  // would make a weight non-finite leaves the network untouched.
  //   g_W = ∂C/∂W + (λ₂/n) W + (λ₁/n) sgn(W)
  const int L = network_.num_layers();
  const double n = train_data_->size();
  const T l2 = static_cast<T>(train_.l2 / n), l1 = static_cast<T>(train_.l1 / n);
  const OptimizerSettings o{train_.optimizer, train_.learning_rate, train_.momentum};
  const long t = step_ + 1;
  for (int l = 0; l < L; ++l) {
    auto& layer = network_.layer(l);
    const double w_norm = frobenius_norm(layer.W);
    if (l2 != T(0)) layer.dW += l2 * layer.W;
    if (l1 != T(0)) layer.dW += l1 * layer.W.cwiseSign();
    const size_t slot = 4 * static_cast<size_t>(l);
    optimizer_step(o, t, layer.dW.data(), layer.dW.size(), moments_[slot]);
    optimizer_step(o, t, layer.db.data(), layer.db.size(), moments_[slot + 1]);
    if (layer.batch_norm) {
      optimizer_step(o, t, layer.dgamma.data(), layer.dgamma.size(), moments_[slot + 2]);
      optimizer_step(o, t, layer.dbeta.data(), layer.dbeta.size(), moments_[slot + 3]);
    }
    const double dw_norm = frobenius_norm(layer.dW);
    stats_.weight_norm[l] = w_norm;
    stats_.update_ratio[l] = w_norm > 0 ? dw_norm / w_norm : (dw_norm > 0 ? INFINITY : 0.0);
    if (!std::isfinite(dw_norm) || !std::isfinite(frobenius_norm(layer.db)) ||
        !std::isfinite(frobenius_norm(layer.dgamma)) || !std::isfinite(frobenius_norm(layer.dbeta)))
      return diverge(l, "weights");
  }
  for (int l = 0; l < L; ++l) {
    auto& layer = network_.layer(l);
    layer.W += layer.dW;
    layer.b += layer.db;
    if (layer.batch_norm) {
      layer.gamma += layer.dgamma;
      layer.beta += layer.dbeta;
    }
  }
  return true;
}

template <typename T>
int Trainer<T>::measure_forward() {
  // Mean, spread and histogram of every layer's activations; the first layer
  // whose values are not all finite, or −1.
  const int L = network_.num_layers();
  int bad = -1;
  for (int l = 0; l < L; ++l) {
    const Matrix<T>& A = network_.layer(l).A;
    const double count = static_cast<double>(A.size());
    const double sum = static_cast<double>(A.sum());
    const double mean = sum / count;
    const double mean_sq = static_cast<double>(A.squaredNorm()) / count;
    stats_.activation_mean[l] = mean;
    stats_.activation_std[l] = std::sqrt(std::max(0.0, mean_sq - mean * mean));
    const auto [lo, hi] = l < L - 1 ? network_.activation().histogram_range() : std::pair{0.0, 1.0};
    stats_.activation_hist_lo[l] = lo;
    stats_.activation_hist_hi[l] = hi;
    linear_histogram(A, lo, hi, &stats_.activation_hist[static_cast<size_t>(l) * kHistogramBins]);
    // A bounded φ (sigmoid, tanh, the output layer) hides an infinite z: check z too.
    const Matrix<T>& Z = network_.layer(l).Z;
    if (bad < 0 && !((std::isfinite(sum) || A.allFinite()) &&
                     (std::isfinite(static_cast<double>(Z.sum())) || Z.allFinite())))
      bad = l;
  }
  return bad;
}

template <typename T>
int Trainer<T>::measure_backward() {
  // Every layer's speed, gradient norm, saturation and δ histogram; the first
  // layer in backprop order (the highest) whose gradient is not finite, or −1.
  const int L = network_.num_layers();
  int bad = -1;
  for (int l = L - 1; l >= 0; --l) {
    auto& layer = network_.layer(l);
    stats_.speed[l] = frobenius_norm(layer.speed_gradient());
    stats_.weight_grad_norm[l] = frobenius_norm(layer.dW);
    stats_.saturation[l] = l < L - 1 ? network_.activation().saturated_fraction(layer.D) : 0.0;
    log_histogram(layer.delta(), &stats_.delta_hist[static_cast<size_t>(l) * kHistogramBins]);
    if (bad < 0 && !(std::isfinite(stats_.speed[l]) && std::isfinite(stats_.weight_grad_norm[l]))) bad = l;
  }
  return bad;
}

template <typename T>
bool Trainer<T>::step() {
  if (divergence_.diverged) return false;
  if (pretraining()) {
    const int layer = pretrainer_->layer();
    if (!pretrainer_->step()) return diverge(layer, "pretraining reconstruction cost");
    return true;
  }
  const int n = train_data_->size();
  if (cursor_ >= n) next_epoch_order();
  const int m = std::min(train_.batch_size, n - cursor_);
  gather_batch(cursor_, m);

  auto& net = network_;
  const int L = net.num_layers();
  stats_.step = step_ + 1;
  stats_.epoch = epoch_;
  stats_.batch_size = m;

  // Forward, and what the activations look like.
  const Matrix<T>& out = net.forward(X_);
  const int bad_activation = measure_forward();
  stats_.loss = net.cost_sum(Y_) / m;
  int correct = 0;
  for (int j = 0; j < m; ++j) correct += output_correct(out, j, batch_labels_[static_cast<size_t>(j)]);
  stats_.accuracy = static_cast<double>(correct) / m;
  if (bad_activation >= 0) return diverge(bad_activation, "activations");
  if (!std::isfinite(stats_.loss)) return diverge(L - 1, "loss");

  // Backward, and each layer's speed.
  net.backward(X_, Y_);
  const int bad_gradient = measure_backward();
  if (bad_gradient >= 0) return diverge(bad_gradient, "gradients");

  clip_gradients();
  if (!apply_update()) return false;
  ++step_;
  cursor_ += m;
  if (cursor_ >= n) ++epoch_;
  return true;
}

template <typename T>
bool Trainer<T>::train_epoch() {
  while (pretraining())  // pretraining first, as step() would
    if (!step()) return false;
  do {
    if (!step()) return false;
  } while (cursor_ < train_data_->size());
  return true;
}

template <typename T>
template <typename ChunkFn>
Evaluation Trainer<T>::sweep(const Dataset& d, int n, Pass pass, ChunkFn&& after_forward) {
  // The first n examples in chunks (a chunk is a batch for batch norm): forward,
  // cost and accuracy, then `after_forward(X, Y)` for what else a caller needs.
  constexpr int kChunk = 256;
  Matrix<T> scratch, Y;
  double cost = 0.0;
  long correct = 0;
  for (int begin = 0; begin < n; begin += kChunk) {
    const int count = std::min(kChunk, n - begin);
    const MatrixView<T> X = columns(d, begin, count, scratch);
    make_targets(d.labels, begin, count, Y);
    const Matrix<T>& out = network_.forward(X, pass);
    cost += network_.cost_sum(Y);
    for (int j = 0; j < count; ++j) correct += output_correct(out, j, d.labels[static_cast<size_t>(begin + j)]);
    after_forward(X, Y);
  }
  return n > 0 ? Evaluation{cost / n, static_cast<double>(correct) / n, n} : Evaluation{};
}

template <typename T>
const Probe& Trainer<T>::probe(int n) {
  require(n >= 1, "probe: need at least one example (got " + std::to_string(n) + ")");
  const Dataset& d = *train_data_;
  n = std::min(n, d.size());
  const int L = network_.num_layers();
  std::vector<Vector<double>> delta_sum(static_cast<size_t>(L));
  for (int l = 0; l < L; ++l) delta_sum[static_cast<size_t>(l)].setZero(network_.layer(l).fan_out());
  probe_.evaluation = sweep(d, n, Pass::probe, [&](const MatrixView<T>& X, const Matrix<T>& Y) {
    network_.backward(X, Y, /*weight_grads=*/false);
    for (int l = 0; l < L; ++l)
      delta_sum[static_cast<size_t>(l)] += network_.layer(l).delta().rowwise().sum().template cast<double>();
  });
  for (int l = 0; l < L; ++l) probe_.speed[static_cast<size_t>(l)] = delta_sum[static_cast<size_t>(l)].norm() / n;
  return probe_;
}

template <typename T>
Evaluation Trainer<T>::evaluate(const Dataset& d, int max_examples) {
  check_data(d, "evaluation");
  const int n = max_examples < 0 ? d.size() : std::min(max_examples, d.size());
  return sweep(d, n, Pass::eval, [](const MatrixView<T>&, const Matrix<T>&) {});
}

template <typename T>
Evaluation Trainer<T>::evaluate_test(int max_examples) {
  return test_data_ ? evaluate(*test_data_, max_examples) : Evaluation{};
}

template class Trainer<float>;
template class Trainer<double>;

}  // namespace gradlab
