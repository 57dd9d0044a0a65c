// The WebAssembly build under node: the bindings, errors as JS exceptions, no
// leaked handles, and the same numbers as the native build for the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const CLI = resolve(process.env.GRADLAB_CLI ?? 'build/gradlab');
const MNIST = resolve(process.env.GRADLAB_MNIST ?? 'build/data/mnist.bin');

// The CommonJS build; node 20's global fetch confuses its loader, so hand it the bytes.
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const digits = new Uint8Array(readFileSync(MNIST));

function session(changes = {}) {
  const s = new M.Session();
  s.loadMnist(digits);
  const c = s.config();
  Object.assign(c, changes);
  s.configure(c);
  return s;
}

test('the bindings expose the core: enums, config, training and statistics', () => {
  const s = session({ depth: 4, width: 20 });
  try {
    assert.equal(s.hasMnist(), true);
    assert.deepEqual(Array.from(s.layerWidthsView()), [784, 20, 20, 20, 20, 10]);
    assert.equal(s.config().activation, M.Activation.sigmoid);
    assert.equal(s.step(7), 7);
    assert.equal(s.steps(), 7);
    const stats = s.stepStats();
    assert.equal(stats.step, 7);
    assert.equal(stats.batchSize, 10);
    assert.ok(stats.loss > 0);
    for (const name of ['speed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activationMean', 'activationStd', 'saturation'])
      assert.equal(s.statsView(name).length, 5, name);
    assert.equal(s.statsView('deltaHist').length, 5 * 32);
    const probe = s.probe();
    assert.equal(probe.examples, 1000);
    const speed = s.probeSpeedView();
    assert.ok(speed[0] < speed[3], 'vanishing: hidden layer 1 is slower than hidden layer 4');
    assert.equal(s.testOutputsView(3).length, 30);
    assert.equal(s.testPixelsView(2).length, 2 * 784);
    assert.ok(s.testPixelsView(2).some((v) => v === 255), 'bytes, 0–255');
    const c = s.config();
    c.data = M.DataSource.spiral;
    c.activation = M.Activation.tanh;
    assert.equal(s.configure(c), true);
    assert.equal(s.decisionGridView(16, 1.2).length, 256);
    assert.equal(s.trainInputsView().length, 2 * 400);
  } finally {
    s.delete();
  }
});

