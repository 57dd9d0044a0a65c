#include "recurrent_session.hpp"

#include <stdexcept>
#include <string>

#include "network.hpp"  // kMemoryBudgetBytes

namespace gradlab {

namespace {
// The sequences depend on these; the networks on these and on the next.
bool same_data(const ExperimentConfig& a, const ExperimentConfig& b) {
  return a.task == b.task && a.seq_len == b.seq_len && (a.task != SequenceTask::first || a.symbols == b.symbols) &&
         a.train_sequences == b.train_sequences && a.test_sequences == b.test_sequences && a.data_seed == b.data_seed;
}
bool same_networks(const ExperimentConfig& a, const ExperimentConfig& b) {
  return same_data(a, b) && a.model == b.model && a.hidden == b.hidden && a.forget_bias == b.forget_bias &&
         a.recurrent_scale == b.recurrent_scale && a.seed == b.seed;
}
int features_of(const ExperimentConfig& c) { return c.task == SequenceTask::first ? c.symbols : 2; }
}  // namespace

Cell cell_of(Model m) {
  if (!is_recurrent(m)) throw std::invalid_argument("the model is not recurrent");
  return m == Model::rnn ? Cell::rnn : Cell::lstm;
}
Cell other_cell(Cell c) { return c == Cell::rnn ? Cell::lstm : Cell::rnn; }

RecurrentConfig recurrent_config(const ExperimentConfig& c, Cell cell) {
  RecurrentConfig r;
  r.cell = cell;
  r.inputs = features_of(c);
  r.outputs = c.task == SequenceTask::first ? c.symbols : 1;
  r.regression = c.task == SequenceTask::adding;
  r.hidden = c.hidden;
  r.forget_bias = c.forget_bias;
  r.recurrent_scale = c.recurrent_scale;
  r.seed = static_cast<uint64_t>(c.seed);
  return r;
}

RecurrentTrainer<float>::Settings recurrent_settings(const ExperimentConfig& c) {
  RecurrentTrainer<float>::Settings s;
  s.optimizer = {c.optimizer, c.learning_rate, c.momentum};
  s.batch_size = c.batch_size;
  s.clip_norm = c.clip_norm;
  return s;
}

double recurrent_memory_bytes(const ExperimentConfig& c, int cells) {
  const double T = c.seq_len, H = c.hidden;
  const double data = static_cast<double>(c.train_sequences + c.test_sequences) * T * features_of(c);
  // Per step of the longest pass (a batch, the probe or a test chunk): the
  // pre-activations (4H for the LSTM) and h, c, tanh(c); the gradients' buffers are per step too.
  const double batch = std::max(c.batch_size, kRecurrentProbeSequences);
  const double lstm = (4 + 3) * H * batch * T, rnn = 2 * H * batch * T;
  const double caches = cells == 1 ? (c.model == Model::rnn ? rnn : lstm) : rnn + lstm;
  return 4 * (data + caches);
}

bool RecurrentSession::configure(const ExperimentConfig& c, bool compare) {
  validate(c);
  cell_of(c.model);  // an MLP is refused
  const double bytes = recurrent_memory_bytes(c, compare ? 2 : 1);
  if (bytes > kMemoryBudgetBytes) {
    auto mb = [](double b) { return std::to_string(static_cast<long>(std::ceil(b / (1024 * 1024)))); };
    throw CoreError("memory_limit_sequences", {{"megabytes", mb(bytes)}, {"limit_megabytes", mb(kMemoryBudgetBytes)}},
                    "these sequences and networks need " + mb(bytes) + " MB, more than the " + mb(kMemoryBudgetBytes) +
                        " MB allowed: shorter or fewer sequences, or fewer hidden units");
  }
  RecurrentTrainer<float>::Settings settings = recurrent_settings(c);
  const bool rebuild = !configured() || compare != compare_ || !same_networks(c, config_);
  if (!rebuild) {
    for (auto& t : trainers_) t->set_settings(settings);
    config_ = c;
    return false;
  }
  // Everything that can refuse the config has been checked: the old networks (and
  // sequences, if new ones are made) are freed before the new are built, so that
  // the two are never in memory together.
  const bool new_data = !configured() || !same_data(c, config_);
  trainers_.clear();
  if (new_data) train_.reset(), test_.reset();
  std::shared_ptr<const Sequences> train = train_, test = test_;
  if (new_data) {
    SequenceSplit data = make_sequence_split(c.task, c.train_sequences, c.test_sequences, c.seq_len, c.symbols,
                                             static_cast<uint64_t>(c.data_seed));
    train = std::make_shared<const Sequences>(std::move(data.train));
    test = std::make_shared<const Sequences>(std::move(data.test));
  }
  std::vector<std::unique_ptr<RecurrentTrainer<float>>> trainers;
  const Cell first = cell_of(c.model);
  trainers.push_back(std::make_unique<RecurrentTrainer<float>>(recurrent_config(c, first), train, test, settings));
  if (compare)
    trainers.push_back(std::make_unique<RecurrentTrainer<float>>(recurrent_config(c, other_cell(first)), train, test, settings));
  config_ = c;
  compare_ = compare;
  train_ = std::move(train);
  test_ = std::move(test);
  trainers_ = std::move(trainers);
  steps_ = 0;
  return true;
}

void RecurrentSession::reset() {
  if (!configured()) throw std::logic_error("reset before configure");
  for (auto& t : trainers_) {
    const RecurrentConfig net = t->net().config();
    const RecurrentTrainer<float>::Settings settings = t->settings();
    t.reset();  // freed before its successor is built
    t = std::make_unique<RecurrentTrainer<float>>(net, train_, test_, settings);
  }
  steps_ = 0;
}

int RecurrentSession::step(int n) {
  if (!configured()) throw std::logic_error("step before configure");
  for (int k = 0; k < n; ++k) {
    bool any = false;
    for (auto& t : trainers_)
      if (!t->diverged()) any = t->step() || any;
    if (!any) return k;
    ++steps_;
  }
  return n;
}

RecurrentTrainer<float>& RecurrentSession::at(int i) const {
  if (i < 0 || i >= cells()) throw std::out_of_range("no cell " + std::to_string(i));
  return *trainers_[static_cast<size_t>(i)];
}

const RecurrentProbe& RecurrentSession::probe(int i) {
  RecurrentTrainer<float>& t = at(i);
  probe_.grad_through_time = t.probe(kRecurrentProbeSequences, &probe_.loss, &probe_.accuracy);
  return probe_;
}

std::pair<double, double> RecurrentSession::evaluate_test(int i) { return at(i).evaluate_test(); }

}  // namespace gradlab
