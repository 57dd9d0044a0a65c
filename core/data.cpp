#include "data.hpp"

#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "errors.hpp"
#include "portable_math.hpp"
#include "rng.hpp"
#include "settings.hpp"  // number_text

namespace gradlab {

namespace {
uint32_t read_u32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint16_t read_u16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
}  // namespace

Dataset parse_mnist(const uint8_t* bytes, size_t size) {
  constexpr size_t kHeader = 16;
  if (bytes == nullptr || size < kHeader || std::memcmp(bytes, "GLMNIST1", 8) != 0)
    throw CoreError("mnist_not_gradlab_file", {{"bytes", std::to_string(size)}},
                    "MNIST data: not a gradlab MNIST file (expected the 'GLMNIST1' header written by "
                    "tools/make_mnist.mjs; got " + std::to_string(size) + " bytes)");
  const uint32_t count = read_u32(bytes + 8);
  const uint16_t rows = read_u16(bytes + 12), cols = read_u16(bytes + 14);
  const size_t pixels = size_t(rows) * cols;
  if (count == 0 || pixels == 0 || pixels > 4096)
    throw CoreError("mnist_bad_header",
                    {{"count", std::to_string(count)}, {"rows", std::to_string(rows)}, {"cols", std::to_string(cols)}},
                    "MNIST data: bad header (" + std::to_string(count) + " images of " + std::to_string(rows) +
                        "×" + std::to_string(cols) + ")");
  const size_t expected = kHeader + size_t(count) * (pixels + 1);
  if (size != expected)
    throw CoreError("mnist_wrong_size",
                    {{"bytes", std::to_string(size)}, {"expected", std::to_string(expected)},
                     {"count", std::to_string(count)}},
                    "MNIST data: truncated or padded file (" + std::to_string(size) + " bytes, expected " +
                        std::to_string(expected) + " for " + std::to_string(count) + " images)");
  Dataset d;
  d.name = "mnist";
  d.num_classes = 10;
  d.uses_bytes = true;
  const uint8_t* px = bytes + kHeader;
  d.pixels = Eigen::Map<const Dataset::Bytes>(px, static_cast<Eigen::Index>(pixels), count);
  const uint8_t* labels = px + size_t(count) * pixels;
  d.labels.assign(labels, labels + count);
  for (uint32_t i = 0; i < count; ++i)
    if (d.labels[i] > 9)
      throw CoreError("mnist_bad_label", {{"label", std::to_string(d.labels[i])}, {"image", std::to_string(i)}},
                      "MNIST data: label " + std::to_string(d.labels[i]) + " of image " + std::to_string(i) +
                          " is not a digit");
  return d;
}

namespace {
// The checks every generated set makes of its size and noise.
void check_generated(int n, double noise) {
  if (n < 2 || n > 1'000'000)
    throw CoreError("toy_samples_out_of_range", {{"value", std::to_string(n)}, {"min", "2"}, {"max", "1000000"}},
                    "toy data: sample count must be in [2, 1000000] (got " + std::to_string(n) + ")");
  if (!(noise >= 0.0 && noise <= 1.0))
    throw CoreError("toy_noise_out_of_range", {{"value", number_text(noise)}, {"min", "0"}, {"max", "1"}},
                    "toy data: noise must be in [0, 1] (got " + number_text(noise) + ")");
}
}  // namespace

Dataset make_gaussian(int n, int inputs, double noise, uint64_t seed) {
  check_generated(n, noise);
  if (inputs < 1 || inputs > 100'000)
    throw std::invalid_argument("gaussian data: inputs must be in [1, 100000] (got " + std::to_string(inputs) + ")");
  Rng rng(seed, Stream::toy_points);
  std::vector<double> teacher(static_cast<size_t>(inputs));
  for (double& t : teacher) t = rng.normal();
  Dataset d;
  d.name = "gaussian";
  d.num_classes = 2;
  d.X.resize(inputs, n);
  for (int i = 0; i < n; ++i) {
    double side = 0;
    for (int k = 0; k < inputs; ++k) {
      const double x = rng.normal();
      d.X(k, i) = static_cast<float>(x);
      side += teacher[static_cast<size_t>(k)] * static_cast<double>(d.X(k, i));
    }
    const bool flip = rng.uniform(0.0, 1.0) < noise;
    d.labels.push_back(static_cast<uint8_t>((side > 0) != flip));
  }
  return d;
}

Dataset make_toy(Toy kind, int n, double noise, uint64_t seed) {
  check_generated(n, noise);
  Rng rng(seed, Stream::toy_points);
  std::vector<double> xs, ys;
  std::vector<uint8_t> labels;
  auto push = [&](double x, double y, int label) {
    xs.push_back(x);
    ys.push_back(y);
    labels.push_back(static_cast<uint8_t>(label));
  };
  const double pi = portable::kPi;
  const int half = n / 2;
  switch (kind) {
    case Toy::circle: {
      // Class 1 inside radius 2.5, class 0 in the ring [3.5, 5]; the label is that of
      // the noisy point, as in the playground.
      const double radius = 5.0;
      for (int i = 0; i < n; ++i) {
        const bool inside = i < half;
        const double r = inside ? rng.uniform(0.0, radius * 0.5) : rng.uniform(radius * 0.7, radius);
        const double angle = rng.uniform(0.0, 2.0 * pi);
        double s, c;
        portable::sincos(angle, &s, &c);
        const double x = r * s, y = r * c;
        const double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
        const double d2 = (x + nx) * (x + nx) + (y + ny) * (y + ny);
        push(x, y, d2 < (radius * 0.5) * (radius * 0.5) ? 1 : 0);
      }
      break;
    }
    case Toy::xor_: {
      const double padding = 0.3;
      for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-5.0, 5.0), y = rng.uniform(-5.0, 5.0);
        x += x > 0 ? padding : -padding;
        y += y > 0 ? padding : -padding;
        const double nx = rng.uniform(-5.0, 5.0) * noise, ny = rng.uniform(-5.0, 5.0) * noise;
        push(x, y, (x + nx) * (y + ny) >= 0 ? 1 : 0);
      }
      break;
    }
    case Toy::gauss: {
      // Two Gaussian blobs at (2, 2) and (−2, −2); variance from 0.5 (noise 0) to 4 (noise 0.5).
      const double variance = 0.5 + 7.0 * noise;
      const double sd = std::sqrt(variance);
      for (int i = 0; i < n; ++i) {
        const bool positive = i < half;
        const double c = positive ? 2.0 : -2.0;
        const double x = c + sd * rng.normal();
        const double y = c + sd * rng.normal();
        push(x, y, positive ? 1 : 0);
      }
      break;
    }
    case Toy::spiral: {
      // Two interleaved arms, 1.75 turns each, radius growing to 5.
      const int per_arm = (n + 1) / 2;
      for (int i = 0; i < n; ++i) {
        const bool first = i < per_arm;
        const int k = first ? i : i - per_arm;
        const double r = 5.0 * k / per_arm;
        const double t = 1.75 * k / per_arm * 2.0 * pi + (first ? 0.0 : pi);
        double s, c;
        portable::sincos(t, &s, &c);
        const double x = r * s + rng.uniform(-1.0, 1.0) * noise;
        const double y = r * c + rng.uniform(-1.0, 1.0) * noise;
        push(x, y, first ? 1 : 0);
      }
      break;
    }
  }
  Dataset d;
  d.name = to_string(kind);
  d.num_classes = 2;
  d.X.resize(2, n);
  for (int i = 0; i < n; ++i) {
    d.X(0, i) = static_cast<float>(xs[static_cast<size_t>(i)] / 6.0);
    d.X(1, i) = static_cast<float>(ys[static_cast<size_t>(i)] / 6.0);
  }
  d.labels = std::move(labels);
  return d;
}

