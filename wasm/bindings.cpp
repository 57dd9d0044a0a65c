// Embind registration of gradlab's core: the settings table, value objects and
// the one Session class. Registration only; all the learning is in core/.
//
// Settings cross as plain objects keyed by the settings table's keys, with
// choices as their names ({depth: 6, activation: 'relu'}); settings() hands the
// page the table itself, so JavaScript keeps no copy of any name, range or
// default. Results that are arrays (per-layer statistics, grids) are returned as
// typed_memory_views of the core's own buffers: JavaScript must copy them before
// the next call that can grow wasm memory (the worker does, once per message).
// C++ exceptions reach JavaScript as Errors carrying the core's message; a
// CoreError's also carry its code and values ({key: 'depth', value: '99', …}),
// and a refused setting's its key: the page words them from errorCodes().
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <string>

#include "core/gradlab.hpp"

using namespace emscripten;
using namespace gradlab;

namespace {

// A CoreError as a JavaScript Error: message, code, and values as a plain object.
val js_error(const CoreError& e) {
  val error = val::global("Error").new_(std::string(e.what()));
  error.set("code", e.code());
  val values = val::object();
  for (const auto& [name, text] : e.values()) values.set(name, text);
  error.set("values", values);
  return error;
}

// Runs f; a C++ exception becomes a JavaScript Error with the core's message.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SettingError& e) {
    val error = js_error(e);
    error.set("key", e.key());
    error.throw_();
  } catch (const CoreError& e) {
    js_error(e).throw_();
  } catch (const std::exception& e) {
    val::global("Error").new_(std::string(e.what())).throw_();
  }
}

template <typename T>
val view(const std::vector<T>& v) {
  return val(typed_memory_view(v.size(), v.data()));
}

template <typename T>
val array_of(const std::vector<T>& items) {
  val a = val::array();
  for (const auto& item : items) a.call<void>("push", item);
  return a;
}

// A setting's value as JavaScript has it: a number, a boolean or a choice's name.
val setting_value(const SettingSpec& s, double v) {
  if (s.type == SettingType::boolean) return val(v != 0);
  if (s.type == SettingType::choice) return val(s.choices[static_cast<size_t>(v)]);
  return val(v);
}

val settings_table() {
  static const char* kTypes[] = {"integer", "real", "boolean", "choice"};
  static const char* kWidgets[] = {"slider", "field", "none"};
  val table = val::array();
  for (const auto& s : settings()) {
    val d = val::object();
    d.set("key", s.key);
    d.set("flag", s.flag);
    d.set("aliases", array_of(s.aliases));
    d.set("type", std::string(kTypes[static_cast<int>(s.type)]));
    d.set("choices", array_of(s.choices));
    d.set("min", s.min);
    d.set("max", s.max);
    d.set("step", s.step);
    d.set("default", setting_value(s, s.default_value));
    if (!std::isnan(s.recurrent_default)) d.set("recurrentDefault", setting_value(s, s.recurrent_default));
    d.set("group", s.group);
    d.set("label", s.label);
    d.set("help", s.help);
    d.set("relevantIf", s.relevant_if);
    d.set("widget", std::string(kWidgets[static_cast<int>(s.widget)]));
    table.call<void>("push", d);
  }
  return table;
}

val config_object(const ExperimentConfig& c) {
  val out = val::object();
  for (const auto& s : settings()) out.set(s.key, setting_value(s, s.get(c)));
  return out;
}

// `base` with the settings of a {key: value} object applied, each checked.
ExperimentConfig with_changes(ExperimentConfig c, const val& changes) {
  if (changes.typeOf().as<std::string>() != "object" || changes.isNull())
    throw std::invalid_argument("configure: expected an object of settings, e.g. {depth: 6}");
  const val keys = val::global("Object").call<val>("keys", changes);
  const int n = keys["length"].as<int>();
  for (int i = 0; i < n; ++i) {
    const std::string key = keys[i].as<std::string>();
    const SettingSpec& s = setting_named(key);
    const val v = changes[key];
    const std::string type = v.typeOf().as<std::string>();
    // The refused value as text: String(v) for a primitive (and null), the type of an object.
    const bool primitive = v.isNull() || (type != "object" && type != "function");
    const std::string text = primitive ? val::global("String")(v).as<std::string>() : type;
    if (s.type == SettingType::choice && type != "string")  // names, never indices
      throw setting_error(s, "unknown_choice", text);
    if (type == "number") set_setting(c, s, v.as<double>());
    else if (type == "boolean" && s.type == SettingType::boolean) set_setting(c, s, v.as<bool>() ? 1.0 : 0.0);
    else if (type == "string") set_setting(c, s, v.as<std::string>());
    else throw SettingError(s.key, "not_a_number", {{"value", text}}, s.key + ": a " + type + " is not a value");
  }
  return c;
}

