// A/B comparison: a second network (B) trained beside the page's own (A) in a
// worker of its own, on the same data and seed, B being A with the settings of
// the `b` page key changed (e.g. activation:relu,init:he_normal). Play, Pause,
// Step and Reset drive both. The view overlays their speed bars (B as outlines)
// and puts their loss and test accuracy in one chart.
import { WorkerClient } from './client.js';
import { SpeedBars } from './charts/speedbars.js';
import { TimeSeries } from './charts/timeseries.js';

/** One-click comparisons: B's changes from A. */
export const COMPARISONS = [
  { id: 'relu-he', changes: 'activation:relu,init:he_normal,biasInit:zeros' },
  { id: 'batch-norm', changes: 'batchNorm:1' },
  { id: 'residual', changes: 'residual:1' },
  { id: 'xavier', changes: 'init:xavier_normal,biasInit:zeros' },
];

/** The chart's merged columns from A's and B's history points ({step, loss, testAccuracy}). Pure. */
export function mergedColumns(a, b) {
  const xs = [...new Set([...a.map((p) => p.step), ...b.map((p) => p.step)])].sort((x, y) => x - y);
  const at = (points, key) => {
    const byStep = new Map(points.map((p) => [p.step, p[key]]));
    return xs.map((x) => (byStep.has(x) && Number.isFinite(byStep.get(x)) ? byStep.get(x) : null));
  };
  return { xs, columns: [at(a, 'loss'), at(b, 'loss'), at(a, 'testAccuracy'), at(b, 'testAccuracy')] };
}

export class ABView {
  /**
   * @param {{bars: SVGElement, chart: HTMLElement, sentence: HTMLElement, buttons: HTMLElement,
   *   input: HTMLInputElement, stop: HTMLButtonElement}} els
   * @param {{startWorker: () => Worker, initPayload: () => Promise<object>}} env
   * @param {(b: string) => void} setB sets the `b` page key (main.js applies it)
   * @param {(e: Error) => void} failed reports B's failures
   * @param {() => void} changed asks the page to draw again (B moved)
   */
  constructor(els, env, setB, failed, changed) {
    Object.assign(this, els);
    this.env = env;
    this.failed = failed;
    this.changed = changed;
    this.client = null;
    this.ready = null;
    this.snap = null;     // B's newest snapshot
    this.points = [];     // B's history
    this.changes = '';    // the `b` B was configured with
    this.bars = new SpeedBars(els.bars, 'speed');
    this.chart = new TimeSeries(els.chart, { y2: true, spanGaps: true });
    this.chartLang = null;
    for (const c of COMPARISONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.comparison = c.id;
      button.addEventListener('click', () => setB(c.changes));
      this.buttons.append(button);
    }
    this.input.addEventListener('change', () => setB(this.input.value));
    this.stop.addEventListener('click', () => setB(''));
  }

  get active() { return this.client !== null; }

  /** A new worker for B: loaded, and loaded again if it dies (then `resync` configures it). */
  #start() {
    const client = new WorkerClient(this.env.startWorker);
    const load = () => this.env.initPayload().then((payload) => client.request('init', payload));
    client.on('stats', (snap) => { if (this.client === client) this.#receive(snap); });
    client.on('fault', (e) => this.failed(e));
    client.on('restart', () => {
      this.ready = load();
      this.configured = false;
      this.resync?.();
    });
    this.client = client;
    this.configured = false;
    this.ready = load();
  }

  /**
   * Trains B as A (`state`) with `changes` ({key: value}, from the `b` key
   * `text`), playing if A plays once B is ready (`playing()` is read then: the
   * reader may press Play while B starts); none: B stops. Resolves with whether
   * B is a new comparison (false if B was stopped or replaced meanwhile).
   */
  async sync(state, text, changes, { playing = () => false } = {}) {
    if (!text) {
      this.client?.close();
      this.client = null;
      this.snap = null;
      this.points = [];
      this.changes = '';
      this.changed();
      return false;
    }
    if (!this.client) this.#start();
    const client = this.client;
    this.resync = () => this.sync(state, text, changes, { playing }).catch(this.failed);
    try {
      await this.ready;
      const snap = await client.configure({ ...state, ...changes, b: '', show: 'bars', embed: false, autoplay: false });
      if (!snap || this.client !== client) return false;
      const fresh = text !== this.changes;
      if (snap.rebuilt || fresh) this.points = [];
      this.changes = text;
      this.configured = true;
      this.#receive(snap);
      if (playing()) await this.command('play');
      return fresh;
    } catch (e) {
      if (this.client !== client || e.code === 'worker_gone') return false;  // stopped meanwhile: nothing to say
      throw e;
    }
  }

  /** Play, pause, step or reset for B too, once it is configured (its reply is a snapshot, or {playing}). */
  async command(type, payload) {
    const client = this.client;
    if (!client || !this.configured) return;
    const r = await client.request(type, payload);
    if (this.client === client && r && r.widths) this.#receive(r);
  }

  #receive(snap) {
    if (!snap.widths) return;  // not an MLP's (B compares MLPs: state.js refuses a recurrent B)
    if (snap.reset) this.points = [];
    this.snap = snap;
    this.points.push(...snap.history);
    this.changed();
  }

