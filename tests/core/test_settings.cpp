// The settings table (core/settings.cpp): one definition per setting, and tests
// that fail when anything derived from it drifts. The CLI's flags, the bindings
// and the page read it at run time; tests/cli and tests/node check that they do.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {
std::string kebab(const std::string& key) {
  std::string out = "--";
  for (char ch : key) out += (ch >= 'A' && ch <= 'Z') ? std::string("-") + char(ch - 'A' + 'a') : std::string(1, ch);
  return out;
}

// A valid value of `s` other than its default.
double other_value(const SettingSpec& s) {
  if (s.type == SettingType::boolean || s.type == SettingType::choice) return s.default_value == s.min ? s.min + 1 : s.min;
  return s.default_value == s.max ? s.min : s.max;
}
}  // namespace

TEST_CASE("keys, flags and aliases are unique, and flags are the keys in kebab-case", "[settings]") {
  std::set<std::string> names;
  for (const auto& s : settings()) {
    INFO(s.key);
    CHECK(s.flag == kebab(s.key));
    CHECK(names.insert(s.key).second);
    CHECK(names.insert(s.flag).second);
    for (const auto& a : s.aliases) CHECK(names.insert(a).second);
    CHECK_FALSE(s.label.empty());
    CHECK_FALSE(s.help.empty());
    CHECK_FALSE(s.group.empty());
    CHECK(find_setting(s.key) == &s);
    CHECK(find_setting(s.flag) == &s);
    for (const auto& a : s.aliases) CHECK(find_setting(a) == &s);
  }
  CHECK(find_setting("lr")->key == "learningRate");
  CHECK(find_setting("--eta")->key == "learningRate");
  CHECK(find_setting("nonsense") == nullptr);
}

TEST_CASE("every default is valid, and a default config holds them", "[settings]") {
  const ExperimentConfig c;
  CHECK_NOTHROW(validate(c));
  for (const auto& s : settings()) {
    INFO(s.key);
    CHECK(s.get(c) == s.default_value);
    CHECK_NOTHROW(check_setting(s, s.default_value));
  }
}

TEST_CASE("each setting reads and writes its own field, and round-trips as text", "[settings]") {
  for (const auto& s : settings()) {
    INFO(s.key);
    ExperimentConfig c;
    const double v = other_value(s);
    set_setting(c, s, v);
    CHECK(s.get(c) == v);
    for (const auto& t : settings())
      if (&t != &s) CHECK(t.get(c) == t.default_value);  // no other field moved
    ExperimentConfig back;
    set_setting(back, s, setting_text(c, s));
    CHECK(back == c);
    CHECK(c != ExperimentConfig{});
  }
}

TEST_CASE("choices are the core's enum names, in order", "[settings]") {
  auto names = [](const auto& table) {
    std::vector<std::string> out;
    for (const auto& entry : table) out.emplace_back(entry.second);
    return out;
  };
  CHECK(find_setting("dataset")->choices == names(kDataSourceNames));
  CHECK(find_setting("activation")->choices == names(kActivationNames));
  CHECK(find_setting("cost")->choices == names(kCostNames));
  CHECK(find_setting("init")->choices == names(kWeightInitNames));
  CHECK(find_setting("biasInit")->choices == names(kBiasInitNames));
  CHECK(find_setting("optimizer")->choices == names(kOptimizerNames));
}

TEST_CASE("a condition names a setting and its values", "[settings]") {
  for (const auto& s : settings()) {
    if (s.relevant_if.empty()) continue;
    std::istringstream conditions(s.relevant_if);
    std::string cond;
    while (std::getline(conditions, cond, '&')) {
      INFO(s.key << ": " << cond);
      const bool negated = cond.find("!=") != std::string::npos;
      const auto op = cond.find(negated ? "!=" : "=");
      const SettingSpec* on = find_setting(cond.substr(0, op));
      REQUIRE(on != nullptr);
      REQUIRE(on->type == SettingType::choice);
      std::string rest = cond.substr(op + (negated ? 2 : 1)), value;
      std::istringstream values(rest);
      while (std::getline(values, value, '|'))
        CHECK(std::find(on->choices.begin(), on->choices.end(), value) != on->choices.end());
    }
  }
}

TEST_CASE("a setting matters when every one of its conditions holds", "[settings]") {
  ExperimentConfig c;
  const SettingSpec& noise = setting_named("noise");
  CHECK_FALSE(is_relevant(noise, c));  // mnist
  c.dataset = DataSource::spiral;
  CHECK(is_relevant(noise, c));
  c.model = Model::lstm;
  CHECK_FALSE(is_relevant(noise, c));  // an MLP setting, under a recurrent model
  const SettingSpec& symbols = setting_named("symbols");
  CHECK(is_relevant(symbols, c));
  c.task = SequenceTask::adding;
  CHECK_FALSE(is_relevant(symbols, c));
  c.model = Model::mlp;
  CHECK_FALSE(is_relevant(symbols, c));
  CHECK(is_relevant(setting_named("learningRate"), c));  // always
  c.optimizer = Optimizer::rmsprop;
  CHECK_FALSE(is_relevant(setting_named("momentum"), c));
}

