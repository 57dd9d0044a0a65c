// φ and φ′ of the current activation, with one hidden layer's pre-activations z
// laid under them (Nielsen ch. 5, Glorot & Bengio 2010 fig. 2): where z piles up
// in φ's flat tails, φ′ ≈ 0 and the layer passes almost no gradient back. The
// regions where φ′ is under 1 % of its peak (the core's "flat" test) are shaded,
// and the peak of φ′ is marked (σ′ ≤ 1/4 for sigmoid). The curve comes from the
// core (Session::activation_curve), so the page has no formula of its own. SVG.
import { freshCanvas, svgElement as el } from './svg.js';

/** Of the core's flat test: φ′ under this fraction of its peak. */
export const FLAT_FRACTION = 0.01;

/**
 * What the plot shows of hidden layer `layer` (0-based; null: the most
 * saturated) from the worker's histogram view: its z histogram, the curve, the
 * peak of φ′ (the core's) and where the samples reach it (null: nowhere), and
 * the layer's flat fraction. Pure.
 */
export function phiOf(view, layer) {
  const flat = Array.from(view.flat);
  const H = flat.length;
  const chosen = layer !== null && layer >= 0 && layer < H ? layer
    : flat.reduce((best, f, l) => (f > flat[best] ? l : best), 0);
  const z = view.quantities.preactivation;
  const { curve } = view;
  // The core's sup |φ′|; where the samples reach it (a range of 1e30 samples none near GELU's peak).
  let sampled = 0, at = null;
  curve.dphi.forEach((d, i) => {
    if (Number.isFinite(d) && Math.abs(d) > sampled) [sampled, at] = [Math.abs(d), curve.z[i]];
  });
  const peak = curve.peak;
  if (sampled < 0.99 * peak) at = null;
  return {
    layer: chosen, layers: H, automatic: layer === null,
    z: { lo: z.lo, hi: z.hi, fraction: Array.from(z.fraction.slice(chosen * z.bins, (chosen + 1) * z.bins)),
      stddev: z.nonfinite[chosen] >= 1 ? NaN : z.stddev[chosen] },
    curve: { z: Array.from(curve.z), phi: Array.from(curve.phi), dphi: Array.from(curve.dphi) },
    peak, peakAt: at, flat: flat[chosen],
  };
}

/** The z intervals of the curve where |φ′| < FLAT_FRACTION × its peak. */
function flatRegions(c, peak) {
  const regions = [];
  let start = null;
  c.z.forEach((z, i) => {
    const isFlat = Math.abs(c.dphi[i]) < FLAT_FRACTION * peak;
    if (isFlat && start === null) start = z;
    if (!isFlat && start !== null) {
      regions.push([start, z]);
      start = null;
    }
  });
  if (start !== null) regions.push([start, c.z.at(-1)]);
  return regions;
}

/** Draws `p` (phiOf()) into `svg`; `activation` is the setting's value ('sigmoid', …). */
export function drawPhi(svg, p, activation, i18n) {
  const { t, fmt } = i18n;
  const { width, height } = freshCanvas(svg, { width: [280, 560], height: [200, 260] });
  const c = p.curve;
  const left = 40, right = 10, top = 14, bottom = 32;
  const plotW = width - left - right, plotH = height - top - bottom;
  const zlo = c.z[0], zhi = c.z.at(-1);
  const ys = [...c.phi, ...c.dphi, 0, 1, p.peak].filter(Number.isFinite);
  const ylo = Math.min(...ys), yhi = Math.max(...ys);
  const x = (z) => left + plotW * (z - zlo) / (zhi - zlo);
  const y = (v) => top + plotH * (1 - (v - ylo) / (yhi - ylo));
  // The flat regions, shaded.
  for (const [a, b] of flatRegions(c, p.peak))
    svg.append(el('rect', { x: x(a), y: top, width: Math.max(0.5, x(b) - x(a)), height: plotH, class: 'flat' }));
  // The layer's z, as a histogram along the bottom (its own height scale).
  const bins = p.z.fraction.length, binW = (p.z.hi - p.z.lo) / bins;
  const most = Math.max(...p.z.fraction, 1e-12);
  p.z.fraction.forEach((f, b) => {
    if (!(f > 0)) return;
    const z0 = Math.max(zlo, p.z.lo + b * binW), z1 = Math.min(zhi, p.z.lo + (b + 1) * binW);
    const h = 0.55 * plotH * f / most;
    svg.append(el('rect', { x: x(z0), y: top + plotH - h, width: Math.max(1, x(z1) - x(z0)), height: h, class: 'zbar' }));
  });
  // Axes: y = 0 and z = 0, ticks at both ends and the middle.
  svg.append(el('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), class: 'axis' }));
  svg.append(el('line', { x1: x(0), x2: x(0), y1: top, y2: top + plotH, class: 'axis' }));
  for (const v of [ylo, 0, yhi].filter((v, i, a) => a.indexOf(v) === i))
    svg.append(el('text', { x: left - 5, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, fmt.value(v)));
  for (const z of [zlo, 0, zhi])
    svg.append(el('text', { x: x(z), y: top + plotH + 14, 'text-anchor': z === zlo ? 'start' : z === zhi ? 'end' : 'middle', class: 'tick' }, fmt.value(z)));
  svg.append(el('text', { x: left + plotW / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, t('phi.axis')));
  // φ solid, φ′ dashed.
  const line = (values, cls) => svg.append(el('polyline', { class: cls,
    points: c.z.flatMap((z, i) => (Number.isFinite(values[i]) ? [`${x(z).toFixed(1)},${y(Math.min(yhi, Math.max(ylo, values[i]))).toFixed(1)}`] : []))
      .join(' ') }));
  line(c.phi, 'phi');
  line(c.dphi, 'dphi');
  // The peak of φ′: σ′ ≤ 1/4 on the sigmoid.
  const mark = el('g', { class: 'peak' });
  mark.append(el('line', { x1: left, x2: width - right, y1: y(p.peak), y2: y(p.peak) }));
  if (p.peakAt !== null) mark.append(el('circle', { cx: x(p.peakAt), cy: y(p.peak), r: 3.5 }));
  const label = activation === 'sigmoid' ? t('phi.sigmoidPeak') : t('phi.peak', { peak: fmt.value(p.peak) });
  // On the left, where every φ here is low and flat; under the line if it is at the top.
  const nearTop = y(p.peak) - top < 18;
  mark.append(el('text', { x: left + 4, y: y(p.peak) + (nearTop ? 14 : -6) }, label));
  svg.append(mark);
}

/** The plot in words: the layer, how much of its z is where φ is flat, and φ′'s peak. */
export function phiSentence(p, activation, i18n) {
  const { t, fmt } = i18n;
  const which = p.automatic ? t('phi.mostFlat', { layer: p.layer + 1 }) : t('phi.layerN', { layer: p.layer + 1 });
  const peak = activation === 'sigmoid' ? t('phi.sigmoidPeakSentence') : t('phi.peakSentence', { peak: fmt.value(p.peak) });
  return t('phi.sentence', { which, flat: fmt.percent(p.flat), spread: fmt.value(p.z.stddev), peak });
}