  /** Draws A (its snapshot and history points) against B. */
  render(snapA, pointsA, state, i18n) {
    const { t, fmt } = i18n;
    for (const b of this.buttons.querySelectorAll('button')) {
      b.textContent = t(`ab.comparison.${b.dataset.comparison}`);
      b.setAttribute('aria-pressed', String(COMPARISONS.find((c) => c.id === b.dataset.comparison).changes === state.b));
    }
    if (document.activeElement !== this.input) this.input.value = state.b;
    this.stop.hidden = !state.b;
    // A locked page offers no settings: the comparison is the link's.
    for (const control of [...this.buttons.querySelectorAll('button'), this.input, this.stop]) control.disabled = Boolean(state.lock);
    if (!snapA) return;
    const H = snapA.widths.length - 2;
    const a = Array.from(snapA.probe.speed.subarray(0, H));
    const b = this.snap ? Array.from(this.snap.probe.speed.subarray(0, this.snap.widths.length - 2)) : null;
    this.bars.render(a, b, i18n);
    if (this.chartLang !== i18n.lang) {
      this.chart.reset([
        { label: t('ab.lossA'), color: '#333' }, { label: t('ab.lossB'), color: '#D55E00', dash: [6, 3] },
        { label: t('ab.testA'), color: '#0072B2', scale: 'y2' }, { label: t('ab.testB'), color: '#56B4E9', scale: 'y2', dash: [6, 3] },
      ], { x: t('chart.x.steps'), y: t('chart.loss.y'), y2: t('chart.loss.y2') }, { ...fmt, time: fmt.int });
      this.chartLang = i18n.lang;
      this.chartKey = null;  // a new chart: its data again
    }
    // Merged again only when either history grew (render runs on every snapshot of A).
    const key = `${this.chartLang}:${pointsA.length}:${pointsA.at(-1)?.step}:${this.points.length}:${this.points.at(-1)?.step}`;
    if (key !== this.chartKey) {
      this.chartKey = key;
      const { xs, columns } = mergedColumns(pointsA, this.points);
      this.chart.replace(xs, columns);
    }
    this.chart.draw();
    if (!state.b) {
      this.sentence.textContent = t('ab.intro');
      return;
    }
    if (!this.snap) {
      this.sentence.textContent = t('ab.starting');
      return;
    }
    const ratio = (s) => fmt.ratio(s.at(-1) / s[0]);
    const test = (s) => (s.test ? fmt.percent(s.test.accuracy) : '–');
    // A run that diverged stops where it was: say so, or its frozen numbers read as a slow run.
    const diverged = [['A', snapA], ['B', this.snap]].filter(([, s]) => s.diverged)
      .map(([name, s]) => t('ab.diverged', { name, step: s.diverged.step }));
    this.sentence.textContent = [t('ab.sentence', { changes: state.b, stepA: snapA.step, stepB: this.snap.step,
      ratioA: ratio(a), ratioB: ratio(b), testA: test(snapA), testB: test(this.snap) }), ...diverged].join(' ');
  }
}
