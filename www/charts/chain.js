// The chain of factors (Nielsen ch. 5): on its way back from the output, the
// gradient reaching hidden layer l is the one at layer l + 1 times a gain, about
// |φ′(z)| times the outgoing weights' gain. Per hidden layer (input side on the
// left) on a log scale: the measured gain as a bar, its two factors as marks
// (|φ′| a circle, the weights a square), the line gain = 1 (neither lost nor
// amplified) and, dashed, the running product from the last hidden layer back,
// i.e. the gradient's size relative to the last hidden layer's, with the measured
// sizes (gradRms) as dots on it. SVG, like the speed bars.
import { layerColor } from './colors.js';
import { layerFrame } from './logaxis.js';
import { svgElement as el } from './svg.js';

/**
 * The chain for hidden layers 0..H-1 from the probe's per-layer arrays (the output
 * layer last, as the worker sends them): each layer's gain, |φ′| and weights'
 * gain, the running product of the gains from the last hidden layer back, and
 * the measured gradient sizes relative to the last hidden layer's. Pure.
 */
export function chainOf(probe, hidden) {
  const gain = Array.from(probe.gain.slice(0, hidden));
  const product = new Array(hidden).fill(1);
  for (let l = hidden - 2; l >= 0; l--) product[l] = product[l + 1] * gain[l];
  const last = probe.gradRms[hidden - 1];
  return {
    gain, product,
    dphi: Array.from(probe.dphiMean.slice(0, hidden)),
    weights: Array.from(probe.weightGain.slice(0, hidden)),
    measured: Array.from(probe.gradRms.slice(0, hidden), (g) => g / last),
  };
}

/** Draws `chain` (chainOf()) into `svg`; `i18n` words the axis (the key is the page's, lab.html). */
export function drawChain(svg, chain, i18n) {
  const { t, fmt } = i18n;
  const n = chain.gain.length;
  const frame = layerFrame(svg, n, [...chain.gain, ...chain.dphi, ...chain.weights, ...chain.product, ...chain.measured, 1],
    { empty: t('chain.empty'), axis: t('bars.axis') });
  if (!frame) return;
  const { y, cx, slot } = frame;
  const barW = Math.max(2, Math.min(36, slot * 0.5));
  // The gains: a bar from 1 (no change) up or down to the gain.
  chain.gain.forEach((g, i) => {
    if (i === n - 1 || !(g > 0 && Number.isFinite(g))) return;
    const y1 = y(1), yg = y(g);
    const bar = el('rect', { x: cx(i) - barW / 2, y: Math.min(y1, yg), width: barW, height: Math.max(1, Math.abs(yg - y1)),
      fill: layerColor(i, n), class: 'bar' });
    bar.append(el('title', {}, t('chain.barTitle', { layer: i + 1, gain: fmt.value(g), dphi: fmt.value(chain.dphi[i]),
      weights: fmt.value(chain.weights[i]) })));
    svg.append(bar);
    if (chain.dphi[i] > 0) svg.append(el('circle', { cx: cx(i) - barW / 2 - 5, cy: y(chain.dphi[i]), r: 3.5, class: 'dphi' }));
    if (chain.weights[i] > 0) svg.append(el('rect', { x: cx(i) + barW / 2 + 1.5, y: y(chain.weights[i]) - 3.5, width: 7, height: 7, class: 'weights' }));
    if (n <= 12) svg.append(el('text', { x: cx(i), y: (g >= 1 ? yg : y1) - 4, 'text-anchor': 'middle', class: 'value' }, fmt.value(g)));
  });
  // The running product, dashed, and the measured sizes on it.
  const points = chain.product.map((p, i) => (p > 0 && Number.isFinite(p) ? `${cx(i)},${y(p)}` : null)).filter(Boolean);
  if (points.length > 1) svg.append(el('polyline', { points: points.join(' '), class: 'product' }));
  chain.measured.forEach((m, i) => {
    if (m > 0 && Number.isFinite(m)) svg.append(el('circle', { cx: cx(i), cy: y(m), r: 2.5, class: 'measured' }));
  });
}

/**
 * The chain as a sentence: the gain per layer, its two factors, and the product
 * against the measured drop from the last hidden layer to the first.
 */
export function chainSentence(chain, i18n) {
  const n = chain.gain.length;
  if (n < 2) return '';
  const { t, fmt } = i18n;
  const mean = (a) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);
  const inner = (a) => a.slice(0, n - 1).filter((v) => v > 0 && Number.isFinite(v));
  const gains = inner(chain.gain), dphi = inner(chain.dphi), weights = inner(chain.weights);
  if (gains.length === 0) return t('chain.noGradient');
  return t('chain.sentence', { last: n, gain: fmt.value(mean(gains)), dphi: fmt.value(mean(dphi)), weights: fmt.value(mean(weights)),
    product: fmt.value(chain.product[0]), measured: fmt.value(chain.measured[0]) });
}
