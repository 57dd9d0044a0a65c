#include "session.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gradlab {

namespace {
int g_live_sessions = 0;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

std::string range_message(const char* name, double lo, double hi, double got) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%s must be between %g and %g (got %g)", name, lo, hi, got);
  return buf;
}

void validate(const ExperimentConfig& c) {
  auto in = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  require(in(c.depth, 1, kMaxDepth), range_message("depth (hidden layers)", 1, kMaxDepth, c.depth));
  require(in(c.width, 1, kMaxSessionWidth), range_message("width (units per hidden layer)", 1, kMaxSessionWidth, c.width));
  require(in(c.noise, 0, 1), range_message("noise", 0, 1, c.noise));
  require(in(c.samples, 20, 20000), range_message("samples", 20, 20000, c.samples));
  require(in(c.probe_size, 1, 10000), range_message("probe size", 1, 10000, c.probe_size));
  require(in(c.train_size, 0, 1000000), range_message("train size", 0, 1000000, c.train_size));
  require(in(c.test_size, -1, 1000000), range_message("test size", -1, 1000000, c.test_size));
  require(c.seed >= 0, range_message("seed", 0, 2147483647, c.seed));
  require(c.data_seed >= 0, range_message("data seed", 0, 2147483647, c.data_seed));
}

TrainConfig train_config(const ExperimentConfig& c) {
  TrainConfig t;
  t.learning_rate = c.learning_rate;
  t.batch_size = c.batch_size;
  t.l2 = c.l2;
  t.l1 = c.l1;
  t.optimizer = c.optimizer;
  t.momentum = c.momentum;
  t.clip_norm = c.clip_norm;
  t.clip_value = c.clip_value;
  t.pretrain_epochs = c.pretrain_epochs;
  return t;
}

bool same_data(const ExperimentConfig& a, const ExperimentConfig& b) {
  if (a.data != b.data || a.data_seed != b.data_seed || a.train_size != b.train_size || a.test_size != b.test_size)
    return false;
  return a.data == DataSource::mnist || (a.noise == b.noise && a.samples == b.samples);
}

}  // namespace

Session::Session() { ++g_live_sessions; }
Session::~Session() { --g_live_sessions; }
int Session::live_count() { return g_live_sessions; }

void Session::load_mnist(const uint8_t* bytes, size_t size) {
  mnist_ = std::make_shared<const Dataset>(parse_mnist(bytes, size));
}

NetworkConfig Session::network_config(const ExperimentConfig& c, const Dataset& data) const {
  NetworkConfig n;
  n.layers = {data.features()};
  for (int i = 0; i < c.depth; ++i) n.layers.push_back(c.width);
  // Two classes: one sigmoid output, or two softmax outputs for the log-likelihood.
  n.layers.push_back(data.num_classes == 2 && c.cost != Cost::log_likelihood ? 1 : data.num_classes);
  n.activation = c.activation;
  n.leaky_slope = c.leaky_slope;
  n.elu_alpha = c.elu_alpha;
  n.cost = c.cost;
  n.weight_init = c.weight_init;
  n.bias_init = c.bias_init;
  n.init.sigma_w = c.sigma_w;
  n.init.sigma_b = c.sigma_b;
  n.init.weight_constant = c.weight_constant;
  n.init.bias_constant = c.bias_constant;
  n.batch_norm = c.batch_norm;
  n.residual = c.residual;
  n.seed = static_cast<uint64_t>(c.seed);
  return n;
}

bool Session::configure(const ExperimentConfig& c) {
  validate(c);
  const TrainConfig t = train_config(c);
  gradlab::validate(t);

  // Rebuild when the data or the network a config describes differ from the
  // trainer's (compared on the derived NetworkConfig, so a new field cannot be
  // forgotten here), or pretraining is asked for anew.
  const bool data_changed = !trainer_ || !same_data(c, config_);
  if (!data_changed && network_config(c, *train_) == trainer_->network().config() &&
      c.pretrain_epochs == config_.pretrain_epochs) {
    trainer_->set_train_config(t);
    config_ = c;
    return false;
  }
  auto train = train_, test = test_;
  if (data_changed) {
    Dataset toy;
    const Dataset* all = &toy;
    int held_out;
    if (c.data == DataSource::mnist) {
      require(mnist_ != nullptr, "the MNIST digits are not loaded (mnist.bin is missing); choose a 2-D dataset");
      all = mnist_.get();
      held_out = c.test_size >= 0 ? c.test_size : 2000;
    } else {
      toy = make_toy(parse_toy(to_string(c.data)), c.samples, c.noise, static_cast<uint64_t>(c.data_seed));
      held_out = c.test_size >= 0 ? c.test_size : c.samples / 5;
    }
    Split split = shuffle_split(*all, held_out, static_cast<uint64_t>(c.data_seed));
    if (c.train_size > 0) split.train = take(split.train, c.train_size);
    train = std::make_shared<const Dataset>(std::move(split.train));
    test = std::make_shared<const Dataset>(std::move(split.test));
  }
  // Build first, swap after: a config that throws leaves the session as it was.
  auto trainer = std::make_unique<Trainer<float>>(network_config(c, *train), t, train, test);
  trainer_ = std::move(trainer);
  train_ = std::move(train);
  test_ = std::move(test);
  config_ = c;
  return true;
}

Trainer<float>& Session::trainer() {
  if (!trainer_) throw std::logic_error("session: configure() before using the trainer");
  return *trainer_;
}

int Session::step(int n) {
  Trainer<float>& t = trainer();
  int done = 0;
  while (done < n && t.step()) ++done;
  return done;
}

void Session::reset() { trainer().reset(static_cast<uint64_t>(config_.seed)); }

const Probe& Session::probe() { return trainer().probe(config_.probe_size); }

Evaluation Session::evaluate_test(int max_examples) { return trainer().evaluate_test(max_examples); }

const std::vector<int>& Session::layer_widths() const {
  static const std::vector<int> none;
  return trainer_ ? trainer_->network().config().layers : none;
}

const std::vector<float>& Session::decision_grid(int resolution, double extent) {
  Trainer<float>& t = trainer();
  require(t.network().input_width() == 2, "decision grid: the data are not 2-D");
  require(resolution >= 2 && resolution <= 512, range_message("grid resolution", 2, 512, resolution));
  Matrix<float> X(2, resolution * resolution);
  for (int row = 0; row < resolution; ++row)
    for (int col = 0; col < resolution; ++col) {
      const double x = -extent + 2.0 * extent * col / (resolution - 1);
      const double y = extent - 2.0 * extent * row / (resolution - 1);
      X(0, row * resolution + col) = static_cast<float>(x);
      X(1, row * resolution + col) = static_cast<float>(y);
    }
  const Matrix<float>& out = t.network().forward(X, Pass::eval);
  const int positive = out.rows() == 1 ? 0 : 1;
  grid_.resize(static_cast<size_t>(X.cols()));
  for (Eigen::Index j = 0; j < X.cols(); ++j) grid_[static_cast<size_t>(j)] = out(positive, j);
  return grid_;
}

const std::vector<float>& Session::test_outputs(int count) {
  Trainer<float>& t = trainer();
  count = std::max(0, std::min(count, test_->size()));
  Matrix<float> X;
  test_->columns(0, count, X);
  const Matrix<float>& out = t.network().forward(X, Pass::eval);
  outputs_.assign(out.data(), out.data() + out.size());
  return outputs_;
}

}  // namespace gradlab
