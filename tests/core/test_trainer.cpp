// The trainer: determinism, invalid configs, divergence, the update rule and the
// statistics it reports.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
std::shared_ptr<const Dataset> toy(Toy kind, int n = 400, double noise = 0.1, uint64_t seed = 1) {
  return std::make_shared<const Dataset>(make_toy(kind, n, noise, seed));
}
NetworkConfig toy_net(std::vector<int> layers = {2, 8, 8, 1}) {
  NetworkConfig c;
  c.layers = std::move(layers);
  return c;
}
}  // namespace

TEST_CASE("the same seed gives identical statistics; another seed does not", "[trainer]") {
  auto run = [](uint64_t seed) {
    NetworkConfig c;
    c.layers = {784, 30, 30, 10};
    c.seed = seed;
    TrainConfig t;
    t.batch_size = 10;
    Trainer<float> trainer(c, t, test::mnist_train(seed));
    for (int i = 0; i < 25; ++i) REQUIRE(trainer.step());
    return trainer.stats();
  };
  const StepStats a = run(7), b = run(7), c = run(8);
  CHECK(a.batch_speed == b.batch_speed);
  CHECK(a.weight_grad_norm == b.weight_grad_norm);
  CHECK(a.weight_norm == b.weight_norm);
  CHECK(a.update_ratio == b.update_ratio);
  CHECK(a.activation_mean == b.activation_mean);
  CHECK(a.loss == b.loss);
  CHECK(a.batch_speed != c.batch_speed);
}

TEST_CASE("reset with the same seed restarts the same run", "[trainer]") {
  Trainer<float> trainer(toy_net(), TrainConfig{}, toy(Toy::circle));
  for (int i = 0; i < 5; ++i) trainer.step();
  const auto speed = trainer.stats().batch_speed;
  for (int i = 0; i < 5; ++i) trainer.step();
  trainer.reset();
  CHECK(trainer.steps() == 0);
  for (int i = 0; i < 5; ++i) trainer.step();
  CHECK(trainer.stats().batch_speed == speed);
}

TEST_CASE("invalid configurations throw with a clear message", "[trainer][validation]") {
  auto data = test::mnist_train(1);
  auto make = [&](NetworkConfig c, TrainConfig t = {}) { Trainer<float> tr(c, t, data); };
  NetworkConfig c;
  c.layers = {784, 10};
  CHECK_THROWS_WITH(make(c), Contains("at least one hidden layer"));
  c.layers = {784, 30, 0, 10};
  CHECK_THROWS_WITH(make(c), Contains("width of layer 2 is 0"));
  c.layers = {784, 30, 30, 10};
  CHECK_THROWS_WITH(parse_activation("swish"), Contains("unknown activation 'swish'") && Contains("sigmoid, tanh"));
  CHECK_THROWS_WITH(parse_weight_init("glorot"), Contains("unknown weight init 'glorot'"));
  CHECK_THROWS_WITH(parse_cost("hinge"), Contains("unknown cost 'hinge'"));
  TrainConfig t;
  t.learning_rate = 0;
  CHECK_THROWS_WITH(make(c, t), Contains("learning_rate must be positive"));
  t.learning_rate = -1;
  CHECK_THROWS_WITH(make(c, t), Contains("learning_rate"));
  t = {};
  t.batch_size = 0;
  CHECK_THROWS_WITH(make(c, t), Contains("batch_size must be at least 1"));
  t = {};
  t.l2 = std::nan("");
  CHECK_THROWS_WITH(make(c, t), Contains("l2"));
  t = {};
  t.learning_rate = std::nan("");
  CHECK_THROWS_WITH(make(c, t), Contains("learning_rate"));
  NetworkConfig s = c;
  s.init.sigma_w = std::nan("");
  CHECK_THROWS_WITH(make(s), Contains("sigma_w"));
  c.layers = {2, 30, 10};
  CHECK_THROWS_WITH(make(c), Contains("data size mismatch") && Contains("784 features"));
  c.layers = {784, 30, 3};
  CHECK_THROWS_WITH(make(c), Contains("data size mismatch") && Contains("10 classes"));
  CHECK_THROWS_WITH(parse_layers("784,,10"), Contains("not a width"));
  CHECK_THROWS_WITH(parse_layers("784,30,x"), Contains("'x'"));
  // A trainer that exists keeps its config when a new one is refused.
  Trainer<float> ok(toy_net(), TrainConfig{}, toy(Toy::xor_));
  TrainConfig bad;
  bad.batch_size = 0;
  CHECK_THROWS(ok.set_train_config(bad));
  CHECK(ok.train_config().batch_size == 10);
}

