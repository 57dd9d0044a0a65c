// The SVG views' two helpers: an element with attributes and optional text
// (textContent: never markup), and a canvas sized to its box and cleared.
import { boxSize } from './boxsize.js';

const SVG = 'http://www.w3.org/2000/svg';

export function svgElement(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Sizes `svg`'s coordinate system to its box on the page (at least `min`, the
 * default before it is laid out) and clears it for a fresh drawing. Returns
 * {width, height}. A `height` of a number is fixed.
 */
export function freshCanvas(svg, { width: [minW, defW], height }) {
  const box = boxSize(svg);
  const width = Math.max(minW, box.width || defW);
  const h = typeof height === 'number' ? height : Math.max(height[0], box.height || height[1]);
  svg.setAttribute('viewBox', `0 0 ${width} ${h}`);
  svg.replaceChildren();
  return { width, height: h };
}
