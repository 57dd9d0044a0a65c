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
import { formatValue } from './charts/format.js';
import { drawNetwork } from './charts/network.js';
import { serveEmbedApi } from './embed-api.js';
import { chooseEngine, wasmFeatures } from './engine.js';
import { applyLayout } from './layout.js';
import { SpeedBars } from './charts/speedbars.js';
import { TimeSeries } from './charts/timeseries.js';
import { renderLayerTable } from './layertable.js';
import { Notices } from './notices.js';
import { remedyNotes, viewNotes } from './notes.js';
import { readSpeeds } from './reading.js';
import { PRESETS } from './presets.js';
import { SharePanel } from './share.js';
import { makeState } from './state.js';

const $ = (id) => document.getElementById(id);
const notices = new Notices($('notices'));
let client = null;         // the worker client, once the engine is chosen
let engine = null;         // 'simd' | 'baseline' (engine.js)
let share = null;

let settings = null;       // makeState() over the core's settings table, once the module is loaded
let statistics = [];       // the core's per-layer statistics' names
let controls = null;
let state = null;          // the state the worker has applied
let current = null;        // the newest snapshot
let dirty = false;         // a snapshot arrived since the last frame
let playing = false;
let chartLayers = -1;
const data = { version: -1, points: null, labels: null, pixels: null, digitLabels: null };
const statsListeners = new Set();
const rate = { step: 0, time: 0, perSecond: 0 };
// Milliseconds from navigation until the first speeds were drawn.
const timing = { firstSpeedsMs: null };

const bars = new SpeedBars($('speed-bars'));
const updateBars = new SpeedBars($('update-bars'),
  { what: 'step size ‖ΔW‖/‖W‖', empty: 'Take a training step (Play or Step) to see each layer’s step size.' });
const speedChart = new TimeSeries($('speed-chart'), { yLabel: 'speed ‖∂C/∂b‖ (log)', log: true });
const lossChart = new TimeSeries($('loss-chart'), { yLabel: 'loss', y2Label: 'accuracy' });

function resetCharts(hidden) {
  chartLayers = hidden;
  speedChart.reset(Array.from({ length: hidden }, (_, i) => ({ label: `HL${i + 1}`, color: layerColor(i, hidden) })));
  lossChart.reset([
    { label: 'loss (train)', color: '#333' },
    { label: 'train accuracy', color: '#0072B2', scale: 'y2' },
    { label: 'test accuracy', color: '#D55E00', scale: 'y2', dash: [6, 4] },
  ]);
}

