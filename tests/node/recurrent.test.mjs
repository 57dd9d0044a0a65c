// The recurrent mode's page side without a browser: the time view's sentences
// and numbers (timeview.js), and the presets' claims about initialization
// measured with the wasm module's RecurrentSession, as the page runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { firstToLast, forgetKept, timeSentence } from '../../www/throughtime.js';
import { makeState } from '../../www/state.js';
import { PRESETS } from '../../www/presets.js';
import { makeI18n } from '../../www/i18n.js';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const table = M.settings();
const S = makeState(table, PRESETS);
const coreKeys = new Set(table.map((s) => s.key));

/** The page's session for a preset: both cells, as the worker configures them. */
function sessionOf(id) {
  const state = S.presetState(id);
  const session = new M.RecurrentSession();
  session.configure(Object.fromEntries(Object.entries(state).filter(([k]) => coreKeys.has(k))), true);
  return session;
}

test('the sentence compares the gradient reaching step 1 with step T, in both languages', () => {
  const cell = (g, extra = {}) => ({ cell: 'rnn', gradThroughTime: g, diverged: false, steps: 10, ...extra });
  const en = makeI18n('en', table), zh = makeI18n('zh', table);
  assert.equal(firstToLast([1e-6, 1e-3, 1]), 1e-6);
  assert.ok(Number.isNaN(firstToLast([0, 1])), 'an underflow to 0 has no ratio');
  assert.equal(timeSentence(cell([1e-6, 1]), en), 'RNN: the gradient reaching step 1 is 1,000,000× smaller than at step 2.');
  assert.match(timeSentence(cell([2000, 1, 1]), en), /is 2,000× larger than at step 3\./);
  assert.match(timeSentence(cell([0, 1]), en), /is 0 in floating point/);
  assert.match(timeSentence(cell([1, 1], { diverged: true, steps: 7 }), en), /diverged at step 8 /, 'the step whose update it refused');
  assert.match(timeSentence(cell([1e-6, 1]), zh), /^RNN：传到第 1 步的梯度比第 2 步小 100万 倍。$/);
});

test('the forget gate keeps σ(b)^(T−1) of step 1 at initialization: about 9% at b = 3, 2·10⁻⁷ at b = 1 (T = 50)', () => {
  assert.ok(Math.abs(forgetKept(3, 50) - 0.0928) < 0.001, String(forgetKept(3, 50)));
  assert.ok(forgetKept(1, 50) > 1e-7 && forgetKept(1, 50) < 3e-7, String(forgetKept(1, 50)));
  assert.equal(table.find((s) => s.key === 'forgetBias').default, 3, 'the note is about the default');
});

test('the recurrent presets’ claims about initialization hold in the page’s own session', () => {
  // ‖∂L/∂h_1‖/‖∂L/∂h_T‖ at step 0, of the preset's model (cell 0) and the other (cell 1).
  const ratios = (id) => {
    const session = sessionOf(id);
    const r = [0, 1].map((i) => firstToLast(Array.from(session.probe(i).gradThroughTime)));
    session.delete();
    return r;
  };
  const within = (v, lo, hi, what) => assert.ok(v >= lo && v <= hi, `${what}: ${v} not in [${lo}, ${hi}]`);
  within(1 / ratios('rnn-short')[0], 100, 400, 'RNN at T = 10: about 200× smaller');
  const [rnn, lstm] = ratios('rnn-long');
  within(1 / rnn, 1e11, 1e13, 'RNN at T = 50: about 10¹²× smaller');
  within(1 / ratios('lstm-long')[0], 4, 12, 'LSTM at T = 50: about 7× smaller');
  within(lstm / rnn, 1e9, Infinity, 'the LSTM’s is orders of magnitude above the RNN’s');
  within(ratios('rnn-explodes')[0], 300, 1200, 'spectral radius 2: about 600× larger');
  // The exploding presets differ in clipping only.
  const a = S.presetState('rnn-explodes'), b = S.presetState('rnn-clipped');
  const differ = Object.keys(a).filter((k) => k !== 'preset' && a[k] !== b[k]);
  assert.deepEqual(differ, ['clipNorm']);
  assert.ok(a.clipNorm === 0 && b.clipNorm > 0);
});

test('clipping is what keeps the exploding RNN from diverging', () => {
  // Unclipped, SGD's steps along the exploding gradient make a weight infinite
  // (the caption: at step 35); clipped, the same run trains on.
  const run = (id) => {
    const session = sessionOf(id);
    session.step(150);
    const r = { diverged: session.diverged(0), steps: session.cellSteps(0) };
    session.delete();
    return r;
  };
  const wild = run('rnn-explodes'), clipped = run('rnn-clipped');
  assert.equal(wild.diverged, true);
  assert.equal(wild.steps, 34, 'diverged at step 35, as the caption says');
  assert.deepEqual(clipped, { diverged: false, steps: 150 });
});
