// The hero view: each hidden layer's learning speed as a bar on a log scale,
// input side on the left. Drawn as SVG (text stays crisp and selectable). At a
// slow pace each change of the bars is animated (in log space), unless the
// reader prefers reduced motion.
import { layerColor } from './colors.js';
import { freshCanvas, svgElement as el } from './svg.js';

/** Values between `a` and `b` at f ∈ [0, 1], in log space where both are positive. */
function between(a, b, f) {
  return a.map((x, i) => (x > 0 && b[i] > 0 && Number.isFinite(x) && Number.isFinite(b[i])
    ? Math.exp(Math.log(x) + (Math.log(b[i]) - Math.log(x)) * f) : b[i]));
}

export class SpeedBars {
  /**
   * @param {SVGElement} svg
   * @param {'speed'|'step'} kind what a bar is: its words are bars.what.<kind>
   *   and bars.empty.<kind> (i18n.js)
   */
  constructor(svg, kind = 'speed') {
    this.svg = svg;
    this.kind = kind;
    this.shown = null;   // the values drawn last (mid-animation: in between)
    this.target = null;  // the values measured last
    this.frame = 0;      // the animation frame pending, or 0
  }

  /**
   * values: one per hidden layer, input side first. ghost: optional earlier values
   * drawn as outlines (e.g. the speeds before pretraining). With `animateMs` the
   * bars move there from where they are over that many milliseconds.
   */
  render(speeds, ghost, i18n, { animateMs = 0 } = {}) {
    const same = this.target && this.target.length === speeds.length && this.target.every((v, i) => Object.is(v, speeds[i]));
    // The same values again while they are being animated to: let the animation finish.
    if (same && this.frame && animateMs > 0) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const from = this.shown;
    this.target = speeds.slice();
    if (!(animateMs > 0) || !from || from.length !== speeds.length || same) {
      this.#draw(speeds, ghost, i18n);
      return;
    }
    const start = performance.now();
    const tick = () => {
      const f = Math.min(1, (performance.now() - start) / animateMs);
      const eased = f * f * (3 - 2 * f);
      this.#draw(f < 1 ? between(from, speeds, eased) : speeds, ghost, i18n);
      this.frame = f < 1 ? requestAnimationFrame(tick) : 0;
    };
    tick();
  }

  /** Draws bars of height `speeds`; their labels and titles are the measured values (this.target). */
  #draw(speeds, ghost, i18n) {
    this.shown = speeds.slice();
    const measured = this.target ?? speeds;
    const { t, fmt } = i18n;
    const formatValue = fmt.value;
    const svg = this.svg;
    const { width, height } = freshCanvas(svg, { width: [280, 600], height: [160, 220] });
    const n = speeds.length;
    const positive = [...speeds, ...(ghost ?? [])].filter((s) => s > 0 && Number.isFinite(s));
    const left = 52, right = 8, top = 18, bottom = 30;
    const plotW = width - left - right, plotH = height - top - bottom;
    if (positive.length === 0) {
      svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' },
        t(`bars.empty.${this.kind}`)));
      return;
    }
    // Half a decade of room below the slowest bar, so that it stays visible.
    let lo = Math.floor(Math.log10(Math.min(...positive)) - 0.5);
    let hi = Math.ceil(Math.log10(Math.max(...positive)));
    if (hi - lo < 2) lo = hi - 2;
    const y = (v) => top + plotH * (1 - (Math.log10(v) - lo) / (hi - lo));
    // Decade grid lines and labels.
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    for (let d = lo; d <= hi; d += step) {
      const yy = y(10 ** d);
      svg.append(el('line', { x1: left, x2: width - right, y1: yy, y2: yy, class: 'grid' }));
      svg.append(el('text', { x: left - 6, y: yy + 4, 'text-anchor': 'end', class: 'tick' }, `1e${d}`));
    }
    const slot = plotW / n;
    const barW = Math.max(2, Math.min(48, slot * 0.7));
    const labelEvery = Math.ceil(n / Math.max(1, Math.floor(plotW / 34)));
    speeds.forEach((s, i) => {
      const cx = left + slot * (i + 0.5);
      const valid = s > 0 && Number.isFinite(s);
      const yy = valid ? y(s) : top + plotH;
      const bar = el('rect', { x: cx - barW / 2, y: yy, width: barW, height: Math.max(1, top + plotH - yy),
        fill: layerColor(i, n), class: 'bar' });
      bar.append(el('title', {}, t('bars.title', { layer: i + 1, what: t(`bars.what.${this.kind}`), value: formatValue(measured[i]) })));
      svg.append(bar);
      const g = ghost?.[i];
      if (g > 0 && Number.isFinite(g)) {
        const gy = y(g);
        svg.append(el('rect', { x: cx - barW / 2 - 2, y: gy, width: barW + 4, height: Math.max(1, top + plotH - gy), class: 'ghost' }));
      }
      // Every labelEvery-th layer and the last, unless the last would crowd it.
      if ((i % labelEvery === 0 && (i === n - 1 || n - 1 - i >= labelEvery)) || i === n - 1) {
        svg.append(el('text', { x: cx, y: height - bottom + 16, 'text-anchor': 'middle', class: 'tick' }, `${i + 1}`));
        if (n <= 12 && slot >= 42) svg.append(el('text', { x: cx, y: yy - 4, 'text-anchor': 'middle', class: 'value' }, formatValue(measured[i])));
      }
    });
    svg.append(el('text', { x: left + plotW / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' },
      t('bars.axis')));
  }
}
