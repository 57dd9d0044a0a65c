// The session the page drives: what a config change rebuilds, and what a bad
// config leaves alone.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
std::vector<uint8_t> mnist_bytes() {
  std::ifstream in(GRADLAB_MNIST_BIN, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

TEST_CASE("a session rebuilds on shape changes and keeps weights on η changes", "[session]") {
  Session s;
  const auto bytes = mnist_bytes();
  s.load_mnist(bytes.data(), bytes.size());
  ExperimentConfig c;
  REQUIRE(s.configure(c));
  CHECK(s.layer_widths() == std::vector<int>{784, 30, 30, 30, 10});
  CHECK(s.train_data().size() == 8000);
  CHECK(s.test_data().size() == 2000);
  const auto initial = s.probe().speed;
  CHECK(s.step(5) == 5);
  c.learning_rate = 0.5;
  CHECK_FALSE(s.configure(c));  // same network, new η
  CHECK(s.trainer().steps() == 5);
  CHECK(s.trainer().train_config().learning_rate == 0.5);
  c.optimizer = Optimizer::adam;  // training settings keep the network
  c.clip_norm = 1.0;
  CHECK_FALSE(s.configure(c));
  c.optimizer = Optimizer::sgd;
  c.clip_norm = 0.0;
  c.elu_alpha = 2.0;  // a network setting, even one sigmoid ignores, builds anew
  CHECK(s.configure(c));
  c.elu_alpha = 1.0;
  c.depth = 5;
  CHECK(s.configure(c));
  CHECK(s.layer_widths().size() == 7);
  c.depth = 3;
  CHECK(s.configure(c));
  CHECK(s.probe().speed == initial);  // same seed, same network
}

TEST_CASE("a bad config throws and leaves the session as it was", "[session]") {
  Session s;
  ExperimentConfig c;
  c.data = DataSource::circle;
  REQUIRE(s.configure(c));
  CHECK(s.layer_widths() == std::vector<int>{2, 30, 30, 30, 1});
  ExperimentConfig bad = c;
  bad.depth = 0;
  CHECK_THROWS_WITH(s.configure(bad), Contains("depth (hidden layers) must be between 1 and 64 (got 0)"));
  bad = c;
  bad.width = 5000;
  CHECK_THROWS_WITH(s.configure(bad), Contains("width"));
  bad = c;
  bad.learning_rate = -1;
  CHECK_THROWS_WITH(s.configure(bad), Contains("learning_rate"));
  bad = c;
  bad.noise = std::nan("");
  CHECK_THROWS_WITH(s.configure(bad), Contains("noise"));
  bad = c;
  bad.data = DataSource::mnist;  // never loaded
  CHECK_THROWS_WITH(s.configure(bad), Contains("MNIST digits are not loaded"));
  CHECK(s.config().data == DataSource::circle);
  CHECK(s.step(3) == 3);
  std::vector<uint8_t> junk{1, 2, 3};
  CHECK_THROWS_WITH(s.load_mnist(junk.data(), junk.size()), Contains("not a gradlab MNIST file"));
  CHECK_FALSE(s.has_mnist());
}

TEST_CASE("two classes: one sigmoid output, or two softmax outputs", "[session]") {
  Session s;
  ExperimentConfig c;
  c.data = DataSource::xor_;
  c.cost = Cost::log_likelihood;
  s.configure(c);
  CHECK(s.layer_widths().back() == 2);
  c.cost = Cost::quadratic;
  s.configure(c);
  CHECK(s.layer_widths().back() == 1);
}

TEST_CASE("the decision grid and test outputs", "[session]") {
  Session s;
  ExperimentConfig c;
  c.data = DataSource::gauss;
  c.activation = Activation::tanh;
  c.weight_init = WeightInit::xavier_normal;
  c.learning_rate = 0.3;
  s.configure(c);
  for (int i = 0; i < 200; ++i) s.step(10);
  const auto& grid = s.decision_grid(20, 1.0);
  REQUIRE(grid.size() == 400);
  // Class 1 is the blob at (+2, +2)/6: top right is class 1, bottom left class 0.
  CHECK(grid[19] > 0.8f);         // row 0 (y = +1), last column (x = +1)
  CHECK(grid[20 * 19] < 0.2f);    // last row (y = −1), first column (x = −1)
  const auto& out = s.test_outputs(7);
  CHECK(out.size() == 7);
  CHECK_THROWS_WITH(s.decision_grid(1, 1.0), Contains("resolution"));
}
