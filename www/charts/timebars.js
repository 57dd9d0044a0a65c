// The gradient through time of one recurrent cell: a bar per step t = 1..T of
// ‖∂L/∂h_t‖ on a log axis, the same axis for both cells (the values of both
// decide its decades), so that the RNN's vanishing and the LSTM's kept gradient
// read side by side.
import { layerFrame } from './logaxis.js';
import { svgElement as el } from './svg.js';

/**
 * @param {SVGElement} svg
 * @param {number[]} values ‖∂L/∂h_t‖, t = 1..T
 * @param {number[]} scale every value the shared axis must hold (both cells')
 * @param {{color: string, empty: string, axis: string}} opts
 */
export function drawTimeBars(svg, values, scale, { color, empty, axis }) {
  const frame = layerFrame(svg, values.length, scale, { empty, axis });
  if (!frame) return;
  const { y, cx, slot, base } = frame;
  const w = Math.max(1, Math.min(14, slot * 0.7));
  values.forEach((v, i) => {
    if (!(v > 0 && Number.isFinite(v))) return;  // an underflow to 0 (or a NaN): no bar
    const top = Math.min(base, y(v));
    svg.append(el('rect', { x: cx(i) - w / 2, y: top, width: w, height: Math.max(1, base - top), fill: color, class: 'time-bar' }));
  });
}
