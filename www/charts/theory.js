// Mean-field theory over the measurement (Poole et al. 2016; Schoenholz et al.
// 2017): per hidden layer the measured per-example gradient size (gradRms, the
// probe's) as dots, and the theory's line through the last hidden layer's, which
// changes by √χ₁ per layer on its way back to the input. SVG, on the log axis of
// the chain of factors. The theory's numbers are the core's (meanfield.hpp).
import { layerColor } from './colors.js';
import { layerFrame } from './logaxis.js';
import { svgElement as el } from './svg.js';

/** Layers narrower than this are far from the theory's infinitely wide ones. */
export const NARROW_WIDTH = 100;

/**
 * The prediction for hidden layers 0..H-1 from the probe's gradRms (output last)
 * and χ₁: the measured sizes, the predicted ones anchored at the last hidden
 * layer, and the measured factor per layer: the geometric mean of
 * gradRms[l]/gradRms[l+1] over the middle layers (hidden layers from + 1 to
 * to + 1, a fifth away from the input, where q has not settled, and from the
 * narrow output). Pure.
 */
export function predictionOf(probe, hidden, chi1) {
  const measured = Array.from(probe.gradRms.slice(0, hidden));
  const per = Math.sqrt(chi1);
  const predicted = measured.map((_, l) => measured[hidden - 1] * per ** (hidden - 1 - l));
  const skip = Math.floor(hidden / 5);
  const from = skip, to = hidden - 1 - skip;  // layers [from, to], to − from ratios
  const usable = to > from && measured.slice(from, to + 1).every((v) => v > 0 && Number.isFinite(v));
  const factor = usable ? (measured[from] / measured[to]) ** (1 / (to - from)) : NaN;
  return { measured, predicted, perLayer: per, measuredPerLayer: factor, from, to };
}

/** Why the theory may not hold for `state` at `step` (message ids with values), in order of weight. */
export function caveats(state, step) {
  const out = [];
  if (state.batchNorm) out.push({ id: 'theory.caveat.batchNorm' });
  if (state.residual) out.push({ id: 'theory.caveat.residual' });
  if (state.width < NARROW_WIDTH) out.push({ id: 'theory.caveat.narrow', values: { width: state.width } });
  if (state.dataset === 'mnist') out.push({ id: 'theory.caveat.mnist' });
  else if (state.dataset !== 'gaussian') out.push({ id: 'theory.caveat.toy' });
  if (state.init !== 'scaled_normal' || state.biasInit !== 'scaled_normal') out.push({ id: 'theory.caveat.init' });
  if (step > 0) out.push({ id: 'theory.caveat.trained', values: { step } });
  return out;
}

/** Draws `p` (predictionOf()) into `svg`. */
export function drawPrediction(svg, p, i18n) {
  const { t, fmt } = i18n;
  const n = p.measured.length;
  const frame = layerFrame(svg, n, [...p.measured, ...p.predicted], { empty: t('theory.empty'), axis: t('bars.axis') });
  if (!frame) return;
  const { y, cx } = frame;
  const points = p.predicted.map((v, i) => (v > 0 && Number.isFinite(v) ? `${cx(i)},${y(v)}` : null)).filter(Boolean);
  if (points.length > 1) svg.append(el('polyline', { points: points.join(' '), class: 'predicted' }));
  p.measured.forEach((v, i) => {
    if (!(v > 0 && Number.isFinite(v))) return;
    const dot = el('circle', { cx: cx(i), cy: y(v), r: 4, fill: layerColor(i, n), class: 'measured' });
    dot.append(el('title', {}, t('theory.dotTitle', { layer: i + 1, measured: fmt.value(v), predicted: fmt.value(p.predicted[i]) })));
    svg.append(dot);
  });
}

/**
 * How far χ₁ may be from 1 for a network to count as on the edge of chaos: the
 * gradient then changes by less than a factor e over 2/0.005 = 400 layers, far
 * deeper than any network here (a χ₁ written as 1 is never called ordered).
 */
export const CRITICAL_CHI = 0.005;

/** The phase of χ₁: 'ordered' (gradients vanish), 'chaotic' (they explode) or 'critical' (the edge of chaos). */
export function phaseOf(chi1) {
  if (!Number.isFinite(chi1) || Math.abs(chi1 - 1) < CRITICAL_CHI) return 'critical';
  return chi1 < 1 ? 'ordered' : 'chaotic';
}

/** The theory in words: where the network sits, what it predicts per layer, and what was measured. */
export function theorySentence(theory, p, i18n) {
  const { t, fmt } = i18n;
  const values = { w: fmt.value(theory.sigmaW2), b: fmt.value(theory.sigmaB2), chi: fmt.value(theory.chi1),
    per: fmt.value(p.perLayer), layers: fmt.value(2 * Math.abs(theory.depthScale)), measured: fmt.value(p.measuredPerLayer),
    from: p.from + 1, to: p.to + 1 };
  return t(`theory.sentence.${phaseOf(theory.chi1)}`, values) + (Number.isFinite(p.measuredPerLayer) ? ` ${t('theory.measured', values)}` : '');
}
