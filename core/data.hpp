// Datasets: real MNIST digits parsed from bytes, TensorFlow Playground's four 2-D
// toy sets generated here, and a seeded shuffle/split. The core never opens files:
// callers (the CLI, the wasm worker) hand it bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "matrix.hpp"
#include "names.hpp"

namespace gradlab {

/// Examples as columns: X (features, n) in float, one class index per example.
struct Dataset {
  std::string name;
  Eigen::MatrixXf X;            // (features, n)
  std::vector<uint8_t> labels;  // (n)
  int num_classes = 0;

  int size() const { return static_cast<int>(X.cols()); }
  int features() const { return static_cast<int>(X.rows()); }
};

/// The compact MNIST file written by tools/make_mnist.mjs (little-endian):
///   "GLMNIST1" | u32 count | u16 rows | u16 cols | count·rows·cols u8 pixels | count u8 labels
/// Pixels become x/255 in [0, 1]. Throws std::invalid_argument on malformed bytes.
Dataset parse_mnist(const uint8_t* bytes, size_t size);

enum class Toy { circle, xor_, gauss, spiral };
inline constexpr NameTable<Toy, 4> kToyNames{{
    {Toy::circle, "circle"},
    {Toy::xor_, "xor"},
    {Toy::gauss, "gauss"},
    {Toy::spiral, "spiral"},
}};
inline const char* to_string(Toy t) { return name_of(kToyNames, t); }
inline Toy parse_toy(std::string_view s) { return parse_name(kToyNames, s, "dataset"); }

/// One of TensorFlow Playground's 2-D sets (src/dataset.ts): n points, noise in
/// [0, 1] (the playground's slider is 0–0.5), two classes, coordinates divided by
/// 6 so they lie in about [−1, 1].
Dataset make_toy(Toy kind, int n, double noise, uint64_t seed);

/// The first n examples (all if n ≥ size).
Dataset take(const Dataset& d, int n);

/// Shuffles `all` with the seed's data stream and keeps the last `test_count`
/// examples as the test set.
struct Split {
  Dataset train;
  Dataset test;
};
Split shuffle_split(const Dataset& all, int test_count, uint64_t seed);

}  // namespace gradlab
