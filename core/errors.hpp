// What the core refuses, and how a run can fail, as codes with values: the page
// words them in the reader's language from the code and the values; what() is
// the English sentence (the CLI prints it).
//
// Every code is listed once, here, with the names of its values and a line of
// English: the bindings hand the lists to the page (errorCodes(),
// divergenceCodes()), and the tests check that what is thrown matches them.
//
// Internal invariants (a network config with no layers, a bad TrainConfig built
// by code, not by a reader) stay plain std::invalid_argument.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gradlab {

/// A refusal a reader can cause: `code` (snake_case) says which, `values` the
/// particulars as text, in order ({"key","depth"}, {"value","99"}, …).
class CoreError : public std::invalid_argument {
 public:
  using Values = std::vector<std::pair<std::string, std::string>>;
  CoreError(std::string code, Values values, const std::string& message)
      : std::invalid_argument(message), code_(std::move(code)), values_(std::move(values)) {}
  const std::string& code() const { return code_; }
  const Values& values() const { return values_; }

 private:
  std::string code_;
  Values values_;
};

/// One code: the names of its values, in the order they are carried, and what it means.
struct ErrorCode {
  const char* code;
  std::vector<const char*> values;
  const char* help;
};

/// Every code a CoreError (or a SettingError, settings.hpp) can carry.
inline const ErrorCode kErrorCodes[] = {
    // A setting (SettingError: key() is the setting's key; choices are comma-separated).
    {"unknown_setting", {"key"}, "there is no setting called key"},
    {"not_a_number", {"key", "value"}, "value is not a number (or not finite)"},
    {"not_whole", {"key", "value"}, "value is not a whole number"},
    {"out_of_range", {"key", "value", "min", "max"}, "value is not between min and max"},
    {"unknown_choice", {"key", "value", "choices"}, "value is not one of the choices"},
    {"not_boolean", {"key", "value"}, "value is not true or false"},
    // The MNIST file (parse_mnist).
    {"mnist_not_gradlab_file", {"bytes"}, "the bytes do not start with the 'GLMNIST1' header of tools/make_mnist.mjs"},
    {"mnist_bad_header", {"count", "rows", "cols"}, "the header promises no images, or images of no or too many pixels"},
    {"mnist_wrong_size", {"bytes", "expected", "count"}, "the file is truncated or padded: bytes instead of expected"},
    {"mnist_bad_label", {"label", "image"}, "the label of an image is not a digit 0-9"},
    // The data of an experiment.
    {"mnist_not_loaded", {}, "the MNIST digits are not loaded (mnist.bin is missing): choose a 2-D dataset"},
    {"toy_samples_out_of_range", {"value", "min", "max"}, "a 2-D set's point count is not between min and max"},
    {"toy_noise_out_of_range", {"value", "min", "max"}, "a 2-D set's noise is not between min and max"},
    {"split_out_of_range", {"value", "min", "max", "examples"}, "the test examples of a split of examples are not between min and max"},
    {"train_size_too_large", {"value", "max"}, "trainSize is more than the max training examples of the split"},
    // The memory budget (check_trainer_memory), in whole megabytes.
    {"memory_limit", {"megabytes", "batch_size", "limit_megabytes", "max_batch_size"},
     "the network needs more memory than the limit with this mini-batch; max_batch_size fits"},
    {"memory_limit_layers", {"megabytes", "batch_size", "limit_megabytes"},
     "the network needs more memory than the limit even with a mini-batch of 1: fewer or narrower layers"},
    {"memory_limit_sequences", {"megabytes", "limit_megabytes"},
     "the sequences and the recurrent networks' caches need more memory than the limit: shorter or fewer sequences, or fewer hidden units"},
};

/// The listed code called `code`, or null.
inline const ErrorCode* find_error_code(std::string_view code) {
  for (const auto& e : kErrorCodes)
    if (code == e.code) return &e;
  return nullptr;
}

/// Why a run stopped (Divergence::code, trainer.hpp); the divergence carries the
/// step and the layer. `what` is the English noun of its message.
struct DivergenceCode {
  const char* code;
  const char* what;
  const char* help;
};
inline const DivergenceCode kDivergenceCodes[] = {
    {"activations", "activations", "a layer's activations (or weighted inputs z) became NaN or infinite in the forward pass"},
    {"loss", "loss", "the mini-batch's cost became NaN or infinite"},
    {"gradients", "gradients", "a layer's gradients became NaN or infinite in backpropagation"},
    {"weights", "weights", "a layer's weights became NaN or infinite in the update"},
    {"pretraining", "pretraining autoencoder", "the autoencoder pretraining a hidden layer became NaN or infinite"},
};

}  // namespace gradlab
