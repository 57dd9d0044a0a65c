// Glorot & Bengio's histograms as small multiples: one row per hidden layer
// (layer 1 at the top, as the input side comes first everywhere on the page),
// one column per quantity (activations, pre-activations, δ, ∂C/∂W). Each column
// shares one range, so a row that is a narrow spike beside wide ones is a layer
// whose values have shrunk; each histogram is scaled to its own peak, and
// carries its spread (sd) where it fits. A comparison (the other init of Glorot's pair,
// pinned when the reader switched) is drawn as an outline on the same axes. SVG.
import { layerColor } from './colors.js';
import { svgElement as el } from './svg.js';
import { boxSize } from './boxsize.js';

/** The quantities' columns, in order (the core's kHistogramQuantities keys). */
export const HISTOGRAM_COLUMNS = ['activation', 'preactivation', 'delta', 'weightGrad'];

/** A layer's mean or spread, NaN when none of its values is finite (a diverged run). */
const finiteOnly = (q, l, v) => (q.nonfinite[l] >= 1 ? NaN : v);

/** Row l of quantity q of a histogram view: {fraction, mean, stddev, nonfinite}. Pure. */
export function rowOf(q, l) {
  return { fraction: Array.from(q.fraction.slice(l * q.bins, (l + 1) * q.bins)), mean: finiteOnly(q, l, q.mean[l]),
    stddev: finiteOnly(q, l, q.stddev[l]), nonfinite: q.nonfinite[l] };
}

/** The spread (standard deviation) of quantity `key`, per hidden layer (NaN: no finite value). Pure. */
export const spreads = (view, key) => Array.from(view.quantities[key].stddev, (v, l) => finiteOnly(view.quantities[key], l, v));

/** The outline of a histogram row as polyline points, x over [lo, hi] mapped by `x`, heights by `y`. */
function outline(row, lo, hi, x, y) {
  const bins = row.fraction.length, w = (hi - lo) / bins;
  const points = [`${x(lo)},${y(0)}`];
  row.fraction.forEach((f, b) => points.push(`${x(lo + b * w)},${y(f)}`, `${x(lo + (b + 1) * w)},${y(f)}`));
  points.push(`${x(hi)},${y(0)}`);
  return points.join(' ');
}

/**
 * Draws `view` (the worker's histograms) into `svg`, with `pinned` ({view,
 * label}) outlined if given. Column titles come from i18n (hist.col.<key>).
 */
export function drawHistograms(svg, view, pinned, i18n) {
  const { t, fmt } = i18n;
  const H = view.flat.length;
  const width = Math.max(300, boxSize(svg).width || 700);
  const rowH = Math.max(14, Math.min(46, 300 / Math.max(1, H)));
  const left = 26, right = 6, top = 18, bottom = 20, gap = 8;
  const height = top + H * rowH + bottom;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.style.height = `${height}px`;
  svg.replaceChildren();
  if (H === 0) return;
  const colW = (width - left - right - gap * (HISTOGRAM_COLUMNS.length - 1)) / HISTOGRAM_COLUMNS.length;
  const labelEvery = Math.ceil(14 / rowH);
  const showSpread = rowH >= 26 && colW >= 110;  // each cell's sd, where it fits
  for (let l = 0; l < H; l++)
    if (l % labelEvery === 0 || l === H - 1)
      svg.append(el('text', { x: left - 5, y: top + (l + 0.7) * rowH, 'text-anchor': 'end', class: 'tick' }, `${l + 1}`));
  HISTOGRAM_COLUMNS.forEach((key, c) => {
    const q = view.quantities[key];
    const p = pinned?.view.quantities[key];
    const lo = Math.min(q.lo, p ? p.lo : Infinity), hi = Math.max(q.hi, p ? p.hi : -Infinity);
    const x0 = left + c * (colW + gap);
    const x = (v) => x0 + colW * (v - lo) / (hi - lo);
    svg.append(el('text', { x: x0 + colW / 2, y: 12, 'text-anchor': 'middle', class: 'col' }, t(`hist.col.${key}`)));
    if (colW >= 120) {
      for (const v of [lo, 0, hi].filter((v, i, a) => v >= lo && v <= hi && a.indexOf(v) === i))
        svg.append(el('text', { x: x(v), y: height - 6, 'text-anchor': v === lo ? 'start' : v === hi ? 'end' : 'middle', class: 'tick' }, fmt.value(v)));
    } else {  // narrow: the range as one label
      svg.append(el('text', { x: x0 + colW / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' },
        lo === -hi ? `±${fmt.value(hi)}` : `${fmt.value(lo)} – ${fmt.value(hi)}`));
    }
    if (lo < 0 && hi > 0) svg.append(el('line', { x1: x(0), x2: x(0), y1: top, y2: top + H * rowH, class: 'zero' }));
    for (let l = 0; l < H; l++) {
      const row = rowOf(q, l);
      const other = p && l < p.mean.length ? rowOf(p, l) : null;
      const base = top + (l + 1) * rowH - 1;
      // Each histogram to its own peak: their widths are what compares (a spike
      // beside a wide one would otherwise flatten it).
      const heights = (r) => {
        const most = Math.max(...r.fraction, 1e-12);
        return (f) => base - (rowH - 3) * f / most;
      };
      svg.append(el('line', { x1: x0, x2: x0 + colW, y1: base, y2: base, class: 'base' }));
      const shape = el('polygon', { points: outline(row, q.lo, q.hi, x, heights(row)), fill: layerColor(l, H), class: 'live' });
      shape.append(el('title', {}, t('hist.cellTitle', { layer: l + 1, what: t(`hist.col.${key}`), mean: fmt.value(row.mean),
        spread: fmt.value(row.stddev) }) + (other ? ` · ${pinned.label}: ${fmt.value(other.stddev)}` : '')));
      svg.append(shape);
      if (other) svg.append(el('polyline', { points: outline(other, p.lo, p.hi, x, heights(other)), class: 'pinned' }));
      if (showSpread)
        svg.append(el('text', { x: x0 + colW - 1, y: base - rowH + 12, 'text-anchor': 'end', class: 'spread' },
          t('hist.spread', { spread: fmt.value(row.stddev) })));
      if (row.nonfinite > 0)
        svg.append(el('text', { x: x0 + colW - 2, y: base - rowH / 2 + 4, 'text-anchor': 'end', class: 'nonfinite' },
          t('hist.nonfinite', { share: fmt.percent(row.nonfinite) })));
    }
  });
}

/**
 * The histograms in words: the spread of the activations and of δ from hidden
 * layer 1 to the last, and the comparison's if one is pinned.
 */
export function histogramSentence(view, pinned, i18n) {
  const { t, fmt } = i18n;
  const list = (v) => i18n.list(v.map(fmt.value));
  let text = t('hist.sentence', { n: view.flat.length, activation: list(spreads(view, 'activation')),
    delta: list(spreads(view, 'delta')) });
  if (pinned) text += `${i18n.lang === 'zh' ? '' : ' '}${t('hist.sentencePinned', { label: pinned.label, activation: list(spreads(pinned.view, 'activation')),
    delta: list(spreads(pinned.view, 'delta')) })}`;
  return text;
}
