// gradlab's page: wires the state, the worker client, the controls and the views,
// and exposes the script API on window.gradlab. It renders on
// requestAnimationFrame from the newest snapshot only (stale ones are dropped).
// The same script runs the served page and the offline file: only assets.js
// (where the worker, the module and the digits come from) differs.
import * as assets from './assets.js';
import { WorkerClient } from './client.js';
import { Controls } from './controls.js';
import { layerColor } from './charts/colors.js';
import { drawBoundary, drawDigits } from './charts/dataview.js';
import { chainOf, chainSentence, drawChain } from './charts/chain.js';
import { NeuronView } from './neuronview.js';
import { HistogramView, PhiView } from './mechanismviews.js';
import { rowOf } from './charts/histograms.js';
import { PhaseView, TheoryStore, TheoryView } from './theoryviews.js';
import { predictionOf } from './charts/theory.js';
import { Onscreen } from './onscreen.js';
import { SweepView } from './sweepview.js';
import { ABView } from './abview.js';
import { TimeView } from './timeview.js';
import { drawLinePlot } from './charts/lineplot.js';
import { drawNetwork } from './charts/network.js';
import { serveEmbedApi } from './embed-api.js';
import { chooseEngine, wasmFeatures } from './engine.js';
import { cliCommand, fileName, pngOf, save, svgToCanvas } from './export.js';
import { History } from './history.js';
import { LANGUAGES, makeI18n, pickLanguage } from './i18n.js';
import { applyLayout } from './layout.js';
import { SpeedBars } from './charts/speedbars.js';
import { TimeSeries } from './charts/timeseries.js';
import { renderLayerTable } from './layertable.js';
import { Notices } from './notices.js';
import { remedyNotes, viewNotes } from './notes.js';
import { readSpeeds } from './reading.js';
import { PRESETS } from './presets.js';
import { SharePanel, copyField } from './share.js';
import { FULL_PAGE_LAYOUT, LANGUAGE_TAGS, isRecurrent, makeState, PACES, DEFAULT_PACE } from './state.js';
import { translatePage } from './translate.js';

