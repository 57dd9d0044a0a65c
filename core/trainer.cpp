#include "trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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
  check_trainer_memory(network_.config(), train_, sizeof(T));
  stats_.resize(network_.num_layers());
  for (const auto& s : kProbeStatistics) (probe_.*s.values).assign(static_cast<size_t>(network_.num_layers()), 0.0);
  order_.resize(static_cast<size_t>(train_data_->size()));
  updater_.reset(network_.num_layers());
  cursor_ = train_data_->size();  // the first step draws a fresh permutation
  if (train_.pretrain_epochs > 0)
    pretrainer_ = std::make_unique<Pretrainer<T>>(network_, *train_data_, train_.pretrain_epochs, net.seed);
}


namespace {
// The bytes of a trainer that do not grow with its mini-batch: the network's
// parameters (with gradients and moments), the largest sweep chunk's caches, and
// the largest pretraining autoencoder's parameters. A mini-batch of m adds m
// examples' caches to the network and (while pretraining) to the autoencoder.
struct MemorySplit {
  double fixed = 0, per_example = 0;
};
// Examples in a sweep's chunk (but a batch-norm probe's, which is a mini-batch).
int chunk_for(const MemoryModel& m) {
  return static_cast<int>(std::clamp(std::floor(kSweepBytes / m.per_example_bytes), 1.0, double(kMaxSweepChunk)));
}
MemorySplit memory_split(const NetworkConfig& c, const TrainConfig& t, int scalar_bytes) {
  const MemoryModel m = memory_model(c, scalar_bytes);
  const double chunk = chunk_for(m);
  MemorySplit s{m.parameter_bytes, m.per_example_bytes};
  // A step's caches and a sweep's are the same buffers: the larger one counts.
  s.fixed += std::max(0.0, chunk - t.batch_size) * m.per_example_bytes;
  if (t.pretrain_epochs > 0) {
    MemoryModel largest;
    for (size_t l = 0; l + 2 < c.layers.size(); ++l) {
      NetworkConfig ae = c;
      ae.layers = {c.layers[l], c.layers[l + 1], c.layers[l]};
      ae.residual = false;
      const MemoryModel a = memory_model(ae, scalar_bytes);
      if (a.parameter_bytes + a.per_example_bytes > largest.parameter_bytes + largest.per_example_bytes) largest = a;
    }
    s.fixed += largest.parameter_bytes;
    s.per_example += largest.per_example_bytes;
  }
  return s;
}
}  // namespace

template <typename T>
int Trainer<T>::sweep_chunk(Pass pass) const {
  if (pass == Pass::probe && network_.config().batch_norm) return train_.batch_size;
  return chunk_for(memory_model(network_.config(), sizeof(T)));
}

double trainer_memory_bytes(const NetworkConfig& net, const TrainConfig& t, int scalar_bytes) {
  const MemorySplit s = memory_split(net, t, scalar_bytes);
  return s.fixed + t.batch_size * s.per_example;
}

