// Every setting of an experiment, defined once: its key, type, range, default,
// label, one-line help, CLI flag and the older names still read. The CLI's flags
// and --help, the bindings' configure() and config(), the page's URL hash,
// validation, controls and tooltips are all loops over settings().
//
// Keys are camelCase (the URL hash and the JavaScript API use them as they are);
// a flag is the key in kebab-case (learningRate → --learning-rate). Choices are
// the enums' names from their NameTables (names.hpp).
//
// To add a setting: add its field to ExperimentConfig and one entry to the table
// in settings.cpp. Everything above follows.
#pragma once

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "activation.hpp"
#include "cost.hpp"
#include "errors.hpp"
#include "init.hpp"
#include "names.hpp"
#include "optimizer.hpp"
#include "recurrent.hpp"

namespace gradlab {

/// What is trained: a feed-forward network (the MLP of Nielsen's chapter) or a
/// recurrent network reading a sequence (recurrent.hpp).
enum class Model { mlp, rnn, lstm };
inline constexpr NameTable<Model, 3> kModelNames{{{Model::mlp, "mlp"}, {Model::rnn, "rnn"}, {Model::lstm, "lstm"}}};
inline const char* to_string(Model m) { return name_of(kModelNames, m); }
inline bool is_recurrent(Model m) { return m != Model::mlp; }

enum class DataSource { mnist, circle, xor_, gauss, spiral, gaussian };
inline constexpr NameTable<DataSource, 6> kDataSourceNames{{
    {DataSource::mnist, "mnist"},
    {DataSource::circle, "circle"},
    {DataSource::xor_, "xor"},
    {DataSource::gauss, "gauss"},
    {DataSource::spiral, "spiral"},
    {DataSource::gaussian, "gaussian"},
}};
inline const char* to_string(DataSource d) { return name_of(kDataSourceNames, d); }

/// One experiment: the data, the network, how it trains and how it is measured.
/// Its defaults, ranges and help are those of the settings table (settings.cpp).
struct ExperimentConfig {
  Model model;
  // Data
  DataSource dataset;
  double noise;          // 2-D sets: how much the classes overlap
  int samples;           // 2-D sets and gaussian: points in all
  int inputs;            // gaussian: the inputs' dimension
  int data_seed;         // the train/test split and the 2-D points
  int train_size;        // training examples used; 0 = the whole training split
  double test_fraction;  // fraction of the examples held out for testing
  // Network
  int depth;  // hidden layers
  int width;  // units per hidden layer
  Activation activation;
  double leaky_slope;  // leaky_relu: φ(z) = slope·z for z < 0
  double elu_alpha;    // elu: φ(z) = α(eᶻ − 1) for z < 0
  Cost cost;
  // Initialization
  WeightInit weight_init;
  double sigma_w;
  double weight_constant;
  BiasInit bias_init;
  double sigma_b;
  double bias_constant;
  int seed;  // weights and batch order
  // Training
  double learning_rate;
  int batch_size;
  Optimizer optimizer;
  double momentum;
  // Remedies
  bool batch_norm;
  bool residual;
  double clip_norm;
  double clip_value;
  double l2;
  double l1;
  int pretrain_epochs;
  // Measurement
  int probe_size;  // 0: the page's policy (Session::probe_examples)
  // Sequences (rnn, lstm: recurrent_session.hpp)
  SequenceTask task;
  int seq_len;           // T
  int symbols;           // first: kinds of symbols (classes)
  int hidden;            // H: the recurrent network's hidden units
  double forget_bias;    // lstm: the forget gate's initial bias
  double recurrent_scale;  // W_h ~ N(0, scale²/H): its spectral radius is about `scale`
  int train_sequences;
  int test_sequences;

