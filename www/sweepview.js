// The depth sweep's view: its controls (the deepest network, the training
// budget, run and stop), each depth's progress, and two charts against depth:
// the test accuracy after training, and hidden layer 1's speed at
// initialization (log). The rows are also a table, the charts' text form.
import { DepthSweep } from './sweep.js';
import { logAxis } from './charts/logaxis.js';
import { freshCanvas, svgElement as el } from './charts/svg.js';

export const SWEEP_DEPTHS = [2, 3, 4, 5, 6, 8, 10, 15, 20];  // the deepest network offered
export const SWEEP_STEPS = [200, 500, 1000, 3000, 10000];     // training steps per depth
export const SWEEP_DEFAULTS = { to: 6, steps: 1000 };

/** The best test accuracy and its depth, and the first layer's slow-down from the shallowest to the deepest. Pure. */
export function sweepSummary(rows) {
  const usable = rows.filter((r) => Number.isFinite(r.testAccuracy) && !r.diverged);
  if (usable.length === 0) return null;
  const best = usable.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a));
  const deepest = rows.at(-1), shallowest = rows[0];
  return { best, deepest, slowdown: shallowest.speedFirstInit / deepest.speedFirstInit };
}

/** One chart of `values` against `depths` into `svg`: linear (accuracy) or log (speed). */
function drawAgainstDepth(svg, depths, values, { log, label, format }, i18n) {
  const { width, height } = freshCanvas(svg, { width: [240, 400], height: [160, 200] });
  const left = 52, right = 10, top = 10, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const n = depths.length;
  const x = (i) => left + (n === 1 ? plotW / 2 : plotW * i / (n - 1));
  let y;
  if (log) {
    y = logAxis(svg, values, { x1: left, x2: width - right, top, plotH });
  } else {
    const finite = values.filter(Number.isFinite);
    const lo = Math.max(0, Math.min(...finite) - 0.05), hi = Math.min(1, Math.max(...finite) + 0.02);
    y = finite.length ? (v) => top + plotH * (1 - (v - lo) / Math.max(1e-9, hi - lo)) : null;
    if (y) for (const v of [lo, hi]) {
      svg.append(el('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
      svg.append(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, format(v)));
    }
  }
  if (!y) return;
  const pts = values.map((v, i) => (Number.isFinite(v) && (!log || v > 0) ? [x(i), y(v)] : null));
  const line = pts.filter(Boolean).map(([a, b]) => `${a},${b}`).join(' ');
  if (pts.filter(Boolean).length > 1) svg.append(el('polyline', { points: line, class: 'line' }));
  pts.forEach((p, i) => {
    if (!p) return;
    const dot = el('circle', { cx: p[0], cy: p[1], r: 4, class: 'dot' });
    dot.append(el('title', {}, `${i18n.t('sweep.depthN', { n: depths[i] })}: ${format(values[i])}`));
    svg.append(dot);
    svg.append(el('text', { x: p[0], y: height - bottom + 16, 'text-anchor': 'middle', class: 'tick' }, String(depths[i])));
  });
  svg.append(el('text', { x: left + plotW / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, label));
}

export class SweepView {
  /**
   * @param {{to: HTMLSelectElement, steps: HTMLSelectElement, run: HTMLButtonElement, stop: HTMLButtonElement,
   *   progress: HTMLElement, accuracy: SVGElement, speed: SVGElement, sentence: HTMLElement, table: HTMLTableElement}} els
   * @param {{startWorker: () => Worker, initPayload: () => Promise<object>, cores: number,
   *   beside: () => number}} env
   * @param {() => object} state the page's settings now
   * @param {() => object} i18n the wording in use
   * @param {(e: Error) => void} failed shows a sweep's failure
   */
  constructor(els, env, state, i18n, failed) {
    Object.assign(this, els);
    this.sweep = new DepthSweep(env);
    this.state = state;
    this.i18n = i18n;
    this.rows = [];
    this.to.replaceChildren(...SWEEP_DEPTHS.map((d) => new Option(String(d), String(d))));
    this.to.value = String(SWEEP_DEFAULTS.to);
    this.run.addEventListener('click', () => this.start({ to: Number(this.to.value), steps: Number(this.steps.value) }).catch(failed));
    this.stop.addEventListener('click', () => this.sweep.stop());
    this.relabel();
  }

  /** Runs a sweep from 1 to `to` hidden layers, `steps` steps each, with the page's settings. Resolves with its rows. */
  async start({ from = 1, to = SWEEP_DEFAULTS.to, steps = SWEEP_DEFAULTS.steps } = {}) {
    const token = {};  // a newer start replaces this one: its results and controls then are the newer one's
    this.token = token;
    this.rows = [];
    const bars = new Map();
    this.progress.replaceChildren(...Array.from({ length: to - from + 1 }, (_, i) => {
      const depth = from + i;
      const label = document.createElement('label');
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = 0;
      bars.set(depth, bar);
      label.append(`${depth} `, bar);
      return label;
    }));
    this.run.disabled = true;
    this.stop.hidden = false;
    let rows = [];
    try {
      rows = await this.sweep.run({ state: this.state(), from, to, steps }, ({ depth, fraction }) => {
        const bar = bars.get(depth);
        if (bar && this.token === token) bar.value = fraction;
      });
    } catch (e) {
      rows = e.rows ?? [];
      throw e;
    } finally {
      if (this.token === token) {
        this.rows = rows;
        this.run.disabled = false;
        this.stop.hidden = true;
        this.render();
      }
    }
    return rows;
  }

  relabel() {
    const i18n = this.i18n();
    const keep = this.steps.value || String(SWEEP_DEFAULTS.steps);
    this.steps.replaceChildren(...SWEEP_STEPS.map((n) => new Option(i18n.t('sweep.stepsN', { n }), String(n))));
    this.steps.value = keep;
    this.render();
  }

  render() {
    const i18n = this.i18n();
    const { t, fmt } = i18n;
    const rows = this.rows;
    const depths = rows.map((r) => r.depth);
    // Nothing to plot before a sweep: no empty axes.
    this.accuracy.parentElement.hidden = rows.length === 0;
    drawAgainstDepth(this.accuracy, depths, rows.map((r) => (r.diverged ? NaN : r.testAccuracy)),
      { log: false, label: t('sweep.accuracyAxis'), format: fmt.percent }, i18n);
    drawAgainstDepth(this.speed, depths, rows.map((r) => r.speedFirstInit),
      { log: true, label: t('sweep.speedAxis'), format: fmt.value }, i18n);
    const s = sweepSummary(rows);
    const layers = (n) => t('sweep.depthN', { n });
    this.sentence.textContent = s ? t('sweep.sentence', { steps: rows[0].steps, best: fmt.percent(s.best.testAccuracy),
      bestLayers: layers(s.best.depth), deepestLayers: layers(s.deepest.depth), deepestAccuracy: fmt.percent(s.deepest.testAccuracy),
      slowdown: fmt.ratio(s.slowdown), shallowestLayers: layers(rows[0].depth) }) : rows.length ? t('sweep.noneLearned') : t('sweep.intro');
    const head = [t('sweep.col.depth'), t('sweep.col.test'), t('sweep.col.train'), t('sweep.col.speedFirst'), t('sweep.col.speedLast')];
    const tr = (cells, tag) => {
      const row = document.createElement('tr');
      for (const c of cells) {
        const cell = document.createElement(tag);
        cell.textContent = c;
        row.append(cell);
      }
      return row;
    };
    this.table.replaceChildren(...(rows.length ? [tr(head, 'th'), ...rows.map((r) => tr([String(r.depth),
      r.diverged ? t('sweep.diverged') : fmt.percent(r.testAccuracy), fmt.percent(r.trainAccuracy),
      fmt.value(r.speedFirstInit), fmt.value(r.speedLastInit)], 'td'))] : []));
  }
}