TEST_CASE("a run that blows up is reported with its step and layer, and stops", "[trainer][divergence]") {
  NetworkConfig c;
  c.layers = {784, 100, 100, 100, 10};  // at width 30 the relus die instead
  c.activation = Activation::relu;
  c.weight_init = WeightInit::large;
  TrainConfig t;
  t.learning_rate = 10;
  Trainer<float> trainer(c, t, test::mnist_train(1));
  int steps = 0;
  while (trainer.step() && steps < 1000) ++steps;
  const Divergence& d = trainer.divergence();
  REQUIRE(d.diverged);
  CHECK(d.step == steps + 1);
  CHECK(d.layer >= 0);
  CHECK(d.layer < 4);
  CHECK_THAT(d.message, Contains("diverged at step " + std::to_string(d.step)));
  // Its code is listed, and its English noun is the code's.
  const auto listed = std::find_if(std::begin(kDivergenceCodes), std::end(kDivergenceCodes),
                                   [&](const DivergenceCode& c) { return d.code == c.code; });
  REQUIRE(listed != std::end(kDivergenceCodes));
  CHECK(d.what == listed->what);
  CHECK_THAT(d.message, Contains("the " + d.what + " of "));
  CHECK(trainer.steps() == steps);
  // The weights are those before the failed step, all finite, and stepping is refused.
  for (int l = 0; l < 4; ++l) CHECK(trainer.network().layer(l).W.allFinite());
  const Matrix<float> W0 = trainer.network().layer(0).W;
  CHECK_FALSE(trainer.step());
  CHECK(trainer.network().layer(0).W == W0);
  // Reset clears it.
  trainer.reset();
  CHECK_FALSE(trainer.divergence().diverged);
  CHECK(trainer.step());
}

TEST_CASE("training without the statistics takes the same steps, and still stops a run that blows up", "[trainer][measuring]") {
  // The statistics only read the network: with them off the weights come out
  // bit-identical (optimizers, penalties, clipping by value and by norm).
  for (const Optimizer o : {Optimizer::sgd, Optimizer::momentum, Optimizer::adam}) {
    NetworkConfig c;
    c.layers = {784, 30, 13, 10};
    c.batch_norm = o == Optimizer::adam;
    TrainConfig t;
    t.optimizer = o;
    t.l2 = 0.5;
    t.clip_value = 0.05;
    t.clip_norm = 0.5;
    Trainer<float> measured(c, t, test::mnist_train(3)), bare(c, t, test::mnist_train(3));
    bare.set_measuring(false);
    CHECK_FALSE(bare.measuring());
    for (int i = 0; i < 30; ++i) {
      REQUIRE(measured.step());
      REQUIRE(bare.step());
    }
    CHECK(bare.steps() == measured.steps());
    for (int l = 0; l < 3; ++l) {
      CHECK(bare.network().layer(l).W == measured.network().layer(l).W);
      CHECK(bare.network().layer(l).b == measured.network().layer(l).b);
    }
    CHECK(bare.stats().weight_grad_norm[0] == 0.0);  // never measured
    CHECK(bare.stats().step == 0);
    CHECK(measured.stats().clipped);  // the clipping was exercised
  }
  NetworkConfig c;
  c.layers = {784, 100, 100, 100, 10};
  c.activation = Activation::relu;
  c.weight_init = WeightInit::large;
  TrainConfig t;
  t.learning_rate = 10;
  Trainer<float> trainer(c, t, test::mnist_train(1));
  trainer.set_measuring(false);
  int steps = 0;
  while (trainer.step() && steps < 1000) ++steps;
  REQUIRE(trainer.divergence().diverged);
  for (int l = 0; l < 4; ++l) CHECK(trainer.network().layer(l).W.allFinite());
}