void check_trainer_memory(const NetworkConfig& net, const TrainConfig& t, int scalar_bytes) {
  const double bytes = trainer_memory_bytes(net, t, scalar_bytes);
  if (bytes <= kMemoryBudgetBytes) return;
  const MemorySplit s = memory_split(net, t, scalar_bytes);
  const double most = std::floor((kMemoryBudgetBytes - s.fixed) / s.per_example);
  const auto mb = [](double b) { return std::to_string(static_cast<long>(std::ceil(b / 1048576))); };
  const std::string start = "memory: this network needs about " + mb(bytes) + " MB with a mini-batch of " +
                            std::to_string(t.batch_size) + ", more than the limit of " + mb(kMemoryBudgetBytes) + " MB; ";
  CoreError::Values values = {
      {"megabytes", mb(bytes)}, {"batch_size", std::to_string(t.batch_size)}, {"limit_megabytes", mb(kMemoryBudgetBytes)}};
  if (most < 1) throw CoreError("memory_limit_layers", values, start + "use fewer or narrower layers");
  const std::string largest = std::to_string(static_cast<long>(most));
  values.emplace_back("max_batch_size", largest);
  throw CoreError("memory_limit", values,
                  start + "use a mini-batch of at most " + largest + ", or fewer or narrower layers");
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
  TrainConfig next = config;
  next.pretrain_epochs = train_.pretrain_epochs;
  check_trainer_memory(network_.config(), next, sizeof(T));
  if (config.optimizer != train_.optimizer) {
    updater_.reset(network_.num_layers());
    if (pretrainer_) pretrainer_->reset_optimizer();  // pretraining switches too, from t = 1
  }
  train_ = next;
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
  updater_.reset(network_.num_layers());
  pretrainer_.reset();
  if (train_.pretrain_epochs > 0)
    pretrainer_ = std::make_unique<Pretrainer<T>>(network_, *train_data_, train_.pretrain_epochs, seed);
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
bool Trainer<T>::diverge(int layer, const char* code) {
  // While pretraining, the step counted is the pretraining step (fine-tuning has not begun).
  const bool pretrain = pretraining();
  const long step = (pretrain ? pretrainer_->steps() : step_) + 1;
  const char* what = "?";  // a code missing from kDivergenceCodes is a bug
  for (const auto& d : kDivergenceCodes)
    if (std::string_view(code) == d.code) what = d.what;
  divergence_.diverged = true;
  divergence_.step = step;
  divergence_.layer = layer;
  divergence_.code = code;
  divergence_.what = what;
  divergence_.message = std::string("diverged at ") + (pretrain ? "pretraining step " : "step ") + std::to_string(step) + ": the " + what + " of " +
                        layer_name(layer, network_.num_layers()) +
                        " became NaN or infinite; training stopped (reset to start again)";
  return false;
}

template <typename T>
int Trainer<T>::measure_forward() {
  // Mean and spread of every layer's activations; the first layer whose values
  // are not all finite, or −1.
  const int L = network_.num_layers();
  int bad = -1;
  for (int l = 0; l < L; ++l) {
    const Matrix<T>& A = network_.layer(l).A;
    const ActivationSums& sums = network_.layer(l).sums;  // summed by the forward pass, if valid
    const double count = static_cast<double>(A.size());
    const double sum = sums.valid ? sums.a_sum : static_cast<double>(A.sum());
    const double mean = sum / count;
    // Two passes: E[(a − mean)²], not E[a²] − mean², which cancels when the spread is small.
    const double var = static_cast<double>((A.array() - static_cast<T>(mean)).square().sum()) / count;
    stats_.activation_mean[l] = mean;
    stats_.activation_std[l] = std::sqrt(var);
    // A bounded φ (sigmoid, tanh, the output layer) hides an infinite z: check z too.
    const Matrix<T>& Z = network_.layer(l).Z;
    const double z_sum = sums.valid ? sums.z_sum : static_cast<double>(Z.sum());
    if (bad < 0 && !((std::isfinite(sum) || A.allFinite()) && (std::isfinite(z_sum) || Z.allFinite())))
      bad = l;
  }
  return bad;
}

template <typename T>
int Trainer<T>::measure_backward() {
  // Every layer's speed, gradient norm and saturation; the first layer in
  // backprop order (the highest) whose gradient is not finite, or −1.
  const int L = network_.num_layers();
  int bad = -1;
  for (int l = L - 1; l >= 0; --l) {
    auto& layer = network_.layer(l);
    stats_.batch_speed[l] = frobenius_norm(layer.speed_gradient());
    // The product that wrote dW measured its squares on the way (NaN if not).
    const double sq = layer.dW_squared_norm;
    stats_.weight_grad_norm[l] = std::isfinite(sq) ? std::sqrt(sq) : frobenius_norm(layer.dW);
    stats_.saturation[l] = l < L - 1 ? network_.activation().saturated_fraction(layer.D, layer.sums) : 0.0;
    if (bad < 0 && !(std::isfinite(stats_.batch_speed[l]) && std::isfinite(stats_.weight_grad_norm[l]))) bad = l;
  }
  return bad;
}

template <typename T>
bool Trainer<T>::step() {
  if (divergence_.diverged) return false;
  if (pretraining()) {
    const int layer = pretrainer_->layer();
    if (!pretrainer_->step(train_, train_data_->size())) return diverge(layer, "pretraining");
    return true;
  }
  const int n = train_data_->size();
  if (cursor_ >= n) next_epoch_order();
  const int m = std::min(train_.batch_size, n - cursor_);
  gather_batch(cursor_, m);

  auto& net = network_;
  const int L = net.num_layers();
  // Forward, and what the activations look like.
  const Matrix<T>& out = net.forward(X_);
  const double loss = net.cost_sum(Y_) / m;
  if (!measuring_) {  // training only: the loss and the update's check catch a divergence
    if (!std::isfinite(loss)) return diverge(L - 1, "loss");
    net.backward(X_, Y_);
    const int bad = updater_.apply(net, train_, n, nullptr);
    if (bad >= 0) return diverge(bad, "weights");
    ++step_;
    cursor_ += m;
    if (cursor_ >= n) ++epoch_;
    return true;
  }
  stats_.step = step_ + 1;
  stats_.epoch = epoch_;
  stats_.batch_size = m;
  const int bad_activation = measure_forward();
  stats_.loss = loss;
  int correct = 0;
  for (int j = 0; j < m; ++j) correct += output_correct(out, j, batch_labels_[static_cast<size_t>(j)]);
  stats_.accuracy = static_cast<double>(correct) / m;
  if (bad_activation >= 0) return diverge(bad_activation, "activations");
  if (!std::isfinite(stats_.loss)) return diverge(L - 1, "loss");

  // Backward, and each layer's speed.
  net.backward(X_, Y_);
  const int bad_gradient = measure_backward();
  if (bad_gradient >= 0) return diverge(bad_gradient, "gradients");

  // The global gradient norm from the per-layer norms just measured, and γ's.
  double grad_sq = 0;
  for (int l = 0; l < L; ++l) {
    const double g = frobenius_norm(net.layer(l).dgamma);
    grad_sq += stats_.weight_grad_norm[l] * stats_.weight_grad_norm[l] + stats_.batch_speed[l] * stats_.batch_speed[l] + g * g;
  }
  const int bad_update = updater_.apply(net, train_, n, &stats_, std::sqrt(grad_sq));
  if (bad_update >= 0) return diverge(bad_update, "weights");
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
template <typename ColumnsFn, typename ChunkFn>
void Trainer<T>::sweep_chunks(Eigen::Index n, Pass pass, ColumnsFn&& columns_of, ChunkFn&& after_forward) {
  // The one sweep of the probe, the evaluations and the predictions: n examples
  // in chunks of sweep_chunk(pass), each forwarded, then `after_forward(begin,
  // count, X, outputs)` for what the caller needs.
  const int chunk = sweep_chunk(pass);
  for (Eigen::Index begin = 0; begin < n; begin += chunk) {
    const auto count = std::min<Eigen::Index>(chunk, n - begin);
    const MatrixView<T> X = columns_of(begin, count);
    const Matrix<T>& out = network_.forward(X, pass);
    after_forward(begin, count, X, out);
  }
}

template <typename T>
template <typename ChunkFn>
Evaluation Trainer<T>::sweep(const Dataset& d, int n, Pass pass, ChunkFn&& after_forward) {
  // The first n examples of d: cost and accuracy, then `after_forward(X, Y)`.
  Matrix<T> scratch, Y;
  double cost = 0.0;
  long correct = 0;
  sweep_chunks(
      n, pass, [&](Eigen::Index begin, Eigen::Index count) {
        return columns(d, static_cast<int>(begin), static_cast<int>(count), scratch);
      },
      [&](Eigen::Index begin, Eigen::Index count, const MatrixView<T>& X, const Matrix<T>& out) {
        make_targets(d.labels, static_cast<int>(begin), static_cast<int>(count), Y);
        cost += network_.cost_sum(Y);
        for (Eigen::Index j = 0; j < count; ++j)
          correct += output_correct(out, j, d.labels[static_cast<size_t>(begin + j)]);
        after_forward(X, Y);
      });
  return n > 0 ? Evaluation{cost / n, static_cast<double>(correct) / n, n} : Evaluation{};
}

template <typename T>
const Probe& Trainer<T>::probe(int n) {
  require(n >= 1, "probe: need at least one example (got " + std::to_string(n) + ")");
  const Dataset& d = *train_data_;
  n = std::min(n, d.size());
  const int L = network_.num_layers();
  const auto at = [](int l) { return static_cast<size_t>(l); };
  std::vector<Vector<double>> delta_sum(at(L));
  std::vector<double> sq_sum(at(L), 0.0), gain_sq_sum(at(L), 0.0), dphi_sum(at(L), 0.0);
  for (int l = 0; l < L; ++l) delta_sum[at(l)].setZero(network_.layer(l).fan_out());
  probe_.evaluation = sweep(d, n, Pass::probe, [&](const MatrixView<T>& X, const Matrix<T>& Y) {
    network_.backward(X, Y, /*weight_grads=*/false);
    Eigen::RowVectorXd next_norm;  // ‖δ^{l+1}_x‖ per example of the chunk
    for (int l = L - 1; l >= 0; --l) {
      const auto& layer = network_.layer(l);
      delta_sum[at(l)] += layer.delta().rowwise().sum().template cast<double>();
      // In double before squaring: a deep sigmoid network's δ of 1e-25 squares to
      // nothing in float.
      const Eigen::RowVectorXd sq = layer.delta().template cast<double>().colwise().squaredNorm();
      sq_sum[at(l)] += sq.sum();
      const Eigen::RowVectorXd norm = sq.array().sqrt();
      if (l < L - 1) {
        // 0/0 (no gradient at all) counts as a gain of 0; x/0 is infinite.
        for (Eigen::Index x = 0; x < norm.size(); ++x)
          if (norm[x] > 0) gain_sq_sum[at(l)] += (norm[x] / next_norm[x]) * (norm[x] / next_norm[x]);
        dphi_sum[at(l)] += layer.D.cwiseAbs().template cast<double>().sum();
      }
      next_norm = norm;
    }
  });
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int l = 0; l < L; ++l) {
    probe_.speed[at(l)] = delta_sum[at(l)].norm() / n;
    probe_.grad_rms[at(l)] = std::sqrt(sq_sum[at(l)] / n);
    const bool hidden = l < L - 1;
    probe_.gain[at(l)] = hidden ? std::sqrt(gain_sq_sum[at(l)] / n) : nan;
    probe_.dphi_mean[at(l)] = hidden ? dphi_sum[at(l)] / (static_cast<double>(n) * network_.layer(l).fan_out()) : nan;
    if (hidden) {
      const auto& W = network_.layer(l + 1).W;
      probe_.weight_gain[at(l)] = frobenius_norm(W) / std::sqrt(static_cast<double>(std::min(W.rows(), W.cols())));
    } else {
      probe_.weight_gain[at(l)] = nan;
    }
  }
  return probe_;
}

template <typename T>
const Histograms& Trainer<T>::histograms(int n, int bins) {
  require(n >= 1, "histograms: need at least one example (got " + std::to_string(n) + ")");
  require(bins >= 2 && bins <= kMaxHistogramBins,
          "histograms: bins must be from 2 to " + std::to_string(kMaxHistogramBins) + " (got " + std::to_string(bins) + ")");
  const Dataset& d = *train_data_;
  n = std::min({n, d.size(), sweep_chunk(Pass::probe)});
  Matrix<T> scratch, Y;
  const MatrixView<T> X = columns(d, 0, n, scratch);
  network_.forward(X, Pass::probe);
  make_targets(d.labels, 0, n, Y);
  network_.backward(X, Y, /*weight_grads=*/true);  // dW is the next step's to overwrite

  const int H = network_.num_hidden();
  const auto& phi = network_.activation();
  std::vector<Matrix<T>> outputs(static_cast<size_t>(H));  // φ(y), without a shortcut's input
  std::vector<const Matrix<T>*> a, z, delta, dW;
  histograms_.flat.assign(static_cast<size_t>(H), 0.0);
  for (int l = 0; l < H; ++l) {
    const auto& layer = network_.layer(l);
    const auto i = static_cast<size_t>(l);
    if (layer.residual) phi.forward(layer.phi_input(), outputs[i]);
    a.push_back(layer.residual ? &outputs[i] : &layer.A);
    z.push_back(&layer.phi_input());
    delta.push_back(&layer.delta());
    dW.push_back(&layer.dW);
    histograms_.flat[i] = phi.flat_fraction(layer.D);
  }
  double lo = 0, hi = 1;
  if (phi.bounded_range(lo, hi)) fill_histogram(a, HistogramRange::fixed, bins, histograms_.activation, lo, hi);
  else fill_histogram(a, HistogramRange::span, bins, histograms_.activation);
  fill_histogram(z, HistogramRange::symmetric, bins, histograms_.preactivation);
  fill_histogram(delta, HistogramRange::symmetric, bins, histograms_.delta);
  fill_histogram(dW, HistogramRange::symmetric, bins, histograms_.weight_grad);
  histograms_.examples = n;
  return histograms_;
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

template <typename T>
void Trainer<T>::predict(const MatrixView<T>& X, Matrix<T>& out) {
  require(X.rows() == network_.input_width(), "predict: the inputs have the wrong width");
  out.resize(network_.output_width(), X.cols());
  sweep_chunks(
      X.cols(), Pass::eval, [&](Eigen::Index begin, Eigen::Index count) { return MatrixView<T>(X.middleCols(begin, count)); },
      [&](Eigen::Index begin, Eigen::Index count, const MatrixView<T>&, const Matrix<T>& outputs) {
        out.middleCols(begin, count) = outputs;
      });
}

template class Trainer<float>;
template class Trainer<double>;

}  // namespace gradlab
