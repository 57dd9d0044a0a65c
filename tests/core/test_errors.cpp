// Error codes: every refusal a reader can cause carries a code listed in
// kErrorCodes, with exactly the listed values, in order; the page words its
// messages from them.
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <set>

#include "helpers.hpp"

using namespace gradlab;
using Catch::Matchers::Contains;

namespace {

// The codes thrown so far in this process, to check that every listed code is tried.
std::set<std::string> g_thrown;

// The CoreError that f throws, checked against kErrorCodes; its values by name.
template <typename F>
std::map<std::string, std::string> refusal(const std::string& code, F&& f) {
  INFO("expected " << code);
  try {
    f();
  } catch (const CoreError& e) {
    CHECK(e.code() == code);
    const ErrorCode* listed = find_error_code(e.code());
    REQUIRE(listed != nullptr);
    std::vector<std::string> names, expected(listed->values.begin(), listed->values.end());
    std::map<std::string, std::string> values;
    for (const auto& [name, text] : e.values()) {
      names.push_back(name);
      values[name] = text;
    }
    CHECK(names == expected);
    CHECK(std::strlen(e.what()) > 0);
    g_thrown.insert(e.code());
    return values;
  }
  FAIL("nothing thrown");
  return {};
}

// A well-formed MNIST file of two 2×2 images.
std::vector<uint8_t> two_digits() {
  std::vector<uint8_t> good(16 + 2 * (4 + 1), 0);
  std::memcpy(good.data(), "GLMNIST1", 8);
  good[8] = 2;                 // count
  good[12] = 2, good[14] = 2;  // 2×2 images
  return good;
}

// Refused settings carry the key, the refused text and the bounds or choices.
void setting_refusals() {
  ExperimentConfig c;
  const SettingSpec& depth = *find_setting("depth");
  auto v = refusal("out_of_range", [&] { set_setting(c, depth, "99"); });
  CHECK(v == std::map<std::string, std::string>{{"key", "depth"}, {"value", "99"}, {"min", "1"}, {"max", "40"}});
  v = refusal("out_of_range", [&] { set_setting(c, *find_setting("learningRate"), -1.0); });
  CHECK(v["min"] == "0.0001");
  CHECK(v["max"] == "100");
  CHECK(v["value"] == "-1");
  v = refusal("not_whole", [&] { set_setting(c, depth, 2.5); });
  CHECK(v["value"] == "2.5");
  v = refusal("not_a_number", [&] { set_setting(c, depth, "x"); });
  CHECK(v["value"] == "x");
  v = refusal("not_a_number", [&] { set_setting(c, depth, std::nan("")); });
  CHECK(v["key"] == "depth");
  v = refusal("unknown_choice", [&] { set_setting(c, *find_setting("optimizer"), "lbfgs"); });
  CHECK(v == std::map<std::string, std::string>{
                 {"key", "optimizer"}, {"value", "lbfgs"}, {"choices", "sgd,momentum,adam,rmsprop"}});
  v = refusal("unknown_choice", [&] { set_setting(c, *find_setting("optimizer"), 7.0); });
  CHECK(v["value"] == "7");
  v = refusal("not_boolean", [&] { set_setting(c, *find_setting("batchNorm"), "maybe"); });
  CHECK(v["value"] == "maybe");
  refusal("not_boolean", [&] { set_setting(c, *find_setting("residual"), 2.0); });
  v = refusal("unknown_setting", [&] { setting_named("frobnicate"); });
  CHECK(v["key"] == "frobnicate");
  CHECK(&setting_named("--eta") == find_setting("learningRate"));
  // validate() and a session refuse a bad config the same way, key first.
  ExperimentConfig bad;
  bad.width = 0;
  v = refusal("out_of_range", [&] { validate(bad); });
  CHECK(v["key"] == "width");
  Session session;
  refusal("out_of_range", [&] { session.configure(bad); });
  // A SettingError is a CoreError whose key() is its first value.
  try {
    set_setting(c, depth, "0");
    FAIL("depth 0 accepted");
  } catch (const SettingError& e) {
    CHECK(e.key() == "depth");
    CHECK(e.values().front() == std::pair<std::string, std::string>{"key", "depth"});
    CHECK_THAT(e.what(), Contains("depth must be between 1 and 40 (got 0)"));
  }
}

// Malformed MNIST bytes carry their code and the sizes.
void mnist_refusals() {
  const auto good = two_digits();
  auto v = refusal("mnist_not_gradlab_file", [&] { parse_mnist(good.data(), 5); });
  CHECK(v["bytes"] == "5");
  refusal("mnist_not_gradlab_file", [&] { parse_mnist(nullptr, 0); });
  auto bad_magic = good;
  bad_magic[0] = 'X';
  refusal("mnist_not_gradlab_file", [&] { parse_mnist(bad_magic.data(), bad_magic.size()); });
  v = refusal("mnist_wrong_size", [&] { parse_mnist(good.data(), good.size() - 1); });
  CHECK(v == std::map<std::string, std::string>{{"bytes", "25"}, {"expected", "26"}, {"count", "2"}});
  auto no_images = good;
  no_images[8] = 0;
  v = refusal("mnist_bad_header", [&] { parse_mnist(no_images.data(), no_images.size()); });
  CHECK(v == std::map<std::string, std::string>{{"count", "0"}, {"rows", "2"}, {"cols", "2"}});
  auto bad_label = good;
  bad_label.back() = 12;
  v = refusal("mnist_bad_label", [&] { parse_mnist(bad_label.data(), bad_label.size()); });
  CHECK(v == std::map<std::string, std::string>{{"label", "12"}, {"image", "1"}});
  Session session;
  refusal("mnist_bad_label", [&] { session.load_mnist(bad_label.data(), bad_label.size()); });
  CHECK_FALSE(session.has_mnist());
}

// The data, the split and the memory budget refuse with codes.
void data_refusals() {
  auto v = refusal("toy_samples_out_of_range", [] { make_toy(Toy::circle, 1, 0.0, 1); });
  CHECK(v == std::map<std::string, std::string>{{"value", "1"}, {"min", "2"}, {"max", "1000000"}});
  v = refusal("toy_noise_out_of_range", [] { make_toy(Toy::circle, 100, 1.5, 1); });
  CHECK(v == std::map<std::string, std::string>{{"value", "1.5"}, {"min", "0"}, {"max", "1"}});
  const Dataset all = make_toy(Toy::xor_, 100, 0.0, 1);
  v = refusal("split_out_of_range", [&] { shuffle_split(all, 100, 1); });
  CHECK(v == std::map<std::string, std::string>{{"value", "100"}, {"min", "0"}, {"max", "99"}, {"examples", "100"}});

  Session session;
  refusal("mnist_not_loaded", [&] { session.configure(ExperimentConfig{}); });
  ExperimentConfig c;
  c.dataset = DataSource::circle;  // 500 points, 400 for training
  c.train_size = 1000;
  v = refusal("train_size_too_large", [&] { session.configure(c); });
  CHECK(v == std::map<std::string, std::string>{{"value", "1000"}, {"max", "400"}});

  c = ExperimentConfig{};
  c.dataset = DataSource::spiral;
  c.depth = 40;
  c.width = 256;
  c.batch_norm = true;
  c.batch_size = 1000;
  v = refusal("memory_limit", [&] { session.configure(c); });
  CHECK(v["batch_size"] == "1000");
  CHECK(v["limit_megabytes"] == "256");
  CHECK(std::stoi(v["max_batch_size"]) >= 1);
  CHECK(std::stoi(v["megabytes"]) > 256);
  // So wide that not even one example fits: fewer or narrower layers.
  NetworkConfig huge;
  huge.layers = {784, 20000, 20000, 10};
  v = refusal("memory_limit_layers", [&] { check_trainer_memory(huge, TrainConfig{}, 4); });
  CHECK(v["batch_size"] == "10");
  CHECK_FALSE(session.configured());
  // Sequences and caches of both cells over the budget: refused before anything is made.
  RecurrentSession recurrent;
  ExperimentConfig r = defaults_for(Model::lstm);
  r.seq_len = kMaxSequenceLength;
  r.hidden = 256;
  v = refusal("memory_limit_sequences", [&] { recurrent.configure(r, true); });
  CHECK(std::stoi(v["megabytes"]) > 256);
  CHECK(v["limit_megabytes"] == "256");
  CHECK_FALSE(recurrent.configured());
  r.hidden = 32;
  CHECK(recurrent.configure(r, true));  // the same at 32 units fits
}

}  // namespace