TEST_CASE("one step applies Nielsen's L2 update rule exactly", "[trainer]") {
  // Full batch, so the order of examples does not matter.
  auto data = toy(Toy::gauss, 64);
  NetworkConfig c = toy_net({2, 5, 4, 1});
  c.activation = Activation::tanh;
  TrainConfig t;
  t.batch_size = 64;
  t.learning_rate = 0.3;
  t.l2 = 2.0;
  Trainer<double> trainer(c, t, data);
  Network<double> reference(c);
  test::reference_gradients(reference, *data);
  REQUIRE(trainer.step());
  const double decay = 1.0 - 0.3 * 2.0 / 64;  // 1 − ηλ/n
  for (int l = 0; l < 3; ++l) {
    const auto& ref = reference.layer(l);
    const Matrix<double> expected_W = decay * ref.W - 0.3 * ref.dW;
    const Vector<double> expected_b = ref.b - 0.3 * ref.db;
    CHECK((trainer.network().layer(l).W - expected_W).norm() < 1e-12);
    CHECK((trainer.network().layer(l).b - expected_b).norm() < 1e-12);
    CHECK(trainer.stats().batch_speed[l] == Approx(ref.db.norm()).epsilon(1e-12));
    CHECK(trainer.stats().weight_grad_norm[l] == Approx(ref.dW.norm()).epsilon(1e-12));
    CHECK(trainer.stats().weight_norm[l] == Approx(ref.W.norm()).epsilon(1e-12));
    CHECK(trainer.stats().update_ratio[l] == Approx((expected_W - ref.W).norm() / ref.W.norm()).epsilon(1e-9));
  }
}

TEST_CASE("the update ratio is ‖ΔW‖/‖W‖ of the step taken, with or without clipping", "[trainer]") {
  auto data = toy(Toy::gauss, 64);
  for (double clip : {0.0, 1e-3}) {
    TrainConfig t;
    t.batch_size = 64;
    t.learning_rate = 0.3;
    t.clip_norm = clip;
    Trainer<double> trainer(toy_net({2, 5, 4, 1}), t, data);
    const Network<double> before = trainer.network();
    REQUIRE(trainer.step());
    for (int l = 0; l < 3; ++l) {
      const double expected = (trainer.network().layer(l).W - before.layer(l).W).norm() / before.layer(l).W.norm();
      CHECK(trainer.stats().update_ratio[l] == Approx(expected).epsilon(1e-9));
    }
  }
}

TEST_CASE("the probe is the full-batch speed, measured without updating", "[trainer]") {
  auto data = toy(Toy::spiral, 200);
  TrainConfig t;
  t.batch_size = 200;
  Trainer<double> trainer(toy_net({2, 6, 6, 6, 1}), t, data);
  const std::vector<double> probe = trainer.probe(200).speed;
  const Matrix<double> W0 = trainer.network().layer(0).W;
  CHECK(trainer.network().layer(0).W == W0);  // probing changed nothing
  REQUIRE(trainer.step());                       // one full batch: same mean δ
  for (int l = 0; l < 4; ++l) CHECK(trainer.stats().batch_speed[l] == Approx(probe[l]).epsilon(1e-10));
}

TEST_CASE("step statistics are consistent", "[trainer][stats]") {
  NetworkConfig c;
  c.layers = {784, 30, 30, 10};
  TrainConfig t;
  t.batch_size = 50;
  Trainer<float> trainer(c, t, test::mnist_train(3));
  REQUIRE(trainer.step());
  const StepStats& s = trainer.stats();
  CHECK(s.step == 1);
  CHECK(s.batch_size == 50);
  REQUIRE(s.num_layers() == 3);
  for (int l = 0; l < 3; ++l) {
    CHECK(s.activation_mean[l] > 0.0);  // sigmoid and its outputs lie in (0, 1)
    CHECK(s.activation_mean[l] < 1.0);
    CHECK(s.activation_std[l] > 0.0);
    CHECK(s.saturation[l] >= 0.0);
    CHECK(s.saturation[l] <= 1.0);
    CHECK(s.update_ratio[l] > 0.0);
  }
  CHECK(s.batch_speed[0] < s.batch_speed[1]);  // vanishing: hidden layer 1 is slower
  CHECK(s.loss > 0.0);
  CHECK(s.accuracy >= 0.0);
}

TEST_CASE("saturation: large sigmoid weights saturate, a dead relu layer is all dead", "[trainer][stats]") {
  NetworkConfig c;
  c.layers = {784, 30, 30, 10};
  c.weight_init = WeightInit::large;
  Trainer<float> sat(c, TrainConfig{}, test::mnist_train(1));
  REQUIRE(sat.step());
  CHECK(sat.stats().saturation[0] > 0.3);  // z ~ N(0, ~100): most units are pinned
  c.weight_init = WeightInit::nielsen;
  Trainer<float> calm(c, TrainConfig{}, test::mnist_train(1));
  REQUIRE(calm.step());
  CHECK(calm.stats().saturation[0] < 0.1);
  c.activation = Activation::relu;
  c.bias_init = BiasInit::constant;
  c.init.bias_constant = -100;
  Trainer<float> dead(c, TrainConfig{}, test::mnist_train(1));
  REQUIRE(dead.step());
  CHECK(dead.stats().saturation[0] == 1.0);
  CHECK(dead.stats().batch_speed[0] == 0.0);
}