// {key, help} of each entry of a list of statistics (kLayerStatistics, kProbeStatistics,
// kHistogramQuantities).
template <typename List>
val statistics_of(const List& list) {
  val out = val::array();
  for (const auto& stat : list) {
    val d = val::object();
    d.set("key", std::string(stat.key));
    d.set("help", std::string(stat.help));
    out.call<void>("push", d);
  }
  return out;
}

const std::vector<double>& stats_field(const StepStats& s, const std::string& name) {
  for (const auto& stat : kLayerStatistics)
    if (name == stat.key) return s.*stat.values;
  throw std::invalid_argument("unknown statistic '" + name + "'");
}

// kErrorCodes as [{code, values: [names], help}].
val error_codes() {
  val out = val::array();
  for (const auto& e : kErrorCodes) {
    val d = val::object();
    d.set("code", std::string(e.code));
    val names = val::array();
    for (const char* name : e.values) names.call<void>("push", std::string(name));
    d.set("values", names);
    d.set("help", std::string(e.help));
    out.call<void>("push", d);
  }
  return out;
}

// kDivergenceCodes as [{code, help}].
val divergence_codes() {
  val out = val::array();
  for (const auto& e : kDivergenceCodes) {
    val d = val::object();
    d.set("code", std::string(e.code));
    d.set("help", std::string(e.help));
    out.call<void>("push", d);
  }
  return out;
}

// history_columns(layers) as [{name, quantity, layer}].
val history_columns_of(int layers) {
  val out = val::array();
  for (const auto& c : history_columns(layers)) {
    val d = val::object();
    d.set("name", c.name);
    d.set("quantity", c.quantity);
    d.set("layer", c.layer);
    out.call<void>("push", d);
  }
  return out;
}

// Glorot & Bengio's histograms as {examples, flat, <kHistogramQuantities key>:
// {lo, hi, bins, fraction, mean, stddev, nonfinite}}, the arrays as views.
val histograms_of(const Histograms& h) {
  val out = val::object();
  out.set("examples", h.examples);
  out.set("flat", view(h.flat));
  for (const auto& q : kHistogramQuantities) {
    const Histogram& one = h.*q.member;
    val d = val::object();
    d.set("lo", one.lo);
    d.set("hi", one.hi);
    d.set("bins", one.bins);
    d.set("fraction", view(one.fraction));
    d.set("mean", view(one.mean));
    d.set("stddev", view(one.stddev));
    d.set("nonfinite", view(one.nonfinite));
    out.set(q.key, d);
  }
  return out;
}

