// The pure parts of the histogram views (www/charts/phi.js, charts/histograms.js,
// mechanismviews.js): the layer the φ plot picks, where its samples reach φ′'s
// peak, rows and spreads of a diverged run, and which of Glorot's settings a
// state is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phiOf } from '../../www/charts/phi.js';
import { rowOf, spreads } from '../../www/charts/histograms.js';
import { GLOROT_INITS, GLOROT_NETWORK, glorotSetting } from '../../www/mechanismviews.js';
import { CRITICAL_CHI, phaseOf } from '../../www/charts/theory.js';

/** A histogram view as the worker sends it: `rows` per hidden layer of one quantity, the others the same. */
function view(rows, { flat, nonfinite = rows.map(() => 0), curve } = {}) {
  const bins = rows[0].length;
  const q = { lo: -1, hi: 1, bins, fraction: Float64Array.from(rows.flat()), mean: new Float64Array(rows.length),
    stddev: Float64Array.from(rows, (_, l) => l + 1), nonfinite: Float64Array.from(nonfinite) };
  return { step: 0, examples: 10, flat: Float64Array.from(flat ?? rows.map(() => 0)),
    quantities: { activation: q, preactivation: q, delta: q, weightGrad: q },
    curve: curve ?? { z: [-1, 0, 1], phi: [0.27, 0.5, 0.73], dphi: [0.2, 0.25, 0.2], peak: 0.25 } };
}

test('the φ plot shows the most saturated layer unless the reader chose one', () => {
  const v = view([[1, 0], [0.5, 0.5], [0, 1]], { flat: [0.1, 0.7, 0.3] });
  const auto = phiOf(v, null);
  assert.equal(auto.layer, 1);
  assert.equal(auto.automatic, true);
  assert.deepEqual(auto.z.fraction, [0.5, 0.5]);
  assert.equal(auto.flat, 0.7);
  const chosen = phiOf(v, 2);
  assert.equal(chosen.layer, 2);
  assert.deepEqual(chosen.z.fraction, [0, 1]);
  assert.equal(phiOf(v, 7).layer, 1, 'a layer the network no longer has: the most saturated');
});

test('φ′’s peak is the core’s; it is marked where the samples reach it, and nowhere when they do not', () => {
  const reached = phiOf(view([[1, 0]]), null);
  assert.equal(reached.peak, 0.25);
  assert.equal(reached.peakAt, 0);
  // A range of 1e30 (a diverged run) samples GELU's φ′ nowhere near its 1.129 peak.
  const coarse = phiOf(view([[1, 0]], { curve: { z: [-1e30, 0, 1e30], phi: [0, 0, 1e30], dphi: [0, 0.5, 1], peak: 1.1289931 } }), null);
  assert.equal(coarse.peak, 1.1289931);
  assert.equal(coarse.peakAt, null);
  const nan = phiOf(view([[1, 0]], { curve: { z: [-1, 0, 1], phi: [0, 0, 1], dphi: [NaN, Infinity, 1], peak: 1 } }), null);
  assert.equal(nan.peakAt, 1, 'non-finite samples are skipped');
});

test('a layer with no finite value has no spread (NaN), not 0', () => {
  const v = view([[0.5, 0.5], [0, 0]], { nonfinite: [0, 1] });
  assert.deepEqual(spreads(v, 'delta'), [1, NaN]);
  assert.ok(Number.isNaN(rowOf(v.quantities.delta, 1).stddev));
  assert.deepEqual(rowOf(v.quantities.delta, 0), { fraction: [0.5, 0.5], mean: 0, stddev: 1, nonfinite: 0 });
});

test('Glorot’s two settings: 5 tanh layers, zero biases, the standard or the normalized init', () => {
  const base = { ...GLOROT_NETWORK, width: 100, dataset: 'mnist' };
  assert.equal(glorotSetting({ ...base, init: GLOROT_INITS.standard }), 'standard');
  assert.equal(glorotSetting({ ...base, init: GLOROT_INITS.normalized }), 'normalized');
  assert.equal(glorotSetting({ ...base, init: 'he_normal' }), null);
  assert.equal(glorotSetting({ ...base, init: 'xavier_uniform', depth: 6 }), null);
  assert.equal(glorotSetting({ ...base, init: 'xavier_uniform', activation: 'sigmoid' }), null);
});

test('the phase of χ₁: ordered below 1, chaotic above, the edge of chaos within CRITICAL_CHI of 1', () => {
  assert.equal(phaseOf(0.87), 'ordered');      // the mean-field preset
  assert.equal(phaseOf(1.2), 'chaotic');
  assert.equal(phaseOf(0.9989), 'critical');   // the edge-of-chaos preset, written "χ₁ = 1"
  assert.equal(phaseOf(1 + CRITICAL_CHI / 2), 'critical');
  assert.equal(phaseOf(1 - 2 * CRITICAL_CHI), 'ordered');
  assert.equal(phaseOf(1 + 2 * CRITICAL_CHI), 'chaotic');
  // Within it, the gradient changes by less than a factor e over 400 layers (√χ₁ per layer).
  assert.ok(Math.abs(400 * 0.5 * Math.log(1 - CRITICAL_CHI)) <= 1.01);
});
