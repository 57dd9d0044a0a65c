// The in-browser side of the benchmark: gradlab through the page's own worker,
// TensorFlow.js (cpu and wasm backends; autodiff, and a hand-written backward of
// non-transposed products, with and without the fused matmul-and-bias), ConvNetJS,
// brain.js and a plain typed-array MLP on the same workloads and data, the WASM
// SIMD ceiling, and the depth sweep's scaling over workers. bench/run.mjs calls
// window.bench.* in rounds. Every trainer returns examples per second for each
// timed run (a workload's `examples` examples, after one warm-up run).
import { initPayload, workerFactory } from './assets.js';
import { WorkerClient } from './client.js';
import { makeState } from './state.js';
import { DepthSweep } from './sweep.js';
import createCeiling from './simd_ceiling.mjs';

const EXAMPLES = 10000;  // digits trained on (the first 10,000 of the file)

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

/** Examples per second of `runs` timed calls of run(examples), after one warm-up call. */
async function timeEpochs(epochs, examples, runEpoch) {
  const rates = [];
  for (let e = 0; e <= epochs; e++) {
    const t0 = performance.now();
    await runEpoch(e);
    const seconds = (performance.now() - t0) / 1000;
    if (e > 0) rates.push(examples / seconds);  // run 0 warms up
  }
  return rates;
}

