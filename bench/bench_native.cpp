// Native training throughput: examples per second for one epoch of mini-batch
// SGD over the 10,000 MNIST digits, statistics included (the trainer measures every
// layer at every step, as the page needs). Median of the timed epochs after one
// warm-up epoch.
//
// usage: bench_native <mnist.bin> [timed epochs (default 7)] [--json] [--only nielsen|deep]
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

struct Workload {
  const char* name;
  std::vector<int> layers;
  int batch;
};

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_native <mnist.bin> [timed epochs] [--json]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_native: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  const int epochs = argc > 2 && argv[2][0] != '-' ? std::max(5, std::atoi(argv[2])) : 7;
  bool json = false;
  std::string only;
  for (int i = 2; i < argc; ++i) {
    json |= std::strcmp(argv[i], "--json") == 0;
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[i + 1];
  }
  auto data = std::make_shared<const Dataset>(parse_mnist(bytes.data(), bytes.size()));

  std::vector<int> deep{784};
  for (int i = 0; i < 10; ++i) deep.push_back(100);
  deep.push_back(10);
  const Workload workloads[] = {{"nielsen", {784, 30, 30, 30, 10}, 10}, {"deep", deep, 32}};

  for (const auto& w : workloads) {
    if (!only.empty() && only != w.name) continue;
    NetworkConfig c;
    c.layers = w.layers;
    TrainConfig t;
    t.batch_size = w.batch;
    t.learning_rate = 0.1;
    Trainer<float> trainer(c, t, data);
    std::vector<double> rates;
    for (int e = 0; e <= epochs; ++e) {
      const auto start = std::chrono::steady_clock::now();
      if (!trainer.train_epoch()) {
        std::fprintf(stderr, "bench_native: %s diverged\n", w.name);
        return 1;
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (e > 0) rates.push_back(data->size() / seconds);  // epoch 0 warms up
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    if (json) {
      std::printf("{\"workload\":\"%s\",\"layers\":\"%s\",\"batch\":%d,\"median_examples_per_s\":%.0f,\"epochs\":[",
                  w.name, format_layers(w.layers).c_str(), w.batch, median);
      for (size_t i = 0; i < rates.size(); ++i) std::printf("%s%.0f", i ? "," : "", rates[i]);
      std::printf("]}\n");
    } else {
      std::printf("%-8s [%s] batch %d: median %.0f examples/s over %d epochs (min %.0f, max %.0f)\n", w.name,
                  format_layers(w.layers).c_str(), w.batch, median, epochs, sorted.front(), sorted.back());
    }
  }
  return 0;
}
