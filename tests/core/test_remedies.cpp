// Each remedy doing its job: a direction and a size, over several seeds. The
// numbers quoted were measured with these seeds on MNIST (8,000 training digits).
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

namespace {
std::vector<int> widths(int depth, int width, int in = 784, int out = 10) {
  std::vector<int> w{in};
  for (int i = 0; i < depth; ++i) w.push_back(width);
  w.push_back(out);
  return w;
}

// First hidden layer's probe speed over the last one's, at initialization.
double first_over_last(NetworkConfig c, uint64_t seed, TrainConfig t = {}) {
  c.seed = seed;
  Trainer<float> trainer(c, t, test::mnist_train(1));
  const auto& s = trainer.probe(1000).speed;
  return s[0] / s[static_cast<size_t>(trainer.network().num_hidden() - 1)];
}

NetworkConfig deep_sigmoid() {
  NetworkConfig c;
  c.layers = widths(10, 30);
  return c;
}

double total_weight_norm(const Network<float>& net) {
  double s = 0;
  for (int l = 0; l < net.num_layers(); ++l) s += net.layer(l).W.squaredNorm();
  return std::sqrt(s);
}
}  // namespace

// ---------------------------------------------------------------- clipping
TEST_CASE("clipping by norm scales the global gradient to T; by value clamps each component", "[remedies][clipping]") {
  auto data = std::make_shared<const Dataset>(make_toy(Toy::gauss, 64, 0.2, 1));
  NetworkConfig c;
  c.layers = {2, 6, 6, 1};
  TrainConfig t;
  t.batch_size = 64;
  t.learning_rate = 0.5;
  t.clip_norm = 1e-3;
  Trainer<double> trainer(c, t, data);
  const Network<double> before = trainer.network();
  REQUIRE(trainer.step());
  const StepStats& s = trainer.stats();
  CHECK(s.clipped);
  CHECK(s.clip_count == 1);
  CHECK(s.grad_norm > 1e-3);
  double step2 = 0;  // ‖Δθ‖ over every parameter = η T after clipping
  for (int l = 0; l < 3; ++l) {
    step2 += (trainer.network().layer(l).W - before.layer(l).W).squaredNorm();
    step2 += (trainer.network().layer(l).b - before.layer(l).b).squaredNorm();
  }
  CHECK(std::sqrt(step2) == Approx(0.5 * 1e-3).epsilon(1e-9));

  t.clip_norm = 0;
  t.clip_value = 1e-4;
  Trainer<double> by_value(c, t, data);
  const Network<double> start = by_value.network();
  REQUIRE(by_value.step());
  CHECK(by_value.stats().clipped);
  for (int l = 0; l < 3; ++l)
    CHECK((by_value.network().layer(l).W - start.layer(l).W).cwiseAbs().maxCoeff() <= 0.5 * 1e-4 * (1 + 1e-12));

  t.clip_value = 1e6;  // never reached: no clipping
  Trainer<double> loose(c, t, data);
  REQUIRE(loose.step());
  CHECK_FALSE(loose.stats().clipped);
  CHECK(loose.stats().clip_count == 0);
}

TEST_CASE("clipping keeps a diverging configuration finite and learning", "[remedies][clipping]") {
  // Six ReLU layers of 100 (He init) at η = 1 blow up within a few steps;
  // measured over seeds 1–3: divergence at step 5 without clipping; with the
  // global norm clipped at 1, test accuracy 0.80–0.85 after 500 steps (clipping
  // fired in ~98 % of them).
  for (uint64_t seed : {1u, 2u, 3u}) {
    NetworkConfig c;
    c.layers = widths(6, 100);
    c.activation = Activation::relu;
    c.weight_init = WeightInit::he_normal;
    c.bias_init = BiasInit::zeros;
    c.seed = seed;
    TrainConfig t;
    t.learning_rate = 1.0;
    auto split = shuffle_split(*test::mnist(), 2000, seed);
    auto train = std::make_shared<const Dataset>(split.train), test = std::make_shared<const Dataset>(split.test);
    Trainer<float> plain(c, t, train, test);
    int steps = 0;
    while (plain.step() && steps < 500) ++steps;
    INFO("seed " << seed << ": unclipped run diverged after " << steps << " steps");
    CHECK(plain.divergence().diverged);
    CHECK(steps < 100);

    t.clip_norm = 1.0;
    Trainer<float> clipped(c, t, train, test);
    for (int i = 0; i < 500; ++i) REQUIRE(clipped.step());
    const double accuracy = clipped.evaluate_test(1000).accuracy;
    INFO("clipped: test accuracy " << accuracy << ", clipped in " << clipped.stats().clip_count << " of 500 steps");
    CHECK(accuracy > 0.7);
    CHECK(clipped.stats().clip_count > 0);
  }
}

