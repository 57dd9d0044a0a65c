// A log-scale y axis for the per-layer SVG views (the chain of factors, theory
// against measurement): whole decades around the values, a grid line and label
// per decade (every other one when there are many), the line at 1 marked.
import { svgElement as el } from './svg.js';

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
