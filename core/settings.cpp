#include "settings.hpp"

#include "columns.hpp"  // snake_case
#include "session.hpp"  // the probe's sizes, for its help

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gradlab {

std::string number_text(double v);

namespace {

// A key's CLI flag: "learningRate" → "--learning-rate" (its snake_case, dashed).
std::string kebab(const std::string& key) {
  std::string out = snake_case(key);
  std::replace(out.begin(), out.end(), '_', '-');
  return "--" + out;
}

SettingSpec base(const char* key, SettingType type) {
  SettingSpec s;
  s.key = key;
  s.flag = kebab(key);
  s.type = type;
  return s;
}

SettingSpec integer(const char* key, int ExperimentConfig::*m, int lo, int hi, int def) {
  SettingSpec s = base(key, SettingType::integer);
  s.min = lo;
  s.max = hi;
  s.step = 1;
  s.default_value = def;
  s.get = [m](const ExperimentConfig& c) { return static_cast<double>(c.*m); };
  s.set = [m](ExperimentConfig& c, double v) { c.*m = static_cast<int>(v); };
  return s;
}

SettingSpec real(const char* key, double ExperimentConfig::*m, double lo, double hi, double def) {
  SettingSpec s = base(key, SettingType::real);
  s.min = lo;
  s.max = hi;
  s.default_value = def;
  s.get = [m](const ExperimentConfig& c) { return c.*m; };
  s.set = [m](ExperimentConfig& c, double v) { c.*m = v; };
  return s;
}

SettingSpec boolean(const char* key, bool ExperimentConfig::*m, bool def) {
  SettingSpec s = base(key, SettingType::boolean);
  s.max = 1;
  s.default_value = def ? 1 : 0;
  s.get = [m](const ExperimentConfig& c) { return c.*m ? 1.0 : 0.0; };
  s.set = [m](ExperimentConfig& c, double v) { c.*m = v != 0; };
  return s;
}

template <typename E, size_t N>
double index_of(const NameTable<E, N>& names, E value) {
  for (size_t i = 0; i < N; ++i)
    if (names[i].first == value) return static_cast<double>(i);
  return -1.0;
}

template <typename E, size_t N>
SettingSpec choice(const char* key, E ExperimentConfig::*m, const NameTable<E, N>& names, E def) {
  SettingSpec s = base(key, SettingType::choice);
  for (const auto& entry : names) s.choices.emplace_back(entry.second);
  s.max = static_cast<double>(N - 1);
  auto index = [&names](E value) { return index_of(names, value); };
  s.default_value = index(def);
  s.get = [m, index](const ExperimentConfig& c) { return index(c.*m); };
  s.set = [m, &names](ExperimentConfig& c, double v) { c.*m = names[static_cast<size_t>(v)].first; };
  return s;
}

using C = ExperimentConfig;

std::vector<SettingSpec> make_table() {
  std::vector<SettingSpec> t;
  // The recurrent models' training defaults (the measurements: Adam at
  // 0.003, batches of 32, clipping at 1).
  const RecurrentTrainer<float>::Settings rd;
  // ---------------------------------------------------------------- Model
  t.push_back(choice("model", &C::model, kModelNames, Model::mlp)
      .in("Model").named("Network")
      .explain("mlp: a feed-forward network of hidden layers (Nielsen's chapter). rnn or lstm: a recurrent network that reads a sequence one step at a time, trained by back-propagation through time; the page trains the other of the two beside it on the same sequences."));
  // ---------------------------------------------------------------- Sequence
  t.push_back(choice("task", &C::task, kSequenceTaskNames, SequenceTask::first)
      .in("Sequence").named("Task").when("model!=mlp")
      .explain("first: classify a sequence of T random symbols by its first one; everything after it is noise, so the answer must be carried through all T steps. adding: Hochreiter & Schmidhuber's adding problem, the sum of the two marked values among T."));
  t.push_back(integer("seqLen", &C::seq_len, 2, kMaxSequenceLength, 50).as(Widget::slider)
      .in("Sequence").named("Length T").when("model!=mlp")
      .explain("Steps in each sequence: the depth of the network unrolled through time."));
  t.push_back(integer("symbols", &C::symbols, 2, 32, 8)
      .in("Sequence").named("Symbols").when("model!=mlp&task=first")
      .explain("Kinds of symbols in the first-symbol task, and so its classes: chance is 1/symbols."));
  t.push_back(integer("hidden", &C::hidden, 1, 256, 32)
      .in("Sequence").named("Hidden units H").when("model!=mlp")
      .explain("Units in the recurrent network's hidden state h_t."));
  t.push_back(real("recurrentScale", &C::recurrent_scale, 0, 4, RecurrentConfig{}.recurrent_scale).as(Widget::slider)
      .in("Sequence").named("Spectral radius").when("model!=mlp")
      .explain("Scale of the recurrent weights: W_h ~ N(0, scale²/H), whose spectral radius is about the scale. Below 1 the RNN's gradient through time vanishes, above it explodes. The default, 1/√3, is PyTorch's."));
  t.push_back(real("forgetBias", &C::forget_bias, -10, 10, RecurrentConfig{}.forget_bias)
      .in("Sequence").named("Forget bias").when("model!=mlp")
      .explain("The LSTM's initial forget-gate bias: at 3 the gate starts at σ(3) = 0.95, so after 50 steps the cell state still holds σ(3)⁴⁹ ≈ 9 % of step 1; at 1, σ(1) = 0.73, it holds σ(1)⁴⁹ ≈ 2·10⁻⁷, and the first symbol is lost before the LSTM can learn to keep it."));
  t.push_back(integer("trainSequences", &C::train_sequences, 1, 16384, 4096).as(Widget::none)
      .in("Sequence").named("Training sequences").when("model!=mlp")
      .explain("Training sequences, drawn independently from the data seed."));
  t.push_back(integer("testSequences", &C::test_sequences, 1, 4096, 1024).as(Widget::none)
      .in("Sequence").named("Test sequences").when("model!=mlp")
      .explain("Test sequences, from a stream of the data seed the training set never uses."));
  // ---------------------------------------------------------------- Data
  t.push_back(choice("dataset", &C::dataset, kDataSourceNames, DataSource::mnist)
      .alias("--data").in("Data").named("Dataset")
      .explain("Real MNIST digits (784 inputs, 10 classes), a 2-D toy set from TensorFlow Playground (2 inputs, 2 classes), or gaussian: i.i.d. N(0, 1) inputs of any width, as mean-field theory assumes (2 classes by the side of a random hyperplane)."));
  t.push_back(real("noise", &C::noise, 0, 0.5, 0).by(0.05).as(Widget::slider)
      .in("Data").named("Noise").when("dataset!=mnist")
      .explain("How much the two classes of the 2-D set overlap (gaussian: the fraction of labels flipped)."));
  t.push_back(integer("samples", &C::samples, 20, 20000, 500)
      .in("Data").named("Points").when("dataset!=mnist")
      .explain("Points in the 2-D or gaussian set, training and test together."));
  t.push_back(integer("inputs", &C::inputs, 2, 256, 100)
      .in("Data").named("Inputs").when("dataset=gaussian")
      .explain("The width of the gaussian data's inputs: each example is n independent N(0, 1) numbers."));
  t.push_back(real("testFraction", &C::test_fraction, 0, 0.5, 0.2).as(Widget::none)
      .in("Data").named("Test fraction")
      .explain("Fraction of the examples held out for testing."));
  t.push_back(integer("trainSize", &C::train_size, 0, 20000, 0).alias("--train").as(Widget::none)
      .in("Data").named("Training examples")
      .explain("Training examples used, from the start of the training split; 0 uses all of it."));
  t.push_back(integer("dataSeed", &C::data_seed, 0, 2147483647, 1).as(Widget::none)
      .in("Data").named("Data seed")
      .explain("Seed of the train/test split and of the 2-D points."));
  // ---------------------------------------------------------------- Network
  t.push_back(integer("depth", &C::depth, 1, 40, 3).as(Widget::slider)
      .in("Network").named("Hidden layers")
      .explain("More layers means a longer chain of derivatives between the cost and the first layer."));
  t.push_back(integer("width", &C::width, 1, 256, 30).as(Widget::slider)
      .in("Network").named("Neurons per layer")
      .explain("Units in each hidden layer (Nielsen uses 30)."));
  t.push_back(choice("activation", &C::activation, kActivationNames, Activation::sigmoid)
      .in("Network").named("Activation")
      .explain("The hidden units' function φ. Sigmoid's slope is at most 1/4, tanh's at most 1, ReLU's is 0 or 1 (LeakyReLU and ELU keep a slope below 0)."));
  t.push_back(real("leakySlope", &C::leaky_slope, 0, 1, 0.01)
      .in("Network").named("Leaky slope").when("activation=leaky_relu")
      .explain("LeakyReLU's slope for z < 0: φ(z) = slope·z."));
  t.push_back(real("eluAlpha", &C::elu_alpha, 0.01, 10, 1)
      .in("Network").named("ELU α").when("activation=elu")
      .explain("ELU's α: φ(z) = α(eᶻ − 1) for z < 0."));
  t.push_back(choice("cost", &C::cost, kCostNames, Cost::cross_entropy)
      .in("Network").named("Cost")
      .explain("Output and cost: sigmoid + cross-entropy (Nielsen's), sigmoid + quadratic, or softmax + log-likelihood."));
  // ---------------------------------------------------------------- Initialization
  t.push_back(choice("init", &C::weight_init, kWeightInitNames, WeightInit::nielsen)
      .in("Initialization").named("Weight init")
      .explain("How the weights start: their scale decides whether gradients shrink or grow layer by layer. nielsen N(0, 1/n_in), large N(0, 1), standard_uniform U[−1/√n_in, 1/√n_in] (the older default Glorot & Bengio compared with Xavier's); Xavier suits tanh, He suits ReLU."));
  t.push_back(real("sigmaW", &C::sigma_w, 0, 10, 1).by(0.05).as(Widget::slider)
      .in("Initialization").named("σ_w").when("init=scaled_normal")
      .explain("scaled_normal weights: W ~ N(0, σ_w²/n_in). For tanh, σ_w = 1 is the edge of chaos."));
  t.push_back(real("weightConstant", &C::weight_constant, -10, 10, 0.1).alias("weightConst")
      .in("Initialization").named("Weight value").when("init=constant")
      .explain("constant init: every weight starts at this value (all units in a layer then stay identical)."));
  t.push_back(choice("biasInit", &C::bias_init, kBiasInitNames, BiasInit::normal)
      .in("Initialization").named("Bias init")
      .explain("How the biases start: Nielsen's normal N(0, 1), zeros, N(0, σ_b²) or a constant."));
  t.push_back(real("sigmaB", &C::sigma_b, 0, 5, 1).by(0.05).as(Widget::slider)
      .in("Initialization").named("σ_b").when("biasInit=scaled_normal")
      .explain("scaled_normal biases: b ~ N(0, σ_b²)."));
  t.push_back(real("biasConstant", &C::bias_constant, -10, 10, 0).alias("biasConst")
      .in("Initialization").named("Bias value").when("biasInit=constant")
      .explain("constant bias init: every bias starts at this value."));
  // ---------------------------------------------------------------- Training
  t.push_back(real("learningRate", &C::learning_rate, 0.0001, 100, 0.1).alias("lr").alias("--eta")
      .recurrent(rd.optimizer.learning_rate)
      .in("Training").named("Learning rate η")
      .explain("Step size of gradient descent: each weight moves by −η times its gradient."));
  t.push_back(integer("batchSize", &C::batch_size, 1, 1000, 10).alias("batch").alias("--batch")
      .recurrent(rd.batch_size)
      .in("Training").named("Mini-batch size")
      .explain("Examples averaged per gradient step."));
  t.push_back(choice("optimizer", &C::optimizer, kOptimizerNames, Optimizer::sgd)
      .recurrent(index_of(kOptimizerNames, rd.optimizer.kind))
      .in("Training").named("Optimizer")
      .explain("SGD, SGD with momentum, Adam or RMSProp. Adam and RMSProp rescale each weight's step, not its gradient: the speeds still vanish, but the step sizes even out."));
  t.push_back(real("momentum", &C::momentum, 0, 0.999, 0.9)
      .in("Training").named("Momentum β").when("optimizer=momentum|adam")
      .explain("Momentum's β (and Adam's β₁): how much of the previous steps carries on."));
  t.push_back(integer("seed", &C::seed, 0, 2147483647, 1)
      .in("Training").named("Seed")
      .explain("The same seed gives the same initial weights and batch order."));
  // ---------------------------------------------------------------- Remedies
  t.push_back(boolean("batchNorm", &C::batch_norm, false)
      .in("Remedies").named("Batch norm")
      .explain("Normalise each hidden layer's z over the mini-batch, then scale by γ and shift by β (which replaces the bias): pulls sigmoid out of its flat tails. Such a layer's speed is ‖∂C/∂β‖."));
  t.push_back(boolean("residual", &C::residual, false)
      .in("Remedies").named("Residual shortcuts")
      .explain("a = a_in + φ(y): the gradient flows back through the identity, past every layer. Only between hidden layers of equal width, so not into the first one."));
  t.push_back(real("clipNorm", &C::clip_norm, 0, 1000, 0).recurrent(rd.clip_norm)
      .in("Remedies").named("Clip norm")
      .explain("Gradient clipping (Pascanu et al.): if the whole gradient's norm exceeds T, scale it down to T. Under SGD no step is then larger than η·T. 0 = off."));
  t.push_back(real("clipValue", &C::clip_value, 0, 1000, 0)
      .in("Remedies").named("Clip value")
      .explain("Clamp every gradient component to [−V, V]. 0 = off."));
  t.push_back(real("l2", &C::l2, 0, 100, 0).alias("--lambda")
      .in("Remedies").named("L2 λ")
      .explain("Weight decay as in Nielsen: w ← (1 − ηλ/n) w − η ∂C/∂w. Keeps weights, and so explosions, small."));
  t.push_back(real("l1", &C::l1, 0, 100, 0)
      .in("Remedies").named("L1 λ₁")
      .explain("Each step moves every weight ηλ₁/n towards zero and stops it there (a proximal step): many weights become exactly zero."));
  t.push_back(integer("pretrainEpochs", &C::pretrain_epochs, 0, 20, 0)
      .in("Remedies").named("Pretrain epochs")
      .explain("Greedy layer-wise pretraining: each hidden layer is first trained as an autoencoder on the layer below, for this many epochs, with the training settings above; then the whole network is fine-tuned. 0 = off."));
  // ---------------------------------------------------------------- Measurement
  t.push_back(integer("probeSize", &C::probe_size, 0, 10000, 0).alias("--probe").as(Widget::none)
      .in("Measurement").named("Probe size")
      .explain("Training examples the speeds are averaged over. 0: " + std::to_string(kNielsenProbeExamples) +
               " as in the book, fewer (at least " + std::to_string(kMinProbeExamples) +
               ") for networks so large that that many would slow training."));
  // The MLP's settings matter only for it; these few train the recurrent models too.
  const std::vector<std::string> shared = {"model", "learningRate", "batchSize", "optimizer", "momentum", "seed", "clipNorm", "dataSeed"};
  for (auto& s : t)
    if (s.group != "Sequence" && std::find(shared.begin(), shared.end(), s.key) == shared.end())
      s.relevant_if = "model=mlp" + (s.relevant_if.empty() ? "" : "&" + s.relevant_if);
  return t;
}

std::string range_text(const SettingSpec& s) {
  return number_text(s.min) + " and " + number_text(s.max);
}

// "a, b, c" (the sentence) or "a,b,c" (an error's value).
std::string choices_text(const SettingSpec& s, const char* separator) {
  std::string out;
  for (const auto& c : s.choices) out += (out.empty() ? "" : separator) + c;
  return out;
}

}  // namespace

std::string number_text(double v) {
  char buf[32];
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

const std::vector<SettingSpec>& settings() {
  static const std::vector<SettingSpec> table = make_table();
  return table;
}

const SettingSpec* find_setting(std::string_view name) {
  for (const auto& s : settings()) {
    if (s.key == name || s.flag == name) return &s;
    for (const auto& a : s.aliases)
      if (a == name) return &s;
  }
  return nullptr;
}

const SettingSpec& setting_named(std::string_view name) {
  if (const SettingSpec* s = find_setting(name)) return *s;
  throw SettingError(std::string(name), "unknown_setting", {}, "unknown setting '" + std::string(name) + "'");
}

std::string SettingSpec::default_text() const {
  if (type == SettingType::choice) return choices[static_cast<size_t>(default_value)];
  if (type == SettingType::boolean) return default_value != 0 ? "true" : "false";
  return number_text(default_value);
}

ExperimentConfig::ExperimentConfig() {
  for (const auto& s : settings()) s.set(*this, s.default_value);
}

bool ExperimentConfig::operator==(const ExperimentConfig& o) const {
  for (const auto& s : settings())
    if (s.get(*this) != s.get(o)) return false;
  return true;
}

SettingError setting_error(const SettingSpec& s, const std::string& code, const std::string& value, bool quoted) {
  const std::string shown = quoted ? "'" + value + "'" : value;
  if (code == "out_of_range")
    return SettingError(s.key, code, {{"value", value}, {"min", number_text(s.min)}, {"max", number_text(s.max)}},
                        s.key + " must be between " + range_text(s) + " (got " + shown + ")");
  if (code == "unknown_choice")
    return SettingError(s.key, code, {{"value", value}, {"choices", choices_text(s, ",")}},
                        s.key + ": " + shown + " is not one of " + choices_text(s, ", "));
  const char* problem = code == "not_boolean" ? "true or false" : code == "not_whole" ? "a whole number" : "a number";
  return SettingError(s.key, code, {{"value", value}}, s.key + ": " + shown + " is not " + problem);
}

void check_setting(const SettingSpec& s, double v) {
  if (!std::isfinite(v)) throw setting_error(s, "not_a_number", number_text(v));
  switch (s.type) {
    case SettingType::boolean:
      if (v != 0 && v != 1) throw setting_error(s, "not_boolean", number_text(v));
      return;
    case SettingType::choice:
      if (v != std::floor(v) || v < 0 || v > s.max) throw setting_error(s, "unknown_choice", number_text(v));
      return;
    case SettingType::integer:
      if (v != std::floor(v)) throw setting_error(s, "not_whole", number_text(v));
      [[fallthrough]];
    case SettingType::real:
      if (v < s.min || v > s.max) throw setting_error(s, "out_of_range", number_text(v));
  }
}

void set_setting(ExperimentConfig& c, const SettingSpec& s, double v) {
  check_setting(s, v);
  s.set(c, v);
}

void set_setting(ExperimentConfig& c, const SettingSpec& s, std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  const std::string t(text);
  switch (s.type) {
    case SettingType::choice:
      for (size_t i = 0; i < s.choices.size(); ++i)
        if (s.choices[i] == t) return s.set(c, static_cast<double>(i));
      throw setting_error(s, "unknown_choice", t, true);
    case SettingType::boolean:
      if (t == "1" || t == "true") return s.set(c, 1);
      if (t == "0" || t == "false") return s.set(c, 0);
      throw setting_error(s, "not_boolean", t, true);
    default: {
      char* end = nullptr;
      const double v = t.empty() ? NAN : std::strtod(t.c_str(), &end);
      if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v))
        throw setting_error(s, "not_a_number", t, true);
      set_setting(c, s, v);
    }
  }
}

