// The update rule (update.hpp) shared by fine-tuning and pretraining: Adam's step
// count after a switch, the check of the new values before anything is written,
// L1's proximal step, what clipping bounds, and pretraining with the trainer's
// current settings.
#include <catch2/catch.hpp>

#include <cfloat>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
std::shared_ptr<const Dataset> gauss(int n = 64) {
  return std::make_shared<const Dataset>(make_toy(Toy::gauss, n, 0.2, 1));
}
NetworkConfig small(std::vector<int> layers = {2, 5, 4, 1}) {
  NetworkConfig c = test::gradcheck_config(std::move(layers), Activation::tanh, Cost::cross_entropy, 3);
  return c;
}
// Copies every parameter of `from` into `to` (same shape).
void copy_parameters(const Network<double>& from, Network<double>& to) {
  for (int l = 0; l < from.num_layers(); ++l) {
    to.layer(l).W = from.layer(l).W;
    to.layer(l).b = from.layer(l).b;
  }
}
}  // namespace

TEST_CASE("switching to Adam mid-run takes the same first step as a fresh Adam run", "[update][optimizer]") {
  // Full batch: the gradient does not depend on the batch order, so both runs see
  // the same gradient at the switch.
  auto data = gauss();
  TrainConfig sgd;
  sgd.batch_size = 64;
  sgd.learning_rate = 0.2;
  Trainer<double> switched(small(), sgd, data);
  for (int i = 0; i < 50; ++i) REQUIRE(switched.step());
  TrainConfig adam = sgd;
  adam.optimizer = Optimizer::adam;
  adam.learning_rate = 0.01;
  switched.set_train_config(adam);

  Trainer<double> fresh(small(), adam, data);
  copy_parameters(switched.network(), fresh.network());
  const Network<double> before = switched.network();
  REQUIRE(switched.step());
  REQUIRE(fresh.step());
  for (int l = 0; l < 3; ++l) {
    const Matrix<double> step_switched = switched.network().layer(l).W - before.layer(l).W;
    const Matrix<double> step_fresh = fresh.network().layer(l).W - before.layer(l).W;
    CHECK((step_switched - step_fresh).norm() < 1e-12 * step_fresh.norm());
    // Adam's bias-corrected first step is ≈ η per weight, not the 3.2 η of t = 51.
    CHECK(step_switched.cwiseAbs().maxCoeff() <= 0.01 * (1 + 1e-6));
  }
}

TEST_CASE("switching to Adam during pretraining also starts Adam afresh", "[update][optimizer][pretraining]") {
  // The autoencoder's first Adam step after 20 momentum steps is ≈ η per weight,
  // as a fresh Adam's is; with momentum's v and step count reused it would not be.
  auto data = gauss(40);
  TrainConfig t;
  t.batch_size = 40;
  t.learning_rate = 0.2;
  t.optimizer = Optimizer::momentum;
  t.pretrain_epochs = 50;
  Trainer<double> trainer(small({2, 5, 5, 1}), t, data);
  for (int i = 0; i < 20; ++i) REQUIRE(trainer.step());
  TrainConfig adam = t;
  adam.optimizer = Optimizer::adam;
  adam.learning_rate = 0.01;
  trainer.set_train_config(adam);
  const Network<double> before = *trainer.pretrainer()->autoencoder();
  REQUIRE(trainer.step());
  REQUIRE(trainer.pretrainer()->layer() == 0);
  const Network<double>& after = *trainer.pretrainer()->autoencoder();
  for (int l = 0; l < 2; ++l) {
    const double largest = (after.layer(l).W - before.layer(l).W).cwiseAbs().maxCoeff();
    INFO("layer " << l << ": largest first Adam step " << largest);
    CHECK(largest <= 0.01 * (1 + 1e-6));
    CHECK(largest >= 0.0099);  // |m̂|/√v̂ = 1 at t = 1, for every weight whose gradient is not ~0
  }
}

TEST_CASE("a batch whose variance overflows is refused, not folded into the running statistics", "[update][divergence]") {
  // z finite but huge: σ²_B overflows float, so 1/√(σ² + ε) = 0, x̂ = 0 and the
  // activations, loss and gradients all stay finite. Only the running variance
  // would become infinite, for good.
  NetworkConfig c = small({2, 5, 5, 1});
  c.batch_norm = true;
  Network<float> net(c);
  const auto batch = test::random_batch(2, 1, 8, 4);
  const Matrix<float> X = batch.X.cast<float>(), Y = batch.Y.cast<float>();
  net.layer(0).W.row(0).setConstant(1e20f);
  net.forward(X, Pass::train);
  net.backward(X, Y);
  REQUIRE(net.layer(0).A.allFinite());
  REQUIRE_FALSE(std::isfinite(net.layer(0).batch_var(0)));
  const Network<float> before = net;
  Updater<float> updater(net.num_layers());
  CHECK(updater.apply(net, TrainConfig{}, 8, nullptr) == 0);
  CHECK(net.layer(0).running_var == before.layer(0).running_var);
  CHECK(net.layer(0).running_var.allFinite());
  CHECK(net.layer(0).W == before.layer(0).W);
}

