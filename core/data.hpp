// Datasets: real MNIST digits parsed from bytes, TensorFlow Playground's four 2-D
// toy sets generated here, and a seeded shuffle/split. The core never opens files:
// callers (the CLI, the wasm worker) hand it bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels.hpp"
#include "matrix.hpp"
#include "names.hpp"

namespace gradlab {

/// Examples as columns, one class index per example. Features are floats (the 2-D
/// sets), or bytes scaled by 1/255 (MNIST: a quarter of the memory, and a quarter
/// of the traffic when a mini-batch is gathered at random from 10,000 digits).
struct Dataset {
  using Bytes = Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic>;
  std::string name;
  bool uses_bytes = false;
  Eigen::MatrixXf X;            // (features, n) when !uses_bytes
  Bytes pixels;                 // (features, n) when uses_bytes: feature = byte / 255
  std::vector<uint8_t> labels;  // (n)
  int num_classes = 0;

  int size() const { return static_cast<int>(uses_bytes ? pixels.cols() : X.cols()); }
  int features() const { return static_cast<int>(uses_bytes ? pixels.rows() : X.rows()); }

  /// Example i's features into out[0 … features).
  template <typename T>
  void column(int i, T* out) const {
    const Eigen::Index n = features();
    if constexpr (std::is_same_v<T, float>)
      if (uses_bytes) return kernels::bytes_to_unit(pixels.col(i).data(), int(n), out);
    if (uses_bytes) {
      Eigen::Map<Vector<T>>(out, n) = pixels.col(i).template cast<T>() * (T(1) / T(255));
    } else {
      Eigen::Map<Vector<T>>(out, n) = X.col(i).template cast<T>();
    }
  }

  /// Examples [begin, begin + count) into out (features, count).
  template <typename T>
  void columns(int begin, int count, Matrix<T>& out) const {
    if (uses_bytes)
      out = pixels.middleCols(begin, count).template cast<T>() * (T(1) / T(255));
    else
      out = X.middleCols(begin, count).template cast<T>();
  }
};

/// The compact MNIST file written by tools/make_mnist.mjs (little-endian):
///   "GLMNIST1" | u32 count | u16 rows | u16 cols | count·rows·cols u8 pixels | count u8 labels
/// Pixels become x/255 in [0, 1]. Throws CoreError (errors.hpp: mnist_*) on malformed bytes.
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
/// 6 so they lie in about [−1, 1]. Throws CoreError (toy_*_out_of_range) for
/// n outside [2, 1000000] or noise outside [0, 1].
Dataset make_toy(Toy kind, int n, double noise, uint64_t seed);

/// n examples of `inputs` i.i.d. N(0, 1) numbers (the inputs mean-field theory
/// assumes), labelled by the side of a random hyperplane through 0 (a teacher
/// drawn from the seed), a `noise` fraction of labels flipped. Throws CoreError
/// (toy_*_out_of_range) as make_toy does, and for inputs outside [1, 100000].
Dataset make_gaussian(int n, int inputs, double noise, uint64_t seed);

/// The first n examples (all if n ≥ size).
Dataset take(const Dataset& d, int n);

/// Shuffles `all` with the seed's data stream and keeps the last `test_count`
/// examples as the test set. Throws CoreError (split_out_of_range) unless
/// 0 ≤ test_count < all.size().
struct Split {
  Dataset train;
  Dataset test;
};
Split shuffle_split(const Dataset& all, int test_count, uint64_t seed);

}  // namespace gradlab
