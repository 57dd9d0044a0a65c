// The core's trainer against the naive reference of reference.hpp: 50 steps of
// mini-batch training for every activation and every remedy, the weights, biases,
// γ, β, running statistics and every reported statistic compared at every step
// to 1e-9 relative. The data set's size is not a multiple of the batch, so the
// epochs' last, smaller batches are covered too.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "reference.hpp"

using namespace gradlab;

namespace {

constexpr double kTolerance = 1e-9;

// |a − b| relative to the larger, with a floor for values that are ~0 in both.
bool close(double a, double b, double floor = 1e-12) {
  return a == b || std::abs(a - b) <= kTolerance * std::max({std::abs(a), std::abs(b), floor});
}

template <typename Derived>
double distance(const Eigen::MatrixBase<Derived>& core, const reference::Vec& ref, bool row_major_weights, int n_in) {
  double d = 0, n = 0;
  for (Eigen::Index j = 0; j < core.rows(); ++j)
    for (Eigen::Index k = 0; k < core.cols(); ++k) {
      const double r = row_major_weights ? ref[static_cast<size_t>(j * n_in + k)] : ref[static_cast<size_t>(j)];
      d += (core(j, k) - r) * (core(j, k) - r);
      n += r * r;
    }
  return std::sqrt(d) / std::max(std::sqrt(n), 1e-12);
}

// Glorot & Bengio's histogram of each layer's values on one common range, from
// histograms.hpp's definition, naively: compared with the core's below.
struct NaiveHistogram {
  double lo = 0, hi = 0;
  std::vector<reference::Vec> fraction;
  reference::Vec mean, sd, count;
};
NaiveHistogram naive_histogram(const std::vector<reference::Vec>& layers, int bins, const char* rule, double lo = 0, double hi = 1) {
  NaiveHistogram h;
  if (std::string(rule) != "fixed") {
    std::vector<double> all;
    for (const auto& v : layers) all.insert(all.end(), v.begin(), v.end());
    const double small = *std::min_element(all.begin(), all.end()), large = *std::max_element(all.begin(), all.end());
    if (std::string(rule) == "symmetric") lo = -std::max(-small, large), hi = -lo;
    else lo = small, hi = large;
    if (hi == lo) lo -= 0.5, hi += 0.5;
  }
  h.lo = lo, h.hi = hi;
  for (const auto& v : layers) {
    reference::Vec f(static_cast<size_t>(bins), 0.0);
    double mean = 0, sq = 0;
    for (double x : v) {
      int b = static_cast<int>(std::floor((x - lo) / (hi - lo) * bins));
      f[static_cast<size_t>(std::max(0, std::min(bins - 1, b)))] += 1.0 / v.size();
      mean += x / v.size();
    }
    for (double x : v) sq += (x - mean) * (x - mean) / v.size();
    h.fraction.push_back(f);
    h.mean.push_back(mean);
    h.sd.push_back(std::sqrt(sq));
    h.count.push_back(static_cast<double>(v.size()));
  }
  return h;
}

void check_histogram(const Histogram& core, const NaiveHistogram& ref, int bins) {
  CHECK(core.bins == bins);
  CHECK(close(core.lo, ref.lo));
  CHECK(close(core.hi, ref.hi));
  for (size_t l = 0; l < ref.fraction.size(); ++l) {
    INFO("hidden layer " << l + 1);
    CHECK(close(core.stddev[l], ref.sd[l], 1e-9));
    CHECK(std::abs(core.mean[l] - ref.mean[l]) <= 1e-9 * std::max(ref.sd[l], 1e-9));
    CHECK(core.nonfinite[l] == 0);
    // Identical bins, but for a value that rounding may put on the other side of
    // a bin's edge.
    double moved = 0;
    for (int b = 0; b < bins; ++b)
      moved += std::abs(core.fraction[l * static_cast<size_t>(bins) + static_cast<size_t>(b)] - ref.fraction[l][static_cast<size_t>(b)]);
    CHECK(moved <= 2.0 / ref.count[l] + 1e-12);
  }
}

struct Case {
  std::string name;
  NetworkConfig net;
  TrainConfig train;
  bool bytes = false;  // a data set of bytes (as MNIST) instead of floats
};

// A small data set: 23 examples (batches of 5 leave a last batch of 3).
Dataset small_data(int features, int classes, bool bytes, uint64_t seed) {
  Rng rng(seed, Stream::extra);
  Dataset d;
  d.name = "reference";
  d.num_classes = classes;
  d.uses_bytes = bytes;
  const int n = 23;
  if (bytes) d.pixels.resize(features, n);
  else d.X.resize(features, n);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < features; ++k) {
      if (bytes) d.pixels(k, i) = static_cast<uint8_t>(rng.below(256));
      else d.X(k, i) = static_cast<float>(rng.uniform(-1.0, 1.0));
    }
    d.labels.push_back(static_cast<uint8_t>(rng.below(static_cast<uint64_t>(classes))));
  }
  return d;
}

