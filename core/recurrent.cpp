#include "recurrent.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "rng.hpp"

namespace gradlab {

namespace {
void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

template <typename T>
auto logistic(const Eigen::MatrixBase<T>& z) {
  return z.array().logistic();
}
}  // namespace

Sequences make_sequences(SequenceTask task, int n, int length, int symbols, uint64_t seed) {
  require(n >= 1 && n <= 1'000'000, "sequences: n must be in [1, 1000000]");
  require(length >= 2 && length <= 10'000, "sequences: the length must be in [2, 10000]");
  require(task != SequenceTask::first || (symbols >= 2 && symbols <= 255), "sequences: symbols must be in [2, 255]");
  Rng rng(seed, Stream::toy_points);
  Sequences s;
  s.task = task;
  const int features = task == SequenceTask::first ? symbols : 2;
  s.inputs.assign(static_cast<size_t>(length), Matrix<float>::Zero(features, n));
  for (int x = 0; x < n; ++x) {
    if (task == SequenceTask::first) {
      for (int t = 0; t < length; ++t) {
        const int symbol = static_cast<int>(rng.below(static_cast<uint64_t>(symbols)));
        s.inputs[static_cast<size_t>(t)](symbol, x) = 1.0f;
        if (t == 0) s.labels.push_back(static_cast<uint8_t>(symbol));
      }
    } else {
      // One marked value in each half (Hochreiter & Schmidhuber's adding problem).
      const int half = length / 2;
      const int a = static_cast<int>(rng.below(static_cast<uint64_t>(half)));
      const int b = half + static_cast<int>(rng.below(static_cast<uint64_t>(length - half)));
      double sum = 0;
      for (int t = 0; t < length; ++t) {
        const double v = rng.uniform();
        s.inputs[static_cast<size_t>(t)](0, x) = static_cast<float>(v);
        if (t == a || t == b) {
          s.inputs[static_cast<size_t>(t)](1, x) = 1.0f;
          sum += static_cast<double>(static_cast<float>(v));
        }
      }
      s.targets.push_back(static_cast<float>(sum));
    }
  }
  return s;
}

SequenceSplit make_sequence_split(SequenceTask task, int train, int test, int length, int symbols, uint64_t seed) {
  constexpr uint64_t kTestSeedOffset = 1'000'003;  // a seed no training set of a nearby seed uses
  return {make_sequences(task, train, length, symbols, seed), make_sequences(task, test, length, symbols, seed + kTestSeedOffset)};
}

template <typename T>
RecurrentNet<T>::RecurrentNet(const RecurrentConfig& c) : config_(c) {
  require(c.inputs >= 1 && c.hidden >= 1 && c.outputs >= 1, "recurrent: inputs, hidden and outputs must be ≥ 1");
  require(std::isfinite(c.forget_bias) && std::isfinite(c.recurrent_scale) && c.recurrent_scale >= 0,
          "recurrent: the forget bias must be finite and the recurrent scale ≥ 0");
  const int H = c.hidden, G = gates() * H;
  Rng rng(c.seed, Stream::weights);
  auto normal = [&](int rows, int cols, double sd) {
    Matrix<T> m(rows, cols);
    for (int r = 0; r < rows; ++r)
      for (int k = 0; k < cols; ++k) m(r, k) = static_cast<T>(sd * rng.normal());
    return m;
  };
  params_.resize(5);
  params_[0].value = normal(G, c.inputs, 1.0 / std::sqrt(static_cast<double>(c.inputs)));  // W_x
  params_[1].value = normal(G, H, c.recurrent_scale / std::sqrt(static_cast<double>(H)));  // W_h
  params_[2].value = Matrix<T>::Zero(G, 1);                                                  // b
  if (c.cell == Cell::lstm) params_[2].value.middleRows(H, H).setConstant(static_cast<T>(c.forget_bias));
  params_[3].value = normal(c.outputs, H, 1.0 / std::sqrt(static_cast<double>(H)));  // W_o
  params_[4].value = Matrix<T>::Zero(c.outputs, 1);                                  // b_o
  for (auto& p : params_) p.grad = Matrix<T>::Zero(p.value.rows(), p.value.cols());
}

template <typename T>
double RecurrentNet<T>::forward(const Sequences& data, int begin, int count) {
  require(data.features() == config_.inputs, "recurrent: the data have the wrong number of features");
  const int H = config_.hidden, B = count, Tn = data.length();
  const auto& Wx = params_[0].value;
  const auto& Wh = params_[1].value;
  const auto& b = params_[2].value;
  z_.resize(static_cast<size_t>(Tn));
  h_.resize(static_cast<size_t>(Tn));
  c_.resize(static_cast<size_t>(Tn));
  tc_.resize(static_cast<size_t>(Tn));
  Matrix<T> h = Matrix<T>::Zero(H, B), c = Matrix<T>::Zero(H, B);
  for (int t = 0; t < Tn; ++t) {
    const auto k = static_cast<size_t>(t);
    Matrix<T>& a = z_[k];  // the activated gates
    a.noalias() = Wx * data.inputs[k].middleCols(begin, B).template cast<T>();
    a.noalias() += Wh * h;
    a.colwise() += b.col(0);
    if (config_.cell == Cell::rnn) {
      a = a.array().tanh().matrix();
      h = a;
    } else {
      a.topRows(2 * H) = logistic(a.topRows(2 * H)).matrix();           // i, f
      a.middleRows(2 * H, H) = a.middleRows(2 * H, H).array().tanh().matrix();  // g
      a.bottomRows(H) = logistic(a.bottomRows(H)).matrix();              // o
      c = (a.middleRows(H, H).array() * c.array() + a.topRows(H).array() * a.middleRows(2 * H, H).array()).matrix();
      tc_[k] = c.array().tanh().matrix();
      c_[k] = c;
      h = (a.bottomRows(H).array() * tc_[k].array()).matrix();
    }
    h_[k] = h;
  }
  out_.noalias() = params_[3].value * h;
  out_.colwise() += params_[4].value.col(0);
  double loss = 0;
  if (config_.regression) {
    for (int x = 0; x < B; ++x) {
      const double d = static_cast<double>(out_(0, x)) - data.targets[static_cast<size_t>(begin + x)];
      loss += 0.5 * d * d;
    }
  } else {
    for (int x = 0; x < B; ++x) {
      auto col = out_.col(x);
      const T top = col.maxCoeff();
      col = (col.array() - top).exp().matrix();
      col /= col.sum();
      loss -= std::log(std::max(static_cast<double>(col(data.labels[static_cast<size_t>(begin + x)])), 1e-300));
    }
  }
  return loss / B;
}

template <typename T>
void RecurrentNet<T>::backward(const Sequences& data, int begin, int count) {
  const int H = config_.hidden, B = count, Tn = data.length();
  Matrix<T> dout = out_;  // ∂(mean loss)/∂(output's input)
  for (int x = 0; x < B; ++x) {
    if (config_.regression) dout(0, x) -= static_cast<T>(data.targets[static_cast<size_t>(begin + x)]);
    else dout(data.labels[static_cast<size_t>(begin + x)], x) -= T(1);
  }
  dout /= static_cast<T>(B);
  for (auto& p : params_) p.grad.setZero();
  params_[3].grad.noalias() = dout * h_.back().transpose();
  params_[4].grad = dout.rowwise().sum();
  const auto& Wh = params_[1].value;
  Matrix<T> dh = params_[3].value.transpose() * dout;  // ∂(mean loss)/∂h_T
  Matrix<T> dc = Matrix<T>::Zero(H, B), dz(gates() * H, B);
  grad_time_.assign(static_cast<size_t>(Tn), 0.0);
  for (int t = Tn - 1; t >= 0; --t) {
    const auto k = static_cast<size_t>(t);
    // One example's ∂L_x/∂h_t is B times its column of dh: the RMS over the batch.
    grad_time_[k] = std::sqrt(static_cast<double>(B)) * dh.template cast<double>().norm();
    const Matrix<T>& a = z_[k];
    if (config_.cell == Cell::rnn) {
      dz = (dh.array() * (T(1) - a.array().square())).matrix();
    } else {
      const auto i = a.topRows(H).array(), f = a.middleRows(H, H).array(), g = a.middleRows(2 * H, H).array(),
                 o = a.bottomRows(H).array();
      const auto tc = tc_[k].array();
      dc.array() += dh.array() * o * (T(1) - tc.square());
      const Matrix<T> c_prev = t > 0 ? c_[k - 1] : Matrix<T>::Zero(H, B);
      dz.topRows(H) = (dc.array() * g * i * (T(1) - i)).matrix();
      dz.middleRows(H, H) = (dc.array() * c_prev.array() * f * (T(1) - f)).matrix();
      dz.middleRows(2 * H, H) = (dc.array() * i * (T(1) - g.square())).matrix();
      dz.bottomRows(H) = (dh.array() * tc * o * (T(1) - o)).matrix();
      dc = (dc.array() * f).matrix();
    }
    params_[0].grad.noalias() += dz * data.inputs[k].middleCols(begin, B).template cast<T>().transpose();
    if (t > 0) params_[1].grad.noalias() += dz * h_[k - 1].transpose();
    params_[2].grad += dz.rowwise().sum();
    dh.noalias() = Wh.transpose() * dz;
  }
}

template <typename T>
double RecurrentNet<T>::accuracy(const Sequences& data, int begin, int count) const {
  int right = 0;
  for (int x = 0; x < count; ++x) {
    if (config_.regression) {
      right += std::abs(static_cast<double>(out_(0, x)) - data.targets[static_cast<size_t>(begin + x)]) < 0.04;
    } else {
      Eigen::Index best;
      out_.col(x).maxCoeff(&best);
      right += best == data.labels[static_cast<size_t>(begin + x)];
    }
  }
  return count > 0 ? static_cast<double>(right) / count : 0.0;
}

template <typename T>
RecurrentTrainer<T>::RecurrentTrainer(const RecurrentConfig& net, Sequences train, Sequences test, const Settings& settings)
    : RecurrentTrainer(net, std::make_shared<const Sequences>(std::move(train)),
                       std::make_shared<const Sequences>(std::move(test)), settings) {}

template <typename T>
RecurrentTrainer<T>::RecurrentTrainer(const RecurrentConfig& net, std::shared_ptr<const Sequences> train,
                                      std::shared_ptr<const Sequences> test, const Settings& settings)
    : net_(net), train_(std::move(train)), test_(std::move(test)), settings_(settings) {
  require(train_ && test_ && train_->size() >= 1, "recurrent: the training set is empty");
  require(train_->features() == net.inputs && (test_->size() == 0 || test_->features() == net.inputs),
          "recurrent: the sequences' features are not the network's inputs");
  check(settings);
}

template <typename T>
void RecurrentTrainer<T>::check(const Settings& settings) {
  require(settings.batch_size >= 1, "recurrent: the batch size must be ≥ 1");
  require(std::isfinite(settings.clip_norm) && settings.clip_norm >= 0, "recurrent: clip_norm must be ≥ 0");
}

template <typename T>
void RecurrentTrainer<T>::set_settings(const Settings& settings) {
  check(settings);
  if (settings.optimizer.kind != settings_.optimizer.kind)
    for (auto& p : net_.params()) p.moments = {};
  settings_ = settings;
}

template <typename T>
bool RecurrentTrainer<T>::step() {
  if (diverged_) return false;
  const Sequences& train = *train_;
  const int n = train.size(), m = std::min(settings_.batch_size, n);
  if (cursor_ + m > n) cursor_ = 0;
  net_.forward(train, cursor_, m);
  net_.backward(train, cursor_, m);
  auto& params = net_.params();
  double sq = 0;
  for (const auto& p : params) sq += p.grad.template cast<double>().squaredNorm();
  grad_norm_ = std::sqrt(sq);
  const double clip = settings_.clip_norm;
  const T scale = clip > 0 && grad_norm_ >= clip ? static_cast<T>(clip / grad_norm_) : T(1);
  // The optimizer's steps first (into the gradients), written only if every new value is finite.
  std::vector<Moments<T>> before;
  for (const auto& p : params) before.push_back(p.moments);
  bool finite = std::isfinite(grad_norm_);
  for (auto& p : params) {
    p.grad *= scale;
    optimizer_step(settings_.optimizer, p.grad.data(), p.grad.size(), p.moments);
    finite = finite && (p.value + p.grad).allFinite();
  }
  if (!finite) {
    for (size_t i = 0; i < params.size(); ++i) params[i].moments = before[i];
    diverged_ = true;
    return false;
  }
  for (auto& p : params) p.value += p.grad;
  cursor_ += m;
  ++steps_;
  return true;
}

template <typename T>
const std::vector<double>& RecurrentTrainer<T>::probe(int n, double* loss, double* accuracy) {
  const Sequences& train = *train_;
  n = std::max(1, std::min(n, train.size()));
  const double l = net_.forward(train, 0, n);
  if (loss) *loss = l;
  if (accuracy) *accuracy = net_.accuracy(train, 0, n);
  net_.backward(train, 0, n);
  return net_.grad_through_time();
}

template <typename T>
std::pair<double, double> RecurrentTrainer<T>::evaluate_test() {
  const Sequences& test = *test_;
  const int n = test.size(), chunk = kRecurrentProbeSequences;
  double loss = 0, right = 0;
  for (int begin = 0; begin < n; begin += chunk) {
    const int count = std::min(chunk, n - begin);
    loss += net_.forward(test, begin, count) * count;
    right += net_.accuracy(test, begin, count) * count;
  }
  return n > 0 ? std::pair{loss / n, right / n} : std::pair{0.0, 0.0};
}

template class RecurrentNet<float>;
template class RecurrentNet<double>;
template class RecurrentTrainer<float>;
template class RecurrentTrainer<double>;

}  // namespace gradlab
