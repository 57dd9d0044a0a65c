// The recurrent networks (recurrent.hpp): back-propagation through time against
// finite differences for both cells and both tasks, a one-step RNN against the
// MLP core, and the vanishing gradient through time of the tanh RNN against the
// LSTM's additive cell state.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

namespace {
RecurrentConfig config(Cell cell, SequenceTask task, int symbols, int hidden) {
  RecurrentConfig c;
  c.cell = cell;
  c.inputs = task == SequenceTask::first ? symbols : 2;
  c.outputs = task == SequenceTask::first ? symbols : 1;
  c.regression = task == SequenceTask::adding;
  c.hidden = hidden;
  c.forget_bias = 0.5;
  c.seed = 4;
  return c;
}
}  // namespace

TEST_CASE("BPTT: every parameter's gradient against central differences, both cells, both tasks", "[recurrent]") {
  for (Cell cell : {Cell::rnn, Cell::lstm}) {
    for (SequenceTask task : {SequenceTask::first, SequenceTask::adding}) {
      INFO(to_string(cell) << ", " << to_string(task));
      const Sequences data = make_sequences(task, 5, 6, 4, 11);
      RecurrentNet<double> net(config(cell, task, 4, 3));
      net.forward(data, 0, 5);
      net.backward(data, 0, 5);
      for (size_t p = 0; p < net.params().size(); ++p) {
        auto& param = net.params()[p];
        for (Eigen::Index i = 0; i < param.value.size(); ++i) {
          const double h = 1e-6, keep = param.value.data()[i];
          param.value.data()[i] = keep + h;
          const double up = net.forward(data, 0, 5);
          param.value.data()[i] = keep - h;
          const double down = net.forward(data, 0, 5);
          param.value.data()[i] = keep;
          const double numeric = (up - down) / (2 * h);
          INFO("parameter " << p << ", entry " << i);
          CHECK(test::relative_error(param.grad.data()[i], numeric, 1e-7) < 1e-5);
        }
      }
    }
  }
}

TEST_CASE("a one-step RNN is a one-hidden-layer tanh MLP: the same loss and gradients as the MLP core", "[recurrent]") {
  const Sequences data = make_sequences(SequenceTask::first, 7, 2, 5, 3);
  // Only the first step matters for T = 1: a sequence of length 2 cut to its first step.
  Sequences one = data;
  one.inputs.resize(1);
  RecurrentNet<double> rnn(config(Cell::rnn, SequenceTask::first, 5, 4));
  NetworkConfig nc;
  nc.layers = {5, 4, 5};
  nc.activation = Activation::tanh;
  nc.cost = Cost::log_likelihood;
  Network<double> mlp(nc);
  mlp.layer(0).W = rnn.params()[0].value;
  mlp.layer(0).b = rnn.params()[2].value.col(0);
  mlp.layer(1).W = rnn.params()[3].value;
  mlp.layer(1).b = rnn.params()[4].value.col(0);
  const Matrix<double> X = one.inputs[0].cast<double>();
  Matrix<double> Y = Matrix<double>::Zero(5, 7);
  for (int x = 0; x < 7; ++x) Y(one.labels[static_cast<size_t>(x)], x) = 1;
  mlp.forward(X);
  const double mlp_loss = mlp.cost_sum(Y) / 7;
  mlp.backward(X, Y);
  CHECK(rnn.forward(one, 0, 7) == Approx(mlp_loss).epsilon(1e-12));
  rnn.backward(one, 0, 7);
  CHECK((rnn.params()[0].grad - mlp.layer(0).dW).norm() < 1e-12);
  CHECK((rnn.params()[2].grad.col(0) - mlp.layer(0).db).norm() < 1e-12);
  CHECK((rnn.params()[3].grad - mlp.layer(1).dW).norm() < 1e-12);
  CHECK((rnn.params()[4].grad.col(0) - mlp.layer(1).db).norm() < 1e-12);
  CHECK(rnn.params()[1].grad.norm() == 0);  // no earlier step for W_h to act on
}