TEST_CASE("a step whose new values would overflow leaves the network exactly as it was", "[update][divergence]") {
  // The step Δ itself is finite; W + Δ is not. Batch norm too: the running
  // statistics of the failed step's forward pass must not be folded in.
  NetworkConfig c = small({2, 5, 5, 1});
  c.batch_norm = true;
  Network<float> net(c);
  const auto batch = test::random_batch(2, 1, 8, 4);
  const Matrix<float> X = batch.X.cast<float>(), Y = batch.Y.cast<float>();
  net.forward(X, Pass::train);
  net.backward(X, Y);
  net.layer(1).W(0, 0) = 3.0e38f;
  net.layer(1).dW(0, 0) = -1.0e38f;  // SGD: Δ = −η g = +1e38 at η = 1; 3e38 + 1e38 > FLT_MAX
  const Network<float> before = net;
  TrainConfig t;
  t.learning_rate = 1.0;
  Updater<float> updater(net.num_layers());
  StepStats stats;
  stats.resize(net.num_layers());
  CHECK(updater.apply(net, t, 8, &stats) == 1);
  for (int l = 0; l < net.num_layers(); ++l) {
    INFO("layer " << l);
    CHECK(net.layer(l).W == before.layer(l).W);
    CHECK(net.layer(l).b == before.layer(l).b);
    CHECK(net.layer(l).gamma == before.layer(l).gamma);
    CHECK(net.layer(l).beta == before.layer(l).beta);
    CHECK(net.layer(l).running_mean == before.layer(l).running_mean);
    CHECK(net.layer(l).running_var == before.layer(l).running_var);
  }
  // A harmless step is then applied in full, running statistics included.
  net.layer(1).W(0, 0) = 0.5f;
  net.forward(X, Pass::train);
  net.backward(X, Y);
  CHECK(updater.apply(net, t, 8, &stats) == -1);
  CHECK(net.layer(0).running_mean != before.layer(0).running_mean);
}

TEST_CASE("L1 is a proximal step: weights that would cross zero stop at exactly zero", "[update][penalty]") {
  auto data = gauss(50);
  TrainConfig t;
  t.batch_size = 50;
  t.learning_rate = 0.5;
  t.l1 = 4;  // shrink ηλ₁/n = 0.04 a step
  NetworkConfig c = small({2, 6, 6, 1});
  Trainer<double> trainer(c, t, data);
  Network<double> ref = trainer.network();
  test::reference_gradients(ref, *data);
  REQUIRE(trainer.step());
  for (int l = 0; l < 3; ++l) {
    const auto& r = ref.layer(l);
    const Matrix<double> w = r.W - 0.5 * r.dW;  // the SGD step, then the shrink
    const Matrix<double> expected = ((w.array().abs() - 0.04).max(0.0) * w.array().sign()).matrix();
    CHECK((trainer.network().layer(l).W - expected).norm() < 1e-12);
    CHECK((trainer.network().layer(l).b - (r.b - 0.5 * r.db)).norm() < 1e-12);  // biases: no penalty
  }
  for (int i = 0; i < 30; ++i) REQUIRE(trainer.step());
  long zeros = 0, total = 0;
  for (int l = 0; l < 3; ++l) {
    zeros += (trainer.network().layer(l).W.array() == 0.0).count();
    total += trainer.network().layer(l).W.size();
  }
  INFO(zeros << " of " << total << " weights are exactly zero");
  CHECK(zeros > total / 4);
  Trainer<double> plain(c, TrainConfig{}, data);
  for (int i = 0; i < 31; ++i) REQUIRE(plain.step());
  for (int l = 0; l < 3; ++l) CHECK((plain.network().layer(l).W.array() == 0.0).count() == 0);
}

TEST_CASE("clipping bounds the step at η·T under SGD and η·T/(1 − β) under momentum", "[update][clipping]") {
  // What the page's clipping note says, measured: every step over 40 steps of a
  // run whose gradient norm is far above T.
  auto data = gauss();
  for (Optimizer o : {Optimizer::sgd, Optimizer::momentum}) {
    TrainConfig t;
    t.batch_size = 8;
    t.learning_rate = 0.3;
    t.clip_norm = 0.01;
    t.optimizer = o;
    t.momentum = 0.9;
    Trainer<double> trainer(small(), t, data);
    const double bound = o == Optimizer::sgd ? 0.3 * 0.01 : 0.3 * 0.01 / (1 - 0.9);
    double largest = 0;
    for (int i = 0; i < 40; ++i) {
      const Network<double> before = trainer.network();
      REQUIRE(trainer.step());
      REQUIRE(trainer.stats().clipped);
      double step2 = 0;
      for (int l = 0; l < 3; ++l) {
        step2 += (trainer.network().layer(l).W - before.layer(l).W).squaredNorm();
        step2 += (trainer.network().layer(l).b - before.layer(l).b).squaredNorm();
      }
      largest = std::max(largest, std::sqrt(step2));
    }
    INFO(to_string(o) << ": largest step " << largest << ", bound " << bound);
    CHECK(largest <= bound * (1 + 1e-9));
    if (o == Optimizer::momentum) CHECK(largest > 0.3 * 0.01 * 3);  // momentum does exceed η·T
  }
}

