// The benchmark's workloads, shared by every runner (native, node, browser). All
// train sigmoid networks with cross-entropy, η = 0.1, on MNIST digits; a timed run
// is `examples` examples (whole mini-batches; the first 10,000 digits in a random
// order each pass; gradlab's trainer ends each pass with a smaller batch, 16
// digits on the deep workload, counted as a whole one: ~0.3 % of a timed run).
const WORKLOADS = [
  // Nielsen's chapter 5 network.
  { name: 'nielsen', depth: 3, width: 30, batch: 10, layers: [784, 30, 30, 30, 10], examples: 10000 },
  // Ten layers of 100: where vanishing gradients show, and Eigen is near its best.
  { name: 'deep', depth: 10, width: 100, batch: 32, layers: [784, ...Array(10).fill(100), 10], examples: 3200 },
  // A larger network and batch, so that no claim rests on tiny products alone.
  { name: 'large', depth: 2, width: 256, batch: 128, layers: [784, 256, 256, 10], examples: 1280 },
];

/** Floating-point operations per training example (forward, backward, SGD update). */
function flopsPerExample(w) {
  // 2 per multiply-add: forward W·a; backward δ·aᵀ for every layer and Wᵀδ for all
  // but the first; the update, 2 per weight and bias, once per batch. (Nielsen's
  // workload: 111,824; the deep one: 870,251.)
  let flops = 0;
  for (let l = 1; l < w.layers.length; l++) {
    const weights = w.layers[l] * w.layers[l - 1], biases = w.layers[l];
    flops += 2 * weights * (l === 1 ? 2 : 3) + (2 * (weights + biases)) / w.batch;
  }
  return Math.round(flops);
}

module.exports = { WORKLOADS, flopsPerExample };