TEST_CASE("through 50 steps the tanh RNN's gradient vanishes; the LSTM's cell state carries it", "[recurrent]") {
  // 8 symbols, 32 units, T = 50, at initialization, three seeds: ‖∂L/∂h_1‖/‖∂L/∂h_T‖.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const Sequences data = make_sequences(SequenceTask::first, 64, 50, 8, seed);
    double ratio[2];
    for (Cell cell : {Cell::rnn, Cell::lstm}) {
      RecurrentConfig c = config(cell, SequenceTask::first, 8, 32);
      c.forget_bias = 3;
      c.seed = seed;
      RecurrentNet<double> net(c);
      net.forward(data, 0, 64);
      net.backward(data, 0, 64);
      const auto& g = net.grad_through_time();
      ratio[cell == Cell::lstm] = g.front() / g.back();
    }
    INFO("seed " << seed << ": rnn " << ratio[0] << ", lstm " << ratio[1]);
    CHECK(ratio[0] < 1e-3);
    CHECK(ratio[1] / ratio[0] > 100);
  }
}

TEST_CASE("the tasks: seeded, one-hot symbols with the first as the label, two marked values summed", "[recurrent]") {
  const Sequences f = make_sequences(SequenceTask::first, 100, 20, 8, 5);
  REQUIRE(f.size() == 100);
  REQUIRE(f.length() == 20);
  for (int x = 0; x < 100; ++x) {
    Eigen::Index symbol;
    CHECK(f.inputs[0].col(x).maxCoeff(&symbol) == 1.0f);
    CHECK(symbol == f.labels[static_cast<size_t>(x)]);
    for (int t = 0; t < 20; ++t) CHECK(f.inputs[static_cast<size_t>(t)].col(x).sum() == 1.0f);
  }
  CHECK(make_sequences(SequenceTask::first, 100, 20, 8, 5).labels == f.labels);
  const Sequences a = make_sequences(SequenceTask::adding, 50, 30, 0, 5);
  REQUIRE(a.features() == 2);
  for (int x = 0; x < 50; ++x) {
    double sum = 0, marks = 0;
    for (int t = 0; t < 30; ++t) {
      const auto& in = a.inputs[static_cast<size_t>(t)];
      marks += in(1, x);
      if (in(1, x) == 1.0f) sum += in(0, x);
    }
    CHECK(marks == 2);
    CHECK(a.targets[static_cast<size_t>(x)] == Approx(sum));
  }
}

TEST_CASE("trained with Adam and clipping, both cells learn the first symbol at T = 10; the run is seeded", "[recurrent]") {
  for (Cell cell : {Cell::rnn, Cell::lstm}) {
    INFO(to_string(cell));
    RecurrentConfig c = config(cell, SequenceTask::first, 8, 32);
    c.forget_bias = 3;
    c.recurrent_scale = RecurrentConfig{}.recurrent_scale;
    c.seed = 1;
    RecurrentTrainer<float> trainer(c, make_sequences(SequenceTask::first, 2048, 10, 8, 1),
                                    make_sequences(SequenceTask::first, 512, 10, 8, 2), {});
    const double chance = trainer.evaluate_test().second;
    CHECK(chance < 0.25);
    for (int i = 0; i < 600; ++i) REQUIRE(trainer.step());
    CHECK(trainer.evaluate_test().second > 0.9);
    // The same seed, the same run.
    RecurrentTrainer<float> again(c, make_sequences(SequenceTask::first, 2048, 10, 8, 1),
                                  make_sequences(SequenceTask::first, 512, 10, 8, 2), {});
    for (int i = 0; i < 600; ++i) again.step();
    CHECK((again.net().params()[1].value - trainer.net().params()[1].value).norm() == 0);
  }
}

TEST_CASE("clipping bounds the step; an update that would overflow is refused and the run reports it", "[recurrent]") {
  RecurrentConfig c = config(Cell::rnn, SequenceTask::adding, 0, 16);
  c.recurrent_scale = 3;  // exploding
  RecurrentTrainer<double>::Settings s;
  s.optimizer = {Optimizer::sgd, 1e300, 0.9};
  s.clip_norm = 0;
  RecurrentTrainer<double> trainer(c, make_sequences(SequenceTask::adding, 64, 40, 0, 1), make_sequences(SequenceTask::adding, 16, 40, 0, 2), s);
  bool ok = true;
  for (int i = 0; i < 5 && ok; ++i) ok = trainer.step();
  CHECK(!ok);
  CHECK(trainer.diverged());
  CHECK(trainer.net().params()[1].value.allFinite());
  CHECK(!trainer.step());
  // With clipping at 1 under SGD, a step moves the parameters by at most η.
  s.optimizer = {Optimizer::sgd, 0.01, 0.9};
  s.clip_norm = 1;
  RecurrentTrainer<double> clipped(c, make_sequences(SequenceTask::adding, 64, 40, 0, 1), make_sequences(SequenceTask::adding, 16, 40, 0, 2), s);
  std::vector<Matrix<double>> start;
  for (const auto& p : clipped.net().params()) start.push_back(p.value);
  REQUIRE(clipped.step());
  double moved = 0;
  for (size_t i = 0; i < start.size(); ++i) moved += (clipped.net().params()[i].value - start[i]).squaredNorm();
  CHECK(clipped.grad_norm() > 1);
  CHECK(std::sqrt(moved) == Approx(0.01).epsilon(1e-9));
}