void run_case(const Case& c) {
  const int features = c.net.layers.front();
  const int outputs = c.net.layers.back();
  const int classes = outputs == 1 ? 2 : outputs;
  auto data = std::make_shared<const Dataset>(small_data(features, classes, c.bytes, 17));
  Trainer<double> core(c.net, c.train, data);
  reference::RefTrainer ref(core.network(), c.train, *data, c.net.seed);
  const int L = core.network().num_layers();
  for (int step = 1; step <= 50; ++step) {
    INFO(c.name << ", step " << step);
    REQUIRE(core.step());
    ref.step();
    const StepStats& s = core.stats();
    const reference::RefStats& r = ref.stats();
    CHECK(close(s.loss, r.loss));
    CHECK(close(s.grad_norm, r.grad_norm));
    CHECK(s.clipped == r.clipped);
    for (int l = 0; l < L; ++l) {
      INFO("layer " << l);
      const auto i = static_cast<size_t>(l);
      // Quantities that are zero in exact arithmetic (a gradient blocked by dead
      // units, a mean of activations that cancel) come out as rounding noise:
      // they are compared to 1e-9 of their kind's scale (the global gradient
      // norm, the activations' spread) rather than of themselves.
      CHECK(close(s.batch_speed[i], r.speed[i], r.grad_norm));
      CHECK(close(s.weight_grad_norm[i], r.weight_grad_norm[i], r.grad_norm));
      CHECK(close(s.weight_norm[i], r.weight_norm[i]));
      CHECK(close(s.update_ratio[i], r.update_ratio[i], 1e-6));
      CHECK(close(s.activation_mean[i], r.activation_mean[i], std::max(r.activation_std[i], 1e-6)));
      CHECK(close(s.activation_std[i], r.activation_std[i], 1e-6));
      CHECK(s.saturation[i] == Approx(r.saturation[i]).margin(1e-12));
      const Layer<double>& a = core.network().layer(l);
      const reference::RefLayer& b = ref.layer(l);
      CHECK(distance(a.W, b.W.value, true, b.n_in) < kTolerance);
      if (b.bn) {
        CHECK(a.b.size() == 0);
        CHECK(distance(a.gamma, b.gamma.value, false, 0) < kTolerance);
        CHECK(distance(a.beta, b.beta.value, false, 0) < kTolerance);
        CHECK(distance(a.running_mean, b.running_mean, false, 0) < kTolerance);
        CHECK(distance(a.running_var, b.running_var, false, 0) < kTolerance);
      } else {
        CHECK(distance(a.b, b.b.value, false, 0) < kTolerance);
      }
    }
  }
  const std::vector<double> core_probe = core.probe(data->size()).speed;
  const std::vector<double> ref_probe = ref.probe(data->size());
  if (!c.net.batch_norm) {
    // The chain of factors: the per-example gradient's size and the gain into each
    // hidden layer, against the reference one example at a time.
    const Probe& p = core.last_probe();
    const auto [rms, gain] = ref.probe_chain(data->size());
    for (int l = 0; l < L; ++l) {
      INFO(c.name << ", chain, layer " << l);
      const auto i = static_cast<size_t>(l);
      CHECK(close(p.grad_rms[i], rms[i]));
      if (l < L - 1) CHECK(close(p.gain[i], gain[i]));
      else CHECK(std::isnan(p.gain[i]));
    }
  }
  for (int l = 0; l < L; ++l) {
    INFO(c.name << ", probe, layer " << l);
    CHECK(close(core_probe[static_cast<size_t>(l)], ref_probe[static_cast<size_t>(l)]));
  }
  // Glorot & Bengio's histograms: each quantity of every hidden layer over one
  // probe batch, binned on the common range.
  const int bins = 9;
  const Histograms& h = core.histograms(data->size(), bins);
  const auto values = ref.hidden_values(h.examples);
  REQUIRE(static_cast<int>(values.size()) == L - 1);
  std::vector<reference::Vec> a, z, delta, dW;
  for (const auto& v : values) {
    a.push_back(v.activation);
    z.push_back(v.preactivation);
    delta.push_back(v.delta);
    dW.push_back(v.weight_grad);
  }
  const Activation act = c.net.activation;
  {
    INFO(c.name << ", activation histograms");
    const bool bounded = act == Activation::sigmoid || act == Activation::tanh;
    check_histogram(h.activation, bounded ? naive_histogram(a, bins, "fixed", act == Activation::tanh ? -1 : 0, 1)
                                          : naive_histogram(a, bins, "span"), bins);
  }
  INFO(c.name << ", pre-activation, δ and ∂C/∂W histograms");
  check_histogram(h.preactivation, naive_histogram(z, bins, "symmetric"), bins);
  check_histogram(h.delta, naive_histogram(delta, bins, "symmetric"), bins);
  check_histogram(h.weight_grad, naive_histogram(dW, bins, "symmetric"), bins);
}

