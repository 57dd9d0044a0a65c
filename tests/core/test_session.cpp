// The session the page and the CLI drive: what a config change rebuilds, what a
// bad config leaves alone, the views' sizes, and the memory a configuration may
// take.
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

// The largest 2-D network of the table's ranges, with batch norm, shortcuts and
// Adam's two moments: what memory is measured on.
ExperimentConfig largest() {
  ExperimentConfig c;
  c.dataset = DataSource::spiral;
  c.depth = 40;
  c.width = 256;
  c.batch_norm = true;
  c.residual = true;
  c.optimizer = Optimizer::adam;
  return c;
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
  c.dataset = DataSource::circle;
  REQUIRE(s.configure(c));
  CHECK(s.layer_widths() == std::vector<int>{2, 30, 30, 30, 1});
  ExperimentConfig bad = c;
  bad.depth = 0;
  CHECK_THROWS_WITH(s.configure(bad), Contains("depth must be between 1 and 40 (got 0)"));
  bad = c;
  bad.width = 5000;
  CHECK_THROWS_WITH(s.configure(bad), Contains("width must be between 1 and 256 (got 5000)"));
  bad = c;
  bad.learning_rate = -1;
  CHECK_THROWS_WITH(s.configure(bad), Contains("learningRate must be between"));
  bad = c;
  bad.noise = std::nan("");
  CHECK_THROWS_WITH(s.configure(bad), Contains("noise"));
  bad = c;
  bad.train_size = 500;  // 400 training points in the split
  CHECK_THROWS_WITH(s.configure(bad), Contains("trainSize: 500 is more than the 400 training examples"));
  bad = c;
  bad.dataset = DataSource::mnist;  // never loaded
  CHECK_THROWS_WITH(s.configure(bad), Contains("MNIST digits are not loaded"));
  CHECK(s.config().dataset == DataSource::circle);
  CHECK(s.step(3) == 3);
  std::vector<uint8_t> junk{1, 2, 3};
  CHECK_THROWS_WITH(s.load_mnist(junk.data(), junk.size()), Contains("not a gradlab MNIST file"));
  CHECK_FALSE(s.has_mnist());
}

TEST_CASE("two classes: one sigmoid output, or two softmax outputs", "[session]") {
  Session s;
  ExperimentConfig c;
  c.dataset = DataSource::xor_;
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
  c.dataset = DataSource::gauss;
  c.activation = Activation::tanh;
  c.weight_init = WeightInit::xavier_normal;
  c.learning_rate = 0.3;
  s.configure(c);
  for (int i = 0; i < 200; ++i) s.step(10);
  const int r = s.view_plan().grid_resolution;
  REQUIRE(r == kGridResolution);  // a small network: the full grid
  const auto& grid = s.decision_grid(1.0);
  REQUIRE(grid.size() == static_cast<size_t>(r * r));
  // Class 1 is the blob at (+2, +2)/6: top right is class 1, bottom left class 0.
  CHECK(grid[static_cast<size_t>(r - 1)] > 0.8f);      // row 0 (y = +1), last column (x = +1)
  CHECK(grid[static_cast<size_t>(r * (r - 1))] < 0.2f);  // last row (y = −1), first column (x = −1)
  const auto& out = s.test_outputs(7);
  CHECK(out.size() == 7);
}

TEST_CASE("the views shrink for large networks, and an explicit probe size is kept", "[session][views]") {
  Session s;
  const auto bytes = mnist_bytes();
  s.load_mnist(bytes.data(), bytes.size());
  ExperimentConfig c;
  s.configure(c);
  ViewPlan v = s.view_plan();
  CHECK(v.probe_examples == kNielsenProbeExamples);  // Nielsen's 1000 for his network
  CHECK(v.test_examples == 1000);
  CHECK_FALSE(v.probe_thinned);
  CHECK_FALSE(v.test_thinned);
  c.depth = 40;
  c.width = 256;
  s.configure(c);
  v = s.view_plan();
  CHECK(v.probe_examples == kMinProbeExamples);
  CHECK(v.probe_thinned);
  CHECK(v.test_thinned);
  CHECK(s.probe().evaluation.examples == kMinProbeExamples);
  c.probe_size = 1000;  // asked for explicitly (the CLI's --probe-size): kept
  s.configure(c);
  CHECK(s.view_plan().probe_examples == 1000);
  CHECK_FALSE(s.view_plan().probe_thinned);
  c.dataset = DataSource::spiral;
  c.probe_size = 0;
  s.configure(c);
  CHECK(s.view_plan().grid_resolution == kMinGridResolution);
  CHECK(s.view_plan().grid_thinned);
  CHECK(s.decision_grid(1.2).size() == static_cast<size_t>(kMinGridResolution * kMinGridResolution));
  c.train_size = 100;  // a small training set caps the probe without thinning it
  c.depth = 3;
  c.width = 30;
  s.configure(c);
  CHECK(s.view_plan().probe_examples == 100);
  CHECK_FALSE(s.view_plan().probe_thinned);
}

TEST_CASE("no allowed configuration exceeds the memory budget without a clear message", "[session][memory]") {
  Session s;
  const ExperimentConfig c = largest();
  REQUIRE(s.configure(c));
  ExperimentConfig big = c;
  big.batch_size = 1000;
  CHECK_THROWS_WITH(s.configure(big), Contains("memory: this network needs about") && Contains("use a mini-batch of at most"));
  CHECK(s.config().batch_size == c.batch_size);
  CHECK(s.step(2) == 2);
  // The largest batch the message offers is accepted.
  std::string message;
  try {
    s.configure(big);
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  const auto at = message.find("at most ") + 8;
  big.batch_size = std::stoi(message.substr(at));
  CHECK_FALSE(s.configure(big));
  CHECK(s.trainer().memory_bytes() <= kMemoryBudgetBytes);
  // Every corner of the table's ranges either fits the budget or is refused by
  // configure() with that message: never an abort.
  for (int depth : {1, 40})
    for (int width : {1, 256})
      for (int batch : {1, 1000})
        for (bool bn : {false, true})
          for (int pretrain : {0, 20}) {
            ExperimentConfig corner;
            corner.dataset = DataSource::spiral;
            corner.depth = depth;
            corner.width = width;
            corner.batch_size = batch;
            corner.batch_norm = bn;
            corner.residual = true;
            corner.pretrain_epochs = pretrain;
            Session t;
            try {
              t.configure(corner);
              CHECK(t.trainer().memory_bytes() <= kMemoryBudgetBytes);
            } catch (const std::invalid_argument& e) {
              CHECK_THAT(e.what(), Contains("memory: this network needs about"));
            }
          }
}

TEST_CASE("the memory model bounds what a large network really allocates", "[session][memory]") {
  // The largest 2-D network with batch norm and shortcuts, Adam (two moments):
  // every pass the page runs, then the heap against the trainer's estimate.
  const double before = test::heap_in_use();
  Session s;
  ExperimentConfig c = largest();
  c.batch_size = 32;
  s.configure(c);
  s.step(3);
  s.probe();
  s.evaluate_test();
  s.decision_grid(1.2);
  s.test_outputs(12);
  const double used = test::heap_in_use() - before;
  const double estimate = s.trainer().memory_bytes();
  INFO("heap " << used / 1e6 << " MB, estimate " << estimate / 1e6 << " MB");
  CHECK(used <= estimate + 2e6);  // + the data (500 points) and small vectors
  CHECK(used >= 0.5 * estimate);  // and the estimate is not wildly pessimistic
}