TEST_CASE("the recurrent session trains the model's cell and the other on the same sequences", "[recurrent]") {
  ExperimentConfig c = defaults_for(Model::rnn);
  c.seq_len = 8;
  c.hidden = 12;
  c.train_sequences = 300;
  c.test_sequences = 100;
  RecurrentSession session;
  CHECK(session.configure(c, true));
  REQUIRE(session.cells() == 2);
  CHECK(session.cell(0) == Cell::rnn);
  CHECK(session.cell(1) == Cell::lstm);
  CHECK(session.step(25) == 25);
  CHECK(session.steps() == 25);
  // Each cell is the trainer the config describes, on the split the config describes.
  for (int i = 0; i < 2; ++i) {
    INFO(to_string(session.cell(i)));
    SequenceSplit data = make_sequence_split(c.task, c.train_sequences, c.test_sequences, c.seq_len, c.symbols,
                                             static_cast<uint64_t>(c.data_seed));
    RecurrentTrainer<float> alone(recurrent_config(c, session.cell(i)), std::move(data.train), std::move(data.test),
                                  recurrent_settings(c));
    for (int k = 0; k < 25; ++k) REQUIRE(alone.step());
    const std::vector<double> expected = alone.probe();
    CHECK(session.probe(i).grad_through_time == expected);
    CHECK(session.evaluate_test(i) == alone.evaluate_test());
  }
  // η and clipping keep the weights; the length makes new sequences and networks.
  const std::vector<double> before = session.probe(0).grad_through_time;
  c.learning_rate = 0.01;
  c.clip_norm = 0.5;
  CHECK_FALSE(session.configure(c, true));
  CHECK(session.probe(0).grad_through_time == before);
  CHECK(session.steps() == 25);
  c.seq_len = 9;
  CHECK(session.configure(c, true));
  CHECK(session.steps() == 0);
  CHECK(session.probe(0).grad_through_time.size() == 9);
  // Reset: the seed's networks again.
  const std::vector<double> fresh = session.probe(1).grad_through_time;
  session.step(5);
  CHECK(session.probe(1).grad_through_time != fresh);
  session.reset();
  CHECK(session.probe(1).grad_through_time == fresh);
  // Alone: one cell. A bad value or an MLP changes nothing.
  CHECK(session.configure(c, false));
  CHECK(session.cells() == 1);
  ExperimentConfig bad = c;
  bad.seq_len = kMaxSequenceLength + 1;
  CHECK_THROWS_AS(session.configure(bad), SettingError);
  bad = c;
  bad.model = Model::mlp;
  CHECK_THROWS_AS(session.configure(bad), std::invalid_argument);
  CHECK(session.config() == c);
  CHECK_THROWS_AS(session.probe(1), std::out_of_range);
}

TEST_CASE("the recurrent session goes on while one cell has diverged, and stops when all have", "[recurrent]") {
  ExperimentConfig c = defaults_for(Model::rnn);
  c.task = SequenceTask::adding;
  c.seq_len = 40;
  c.hidden = 16;
  c.train_sequences = 64;
  c.test_sequences = 16;
  c.recurrent_scale = 4;
  c.optimizer = Optimizer::sgd;
  c.learning_rate = 0.5;
  c.clip_norm = 0;
  RecurrentSession session;
  session.configure(c, true);
  // The exploding RNN stops; the session goes on with the LSTM.
  CHECK(session.step(200) == 200);
  CHECK(session.diverged(0));
  CHECK(session.cell_steps(0) < 200);
  CHECK_FALSE(session.diverged(1));
  CHECK(session.cell_steps(1) == 200);
  // At η = 100 the LSTM diverges too, and the session stops there.
  c.learning_rate = 100;
  session.configure(c, true);
  session.reset();
  const int done = session.step(200);
  CHECK(done < 200);
  CHECK(session.steps() == done);
  CHECK(session.diverged(0));
  CHECK(session.diverged(1));
  CHECK(session.step(5) == 0);
}
