// Embind registration of gradlab's core: enums, value objects and the one Session
// class. Registration only; all the learning is in core/.
//
// Results that are arrays (per-layer statistics, histograms, grids) are returned as
// typed_memory_views of the core's own buffers: JavaScript must copy them before
// the next call that can grow wasm memory (the worker does, once per message).
// C++ exceptions (bad configs) reach JavaScript as Errors carrying the message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstring>
#include <string>

#include "core/gradlab.hpp"

using namespace emscripten;
using namespace gradlab;

namespace {

// Runs f; a C++ exception becomes a JavaScript Error with the core's message.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    val::global("Error").new_(std::string(e.what())).throw_();
  }
}

template <typename T>
val view(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data()));
}

template <typename E, size_t N>
void register_enum(const char* name, const NameTable<E, N>& table) {
  enum_<E> e(name);
  for (const auto& [value, value_name] : table) e.value(value_name, value);
}

// The per-layer arrays of StepStats, by the name JavaScript uses.
const std::vector<double>& stats_field(const StepStats& s, const std::string& name) {
  static const std::pair<const char*, std::vector<double> StepStats::*> fields[] = {
      {"speed", &StepStats::speed},
      {"weightGradNorm", &StepStats::weight_grad_norm},
      {"weightNorm", &StepStats::weight_norm},
      {"updateRatio", &StepStats::update_ratio},
      {"activationMean", &StepStats::activation_mean},
      {"activationStd", &StepStats::activation_std},
      {"saturation", &StepStats::saturation},
      {"activationHist", &StepStats::activation_hist},
      {"activationHistLo", &StepStats::activation_hist_lo},
      {"activationHistHi", &StepStats::activation_hist_hi},
      {"deltaHist", &StepStats::delta_hist},
  };
  for (const auto& [field_name, member] : fields)
    if (name == field_name) return s.*member;
  throw std::invalid_argument("unknown statistic '" + name + "'");
}