std::vector<uint8_t> bytes_of(const val& array) {
  std::vector<uint8_t> bytes(array["length"].as<size_t>());
  val(typed_memory_view(bytes.size(), bytes.data())).call<void>("set", array);
  return bytes;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gradlab) {
  function("settings", &settings_table);
  function("layerStatistics", +[] { return statistics_of(kLayerStatistics); });
  function("probeStatistics", +[] { return statistics_of(kProbeStatistics); });
  function("histogramQuantities", +[] { return statistics_of(kHistogramQuantities); });
  function("theoryQuantities", +[] { return statistics_of(kTheoryQuantities); });
  function("sweepQuantities", +[] { return statistics_of(kSweepQuantities); });
  function("errorCodes", &error_codes);
  function("divergenceCodes", &divergence_codes);
  function("historyColumns", &history_columns_of);
  function("defaults", +[] { return config_object(ExperimentConfig{}); });
  // The module's memory (the soak test's measure): the heap's size, which only
  // grows, and the bytes malloc has handed out and not had back.
  function("memoryUse", +[] {
    val out = val::object();
    out.set("heapBytes", static_cast<double>(emscripten_get_heap_size()));
    out.set("inUseBytes", static_cast<double>(mallinfo().uordblks));
    out.set("sessions", Session::live_count());
    return out;
  });
  function("cellNames", +[] {
    std::vector<std::string> names;
    for (const auto& entry : kCellNames) names.emplace_back(entry.second);
    return array_of(names);
  });

  value_object<Evaluation>("Evaluation")
      .field("loss", &Evaluation::loss)
      .field("accuracy", &Evaluation::accuracy)
      .field("examples", &Evaluation::examples);

  value_object<Divergence>("Divergence")
      .field("diverged", &Divergence::diverged)
      .field("step", &Divergence::step)
      .field("layer", &Divergence::layer)
      .field("code", &Divergence::code)
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

  value_object<ViewPlan>("ViewPlan")
      .field("probeExamples", &ViewPlan::probe_examples)
      .field("testExamples", &ViewPlan::test_examples)
      .field("gridResolution", &ViewPlan::grid_resolution)
      .field("probeThinned", &ViewPlan::probe_thinned)
      .field("testThinned", &ViewPlan::test_thinned)
      .field("gridThinned", &ViewPlan::grid_thinned)
      .field("fullProbeExamples", &ViewPlan::full_probe_examples)
      .field("fullGridResolution", &ViewPlan::full_grid_resolution);

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
      .function("configure", +[](Session& s, const val& changes) {
        return guarded([&] { return s.configure(with_changes(s.config(), changes)); });
      })
      .function("config", +[](Session& s) { return config_object(s.config()); })
      .function("step", +[](Session& s, int n) { return guarded([&] { return s.step(n); }); })
      .function("stepUnmeasured", +[](Session& s, int n) { return guarded([&] { return s.step(n, false); }); })
      .function("reset", +[](Session& s) { guarded([&] { s.reset(); }); })
      .function("viewPlan", &Session::view_plan)
      .function("probe", +[](Session& s) { return guarded([&] { return s.probe().evaluation; }); })
      .function("probeSpeedView", +[](Session& s) { return guarded([&] { return view(s.trainer().last_probe().speed); }); })
      // The last probe's quantity `name` (a kProbeStatistics key), one entry per layer.
      .function("probeView", +[](Session& s, const std::string& name) {
        return guarded([&] {
          for (const auto& stat : kProbeStatistics)
            if (name == stat.key) return view(s.trainer().last_probe().*stat.values);
          throw std::invalid_argument("unknown probe statistic '" + name + "'");
        });
      })
      .function("histograms", +[](Session& s, int bins) { return guarded([&] { return histograms_of(s.histograms(bins)); }); })
      // φ and φ′ at n points over [lo, hi]: the n z's, then the φ(z)'s, then the φ′(z)'s.
      .function("activationCurveView", +[](Session& s, double lo, double hi, int n) {
        return guarded([&] { return view(s.activation_curve(lo, hi, n)); });
      })
      // Mean-field theory for the network: {sigmaW2, sigmaB2, qStar, chi1, depthScale, criticalSigmaW2}.
      .function("meanField", +[](Session& s) {
        return guarded([&] {
          const MeanField m = s.mean_field();
          val out = val::object();
          for (const auto& q : kTheoryQuantities) out.set(q.key, m.*q.value);
          return out;
        });
      })
      .function("criticalLineView", +[](Session& s, double max_sigma_b2, int n) {
        return guarded([&] { return view(s.critical_line(max_sigma_b2, n)); });
      })
      .function("initSigmaW2", +[](Session& s, const std::string& init) {
        return guarded([&] { return s.init_sigma_w2(parse_weight_init(init)); });
      })
      .function("activationPeak", +[](Session& s) { return guarded([&] { return s.activation_peak(); }); })
      .function("evaluateTest", +[](Session& s) { return guarded([&] { return s.evaluate_test(); }); })
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
      .function("shortcuts", +[](Session& s) {
        val out = val::array();
        for (uint8_t flag : s.shortcuts()) out.call<void>("push", flag != 0);
        return out;
      })
      .function("decisionGridView", +[](Session& s, double extent) {
        return guarded([&] { return view(s.decision_grid(extent)); });
      })
      .function("parametersView", +[](Session& s) { return guarded([&] { return view(s.parameters()); }); })
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

  // The recurrent mode: configure(changes, compare) trains config.model's cell
  // and, with compare, the other on the same sequences; cells are indexed from 0.
  class_<RecurrentSession>("RecurrentSession")
      .constructor<>()
      .function("configure", +[](RecurrentSession& s, const val& changes, bool compare) {
        return guarded([&] { return s.configure(with_changes(s.config(), changes), compare); });
      })
      .function("cells", +[](RecurrentSession& s) {
        val out = val::array();
        for (int i = 0; i < s.cells(); ++i) out.call<void>("push", std::string(to_string(s.cell(i))));
        return out;
      })
      .function("step", +[](RecurrentSession& s, int n) { return guarded([&] { return s.step(n); }); })
      .function("steps", +[](RecurrentSession& s) { return static_cast<double>(s.steps()); })
      // The sequences the gradient through time is measured on (the first of the training set).
      .function("probeSequences", +[](RecurrentSession& s) { return s.probe_sequences(); })
      .function("reset", +[](RecurrentSession& s) { guarded([&] { s.reset(); }); })
      // {loss, accuracy} over the probe's sequences; gradThroughTimeView() holds ‖∂L/∂h_t‖ after it.
      .function("probe", +[](RecurrentSession& s, int i) {
        return guarded([&] {
          const RecurrentProbe& p = s.probe(i);
          val out = val::object();
          out.set("loss", p.loss);
          out.set("accuracy", p.accuracy);
          out.set("gradThroughTime", view(p.grad_through_time));
          return out;
        });
      })
      .function("evaluateTest", +[](RecurrentSession& s, int i) {
        return guarded([&] {
          const auto [loss, accuracy] = s.evaluate_test(i);
          val out = val::object();
          out.set("loss", loss);
          out.set("accuracy", accuracy);
          return out;
        });
      })
      .function("diverged", +[](RecurrentSession& s, int i) { return guarded([&] { return s.diverged(i); }); })
      .function("gradNorm", +[](RecurrentSession& s, int i) { return guarded([&] { return s.grad_norm(i); }); })
      .function("cellSteps", +[](RecurrentSession& s, int i) { return guarded([&] { return static_cast<double>(s.cell_steps(i)); }); });
}
