// Native training throughput: examples per second of mini-batch SGD on the MNIST
// digits, statistics included (the trainer measures every layer at every step, as
// the page needs) unless --bare. One warm-up run, then the timed runs; each run is
// a workload's `examples` examples (bench/workloads.cjs, passed in by bench/run.mjs).
//
// usage: bench_native <mnist.bin> <timed runs> [--bare] --workload <name> <layers> <batch> <examples> …
// Prints one JSON line per workload: {"workload", "median_examples_per_s", "epochs": [per run]}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/gradlab.hpp"

using namespace gradlab;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_native <mnist.bin> <timed runs> [--bare] --workload <name> <layers> <batch> <examples> …\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_native: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  const int runs = std::max(1, std::atoi(argv[2]));
  bool bare = false;
  struct Workload {
    std::string name;
    std::vector<int> layers;
    int batch, examples;
  };
  std::vector<Workload> workloads;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bare") == 0) {
      bare = true;
    } else if (std::strcmp(argv[i], "--workload") == 0 && i + 4 < argc) {
      workloads.push_back({argv[i + 1], parse_layers(argv[i + 2]), std::atoi(argv[i + 3]), std::atoi(argv[i + 4])});
      i += 4;
    } else {
      std::fprintf(stderr, "bench_native: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  auto data = std::make_shared<const Dataset>(parse_mnist(bytes.data(), bytes.size()));

  for (const auto& w : workloads) {
    NetworkConfig c;
    c.layers = w.layers;
    TrainConfig t;
    t.batch_size = w.batch;
    t.learning_rate = 0.1;
    Trainer<float> trainer(c, t, data);
    trainer.set_measuring(!bare);
    const int steps = w.examples / w.batch;
    std::vector<double> rates;
    for (int r = 0; r <= runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      for (int s = 0; s < steps; ++s)
        if (!trainer.step()) {
          std::fprintf(stderr, "bench_native: %s diverged\n", w.name.c_str());
          return 1;
        }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (r > 0) rates.push_back(steps * w.batch / seconds);  // run 0 warms up
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    std::printf("{\"workload\":\"%s\",\"median_examples_per_s\":%.0f,\"epochs\":[", w.name.c_str(), sorted[sorted.size() / 2]);
    for (size_t i = 0; i < rates.size(); ++i) std::printf("%s%.0f", i ? "," : "", rates[i]);
    std::printf("]}\n");
  }
  return 0;
}
