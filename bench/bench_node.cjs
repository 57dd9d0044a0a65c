// gradlab's WebAssembly build under node (V8, as in Chromium): examples per second
// for each workload's timed runs (bench/workloads.cjs), statistics included unless
// --bare; one warm-up run first. Prints one JSON line per workload.
//   usage: node bench/bench_node.cjs <build-wasm/node> <mnist.bin> <timed runs> [--bare]
const fs = require('fs');
const path = require('path');
const { WORKLOADS } = require('./workloads.cjs');

async function main() {
  const [dir, mnist, runsArg, flag] = process.argv.slice(2);
  const runs = Math.max(1, Number(runsArg));
  const createGradlab = require(path.resolve(dir, 'gradlab_node.js'));
  const M = await createGradlab({ wasmBinary: fs.readFileSync(path.resolve(dir, 'gradlab_node.wasm')) });
  const s = new M.Session();
  s.loadMnist(fs.readFileSync(mnist));
  for (const w of WORKLOADS) {
    s.configure({ depth: w.depth, width: w.width, batchSize: w.batch, learningRate: 0.1, testFraction: 0 });
    const steps = w.examples / w.batch;
    const rates = [];
    for (let r = 0; r <= runs; r++) {
      const t0 = process.hrtime.bigint();
      const done = flag === '--bare' ? s.stepUnmeasured(steps) : s.step(steps);
      if (done !== steps) throw new Error(`${w.name} diverged`);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r > 0) rates.push(w.examples / seconds);
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(JSON.stringify({ workload: w.name, median_examples_per_s: Math.round(sorted[sorted.length >> 1]),
      epochs: rates.map(Math.round) }));
  }
  s.delete();
}
main().catch((e) => { console.error(e); process.exit(1); });
