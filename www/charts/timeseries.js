// A time series chart over training steps, a thin wrapper around uPlot: one series
// per line, optional log y, points appended as they arrive and drawn on demand.
import uPlot from '../vendor/uPlot.esm.js';
import { axisLabels } from './format.js';

const MAX_POINTS = 3000;  // beyond this, every other point is dropped

// Log axes: whole decades, computed here. (uPlot's own log splits loop forever on
// ranges such as 1e-28 to 1, which deep sigmoid networks reach.)
function decadeRange(u, min, max) {
  if (!(min > 0 && max > 0 && Number.isFinite(max))) return [1e-3, 1];
  const lo = Math.floor(Math.log10(min)), hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  return [10 ** lo, 10 ** hi];
}

function decadeSplits(u, axis, min, max) {
  if (!(min > 0 && max > 0 && Number.isFinite(max))) return [];
  const lo = Math.round(Math.log10(min)), hi = Math.round(Math.log10(max));
  const step = Math.max(1, Math.ceil((hi - lo) / 6));
  const splits = [];
  for (let e = lo; e <= hi; e += step) splits.push(10 ** e);
  return splits;
}

export class TimeSeries {
  /**
   * @param {HTMLElement} el
   * @param {{log?: boolean, y2?: boolean, height?: number, spanGaps?: boolean}} options (spanGaps: lines
   *   run across x values a series has no point at, for series measured at different steps)
   */
  constructor(el, options) {
    this.el = el;
    this.options = options;
    this.plot = null;
    this.data = [[]];
    this.dirty = false;
    new ResizeObserver(() => this.#resize()).observe(el);
  }

  /**
   * Starts over with these series: [{label, color, scale?: 'y'|'y2', dash?}],
   * the axes' titles {x, y, y2} and the number format (i18n.js's fmt, with
   * `time` for the x axis's ticks).
   */
  reset(series, labels, fmt) {
    this.series = series;
    this.data = [[], ...series.map(() => [])];
    this.plot?.destroy();
    const { log, y2 } = this.options;
    const axes = [
      { label: labels.x, size: 36, labelSize: 18, values: (u, ticks) => axisLabels(ticks, false, fmt.time ?? fmt.value) },
      { label: labels.y, scale: 'y', size: 60, labelSize: 18,
        values: (u, ticks) => axisLabels(ticks, log, fmt.value),
        ...(log ? { splits: decadeSplits } : {}) },
    ];
    const scales = { x: { time: false }, y: log ? { distr: 3, log: 10, range: decadeRange } : { auto: true } };
    if (y2) {
      axes.push({ label: labels.y2, scale: 'y2', side: 1, size: 50, labelSize: 18, grid: { show: false },
        values: (u, ticks) => axisLabels(ticks, false, fmt.percentAxis ?? fmt.value) });
      scales.y2 = { range: [0, 1] };
    }
    this.plot = new uPlot({
      width: Math.max(240, this.el.clientWidth),
      height: this.options.height ?? 220,
      scales,
      axes,
      legend: { show: series.length <= 12, live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{ label: labels.x }, ...series.map((s) => ({
        label: s.label, stroke: s.color, width: 1.5, scale: s.scale ?? 'y', dash: s.dash,
        // Dots while there are too few points for a line (e.g. only the initial one).
        points: { show: (u) => u.data[0].length <= 2, size: 6 }, spanGaps: Boolean(this.options.spanGaps),
      }))],
    }, this.data, this.el);
    this.dirty = false;
  }

  /** Adds one point: x and one y per series (null where undefined or, on log scales, ≤ 0). */
  append(x, ys) {
    if (!this.plot) return;
    const log = this.options.log;
    this.data[0].push(x);
    ys.forEach((y, i) => {
      // On a log axis, 0 and values under 1e-300 (where uPlot's decade splits
      // underflow) are left out rather than drawn.
      const ok = Number.isFinite(y) && (!log || this.series[i].scale === 'y2' || y > 1e-300);
      this.data[i + 1]?.push(ok ? y : null);
    });
    if (this.data[0].length > MAX_POINTS) this.data = this.data.map((col) => col.filter((_, k) => k % 2 === 0));
    this.dirty = true;
  }

  /** Replaces every point: xs ascending, one column per series (null where a series has no value at that x). */
  replace(xs, columns) {
    if (!this.plot) return;
    this.data = [xs, ...columns];
    this.dirty = true;
  }

  /** Redraws if points arrived since the last draw. */
  /** Redraws if new points arrived; returns whether it did. */
  draw() {
    if (!this.plot || !this.dirty) return false;
    this.plot.setData(this.data);
    this.dirty = false;
    return true;
  }

  #resize() {
    if (this.plot) this.plot.setSize({ width: Math.max(240, this.el.clientWidth), height: this.options.height ?? 220 });
  }
}
