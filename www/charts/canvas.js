import { boxSize } from './boxsize.js';

// A canvas sized to its CSS box at the device's pixel ratio, cleared, with a
// context that draws in CSS pixels. `opts` overrides the ratio and the size: the
// PNG export draws a copy at 2× (export.js).
export function setupCanvas(canvas, minWidth = 200, minHeight = 160, opts = {}) {
  const dpr = opts.ratio ?? (window.devicePixelRatio || 1);
  const box = opts.width === undefined || opts.height === undefined ? boxSize(canvas) : null;
  const w = Math.max(minWidth, opts.width ?? box.width), h = Math.max(minHeight, opts.height ?? box.height);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  if (opts.background) {
    g.fillStyle = opts.background;
    g.fillRect(0, 0, w, h);
  }
  return { g, w, h };
}
