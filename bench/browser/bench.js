// The in-browser side of the benchmark: gradlab through the page's own worker,
// TensorFlow.js (cpu and wasm backends) and ConvNetJS on the same workloads and
// data, and the WASM SIMD ceiling. bench/run.mjs calls window.bench.* in rounds.
// Every function returns examples per second for each timed epoch (10,000 digits).
import { initPayload, workerFactory } from './assets.js';
import { WorkerClient } from './client.js';
import { makeState } from './state.js';
import createCeiling from './simd_ceiling.mjs';

const EXAMPLES = 10000;

let digits = null;  // {x: Float32Array (n·784), labels: Uint8Array, n}
async function mnist() {
  if (digits) return digits;
  const bytes = new Uint8Array(await (await fetch('mnist.bin')).arrayBuffer());
  const n = new DataView(bytes.buffer).getUint32(8, true);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = bytes[16 + i] / 255;
  digits = { x, labels: bytes.slice(16 + n * 784, 16 + n * 785), n };
  return digits;
}

async function timeEpochs(epochs, runEpoch) {
  const rates = [];
  for (let e = 0; e <= epochs; e++) {
    const t0 = performance.now();
    await runEpoch(e);
    const seconds = (performance.now() - t0) / 1000;
    if (e > 0) rates.push(EXAMPLES / seconds);  // epoch 0 warms up
  }
  return rates;
}

/** gradlab: the page's worker and wasm module ('simd' or 'baseline'), as the page drives them. */
async function gradlab(w, epochs, engine = 'simd') {
  const client = new WorkerClient(await workerFactory(engine));
  try {
    const init = await client.request('init', await initPayload(engine));
    if (!init.mnist.loaded) throw new Error(init.mnist.error);
    const defaults = makeState(init.settings).defaults();
    await client.configure({ ...defaults, depth: w.depth, width: w.width, batchSize: w.batch, learningRate: 0.1, testFraction: 0 });
    const steps = Math.ceil(EXAMPLES / w.batch);
    return await timeEpochs(epochs, async () => {
      const r = await client.request('step', { n: steps, quiet: true });
      if (r.done !== steps) throw new Error('gradlab diverged');
    });
  } finally {
    client.worker.terminate();
  }
}

/**
 * TensorFlow.js, its fastest honest use for these sizes (measured): the batch is
 * gathered in a JS typed array and uploaded with tf.tensor2d each step (slicing a
 * 10,000-row tensor costs ~16 ms a step on the wasm backend), and a hand-written
 * step: tf.variableGrads of the sigmoid cross-entropy, then applyGradients.
 */