TEST_CASE("pretraining trains with the current optimizer, η, batch size, clipping and penalties", "[update][pretraining]") {
  // One pretraining step of hidden layer 1's autoencoder against the rule by hand:
  // full batch, SGD with momentum, clipped by norm, with L2.
  auto data = gauss(40);
  TrainConfig t;
  t.batch_size = 40;
  t.learning_rate = 0.2;
  t.optimizer = Optimizer::momentum;
  t.clip_norm = 0.05;
  t.l2 = 2;
  t.pretrain_epochs = 2;
  NetworkConfig c = small({2, 5, 5, 1});
  Trainer<double> trainer(c, t, data);
  REQUIRE(trainer.pretraining());
  Network<double> ae = *trainer.pretrainer()->autoencoder();
  const test::Batch b = test::full_batch(*data);
  ae.forward(b.X);
  ae.backward(b.X, b.X);  // the target is the input
  double g2 = 0;
  for (int l = 0; l < 2; ++l) g2 += ae.layer(l).dW.squaredNorm() + ae.layer(l).db.squaredNorm();
  const double scale = std::min(1.0, 0.05 / std::sqrt(g2));
  REQUIRE(scale < 1);  // clipping does fire
  REQUIRE(trainer.step());
  const Network<double>& after = *trainer.pretrainer()->autoencoder();
  for (int l = 0; l < 2; ++l) {
    // first momentum step: v = g; Δ = −η v, with g = clipped ∂C/∂W + (λ/n) W
    const Matrix<double> g = scale * ae.layer(l).dW + (2.0 / 40) * ae.layer(l).W;
    CHECK((after.layer(l).W - (ae.layer(l).W - 0.2 * g)).norm() < 1e-12);
    CHECK((after.layer(l).b - (ae.layer(l).b - 0.2 * scale * ae.layer(l).db)).norm() < 1e-12);
  }
  // A new batch size applies from the next pretraining step: the first epoch was
  // that one full batch; the second, in batches of 15, takes 3 steps (15, 15, 10).
  TrainConfig smaller = t;
  smaller.batch_size = 15;
  trainer.set_train_config(smaller);
  while (trainer.pretraining() && trainer.pretrainer()->layer() == 0) REQUIRE(trainer.step());
  CHECK(trainer.pretrainer()->steps() == 1 + 3);
}

TEST_CASE("pretraining keeps the digits as bytes: no float copy of the data set", "[update][pretraining][memory]") {
  // 8,000 digits as floats would be 25 MB; as bytes they are shared, not copied.
  auto data = test::mnist_train(1);
  NetworkConfig c;
  c.layers = {784, 30, 30, 10};
  TrainConfig t;
  t.pretrain_epochs = 1;
  const double before = test::heap_in_use();
  Trainer<float> trainer(c, t, data);
  for (int i = 0; i < 20; ++i) REQUIRE(trainer.step());
  const double grown = test::heap_in_use() - before;
  INFO("the heap grew by " << grown / 1e6 << " MB");
  CHECK(grown < 4e6);
}

TEST_CASE("a pretraining step that would overflow leaves the autoencoder and the network as they were", "[update][pretraining][divergence]") {
  auto data = gauss(40);
  TrainConfig t;
  t.batch_size = 40;
  t.learning_rate = 1e30;
  t.pretrain_epochs = 1;
  NetworkConfig c = small({2, 5, 5, 1});
  c.weight_init = WeightInit::constant;
  c.init.weight_constant = 1e15;  // the cost stays finite; with η = 1e30 the step does not
  Trainer<float> trainer(c, t, data);
  const Network<float> before = trainer.network();
  const Network<float> ae_before = *trainer.pretrainer()->autoencoder();
  CHECK_FALSE(trainer.step());
  CHECK(trainer.divergence().diverged);
  CHECK_THAT(trainer.divergence().message, Contains("pretraining autoencoder of hidden layer 1"));
  CHECK(trainer.divergence().code == "pretraining");
  for (int l = 0; l < 3; ++l) CHECK(trainer.network().layer(l).W == before.layer(l).W);
  for (int l = 0; l < 2; ++l) CHECK(trainer.pretrainer()->autoencoder()->layer(l).W == ae_before.layer(l).W);
}
