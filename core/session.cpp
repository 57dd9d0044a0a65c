#include "session.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace gradlab {

namespace {
int g_live_sessions = 0;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

bool same_data(const ExperimentConfig& a, const ExperimentConfig& b) {
  if (a.dataset != b.dataset || a.data_seed != b.data_seed || a.train_size != b.train_size ||
      a.test_fraction != b.test_fraction)
    return false;
  if (a.dataset == DataSource::mnist) return true;
  return a.noise == b.noise && a.samples == b.samples && (a.dataset != DataSource::gaussian || a.inputs == b.inputs);
}

}  // namespace

NetworkConfig network_config(const ExperimentConfig& c, int features, int classes) {
  NetworkConfig n;
  n.layers = {features};
  for (int i = 0; i < c.depth; ++i) n.layers.push_back(c.width);
  // Two classes: one sigmoid output, or two softmax outputs for the log-likelihood.
  n.layers.push_back(classes == 2 && c.cost != Cost::log_likelihood ? 1 : classes);
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

Session::Session() { ++g_live_sessions; }
Session::~Session() { --g_live_sessions; }
int Session::live_count() { return g_live_sessions; }

void Session::load_mnist(const uint8_t* bytes, size_t size) {
  mnist_ = std::make_shared<const Dataset>(parse_mnist(bytes, size));
}

bool Session::configure(const ExperimentConfig& c) {
  validate(c);
  const TrainConfig t = train_config(c);

  // Rebuild when the data or the network a config describes differ from the
  // trainer's (compared on the derived NetworkConfig, so a new field cannot be
  // forgotten here), or pretraining is asked for anew.
  const bool data_changed = !trainer_ || !same_data(c, config_);
  if (!data_changed && network_config(c, train_->features(), train_->num_classes) == trainer_->network().config() &&
      c.pretrain_epochs == config_.pretrain_epochs) {
    trainer_->set_train_config(t);
    config_ = c;
    return false;
  }
  auto train = train_, test = test_;
  if (data_changed) {
    Dataset toy;
    const Dataset* all = &toy;
    if (c.dataset == DataSource::mnist) {
      if (!mnist_)
        throw CoreError("mnist_not_loaded", {},
                        "the MNIST digits are not loaded (mnist.bin is missing); choose a 2-D dataset");
      all = mnist_.get();
    } else if (c.dataset == DataSource::gaussian) {
      toy = make_gaussian(c.samples, c.inputs, c.noise, static_cast<uint64_t>(c.data_seed));
    } else {
      toy = make_toy(parse_toy(to_string(c.dataset)), c.samples, c.noise, static_cast<uint64_t>(c.data_seed));
    }
    const int held_out = static_cast<int>(std::lround(c.test_fraction * all->size()));
    Split split = shuffle_split(*all, held_out, static_cast<uint64_t>(c.data_seed));
    if (c.train_size > split.train.size())
      throw CoreError("train_size_too_large",
                      {{"value", std::to_string(c.train_size)}, {"max", std::to_string(split.train.size())}},
                      "trainSize: " + std::to_string(c.train_size) + " is more than the " +
                          std::to_string(split.train.size()) + " training examples of this split");
    if (c.train_size > 0) split.train = take(split.train, c.train_size);
    train = std::make_shared<const Dataset>(std::move(split.train));
    test = std::make_shared<const Dataset>(std::move(split.test));
  }
  // Everything that can refuse the config is checked before the old trainer is
  // freed (so a refused config leaves the session as it was), and the old one is
  // freed before the new one is built (so a rebuild never holds two networks:
  // the memory budget bounds the peak, and wasm memory never shrinks).
  const NetworkConfig net = network_config(c, train->features(), train->num_classes);
  validate(net);
  check_trainer_memory(net, t, sizeof(float));
  trainer_.reset();
  trainer_ = std::make_unique<Trainer<float>>(net, t, train, test);
  train_ = std::move(train);
  test_ = std::move(test);
  config_ = c;
  return true;
}

Trainer<float>& Session::trainer() {
  if (!trainer_) throw std::logic_error("session: configure() before using the trainer");
  return *trainer_;
}

int Session::step(int n, bool measure) {
  Trainer<float>& t = trainer();
  t.set_measuring(measure);
  int done = 0;
  while (done < n && t.step()) ++done;
  t.set_measuring(true);
  return done;
}

void Session::reset() { trainer().reset(static_cast<uint64_t>(config_.seed)); }

ViewPlan Session::view_plan() const {
  ViewPlan v;
  if (!trainer_) return v;
  const double params = static_cast<double>(trainer_->network().parameter_count());
  const int affordable = static_cast<int>(std::clamp(std::floor(kViewMultiplyAdds / params),
                                                     double(kMinProbeExamples), double(kNielsenProbeExamples)));
  const int train = train_->size(), test = test_->size();
  v.probe_examples = std::min(train, config_.probe_size > 0 ? config_.probe_size : affordable);
  v.probe_thinned = config_.probe_size == 0 && affordable < std::min(train, kNielsenProbeExamples);
  v.test_examples = std::min(test, affordable);
  v.test_thinned = affordable < std::min(test, kNielsenProbeExamples);
  // The grid is refreshed less often than the probe: four view passes' worth.
  v.grid_resolution = static_cast<int>(std::clamp(std::floor(std::sqrt(4 * kViewMultiplyAdds / params)),
                                                  double(kMinGridResolution), double(kGridResolution)));
  v.grid_thinned = v.grid_resolution < kGridResolution;
  return v;
}

const Probe& Session::probe() { return trainer().probe(view_plan().probe_examples); }

const Histograms& Session::histograms(int bins) { return trainer().histograms(view_plan().probe_examples, bins); }

const std::vector<double>& Session::activation_curve(double lo, double hi, int n) {
  if (!(std::isfinite(lo) && std::isfinite(hi) && hi > lo) || n < 2 || n > kMaxCurvePoints)
    throw std::invalid_argument("activation curve: need lo < hi, both finite, and 2 to " + std::to_string(kMaxCurvePoints) + " points");
  // In double, by the same template as training: a diverged network's z of 1e38
  // must not overflow the curve.
  activation_in_double().curve(lo, hi, n, curve_);
  return curve_;
}

double Session::activation_peak() { return activation_in_double().derivative_max(); }

MeanField Session::mean_field() { return mean_field_of(trainer().network().config()); }

const std::vector<double>& Session::critical_line(double max_sigma_b2, int n) {
  if (!(std::isfinite(max_sigma_b2) && max_sigma_b2 > 0) || n < 2 || n > kMaxCurvePoints)
    throw std::invalid_argument("critical line: need a finite maximum σ_b² > 0 and 2 to " + std::to_string(kMaxCurvePoints) + " points");
  // To 1e-4 (a plot's precision), each point's search starting from the one
  // before: the line rises with σ_b² for the usual activations (a point that is
  // not below it is ignored).
  const MeanFieldTheory theory(activation_in_double());
  critical_line_.resize(static_cast<size_t>(n));
  double below = 1e-3;
  for (int i = 0; i < n; ++i) {
    const double c = theory.critical_sigma_w2(max_sigma_b2 * i / (n - 1), 1e-4, below);
    critical_line_[static_cast<size_t>(i)] = c;
    if (std::isfinite(c)) below = 0.999 * c;
  }
  return critical_line_;
}

double Session::init_sigma_w2(WeightInit init) {
  NetworkConfig c = trainer().network().config();
  c.weight_init = init;
  return effective_sigmas(c).first;
}

ActivationFn<double> Session::activation_in_double() {
  const NetworkConfig& net = trainer().network().config();
  return ActivationFn<double>(net.activation, net.leaky_slope, net.elu_alpha);
}

Evaluation Session::evaluate_test() { return trainer().evaluate_test(view_plan().test_examples); }

const std::vector<int>& Session::layer_widths() const {
  static const std::vector<int> none;
  return trainer_ ? trainer_->network().config().layers : none;
}

std::vector<uint8_t> Session::shortcuts() const {
  std::vector<uint8_t> out;
  if (!trainer_) return out;
  const Network<float>& net = trainer_->network();
  for (int l = 0; l < net.num_layers(); ++l) out.push_back(net.layer(l).residual ? 1 : 0);
  return out;
}

const std::vector<float>& Session::decision_grid(double extent) {
  Trainer<float>& t = trainer();
  require(t.network().input_width() == 2, "decision grid: the data are not 2-D");
  const int resolution = view_plan().grid_resolution;
  Matrix<float> X(2, resolution * resolution), out;
  for (int row = 0; row < resolution; ++row)
    for (int col = 0; col < resolution; ++col) {
      const double x = -extent + 2.0 * extent * col / (resolution - 1);
      const double y = extent - 2.0 * extent * row / (resolution - 1);
      X(0, row * resolution + col) = static_cast<float>(x);
      X(1, row * resolution + col) = static_cast<float>(y);
    }
  t.predict(X, out);
  const int positive = out.rows() == 1 ? 0 : 1;
  grid_.resize(static_cast<size_t>(X.cols()));
  for (Eigen::Index j = 0; j < X.cols(); ++j) grid_[static_cast<size_t>(j)] = out(positive, j);
  return grid_;
}

const std::vector<float>& Session::test_outputs(int count) {
  Trainer<float>& t = trainer();
  count = std::max(0, std::min(count, test_->size()));
  Matrix<float> X, out;
  test_->columns(0, count, X);
  t.predict(X, out);
  outputs_.assign(out.data(), out.data() + out.size());
  return outputs_;
}

const std::vector<float>& Session::parameters() {
  const Network<float>& net = trainer().network();
  parameters_.clear();
  auto add = [this](const auto& m) { parameters_.insert(parameters_.end(), m.data(), m.data() + m.size()); };
  for (int l = 0; l < net.num_layers(); ++l) {
    const Layer<float>& layer = net.layer(l);
    add(layer.W);
    add(layer.b);
    add(layer.gamma);
    add(layer.beta);
    add(layer.running_mean);
    add(layer.running_var);
  }
  return parameters_;
}

}  // namespace gradlab