// ---------------------------------------------------------------- L1 and L2
TEST_CASE("L2 follows Nielsen's update rule, on weights only", "[remedies][penalty]") {
  auto data = std::make_shared<const Dataset>(make_toy(Toy::xor_, 50, 0.1, 3));
  NetworkConfig c;
  c.layers = {2, 5, 1};
  TrainConfig t;
  t.batch_size = 50;
  t.learning_rate = 0.3;
  t.l2 = 2.0;
  Trainer<double> trainer(c, t, data);
  Network<double> ref = trainer.network();
  test::reference_gradients(ref, *data);
  REQUIRE(trainer.step());
  for (int l = 0; l < 2; ++l) {
    const auto& r = ref.layer(l);
    // w ← (1 − ηλ₂/n) w − η ∂C/∂w;   b ← b − η ∂C/∂b
    const Matrix<double> W = (1 - 0.3 * 2.0 / 50) * r.W - 0.3 * r.dW;
    CHECK((trainer.network().layer(l).W - W).norm() < 1e-12);
    CHECK((trainer.network().layer(l).b - (r.b - 0.3 * r.db)).norm() < 1e-12);
  }
}

TEST_CASE("L2 shrinks the weights; L1 sets most of them to exactly zero", "[remedies][penalty]") {
  // 1000 digits, 3 epochs, η = 0.5. Measured ‖W‖ with λ₂ = 20 at about 0.46 of
  // the unpenalised norm. L1's proximal step (ηλ₁/n = 0.01 a step) stops weights
  // at zero: with λ₁ = 20 most of the first layer's weights are exactly 0, against
  // none without.
  for (uint64_t seed : {1u, 2u, 3u}) {
    NetworkConfig c;
    c.layers = {784, 30, 10};
    c.seed = seed;
    auto data = std::make_shared<const Dataset>(take(*test::mnist_train(seed), 1000));
    auto train = [&](double l2, double l1) {
      TrainConfig t;
      t.learning_rate = 0.5;
      t.l2 = l2;
      t.l1 = l1;
      Trainer<float> tr(c, t, data);
      for (int e = 0; e < 3; ++e) REQUIRE(tr.train_epoch());
      return tr.network();
    };
    const Network<float> none = train(0, 0), l2 = train(20, 0), l1 = train(0, 20);
    auto zeros = [](const Network<float>& n) {
      return static_cast<double>((n.layer(0).W.array() == 0.0f).count()) / n.layer(0).W.size();
    };
    INFO("seed " << seed << ": |W| " << total_weight_norm(none) << " → L2 " << total_weight_norm(l2)
                 << "; weights exactly zero " << zeros(none) << " → L1 " << zeros(l1));
    CHECK(total_weight_norm(l2) < 0.7 * total_weight_norm(none));
    CHECK(zeros(none) == 0.0);
    CHECK(zeros(l1) > 0.5);
  }
}

// ---------------------------------------------------------------- batch norm
TEST_CASE("batch norm: β replaces the bias, and the speed is measured on β", "[remedies][batchnorm]") {
  NetworkConfig c;
  c.layers = {5, 6, 6, 3};
  c.weight_init = WeightInit::xavier_normal;
  const Network<double> plain(c);
  c.batch_norm = true;
  Network<double> net(c);
  const auto batch = test::random_batch(5, 3, 12, 8);
  net.forward(batch.X);
  net.backward(batch.X, batch.Y);
  for (int l = 0; l < 2; ++l) {
    CHECK(net.layer(l).batch_norm);
    CHECK(net.layer(l).b.size() == 0);  // no separate bias: the mean subtraction would cancel it
    CHECK(net.layer(l).db.size() == 0);
    CHECK(net.layer(l).dbeta.norm() > 1e-6);
    CHECK(&net.layer(l).speed_gradient() == &net.layer(l).dbeta);
    CHECK(net.layer(l).W == plain.layer(l).W);  // the same seed, the same weights
  }
  CHECK_FALSE(net.layer(2).batch_norm);  // never on the output layer
  CHECK(net.layer(2).b.size() == 3);
  CHECK(net.layer(2).W == plain.layer(2).W);
  CHECK(net.layer(2).b == plain.layer(2).b);
  // Parameters: W and b of the output layer, W, γ and β of each hidden one.
  CHECK(net.parameter_count() == (6 * 5 + 12) + (6 * 6 + 12) + (3 * 6 + 3));
}