TEST_CASE("the network learns the 2-D sets and MNIST", "[trainer][learning]") {
  for (Toy kind : {Toy::circle, Toy::xor_, Toy::gauss}) {
    NetworkConfig c = toy_net({2, 8, 8, 1});
    c.activation = Activation::tanh;
    c.weight_init = WeightInit::xavier_normal;
    c.bias_init = BiasInit::zeros;
    TrainConfig t;
    t.learning_rate = 0.3;
    auto all = make_toy(kind, 500, 0.0, 2);
    auto split = shuffle_split(all, 100, 2);
    Trainer<float> trainer(c, t, std::make_shared<const Dataset>(split.train),
                           std::make_shared<const Dataset>(split.test));
    for (int e = 0; e < 60; ++e) REQUIRE(trainer.train_epoch());
    INFO(to_string(kind));
    CHECK(trainer.evaluate_test().accuracy > 0.9);
  }
  NetworkConfig c;
  c.layers = {784, 30, 10};
  TrainConfig t;
  t.learning_rate = 0.5;
  auto split = shuffle_split(*test::mnist(), 2000, 1);
  Trainer<float> trainer(c, t, std::make_shared<const Dataset>(split.train),
                         std::make_shared<const Dataset>(split.test));
  const double before = trainer.evaluate_test().accuracy;
  REQUIRE(trainer.train_epoch());
  CHECK(before < 0.2);
  CHECK(trainer.evaluate_test().accuracy > 0.85);
  CHECK(trainer.epoch() == 1);
  CHECK(trainer.steps() == 800);
}

TEST_CASE("the chain of factors: σ′ ≤ 1/4, the weights' RMS singular value, and gains that multiply to the speeds' drop", "[trainer][chain]") {
  auto data = toy(Toy::spiral, 400);
  TrainConfig t;
  NetworkConfig net = toy_net({2, 16, 16, 16, 16, 1});
  net.activation = Activation::sigmoid;
  Trainer<double> trainer(net, t, data);
  const Probe& p = trainer.probe(400);
  const int L = trainer.network().num_layers();
  for (int l = 0; l < L - 1; ++l) {
    INFO("layer " << l);
    const auto i = static_cast<size_t>(l);
    CHECK(p.dphi_mean[i] > 0);
    CHECK(p.dphi_mean[i] <= 0.25);  // σ′(z) = σ(1 − σ) ≤ 1/4
    const auto& W = trainer.network().layer(l + 1).W;
    CHECK(p.weight_gain[i] == Approx(W.norm() / std::sqrt(static_cast<double>(std::min(W.rows(), W.cols())))));
    // The gain into layer l is about |φ′| times the weights' gain (not exactly: it is
    // measured per example, and |φ′| and the weights' directions correlate).
    CHECK(p.gain[i] < 4 * p.dphi_mean[i] * p.weight_gain[i]);
  }
  CHECK(std::isnan(p.gain[static_cast<size_t>(L - 1)]));
  // The product of the hidden layers' gains from layer 1 to the last hidden layer
  // against the drop of the per-example gradient over the same layers.
  double product = 1;
  for (int l = 0; l < L - 2; ++l) product *= p.gain[static_cast<size_t>(l)];
  const double drop = p.grad_rms[0] / p.grad_rms[static_cast<size_t>(L - 2)];
  CHECK(product == Approx(drop).epsilon(0.3));
  CHECK(drop < 0.05);  // sigmoid: the gradient vanishes
}

TEST_CASE("the chain is measured where the gradient is tiny: a float network 40 sigmoid layers deep", "[trainer][chain]") {
  auto data = toy(Toy::spiral, 200);
  std::vector<int> layers(42, 8);
  layers.front() = 2;
  layers.back() = 1;
  NetworkConfig net = toy_net(layers);
  net.activation = Activation::sigmoid;
  Trainer<float> trainer(net, TrainConfig{}, data);
  const Probe& p = trainer.probe(200);
  REQUIRE(p.speed[0] > 0);
  REQUIRE(p.speed[0] < 1e-25);  // so small that its square is below float's range, denormals included
  for (size_t l = 0; l + 1 < p.speed.size(); ++l) {
    INFO("layer " << l << ", speed " << p.speed[l]);
    CHECK(p.grad_rms[l] >= p.speed[l]);  // an RMS of norms is at least the norm of the mean
    CHECK(p.gain[l] > 0);
    CHECK(std::isfinite(p.gain[l]));
  }
}