TEST_CASE("the recurrent models train by their own defaults where the table gives one", "[settings]") {
  const ExperimentConfig mlp = defaults_for(Model::mlp), lstm = defaults_for(Model::lstm);
  CHECK(mlp == ExperimentConfig{});
  CHECK(lstm.model == Model::lstm);
  const RecurrentTrainer<float>::Settings rd;
  CHECK(lstm.optimizer == rd.optimizer.kind);
  CHECK(lstm.learning_rate == rd.optimizer.learning_rate);
  CHECK(lstm.batch_size == rd.batch_size);
  CHECK(lstm.clip_norm == rd.clip_norm);
  int differing = 0;
  for (const auto& s : settings()) {
    INFO(s.key);
    if (s.key == "model") continue;
    if (std::isnan(s.recurrent_default)) CHECK(s.get(lstm) == s.get(mlp));
    else differing += s.get(lstm) != s.get(mlp);
    check_setting(s, s.default_for(Model::rnn));  // within its own range
  }
  CHECK(differing == 4);
}

TEST_CASE("the core's structs default to the settings table", "[settings]") {
  const ExperimentConfig e;
  const TrainConfig t, from = train_config(e);
  CHECK(t.learning_rate == from.learning_rate);
  CHECK(t.batch_size == from.batch_size);
  CHECK(t.l2 == from.l2);
  CHECK(t.l1 == from.l1);
  CHECK(t.optimizer == from.optimizer);
  CHECK(t.momentum == from.momentum);
  CHECK(t.clip_norm == from.clip_norm);
  CHECK(t.clip_value == from.clip_value);
  CHECK(t.pretrain_epochs == from.pretrain_epochs);
  NetworkConfig n;
  const NetworkConfig derived = network_config(e, 784, 10);
  n.layers = derived.layers;  // NetworkConfig{} has no data to fit
  n.init.weight_constant = derived.init.weight_constant;  // the table's 0.1 is a value to try, not Nielsen's
  CHECK(n == derived);
}

TEST_CASE("bad values are refused with the setting's key, a code and a sentence", "[settings]") {
  ExperimentConfig c;
  const auto& depth = *find_setting("depth");
  auto code_of = [&](const SettingSpec& s, const std::string& text) {
    try {
      set_setting(c, s, text);
    } catch (const SettingError& e) {
      CHECK(e.key() == s.key);
      return e.code();
    }
    return std::string("accepted");
  };
  CHECK(code_of(depth, "41") == "out_of_range");
  CHECK(code_of(depth, "2.5") == "not_whole");
  CHECK(code_of(depth, "x") == "not_a_number");
  CHECK(code_of(depth, "") == "not_a_number");
  CHECK(code_of(depth, "nan") == "not_a_number");
  CHECK(code_of(depth, " 7 ") == "accepted");
  CHECK(c.depth == 7);
  CHECK(code_of(*find_setting("activation"), "swish") == "unknown_choice");
  CHECK(code_of(*find_setting("batchNorm"), "maybe") == "not_boolean");
  CHECK(code_of(*find_setting("batchNorm"), "true") == "accepted");
  CHECK_THROWS_WITH(set_setting(c, depth, 0.0), Contains("depth must be between 1 and 40 (got 0)"));
  CHECK_THROWS_WITH(set_setting(c, *find_setting("activation"), "swish"),
                    Contains("'swish' is not one of sigmoid, tanh, relu"));
}

TEST_CASE("every value the table allows is one the core accepts", "[settings]") {
  // Each setting at its minimum and at its maximum, the others at their
  // defaults: the network and the training rule are well defined, and a session
  // either builds it or refuses it with one of the two data- and size-dependent
  // messages (memory, a training set larger than the split).
  for (const auto& s : settings()) {
    for (double v : {s.min, s.max}) {
      INFO(s.key << " = " << v);
      ExperimentConfig c;
      set_setting(c, s, v);
      c.dataset = c.dataset == DataSource::mnist ? DataSource::circle : c.dataset;  // no digits loaded here
      CHECK_NOTHROW(validate(train_config(c)));
      CHECK_NOTHROW(validate(network_config(c, 2, 2)));
      Session session;
      try {
        session.configure(c);
      } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Contains("memory:") || Contains("trainSize:"));
      }
    }
  }
}
