// The WebAssembly build under node: the bindings, the settings table they hand
// the page, errors as JS exceptions, no leaked handles, a bounded heap, and the
// same numbers as the native CLI for the same settings.
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
const wasmBinary = readFileSync(join(WASM_DIR, 'gradlab_node.wasm'));
const M = await createGradlab({ wasmBinary });
const digits = new Uint8Array(readFileSync(MNIST));
const table = M.settings();
const byKey = Object.fromEntries(table.map((s) => [s.key, s]));

function session(changes = {}) {
  const s = new M.Session();
  s.loadMnist(digits);
  s.configure(changes);
  return s;
}

test('the module hands over the settings table: the same as the CLI prints, with valid defaults', () => {
  const cli = spawnSync(CLI, ['--list-settings'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = cli.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(table, fromCli);
  const fresh = new M.Session();
  assert.deepEqual(fresh.config(), Object.fromEntries(table.map((s) => [s.key, s.default])));
  assert.deepEqual(M.defaults(), fresh.config());
  fresh.delete();
  for (const s of table) {
    if (s.type === 'choice') assert.ok(s.choices.includes(s.default), s.key);
    if (s.type === 'integer' || s.type === 'real') assert.ok(s.default >= s.min && s.default <= s.max, s.key);
  }
});

test('every setting crosses the bindings under its key, every choice by its name', () => {
  const s = new M.Session();
  try {
    s.configure({ dataset: 'circle' });
    for (const spec of table) {
      const values = spec.type === 'choice' ? spec.choices
        : spec.type === 'boolean' ? [true, false] : [spec.min, spec.max];
      for (const v of values) {
        const change = { [spec.key]: v };
        if (spec.key === 'dataset' && v === 'mnist') continue;  // no digits in this session
        try {
          s.configure(change);
          assert.equal(s.config()[spec.key], v, `${spec.key} = ${v}`);
        } catch (e) {
          // Only the data- and size-dependent refusals: memory, a training set larger than the split.
          assert.match(e.message, /^(memory:|trainSize:)/, `${spec.key} = ${v}: ${e.message}`);
        }
        s.configure({ [spec.key]: spec.default, dataset: 'circle' });
      }
    }
  } finally {
    s.delete();
  }
});

test('the bindings expose the core: configuration, training and statistics', () => {
  const s = session({ depth: 4, width: 20 });
  try {
    assert.equal(s.hasMnist(), true);
    assert.deepEqual(Array.from(s.layerWidthsView()), [784, 20, 20, 20, 20, 10]);
    assert.equal(s.config().activation, 'sigmoid');
    assert.equal(s.step(7), 7);
    assert.equal(s.steps(), 7);
    const stats = s.stepStats();
    assert.equal(stats.step, 7);
    assert.equal(stats.batchSize, 10);
    assert.ok(stats.loss > 0);
    const names = M.layerStatistics().map((x) => x.key);
    assert.deepEqual(names, ['batchSpeed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activationMean', 'activationStd', 'saturation']);
    for (const name of names) {
      const v = s.statsView(name);
      assert.equal(v.length, 5, name);
      assert.ok(Array.from(v).every(Number.isFinite), name);
    }
    assert.ok(s.statsView('weightNorm')[0] > 0 && s.statsView('updateRatio')[0] > 0);
    const probe = s.probe();
    assert.equal(probe.examples, 1000);
    const speed = s.probeSpeedView();
    assert.ok(speed[0] < speed[3], 'vanishing: hidden layer 1 is slower than hidden layer 4');
    assert.equal(s.testOutputsView(3).length, 30);
    assert.equal(s.testPixelsView(2).length, 2 * 784);
    assert.ok(s.testPixelsView(2).some((v) => v === 255), 'bytes, 0–255');
    assert.deepEqual(s.viewPlan(), { probeExamples: 1000, testExamples: 1000, gridResolution: 48,
      probeThinned: false, testThinned: false, gridThinned: false, fullProbeExamples: 1000, fullGridResolution: 48 });
    assert.deepEqual(s.shortcuts(), [false, false, false, false, false]);
    s.configure({ residual: true });
    assert.deepEqual(s.shortcuts(), [false, true, true, true, false], 'the core says which layers get shortcuts');
    assert.equal(s.configure({ dataset: 'spiral', activation: 'tanh' }), true);
    assert.equal(s.decisionGridView(1.2).length, 48 * 48);
    assert.equal(s.trainInputsView().length, 2 * 400);
  } finally {
    s.delete();
  }
});

test('a bad config raises a JS exception with the core message, key and code, and changes nothing', () => {
  const s = session();
  try {
    const good = s.config();
    const cases = [
      [{ depth: 0 }, 'depth', 'out_of_range', /depth must be between 1 and 40 \(got 0\)/],
      [{ width: 100000 }, 'width', 'out_of_range', /width must be between 1 and 256/],
      [{ learningRate: -1 }, 'learningRate', 'out_of_range', /learningRate must be between 0.0001 and 100/],
      [{ learningRate: NaN }, 'learningRate', 'not_a_number', /learningRate/],
      [{ batchSize: 2.5 }, 'batchSize', 'not_whole', /batchSize: 2.5 is not a whole number/],
      [{ l2: Infinity }, 'l2', 'not_a_number', /l2/],
      [{ activation: 'swish' }, 'activation', 'unknown_choice', /activation: 'swish' is not one of sigmoid/],
      [{ batchNorm: 'maybe' }, 'batchNorm', 'not_boolean', /batchNorm: 'maybe' is not true or false/],
      [{ bogus: 1 }, 'bogus', 'unknown_setting', /unknown setting 'bogus'/],
      [{ depth: 3, width: [] }, 'width', 'not_a_number', /width: a object is not a value/],
    ];
    for (const [change, key, code, message] of cases) {
      assert.throws(() => s.configure(change), (e) => e instanceof Error && e.key === key && e.code === code && message.test(e.message),
        JSON.stringify(change));
    }
    assert.throws(() => s.configure(null), /expected an object of settings/);
    assert.throws(() => s.configure({ dataset: 'spiral', depth: 40, width: 256, batchNorm: true, batchSize: 1000 }),
      /memory: this network needs about \d+ MB with a mini-batch of 1000, more than the limit of 256 MB/);
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
  const s = session({ depth: 4, batchNorm: true, residual: true, optimizer: 'adam', learningRate: 0.001,
    clipNorm: 0.05, l1: 0.1, pretrainEpochs: 1, trainSize: 200 });
  try {
    const c = s.config();
    assert.equal(c.batchNorm, true);
    assert.equal(c.optimizer, 'adam');
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
    assert.ok(stats.gradNorm > 0.05, `gradient norm ${stats.gradNorm} above the threshold`);
    assert.equal(stats.clipped, true);
    assert.equal(stats.clipCount, 10, 'clipped at every step');
    s.configure({ clipNorm: 0 });
    s.step(1);
    assert.equal(s.stepStats().clipped, false);
    assert.equal(s.stepStats().clipCount, 10);
    assert.throws(() => s.configure({ momentum: 1 }), /momentum must be between 0 and 0.999/);
  } finally {
    s.delete();
  }
});

test('no handles leak: sessions are freed and repeated calls hold no JS handles or memory', () => {
  const before = M.Session.liveCount();
  for (let i = 0; i < 50; i++) {
    const s = new M.Session();
    s.configure({ dataset: 'xor' });
    s.step(5);
    s.delete();
  }
  assert.equal(M.Session.liveCount(), before);
  const s = session();
  const calls = () => {
    for (let i = 0; i < 200; i++) {
      s.step(1);
      s.stepStats();
      s.statsView('batchSpeed');
      s.probeSpeedView();
      s.divergence();
      s.config();
      s.viewPlan();
      s.shortcuts();
      try { s.configure({ depth: 0 }); } catch { /* refused */ }
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

test('the largest 2-D network with batch norm keeps the wasm heap under 96 MB through every view', async () => {
  // A fresh module, so that other tests' memory does not count. 40 × 256 units,
  // batch norm, shortcuts, Adam's two moments: training steps, the probe, the
  // test evaluation, the decision grid and the digit outputs, as the page runs
  // them. Before the views were chunked, the 48 × 48 grid alone took ~470 MB.
  const fresh = await createGradlab({ wasmBinary });
  const s = new fresh.Session();
  try {
    s.configure({ dataset: 'spiral', depth: 40, width: 256, batchNorm: true, residual: true, optimizer: 'adam' });
    for (let i = 0; i < 3; i++) {
      s.step(2);
      s.probe();
      s.evaluateTest();
      s.decisionGridView(1.2);
      s.testOutputsView(12);
      s.histograms(41);
      s.activationCurveView(-4, 4, 161);
    }
    const heap = fresh.HEAP8.length;
    console.log(`# wasm heap ${(heap / 2 ** 20).toFixed(0)} MB for 40 × 256 with batch norm (bound 96 MB)`);
    assert.ok(heap <= 96 * 2 ** 20, `${heap} bytes`);
  } finally {
    s.delete();
  }
});

test('the histograms and φ′ cross the bindings: one row per hidden layer, one range per quantity', () => {
  const s = session({ dataset: 'mnist', depth: 5, width: 40, activation: 'tanh', init: 'standard_uniform', biasInit: 'zeros' });
  try {
    s.step(5);
    const keys = M.histogramQuantities().map((q) => q.key);
    assert.deepEqual(keys, ['activation', 'preactivation', 'delta', 'weightGrad']);
    const h = s.histograms(21);
    assert.equal(h.flat.length, 5);
    assert.ok(h.examples >= 1 && h.examples <= s.viewPlan().probeExamples);
    for (const key of keys) {
      const q = h[key];
      assert.equal(q.bins, 21);
      assert.equal(q.fraction.length, 5 * 21, key);
      for (let l = 0; l < 5; l++) {
        const row = Array.from(q.fraction.subarray(l * 21, (l + 1) * 21));
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) + q.nonfinite[l] - 1) < 1e-9, `${key} layer ${l + 1} sums to 1`);
        assert.ok(q.stddev[l] > 0, `${key} layer ${l + 1} has a spread`);
      }
    }
    // tanh's outputs on its own range; z, δ and ∂C/∂W centred on 0.
    assert.deepEqual([h.activation.lo, h.activation.hi], [-1, 1]);
    for (const key of ['preactivation', 'delta', 'weightGrad']) assert.equal(h[key].lo, -h[key].hi, key);
    // The standard init narrows δ towards the input (Glorot & Bengio, fig. 7).
    assert.ok(h.delta.stddev[0] < h.delta.stddev[4], `${Array.from(h.delta.stddev)}`);
    const curve = s.activationCurveView(-4, 4, 9).slice();
    assert.deepEqual(Array.from(curve.subarray(0, 9)), [-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    assert.equal(curve[9 + 4], 0);        // tanh(0)
    assert.equal(curve[18 + 4], 1);       // tanh′(0)
    assert.throws(() => s.histograms(1), /bins must be from 2/);
    assert.throws(() => s.activationCurveView(1, 1, 10), /lo < hi/);
  } finally {
    s.delete();
  }
});

test('divergence is reported with its step and layer', () => {
  const s = session({ depth: 3, width: 100, activation: 'relu', init: 'large', learningRate: 10 });
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

// The CLI's flags for a settings object, derived from the table (key → flag).
function cliArgs(settings) {
  return Object.entries(settings).flatMap(([k, v]) =>
    (byKey[k].type === 'boolean' ? [`${byKey[k].flag}=${v ? 1 : 0}`] : [byKey[k].flag, String(v)]));
}

// The native CLI and the wasm Session run the same settings; their per-epoch
// speeds, losses and accuracies agree within 1e-5 relative.
function compareWithNative(settings, epochs) {
  const r = spawnSync(CLI, [...cliArgs(settings), '--epochs', String(epochs), '--format', 'jsonl'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const native = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const s = session(settings);
  try {
    const close = (a, b, what) => {
      const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);
      assert.ok(rel <= 1e-5, `${what}: native ${a}, wasm ${b} (relative ${rel.toExponential(2)})`);
    };
    const steps = s.stepsPerEpoch();
    for (let epoch = 0; epoch <= epochs; epoch++) {
      const probe = s.probe();
      const speeds = Array.from(s.probeSpeedView()).slice(0, -1);
      const test = s.evaluateTest();
      const n = native[epoch];
      assert.equal(n.epoch, epoch);
      n.speed.forEach((v, i) => close(v, speeds[i], `epoch ${epoch} HL${i + 1} speed`));
      // The chain of factors crosses the bindings as the CLI prints it.
      for (const q of M.probeStatistics().map((p) => p.key)) {
        const name = q.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        const values = Array.from(s.probeView(q)).slice(0, -1);
        n[name].forEach((v, i) => close(v, values[i], `epoch ${epoch} HL${i + 1} ${q}`));
      }
      // The CLI's loss is over the training set with batch norm's running
      // statistics, the probe's with each chunk's own: they agree without it.
      // (and only where the probe covers the training set: a large network's probe is thinned).
      if (!settings.batchNorm && probe.examples === s.trainSize()) {
        close(n.loss, probe.loss, `epoch ${epoch} loss`);
        close(n.train_accuracy, probe.accuracy, `epoch ${epoch} train accuracy`);
      }
      // The page evaluates at most view_plan's test examples; the CLI the whole test set.
      if (test.examples === s.testLabelsView().length) close(n.test_accuracy, test.accuracy, `epoch ${epoch} test accuracy`);
      if (epoch < epochs) assert.equal(s.step(steps), steps);
    }
  } finally {
    s.delete();
  }
}

test('the same settings give the same statistics as the native CLI (MNIST)', () => {
  compareWithNative({ depth: 3, width: 30, trainSize: 500, batchSize: 25, learningRate: 0.5, seed: 3,
    testFraction: 0.1, optimizer: 'momentum', l1: 0.5 }, 3);
});

test('presets that reproduce Nielsen’s figures and the mean-field experiments give the CLI’s numbers', async () => {
  const { PRESETS } = await import('../../www/presets.js');
  for (const id of ['nielsen-training', 'mean-field']) {
    const preset = PRESETS.find((p) => p.id === id);
    assert.ok(preset, id);
    compareWithNative(preset.settings, id === 'nielsen-training' ? 5 : 0);
  }
});

test('the same settings give the same data and statistics as the native CLI (spiral, tanh, batch norm)', () => {
  // The seeds differ on purpose: the split and the points come from dataSeed in both.
  compareWithNative({ dataset: 'spiral', samples: 400, noise: 0.1, depth: 3, width: 8, activation: 'tanh',
    init: 'xavier_normal', batchSize: 10, seed: 9, dataSeed: 4, batchNorm: true }, 3);
});

test('the baseline build (no SIMD, no wasm exceptions) trains the same numbers as the SIMD build', async () => {
  const createBaseline = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node_baseline.js'));
  const B = await createBaseline({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node_baseline.wasm')) });
  assert.deepEqual(B.settings(), table, 'the same settings table');
  const run = (module, changes, steps) => {
    const s = new module.Session();
    s.loadMnist(digits);
    s.configure(changes);
    const at0 = s.probeSpeedView().slice();
    s.step(steps);
    const p = s.probe();
    const out = { at0, speed: s.probeSpeedView().slice(), loss: p.loss, test: s.evaluateTest().accuracy };
    s.delete();
    return out;
  };
  const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)),
    `${what}: ${a} vs ${b}`);
  for (const changes of [{ depth: 3 }, { depth: 6, activation: 'relu', init: 'he_normal', biasInit: 'zeros', optimizer: 'adam', learningRate: 0.001 },
    { dataset: 'spiral', depth: 4, width: 8, activation: 'tanh', batchNorm: true }]) {
    const simd = run(M, changes, 100), base = run(B, changes, 100);
    const what = JSON.stringify(changes);
    // Same weights from the seed; only the order of float sums differs (Eigen's
    // 4-wide packets against its scalar path), so the numbers agree to ~1e-6.
    simd.at0.forEach((v, l) => close(v, base.at0[l], 1e-5, `${what}: speed of layer ${l} at step 0`));
    simd.speed.forEach((v, l) => close(v, base.speed[l], 1e-3, `${what}: speed of layer ${l} after 100 steps`));
    close(simd.loss, base.loss, 1e-4, `${what}: loss after 100 steps`);
    assert.ok(Math.abs(simd.test - base.test) <= 0.005, `${what}: test accuracy ${simd.test} vs ${base.test}`);
  }
  // Errors reach JavaScript with the core's message and key, through JS exceptions.
  const s = new B.Session();
  assert.throws(() => s.configure({ depth: 0 }), (e) => e.key === 'depth' && /depth must be between 1 and 40/.test(e.message));
  assert.throws(() => s.configure({ activation: 'nope' }), /activation: 'nope' is not one of/);
  s.configure({ depth: 2, dataset: 'circle' });
  assert.equal(s.config().depth, 2, 'the session works after an error');
  s.delete();
});

test('the recurrent session gives the native CLI’s numbers from the same seed, and wasm is deterministic too', () => {
  for (const model of ['rnn', 'lstm']) {
    const r = spawnSync(CLI, ['--model', model, '--seq-len', '20', '--hidden', '16', '--steps', '30', '--measure-every', '30',
      '--seed', '5', '--data-seed', '5', '--format', 'jsonl'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const native = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).at(-1);
    // The session's configure() takes the settings as the page has them: under a
    // recurrent model the page's defaults are the table's recurrent ones, as the CLI's are.
    const recurrentDefaults = Object.fromEntries(M.settings().filter((s) => 'recurrentDefault' in s).map((s) => [s.key, s.recurrentDefault]));
    const run = () => {
      const session = new M.RecurrentSession();
      assert.equal(session.configure({ ...recurrentDefaults, model, seqLen: 20, hidden: 16, seed: 5, dataSeed: 5 }, true), true);
      assert.deepEqual(session.cells(), model === 'rnn' ? ['rnn', 'lstm'] : ['lstm', 'rnn']);
      assert.equal(session.step(30), 30);
      const p = session.probe(0);
      const out = { loss: p.loss, gradThroughTime: Array.from(p.gradThroughTime), test: session.evaluateTest(0), steps: session.steps() };
      session.delete();
      return out;
    };
    const wasm = run();
    assert.equal(wasm.steps, 30);
    const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b)), `${model} ${what}: native ${a}, wasm ${b}`);
    close(native.loss, wasm.loss, 'loss');
    close(native.test_accuracy, wasm.test.accuracy, 'test accuracy');
    native.grad_through_time.forEach((g, t) => close(g, wasm.gradThroughTime[t], `‖∂L/∂h_${t + 1}‖`));
    assert.deepEqual(run(), wasm, 'the same seed, the same numbers');
  }
  // A refused value reaches JavaScript with the core's key; the session keeps working.
  const session = new M.RecurrentSession();
  assert.throws(() => session.configure({ model: 'lstm', seqLen: 1 }, true), (e) => e.key === 'seqLen');
  assert.throws(() => session.configure({ model: 'mlp' }, true), /not recurrent/);
  assert.throws(() => session.configure({ model: 'lstm', seqLen: 200, hidden: 256 }, true), (e) => e.code === 'memory_limit_sequences');
  assert.equal(session.configure({ model: 'lstm', seqLen: 5, hidden: 4 }, false), true);
  assert.deepEqual(session.cells(), ['lstm']);
  assert.equal(session.step(3), 3);
  assert.throws(() => session.probe(1), /no cell 1/);
  session.delete();
});
