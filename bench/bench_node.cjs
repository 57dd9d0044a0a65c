// gradlab's WebAssembly build under node (V8, as in Chromium): examples per second
// for one epoch over the 10,000 MNIST digits, statistics included; median of the
// timed epochs after one warm-up. Prints one JSON line per workload.
//   usage: node bench/bench_node.cjs <build-wasm/node> <mnist.bin> [timed epochs]
const fs = require('fs');
const path = require('path');
const { WORKLOADS } = require('./workloads.cjs');

async function main() {
  const [dir, mnist, epochsArg] = process.argv.slice(2);
  const epochs = Math.max(5, Number(epochsArg ?? 7));
  const createGradlab = require(path.resolve(dir, 'gradlab_node.js'));
  const M = await createGradlab({ wasmBinary: fs.readFileSync(path.resolve(dir, 'gradlab_node.wasm')) });
  const s = new M.Session();
  s.loadMnist(fs.readFileSync(mnist));
  for (const w of WORKLOADS) {
    s.configure({ depth: w.depth, width: w.width, batchSize: w.batch, learningRate: 0.1, testFraction: 0 });
    const steps = s.stepsPerEpoch();
    const rates = [];
    for (let e = 0; e <= epochs; e++) {
      const t0 = process.hrtime.bigint();
      if (s.step(steps) !== steps) throw new Error(`${w.name} diverged`);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (e > 0) rates.push(10000 / seconds);
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(JSON.stringify({ workload: w.name, median_examples_per_s: Math.round(sorted[sorted.length >> 1]),
      epochs: rates.map(Math.round) }));
  }
  s.delete();
}
main().catch((e) => { console.error(e); process.exit(1); });