std::vector<uint8_t> bytes_of(const val& array) {
  std::vector<uint8_t> bytes(array["length"].as<size_t>());
  val(typed_memory_view(bytes.size(), bytes.data())).call<void>("set", array);
  return bytes;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab) {
  register_enum("Activation", kActivationNames);
  register_enum("Cost", kCostNames);
  register_enum("WeightInit", kWeightInitNames);
  register_enum("BiasInit", kBiasInitNames);
  register_enum("DataSource", kDataSourceNames);
  register_enum("Optimizer", kOptimizerNames);

  value_object<ExperimentConfig>("ExperimentConfig")
      .field("data", &ExperimentConfig::data)
      .field("noise", &ExperimentConfig::noise)
      .field("samples", &ExperimentConfig::samples)
      .field("depth", &ExperimentConfig::depth)
      .field("width", &ExperimentConfig::width)
      .field("activation", &ExperimentConfig::activation)
      .field("leakySlope", &ExperimentConfig::leaky_slope)
      .field("eluAlpha", &ExperimentConfig::elu_alpha)
      .field("weightInit", &ExperimentConfig::weight_init)
      .field("biasInit", &ExperimentConfig::bias_init)
      .field("sigmaW", &ExperimentConfig::sigma_w)
      .field("sigmaB", &ExperimentConfig::sigma_b)
      .field("weightConstant", &ExperimentConfig::weight_constant)
      .field("biasConstant", &ExperimentConfig::bias_constant)
      .field("cost", &ExperimentConfig::cost)
      .field("batchNorm", &ExperimentConfig::batch_norm)
      .field("residual", &ExperimentConfig::residual)
      .field("learningRate", &ExperimentConfig::learning_rate)
      .field("batchSize", &ExperimentConfig::batch_size)
      .field("l2", &ExperimentConfig::l2)
      .field("l1", &ExperimentConfig::l1)
      .field("optimizer", &ExperimentConfig::optimizer)
      .field("momentum", &ExperimentConfig::momentum)
      .field("clipNorm", &ExperimentConfig::clip_norm)
      .field("clipValue", &ExperimentConfig::clip_value)
      .field("pretrainEpochs", &ExperimentConfig::pretrain_epochs)
      .field("seed", &ExperimentConfig::seed)
      .field("dataSeed", &ExperimentConfig::data_seed)
      .field("trainSize", &ExperimentConfig::train_size)
      .field("testSize", &ExperimentConfig::test_size)
      .field("probeSize", &ExperimentConfig::probe_size);

  value_object<Evaluation>("Evaluation")
      .field("loss", &Evaluation::loss)
      .field("accuracy", &Evaluation::accuracy)
      .field("examples", &Evaluation::examples);

  value_object<Divergence>("Divergence")
      .field("diverged", &Divergence::diverged)
      .field("step", &Divergence::step)
      .field("layer", &Divergence::layer)
      .field("what", &Divergence::what)
      .field("message", &Divergence::message);

  // The scalars of the last step; its arrays are read with statsView().
  value_object<StepStats>("StepStats")
      .field("step", &StepStats::step)
      .field("epoch", &StepStats::epoch)
      .field("batchSize", &StepStats::batch_size)
      .field("loss", &StepStats::loss)
      .field("accuracy", &StepStats::accuracy)
      .field("gradNorm", &StepStats::grad_norm)
      .field("clipped", &StepStats::clipped)
      .field("clipCount", &StepStats::clip_count);

  value_object<PretrainStatus>("PretrainStatus")
      .field("active", &PretrainStatus::active)
      .field("layer", &PretrainStatus::layer)
      .field("epoch", &PretrainStatus::epoch)
      .field("epochs", &PretrainStatus::epochs)
      .field("layers", &PretrainStatus::layers)
      .field("steps", &PretrainStatus::steps)
      .field("loss", &PretrainStatus::loss);

  class_<Session>("Session")
      .constructor<>()
      .class_function("liveCount", &Session::live_count)
      .function("loadMnist", +[](Session& s, const val& bytes) {
        guarded([&] {
          const auto b = bytes_of(bytes);
          s.load_mnist(b.data(), b.size());
        });
      })
      .function("hasMnist", &Session::has_mnist)
      .function("configure", +[](Session& s, const ExperimentConfig& c) { return guarded([&] { return s.configure(c); }); })
      .function("config", &Session::config)
      .function("step", +[](Session& s, int n) { return guarded([&] { return s.step(n); }); })
      .function("reset", +[](Session& s) { guarded([&] { s.reset(); }); })
      .function("probe", +[](Session& s) { return guarded([&] { return s.probe().evaluation; }); })
      .function("probeSpeedView", +[](Session& s) { return guarded([&] { return view(s.trainer().last_probe().speed); }); })
      .function("evaluateTest", +[](Session& s, int n) { return guarded([&] { return s.evaluate_test(n); }); })
      .function("stepStats", +[](Session& s) { return guarded([&] { return s.trainer().stats(); }); })
      .function("statsView", +[](Session& s, const std::string& name) {
        return guarded([&] { return view(stats_field(s.trainer().stats(), name)); });
      })
      .function("pretrainStatus", +[](Session& s) { return guarded([&] { return s.trainer().pretrain_status(); }); })
      .function("divergence", +[](Session& s) { return guarded([&] { return s.trainer().divergence(); }); })
      .function("steps", +[](Session& s) { return guarded([&] { return static_cast<double>(s.trainer().steps()); }); })
      .function("epoch", +[](Session& s) { return guarded([&] { return s.trainer().epoch(); }); })
      .function("stepsPerEpoch", +[](Session& s) { return guarded([&] { return s.trainer().steps_per_epoch(); }); })
      .function("trainSize", +[](Session& s) { return s.configured() ? s.train_data().size() : 0; })
      .function("layerWidthsView", +[](Session& s) { return view(s.layer_widths()); })
      .function("decisionGridView", +[](Session& s, int resolution, double extent) {
        return guarded([&] { return view(s.decision_grid(resolution, extent)); });
      })
      .function("testOutputsView", +[](Session& s, int count) { return guarded([&] { return view(s.test_outputs(count)); }); })
      .function("testPixelsView", +[](Session& s, int count) {
        return guarded([&] {
          // The first `count` test digits' bytes (value = byte / 255), example by example.
          const Dataset& d = s.test_data();
          if (!d.uses_bytes) throw std::invalid_argument("testPixelsView: the data are not images");
          count = std::max(0, std::min(count, d.size()));
          return val(typed_memory_view(static_cast<size_t>(d.features()) * count, d.pixels.data()));
        });
      })
      .function("testLabelsView", +[](Session& s) { return guarded([&] { return view(s.test_data().labels); }); })
      .function("trainInputsView", +[](Session& s) {
        return guarded([&] {
          // The training points of a 2-D set, (x, y) by (x, y).
          const Dataset& d = s.train_data();
          if (d.uses_bytes) throw std::invalid_argument("trainInputsView: the data are images, not points");
          return val(typed_memory_view(static_cast<size_t>(d.X.size()), d.X.data()));
        });
      })
      .function("trainLabelsView", +[](Session& s) { return guarded([&] { return view(s.train_data().labels); }); });
}
