// The trainer: mini-batch gradient descent over a dataset, measuring every
// layer's learning speed and health at each step, and Nielsen's probe measure on
// demand.
//
// It owns the network, the batch order, the optimizer's state and the statistics
// buffers; it shares the (immutable) datasets, so rebuilding a network for a new
// depth does not copy the digits.
//
// Memory: a step holds the caches of one mini-batch; the probe, the evaluations
// and predictions sweep their examples in chunks (sweep_chunk()), so no pass
// holds more than max(mini-batch, chunk) examples' caches. The constructor and
// set_train_config() refuse a configuration whose memory_model() exceeds
// kMemoryBudgetBytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data.hpp"
#include "errors.hpp"
#include "histograms.hpp"
#include "network.hpp"
#include "pretrain.hpp"
#include "rng.hpp"
#include "stats.hpp"
#include "update.hpp"

namespace gradlab {

/// Where a run first produced a NaN or an infinity. Once set, the trainer refuses
/// to step until it is reset.
struct Divergence {
  bool diverged = false;
  long step = -1;    // the step (1-based) whose values became non-finite
  int layer = -1;    // network layer index (0 = first hidden layer)
  std::string code;  // which values: a code of kDivergenceCodes (errors.hpp)
  std::string what;  // the code's English noun: "activations", "loss", "gradients", "weights"
                     // or "pretraining autoencoder"
  std::string message;
};

struct Evaluation {
  double loss = 0.0;      // mean cost
  double accuracy = 0.0;  // fraction classified right
  int examples = 0;
};

/// Nielsen's measure of the learning speed, with the probe set's cost and accuracy
/// from the same forward pass, and the chain of factors behind it (Nielsen ch. 5:
/// δ^l = φ′(z^l) ⊙ (W^{l+1})ᵀ δ^{l+1}). One entry per layer, the output last; the
/// chain's entries (gain, dphiMean, weightGain) are NaN for the output layer.
/// δ is ∂C_x/∂z per example (∂C_x/∂y under batch norm), as in `speed`.
struct Probe {
  std::vector<double> speed;        // ‖mean over the probe set of δ^l_x‖ (Nielsen's speed, ‖∂C/∂b^l‖)
  std::vector<double> grad_rms;     // √(mean over the probe of ‖δ^l_x‖²): the per-example gradient's size
  std::vector<double> gain;         // √(mean over the probe of (‖δ^l_x‖ / ‖δ^{l+1}_x‖)²): the backward gain into layer l
  std::vector<double> dphi_mean;    // mean over units and examples of |φ′| at layer l (φ′(y) under batch norm)
  std::vector<double> weight_gain;  // RMS singular value of W^{l+1}, ‖W^{l+1}‖_F / √min(n_out, n_in)
  Evaluation evaluation;            // on the probe set
};

/// The probe's per-layer quantities by name: the one list the bindings, the page
/// and the CLI's columns (columns.hpp) take their names from.
struct ProbeStatistic {
  const char* key;  // camelCase, as in JavaScript; the CLI writes it in snake_case
  std::vector<double> Probe::*values;
  const char* help;
};
inline const ProbeStatistic kProbeStatistics[] = {
    {"speed", &Probe::speed, "Nielsen's speed: ‖∂C/∂b‖ averaged over the probe (‖∂C/∂β‖ under batch norm)"},
    {"gradRms", &Probe::grad_rms, "√(mean over the probe of ‖δ‖²): the size of one example's gradient"},
    {"gain", &Probe::gain, "√(mean over the probe of (‖δ^l‖/‖δ^{l+1}‖)²): how the gradient grows or shrinks into this layer"},
    {"dphiMean", &Probe::dphi_mean, "mean |φ′(z)| of the layer's units over the probe"},
    {"weightGain", &Probe::weight_gain, "RMS singular value of the layer's outgoing weights W^{l+1}"},
};

/// Examples a sweep's chunk may hold: at most this many, and few enough that
/// their caches fit in kSweepBytes.
inline constexpr int kMaxSweepChunk = 256;
inline constexpr double kSweepBytes = 16.0 * 1024 * 1024;
/// The most bins a histogram may have.
inline constexpr int kMaxHistogramBins = 200;

/// Bytes a trainer of `net` with `train` needs at most (memory_model, a sweep's
/// chunk, the largest pretraining autoencoder), for scalars of `scalar_bytes`.
/// No allocation: a caller can check a configuration before building it.
double trainer_memory_bytes(const NetworkConfig& net, const TrainConfig& train, int scalar_bytes);
/// Throws CoreError (memory_limit, with the largest mini-batch that fits, or
/// memory_limit_layers when none does; "memory: …") when trainer_memory_bytes
/// exceeds kMemoryBudgetBytes.
void check_trainer_memory(const NetworkConfig& net, const TrainConfig& train, int scalar_bytes);

template <typename T>
class Trainer {
 public:
  /// Throws std::invalid_argument for a bad config or data that does not fit the
  /// network's input and output widths. `test` may be null.
  Trainer(const NetworkConfig& net, const TrainConfig& train, std::shared_ptr<const Dataset> train_data,
          std::shared_ptr<const Dataset> test_data = nullptr);

  /// One mini-batch: forward, backward, statistics, update (or, while pretraining,
  /// one mini-batch of the current layer's autoencoder, with the same update
  /// rule). Returns false, and leaves the network as it was, if the step
  /// diverged or had diverged before.
  bool step();