const $ = (id) => document.getElementById(id);
/** The `lang` key of the link as it is before the module loads (state.js checks it later). */
const linkLanguage = () => new URLSearchParams(location.hash.replace(/^#/, '')).get('lang');
// The wording in use (i18n.js): at first from the link or the browser, without
// the core's table; boot() and every change of `lang` replace it.
let i18n = makeI18n(pickLanguage(linkLanguage(), navigator.languages));
translatePage(i18n);
const notices = new Notices($('notices'), i18n);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
/** English, for the script API's messages (developers read them; the notices follow the reader). */
const ENGLISH = makeI18n('en');
let client = null;         // the worker client, once the engine is chosen
let startWorker = null;    // starts a worker of the chosen engine (the depth sweep starts its own)
let engine = null;         // 'simd' | 'baseline' (engine.js)
let share = null;

let settings = null;       // makeState() over the core's settings table, once the module is loaded
let statistics = [];       // the core's per-layer statistics' names
let probeStatistics = [];  // the probe's per-layer quantities' names (speed, gradRms, gain, dphiMean, weightGain)
let histogramQuantities = [];  // the histograms' quantities' names (activation, preactivation, delta, weightGrad)
let controls = null;
let state = null;          // the state the worker has applied
let current = null;        // the newest snapshot
let dirty = false;         // a snapshot arrived since the last frame
let playing = false;
let chartLayers = -1;
let table = [];            // the core's settings table
const history = new History();  // every measurement of this run, for export and redrawing
const data = { version: -1, points: null, labels: null, pixels: null, digitLabels: null };
const statsListeners = new Set();
const rate = { step: 0, time: 0, perSecond: 0 };
// Milliseconds from navigation until the first speeds were drawn.
const timing = { firstSpeedsMs: null };

const bars = new SpeedBars($('speed-bars'), 'speed');
const updateBars = new SpeedBars($('update-bars'), 'step');
const speedChart = new TimeSeries($('speed-chart'), { log: true });
const lossChart = new TimeSeries($('loss-chart'), { y2: true });
// Layers' lines differ in dash as well as colour.
const DASHES = [[], [7, 3], [2, 2], [9, 3, 2, 3]];

/** The charts' series and axis titles in the current language. */
function chartSeries(hidden) {
  const speed = Array.from({ length: hidden }, (_, i) => ({ label: i18n.t('chart.layer', { n: i + 1 }),
    color: layerColor(i, hidden), dash: DASHES[i % DASHES.length] }));
  const loss = [
    { label: i18n.t('chart.loss.train'), color: '#333' },
    { label: i18n.t('chart.loss.trainAccuracy'), color: '#0072B2', scale: 'y2', dash: [2, 2] },
    { label: i18n.t('chart.loss.testAccuracy'), color: '#D55E00', scale: 'y2', dash: [6, 4] },
  ];
  const x = i18n.t(state?.xaxis === 'epochs' ? 'chart.x.epochs' : 'chart.x.steps');
  return { speed, loss, x };
}

/** The time axis value of a history point (steps, or epochs as in Nielsen's plots). */
const timeOf = (p) => (state?.xaxis === 'epochs' ? p.epochs : p.step);
/** The same in words: "step 300" or "epoch 0.4". */
const timeText = (p) => (state?.xaxis === 'epochs' ? i18n.t('chart.at.epoch', { epoch: i18n.fmt.value(p.epochs) })
  : i18n.t('chart.at.step', { step: p.step }));
/** Tick labels of the time axis: whole steps grouped (12,000), epochs with their fraction. */
const timeFormat = () => (state?.xaxis === 'epochs' ? i18n.fmt.value : i18n.fmt.int);

function appendToCharts(p) {
  speedChart.append(timeOf(p), p.speed);
  lossChart.append(timeOf(p), [p.loss, p.trainAccuracy, p.testAccuracy]);
}

/** Redraws both time charts from the history: a new network, language or time axis. */
function resetCharts(hidden) {
  chartLayers = hidden;
  const c = chartSeries(hidden);
  speedChart.reset(c.speed, { x: c.x, y: i18n.t('chart.speed.y') }, { ...i18n.fmt, time: timeFormat() });
  lossChart.reset(c.loss, { x: c.x, y: i18n.t('chart.loss.y'), y2: i18n.t('chart.loss.y2') }, { ...i18n.fmt, time: timeFormat() });
  for (const p of history.points) appendToCharts(p);
}

/**
 * The networks this page trains now: A while playing (a recurrent model: its
 * cells, the RNN and the LSTM side by side), B while it plays (the A/B
 * comparison; it goes on if A diverges), and the depth sweep's workers. An
 * embedding page (the walk-through) keeps the reader's machine to a few at once
 * with it.
 */
function networksTraining() {
  const a = playing ? (current?.recurrent ? current.cells.length : 1) : 0;
  const b = abView.active && abView.snap?.playing ? 1 : 0;
  return a + b + sweepView.sweep.workers;
}

/** The stats of a recurrent snapshot: its cells (the model's first), each with its gradient through time. */
function publicRecurrentStats(snap) {
  return {
    model: snap.model,
    step: snap.step,
    playing: snap === current ? playing : snap.playing,
    networks: networksTraining(),
    sweeping: sweepView.sweep.running,
    diverged: snap.diverged,
    cells: snap.cells.map((c) => ({ cell: c.cell, gradThroughTime: Array.from(c.gradThroughTime), loss: c.loss,
      trainAccuracy: c.accuracy, testAccuracy: c.test ? c.test.accuracy : null, diverged: c.diverged, steps: c.steps,
      gradNorm: c.gradNorm })),
    workerTime: { ...snap.workerTime },
  };
}

/** The public form of a snapshot (window.gradlab.stats()). */
function publicStats(snap) {
  if (!snap) return null;
  if (snap.recurrent) return publicRecurrentStats(snap);
  const L = snap.widths.length - 1;
  const layer = (l) => ({
    // The probe's quantities: speed, and the chain of factors (gradRms, gain, dphiMean,
    // weightGain; NaN for the output layer).
    ...Object.fromEntries(probeStatistics.map((name) => [name, snap.probe[name][l]])),
    ...Object.fromEntries(statistics.map((name) => [name, snap.layers[name][l]])),
    shortcut: snap.shortcuts[l],
  });
  return {
    step: snap.step,
    epoch: snap.epoch,
    loss: snap.probe.loss,
    trainAccuracy: snap.probe.accuracy,
    testAccuracy: snap.test ? snap.test.accuracy : null,
    gradNorm: snap.batch.gradNorm,
    clipCount: snap.batch.clipCount,
    pretraining: { ...snap.pretrain },
    diverged: Boolean(snap.diverged),
    divergence: snap.diverged,
    playing: snap === current ? playing : snap.playing,  // the page's own flag for A: a Play is told at once
    networks: networksTraining(),
    sweeping: sweepView.sweep.running,
    layers: Array.from({ length: L - 1 }, (_, l) => layer(l)),
    output: layer(L - 1),
    widths: snap.widths.slice(),
    views: { ...snap.plan, testExamples: snap.test?.examples ?? snap.plan.testExamples },
    workerTime: { ...snap.workerTime },
  };
}

/** The public form of the worker's histograms: plain arrays, one entry per hidden layer. */
function publicHistograms(h) {
  const quantity = (q) => ({ lo: q.lo, hi: q.hi, bins: q.bins, layers: Array.from(q.mean, (_, l) => rowOf(q, l)) });
  return { step: h.step, examples: h.examples, flat: Array.from(h.flat),
    quantities: Object.fromEntries(histogramQuantities.map((key) => [key, quantity(h.quantities[key])])),
    curve: { z: Array.from(h.curve.z), phi: Array.from(h.curve.phi), dphi: Array.from(h.curve.dphi), peak: h.curve.peak } };
}

/** Takes a snapshot's rate of steps a second (for the status line). */
function measureRate(snap) {
  const t = performance.now();
  if (snap.step < rate.step || t - rate.time > 1000) {
    if (rate.time && snap.step >= rate.step) rate.perSecond = (snap.step - rate.step) / ((t - rate.time) / 1000);
    rate.step = snap.step;
    rate.time = t;
  }
}

/** A snapshot of the recurrent mode (recurrentengine.js). */
function receiveRecurrent(snap) {
  timeView.receive(snap);
  measureRate(snap);
  if (snap.playing !== playing) setPlaying(snap.playing);
  notices.clear('diverged');
  notices.clear('divergedPlay');
  current = snap;
  dirty = true;
  announce();
}

/** Tells the stats listeners (the script API, an embedding page) what the page shows now. */
function announce() {
  const pub = publicStats(current);
  if (pub) for (const fn of statsListeners) fn(pub);
  announcedNetworks = pub ? pub.networks : 0;
}
let announcedNetworks = 0;

function receive(snap) {
  if (!snap) return;
  // A reply or a snapshot from before the model switched (a long step(n) cut
  // short by it) belongs to the other mode: the page no longer shows it.
  const expected = requested ?? state;
  if (expected && Boolean(snap.recurrent) !== isRecurrent(expected)) return;
  if (snap.recurrent) {
    receiveRecurrent(snap);
    return;
  }
  const hidden = snap.widths.length - 2;
  if (snap.columns) history.reset(snap.columns);
  if (snap.rebuilt || snap.reset || hidden !== chartLayers) {
    if (snap.reset && !snap.columns) history.reset(history.columns);
    resetCharts(hidden);
  }
  for (const p of snap.history) {
    history.add(p);
    appendToCharts(p);  // x: mini-batches (pretraining's included), or epochs
  }
  if (snap.view?.points) Object.assign(data, { points: snap.view.points, labels: snap.view.labels });
  if (snap.view?.pixels) Object.assign(data, { pixels: snap.view.pixels, digitLabels: snap.view.labels });
  if (snap.view) data.view = snap.view;
  phiView.receive(snap.histograms);
  histogramView.receive(snap.histograms);
  theoryStore.receive(snap.theory);
  measureRate(snap);
  if (snap.playing !== playing) setPlaying(snap.playing);
  if (snap.diverged) {
    const d = snap.diverged;
    const what = { id: `divergence.${d.code}`, values: {} };
    const where = d.layer === hidden ? { id: 'where.output', values: {} } : { id: 'where.hidden', values: { n: d.layer + 1 } };
    notices.show({ id: 'notice.diverged', values: { step: d.step, what, where } }, 'error', { id: 'diverged' });
    $('divergence').hidden = false;
  } else {
    notices.clear('diverged');
    notices.clear('divergedPlay');
    $('divergence').hidden = true;
  }
  current = snap;
  dirty = true;
  announce();
}

// The views' sections, watched for being on screen; one scrolled into view is drawn at once.
const onscreen = new Onscreen(() => { dirty = true; });
for (const section of document.querySelectorAll('[data-view]')) onscreen.watch(section);
/** Whether a view is drawn in this frame: always when paused, else when on screen. */
const drawn = (view) => {
  const section = document.querySelector(`[data-view="${view}"]`);
  return !section.hidden && (!playing || onscreen.visible(section));   // a view the layout hides is never drawn
};

// While training, the time charts and the views each redraw at most this often,
// never both in one frame: a frame's work stays well under its 16.7 ms even when
// another program keeps a core busy (bench/README.md, frame intervals).
const LIVE_REDRAW_MS = 100;
let chartsDrawnAt = -Infinity, viewsDrawnAt = -Infinity;

function render(now) {
  requestAnimationFrame(render);
  if (!playing || now - chartsDrawnAt >= LIVE_REDRAW_MS) {
    const drew = speedChart.draw() | lossChart.draw();
    if (drew) chartsDrawnAt = now;
    if (drew && playing) return;
  }
  if (!dirty || !current || !state) return;
  if (playing && now - viewsDrawnAt < LIVE_REDRAW_MS) return;
  viewsDrawnAt = now;
  dirty = false;
  const snap = current;
  $('hero-title').textContent = i18n.t(snap.recurrent ? 'time.title' : 'hero.title');
  if (snap.recurrent) {
    renderRecurrent(snap);
    return;
  }
  const H = snap.widths.length - 2;
  const hidden = Array.from(snap.probe.speed.subarray(0, H));
  const ghost = snap.pretrain.enabled ? snap.pretrain.before : null;
  // At one step a second, each step's change of the bars is animated.
  const animateMs = state.pace === PACES[0] && snap.playing && !reducedMotion.matches ? 600 : 0;
  bars.render(hidden, ghost, i18n, { animateMs });
  $('ghost-key').hidden = !ghost;
  const steps = snap.batch.step > 0 ? Array.from(snap.layers.updateRatio.subarray(0, H)) : [];
  updateBars.render(steps, null, i18n, { animateMs });
  // The bars' values as text (their accessible form; the layer table has them all).
  $('speed-bars-values').textContent = i18n.t('bars.summary', { n: H, values: i18n.list(hidden.map(i18n.fmt.value)) });
  $('update-bars-values').textContent = steps.length ? i18n.t('bars.summary', { n: H, values: i18n.list(steps.map(i18n.fmt.value)) }) : '';
  // The time charts' latest values, as text (uPlot draws on a canvas).
  const last = history.points.at(-1);
  $('speed-chart-values').textContent = last ? i18n.t('chart.speed.summary', { time: timeText(last), values: i18n.list(last.speed.map(i18n.fmt.value)) }) : '';
  $('loss-chart-values').textContent = last ? i18n.t('chart.loss.summary', { time: timeText(last), loss: i18n.fmt.value(last.loss),
    train: i18n.fmt.percent(last.trainAccuracy), test: i18n.fmt.percent(last.testAccuracy) }) : '';
  if (snap.diverged) {
    const d = snap.diverged;
    const where = d.layer === H ? i18n.t('where.outputShort') : i18n.t('where.hidden', { n: d.layer + 1 });
    $('divergence').textContent = i18n.t('notice.divergedShort', { step: d.step, where, what: i18n.t(`divergence.${d.code}`) });
  }
  $('remedy-notes').replaceChildren(...remedyNotes(state, snap, i18n).map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  renderPhase(snap);
  // While training, only the views on screen are redrawn (onscreen.js); paused, all.
  if (drawn('chain')) {
    const chain = chainOf(snap.probe, H);
    drawChain($('chain'), chain, i18n);
    $('chain-sentence').textContent = chainSentence(chain, i18n);
  }
  if (drawn('phi')) phiView.render(state, i18n);
  if (drawn('histograms')) histogramView.render(state, i18n);
  if (drawn('theory')) theoryView.render(snap, state, i18n);
  if (drawn('phase')) phaseView.render(i18n);
  if (drawn('ab')) abView.render(snap, history.points, state, i18n);
  const reading = readSpeeds(hidden, state, i18n);
  $('ratio-sentence').textContent = reading.sentence;
  $('ratio-sentence').hidden = false;
  $('reading').textContent = reading.verdict;
  $('reading').dataset.kind = reading.kind;
  // Column c of the diagram is the output of network layer c − 1.
  if (drawn('network')) drawNetwork($('network'), snap.widths, Array.from(snap.probe.speed), [false, ...snap.shortcuts], { i18n });
  const isMnist = state.dataset === 'mnist', isGaussian = state.dataset === 'gaussian';
  const viewText = viewNotes(snap, i18n);
  $('data-title').textContent = i18n.t(isMnist ? 'chart.data.digits' : isGaussian ? 'chart.data.gaussian' : 'chart.data.boundary');
  $('data-note').textContent = isGaussian ? i18n.t('chart.data.gaussianNote', { n: state.inputs }) : isMnist ? '' : viewText.grid;
  $('data-note').hidden = !isGaussian && (isMnist || !viewText.grid);
  $('data-view').hidden = isGaussian;
  if (drawn('data')) drawData($('data-view'));
  if (drawn('table')) renderLayerTable($('layer-table'), snap, state.activation, i18n);
  $('speed-note').textContent = i18n.t('hero.speedNote', { probe: viewText.probe });
  if (timing.firstSpeedsMs === null) timing.firstSpeedsMs = performance.now();
  const { t, fmt } = i18n;
  const acc = snap.test ? t('status.test', { accuracy: fmt.percent(snap.test.accuracy) }) + (viewText.test ? ` ${viewText.test}` : '') : '';
  $('status').textContent = (snap.pretrain.enabled ? t('status.pretraining', { steps: snap.pretrain.steps }) : '') +
    t('status.line', { step: snap.step, epoch: snap.epoch }) +
    (snap.playing ? t('status.rate', { rate: Math.round(rate.perSecond) }) : '') +
    t('status.loss', { loss: fmt.value(snap.probe.loss) }) + acc;
  if (!$('export').hidden) updateExport();
}

/** The recurrent mode: the gradient through time of both cells, and the status line. */
function renderRecurrent(snap) {
  // The MLP's sentences and notes do not apply to a recurrent model.
  $('ratio-sentence').textContent = '';
  $('ratio-sentence').hidden = true;
  $('speed-note').textContent = i18n.t('time.speedNote', { n: snap.probeSequences });
  $('remedy-notes').replaceChildren();
  $('phase').hidden = true;
  $('divergence').hidden = true;
  timeView.render(snap, state, i18n);
  if (timing.firstSpeedsMs === null) timing.firstSpeedsMs = performance.now();
  const { t, fmt } = i18n;
  const lead = snap.cells[0];
  $('status').textContent = t('status.recurrent', { step: snap.step }) +
    (snap.playing ? t('status.rate', { rate: Math.round(rate.perSecond) }) : '') +
    t('status.loss', { loss: fmt.value(lead.loss) }) + (lead.test ? t('status.test', { accuracy: fmt.percent(lead.test.accuracy) }) : '');
}

/** The data view (decision boundary or digits) on `canvas`, at `opts` (the PNG's size and ratio). */
function drawData(canvas, opts = {}) {
  const isMnist = state.dataset === 'mnist';
  if (data.view?.kind === 'grid' && !isMnist) drawBoundary(canvas, data.view, data.points, data.labels, opts);
  if (data.view?.kind === 'digits' && isMnist) drawDigits(canvas, data.view, data.pixels, data.digitLabels, { ...opts, i18n });
}

/** The pretraining phase, and the speeds before and after it. */
function renderPhase(snap) {
  const p = snap.pretrain;
  const box = $('phase');
  box.hidden = !p.enabled;
  if (!p.enabled) return;
  const { t, fmt } = i18n;
  const list = (v) => (v ? i18n.list(v.map(fmt.value)) : '…');
  if (p.active) {
    box.textContent = t('phase.pretraining', { layer: p.layer + 1, layers: p.layers, epoch: p.epoch + 1, epochs: p.epochs }) +
      (p.steps > 0 ? t('phase.cost', { cost: fmt.value(p.loss) }) : t('phase.press')) +
      t('phase.before', { speeds: list(p.before) });
  } else {
    box.textContent = t('phase.fineTuning', { steps: p.steps, before: list(p.before), after: list(p.after) });
  }
}

function renderPresets() {
  const nav = $('presets');
  nav.replaceChildren(...PRESETS.map((p) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = i18n.t(`preset.${p.id}.title`);
    b.dataset.preset = p.id;
    b.setAttribute('aria-pressed', String(state?.preset === p.id));
    b.addEventListener('click', () => applyPreset(p.id).then(() => showView(p.view), () => {}));
    return b;
  }));
}

/** Scrolls to `view` (a preset's, e.g. the chain of factors), if the page shows it. */
function showView(view) {
  const section = view && document.querySelector(`[data-view="${view}"]`);
  if (section && !section.hidden) section.scrollIntoView({ behavior: reducedMotion.matches ? 'auto' : 'smooth', block: 'start' });
}

function showPreset() {
  for (const b of $('presets').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(state.preset === b.dataset.preset));
  const preset = PRESETS.find((p) => p.id === state.preset);
  $('preset-caption').hidden = !preset;
  $('preset-caption').textContent = preset
    ? `${i18n.t(`preset.${preset.id}.title`)}${i18n.lang === 'zh' ? '：' : ': '}${i18n.t(`preset.${preset.id}.caption`)}` : '';
}

/**
 * A preset replaces every setting (defaults plus its own; the layout stays), stops
 * training and starts its experiment from step 0 (its caption's numbers are from
 * there), even where its network is the one already trained (presets that differ
 * only in η or clipping).
 */
async function applyPreset(id) {
  if (playing) await pause();
  await apply({ ...settings.presetState(id), ...settings.layoutOf(requested ?? state) }, { replace: true, fresh: true });
}

/** The same state as a full page (the embedded page's "Open in gradlab" link). */
function fullPageLink(s) {
  const full = { ...s, ...FULL_PAGE_LAYOUT };
  return assets.pageAddress() + settings.toHash(full, { compact: true }).replace(/^#$/, '');
}

/** Lays the page out for the state applied (embedding, views, controls, lock). */
function layout() {
  applyLayout(state, settings, controls, fullPageLink(state));
  share?.update();
}

function setPlaying(on) {
  if (playing && !on) dirty = true;  // the views skipped while off screen are drawn now
  playing = on;
  const button = $('play');
  button.textContent = i18n.t(on ? 'transport.pause' : 'transport.play');
  button.setAttribute('aria-pressed', String(on));
}

let requested = null;  // the newest state sent to the worker and not yet applied

/**
 * Applies valid changes on top of the newest requested state (so that changes
 * made while one is in flight add up rather than undo each other); the worker
 * rejects what the core refuses. Changing any setting but the seed leaves the
 * preset (settings.withChanges).
 */
async function apply(changes, { replace = false, fresh = false } = {}) {
  const base = requested ?? state;
  const next = replace ? { ...base, ...changes } : settings.withChanges(base, changes);
  requested = next;
  controls.update(next);
  try {
    const snap = await client.configure(next, { fresh });
    if (requested === next) requested = null;
    if (!snap) return state;  // superseded by a newer change
    const before = state;
    state = next;
    window.history.replaceState(null, '', settings.toHash(state));
    if (languageOf(state) !== i18n.lang) setLanguage(languageOf(state));
    else if (state.xaxis !== before.xaxis) resetCharts(chartLayers);
    showPreset();
    layout();
    showPace();
    receive(snap);
    syncB();
    return state;
  } catch (e) {
    if (requested === next) requested = null;
    notices.show({ id: 'notice.couldNotApply', values: { problem: e } }, 'error');
    controls.update(requested ?? state);
    throw e;
  }
}

async function play() {
  if (current?.diverged) {
    notices.show({ id: 'notice.divergedPlay', values: {} }, 'warning', { id: 'divergedPlay' });  // one, however often Play is pressed
    return;
  }
  const r = await client.request('play');
  setPlaying(r.playing);
  abView.command('play').catch(() => {});
  announce();
}

// The snapshots these return say whether a run goes on (receive sets the button).
// B (the A/B comparison), if any, does the same.
// B (the A/B comparison), if any, does the same; its failure never costs A's reply.
async function both(type, payload) {
  const b = abView.command(type, payload).catch((e) => notices.show({ id: 'notice.abFailed', values: { problem: e } }, 'error', { id: 'ab' }));
  const [a] = await Promise.all([client.request(type, payload), b]);
  receive(a);
}

const pause = () => both('pause');
const step = (n = 1) => both('step', { n });
const reset = () => both('reset');

/** Loads the module and applies the settings in the link: at start, and after a restart. */
async function boot() {
  const init = await client.request('init', await assets.initPayload(engine));
  table = init.settings;
  settings = makeState(table, PRESETS);
  statistics = init.statistics.map((s) => s.key);
  probeStatistics = init.probeStatistics.map((s) => s.key);
  histogramQuantities = init.histogramQuantities.map((s) => s.key);
  const { state: fromLink, notices: problems } = settings.fromHash(location.hash);
  i18n = makeI18n(languageOf(fromLink), table);
  if (!controls)
    controls = new Controls($('settings'), settings, (changes) => apply(changes).catch(() => {}),
      (problem) => notices.show({ id: 'notice.notApplied', values: { problem } }, 'warning'), i18n);
  for (const p of problems) notices.show(p, 'warning');
  let first = fromLink;
  if (!init.mnist.loaded) {
    notices.show({ id: 'notice.mnist', values: { problem: init.mnist.error } }, 'error', { id: 'mnist' });
    if (first.dataset === 'mnist') first = { ...first, dataset: 'circle' };
  }
  state = first;
  controls.update(state);
  if (!share)
    share = new SharePanel(settings, () => state, assets.pageAddress,
      (s) => i18n.t('share.title', { what: s.preset ? i18n.t(`preset.${s.preset}.title`) : i18n.t('share.titleDefault') }),
      assets.OFFLINE, () => i18n);
  setLanguage(i18n.lang);
  layout();
  showPace();
  setPlaying(false);
  const snap = await client.configure(state);
  window.history.replaceState(null, '', settings.toHash(state));
  showPreset();
  receive(snap);
  syncB();
}

/** The language `s` asks for: its `lang` key, else the browser's. */
const languageOf = (s) => pickLanguage(s.lang, navigator.languages);

/** Words the whole page in `lang` (the switch, the link's `lang`): nothing else changes. */
function setLanguage(lang) {
  i18n = makeI18n(lang, table);
  translatePage(i18n);
  controls?.relabel(i18n);
  notices.relabel(i18n);
  share?.relabel();
  $('lang').value = lang;
  renderPresets();
  if (state) showPreset();
  setPlaying(playing);
  showPace();
  if (chartLayers >= 0) resetCharts(chartLayers);
  if (!$('export').hidden) updateExport();
  neuron.update();
  sweepView.relabel();
  dirty = true;
}

/**
 * Chooses the engine (the `simd` key of the link can refuse SIMD), starts the
 * worker and boots; then plays, once visible, if the link says autoplay.
 */
async function start() {
  const simd = new URLSearchParams(location.hash.replace(/^#/, '')).get('simd');
  const allowSimd = simd === null || makeState([], PRESETS).parseValue('simd', simd).value !== false;
  engine = chooseEngine(wasmFeatures(), allowSimd);
  const cannot = (id) => Object.assign(new Error(ENGLISH.t(id)), { code: 'unexpected', values: { detail: { id, values: {} } } });
  if (!engine) throw cannot('notice.noWasm');
  if (typeof Worker !== 'function') throw cannot('notice.noWorker');
  startWorker = await assets.workerFactory(engine);
  client = new WorkerClient(startWorker);
  listen(client);
  await boot();
  // In a course page, an embedded simulator starts when the reader scrolls to it.
  if (state.autoplay) whenVisible().then(() => play()).catch((e) => notices.show(e, 'error'));
}

/** Resolves once the page is on screen (in an iframe: once the iframe scrolls into view). */
function whenVisible() {
  return new Promise((resolve) => {
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen.disconnect();
      resolve();
    });
    seen.observe(document.body);
  });
}

// The buttons do nothing until the simulator has loaded (the first settings applied).
const whenReady = (fn) => () => (client && state ? fn() : Promise.resolve()).catch((e) => notices.show(e, 'error'));
$('play').addEventListener('click', whenReady(() => (playing ? pause() : play())));
$('step').addEventListener('click', whenReady(() => step(1)));
$('reset').addEventListener('click', whenReady(() => reset()));
$('new-seed').addEventListener('click', whenReady(() => apply({ seed: Math.floor(Math.random() * 2147483647) }).catch(() => {})));
window.addEventListener('hashchange', () => {
  if (!settings) return;
  const { state: fromLink, notices: problems } = settings.fromHash(location.hash);
  for (const p of problems) notices.show(p, 'warning');
  if (settings.toHash(fromLink) !== settings.toHash(state)) apply(fromLink, { replace: true }).catch(() => {});
});
// Canvas and SVG views are drawn at their current size: redraw when it changes.
const resized = new ResizeObserver(() => { dirty = true; });
for (const id of ['speed-bars', 'chain', 'phi', 'histograms', 'theory', 'phase-diagram', 'network', 'data-view']) resized.observe($(id));
// The language switch, the pace and the time axis are page keys: they go through
// apply() like any setting, so the link carries them.
$('lang').replaceChildren(...Object.entries(LANGUAGES).map(([code, { name }]) => {
  const option = new Option(name, code);
  option.lang = LANGUAGE_TAGS[code];
  return option;
}));
$('lang').value = i18n.lang;
$('lang').addEventListener('change', () => {
  if (state) {
    apply({ lang: $('lang').value }).catch(() => {});
    return;
  }
  // Still loading: the link keeps the choice, and boot() reads it from there.
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  params.set('lang', $('lang').value);
  window.history.replaceState(null, '', `#${params}`);
  setLanguage($('lang').value);
});
$('pace').max = String(PACES.length - 1);
$('pace').addEventListener('input', () => {
  const pace = PACES[Number($('pace').value)];
  showPace(pace);
  if (state) apply({ pace }).catch(() => {});
});
$('xaxis').addEventListener('change', () => { if (state) apply({ xaxis: $('xaxis').value }).catch(() => {}); });

// Nielsen's single-neuron chain (neuronview.js): no worker, it is four numbers.
const neuron = new NeuronView({ table: $('neuron-table'), sentence: $('neuron-sentence'), window: $('neuron-window') }, () => i18n);
$('neuron-vanishing').addEventListener('click', () => neuron.example('vanishing'));
$('neuron-exploding').addEventListener('click', () => neuron.example('exploding'));

// The views of Glorot & Bengio's histograms (mechanismviews.js): the worker
// sends the histograms while either is shown.
const redraw = () => { dirty = true; };
const phiView = new PhiView({ svg: $('phi'), sentence: $('phi-sentence'), layer: $('phi-layer') }, redraw);
const histogramView = new HistogramView({ svg: $('histograms'), sentence: $('hist-sentence'), standard: $('glorot-standard'),
  normalized: $('glorot-normalized'), clear: $('hist-clear'), pinnedKey: $('hist-pinned-key') }, (changes) => (state ? apply(changes) : Promise.resolve()), redraw);

// Mean-field theory (theoryviews.js): the worker sends it while either view is shown.
const theoryStore = new TheoryStore();
const theoryView = new TheoryView({ svg: $('theory'), sentence: $('theory-sentence'), caveats: $('theory-caveats') }, theoryStore);
const phaseView = new PhaseView({ svg: $('phase-diagram'), sentence: $('phase-sentence') }, theoryStore,
  (changes) => (state ? apply(changes) : Promise.resolve()), () => Boolean(state?.lock));

// A/B (abview.js): B, in a worker of its own, is A with the `b` key's changes.
const abView = new ABView({ bars: $('ab-bars'), chart: $('ab-chart'), sentence: $('ab-sentence'), buttons: $('ab-buttons'),
  input: $('ab-changes'), stop: $('ab-stop') },
{ startWorker: () => startWorker(), initPayload: () => assets.initPayload(engine) },
(b) => {
  if (!state || state.lock) return;
  // Typed text is checked like a link's: a problem is said, and B stays as it was.
  const { changes, errors } = settings.validate({ b });
  for (const p of errors) notices.show({ id: 'notice.notApplied', values: { problem: p } }, 'warning');
  if (!errors.length) apply(changes).catch(() => {});
},
(e) => notices.show({ id: 'notice.abFailed', values: { problem: e } }, 'error', { id: 'ab' }), () => {
  dirty = true;
  if (networksTraining() !== announcedNetworks) announce();  // B started or stopped
});
/** B follows A: its settings are A's with the `b` key's changes; a new comparison starts both afresh, together. */
const syncB = () => abView.sync(state, isRecurrent(state) ? '' : state.b, settings.changesOf(isRecurrent(state) ? '' : state.b), { playing: () => playing })
  .then((fresh) => (fresh && current?.step > 0 ? reset() : undefined))
  .catch((e) => notices.show({ id: 'notice.abFailed', values: { problem: e } }, 'error', { id: 'ab' }));

// The recurrent mode's view: the RNN and the LSTM through time (timeview.js).
const timeView = new TimeView({ bars: [$('time-bars-0'), $('time-bars-1')], captions: [$('time-caption-0'), $('time-caption-1')],
  sentences: [$('time-sentence-0'), $('time-sentence-1')], values: [$('time-values-0'), $('time-values-1')],
  chart: $('time-chart'), note: $('time-note') });

// The depth sweep (sweepview.js): its own workers, the page's settings.
const sweepView = new SweepView({ to: $('sweep-to'), steps: $('sweep-steps'), run: $('sweep-run'), stop: $('sweep-stop'),
  progress: $('sweep-progress'), accuracy: $('sweep-accuracy'), speed: $('sweep-speed'), sentence: $('sweep-sentence'),
  table: $('sweep-table') },
{ startWorker: () => startWorker(), initPayload: () => assets.initPayload(engine), cores: navigator.hardwareConcurrency,
  beside: () => networksTraining() - sweepView.sweep.workers, embedded: () => Boolean(state?.embed), changed: () => announce() },
() => state, () => i18n, (e) => notices.show({ id: 'notice.sweepFailed', values: { problem: e } }, 'error'));

/** The pace slider and its words (`pace`: the one being dragged to, else the state's). */
function showPace(pace = requested?.pace ?? state?.pace ?? DEFAULT_PACE) {
  const text = pace === 'full' ? i18n.t('pace.full') : pace === '1' ? i18n.t('pace.one') : i18n.t('pace.steps', { n: Number(pace) });
  $('pace').value = String(PACES.indexOf(pace));
  $('pace').setAttribute('aria-valuetext', text);
  $('pace-value').textContent = text;
  $('xaxis').replaceChildren(...['steps', 'epochs'].map((v) => new Option(i18n.t(`chart.xAxis.${v}`), v)));
  $('xaxis').value = state?.xaxis ?? 'steps';
}

// Space plays and pauses, unless the focus is in a field or on a control that
// Space already works (a button, a checkbox, a slider, a menu).
document.addEventListener('keydown', (e) => {
  if (e.key !== ' ' || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
  const el = e.target;
  if (el instanceof Element && el.closest('input, select, textarea, button, a, [contenteditable], summary, [tabindex]')) return;
  e.preventDefault();
  whenReady(() => (playing ? pause() : play()))();
});

// Export: the history (CSV, JSON), the CLI command, each chart as a PNG.
$('export-button').addEventListener('click', () => {
  const open = $('export').hidden;
  $('export').hidden = !open;
  $('export-button').setAttribute('aria-expanded', String(open));
  if (open) updateExport();
});

/** The history as the JSON file has it (and gradlab.history()). */
function historyJson() {
  return { gradlab: 1, settings: state ? { ...state } : null, cli: state ? cliCommand(table, state, { epochs: current?.epoch ?? 1 }) : '',
    columns: history.columns.map((c) => c.name), thinned: history.thinned,
    note: 'loss and train_accuracy are over the probe examples, test_accuracy from the last test evaluation; the CLI evaluates whole sets once an epoch',
    rows: history.jsonRows() };
}

function updateExport() {
  if (!state) return;
  // Rewritten only when it changes and the reader is not in it (a selection stays).
  const command = cliCommand(table, state, { epochs: current?.epoch ?? 1 });
  if ($('export-cli').value !== command && document.activeElement !== $('export-cli')) $('export-cli').value = command;
  $('export-count').textContent = i18n.t('export.points', { n: history.length });
}

/** Saves `blob` as `name` and says so (or why not). */
async function saveFile(make, name) {
  try {
    save(await make(), name);
    $('export-status').textContent = i18n.t('export.saved', { file: name });
  } catch (e) {
    $('export-status').textContent = i18n.t('export.failed', { file: name, detail: e });
  }
}

$('export-csv').addEventListener('click', () => saveFile(
  async () => new Blob([history.toCsv()], { type: 'text/csv' }), fileName(state ?? {}, 'history', 'csv')));
$('export-json').addEventListener('click', () => saveFile(
  async () => new Blob([JSON.stringify(historyJson(), null, 1)], { type: 'application/json' }), fileName(state ?? {}, 'history', 'json')));
$('copy-cli').addEventListener('click', async () => {
  $('export-status').textContent = i18n.t((await copyField($('export-cli'))) ? 'share.copied' : 'share.selected');
});

/** A canvas with chart `kind` drawn at 2× for slides. */
async function chartCanvas(kind, title) {
  const size = { ratio: 2, width: 900, height: 480 };
  const canvas = document.createElement('canvas');
  if (kind === 'bars') return svgToCanvas($('speed-bars'), title);
  if (kind === 'chain') return svgToCanvas($('chain'), title);
  if (kind === 'phi') return svgToCanvas($('phi'), title);
  if (kind === 'histograms') return svgToCanvas($('histograms'), title);
  if (kind === 'theory') return svgToCanvas($('theory'), title);
  if (kind === 'phase') return svgToCanvas($('phase-diagram'), title);
  if (kind === 'steps') return svgToCanvas($('update-bars'), title);
  if (!current) throw new Error(i18n.t('export.nothingYet'));
  if (kind === 'network') {
    drawNetwork(canvas, current.widths, Array.from(current.probe.speed), [false, ...current.shortcuts], { ...size, i18n, background: '#fff' });
    return canvas;
  }
  if (kind === 'data') {
    drawData(canvas, { ...size, width: 600, height: 600, background: '#fff' });
    return canvas;
  }
  const c = chartSeries(chartLayers);
  const x = history.points.map(timeOf);
  const plot = kind === 'speed'
    ? { title, xLabel: c.x, yLabel: i18n.t('chart.speed.y'), log: true, x,
      series: c.speed.map((s, i) => ({ ...s, values: history.points.map((p) => p.speed[i]) })) }
    : { title, xLabel: c.x, yLabel: i18n.t('chart.loss.y'), y2Label: i18n.t('chart.loss.y2'), x,
      series: c.loss.map((s, i) => ({ ...s, y2: s.scale === 'y2',
        values: history.points.map((p) => [p.loss, p.trainAccuracy, p.testAccuracy][i]) })) };
  drawLinePlot(canvas, { ...plot, fmt: i18n.fmt, xFormat: timeFormat() }, size);
  return canvas;
}

for (const button of document.querySelectorAll('button.png')) {
  button.addEventListener('click', () => {
    const kind = button.dataset.chart;
    saveFile(async () => pngOf(await chartCanvas(kind, i18n.t(button.dataset.title))), fileName(state ?? {}, kind, 'png'));
  });
}

let ready;
/** The worker's messages: snapshots, faults, its deaths. */
function listen(c) {
  c.on('stats', receive);
  c.on('fault', (problem) => {
    setPlaying(false);
    announce();
    notices.show({ id: 'notice.fault', values: { problem } }, 'error', { id: 'fault' });
  });
  c.on('restart', (reason) => {
    setPlaying(false);
    announce();
    notices.show({ id: 'notice.restart', values: { problem: reason } }, 'error', { id: 'restart' });
    ready = boot();
    window.gradlab.ready = ready;
    ready.catch((e) => notices.show({ id: 'notice.restartFailed', values: { problem: e } }, 'error'));
  });
  c.on('error', (reason) => {
    setPlaying(false);
    announce();
    notices.show({ id: 'notice.stopped', values: { problem: reason } }, 'error', { id: 'restart' });
  });
}

ready = start().catch((e) => {
  notices.show({ id: 'notice.cannotStart', values: { problem: e } }, 'error');
  document.body.classList.add('failed');   // no dead controls: the message is the page
  throw e;
});
requestAnimationFrame(render);

/** The script API, for course pages and tests. Calls that wait on the worker return promises. */
window.gradlab = {
  ready,
  timing,
  /** The wasm build running: 'simd' or 'baseline' (engine.js). */
  get engine() { return engine; },
  /** Applies some settings (keys of the settings table). Rejects, changing nothing, on bad values. */
  async configure(partial) {
    await ready;
    const { changes, errors } = settings.validate(partial);
    if (errors.length) {
      for (const p of errors) notices.show({ id: 'notice.notApplied', values: { problem: p } }, 'warning');
      // The script API speaks English, with each problem's code.
      const en = makeI18n('en', table);
      throw Object.assign(new Error(`gradlab.configure: ${errors.map(en.problem).join('; ')}`),
        { code: errors[0].code, problems: errors.map((p) => ({ code: p.code, ...p.values })) });
    }
    await apply(changes);
    return { ...state };
  },
  /** Applies one of the presets by id (see presets.js): 'deep-sigmoid', 'batch-norm', … */
  async preset(id) {
    await ready;
    if (!PRESETS.some((p) => p.id === id)) throw new Error(`gradlab.preset: unknown preset '${id}' (one of ${PRESETS.map((p) => p.id).join(', ')})`);
    await applyPreset(id);
    return { ...state };
  },
  /** The presets, with their titles and captions in English. */
  presets: PRESETS.map(({ id }) => ({ id, title: ENGLISH.t(`preset.${id}.title`), caption: ENGLISH.t(`preset.${id}.caption`) })),
  async play() { await ready; await play(); },
  /** Pauses training, and stops a depth sweep in progress (its rows so far are kept). */
  async pause() {
    await ready;
    sweepView.sweep.stop();
    await pause();
    return publicStats(current);
  },
  /** n training steps (in slices: pause() stops them early). Resolves with the stats after them. */
  async step(n = 1) {
    await ready;
    if (!Number.isInteger(n) || n < 1 || n > 1e6) throw new Error('gradlab.step: n must be a whole number from 1 to 1000000');
    await step(n);
    return publicStats(current);
  },
  async reset() { await ready; await reset(); return publicStats(current); },
  state() { return state ? { ...state } : null; },
  /** The address of the lab page with this page's settings (the embedded page's "Open in gradlab" link). */
  link() { return state ? fullPageLink(state) : null; },
  stats() { return publicStats(current); },
  /** The settings table: every key, its type, range, default and help. */
  settings() { return settings ? settings.SCHEMA.map((s) => ({ ...s })) : null; },
  /**
   * The history of this run: every measurement's step, epoch, loss, accuracies
   * and each layer's speed and statistics, named as the CLI names them.
   * history() is the JSON form ({columns, rows, …}); history('csv') the CSV text.
   */
  history(format = 'json') {
    if (isRecurrent(state)) throw new Error('gradlab.history: the history is the MLP\'s; a recurrent model\'s numbers are in stats() and on(\'stats\')');
    if (format === 'csv') return history.toCsv();
    if (format !== 'json') throw new Error(`gradlab.history: unknown format '${format}' (json or csv)`);
    return historyJson();
  },
  /**
   * Glorot & Bengio's histograms of the network now, one row per hidden layer:
   * {step, examples, flat, quantities: {activation, preactivation, delta,
   * weightGrad: {lo, hi, bins, layers: [{fraction, mean, stddev, nonfinite}]}} (mean and stddev
   * NaN for a layer with no finite value),
   * curve: {z, phi, dphi, peak}} (φ and φ′ of the activation over the z range, and sup |φ′|).
   */
  async histograms() {
    await ready;
    return publicHistograms(await client.request('histograms'));
  },
  /**
   * Mean-field theory for the network (once the theory or phase view has been
   * shown, or after this call): {sigmaW2, sigmaB2, qStar, chi1, depthScale,
   * criticalSigmaW2, marks: {he_normal, …: σ_w²}, predicted: per hidden layer,
   * measured: per hidden layer (gradRms)}.
   */
  async theory() {
    await ready;
    const t = await client.request('theory');
    theoryStore.receive(t);
    const H = current.widths.length - 2;
    const p = predictionOf(current.probe, H, t.chi1);
    const { line, ...rest } = t;
    return { ...rest, predicted: p.predicted, measured: p.measured, measuredPerLayer: p.measuredPerLayer,
      criticalLine: line ? { maxSigmaB2: line.maxSigmaB2, criticalSigmaW2: Array.from(line.criticalSigmaW2) } : undefined };
  },
  /**
   * The depth sweep: the current settings trained from `from` to `to` hidden
   * layers, `steps` steps each, in background workers. Resolves with one row per
   * depth: {depth, steps, testAccuracy, trainAccuracy, loss, speedFirstInit,
   * speedLastInit, diverged} (the CLI's --sweep-depth columns).
   */
  async sweepDepth({ from = 1, to = 6, steps = 1000 } = {}) {
    await ready;
    if (isRecurrent(state)) throw new Error('gradlab.sweepDepth: the depth sweep trains the MLP (configure({model: \'mlp\'}) first)');
    const depth = settings.settingOf('depth');
    const whole = (n, lo, hi) => Number.isInteger(n) && n >= lo && n <= hi;
    if (!whole(from, depth.min, depth.max) || !whole(to, from, depth.max) || !whole(steps, 1, 100000))
      throw new Error(`gradlab.sweepDepth: need whole numbers ${depth.min} ≤ from ≤ to ≤ ${depth.max} and 1 ≤ steps ≤ 100000`);
    return sweepView.start({ from, to, steps });
  },
  /**
   * The simulator's memory now: {heapBytes (the wasm heap, which only grows),
   * inUseBytes (what the core holds), sessions (networks alive, 1 or 2)}.
   */
  async memory() {
    await ready;
    return client.request('memory');
  },
  /**
   * The A/B comparison: {a, b} as stats() has them (b null without a comparison).
   * Start one with configure({b: 'activation:relu,init:he_normal'}), end it with configure({b: ''}).
   */
  async ab() {
    await ready;
    return { a: publicStats(current), b: publicStats(abView.snap), changes: state.b };
  },
  /** on('stats', fn): fn(stats) after every update; returns a function that unsubscribes. */
  on(event, fn) {
    if (event !== 'stats') throw new Error(`gradlab.on: unknown event '${event}' (only 'stats')`);
    statsListeners.add(fn);
    return () => statsListeners.delete(fn);
  },
};

// A course page that embeds this page drives it over postMessage (embed-api.js).
const embedApi = serveEmbedApi(window.gradlab);
ready.then(() => embedApi?.ready(), () => embedApi?.failed());
