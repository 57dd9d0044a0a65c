// Recurrent networks through time (Bengio, Simard & Frasconi 1994; Hochreiter &
// Schmidhuber 1997): a vanilla tanh RNN and an LSTM reading a sequence x_1..x_T,
// classifying (or regressing) from the last hidden state h_T, trained with
// back-propagation through time over the whole sequence.
//
//   rnn   h_t = tanh(W_x x_t + W_h h_{t−1} + b)
//   lstm  [i f g o] = [σ σ tanh σ](W_x x_t + W_h h_{t−1} + b),
//         c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
//   out   y = W_o h_T + b_o: softmax and log-likelihood (first symbol), or a
//         linear output and squared error (adding problem)
//
// Unrolled through T steps an RNN is a T-layer network with shared weights: the
// "learning speed" through time is ‖∂L/∂h_t‖ for t = 1..T (grad_through_time),
// and its decay from t = T back to 1 is the vanishing gradient. The LSTM's cell
// state is additive, a shortcut through time.
//
// Pure C++ on Eigen, deterministic from the seed (gradlab::Rng), like the MLP.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "matrix.hpp"
#include "names.hpp"
#include "optimizer.hpp"

namespace gradlab {

enum class Cell { rnn, lstm };
inline constexpr NameTable<Cell, 2> kCellNames{{{Cell::rnn, "rnn"}, {Cell::lstm, "lstm"}}};
inline const char* to_string(Cell c) { return name_of(kCellNames, c); }

/// Tasks with a known long-range dependency, generated from a seed.
enum class SequenceTask {
  first,   // T symbols of `symbols` kinds, one-hot; the class is the first symbol, the rest is noise
  adding,  // T pairs (value in U[0, 1], marker); the target is the sum of the two marked values
};
inline constexpr NameTable<SequenceTask, 2> kSequenceTaskNames{{{SequenceTask::first, "first"}, {SequenceTask::adding, "adding"}}};
inline const char* to_string(SequenceTask t) { return name_of(kSequenceTaskNames, t); }

/// n sequences of length T: inputs[t] is (features, n) for step t (t = 0 … T−1),
/// labels the class (first) and targets the value (adding) of each sequence.
struct Sequences {
  SequenceTask task = SequenceTask::first;
  std::vector<Matrix<float>> inputs;
  std::vector<uint8_t> labels;
  std::vector<float> targets;
  int size() const { return inputs.empty() ? 0 : static_cast<int>(inputs.front().cols()); }
  int length() const { return static_cast<int>(inputs.size()); }
  int features() const { return inputs.empty() ? 0 : static_cast<int>(inputs.front().rows()); }
};

/// The task's data: `symbols` kinds for `first` (2 features for `adding`), one of
/// the two marked positions of `adding` in the first half, the other in the second.
Sequences make_sequences(SequenceTask task, int n, int length, int symbols, uint64_t seed);

/// A training and a test set of the same task: the test set from its own stream
/// of the seed, so the two never share a sequence by construction of the draw.
struct SequenceSplit {
  Sequences train, test;
};
SequenceSplit make_sequence_split(SequenceTask task, int train, int test, int length, int symbols, uint64_t seed);

/// Sequences the gradient through time is measured on (the first of the training set).
inline constexpr int kRecurrentProbeSequences = 256;
/// The longest sequence a setting may ask for (the table's seqLen).
inline constexpr int kMaxSequenceLength = 200;

struct RecurrentConfig {
  Cell cell = Cell::lstm;
  int inputs = 8;              // features per step
  int hidden = 32;             // H
  int outputs = 8;             // classes (first) or 1 (adding)
  bool regression = false;     // adding: a linear output and squared error
  double forget_bias = 3.0;    // the LSTM's initial forget-gate bias (see the page)
  // W_h ~ N(0, scale²/H): its spectral radius is about `scale` (the circular law).
  // 1/√3 is the variance of PyTorch's default U[−1/√H, 1/√H], in whose terms the
  // issue's measurements are stated.
  double recurrent_scale = 0.5773502691896258;
  uint64_t seed = 1;
};

/// One parameter tensor with its gradient and optimizer state.
template <typename T>
struct Param {
  Matrix<T> value, grad;
  Moments<T> moments;
};

template <typename T>
class RecurrentNet {
 public:
  /// Validates `config` (std::invalid_argument) and draws the weights from its seed.
  explicit RecurrentNet(const RecurrentConfig& config);

