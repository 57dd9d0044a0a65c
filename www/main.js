// gradlab's page: wires the state, the worker client, the controls and the views,
// and exposes the script API on window.gradlab. It renders on
// requestAnimationFrame from the newest snapshot only (stale ones are dropped).
import { WorkerClient } from './client.js';
import { Controls } from './controls.js';
import { layerColor } from './charts/colors.js';
import { drawBoundary, drawDigits } from './charts/dataview.js';
import { formatValue } from './charts/format.js';
import { drawNetwork } from './charts/network.js';
import { SpeedBars } from './charts/speedbars.js';
import { TimeSeries } from './charts/timeseries.js';
import { renderLayerTable } from './layertable.js';
import { Notices } from './notices.js';
import { readSpeeds } from './reading.js';
import { fromHash, toHash, validate } from './state.js';

const $ = (id) => document.getElementById(id);
const notices = new Notices($('notices'));
const client = new WorkerClient(new URL('./worker.js', import.meta.url));

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
const speedChart = new TimeSeries($('speed-chart'), { yLabel: 'speed ‖∂C/∂b‖ (log)', log: true });
const lossChart = new TimeSeries($('loss-chart'), { yLabel: 'loss', y2Label: 'accuracy' });
const controls = new Controls($('settings'), (changes) => apply(changes),
  (message) => notices.show(message, 'warning'));

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
    batchSpeed: snap.layers.speed[l],
    weightGradNorm: snap.layers.weightGradNorm[l],
    weightNorm: snap.layers.weightNorm[l],
    updateRatio: snap.layers.updateRatio[l],
    activationMean: snap.layers.activationMean[l],
    activationStd: snap.layers.activationStd[l],
    saturation: snap.layers.saturation[l],
  });
  return {
    step: snap.step,
    epoch: snap.epoch,
    loss: snap.probe.loss,
    trainAccuracy: snap.probe.accuracy,
    testAccuracy: snap.test ? snap.test.accuracy : null,
    diverged: Boolean(snap.diverged),
    divergence: snap.diverged,
    playing: snap.playing,
    layers: Array.from({ length: L - 1 }, (_, l) => layer(l)),
    output: layer(L - 1),
    widths: snap.widths.slice(),
  };
}