TEST_CASE("batch norm: training uses batch statistics, evaluation the running ones", "[remedies][batchnorm]") {
  NetworkConfig c = deep_sigmoid();
  c.layers = widths(3, 20);
  c.batch_norm = true;
  TrainConfig t;
  t.batch_size = 50;
  Trainer<double> trainer(c, t, test::mnist_train(1));
  for (int i = 0; i < 100; ++i) REQUIRE(trainer.step());
  Network<double>& net = trainer.network();
  Matrix<double> X;
  test::mnist()->columns(0, 20, X);
  const Matrix<double> eval = net.forward(X, Pass::eval);
  // By hand with the running statistics: x̂ = (z − μ_run)/√(σ²_run + ε).
  Matrix<double> a = X;
  for (int l = 0; l < 3; ++l) {
    const auto& L = net.layer(l);
    Matrix<double> z = L.W * a;  // no bias: β is the shift
    for (Eigen::Index i = 0; i < z.rows(); ++i)
      z.row(i) = ((z.row(i).array() - L.running_mean(i)) / std::sqrt(L.running_var(i) + kBatchNormEpsilon) *
                      L.gamma(i) + L.beta(i)).matrix();
    a = z.array().logistic().matrix();
  }
  Matrix<double> z = (net.layer(3).W * a).colwise() + net.layer(3).b;
  CHECK((eval - z.array().logistic().matrix()).cwiseAbs().maxCoeff() < 1e-12);
  // The running statistics moved from their (0, 1) start, and a batch's own
  // statistics give a different output.
  CHECK(net.layer(0).running_mean.cwiseAbs().maxCoeff() > 0.01);
  const Matrix<double> probe = net.forward(X, Pass::probe);
  CHECK((probe - eval).cwiseAbs().maxCoeff() > 1e-4);
  const Vector<double> running = net.layer(0).running_mean;
  net.forward(X, Pass::probe);
  CHECK(net.layer(0).running_mean == running);  // probes leave them alone
}

TEST_CASE("batch norm raises the deep sigmoid network's first/last speed ratio by orders of magnitude", "[remedies][batchnorm]") {
  // Measured first/last at init over seeds 1–5: plain 4.0e-7 to 1.3e-6, batch
  // norm 1.0e-2 to 2.2e-2, about 3e4 times higher.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    NetworkConfig plain = deep_sigmoid(), bn = deep_sigmoid();
    bn.batch_norm = true;
    const double r_plain = first_over_last(plain, seed), r_bn = first_over_last(bn, seed);
    INFO("seed " << seed << ": plain " << r_plain << ", batch norm " << r_bn);
    CHECK(r_plain < 1e-5);
    CHECK(r_bn > 1000 * r_plain);
    CHECK(r_bn > 1e-3);
  }
}

// ---------------------------------------------------------------- residual
TEST_CASE("residual shortcuts join hidden layers of equal width only", "[remedies][residual]") {
  NetworkConfig c;
  c.layers = {784, 30, 30, 20, 20, 10};
  c.residual = true;
  Network<float> net(c);
  CHECK_FALSE(net.layer(0).residual);  // its input is the data (784 ≠ 30)
  CHECK(net.layer(1).residual);
  CHECK_FALSE(net.layer(2).residual);  // 30 → 20: no projection, no shortcut
  CHECK(net.layer(3).residual);
  CHECK_FALSE(net.layer(4).residual);  // the output layer
}

TEST_CASE("residual shortcuts bring the deep sigmoid network's first/last ratio near 1", "[remedies][residual]") {
  // Measured first/last at init over seeds 1–5: 1.29 to 2.44 (plain: ~1e-6).
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    NetworkConfig c = deep_sigmoid();
    c.residual = true;
    const double r = first_over_last(c, seed);
    INFO("seed " << seed << ": first/last " << r);
    CHECK(r > 0.2);
    CHECK(r < 5);
  }
}

// ---------------------------------------------------------------- ReLU + He
TEST_CASE("on 30 ReLU layers He init keeps the speeds within an order of magnitude; Xavier loses about five", "[remedies][init]") {
  // Measured first/last at init over seeds 1–5: he_normal 0.09 to 0.50,
  // xavier_normal 5.0e-6 to 1.0e-5 (χ₁ = σ_w²/2 = 1/2 per layer: (1/√2)^29 ≈ 4e-5).
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    NetworkConfig c;
    c.layers = widths(30, 30);
    c.activation = Activation::relu;
    c.bias_init = BiasInit::zeros;
    c.weight_init = WeightInit::he_normal;
    const double he = first_over_last(c, seed);
    c.weight_init = WeightInit::xavier_normal;
    const double xavier = first_over_last(c, seed);
    INFO("seed " << seed << ": he " << he << ", xavier " << xavier);
    CHECK(he > 0.02);
    CHECK(he < 5);
    CHECK(xavier < 1e-4);
    CHECK(xavier > 1e-8);
  }
}