  /// Whether layer-wise pretraining is still running (see TrainConfig::pretrain_epochs).
  bool pretraining() const { return pretrainer_ && !pretrainer_->done(); }
  /// The pretraining phase, or null without pretraining.
  const Pretrainer<T>* pretrainer() const { return pretrainer_.get(); }
  PretrainStatus pretrain_status() const { return pretrainer_ ? pretrainer_->status() : PretrainStatus{}; }

  /// Steps until the current pass over the training set ends. False on divergence.
  bool train_epoch();

  /// Fresh weights from `seed` (the same seed gives the same network), step 0,
  /// divergence cleared.
  void reset(uint64_t seed);
  void reset() { reset(network_.config().seed); }

  /// New η, m, λ, optimizer, clipping; the weights and step count stay (a new
  /// optimizer starts afresh: empty moments, Adam's t = 0). pretrain_epochs only
  /// counts at a reset. Throws, changing nothing, for a bad config or one that
  /// needs more memory than the budget.
  void set_train_config(const TrainConfig& config);
  const TrainConfig& train_config() const { return train_; }

  /// Statistics of the last step.
  const StepStats& stats() const { return stats_; }

  /// Whether step() measures the per-layer statistics (on by default: the page
  /// needs them at every step). Off, a step only trains, the same update bit for
  /// bit, and stats() keeps the last measured step's values (clip_count too):
  /// the benchmark's measure of what the instrumentation costs. Divergence is
  /// still caught by the loss and by the update's check of the new weights (as
  /// "weights" where a measured step would say "gradients"); an infinite z that a
  /// bounded φ hides, which a measured step stops at, is not.
  void set_measuring(bool on) { measuring_ = on; }
  bool measuring() const { return measuring_; }

  /// Nielsen's measure: ‖mean over the first n training examples of ∂C_x/∂b^l‖
  /// for every layer, without updating. Returns the trainer's own buffers.
  /// Under batch norm each chunk of the mini-batch size is normalised with its own
  /// statistics, as a training batch is, and the speed is that of β.
  const Probe& probe(int n = 1000);
  const Probe& last_probe() const { return probe_; }

  /// Glorot & Bengio's histograms (histograms.hpp) of every hidden layer over the
  /// first min(n, sweep_chunk(Pass::probe)) training examples: one forward and
  /// backward pass as the probe's, without updating, `bins` bins a quantity
  /// (2 to kMaxHistogramBins). Returns the trainer's own buffers.
  const Histograms& histograms(int n, int bins);

  /// Mean cost and accuracy of the current network on `data` (first `max_examples`),
  /// with batch norm's running statistics.
  Evaluation evaluate(const Dataset& data, int max_examples = -1);
  Evaluation evaluate_train(int max_examples = -1) { return evaluate(*train_data_, max_examples); }
  Evaluation evaluate_test(int max_examples = -1);

  /// The network's outputs for the columns of X (n_in, N), in chunks, with batch
  /// norm's running statistics: out is (n_out, N).
  void predict(const MatrixView<T>& X, Matrix<T>& out);

  /// Examples per chunk of a sweep: min(kMaxSweepChunk, what fits in
  /// kSweepBytes), and the mini-batch size for a batch-norm probe.
  int sweep_chunk(Pass pass) const;

  /// Bytes this trainer's network and caches need at most (see memory_model).
  double memory_bytes() const { return trainer_memory_bytes(network_.config(), train_, sizeof(T)); }

  const Divergence& divergence() const { return divergence_; }
  long steps() const { return step_; }
  int epoch() const { return epoch_; }
  /// Steps in one pass over the training set.
  int steps_per_epoch() const;

  Network<T>& network() { return network_; }
  const Network<T>& network() const { return network_; }
  const Dataset& train_data() const { return *train_data_; }
  const Dataset* test_data() const { return test_data_.get(); }

 private:
  void check_data(const Dataset& d, const char* which) const;
  void gather_batch(int begin, int count);
  void make_targets(const std::vector<uint8_t>& labels, int begin, int count, Matrix<T>& Y) const;
  bool diverge(int layer, const char* code);
  void next_epoch_order();
  int measure_forward();
  int measure_backward();
  template <typename ChunkFn>
  Evaluation sweep(const Dataset& d, int n, Pass pass, ChunkFn&& after_forward);
  template <typename ColumnsFn, typename ChunkFn>
  void sweep_chunks(Eigen::Index n, Pass pass, ColumnsFn&& columns_of, ChunkFn&& after_forward);

  Network<T> network_;
  TrainConfig train_;
  std::shared_ptr<const Dataset> train_data_, test_data_;
  Rng batch_rng_;
  std::vector<int> order_;  // this epoch's permutation of the training examples
  int cursor_ = 0;          // next position in order_
  long step_ = 0;
  int epoch_ = 0;
  StepStats stats_;
  Probe probe_;
  Histograms histograms_;
  Divergence divergence_;
  bool measuring_ = true;
  Matrix<T> X_, Y_;  // the current batch: (n_in, m), (n_out, m)
  std::vector<uint8_t> batch_labels_;
  Updater<T> updater_;
  std::unique_ptr<Pretrainer<T>> pretrainer_;
};

extern template class Trainer<float>;
extern template class Trainer<double>;

}  // namespace gradlab
