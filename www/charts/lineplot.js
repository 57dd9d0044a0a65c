// A time series drawn on a canvas at any pixel ratio, for the PNG export (the
// live charts are uPlot's, which draws at the screen's ratio only). Lines on a
// linear or log y axis, an optional second y axis in [0, 1], and a legend that
// names every line next to its colour and dash.
import { setupCanvas } from './canvas.js';

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{title: string, xLabel: string, yLabel: string, y2Label?: string, log?: boolean,
 *   x: number[], series: {label: string, color: string, dash?: number[], y2?: boolean, values: number[]}[],
 *   fmt: {value: Function, int: Function}, xFormat?: Function}} plot  xFormat: the x ticks' (steps: fmt.int)
 * @param {{ratio: number, width: number, height: number}} size
 */
export function drawLinePlot(canvas, plot, size) {
  const { g, w, h } = setupCanvas(canvas, 200, 160, { ...size, background: '#fff' });
  const legendRows = Math.ceil(plot.series.length / 6);
  const left = 70, right = plot.y2Label ? 60 : 20, top = 34 + 16 * legendRows, bottom = 46;
  const pw = w - left - right, ph = h - top - bottom;
  // Ranges by loops: a deep network's history has too many values to spread into Math.min.
  let x0 = 0, x1 = 1;
  for (const v of plot.x) if (Number.isFinite(v)) { x0 = Math.min(x0, v); x1 = Math.max(x1, v); }
  let lo = Infinity, hi = -Infinity;
  for (const s of plot.series) {
    if (s.y2) continue;
    for (const v of s.values) if (Number.isFinite(v) && (!plot.log || v > 0)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (lo > hi) [lo, hi] = [plot.log ? 1e-3 : 0, 1];
  if (plot.log) {
    lo = Math.floor(Math.log10(lo));
    hi = Math.max(lo + 1, Math.ceil(Math.log10(hi)));
  } else if (hi === lo) {
    hi = lo + 1;
  }
  const X = (v) => left + ((v - x0) / (x1 - x0 || 1)) * pw;
  const Y = (v) => top + ph * (1 - ((plot.log ? Math.log10(v) : v) - lo) / (hi - lo));
  const Y2 = (v) => top + ph * (1 - v);
  g.font = '15px system-ui, sans-serif';
  g.fillStyle = '#1d1d22';
  g.textAlign = 'left';
  g.fillText(plot.title, left, 20);
  // Grid and ticks.
  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#e4e4ea';
  g.lineWidth = 1;
  const yTicks = plot.log
    ? Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).filter((_, k, a) => a.length <= 8 || k % Math.ceil(a.length / 8) === 0)
    : Array.from({ length: 6 }, (_, k) => lo + ((hi - lo) * k) / 5);
  g.textAlign = 'right';
  for (const tv of yTicks) {
    const yy = plot.log ? top + ph * (1 - (tv - lo) / (hi - lo)) : Y(tv);
    g.beginPath(); g.moveTo(left, yy); g.lineTo(left + pw, yy); g.stroke();
    g.fillStyle = '#55556a';
    g.fillText(plot.log ? `1e${tv}` : plot.fmt.value(tv), left - 6, yy + 4);
  }
  g.textAlign = 'center';
  for (let k = 0; k <= 5; k++) {
    const xv = x0 + ((x1 - x0) * k) / 5;
    g.fillText((plot.xFormat ?? plot.fmt.value)(plot.xFormat === plot.fmt.int ? Math.round(xv) : Number(xv.toPrecision(3))), X(xv), top + ph + 16);
  }
  if (plot.y2Label) {
    g.textAlign = 'left';
    for (let k = 0; k <= 5; k++) g.fillText(plot.fmt.value(k / 5), left + pw + 6, Y2(k / 5) + 4);
  }
  g.strokeStyle = '#888';
  g.strokeRect(left, top, pw, ph);
  // Axis titles.
  g.fillStyle = '#1d1d22';
  g.font = '12px system-ui, sans-serif';
  g.textAlign = 'center';
  g.fillText(plot.xLabel, left + pw / 2, h - 10);
  g.save();
  g.translate(16, top + ph / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(plot.yLabel, 0, 0);
  g.restore();
  if (plot.y2Label) {
    g.save();
    g.translate(w - 12, top + ph / 2);
    g.rotate(Math.PI / 2);
    g.fillText(plot.y2Label, 0, 0);
    g.restore();
  }
  // Lines.
  g.save();
  g.beginPath();
  g.rect(left, top, pw, ph);
  g.clip();
  for (const s of plot.series) {
    g.strokeStyle = s.color;
    g.lineWidth = 1.8;
    g.setLineDash(s.dash ?? []);
    g.beginPath();
    let drawing = false;
    s.values.forEach((v, i) => {
      const ok = Number.isFinite(v) && Number.isFinite(plot.x[i]) && (s.y2 || !plot.log || v > 0);
      if (!ok) { drawing = false; return; }
      const px = X(plot.x[i]), py = s.y2 ? Y2(v) : Y(v);
      if (drawing) g.lineTo(px, py); else g.moveTo(px, py);
      drawing = true;
    });
    g.stroke();
  }
  g.restore();
  // Legend: a short stroke in each line's colour and dash, and its name.
  g.font = '12px system-ui, sans-serif';
  g.textAlign = 'left';
  const slot = pw / Math.min(6, plot.series.length || 1);
  plot.series.forEach((s, i) => {
    const lx = left + slot * (i % 6), ly = 30 + 16 * Math.floor(i / 6);
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(s.dash ?? []);
    g.beginPath(); g.moveTo(lx, ly - 4); g.lineTo(lx + 22, ly - 4); g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#1d1d22';
    g.fillText(s.label, lx + 27, ly);
  });
}