/** A fresh random order of the digits, consumed a mini-batch at a time across runs. */
function batches(batch) {
  let order = [], at = EXAMPLES;
  return () => {
    if (at + batch > EXAMPLES) {
      order = Array.from({ length: EXAMPLES }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      at = 0;
    }
    at += batch;
    return order.slice(at - batch, at);
  };
}

/**
 * gradlab: the page's worker and wasm module ('simd' or 'baseline'), as the page
 * drives them; `measure` false skips the per-layer statistics (their cost).
 */
async function gradlab(w, epochs, engine = 'simd', measure = true) {
  const client = new WorkerClient(await workerFactory(engine));
  try {
    const init = await client.request('init', await initPayload(engine));
    if (!init.mnist.loaded) throw new Error(init.mnist.error);
    const defaults = makeState(init.settings).defaults();
    await client.configure({ ...defaults, depth: w.depth, width: w.width, batchSize: w.batch, learningRate: 0.1, testFraction: 0 });
    const steps = w.examples / w.batch;
    return await timeEpochs(epochs, w.examples, async () => {
      const r = await client.request('step', { n: steps, quiet: true, measure });
      if (r.done !== steps) throw new Error('gradlab diverged');
    });
  } finally {
    client.worker.terminate();
  }
}

async function tfBackend(backend) {
  const tf = window.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths(new URL('./vendor/', import.meta.url).href);
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} unavailable`);
  await tf.ready();
  return tf;
}

/** What TensorFlow.js chose: the backend, and for wasm its binary and threads. */
async function tfjsInfo() {
  const tf = await tfBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { binary: threads && simd ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
    threads: tf.wasm.getThreadsCount(), simd, multithread: threads, crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency };
}

/**
 * TensorFlow.js, two honest ways, both as fast as they go for these sizes
 * (measured): the batch is gathered in a JS typed array and uploaded with
 * tf.tensor2d each step (slicing a 10,000-row tensor costs ~16 ms a step on the
 * wasm backend).
 *   'autodiff': tf.variableGrads of the sigmoid cross-entropy, then applyGradients;
 *   'manual':   the backward written out with non-transposed products only
 *               (explicit tf.transpose), so that every matmul takes XNNPACK on
 *               the wasm backend (its transposed matmuls fall back to scalar code);
 *   'fused':    the same, with tf.fused.matMul adding the bias in the product.
 */
async function tfjs(backend, variant, w, epochs) {
  const tf = await tfBackend(backend);
  const d = await mnist();
  const params = [];
  for (let l = 1; l < w.layers.length; l++) {
    const nIn = w.layers[l - 1], nOut = w.layers[l];
    params.push(tf.variable(tf.randomNormal([nIn, nOut], 0, 1 / Math.sqrt(nIn))), tf.variable(tf.randomNormal([nOut])));
  }
  const affine = (a, W, b) => (variant === 'fused' ? tf.fused.matMul({ a, b: W, bias: b }) : tf.add(tf.matMul(a, W), b));
  const logits = (x) => {
    let a = x;
    for (let i = 0; i < params.length; i += 2) {
      const z = affine(a, params[i], params[i + 1]);
      a = i + 2 < params.length ? tf.sigmoid(z) : z;
    }
    return a;
  };
  // C = mean over the batch of Σ_j softplus(z_j) − y_j z_j (sigmoid outputs, cross-entropy)
  const cost = (x, y) => { const z = logits(x); return tf.div(tf.sum(tf.sub(tf.softplus(z), tf.mul(y, z))), x.shape[0]); };
  const optimizer = tf.train.sgd(0.1);
  // The hand-written step: forward keeping every activation, δ^L = σ(z^L) − y,
  // ∂C/∂W = a_inᵀ δ / B, ∂C/∂b = Σ δ / B, δ_below = (δ Wᵀ) ⊙ a(1 − a).
  const manualStep = (x, y) => {
    const acts = [x];
    for (let i = 0; i < params.length; i += 2) {
      const z = affine(acts[acts.length - 1], params[i], params[i + 1]);
      acts.push(tf.sigmoid(z));
    }
    const scale = tf.scalar(0.1 / x.shape[0]);
    let delta = tf.sub(acts[acts.length - 1], y);
    for (let i = params.length - 2; i >= 0; i -= 2) {
      const aIn = acts[i / 2];
      const dW = tf.matMul(tf.transpose(aIn), delta), db = tf.sum(delta, 0);
      if (i > 0) delta = tf.mul(tf.matMul(delta, tf.transpose(params[i])), tf.mul(aIn, tf.sub(1, aIn)));
      params[i].assign(tf.sub(params[i], tf.mul(scale, dW)));
      params[i + 1].assign(tf.sub(params[i + 1], tf.mul(scale, db)));
    }
  };
  const next = batches(w.batch);
  const xb = new Float32Array(w.batch * 784), yb = new Float32Array(w.batch * 10);
  try {
    return await timeEpochs(epochs, w.examples, async () => {
      for (let s = 0; s < w.examples / w.batch; s++) {
        const idx = next();
        yb.fill(0);
        idx.forEach((i, j) => {
          xb.set(d.x.subarray(i * 784, (i + 1) * 784), j * 784);
          yb[j * 10 + d.labels[i]] = 1;
        });
        tf.tidy(() => {
          const x = tf.tensor2d(xb, [w.batch, 784]), y = tf.tensor2d(yb, [w.batch, 10]);
          if (variant === 'autodiff') {
            const { grads } = tf.variableGrads(() => cost(x, y), params);
            optimizer.applyGradients(grads);
          } else {
            manualStep(x, y);
          }
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
  const next = batches(w.batch);
  return timeEpochs(epochs, w.examples, async () => {
    for (let s = 0; s < w.examples / w.batch; s++) for (const i of next()) trainer.train(vols[i], d.labels[i]);
  });
}

/**
 * brain.js 1.6: its NeuralNetwork (sigmoid layers), trained as its API trains:
 * one example at a time (it has no mini-batches), η 0.1 with its default momentum
 * 0.1 (it refuses 0), the error checked once per call (the one iteration runs
 * whatever its error threshold).
 */
async function brainjs(w, epochs) {
  const d = await mnist();
  const net = new window.brain.NeuralNetwork({ hiddenLayers: w.layers.slice(1, -1), activation: 'sigmoid', learningRate: 0.1, momentum: 0.1 });
  const targets = Array.from({ length: 10 }, (_, k) => Array.from({ length: 10 }, (_, j) => (j === k ? 1 : 0)));
  const next = batches(w.batch);
  const options = { iterations: 1, errorThresh: 0.005, learningRate: 0.1, momentum: 0.1, keepNetworkIntact: true, log: false };
  net.train([{ input: d.x.subarray(0, 784), output: targets[d.labels[0]] }], { ...options, keepNetworkIntact: false });
  return timeEpochs(epochs, w.examples, async () => {
    const data = [];
    for (let s = 0; s < w.examples / w.batch; s++)
      for (const i of next()) data.push({ input: d.x.subarray(i * 784, (i + 1) * 784), output: targets[d.labels[i]] });
    net.train(data, options);
  });
}

/**
 * A plain JavaScript MLP on typed arrays, written for speed as a careful student
 * would: weights row-major (a unit's weights contiguous), forward and backward by
 * example, ∂C/∂W accumulated over the mini-batch, SGD; sigmoid and cross-entropy.
 */
async function plainJs(w, epochs) {
  const d = await mnist();
  const L = w.layers.length - 1;
  const W = [], b = [], dW = [], db = [], a = [w.layers.map(() => null)], delta = [];
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5) * 2;
  for (let l = 0; l < L; l++) {
    const nIn = w.layers[l], nOut = w.layers[l + 1];
    W.push(Float32Array.from({ length: nIn * nOut }, () => rand() / Math.sqrt(nIn)));
    b.push(new Float32Array(nOut));
    dW.push(new Float32Array(nIn * nOut));
    db.push(new Float32Array(nOut));
    delta.push(new Float32Array(nOut));
  }
  const acts = w.layers.map((n) => new Float32Array(n));
  const step = (idx) => {
    for (let l = 0; l < L; l++) { dW[l].fill(0); db[l].fill(0); }
    for (const i of idx) {
      acts[0] = d.x.subarray(i * 784, (i + 1) * 784);
      for (let l = 0; l < L; l++) {
        const nIn = w.layers[l], nOut = w.layers[l + 1], Wl = W[l], x = acts[l], y = acts[l + 1];
        for (let o = 0; o < nOut; o++) {
          let z = b[l][o];
          for (let k = 0, r = o * nIn; k < nIn; k++) z += Wl[r + k] * x[k];
          y[o] = 1 / (1 + Math.exp(-z));
        }
      }
      const out = acts[L], dL = delta[L - 1];
      for (let o = 0; o < out.length; o++) dL[o] = out[o] - (o === d.labels[i] ? 1 : 0);
      for (let l = L - 1; l >= 0; l--) {
        const nIn = w.layers[l], nOut = w.layers[l + 1], x = acts[l], dl = delta[l], g = dW[l];
        for (let o = 0; o < nOut; o++) {
          const e = dl[o];
          db[l][o] += e;
          for (let k = 0, r = o * nIn; k < nIn; k++) g[r + k] += e * x[k];
        }
        if (l > 0) {
          const below = delta[l - 1], Wl = W[l];
          below.fill(0);
          for (let o = 0; o < nOut; o++) { const e = dl[o]; for (let k = 0, r = o * nIn; k < nIn; k++) below[k] += Wl[r + k] * e; }
          for (let k = 0; k < nIn; k++) below[k] *= x[k] * (1 - x[k]);
        }
      }
    }
    const s = 0.1 / idx.length;
    for (let l = 0; l < L; l++) {
      const Wl = W[l], g = dW[l];
      for (let k = 0; k < Wl.length; k++) Wl[k] -= s * g[k];
      for (let o = 0; o < b[l].length; o++) b[l][o] -= s * db[l][o];
    }
  };
  const next = batches(w.batch);
  return timeEpochs(epochs, w.examples, async () => {
    for (let s = 0; s < w.examples / w.batch; s++) step(next());
  });
}

/**
 * The depth sweep's scaling: the page's DepthSweep over depths from..to with
 * `steps` steps each, on `workers` workers. Returns the seconds it took.
 */
async function sweepSeconds(settings, { from, to, steps }, workers) {
  const init = await initPayload('simd');
  const startWorker = await workerFactory('simd');
  const probe = new WorkerClient(startWorker);
  const defaults = makeState((await probe.request('init', init)).settings).defaults();
  probe.close();
  // The page's simulator trains nothing beside the sweep here: sweepWorkers() then takes one worker per core.
  const sweep = new DepthSweep({ startWorker, initPayload: async () => init, cores: workers, beside: () => 0 });
  const t0 = performance.now();
  const rows = await sweep.run({ state: { ...defaults, ...settings }, from, to, steps });
  if (rows.length !== to - from + 1) throw new Error('sweep incomplete');
  return (performance.now() - t0) / 1000;
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
 * The page's worker on a configuration, training only (quiet steps with their
 * statistics, no views) for about `ms` milliseconds: the rate the page's
 * throughput is measured against. Steps per second.
 */
async function rawSteps(settings, ms) {
  const client = new WorkerClient(await workerFactory('simd'));
  try {
    const init = await client.request('init', await initPayload('simd'));
    await client.configure({ ...makeState(init.settings).defaults(), ...settings });
    // Warm up as the page's measure does (V8 tiers the hot wasm code up): ~3 s.
    const w0 = performance.now();
    for (let n = 1; performance.now() - w0 < 3000;) {
      const t = performance.now();
      await client.request('step', { n, quiet: true });
      if (performance.now() - t < 100) n *= 2;
    }
    let n = 1, done = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      const t = performance.now();
      const r = await client.request('step', { n, quiet: true });
      done += r.done;
      if (r.done < n) throw new Error('diverged');
      if (performance.now() - t < 100) n *= 2;
    }
    return done / ((performance.now() - t0) / 1000);
  } finally {
    client.worker.terminate();
  }
}

/** The module for browsers without WASM SIMD (engine.js), on the same workloads. */
const gradlabBaseline = (w, epochs) => gradlab(w, epochs, 'baseline');
/** gradlab's worker with the per-layer statistics off: what the instrumentation costs. */
const gradlabBare = (w, epochs) => gradlab(w, epochs, 'simd', false);

window.bench = { gradlab, gradlabBaseline, gradlabBare, tfjs, tfjsInfo, convnet, brainjs, plainJs, ceiling, rawSteps,
  sweepSeconds, ready: true };
