#!/usr/bin/env node
// Glorot & Bengio's comparison, measured with the node build of the core: the
// per-layer spread (standard deviation) of the activations, the pre-activations'
// flat fraction and δ's spread, for settings A and B side by side, at steps
// 0 and N. Prints a Markdown table (the mechanism issue's closing note).
//   usage: node tools/histograms.mjs [steps] [json settings A] [json settings B]
//   default: 5 tanh layers of 100 on MNIST, "standard" against normalized init, 1000 steps
// Needs build-wasm/node (GRADLAB_WASM_DIR) and build/data/mnist.bin (GRADLAB_MNIST).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? join(root, 'build-wasm/node'));
const MNIST = resolve(process.env.GRADLAB_MNIST ?? join(root, 'build/data/mnist.bin'));
const GLOROT = { dataset: 'mnist', depth: 5, width: 100, activation: 'tanh', biasInit: 'zeros' };

const [steps = '1000', a, b] = process.argv.slice(2);
const settings = [a ? JSON.parse(a) : { ...GLOROT, init: 'standard_uniform' }, b ? JSON.parse(b) : { ...GLOROT, init: 'xavier_uniform' }];

const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const digits = new Uint8Array(readFileSync(MNIST));

/** Per hidden layer at step 0 and after `n` steps: activation spread, flat fraction, δ spread; and the test accuracy. */
function measure(changes, n) {
  const s = new M.Session();
  try {
    s.loadMnist(digits);
    s.configure(changes);
    const take = () => {
      const h = s.histograms(41);
      return { activation: Array.from(h.activation.stddev), flat: Array.from(h.flat), delta: Array.from(h.delta.stddev) };
    };
    const start = take();
    s.step(n);
    const end = take();
    return { start, end, accuracy: s.evaluateTest().accuracy };
  } finally {
    s.delete();
  }
}

const n = Number(steps);
const results = settings.map((c) => measure(c, n));
const f = (v) => (v === 0 ? '0' : Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toExponential(2));
const label = (c) => Object.entries(c).map(([k, v]) => `${k}=${v}`).join(' ');
settings.forEach((c, i) => console.log(`${'AB'[i]}: ${label(c)}; test accuracy after ${n} steps ${(results[i].accuracy * 100).toFixed(1)} %`));
console.log('');
console.log(`| hidden layer | A: spread of a, step 0 | B: spread of a, step 0 | A: spread of a, step ${n} | B: spread of a, step ${n} | A: spread of δ, step 0 | B: spread of δ, step 0 | A: flat z, step ${n} | B: flat z, step ${n} |`);
console.log('|---|---|---|---|---|---|---|---|---|');
const [A, B] = results;
A.start.activation.forEach((_, l) => console.log(`| ${l + 1} | ${f(A.start.activation[l])} | ${f(B.start.activation[l])} | ${f(A.end.activation[l])} | ${f(B.end.activation[l])} | ${f(A.start.delta[l])} | ${f(B.start.delta[l])} | ${(A.end.flat[l] * 100).toFixed(1)} % | ${(B.end.flat[l] * 100).toFixed(1)} % |`));