Dataset take(const Dataset& d, int n) {
  const int k = std::max(0, std::min(n, d.size()));
  Dataset out;
  out.name = d.name;
  out.num_classes = d.num_classes;
  out.uses_bytes = d.uses_bytes;
  if (d.uses_bytes)
    out.pixels = d.pixels.leftCols(k);
  else
    out.X = d.X.leftCols(k);
  out.labels.assign(d.labels.begin(), d.labels.begin() + k);
  return out;
}

Split shuffle_split(const Dataset& all, int test_count, uint64_t seed) {
  if (test_count < 0 || test_count >= all.size())
    throw CoreError("split_out_of_range",
                    {{"value", std::to_string(test_count)}, {"min", "0"}, {"max", std::to_string(all.size() - 1)},
                     {"examples", std::to_string(all.size())}},
                    "split: test count must be in [0, " + std::to_string(all.size() - 1) + "] for " +
                        std::to_string(all.size()) + " examples (got " + std::to_string(test_count) + ")");
  std::vector<int> order(static_cast<size_t>(all.size()));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed, Stream::data);
  rng.shuffle(order);
  auto gather = [&](int begin, int end) {
    Dataset d;
    d.name = all.name;
    d.num_classes = all.num_classes;
    d.uses_bytes = all.uses_bytes;
    if (all.uses_bytes)
      d.pixels.resize(all.features(), end - begin);
    else
      d.X.resize(all.features(), end - begin);
    d.labels.resize(static_cast<size_t>(end - begin));
    for (int i = begin; i < end; ++i) {
      const int from = order[static_cast<size_t>(i)];
      if (all.uses_bytes)
        d.pixels.col(i - begin) = all.pixels.col(from);
      else
        d.X.col(i - begin) = all.X.col(from);
      d.labels[static_cast<size_t>(i - begin)] = all.labels[static_cast<size_t>(from)];
    }
    return d;
  };
  const int n_train = all.size() - test_count;
  return {gather(0, n_train), gather(n_train, all.size())};
}

}  // namespace gradlab
