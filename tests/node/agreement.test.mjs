// Native and wasm agree (issue 14): for every activation × weight init × remedy,
// optimizer and cost (one at a time),
// 1,000 training steps of a small network from the same seed, natively (the CLI,
// which writes its parameters with --parameters) and in the wasm module, end with
// the same parameters, bit for bit. (Within 1e-5 relative is checked first, so
// that a failure says how far apart they are.) A run that diverges must diverge
// in both. Bit-identical needs the same roundings in both builds: no fused
// multiply-add (-ffp-contract=off), Eigen's SSE code path in both (wasm's
// -msimd128 with -msse…), and no C-library transcendental on the training path
// (core/portable_math.hpp: glibc's and musl's expm1f part in the last bit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const CLI = process.env.GRADLAB_CLI;
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const table = M.settings();
const choices = (key) => table.find((s) => s.key === key).choices;

// 100 training points in batches of 10: 100 epochs are 1,000 steps.
const BASE = { dataset: 'circle', samples: 125, depth: 3, width: 6, batchSize: 10, learningRate: 0.1, seed: 3 };
const STEPS = 1000;  // 100 epochs
// The remedies, then the other optimizers (at η = 0.01; Adam's bias correction
// calls pow) and the other costs (softmax calls exp), each from the settings table.
const VARIANTS = [{}, { batchNorm: true }, { residual: true }, { clipNorm: 1 }, { clipValue: 0.5 }, { l2: 1 }, { l1: 1 },
  { pretrainEpochs: 1 },
  ...choices('optimizer').filter((o) => o !== 'sgd').map((optimizer) => ({ optimizer, learningRate: 0.01 })),
  ...choices('cost').filter((c) => c !== 'cross_entropy').map((cost) => ({ cost }))];
const flag = (key) => table.find((s) => s.key === key).flag;

test('1,000 steps natively and in wasm end with the same parameters, for every activation × init × remedy, optimizer and cost', { skip: !CLI && 'GRADLAB_CLI is not set' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-agree-'));
  let runs = 0, diverged = 0, worst = 0;
  const disagree = [], parted = [];
  try {
    for (const activation of choices('activation'))
      for (const init of choices('init'))
        for (const variant of VARIANTS) {
          const config = { ...BASE, activation, init, ...variant };
          const what = JSON.stringify({ activation, init, ...variant });
          const file = join(dir, 'p.txt');
          const args = Object.entries(config).flatMap(([k, v]) => (v === true ? [flag(k)] : [flag(k), String(v)]));
          const r = spawnSync(CLI, [...args, '--epochs', String(STEPS / 10), '--format', 'csv', '--parameters', file], { encoding: 'utf8' });
          assert.ok(r.status === 0 || r.status === 3, `${what}: ${r.stderr}`);
          const native = readFileSync(file, 'utf8').trim().split('\n').map(Number);
          const s = new M.Session();
          s.configure(config);
          let stalled = 0;
          while (s.steps() < STEPS && stalled < 3) stalled = s.step(STEPS - s.steps()) === 0 ? stalled + 1 : 0;
          const wasm = Array.from(s.parametersView());
          const wasmDiverged = s.divergence().diverged;
          s.delete();
          assert.equal(wasmDiverged, r.status === 3, `${what}: diverged natively ${r.status === 3}, in wasm ${wasmDiverged}`);
          assert.equal(wasm.length, native.length, what);
          let d2 = 0, n2 = 0;
          native.forEach((v, i) => { d2 += (v - wasm[i]) ** 2; n2 += v * v; });
          const rel = Math.sqrt(d2) / Math.max(Math.sqrt(n2), 1e-30);
          if (!(rel <= 1e-5)) disagree.push(`${what}: ${rel.toExponential(2)}`);
          worst = Math.max(worst, rel);
          if (!native.every((v, i) => Math.fround(v) === wasm[i])) parted.push(`${what}: ${rel.toExponential(2)}`);
          diverged += r.status === 3;
          runs++;
        }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(disagree, [], 'relative differences over 1e-5');
  assert.deepEqual(parted, [], 'runs whose parameters are not bit-identical');
  console.log(`# ${runs} runs of ${STEPS} steps: ${runs - parted.length} identical to the CLI's 9 digits, worst relative ` +
    `difference ${worst.toExponential(2)}, ${diverged} diverged in both; not identical: ${parted.join('; ') || 'none'}`);
  assert.equal(runs, choices('activation').length * choices('init').length * VARIANTS.length);
});
