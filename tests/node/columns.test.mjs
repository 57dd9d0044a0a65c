// The wasm module hands the page the CLI's history columns and the core's error
// codes: names the page's CSV export and its messages (in either language) take
// from the core, never copies of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const CLI = resolve(process.env.GRADLAB_CLI ?? 'build/gradlab');

// The CommonJS build; node 20's global fetch confuses its loader, so hand it the bytes.
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const codes = M.errorCodes();
const byCode = Object.fromEntries(codes.map((c) => [c.code, c]));

// e is an Error with a listed code whose values are exactly the listed names.
function listed(e) {
  assert.ok(e instanceof Error, String(e));
  assert.ok(byCode[e.code], `code ${e.code} is in errorCodes()`);
  assert.deepEqual(Object.keys(e.values), byCode[e.code].values, `${e.code}'s values`);
  return true;
}

test("historyColumns() are the CLI's csv header", () => {
  const r = spawnSync(CLI, ['--format', 'csv', '--dataset', 'circle', '--depth', '3', '--width', '4', '--epochs', '0'],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const header = r.stdout.split('\n')[0].split(',');
  const columns = M.historyColumns(4);  // depth 3: three hidden layers and the output
  assert.deepEqual(columns.map((c) => c.name), header);
  assert.deepEqual(columns.slice(0, 6), [
    { name: 'step', quantity: 'step', layer: -1 },
    { name: 'epoch', quantity: 'epoch', layer: -1 },
    { name: 'loss', quantity: 'loss', layer: -1 },
    { name: 'train_accuracy', quantity: 'trainAccuracy', layer: -1 },
    { name: 'test_accuracy', quantity: 'testAccuracy', layer: -1 },
    { name: 'speed_hl1', quantity: 'speed', layer: 0 },
  ]);
  assert.deepEqual(columns.find((c) => c.name === 'batch_speed_out'), { name: 'batch_speed_out', quantity: 'batchSpeed', layer: 3 });
  // Every statistic the session measures has its columns, one per layer.
  for (const { key } of M.layerStatistics())
    assert.deepEqual(columns.filter((c) => c.quantity === key).map((c) => c.layer), [0, 1, 2, 3], key);
});

test('errorCodes() and divergenceCodes() list each code once, with its values and help', () => {
  assert.equal(new Set(codes.map((c) => c.code)).size, codes.length);
  for (const c of codes) {
    assert.match(c.code, /^[a-z_]+$/);
    assert.ok(Array.isArray(c.values) && c.values.every((v) => typeof v === 'string'), c.code);
    assert.ok(c.help.length > 0, c.code);
  }
  assert.deepEqual(byCode.out_of_range.values, ['key', 'value', 'min', 'max']);
  assert.deepEqual(M.divergenceCodes().map((d) => d.code), ['activations', 'loss', 'gradients', 'weights', 'pretraining']);
});

test('a refused configure() throws an Error with its code, values and key, and a listed code', () => {
  const s = new M.Session();
  try {
    s.configure({ dataset: 'circle' });
    assert.throws(() => s.configure({ depth: 99 }), (e) => listed(e) && e.code === 'out_of_range' && e.key === 'depth' &&
      e.values.min === '1' && e.values.max === '40' && e.values.value === '99' && e.values.key === 'depth' &&
      /depth must be between 1 and 40 \(got 99\)/.test(e.message));
    assert.throws(() => s.configure({ optimizer: 'lbfgs' }), (e) => listed(e) && e.code === 'unknown_choice' &&
      e.values.choices === 'sgd,momentum,adam,rmsprop' && e.values.value === 'lbfgs');
    assert.throws(() => s.configure({ activation: 2 }), (e) => listed(e) && e.code === 'unknown_choice' && e.values.value === '2');
    assert.throws(() => s.configure({ width: [] }), (e) => listed(e) && e.code === 'not_a_number' && e.key === 'width');
    assert.throws(() => s.configure({ bogus: 1 }), (e) => listed(e) && e.code === 'unknown_setting' && e.key === 'bogus');
    assert.throws(() => s.configure({ trainSize: 5000 }), (e) => listed(e) && e.code === 'train_size_too_large' &&
      e.key === undefined && e.values.max === '400');
    assert.throws(() => s.configure({ dataset: 'spiral', depth: 40, width: 256, batchNorm: true, batchSize: 1000 }),
      (e) => listed(e) && e.code === 'memory_limit' && Number(e.values.max_batch_size) >= 1);
    assert.throws(() => s.configure({ dataset: 'mnist' }), (e) => listed(e) && e.code === 'mnist_not_loaded');
    assert.equal(s.config().dataset, 'circle', 'nothing changed');
  } finally {
    s.delete();
  }
});

test('loadMnist() on garbage throws a listed code', () => {
  const s = new M.Session();
  try {
    assert.throws(() => s.loadMnist(new Uint8Array([1, 2, 3])), (e) => listed(e) && e.code === 'mnist_not_gradlab_file' &&
      e.values.bytes === '3');
    const truncated = new Uint8Array(20);
    truncated.set(new TextEncoder().encode('GLMNIST1'));
    truncated.set([1, 0, 0, 0, 28, 0, 28, 0], 8);  // one 28×28 image, but no pixels
    assert.throws(() => s.loadMnist(truncated), (e) => listed(e) && e.code === 'mnist_wrong_size');
    assert.equal(s.hasMnist(), false);
  } finally {
    s.delete();
  }
});

test("a divergence carries its code", () => {
  const s = new M.Session();
  try {
    s.configure({ dataset: 'spiral', depth: 3, width: 100, activation: 'relu', init: 'large', learningRate: 100 });
    s.step(1000);
    const d = s.divergence();
    assert.equal(d.diverged, true);
    assert.ok(M.divergenceCodes().some((c) => c.code === d.code), d.code);
    assert.equal(d.what, d.code, `${d.code}: the English noun of a training step's code is the code`);
  } finally {
    s.delete();
  }
});

test('the baseline build (no wasm exceptions) hands over the same codes, columns and error values', async () => {
  const createBaseline = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node_baseline.js'));
  const B = await createBaseline({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node_baseline.wasm')) });
  assert.deepEqual(B.errorCodes(), codes);
  assert.deepEqual(B.divergenceCodes(), M.divergenceCodes());
  assert.deepEqual(B.historyColumns(3), M.historyColumns(3));
  const s = new B.Session();
  try {
    assert.throws(() => s.configure({ depth: 0 }), (e) => listed(e) && e.code === 'out_of_range' && e.key === 'depth' &&
      e.values.min === '1' && e.values.max === '40');
    assert.throws(() => s.loadMnist(new Uint8Array(4)), (e) => listed(e) && e.code === 'mnist_not_gradlab_file');
  } finally {
    s.delete();
  }
});
