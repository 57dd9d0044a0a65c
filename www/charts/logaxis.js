// A log-scale y axis for the per-layer SVG views (the chain of factors, theory
// against measurement): whole decades around the values, a grid line and label
// per decade (every other one when there are many), the line at 1 marked.
import { freshCanvas, svgElement as el } from './svg.js';

/**
 * Draws the decades of `values` (the positive, finite ones; at least two
 * decades) into `svg` between y = top and y = top + plotH, grid lines from x1 to
 * x2 and labels right-aligned at x1 − 6. Returns y(v), or null when no value is
 * positive and finite.
 */
export function logAxis(svg, values, { x1, x2, top, plotH }) {
  const usable = values.filter((v) => v > 0 && Number.isFinite(v));
  if (usable.length === 0) return null;
  let lo = Math.floor(Math.log10(Math.min(...usable)));
  const hi = Math.ceil(Math.log10(Math.max(...usable)));
  if (hi - lo < 2) lo = hi - 2;
  const y = (v) => top + plotH * (1 - (Math.log10(v) - lo) / (hi - lo));
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let d = lo; d <= hi; d += step) {
    svg.append(el('line', { x1, x2, y1: y(10 ** d), y2: y(10 ** d), class: d === 0 ? 'unit' : 'grid' }));
    svg.append(el('text', { x: x1 - 6, y: y(10 ** d) + 4, 'text-anchor': 'end', class: 'tick' }, `1e${d}`));
  }
  return y;
}

/**
 * The frame of a per-layer chart on a log axis (the chain of factors, theory
 * against measurement): n hidden layers' slots over the width of `svg`, the
 * decades of `values`, the layer numbers under the slots and the axis's title.
 * Returns {y, cx, slot, base} (base: the plot's bottom edge) to draw in, or null after writing `empty` in the middle
 * (fewer than two layers, or nothing positive to plot).
 */
export function layerFrame(svg, n, values, { empty, axis }) {
  const { width, height } = freshCanvas(svg, { width: [280, 600], height: [180, 240] });
  const left = 52, right = 8, top = 12, bottom = 30;
  const plotW = width - left - right, plotH = height - top - bottom;
  const y = n < 2 ? null : logAxis(svg, values, { x1: left, x2: width - right, top, plotH });
  if (!y) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' }, empty));
    return null;
  }
  const slot = plotW / n;
  const cx = (i) => left + slot * (i + 0.5);
  const labelEvery = Math.ceil(n / Math.max(1, Math.floor(plotW / 34)));
  for (let i = 0; i < n; i++)
    if ((i % labelEvery === 0 && n - 1 - i >= labelEvery) || i === n - 1)
      svg.append(el('text', { x: cx(i), y: height - bottom + 16, 'text-anchor': 'middle', class: 'tick' }, `${i + 1}`));
  svg.append(el('text', { x: left + plotW / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, axis));
  return { y, cx, slot, base: top + plotH };
}