  /// Every field at its default.
  ExperimentConfig();
  bool operator==(const ExperimentConfig& o) const;
  bool operator!=(const ExperimentConfig& o) const { return !(*this == o); }
};

enum class SettingType { integer, real, boolean, choice };
/// How the page offers a setting: a slider (applied while dragged), a field
/// (number box, menu or checkbox by type), or no control (URL, API and CLI only).
enum class Widget { slider, field, none };

struct SettingSpec {
  std::string key;                   // URL hash and JavaScript API: "learningRate"
  std::string flag;                  // CLI: "--learning-rate"
  std::vector<std::string> aliases;  // older names, read but never written: "lr", "--eta"
  SettingType type = SettingType::real;
  std::vector<std::string> choices;  // the names of a choice's values, in order
  double min = 0, max = 0;           // inclusive range of a number
  double step = 0;                   // a control's granularity (0: any)
  double default_value = 0;          // a number, 0/1, or the index of a choice
  std::string group, label, help;    // shown in the page and in --help
  // When it matters: "" (always), or conditions joined by '&', each "key=a|b"
  // (key is a or b) or "key!=a" (key is not a): "model=mlp&dataset!=mnist".
  std::string relevant_if;
  // The default under a recurrent model (rnn, lstm), where it differs: the
  // recurrent networks train with Adam, larger batches and clipping. NaN: the same.
  double recurrent_default = NAN;
  Widget widget = Widget::field;
  // The field in ExperimentConfig, as a number (bool 0/1, a choice's index).
  std::function<double(const ExperimentConfig&)> get;
  std::function<void(ExperimentConfig&, double)> set;

  /// The default as text (a choice's name, "true"/"false", or a number).
  std::string default_text() const;

  // Fluent setters for the table.
  SettingSpec& in(std::string g) { group = std::move(g); return *this; }
  SettingSpec& named(std::string l) { label = std::move(l); return *this; }
  SettingSpec& explain(std::string h) { help = std::move(h); return *this; }
  SettingSpec& alias(std::string a) { aliases.push_back(std::move(a)); return *this; }
  SettingSpec& when(std::string condition) { relevant_if = std::move(condition); return *this; }
  SettingSpec& as(Widget w) { widget = w; return *this; }
  SettingSpec& by(double s) { step = s; return *this; }
  SettingSpec& recurrent(double v) { recurrent_default = v; return *this; }

  /// The default under `model`: recurrent_default for rnn and lstm where it has one.
  double default_for(Model model) const {
    return is_recurrent(model) && !std::isnan(recurrent_default) ? recurrent_default : default_value;
  }
};

/// A value refused by the settings table: a CoreError (errors.hpp) whose code is
/// one of the settings' ("unknown_setting", "not_a_number", "not_whole",
/// "out_of_range", "unknown_choice", "not_boolean"), whose values start with
/// {"key", key} and go on with those kErrorCodes lists; key() names the setting.
class SettingError : public CoreError {
 public:
  /// `values` follow the key: {"value", …}, then the code's others.
  SettingError(std::string key, std::string code, Values values, const std::string& message)
      : CoreError(std::move(code), with_key(key, std::move(values)), message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  static Values with_key(const std::string& key, Values values) {
    values.insert(values.begin(), {"key", key});
    return values;
  }
  std::string key_;
};

/// The table, in the order the page shows the settings.
const std::vector<SettingSpec>& settings();

/// The setting whose key, flag or alias is `name`, or null.
const SettingSpec* find_setting(std::string_view name);
/// The setting whose key, flag or alias is `name`; throws SettingError
/// ("unknown_setting") otherwise.
const SettingSpec& setting_named(std::string_view name);

/// The SettingError refusing `value` (as text) for `s` with `code` (a setting's
/// code but unknown_setting), with its values and sentence; `quoted` puts the
/// value in quotes in the sentence (text as it was typed, not a number).
SettingError setting_error(const SettingSpec& s, const std::string& code, const std::string& value,
                           bool quoted = false);

/// Checks a number (bool 0/1, a choice's index) against the setting; throws
/// SettingError otherwise.
void check_setting(const SettingSpec& s, double value);
/// Sets a setting from a number (bool 0/1, a choice's index), checked.
void set_setting(ExperimentConfig& c, const SettingSpec& s, double value);
/// Sets a setting from text: a number, a choice's name, or 1/0/true/false.
void set_setting(ExperimentConfig& c, const SettingSpec& s, std::string_view text);
/// The setting's value as text (a choice's name, "true"/"false", a number).
std::string setting_text(const ExperimentConfig& c, const SettingSpec& s);

/// The shortest decimal text that reads back as the same double ("0.1", "2147483647").
std::string number_text(double v);

/// Checks every setting of `c` against the table; throws SettingError.
void validate(const ExperimentConfig& c);

/// Whether setting `s` matters in `c` (its relevant_if).
bool is_relevant(const SettingSpec& s, const ExperimentConfig& c);

/// Every field at its default under `model` (default_for).
ExperimentConfig defaults_for(Model model);

}  // namespace gradlab