  const RecurrentConfig& config() const { return config_; }
  /// Parameters in a fixed order: W_x, W_h, b, W_o, b_o (the LSTM's gates stacked
  /// i, f, g, o in W_x, W_h and b).
  std::vector<Param<T>>& params() { return params_; }
  const std::vector<Param<T>>& params() const { return params_; }

  /// Forward through examples [begin, begin + count) of `data`; returns the mean loss.
  double forward(const Sequences& data, int begin, int count);
  /// Back-propagation through time for the last forward: fills every grad (of the
  /// mean loss) and the per-step ‖∂L_x/∂h_t‖ (root mean square over the batch,
  /// L_x one example's loss), t = 1..T.
  void backward(const Sequences& data, int begin, int count);
  const std::vector<double>& grad_through_time() const { return grad_time_; }
  /// Fraction right (first) or within 0.04 of the target (adding) in the last forward.
  double accuracy(const Sequences& data, int begin, int count) const;

 private:
  int gates() const { return config_.cell == Cell::lstm ? 4 : 1; }

  RecurrentConfig config_;
  std::vector<Param<T>> params_;
  // The last forward's caches, per step: pre-activations (gates·H, B), h, c, and tanh(c).
  std::vector<Matrix<T>> z_, h_, c_, tc_;
  Matrix<T> out_;  // (outputs, B): the softmax probabilities or the linear outputs
  std::vector<double> grad_time_;
};

/// Training a RecurrentNet: mini-batches in order through a training set of i.i.d.
/// sequences, the existing optimizers (optimizer.hpp) and clipping by global norm
/// (Pascanu et al. 2013), the gradient through time measured on a probe batch.
template <typename T>
class RecurrentTrainer {
 public:
  struct Settings {
    OptimizerSettings optimizer{Optimizer::adam, 3e-3, 0.9};
    int batch_size = 32;
    double clip_norm = 1.0;  // 0: no clipping
  };

  RecurrentTrainer(const RecurrentConfig& net, Sequences train, Sequences test, const Settings& settings);
  /// The same, on data shared with other trainers (the page's RNN and LSTM).
  RecurrentTrainer(const RecurrentConfig& net, std::shared_ptr<const Sequences> train,
                   std::shared_ptr<const Sequences> test, const Settings& settings);

  /// New training settings, keeping the weights (the optimizer's moments start
  /// again if the optimizer changes). Throws std::invalid_argument like the constructor.
  void set_settings(const Settings& settings);
  const Settings& settings() const { return settings_; }

  /// One mini-batch. Returns false, changing nothing, if the update would make a
  /// parameter non-finite (and from then on: diverged()).
  bool step();
  long steps() const { return steps_; }
  bool diverged() const { return diverged_; }
  /// The global gradient norm of the last step, before clipping.
  double grad_norm() const { return grad_norm_; }

  /// ‖∂L_x/∂h_t‖ (root mean square over the first n training sequences), t = 1..T,
  /// without updating; and that batch's mean loss and accuracy.
  const std::vector<double>& probe(int n = kRecurrentProbeSequences, double* loss = nullptr, double* accuracy = nullptr);
  /// Mean loss and accuracy over the test set.
  std::pair<double, double> evaluate_test();

  RecurrentNet<T>& net() { return net_; }

 private:
  static void check(const Settings& settings);

  RecurrentNet<T> net_;
  std::shared_ptr<const Sequences> train_, test_;
  Settings settings_;
  int cursor_ = 0;
  long steps_ = 0;
  bool diverged_ = false;
  double grad_norm_ = 0;
};

extern template class RecurrentNet<float>;
extern template class RecurrentNet<double>;
extern template class RecurrentTrainer<float>;
extern template class RecurrentTrainer<double>;

}  // namespace gradlab
