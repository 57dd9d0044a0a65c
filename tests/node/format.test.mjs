// Number formatting of the views (no DOM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisLabels, formatRatio, formatValue } from '../../www/charts/format.js';

test('values: three significant digits, exponents when small or large', () => {
  assert.equal(formatValue(0.5), '0.5');
  assert.equal(formatValue(0.0012345), '0.00123');
  assert.equal(formatValue(1.66e-8), '1.66e-8');
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(NaN), '–');
  assert.equal(formatValue(Infinity), '∞');
});

test('ratios read as words would', () => {
  assert.equal(formatRatio(1.62), '1.6');
  assert.equal(formatRatio(96.4), '96');
  assert.equal(formatRatio(914123), '914,000');
  assert.equal(formatRatio(2.3e7), '2.30e7');
});

test('axis labels: powers of ten, and blanks for thinned or bad ticks', () => {
  // uPlot passes null for ticks it drops on a short axis; they once read "1e-Infinity".
  assert.deepEqual(axisLabels([1, null, 1e-4, null, 1e-8], true), ['1e0', '', '1e-4', '', '1e-8']);
  assert.deepEqual(axisLabels([0, -1, NaN], true), ['', '', '']);
  assert.deepEqual(axisLabels([0, 2.5, null], false), ['0', '2.5', '']);
});