async function tfjs(backend, w, epochs) {
  const tf = window.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths(new URL('./vendor/', import.meta.url).href);
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} unavailable`);
  await tf.ready();
  const d = await mnist();
  const params = [];
  for (let l = 1; l < w.layers.length; l++) {
    const nIn = w.layers[l - 1], nOut = w.layers[l];
    params.push(tf.variable(tf.randomNormal([nIn, nOut], 0, 1 / Math.sqrt(nIn))), tf.variable(tf.randomNormal([nOut])));
  }
  const logits = (x) => {
    let a = x;
    for (let i = 0; i < params.length; i += 2) {
      const z = tf.add(tf.matMul(a, params[i]), params[i + 1]);
      a = i + 2 < params.length ? tf.sigmoid(z) : z;
    }
    return a;
  };
  // C = mean over the batch of Σ_j softplus(z_j) − y_j z_j (sigmoid outputs, cross-entropy)
  const cost = (x, y) => { const z = logits(x); return tf.div(tf.sum(tf.sub(tf.softplus(z), tf.mul(y, z))), x.shape[0]); };
  const optimizer = tf.train.sgd(0.1);
  const xb = new Float32Array(w.batch * 784), yb = new Float32Array(w.batch * 10);
  try {
    return await timeEpochs(epochs, async () => {
      const order = tf.util.createShuffledIndices(EXAMPLES);
      for (let begin = 0; begin < EXAMPLES; begin += w.batch) {
        const size = Math.min(w.batch, EXAMPLES - begin);
        yb.fill(0);
        for (let j = 0; j < size; j++) {
          const i = order[begin + j];
          xb.set(d.x.subarray(i * 784, (i + 1) * 784), j * 784);
          yb[j * 10 + d.labels[i]] = 1;
        }
        tf.tidy(() => {
          const x = tf.tensor2d(xb.subarray(0, size * 784), [size, 784]), y = tf.tensor2d(yb.subarray(0, size * 10), [size, 10]);
          const { grads } = tf.variableGrads(() => cost(x, y), params);
          optimizer.applyGradients(grads);
        });
      }
      params[0].dataSync();  // every op has run
    });
  } finally {
    tf.dispose(params);
    optimizer.dispose();
  }
}

/** ConvNetJS 0.3: fc sigmoid layers, softmax output (its only classifier loss), SGD. */
async function convnet(w, epochs) {
  const cnn = window.convnetjs;
  const d = await mnist();
  const layers = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 }];
  for (let l = 1; l + 1 < w.layers.length; l++) layers.push({ type: 'fc', num_neurons: w.layers[l], activation: 'sigmoid' });
  layers.push({ type: 'softmax', num_classes: 10 });
  const net = new cnn.Net();
  net.makeLayers(layers);
  const trainer = new cnn.Trainer(net, { method: 'sgd', learning_rate: 0.1, batch_size: w.batch, momentum: 0, l2_decay: 0 });
  const vols = [];
  for (let i = 0; i < EXAMPLES; i++) {
    const v = new cnn.Vol(1, 1, 784, 0);
    v.w.set(d.x.subarray(i * 784, (i + 1) * 784));
    vols.push(v);
  }
  const order = Array.from({ length: EXAMPLES }, (_, i) => i);
  return timeEpochs(epochs, async () => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) trainer.train(vols[i], d.labels[i]);
  });
}

/**
 * The WASM SIMD ceiling in GFLOP/s: for 8, 12 and 16 accumulators, the median of
 * 7 timed runs of ~0.3 s; returns the runs of the fastest.
 */
async function ceiling() {
  const m = await createCeiling();
  let best = null;
  for (const chains of [8, 12, 16, 24]) {
    const flops = m._flops_per_iteration(chains);
    let iterations = 1e5;
    for (;;) {  // calibrate
      const t0 = performance.now();
      m._mad_loop(chains, iterations, 1);
      if (performance.now() - t0 > 100) break;
      iterations *= 2;
    }
    iterations *= 3;
    const rates = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      m._mad_loop(chains, iterations, r);
      rates.push((iterations * flops) / ((performance.now() - t0) / 1000) / 1e9);
    }
    const median = [...rates].sort((a, b) => a - b)[3];
    console.log(`ceiling: ${chains} accumulators: ${median.toFixed(1)} GFLOP/s`);
    if (!best || median > best.median) best = { chains, median, rates };
  }
  return best.rates;
}

/**
 * The page's worker on a configuration, training only (quiet steps, no views):
 * the rate the page's training share is measured against. Steps per second.
 */
async function rawSteps(settings, steps) {
  const client = new WorkerClient(await workerFactory('simd'));
  try {
    const init = await client.request('init', await initPayload('simd'));
    await client.configure({ ...makeState(init.settings).defaults(), ...settings });
    await client.request('step', { n: 2, quiet: true });  // warm up
    const t0 = performance.now();
    const r = await client.request('step', { n: steps, quiet: true });
    return r.done / ((performance.now() - t0) / 1000);
  } finally {
    client.worker.terminate();
  }
}

/** The module for browsers without WASM SIMD (engine.js), on the same workloads. */
const gradlabBaseline = (w, epochs) => gradlab(w, epochs, 'baseline');

window.bench = { gradlab, gradlabBaseline, tfjs, convnet, ceiling, rawSteps, ready: true };