test('a bad config raises a JS exception carrying the core message, and changes nothing', () => {
  const s = session();
  try {
    const good = s.config();
    const cases = [
      [{ depth: 0 }, /depth \(hidden layers\) must be between 1 and 64 \(got 0\)/],
      [{ width: 100000 }, /width \(units per hidden layer\) must be between/],
      [{ learningRate: -1 }, /learning_rate must be in \(0/],
      [{ learningRate: NaN }, /learning_rate/],
      [{ batchSize: 0 }, /batch_size must be in \[1/],
      [{ l2: Infinity }, /l2/],
      [{ sigmaW: NaN }, /sigma_w/],
    ];
    for (const [change, message] of cases) {
      const c = s.config();
      Object.assign(c, change);
      assert.throws(() => s.configure(c), (e) => e instanceof Error && message.test(e.message), JSON.stringify(change));
    }
    assert.deepEqual(s.config(), good);
    assert.equal(s.step(3), 3, 'the session still trains');
    assert.throws(() => s.loadMnist(new Uint8Array([1, 2, 3])), /not a gradlab MNIST file/);
    assert.throws(() => s.statsView('nonsense'), /unknown statistic 'nonsense'/);
    const fresh = new M.Session();
    assert.throws(() => fresh.step(1), /configure\(\) before using the trainer/);
    fresh.delete();
  } finally {
    s.delete();
  }
});

test('the remedies cross the bindings: config fields, clipping statistics, pretraining status', () => {
  const s = session({ depth: 4, batchNorm: true, residual: true, optimizer: M.Optimizer.adam, learningRate: 0.001,
    clipNorm: 0.5, l1: 0.1, pretrainEpochs: 1, trainSize: 200 });
  try {
    const c = s.config();
    assert.equal(c.batchNorm, true);
    assert.equal(c.optimizer, M.Optimizer.adam);
    let status = s.pretrainStatus();
    assert.equal(status.active, true);
    assert.equal(status.layers, 4);
    assert.equal(s.step(4 * 20), 80);  // 4 layers × 200/10 batches
    status = s.pretrainStatus();
    assert.equal(status.active, false);
    assert.equal(status.steps, 80);
    assert.equal(s.steps(), 0);
    s.step(10);
    const stats = s.stepStats();
    assert.ok(stats.gradNorm > 0);
    assert.equal(typeof stats.clipped, 'boolean');
    assert.ok(stats.clipCount >= 0 && stats.clipCount <= 10);
    const bad = s.config();
    bad.momentum = 1;
    assert.throws(() => s.configure(bad), /momentum must be in \[0, 1\)/);
  } finally {
    s.delete();
  }
});

test('no handles leak: sessions are freed and repeated calls hold no JS handles or memory', () => {
  const before = M.Session.liveCount();
  for (let i = 0; i < 50; i++) {
    const s = new M.Session();
    const c = s.config();
    c.data = M.DataSource.xor;
    s.configure(c);
    s.step(5);
    s.delete();
  }
  assert.equal(M.Session.liveCount(), before);
  const s = session();
  const calls = () => {
    for (let i = 0; i < 200; i++) {
      s.step(1);
      s.stepStats();
      s.statsView('speed');
      s.probeSpeedView();
      s.divergence();
      s.config();
    }
  };
  calls();  // warm up: memory grows to its working size
  const handles = M.count_emval_handles();
  const memory = M.HEAP8.length;
  calls();
  assert.equal(M.count_emval_handles(), handles, 'emval handles');
  assert.equal(M.HEAP8.length, memory, 'wasm memory');
  s.delete();
  assert.equal(M.Session.liveCount(), before);
});

test('divergence is reported with its step and layer', () => {
  const s = session({ depth: 3, width: 100, activation: M.Activation.relu, weightInit: M.WeightInit.large, learningRate: 10 });
  try {
    const done = s.step(1000);
    const d = s.divergence();
    assert.equal(d.diverged, true);
    assert.equal(d.step, done + 1);
    assert.match(d.message, new RegExp(`diverged at step ${d.step}`));
    assert.equal(s.step(5), 0, 'no more steps once diverged');
    s.reset();
    assert.equal(s.divergence().diverged, false);
  } finally {
    s.delete();
  }
});

// The native CLI and the wasm Session run the same experiment; their per-epoch
// speeds, losses and accuracies agree within 1e-5 relative.
function compareWithNative(cliArgs, sessionChanges, epochs, stepsPerEpoch) {
  const r = spawnSync(CLI, [...cliArgs, '--epochs', String(epochs), '--format', 'jsonl'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const native = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const s = session(sessionChanges);
  try {
    const close = (a, b, what) => {
      const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);
      assert.ok(rel <= 1e-5, `${what}: native ${a}, wasm ${b} (relative ${rel.toExponential(2)})`);
    };
    for (let epoch = 0; epoch <= epochs; epoch++) {
      const probe = s.probe();
      const speeds = Array.from(s.probeSpeedView()).slice(0, -1);
      const test = s.evaluateTest(100000);
      const n = native[epoch];
      assert.equal(n.epoch, epoch);
      n.speed.forEach((v, i) => close(v, speeds[i], `epoch ${epoch} HL${i + 1} speed`));
      close(n.loss, probe.loss, `epoch ${epoch} loss`);
      close(n.train_accuracy, probe.accuracy, `epoch ${epoch} train accuracy`);
      close(n.test_accuracy, test.accuracy, `epoch ${epoch} test accuracy`);
      if (epoch < epochs) assert.equal(s.step(stepsPerEpoch), stepsPerEpoch);
    }
  } finally {
    s.delete();
  }
}

test('the same seed gives the same statistics as the native build (MNIST)', () => {
  compareWithNative(['--layers', '784,30,30,30,10', '--train', '500', '--batch', '25', '--eta', '0.5', '--seed', '3'],
    { depth: 3, width: 30, trainSize: 500, batchSize: 25, learningRate: 0.5, seed: 3, dataSeed: 3 }, 3, 20);
});

test('the same seed gives the same statistics as the native build (spiral, tanh)', () => {
  compareWithNative(['--data', 'spiral', '--samples', '400', '--noise', '0.1', '--layers', '2,8,8,8,1',
    '--activation', 'tanh', '--init', 'xavier_normal', '--batch', '10', '--seed', '9'],
  { data: M.DataSource.spiral, samples: 400, noise: 0.1, depth: 3, width: 8, activation: M.Activation.tanh,
    weightInit: M.WeightInit.xavier_normal, batchSize: 10, seed: 9, dataSeed: 9 }, 3, 32);
});
