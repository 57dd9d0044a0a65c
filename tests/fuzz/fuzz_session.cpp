// A libFuzzer target for the core's inputs: arbitrary settings (in range, at and
// beyond their bounds, NaN, ±inf, huge), applied to a Session or a
// RecurrentSession, trained a few steps, changed mid-run, trained again and
// probed through every view the page asks for; and arbitrary bytes as an MNIST
// file. The expected outcomes are a result, a refusal (CoreError, a
// SettingError among them, or std::invalid_argument: the core's documented
// refusals) or a reported divergence. Anything else (another exception, an
// abort, an assertion, a sanitizer report) is a bug.
//
// Built with clang's -fsanitize=fuzzer,address,undefined in build-sanitize/
// (tools/build.sh sanitize). The test command runs it for a minute from
// tests/fuzz/corpus; bench/run.sh runs it for at least 10⁶ executions.
//
// To keep an execution to a few milliseconds (so that a minute tries tens of
// thousands), the sizes that only make the work larger are capped below their
// ranges: at most 4 × 16 units, 120 points, sequences of 24, 64 of them.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/gradlab.hpp"

using namespace gradlab;

namespace {

// A value for setting s: mostly in range, sometimes at or past a bound, not
// whole, NaN, infinite or huge.
double value_for(FuzzedDataProvider& in, const SettingSpec& s) {
  switch (in.ConsumeIntegralInRange<int>(0, 9)) {
    case 0: return s.min;
    case 1: return s.max;
    case 2: return s.max + in.ConsumeFloatingPointInRange<double>(0, 1e6);
    case 3: return s.min - in.ConsumeFloatingPointInRange<double>(0, 1e6);
    case 4: return std::numeric_limits<double>::quiet_NaN();
    case 5: return in.ConsumeBool() ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
    case 6: return in.ConsumeFloatingPoint<double>();
    default: {
      const double v = in.ConsumeFloatingPointInRange<double>(s.min, s.max);
      return s.type == SettingType::real ? v : std::round(v);
    }
  }
}

// Some settings changed, each refused or applied as the table says.
void change(FuzzedDataProvider& in, ExperimentConfig& c) {
  const auto& table = settings();
  const int n = in.ConsumeIntegralInRange<int>(0, 10);
  for (int k = 0; k < n && in.remaining_bytes() > 0; ++k) {
    const SettingSpec& s = table[in.ConsumeIntegralInRange<size_t>(0, table.size() - 1)];
    ExperimentConfig trial = c;
    try {
      set_setting(trial, s, value_for(in, s));
      c = trial;
    } catch (const SettingError&) {
      if (trial != c) __builtin_trap();  // a refused value must change nothing
    }
  }
  // The caps that keep an execution short (see the top of the file).
  c.depth = std::min(c.depth, 4);
  c.width = std::min(c.width, 16);
  c.samples = std::min(c.samples, 120);
  c.inputs = std::min(c.inputs, 16);
  c.batch_size = std::min(c.batch_size, 64);
  c.probe_size = std::min(c.probe_size, 200);
  c.pretrain_epochs = std::min(c.pretrain_epochs, 1);
  c.seq_len = std::min(c.seq_len, 24);
  c.hidden = std::min(c.hidden, 16);
  c.train_sequences = std::min(c.train_sequences, 64);
  c.test_sequences = std::min(c.test_sequences, 32);
  if (c.dataset == DataSource::mnist) c.dataset = DataSource::circle;  // no digits here: the parser is fuzzed apart
}

void fuzz_mlp(FuzzedDataProvider& in, ExperimentConfig c) {
  Session session;
  // Configured, trained, changed mid-run (up to three times), then every view.
  for (int round = 0; round < 3 && in.remaining_bytes() > 0; ++round) {
    change(in, c);
    c.model = Model::mlp;
    try {
      session.configure(c);
    } catch (const CoreError&) {
      continue;  // refused: the session is as it was
    }
    session.step(in.ConsumeIntegralInRange<int>(0, 5));
    session.probe();
    if (in.ConsumeBool()) session.reset();
  }
  if (!session.configured()) return;
  // The views, each when the input asks for it (the decision grid and the
  // histograms are the slow ones under the sanitizers).
  const unsigned views = in.ConsumeIntegral<uint8_t>();
  if (views & 1) session.evaluate_test();
  if (views & 2) session.histograms(in.ConsumeIntegralInRange<int>(1, 64));
  if (views & 4) session.activation_curve(in.ConsumeFloatingPoint<double>(), in.ConsumeFloatingPoint<double>(),
                                          in.ConsumeIntegralInRange<int>(2, 50));
  if (views & 8) session.activation_peak();
  if (views & 16) session.mean_field();
  if ((views & 32) && session.config().dataset != DataSource::gaussian)
    session.decision_grid(in.ConsumeFloatingPointInRange<double>(0.01, 10));
  if (views & 64) session.test_outputs(in.ConsumeIntegralInRange<int>(0, 20));
}

void fuzz_recurrent(FuzzedDataProvider& in, ExperimentConfig c) {
  RecurrentSession session;
  for (int round = 0; round < 3 && in.remaining_bytes() > 0; ++round) {
    change(in, c);
    if (!is_recurrent(c.model)) c.model = in.ConsumeBool() ? Model::rnn : Model::lstm;
    try {
      session.configure(c, in.ConsumeBool());
    } catch (const CoreError&) {
      continue;
    }
    session.step(in.ConsumeIntegralInRange<int>(0, 5));
    // The probe and the test pass cost several steps each: only when asked.
    for (int i = 0; i < session.cells(); ++i) {
      if (in.ConsumeBool()) session.probe(i);
      if (in.ConsumeBool()) session.evaluate_test(i);
    }
    if (in.ConsumeBool()) session.reset();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  try {
    switch (in.ConsumeIntegralInRange<int>(0, 2)) {
      case 0: fuzz_mlp(in, ExperimentConfig{}); break;
      case 1: fuzz_recurrent(in, defaults_for(Model::lstm)); break;
      default: {
        Session session;
        const std::vector<uint8_t> bytes = in.ConsumeRemainingBytes<uint8_t>();
        try {
          session.load_mnist(bytes.data(), bytes.size());
        } catch (const CoreError&) {
        }
      }
    }
  } catch (const std::invalid_argument&) {
    // The core's other documented refusal (the recurrent networks' and the layers' parsers).
  }
  return 0;
}
