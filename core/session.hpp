// A session: what one reader of the page, or one run of the CLI, drives. It owns
// the data (the MNIST digits handed in as bytes, or a generated 2-D set), the
// trainer and the experiment's configuration, and knows which changes need a
// new network (depth, activation, init, seed, data) and which do not (η, m, λ).
//
// It also decides how much the page's views may cost for a network (the probe's
// size, the test examples evaluated, the decision grid's resolution): large
// networks get smaller views, so that measuring never starves training.
//
// Pure C++: the wasm bindings only register it.
#pragma once

#include <memory>
#include <vector>

#include "data.hpp"
#include "meanfield.hpp"
#include "settings.hpp"
#include "trainer.hpp"

namespace gradlab {

/// Nielsen's probe: the speeds are averaged over this many training examples.
inline constexpr int kNielsenProbeExamples = 1000;
/// Views of a large network are shrunk so that one pass costs at most about this
/// many multiply-adds (examples × parameters); never below these sizes.
inline constexpr double kViewMultiplyAdds = 2.5e8;
inline constexpr int kMinProbeExamples = 200;
inline constexpr int kMaxCurvePoints = 2000;
inline constexpr int kGridResolution = 48, kMinGridResolution = 24;

/// How large the page's views of the current network are.
struct ViewPlan {
  int probe_examples = 0;   // the speeds' average: probeSize, or 1000 shrunk for large networks
  int test_examples = 0;    // test examples evaluated while training
  int grid_resolution = 0;  // decision boundary: resolution² points (2-D sets)
  bool probe_thinned = false, test_thinned = false, grid_thinned = false;
  int full_probe_examples = kNielsenProbeExamples;  // the sizes when nothing is thinned
  int full_grid_resolution = kGridResolution;
};

/// The network and the training rule an experiment describes, for data with
/// `features` inputs and `classes` classes.
NetworkConfig network_config(const ExperimentConfig& c, int features, int classes);
TrainConfig train_config(const ExperimentConfig& c);

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The MNIST file's bytes (see parse_mnist). Throws CoreError on malformed bytes, keeping
  /// any digits loaded before.
  void load_mnist(const uint8_t* bytes, size_t size);
  bool has_mnist() const { return mnist_ != nullptr; }

  /// Applies `config`. A new shape, activation, init, cost, seed or data builds a
  /// fresh network (the same seed gives the same weights); a new η, m or λ keeps
  /// the weights. Returns whether the network was rebuilt. Throws CoreError
  /// (errors.hpp; a SettingError for a value the table refuses) for a bad config
  /// and then changes nothing.
  bool configure(const ExperimentConfig& config);
  const ExperimentConfig& config() const { return config_; }
  bool configured() const { return trainer_ != nullptr; }

  /// Up to n training steps; stops early on divergence. Returns the steps done.
  /// `measure` false trains without the per-layer statistics (Trainer::set_measuring).
  int step(int n, bool measure = true);
  /// Fresh weights from the config's seed, step 0.
  void reset();

  /// The sizes of the views for the current network (see ViewPlan).
  ViewPlan view_plan() const;

  /// Nielsen's speeds over the first view_plan().probe_examples training
  /// examples, with their cost and accuracy.
  const Probe& probe();
  /// Glorot & Bengio's per-layer histograms (histograms.hpp) over the first of
  /// the probe's examples, `bins` bins each.
  const Histograms& histograms(int bins);
  /// φ and φ' of the network's activation at n points (2 to kMaxCurvePoints)
  /// over [lo, hi]: the n z's, the n φ(z)'s, the n φ'(z)'s.
  const std::vector<double>& activation_curve(double lo, double hi, int n);
  /// sup |φ'| of the network's activation (ActivationFn::derivative_max): 1/4 for sigmoid.
  double activation_peak();
  /// Mean-field theory for the network (mean_field_of).
  MeanField mean_field();
  /// The critical σ_w² of the network's activation at n σ_b² from 0 to max_sigma_b2
  /// (NaN where there is none up to kMaxSigmaW2): the phase diagram's line.
  const std::vector<double>& critical_line(double max_sigma_b2, int n);
  /// σ_w² that `init` stands for at the network's hidden width (effective_sigmas).
  double init_sigma_w2(WeightInit init);
  /// Cost and accuracy on the first view_plan().test_examples test examples.
  Evaluation evaluate_test();

  /// P(class 1) on a view_plan().grid_resolution² grid over [−extent, extent]²
  /// (2-D sets), row by row from the top (y = +extent) down.
  const std::vector<float>& decision_grid(double extent);
  /// Output activations (n_out, count) for the first `count` test examples.
  const std::vector<float>& test_outputs(int count);

  /// Every parameter of the network, layer by layer from the input side: W (column
  /// by column), b, then batch norm's γ, β and running mean and variance where the
  /// layer has them (to compare two builds' runs: tests/node/agreement.test.mjs).
  const std::vector<float>& parameters();

  /// For each layer of the network (hidden layers, then the output), whether it
  /// has a residual shortcut (has_shortcut()).
  std::vector<uint8_t> shortcuts() const;

  Trainer<float>& trainer();
  const Dataset& train_data() const { return *train_; }
  const Dataset& test_data() const { return *test_; }
  /// Widths, input to output, of the current network.
  const std::vector<int>& layer_widths() const;

  /// Sessions alive in this process (to check that bindings free them).
  static int live_count();

 private:
  ExperimentConfig config_;
  std::shared_ptr<const Dataset> mnist_, train_, test_;
  std::unique_ptr<Trainer<float>> trainer_;
  std::vector<float> grid_, outputs_, parameters_;
  std::vector<double> curve_, critical_line_;
  ActivationFn<double> activation_in_double();
};

}  // namespace gradlab