function receive(snap) {
  if (!snap) return;
  const hidden = snap.widths.length - 2;
  if (snap.rebuilt || snap.reset || hidden !== chartLayers) resetCharts(hidden);
  for (const p of snap.history) {
    speedChart.append(p.step, p.speed);
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
  if (!snap.playing && playing) setPlaying(false);
  if (snap.diverged) {
    const d = snap.diverged;
    notices.show(`Training diverged at step ${d.step}: the ${d.what} of ${d.layer === hidden ? 'the output layer' : `hidden layer ${d.layer + 1}`} became NaN or infinite. ` +
      'Training is paused; press Reset (and lower the learning rate or the weight scale).', 'error', { id: 'diverged' });
    $('divergence').textContent = `Diverged at step ${d.step}, ${d.layer === hidden ? 'output layer' : `hidden layer ${d.layer + 1}`} (${d.what}).`;
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
  if (!dirty || !current) return;
  dirty = false;
  const snap = current;
  const hidden = Array.from(snap.probe.speed.subarray(0, snap.widths.length - 2));
  bars.render(hidden);
  const reading = readSpeeds(hidden, state);
  $('ratio-sentence').textContent = reading.sentence;
  $('reading').textContent = reading.verdict;
  $('reading').dataset.kind = reading.kind;
  drawNetwork($('network'), snap.widths, Array.from(snap.probe.speed));
  const isMnist = state?.dataset === 'mnist';
  $('data-title').textContent = isMnist ? 'Test digits and the network’s guesses' : 'Decision boundary and training points';
  if (data.view?.kind === 'grid' && !isMnist) drawBoundary($('data-view'), data.view, data.points, data.labels);
  if (data.view?.kind === 'digits' && isMnist) drawDigits($('data-view'), data.view, data.pixels, data.digitLabels);
  renderLayerTable($('layer-table'), snap, state?.activation);
  $('probe-size').textContent = String(snap.probe.examples);
  if (timing.firstSpeedsMs === null) timing.firstSpeedsMs = performance.now();
  const acc = snap.test ? `, test accuracy ${(100 * snap.test.accuracy).toFixed(1)} %` : '';
  $('status').textContent = `step ${snap.step} · epoch ${snap.epoch}` +
    (snap.playing ? ` · ${Math.round(rate.perSecond)} steps/s` : '') +
    ` · loss ${formatValue(snap.probe.loss)}${acc}`;
}

function setPlaying(on) {
  playing = on;
  const button = $('play');
  button.textContent = on ? 'Pause' : 'Play';
  button.setAttribute('aria-pressed', String(on));
}

/** Applies valid changes; the worker rejects what the core refuses. */
async function apply(changes) {
  const next = { ...state, ...changes };
  controls.update(next);
  try {
    const snap = await client.configure(next);
    if (!snap) return state;  // superseded by a newer change
    state = next;
    history.replaceState(null, '', toHash(state));
    receive(snap);
    return state;
  } catch (e) {
    notices.show(`Could not apply the settings: ${e.message}`, 'error');
    controls.update(state);
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

async function pause() {
  await client.request('pause');
  setPlaying(false);
}

async function step(n = 1) {
  receive(await client.request('step', { n }));
}

async function reset() {
  receive(await client.request('reset'));
}

async function start() {
  const { state: fromLink, notices: problems } = fromHash(location.hash);
  for (const p of problems) notices.show(p, 'warning');
  const { mnist } = await client.request('init', { mnistUrl: new URL('./mnist.bin', import.meta.url).href });
  let first = fromLink;
  if (!mnist.loaded) {
    notices.show(`The MNIST digits could not be loaded (${mnist.error}). The 2-D datasets still work.`, 'error');
    if (first.dataset === 'mnist') first = { ...first, dataset: 'circle' };
  }
  state = first;
  controls.update(state);
  const snap = await client.configure(state);
  history.replaceState(null, '', toHash(state));
  receive(snap);
}

$('play').addEventListener('click', () => (playing ? pause() : play()).catch((e) => notices.show(e.message, 'error')));
$('step').addEventListener('click', () => step(1).catch((e) => notices.show(e.message, 'error')));
$('reset').addEventListener('click', () => reset().catch((e) => notices.show(e.message, 'error')));
$('new-seed').addEventListener('click', () => apply({ seed: Math.floor(Math.random() * 2147483647) }).catch(() => {}));
window.addEventListener('hashchange', () => {
  const { state: fromLink, notices: problems } = fromHash(location.hash);
  for (const p of problems) notices.show(p, 'warning');
  if (toHash(fromLink) !== toHash(state)) apply(fromLink).catch(() => {});
});
// Canvas and SVG views are drawn at their current size: redraw when it changes.
const resized = new ResizeObserver(() => { dirty = true; });
for (const id of ['speed-bars', 'network', 'data-view']) resized.observe($(id));
client.on('stats', receive);
client.on('error', (message) => notices.show(`The simulator stopped: ${message}`, 'error'));

const ready = start().catch((e) => {
  notices.show(`gradlab could not start: ${e.message}`, 'error');
  throw e;
});
requestAnimationFrame(render);

/** The script API, for course pages and tests. Calls that wait on the worker return promises. */
window.gradlab = {
  ready,
  timing,
  /** Applies some settings (same names as the URL hash). Rejects, changing nothing, on bad values. */
  async configure(partial) {
    await ready;
    const { changes, errors } = validate(partial);
    if (errors.length) {
      const message = `gradlab.configure: ${errors.join('; ')}`;
      notices.show(message, 'warning');
      throw new Error(message);
    }
    await apply(changes);
    return { ...state };
  },
  async play() { await ready; await play(); },
  async pause() { await ready; await pause(); },
  async step(n = 1) {
    await ready;
    if (!Number.isInteger(n) || n < 1 || n > 1e6) throw new Error('gradlab.step: n must be a whole number from 1 to 1000000');
    await step(n);
    return publicStats(current);
  },
  async reset() { await ready; await reset(); return publicStats(current); },
  state() { return state ? { ...state } : null; },
  stats() { return publicStats(current); },
  /** on('stats', fn): fn(stats) after every update; returns a function that unsubscribes. */
  on(event, fn) {
    if (event !== 'stats') throw new Error(`gradlab.on: unknown event '${event}' (only 'stats')`);
    statsListeners.add(fn);
    return () => statsListeners.delete(fn);
  },
};
