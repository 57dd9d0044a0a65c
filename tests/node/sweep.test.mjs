// The depth sweep's pure parts (www/sweep.js, sweepview.js): how many workers,
// a row's names against the core's list, and the summary the sentence gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { MAX_SWEEP_WORKERS, sweepRow, sweepWorkers } from '../../www/sweep.js';
import { EMBEDDED_MAX_NETWORKS } from '../../www/state.js';
import { sweepSummary } from '../../www/sweepview.js';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');

test('a sweep uses one worker per core (at most 4; one fewer while the simulator trains), never more than it has depths', () => {
  assert.equal(sweepWorkers(6, 2), 2);
  assert.equal(sweepWorkers(6, 2, 1), 1);  // the page's simulator keeps a core while it trains
  assert.equal(sweepWorkers(6, 8, 1), 4);
  assert.equal(sweepWorkers(6, 8), 4);
  assert.equal(sweepWorkers(2, 8), 2);
  assert.equal(sweepWorkers(6, undefined), 2);
  assert.equal(sweepWorkers(1, 1), 1);
});

test('an embedded sweep (a course page, the walk-through) keeps to two networks with the simulator', () => {
  assert.equal(EMBEDDED_MAX_NETWORKS, 2);
  assert.equal(sweepWorkers(6, 8, false, true), 2);
  assert.equal(sweepWorkers(6, 8, 1, true), 1, 'the simulator trains: one worker');
  assert.equal(sweepWorkers(6, 8, 2, true), 1, 'A and B train: still one worker (the least a sweep has)');
  assert.equal(sweepWorkers(6, 2, 1, true), 1);
  assert.equal(sweepWorkers(1, 8, false, true), 1);
  assert.equal(sweepWorkers(6, 8), MAX_SWEEP_WORKERS);
});

test('a row has the core’s sweep quantities (the CLI’s --sweep-depth columns), taken from the two snapshots', async () => {
  const M = await createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'))({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
  const snap = (step, speed) => ({ step, widths: [2, 4, 4, 4, 1], probe: { speed, accuracy: 0.7, loss: 0.5 }, test: { accuracy: 0.8 } });
  const row = sweepRow(3, snap(0, [0.01, 0.1, 1, 2]), snap(500, [0.2, 0.3, 0.4, 0.5]));
  const { diverged, ...named } = row;
  assert.deepEqual(Object.keys(named), M.sweepQuantities().map((q) => q.key));
  assert.deepEqual(row, { depth: 3, steps: 500, testAccuracy: 0.8, trainAccuracy: 0.7, loss: 0.5,
    speedFirstInit: 0.01, speedLastInit: 1, diverged: false });
  assert.equal(diverged, false);
});

test('the summary: the best depth, the deepest, and how much slower layer 1 starts', () => {
  const rows = [
    { depth: 1, testAccuracy: 0.9, speedFirstInit: 0.3, diverged: false },
    { depth: 2, testAccuracy: 0.95, speedFirstInit: 0.03, diverged: false },
    { depth: 3, testAccuracy: 0.99, speedFirstInit: 0.003, diverged: true },
    { depth: 4, testAccuracy: 0.5, speedFirstInit: 0.0003, diverged: false },
  ];
  const s = sweepSummary(rows);
  assert.equal(s.best.depth, 2, 'a diverged run is never the best');
  assert.equal(s.deepest.depth, 4);
  assert.ok(Math.abs(s.slowdown - 1000) < 1e-9);
  assert.equal(sweepSummary([{ depth: 1, testAccuracy: null, diverged: false }]), null);
});
