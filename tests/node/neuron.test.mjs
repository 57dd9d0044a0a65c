// Nielsen's single-neuron chain (www/neuron.js): the gradients against finite
// differences, the book's explosion (each factor 25), σ′ ≤ 1/4, and the narrow
// window against a direct scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEURON_EXAMPLES, NEURONS, neuronChain, windowWidth } from '../../www/neuron.js';

test('∂C/∂bⱼ of the chain against finite differences', () => {
  for (const values of [NEURON_EXAMPLES.vanishing(3), NEURON_EXAMPLES.vanishing(11), { w: [0.5, -2, 3, 1.5], b: [0.1, 0.2, -0.3, 0.4] }]) {
    const c = neuronChain(values);
    for (let j = 0; j < NEURONS; j++) {
      const h = 1e-6;
      const up = structuredClone(values), down = structuredClone(values);
      up.b[j] += h;
      down.b[j] -= h;
      const numeric = (neuronChain(up).cost - neuronChain(down).cost) / (2 * h);
      assert.ok(Math.abs(numeric - c.dCdb[j]) <= 1e-7 + 1e-5 * Math.abs(numeric), `b${j + 1}: ${c.dCdb[j]} against ${numeric}`);
    }
    // The product of the factors is the ratio of the first gradient to the last's.
    const product = c.factors.slice(1).reduce((p, f) => p * f, 1);
    assert.ok(Math.abs(c.dphi[0] * product / c.dphi[NEURONS - 1] - c.dCdb[0] / c.dCdb[NEURONS - 1]) < 1e-9);
    for (const d of c.dphi) assert.ok(d > 0 && d <= 0.25, 'σ′ ≤ 1/4');
  }
});

test('Nielsen’s explosion: w = 100 and z = 0 give factors of 25; σ′ is largest, 1/4, at z = 0', () => {
  const c = neuronChain(NEURON_EXAMPLES.exploding());
  for (const z of c.z) assert.ok(Math.abs(z) < 1e-12);
  for (const d of c.dphi) assert.equal(d, 0.25);
  assert.deepEqual(c.factors.slice(1), [25, 25, 25]);
  assert.ok(Math.abs(c.dCdb[0] / c.dCdb[3] - 0.25 / 0.25 * 25 ** 3) < 1e-6);
  // Away from z = 0, σ′ is smaller.
  for (const z of [-3, -0.5, 0.5, 3]) assert.ok(neuronChain({ w: [0, 0, 0, 0], b: [z, z, z, z] }).dphi[0] < 0.25);
});

test('the narrow window: its width against a scan of the inputs, at most about 0.45 near w = 6.9', () => {
  const sigmaPrime = (z) => Math.exp(-z) / (1 + Math.exp(-z)) ** 2;
  for (const w of [5, 6.9, 10, 30, 100]) {
    // The width of {a : |w σ′(w a)| ≥ 1} (b shifts the window, not its width).
    const step = 1e-5;
    let inside = 0;
    for (let a = -1; a <= 1; a += step) if (Math.abs(w * sigmaPrime(w * a)) >= 1) inside++;
    assert.ok(Math.abs(inside * step - windowWidth(w)) < 1e-3, `w ${w}: scan ${inside * step}, formula ${windowWidth(w)}`);
  }
  assert.equal(windowWidth(3), 0);
  let best = 0, at = 0;
  for (let w = 4.01; w < 20; w += 0.01) if (windowWidth(w) > best) [best, at] = [windowWidth(w), w];
  assert.ok(Math.abs(best - 0.45) < 0.01 && Math.abs(at - 6.9) < 0.1, `max ${best} at w = ${at}`);
});