std::string setting_text(const ExperimentConfig& c, const SettingSpec& s) {
  const double v = s.get(c);
  if (s.type == SettingType::choice) return s.choices[static_cast<size_t>(v)];
  if (s.type == SettingType::boolean) return v != 0 ? "true" : "false";
  return number_text(v);
}

void validate(const ExperimentConfig& c) {
  for (const auto& s : settings()) check_setting(s, s.get(c));
}

bool is_relevant(const SettingSpec& s, const ExperimentConfig& c) {
  std::string_view rest = s.relevant_if;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view cond = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const size_t ne = cond.find("!="), op = ne != std::string_view::npos ? ne : cond.find('=');
    const SettingSpec& on = setting_named(cond.substr(0, op));
    const std::string value = setting_text(c, on);
    std::string_view values = cond.substr(op + (ne != std::string_view::npos ? 2 : 1));
    bool hit = false;
    while (true) {
      const size_t bar = values.find('|');
      hit = hit || values.substr(0, bar) == value;
      if (bar == std::string_view::npos) break;
      values = values.substr(bar + 1);
    }
    if (hit == (ne != std::string_view::npos)) return false;
  }
  return true;
}

ExperimentConfig defaults_for(Model model) {
  ExperimentConfig c;
  for (const auto& s : settings()) s.set(c, s.default_for(model));
  c.model = model;
  return c;
}

}  // namespace gradlab