// ---------------------------------------------------------------- optimizers
TEST_CASE("optimizer steps follow their formulas", "[remedies][optimizer]") {
  const double g1 = 0.5, g2 = -0.2, eta = 0.1, beta = 0.9;
  auto run = [&](Optimizer kind) {
    OptimizerSettings o{kind, eta, beta};
    Moments<double> m;
    double g[1] = {g1};
    optimizer_step(o, g, 1, m);
    const double d1 = g[0];
    g[0] = g2;
    optimizer_step(o, g, 1, m);
    return std::pair{d1, g[0]};
  };
  auto [s1, s2] = run(Optimizer::sgd);
  CHECK(s1 == Approx(-eta * g1));
  CHECK(s2 == Approx(-eta * g2));
  auto [m1, m2] = run(Optimizer::momentum);  // v = βv + g
  CHECK(m1 == Approx(-eta * g1));
  CHECK(m2 == Approx(-eta * (beta * g1 + g2)));
  auto [r1, r2] = run(Optimizer::rmsprop);  // s = ρs + (1−ρ)g²
  const double rs1 = 0.1 * g1 * g1, rs2 = 0.9 * rs1 + 0.1 * g2 * g2;
  CHECK(r1 == Approx(-eta * g1 / (std::sqrt(rs1) + 1e-8)));
  CHECK(r2 == Approx(-eta * g2 / (std::sqrt(rs2) + 1e-8)));
  auto [a1, a2] = run(Optimizer::adam);
  const double am1 = 0.1 * g1, av1 = 0.001 * g1 * g1;
  CHECK(a1 == Approx(-eta * (am1 / 0.1) / (std::sqrt(av1 / 0.001) + 1e-8)));  // = −η sgn(g) at t = 1
  const double am2 = 0.9 * am1 + 0.1 * g2, av2 = 0.999 * av1 + 0.001 * g2 * g2;
  CHECK(a2 == Approx(-eta * (am2 / (1 - 0.81)) / (std::sqrt(av2 / (1 - 0.999 * 0.999)) + 1e-8)));
}

TEST_CASE("Adam rescales the steps, not the gradients: update ratios even out, speeds still vanish", "[remedies][optimizer]") {
  // 10 sigmoid layers, 100 steps. Measured spread of ‖ΔW‖/‖W‖ over the hidden
  // layers (max/min), seeds 1–3: SGD ~6e5, Adam ~1.6. The gradients under Adam
  // still vanish (first/last speed < 1e-3).
  for (uint64_t seed : {1u, 2u, 3u}) {
    auto spread = [&](Optimizer kind, double eta) {
      NetworkConfig c = deep_sigmoid();
      c.seed = seed;
      TrainConfig t;
      t.optimizer = kind;
      t.learning_rate = eta;
      Trainer<float> tr(c, t, test::mnist_train(1));
      for (int i = 0; i < 100; ++i) REQUIRE(tr.step());
      const auto& r = tr.stats().update_ratio;
      const auto [lo, hi] = std::minmax_element(r.begin(), r.begin() + 10);
      const auto& speed = tr.probe(1000).speed;
      return std::pair{*hi / *lo, speed[0] / speed[9]};
    };
    const auto [sgd_spread, sgd_speed] = spread(Optimizer::sgd, 0.1);
    const auto [adam_spread, adam_speed] = spread(Optimizer::adam, 0.001);
    INFO("seed " << seed << ": update-ratio spread SGD " << sgd_spread << ", Adam " << adam_spread
                 << "; first/last speed under Adam " << adam_speed);
    CHECK(sgd_spread > 1e3);
    CHECK(adam_spread < 30);
    CHECK(adam_speed < 1e-3);  // the gradients themselves still vanish
  }
}

