// A session: what one reader of the page (or one test) drives. It owns the data
// (the MNIST digits handed in as bytes, or a generated 2-D set), the trainer, and
// the experiment's configuration, and knows which changes need a new network
// (depth, activation, init, seed, data) and which do not (η, m, λ).
//
// Pure C++: the wasm bindings only register it.
#pragma once

#include <memory>
#include <vector>

#include "data.hpp"
#include "trainer.hpp"

namespace gradlab {

enum class DataSource { mnist, circle, xor_, gauss, spiral };
inline constexpr NameTable<DataSource, 5> kDataSourceNames{{
    {DataSource::mnist, "mnist"},
    {DataSource::circle, "circle"},
    {DataSource::xor_, "xor"},
    {DataSource::gauss, "gauss"},
    {DataSource::spiral, "spiral"},
}};
inline const char* to_string(DataSource d) { return name_of(kDataSourceNames, d); }

/// One experiment, as the page's controls and URL hash describe it.
struct ExperimentConfig {
  DataSource data = DataSource::mnist;
  double noise = 0.0;  // 2-D sets, 0–1
  int samples = 500;   // 2-D sets: points in all (a fifth are held out)
  int depth = 3;       // hidden layers
  int width = 30;      // units per hidden layer
  Activation activation = Activation::sigmoid;
  double leaky_slope = 0.01;
  double elu_alpha = 1.0;
  WeightInit weight_init = WeightInit::nielsen;
  BiasInit bias_init = BiasInit::normal;
  double sigma_w = 1.0;
  double sigma_b = 1.0;
  double weight_constant = 0.1;
  double bias_constant = 0.0;
  Cost cost = Cost::cross_entropy;
  bool batch_norm = false;
  bool residual = false;
  double learning_rate = 0.1;
  int batch_size = 10;
  double l2 = 0.0;
  double l1 = 0.0;
  Optimizer optimizer = Optimizer::sgd;
  double momentum = 0.9;
  double clip_norm = 0.0;
  double clip_value = 0.0;
  int pretrain_epochs = 0;
  int seed = 1;         // weights and batch order
  int data_seed = 1;    // the train/test split and the 2-D points
  int train_size = 0;   // training examples used; 0 = the whole split
  int test_size = -1;   // examples held out: -1 = 2000 digits or a fifth of a 2-D set
  int probe_size = 1000;
};

/// Limits of the page's controls, checked by configure().
inline constexpr int kMaxDepth = 64;
inline constexpr int kMaxSessionWidth = 1024;

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The MNIST file's bytes (see parse_mnist). Throws on malformed bytes, keeping
  /// any digits loaded before.
  void load_mnist(const uint8_t* bytes, size_t size);
  bool has_mnist() const { return mnist_ != nullptr; }

  /// Applies `config`. A new shape, activation, init, cost, seed or data builds a
  /// fresh network (the same seed gives the same weights); a new η, m or λ keeps
  /// the weights. Returns whether the network was rebuilt. Throws
  /// std::invalid_argument for a bad config and then changes nothing.
  bool configure(const ExperimentConfig& config);
  const ExperimentConfig& config() const { return config_; }
  bool configured() const { return trainer_ != nullptr; }

  /// Up to n training steps; stops early on divergence. Returns the steps done.
  int step(int n);
  /// Fresh weights from the config's seed, step 0.
  void reset();

  /// Nielsen's speeds over the first probe_size training examples, with their cost
  /// and accuracy.
  const Probe& probe();
  Evaluation evaluate_test(int max_examples);

  /// P(class 1) on a resolution² grid over [−extent, extent]² (2-D sets), row by
  /// row from the top (y = +extent) down.
  const std::vector<float>& decision_grid(int resolution, double extent);
  /// Output activations (n_out, count) for the first `count` test examples.
  const std::vector<float>& test_outputs(int count);

  Trainer<float>& trainer();
  const Dataset& train_data() const { return *train_; }
  const Dataset& test_data() const { return *test_; }
  /// Widths, input to output, of the current network.
  const std::vector<int>& layer_widths() const;

  /// Sessions alive in this process (to check that bindings free them).
  static int live_count();

 private:
  NetworkConfig network_config(const ExperimentConfig& c, const Dataset& data) const;

  ExperimentConfig config_;
  std::shared_ptr<const Dataset> mnist_, train_, test_;
  std::unique_ptr<Trainer<float>> trainer_;
  std::vector<float> grid_, outputs_;
};

}  // namespace gradlab
