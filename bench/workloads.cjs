// The two benchmark workloads, shared by every runner (native, node, browser).
// Both train sigmoid networks with cross-entropy, η = 0.1, over 10,000 MNIST digits.
const WORKLOADS = [
  { name: 'nielsen', depth: 3, width: 30, batch: 10, layers: [784, 30, 30, 30, 10] },
  { name: 'deep', depth: 10, width: 100, batch: 32, layers: [784, ...Array(10).fill(100), 10] },
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