Case base(const std::string& name, Activation a, std::vector<int> layers = {2, 4, 4, 4, 1}, Cost cost = Cost::cross_entropy) {
  Case c{name, test::gradcheck_config(std::move(layers), a, cost, 5), TrainConfig{}};
  c.train.batch_size = 5;
  c.train.learning_rate = 0.3;
  return c;
}

}  // namespace

TEST_CASE("the trainer matches the naive reference for every activation", "[reference]") {
  for (const auto& [activation, name] : kActivationNames) run_case(base(name, activation));
}

TEST_CASE("the trainer matches the naive reference for every cost and for byte data", "[reference]") {
  run_case(base("quadratic", Activation::tanh, {2, 4, 4, 1}, Cost::quadratic));
  run_case(base("log_likelihood", Activation::sigmoid, {2, 4, 4, 2}, Cost::log_likelihood));
  Case bytes = base("bytes, softmax over 3 classes", Activation::relu, {6, 5, 5, 3}, Cost::log_likelihood);
  bytes.bytes = true;
  run_case(bytes);
}

TEST_CASE("the trainer matches the naive reference for every remedy", "[reference]") {
  for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
    const std::string act = to_string(a);
    for (Optimizer o : {Optimizer::momentum, Optimizer::adam, Optimizer::rmsprop}) {
      Case c = base(act + " + " + to_string(o), a);
      c.train.optimizer = o;
      c.train.momentum = 0.8;
      if (o != Optimizer::momentum) c.train.learning_rate = 0.01;
      run_case(c);
    }
    // One remedy at a time, each a change to the base case.
    const std::pair<const char*, void (*)(Case&)> remedies[] = {
        {" + L2", [](Case& c) { c.train.l2 = 3; }},
        {" + L1 (weights reach zero)", [](Case& c) { c.train.l1 = 2; }},
        {" + L1 + L2 + Adam", [](Case& c) {
           c.train.l1 = 1;
           c.train.l2 = 1;
           c.train.optimizer = Optimizer::adam;
           c.train.learning_rate = 0.02;
         }},
        {" + clipping by norm", [](Case& c) { c.train.clip_norm = 0.05; }},
        {" + clipping by value", [](Case& c) { c.train.clip_value = 0.02; }},
        {" + batch norm", [](Case& c) { c.net.batch_norm = true; }},
        {" + residual", [](Case& c) { c.net.residual = true; }},
    };
    for (const auto& [name, change] : remedies) {
      Case c = base(act + name, a);
      change(c);
      run_case(c);
    }
    Case all = base(act + " + batch norm + residual + momentum + clipping", a);
    all.net.batch_norm = true;
    all.net.residual = true;
    all.train.optimizer = Optimizer::momentum;
    all.train.clip_norm = 0.5;
    all.train.clip_value = 0.3;
    run_case(all);
  }
}