TEST_CASE("momentum and RMSProp train a network", "[remedies][optimizer]") {
  for (Optimizer kind : {Optimizer::momentum, Optimizer::rmsprop, Optimizer::adam}) {
    NetworkConfig c;
    c.layers = {784, 30, 10};
    TrainConfig t;
    t.optimizer = kind;
    t.learning_rate = kind == Optimizer::momentum ? 0.1 : 0.002;
    auto split = shuffle_split(*test::mnist(), 2000, 1);
    Trainer<float> tr(c, t, std::make_shared<const Dataset>(split.train), std::make_shared<const Dataset>(split.test));
    REQUIRE(tr.train_epoch());
    INFO(to_string(kind));
    CHECK(tr.evaluate_test().accuracy > 0.8);  // chance is 0.1
  }
}

// ---------------------------------------------------------------- pretraining
TEST_CASE("layer-wise pretraining trains each layer in turn, then fine-tunes", "[remedies][pretraining]") {
  NetworkConfig c;
  c.layers = widths(3, 30);
  TrainConfig t;
  t.pretrain_epochs = 1;
  auto data = std::make_shared<const Dataset>(take(*test::mnist_train(1), 2000));
  Trainer<float> trainer(c, t, data);
  REQUIRE(trainer.pretraining());
  std::vector<Matrix<float>> start;
  for (int l = 0; l < 4; ++l) start.push_back(trainer.network().layer(l).W);
  std::vector<double> first_loss(3, 0.0), last_loss(3, 0.0);
  while (trainer.pretraining()) {
    const int layer = trainer.pretrainer()->layer();
    // Layers above the one being pretrained are untouched until their turn.
    for (int l = layer; l < 4; ++l) REQUIRE(trainer.network().layer(l).W == start[static_cast<size_t>(l)]);
    REQUIRE(trainer.step());
    if (first_loss[static_cast<size_t>(layer)] == 0.0) first_loss[static_cast<size_t>(layer)] = trainer.pretrainer()->loss();
    last_loss[static_cast<size_t>(layer)] = trainer.pretrainer()->loss();
  }
  for (int l = 0; l < 3; ++l) {
    INFO("hidden layer " << l + 1 << ": reconstruction cost " << first_loss[static_cast<size_t>(l)] << " → "
                         << last_loss[static_cast<size_t>(l)]);
    CHECK(last_loss[static_cast<size_t>(l)] < 0.8 * first_loss[static_cast<size_t>(l)]);
    CHECK(trainer.network().layer(l).W != start[static_cast<size_t>(l)]);
  }
  CHECK(trainer.network().layer(3).W == start[3]);  // the output layer is left to fine-tuning
  CHECK(trainer.steps() == 0);  // pretraining steps are not fine-tuning steps
  CHECK(trainer.pretrainer()->steps() == 3 * 200);  // 3 layers × 2000/10 batches
  REQUIRE(trainer.step());  // now an ordinary step
  CHECK(trainer.steps() == 1);
  CHECK(trainer.network().layer(3).W != start[3]);
}

TEST_CASE("pretraining lowers the reconstruction cost and changes the speeds before fine-tuning", "[remedies][pretraining]") {
  // Measured over seeds 1–3 ([784,30,30,30,10], 2 epochs per layer, 2000 digits):
  // the first layer's reconstruction cost falls from ~630 to ~150; before any
  // fine-tuning, hidden layer 1's speed rises 1.7–2.0× and last/first falls (30 → 17
  // for seed 1).
  for (uint64_t seed : {1u, 2u, 3u}) {
    NetworkConfig c;
    c.layers = widths(3, 30);
    c.seed = seed;
    TrainConfig t;
    t.pretrain_epochs = 2;
    auto data = std::make_shared<const Dataset>(take(*test::mnist_train(seed), 2000));
    Trainer<float> trainer(c, t, data);
    const std::vector<double> before = trainer.probe(1000).speed;
    double first_cost = 0, last_cost = 0;
    while (trainer.pretraining()) {
      const bool first_layer = trainer.pretrainer()->layer() == 0;
      REQUIRE(trainer.step());
      if (first_layer) {
        first_cost = trainer.pretrainer()->layer() == 0 ? trainer.pretrainer()->first_loss() : first_cost;
        last_cost = trainer.pretrainer()->layer() == 0 ? trainer.pretrainer()->loss() : last_cost;
      }
    }
    const std::vector<double> after = trainer.probe(1000).speed;
    INFO("seed " << seed << ": first layer's reconstruction cost " << first_cost << " → " << last_cost
                 << "; HL1 speed " << before[0] << " → " << after[0] << ", last/first " << before[2] / before[0]
                 << " → " << after[2] / after[0]);
    CHECK(last_cost < 0.5 * first_cost);
    CHECK(after[0] > 1.4 * before[0]);
    CHECK(after[2] / after[0] < 0.8 * (before[2] / before[0]));
  }
}