/** The public form of a snapshot (window.gradlab.stats()). */
function publicStats(snap) {
  if (!snap) return null;
  const L = snap.widths.length - 1;
  const layer = (l) => ({
    speed: snap.probe.speed[l],
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
    playing: snap.playing,
    layers: Array.from({ length: L - 1 }, (_, l) => layer(l)),
    output: layer(L - 1),
    widths: snap.widths.slice(),
    views: { ...snap.plan, testExamples: snap.test?.examples ?? snap.plan.testExamples },
    workerTime: { ...snap.workerTime },
  };
}

function receive(snap) {
  if (!snap) return;
  const hidden = snap.widths.length - 2;
  if (snap.rebuilt || snap.reset || hidden !== chartLayers) resetCharts(hidden);
  for (const p of snap.history) {
    speedChart.append(p.step, p.speed);  // x: mini-batches, pretraining's included
    lossChart.append(p.step, [p.loss, p.trainAccuracy, p.testAccuracy]);
  }
  if (snap.view?.points) Object.assign(data, { points: snap.view.points, labels: snap.view.labels });
  if (snap.view?.pixels) Object.assign(data, { pixels: snap.view.pixels, digitLabels: snap.view.labels });
  if (snap.view) data.view = snap.view;
  const t = performance.now();
  if (snap.step < rate.step || t - rate.time > 1000) {
    if (rate.time && snap.step >= rate.step) rate.perSecond = (snap.step - rate.step) / ((t - rate.time) / 1000);
    rate.step = snap.step;
    rate.time = t;
  }
  if (snap.playing !== playing) setPlaying(snap.playing);
  if (snap.diverged) {
    const d = snap.diverged;
    const where = d.layer === hidden ? 'the output layer' : `hidden layer ${d.layer + 1}`;
    notices.show(`Training diverged at step ${d.step}: the ${d.what} of ${where} became NaN or infinite. ` +
      'Training is paused and the network is kept as it was before that step; press Reset (and lower the learning rate or the weight scale).', 'error', { id: 'diverged' });
    $('divergence').textContent = `Diverged at step ${d.step}, ${d.layer === hidden ? 'output layer' : where} (${d.what}).`;
    $('divergence').hidden = false;
  } else {
    notices.clear('diverged');
    $('divergence').hidden = true;
  }
  current = snap;
  dirty = true;
  const pub = publicStats(snap);
  for (const fn of statsListeners) fn(pub);
}

function render() {
  requestAnimationFrame(render);
  speedChart.draw();
  lossChart.draw();
  if (!dirty || !current || !state) return;
  dirty = false;
  const snap = current;
  const H = snap.widths.length - 2;
  const hidden = Array.from(snap.probe.speed.subarray(0, H));
  const ghost = snap.pretrain.enabled ? snap.pretrain.before : null;
  bars.render(hidden, ghost);
  $('ghost-key').hidden = !ghost;
  updateBars.render(snap.batch.step > 0 ? Array.from(snap.layers.updateRatio.subarray(0, H)) : []);
  $('remedy-notes').replaceChildren(...remedyNotes(state, snap).map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  renderPhase(snap);
  const reading = readSpeeds(hidden, state);
  $('ratio-sentence').textContent = reading.sentence;
  $('reading').textContent = reading.verdict;
  $('reading').dataset.kind = reading.kind;
  // Column c of the diagram is the output of network layer c − 1.
  drawNetwork($('network'), snap.widths, Array.from(snap.probe.speed), [false, ...snap.shortcuts]);
  const isMnist = state.dataset === 'mnist';
  const viewText = viewNotes(snap);
  $('data-title').textContent = isMnist ? 'Test digits and the network’s guesses' : 'Decision boundary and training points';
  $('data-note').textContent = isMnist ? '' : viewText.grid;
  $('data-note').hidden = isMnist || !viewText.grid;
  if (data.view?.kind === 'grid' && !isMnist) drawBoundary($('data-view'), data.view, data.points, data.labels);
  if (data.view?.kind === 'digits' && isMnist) drawDigits($('data-view'), data.view, data.pixels, data.digitLabels);
  renderLayerTable($('layer-table'), snap, state.activation);
  $('probe-note').textContent = viewText.probe;
  if (timing.firstSpeedsMs === null) timing.firstSpeedsMs = performance.now();
  const acc = snap.test ? `, test accuracy ${(100 * snap.test.accuracy).toFixed(1)} %${viewText.test ? ` ${viewText.test}` : ''}` : '';
  $('status').textContent = (snap.pretrain.enabled ? `pretraining ${snap.pretrain.steps} + ` : '') +
    `step ${snap.step} · epoch ${snap.epoch}` +
    (snap.playing ? ` · ${Math.round(rate.perSecond)} steps/s` : '') +
    ` · loss ${formatValue(snap.probe.loss)}${acc}`;
}

/** The pretraining phase, and the speeds before and after it. */
function renderPhase(snap) {
  const p = snap.pretrain;
  const box = $('phase');
  box.hidden = !p.enabled;
  if (!p.enabled) return;
  const list = (v) => (v ? v.map(formatValue).join(', ') : '…');
  if (p.active) {
    box.textContent = `Phase 1, pretraining: hidden layer ${p.layer + 1} of ${p.layers} as an autoencoder, epoch ${p.epoch + 1} of ${p.epochs}` +
      (p.steps > 0 ? ` (reconstruction cost ${formatValue(p.loss)}).` : '. Press Play or Step.') +
      ` Speeds before pretraining: ${list(p.before)}.`;
  } else {
    box.textContent = `Phase 2, fine-tuning the whole network with backprop (after ${p.steps} pretraining mini-batches). ` +
      `Speeds before pretraining: ${list(p.before)}; right after: ${list(p.after)}.`;
  }
}

function renderPresets() {
  const nav = $('presets');
  nav.replaceChildren(...PRESETS.map((p) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.title;
    b.dataset.preset = p.id;
    b.setAttribute('aria-pressed', String(state?.preset === p.id));
    b.addEventListener('click', () => applyPreset(p.id).catch(() => {}));
    return b;
  }));
}

function showPreset() {
  for (const b of $('presets').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(state.preset === b.dataset.preset));
  const preset = PRESETS.find((p) => p.id === state.preset);
  $('preset-caption').hidden = !preset;
  $('preset-caption').textContent = preset ? `${preset.title}: ${preset.caption}` : '';
}

/** A preset replaces every setting (defaults plus its own; the layout stays) and stops training. */
async function applyPreset(id) {
  if (playing) await pause();
  await apply({ ...settings.presetState(id), ...settings.layoutOf(requested ?? state) }, { replace: true });
}

/** The same state as a full page (the embedded page's "Open in gradlab" link). */
function fullPageLink(s) {
  const full = { ...s, embed: false, show: '', controls: '', hide: '', lock: false, autoplay: false };
  return assets.pageAddress() + settings.toHash(full, { compact: true }).replace(/^#$/, '');
}

/** Lays the page out for the state applied (embedding, views, controls, lock). */
function layout() {
  applyLayout(state, settings, controls, fullPageLink(state));
  share?.update();
}

function setPlaying(on) {
  playing = on;
  const button = $('play');
  button.textContent = on ? 'Pause' : 'Play';
  button.setAttribute('aria-pressed', String(on));
}

let requested = null;  // the newest state sent to the worker and not yet applied

/**
 * Applies valid changes on top of the newest requested state (so that changes
 * made while one is in flight add up rather than undo each other); the worker
 * rejects what the core refuses. Changing any setting but the seed leaves the
 * preset (settings.withChanges).
 */
async function apply(changes, { replace = false } = {}) {
  const base = requested ?? state;
  const next = replace ? { ...base, ...changes } : settings.withChanges(base, changes);
  requested = next;
  controls.update(next);
  try {
    const snap = await client.configure(next);
    if (requested === next) requested = null;
    if (!snap) return state;  // superseded by a newer change
    state = next;
    history.replaceState(null, '', settings.toHash(state));
    showPreset();
    layout();
    receive(snap);
    return state;
  } catch (e) {
    if (requested === next) requested = null;
    notices.show(`Could not apply the settings: ${e.message}`, 'error');
    controls.update(requested ?? state);
    throw e;
  }
}

async function play() {
  if (current?.diverged) {
    notices.show('The run has diverged: press Reset before playing again.', 'warning');
    return;
  }
  const r = await client.request('play');
  setPlaying(r.playing);
}

// The snapshots these return say whether a run goes on (receive sets the button).
async function pause() {
  receive(await client.request('pause'));
}

async function step(n = 1) {
  receive(await client.request('step', { n }));
}

async function reset() {
  receive(await client.request('reset'));
}

/** Loads the module and applies the settings in the link: at start, and after a restart. */
async function boot() {
  const init = await client.request('init', await assets.initPayload(engine));
  settings = makeState(init.settings, PRESETS);
  statistics = init.statistics.map((s) => s.key);
  if (!controls)
    controls = new Controls($('settings'), settings, (changes) => apply(changes).catch(() => {}),
      (message) => notices.show(message, 'warning'));
  const { state: fromLink, notices: problems } = settings.fromHash(location.hash);
  for (const p of problems) notices.show(p, 'warning');
  let first = fromLink;
  if (!init.mnist.loaded) {
    notices.show(`The MNIST digits could not be loaded (${init.mnist.error}). The 2-D datasets still work.`, 'error', { id: 'mnist' });
    if (first.dataset === 'mnist') first = { ...first, dataset: 'circle' };
  }
  state = first;
  controls.update(state);
  if (!share)
    share = new SharePanel(settings, () => state, assets.pageAddress,
      (s) => `gradlab: ${PRESETS.find((p) => p.id === s.preset)?.title ?? 'why deep networks are hard to train'}`, assets.OFFLINE);
  layout();
  renderPresets();
  setPlaying(false);
  const snap = await client.configure(state);
  history.replaceState(null, '', settings.toHash(state));
  showPreset();
  receive(snap);
}

/**
 * Chooses the engine (the `simd` key of the link can refuse SIMD), starts the
 * worker and boots; then plays, once visible, if the link says autoplay.
 */
async function start() {
  const simd = new URLSearchParams(location.hash.replace(/^#/, '')).get('simd');
  const allowSimd = simd === null || makeState([], PRESETS).parseValue('simd', simd).value !== false;
  engine = chooseEngine(wasmFeatures(), allowSimd);
  if (!engine)
    throw new Error('this browser cannot run WebAssembly, which gradlab needs to train the network. ' +
      'Open the page in a current Chrome, Edge, Firefox or Safari (or ask whether a setting or policy has turned WebAssembly off).');
  if (typeof Worker !== 'function') throw new Error('this browser cannot run Web Workers, which gradlab needs');
  client = new WorkerClient(await assets.workerFactory(engine));
  listen(client);
  await boot();
  // In a course page, an embedded simulator starts when the reader scrolls to it.
  if (state.autoplay) whenVisible().then(() => play()).catch((e) => notices.show(e.message, 'error'));
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

const whenReady = (fn) => () => (client ? fn() : Promise.resolve()).catch((e) => notices.show(e.message, 'error'));
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
for (const id of ['speed-bars', 'network', 'data-view']) resized.observe($(id));
let ready;
/** The worker's messages: snapshots, faults, its deaths. */
function listen(c) {
  c.on('stats', receive);
  c.on('fault', (message) => {
    setPlaying(false);
    notices.show(`Training paused: ${message}`, 'error', { id: 'fault' });
  });
  c.on('restart', (reason) => {
    setPlaying(false);
    notices.show(`The simulator stopped (${reason}) and was restarted with the settings in the link; training starts again from step 0.`, 'error', { id: 'restart' });
    ready = boot();
    window.gradlab.ready = ready;
    ready.catch((e) => notices.show(`gradlab could not restart: ${e.message}`, 'error'));
  });
  c.on('error', (message) => {
    setPlaying(false);
    notices.show(`The simulator stopped (${message}) and could not be restarted; reload the page.`, 'error', { id: 'restart' });
  });
}

ready = start().catch((e) => {
  notices.show(`gradlab could not start: ${e.message}`, 'error');
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
      const message = `gradlab.configure: ${errors.join('; ')}`;
      notices.show(message, 'warning');
      throw new Error(message);
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
  presets: PRESETS.map(({ id, title, caption }) => ({ id, title, caption })),
  async play() { await ready; await play(); },
  async pause() { await ready; await pause(); return publicStats(current); },
  /** n training steps (in slices: pause() stops them early). Resolves with the stats after them. */
  async step(n = 1) {
    await ready;
    if (!Number.isInteger(n) || n < 1 || n > 1e6) throw new Error('gradlab.step: n must be a whole number from 1 to 1000000');
    await step(n);
    return publicStats(current);
  },
  async reset() { await ready; await reset(); return publicStats(current); },
  state() { return state ? { ...state } : null; },
  stats() { return publicStats(current); },
  /** The settings table: every key, its type, range, default and help. */
  settings() { return settings ? settings.SCHEMA.map((s) => ({ ...s })) : null; },
  /** on('stats', fn): fn(stats) after every update; returns a function that unsubscribes. */
  on(event, fn) {
    if (event !== 'stats') throw new Error(`gradlab.on: unknown event '${event}' (only 'stats')`);
    statsListeners.add(fn);
    return () => statsListeners.delete(fn);
  },
};

// A course page that embeds this page drives it over postMessage (embed-api.js).
const embedApi = serveEmbedApi(window.gradlab);
ready.then(() => embedApi?.ready(), () => {});