TEST_CASE("the codes are listed once, in snake_case, with their values and help", "[errors]") {
  std::set<std::string> codes;
  for (const auto& e : kErrorCodes) {
    INFO(e.code);
    CHECK(codes.insert(e.code).second);
    CHECK(std::strlen(e.help) > 0);
    for (const char* p = e.code; *p; ++p) CHECK(((*p >= 'a' && *p <= 'z') || *p == '_'));
  }
  std::set<std::string> divergences;
  for (const auto& d : kDivergenceCodes) CHECK(divergences.insert(d.code).second);
  CHECK(divergences == std::set<std::string>{"activations", "loss", "gradients", "weights", "pretraining"});
}

TEST_CASE("refused settings carry the key, the refused text and the bounds or choices", "[errors][settings]") {
  setting_refusals();
}

TEST_CASE("malformed MNIST bytes carry their code and the sizes", "[errors][data]") { mnist_refusals(); }

TEST_CASE("the data, the split and the memory budget refuse with codes", "[errors][data]") { data_refusals(); }

TEST_CASE("every listed code is thrown by the refusals above, with exactly its values", "[errors]") {
  // ctest runs each test case in a process of its own: this one runs them all.
  setting_refusals();
  mnist_refusals();
  data_refusals();
  for (const auto& e : kErrorCodes) {
    INFO(e.code);
    CHECK(g_thrown.count(e.code) == 1);
  }
}
