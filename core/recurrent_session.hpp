// The recurrent networks' session: what the page's recurrent mode and the CLI's
// --model rnn|lstm drive. From an ExperimentConfig (its Sequence settings and the
// training settings the models share) it makes the task's sequences once and
// trains one or two cells on them: the CLI the chosen model, the page the RNN and
// the LSTM side by side, the chosen one first. It knows which changes need new
// sequences (the task), new networks (their shape, scale, seed) or neither (η,
// the batch, the optimizer, clipping: the weights are kept).
//
// Pure C++: the wasm bindings only register it.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "recurrent.hpp"
#include "settings.hpp"

namespace gradlab {

/// The network of `cell` a config describes (its task decides inputs and outputs).
RecurrentConfig recurrent_config(const ExperimentConfig& c, Cell cell);
/// The training rule a config describes.
RecurrentTrainer<float>::Settings recurrent_settings(const ExperimentConfig& c);
/// The sequences and `cells` networks' caches of a config, in bytes.
double recurrent_memory_bytes(const ExperimentConfig& c, int cells);

/// The cell of a recurrent model; the other cell (rnn ↔ lstm).
Cell cell_of(Model m);
Cell other_cell(Cell c);

/// One measurement of a cell on the probe sequences (the first kRecurrentProbeSequences).
struct RecurrentProbe {
  double loss = 0, accuracy = 0;
  std::vector<double> grad_through_time;  // ‖∂L/∂h_t‖, t = 1..T
};

class RecurrentSession {
 public:
  /// Applies `c` (a recurrent model): its cell, and with `compare` the other cell
  /// too, on the same sequences. Returns whether the networks were rebuilt.
  /// Throws SettingError for a value the table refuses, CoreError
  /// ("memory_limit_sequences") for sequences and caches over kMemoryBudgetBytes,
  /// std::invalid_argument for an MLP; and then changes nothing.
  bool configure(const ExperimentConfig& c, bool compare = false);
  const ExperimentConfig& config() const { return config_; }
  bool configured() const { return !trainers_.empty(); }

  /// The cells trained, the model's first.
  int cells() const { return static_cast<int>(trainers_.size()); }
  Cell cell(int i) const { return at(i).net().config().cell; }

  /// Up to n steps of every cell that has not diverged. Returns n, or the steps
  /// done before every cell had diverged.
  int step(int n);
  /// Steps taken (by the session: a diverged cell stops at its own count).
  long steps() const { return steps_; }
  /// Fresh networks from the seed, step 0.
  void reset();

  const RecurrentProbe& probe(int i);
  /// The sequences probe() measures on: the first kRecurrentProbeSequences of the training set (fewer if it is smaller).
  int probe_sequences() const { return train_ ? std::min(kRecurrentProbeSequences, train_->size()) : 0; }
  /// Mean loss and accuracy of cell i over the test sequences.
  std::pair<double, double> evaluate_test(int i);
  bool diverged(int i) const { return at(i).diverged(); }
  /// The global gradient norm of cell i's last step, before clipping.
  double grad_norm(int i) const { return at(i).grad_norm(); }
  long cell_steps(int i) const { return at(i).steps(); }

 private:
  RecurrentTrainer<float>& at(int i) const;
  void build();

  ExperimentConfig config_;
  bool compare_ = false;
  std::shared_ptr<const Sequences> train_, test_;
  std::vector<std::unique_ptr<RecurrentTrainer<float>>> trainers_;
  RecurrentProbe probe_;
  long steps_ = 0;
};

}  // namespace gradlab
