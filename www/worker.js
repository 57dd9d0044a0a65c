// The Web Worker that owns the wasm module: it trains, measures and posts
// snapshots; the page only renders. Training never runs on the main thread.
//
// Protocol (see client.js): requests {id, type, payload} are answered with
// {id, result} or {id, error}. While a run goes on (play, or step(n) in slices)
// the worker also posts {type: 'stats', snapshot} about 30 times a second. An
// exception during a run pauses it and posts {type: 'fault', message}; a trap of
// the wasm module itself (its state can no longer be trusted) posts
// {type: 'fatal', message}, and the page starts a new worker.
//
// It runs as a classic worker script (tools/make_site.mjs bundles it with
// runner.js): from the site's folder, where init loads the wasm module's script
// with importScripts, or from a Blob URL in the offline file, where the module's
// script comes first in the same Blob and init brings the wasm bytes gzipped.
import { Runner } from './runner.js';
import { RecurrentEngine } from './recurrentengine.js';
import { isRecurrent, paceRate, shownViews } from './state.js';

const PROBE_MS = 100;     // Nielsen's probe about this often (less for large networks: runner.js)
const TEST_MS = 500;      // test-set accuracy
const VIEW_MS = 250;      // decision boundary or digit predictions
const HISTOGRAM_MS = 250; // Glorot & Bengio's histograms, while a view shows them
const BINS = 41;          // odd: 0 is a bin's centre on the symmetric ranges
const CURVE_POINTS = 241; // φ and φ′ as plotted
const CURVE_MIN_EXTENT = 4; // the φ plot spans at least z ∈ [−4, 4], where sigmoid and tanh bend
const SNAPSHOT_MS = 30;   // stats to the page: after every slice
const DIGITS = 12;        // test digits shown with their predictions
const GRID_EXTENT = 1.2;

let M = null;             // the wasm module
let session = null;       // its one Session
let statistics = [];      // the per-layer statistics' names (the core's kLayerStatistics)
let probeStatistics = []; // the probe's per-layer quantities' names (kProbeStatistics: speed, gradRms, gain, …)
let histogramQuantities = []; // the histograms' quantities' names (kHistogramQuantities)
let coreKeys = new Set(); // the settings table's keys
let state = null;         // the page state last applied
let playing = false;      // a play run is going on
let history = [];         // points since the last snapshot
let test = null;          // {loss, accuracy, step, examples} of the last test evaluation
let lastProbe = null;     // {loss, accuracy} of the probe set at the last measure()
let pendingView = null;   // the data view computed since the last snapshot
let pendingHistograms = null; // the histograms computed since the last snapshot
let histogramsAt = -1;    // totalSteps() when they were computed
let pendingTheory = null; // mean-field theory for a new network, not yet sent
let theoryKey = '';       // the settings the last theory was computed for
let lineKey = '';         // the activation the last critical line was computed for
let nextProbeStep = 1;    // early in a run, probe at geometrically spaced steps too
let dataVersion = 0;      // bumps when the data change (the page redraws points)
let sentDataVersion = -1;
let mnist = { loaded: false, error: null };
let pretrain = { before: null, after: null, wasActive: false };  // speeds around pretraining
let sentColumns = false;  // the history's columns have gone to the page
let epochsDone = 0;       // epochs of mini-batches so far, at each step's own batch size (the epochs axis)
let recurrent = null;     // the recurrent mode (recurrentengine.js), once a state names rnn or lstm
let recurrentMode = false; // the last state applied names a recurrent model: the requests go to `recurrent`

/** The history's columns for the network now (the core's names, as the CLI's csv has them). */
function columns() {
  sentColumns = true;
  return M.historyColumns(session.layerWidthsView().length - 1);
}

const now = () => performance.now();
/** Mini-batches so far: pretraining's and fine-tuning's (the charts' x axis). */
const totalSteps = () => session.steps() + session.pretrainStatus().steps;

function hiddenSpeeds() {
  const all = session.probeSpeedView();
  return Array.from(all.subarray(0, all.length - 1));
}

/** Nielsen's measure now, recorded as a history point. */
function measure() {
  const probe = session.probe();
  lastProbe = { loss: probe.loss, accuracy: probe.accuracy };
  const status = session.pretrainStatus();
  if (pretrain.wasActive && !status.active) pretrain.after = hiddenSpeeds();  // pretraining just ended
  pretrain.wasActive = status.active;
  // Each point carries what the export needs: every layer's probe quantities and
  // the last step's statistics (none before the first step), in the core's names.
  const stats = session.stepStats();
  const layers = {};
  if (stats.step > 0) for (const name of statistics) layers[name] = Array.from(session.statsView(name));
  const chain = Object.fromEntries(probeStatistics.map((name) => [name, Array.from(session.probeView(name))]));
  // step: the charts' x (pretraining's mini-batches included); trainingStep: the
  // CLI's `step` (training steps done), which the export writes.
  history.push({ step: totalSteps(), trainingStep: session.steps(), epoch: session.epoch(), epochs: epochsDone,
    speed: chain.speed.slice(0, -1), probe: chain, stats: layers,
    loss: probe.loss, trainAccuracy: probe.accuracy, testAccuracy: test ? test.accuracy : null });
  nextProbeStep = Math.max(totalSteps() + 1, Math.ceil(totalSteps() * 1.15));
}

function evaluateTest() {
  const e = session.evaluateTest();
  test = { loss: e.loss, accuracy: e.accuracy, step: session.steps(), examples: e.examples };
}

/** Keeps the speeds before pretraining (the network was just built or reset). */
function startPretrainRecord() {
  const active = session.pretrainStatus().active;
  pretrain = { before: active ? hiddenSpeeds() : null, after: null, wasActive: active };
}

function dataView() {
  if (state.dataset === 'gaussian') return { kind: 'none' };  // many dimensions: nothing to draw in 2-D
  if (state.dataset === 'mnist') {
    const view = { kind: 'digits', count: DIGITS, outputs: session.testOutputsView(DIGITS).slice() };
    if (sentDataVersion !== dataVersion) {
      view.pixels = session.testPixelsView(DIGITS).slice();  // bytes, 0–255
      view.labels = session.testLabelsView().slice(0, DIGITS);
    }
    return view;
  }
  const plan = session.viewPlan();
  const view = { kind: 'grid', resolution: plan.gridResolution, extent: GRID_EXTENT,
    values: session.decisionGridView(GRID_EXTENT).slice() };
  if (sentDataVersion !== dataVersion) {
    view.points = session.trainInputsView().slice();
    view.labels = session.trainLabelsView().slice();
  }
  return view;
}

/** Whether a view on the page shows the histograms (the φ plot shows the pre-activations). */
const wantsHistograms = () => state !== null && shownViews(state).some((v) => v === 'histograms' || v === 'phi');

/**
 * Glorot & Bengio's histograms of every hidden layer now, copied out of wasm
 * memory, with φ and φ′ over the pre-activations' range (at least ±4).
 */
function histogramView({ record = true } = {}) {
  const h = session.histograms(BINS);
  const copy = (q) => ({ lo: q.lo, hi: q.hi, bins: q.bins, fraction: q.fraction.slice(), mean: q.mean.slice(),
    stddev: q.stddev.slice(), nonfinite: q.nonfinite.slice() });
  const view = { step: totalSteps(), examples: h.examples, flat: h.flat.slice(),
    quantities: Object.fromEntries(histogramQuantities.map((key) => [key, copy(h[key])])) };
  const extent = Math.max(CURVE_MIN_EXTENT, view.quantities.preactivation.hi);
  const curve = session.activationCurveView(-extent, extent, CURVE_POINTS);
  const n = CURVE_POINTS;
  view.curve = { z: curve.slice(0, n), phi: curve.slice(n, 2 * n), dphi: curve.slice(2 * n, 3 * n), peak: session.activationPeak() };
  if (record) histogramsAt = totalSteps();  // what the page's views have
  return view;
}

/** The histograms, if a view shows them and the network moved since they were taken. */
function updateHistograms() {
  if (wantsHistograms() && histogramsAt !== totalSteps()) pendingHistograms = histogramView();
}

const CRITICAL_LINE = { maxSigmaB2: 2, points: 21 };  // the phase diagram's σ_b² axis
const THEORY_INITS = ['he_normal', 'xavier_normal', 'lecun_normal'];  // marked on the phase diagram
let wantsTheoryOverride = false;  // the script API asks for the theory whatever is shown
const wantsTheory = () => state !== null && (wantsTheoryOverride || shownViews(state).some((v) => v === 'theory' || v === 'phase'));
const wantsLine = () => state !== null && (wantsTheoryOverride || shownViews(state).includes('phase'));

/**
 * Mean-field theory for the network, when a view shows it and the settings it
 * depends on changed: the theory's quantities, the σ_w² of the marked inits and,
 * for the phase diagram, the critical line of the activation (once per activation).
 */
function updateTheory() {
  if (!wantsTheory()) return;
  const keyOf = (keys) => JSON.stringify(keys.map((k) => state[k]));
  const activation = keyOf(['activation', 'leakySlope', 'eluAlpha']);
  const key = activation + keyOf(['init', 'sigmaW', 'weightConstant', 'biasInit', 'sigmaB', 'biasConstant', 'width']);
  const needLine = wantsLine() && lineKey !== activation;
  if (key === theoryKey && !needLine) return;
  theoryKey = key;
  const theory = theoryNow();
  pendingTheory = theory;
  if (needLine) {
    lineKey = activation;
    if (wantsTheoryOverride) theory.line = criticalLine();
    else setTimeout(() => sendLine(activation), 0);  // after this reply: the line takes a few hundred ms
  }
}

/** The theory's quantities for the network now, and where the marked inits fall. */
function theoryNow() {
  return { ...session.meanField(), activation: state.activation,
    marks: Object.fromEntries(THEORY_INITS.map((init) => [init, session.initSigmaW2(init)])) };
}

function criticalLine() {
  return { maxSigmaB2: CRITICAL_LINE.maxSigmaB2, activation: state.activation,
    criticalSigmaW2: session.criticalLineView(CRITICAL_LINE.maxSigmaB2, CRITICAL_LINE.points).slice() };
}

/** The critical line of `activation` (a key of updateTheory's), if it is still the network's, to the page. */
function sendLine(activation) {
  if (lineKey !== activation || !session) return;
  try {
    pendingTheory = { ...theoryNow(), line: criticalLine() };
    if (!runner.running) postStats();  // a run posts it with its next snapshot
  } catch (e) {
    fault(e);
  }
}

/** Every view now: after a configure, a reset, a step(n), the end of a run. */
function refresh() {
  evaluateTest();
  measure();
  pendingView = dataView();
  histogramsAt = -1;
  updateHistograms();
  for (const name of ['test', 'probe', 'view', 'histograms']) runner.viewRan(name, now());
}

function snapshot() {
  const stats = session.stepStats();
  const layers = {};
  for (const name of statistics) layers[name] = session.statsView(name).slice();
  const d = session.divergence();
  const status = session.pretrainStatus();
  const view = pendingView;
  pendingView = null;
  const histograms = pendingHistograms;
  pendingHistograms = null;
  const theory = pendingTheory;
  pendingTheory = null;
  const plan = session.viewPlan();
  const snap = {
    step: session.steps(),
    totalSteps: totalSteps(),
    epoch: session.epoch(),
    stepsPerEpoch: session.stepsPerEpoch(),
    playing: playing && runner.running,
    widths: Array.from(session.layerWidthsView()),
    shortcuts: session.shortcuts(),
    plan,
    probe: { ...Object.fromEntries(probeStatistics.map((name) => [name, session.probeView(name).slice()])),
      loss: lastProbe?.loss, accuracy: lastProbe?.accuracy,
      examples: plan.probeExamples },
    test,
    batch: { loss: stats.loss, accuracy: stats.accuracy, step: stats.step, gradNorm: stats.gradNorm,
      clipped: stats.clipped, clipCount: stats.clipCount },
    pretrain: { active: status.active, layer: status.layer, epoch: status.epoch, epochs: status.epochs,
      layers: status.layers, steps: status.steps, loss: status.loss, enabled: state.pretrainEpochs > 0,
      before: pretrain.before, after: pretrain.after },
    layers,
    diverged: d.diverged ? { step: d.step, layer: d.layer, what: d.what, code: d.code, message: d.message } : null,
    workerTime: { ...runner.time },
    history,
    view,
    histograms,
    theory,
    dataVersion,
  };
  if (view && (view.points || view.pixels)) sentDataVersion = dataVersion;
  history = [];
  return snap;
}

function transferables(snap) {
  const list = [...probeStatistics.map((name) => snap.probe[name].buffer), ...Object.values(snap.layers).map((a) => a.buffer)];
  if (snap.view) for (const k of ['outputs', 'pixels', 'labels', 'values', 'points'])
    if (snap.view[k]) list.push(snap.view[k].buffer);
  if (snap.histograms) {
    const { z, phi, dphi } = snap.histograms.curve;
    list.push(snap.histograms.flat.buffer, z.buffer, phi.buffer, dphi.buffer);
    for (const q of Object.values(snap.histograms.quantities)) list.push(q.fraction.buffer, q.mean.buffer, q.stddev.buffer, q.nonfinite.buffer);
  }
  return list;
}

function post(message, snap) {
  self.postMessage(message, snap ? transferables(snap) : []);
}

let postedSteps = -1;  // totalSteps() at the last snapshot posted
function postStats() {
  postedSteps = totalSteps();
  const snap = snapshot();
  post({ type: 'stats', snapshot: snap }, snap);
}

// Zero-delay yielding between slices, so that pause and configure messages get
// in: each yield posts one message to itself and waits for it (FIFO).
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

/** `fn`, skipped when the network is where it was at the view's last run (a paced run waiting). */
const stepped = (fn) => {
  const at = { value: -1 };
  return () => {
    if (totalSteps() === at.value) return;
    at.value = totalSteps();
    fn();
  };
};

const runner = new Runner({
  step: (n, measure) => {
    const did = measure ? session.step(n) : session.stepUnmeasured(n);
    epochsDone += did / Math.max(1, session.stepsPerEpoch());
    return did;
  },
  views: [
    { name: 'probe', everyMs: PROBE_MS, run: stepped(measure), stepsUntilDue: () => Math.max(0, nextProbeStep - totalSteps()) },
    { name: 'test', everyMs: TEST_MS, run: stepped(evaluateTest) },
    { name: 'view', everyMs: VIEW_MS, run: stepped(() => { pendingView = dataView(); }) },
    { name: 'histograms', everyMs: HISTOGRAM_MS, run: updateHistograms },
    // Only when something changed (a paced run waits between steps).
    { name: 'snapshot', everyMs: SNAPSHOT_MS, run: () => { if (history.length || pendingView || pendingHistograms || totalSteps() !== postedSteps) postStats(); } },
  ],
}, { now, yieldNow, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });

/** A wasm trap (abort, out of bounds, unreachable): the module can no longer be trusted. */
const isTrap = (e) => e instanceof WebAssembly.RuntimeError;

/** The code, values and key of a core error (bindings.cpp), for the page to word. */
function codeOf(e) {
  if (!e || typeof e.code !== 'string') return {};
  const values = {};
  if (e.values && typeof e.values === 'object') for (const [k, v] of Object.entries(e.values)) values[k] = String(v);
  return { code: e.code, values, ...(typeof e.key === 'string' ? { key: e.key } : {}) };
}

/** An exception during a run: pause, say so, and keep the worker usable. */
function fault(e) {
  playing = false;
  const message = e && e.message ? e.message : String(e);
  if (isTrap(e)) {
    post({ type: 'fatal', message });
    return;
  }
  post({ type: 'fault', message, ...codeOf(e) });
  try {
    if (recurrentMode) post({ type: 'stats', snapshot: recurrent.faultSnapshot() });
    else postStats();
  } catch { /* the fault message has said it */ }
}

/** Stops any run (pause, and a step(n) replacing a run). */
function stopRun() {
  runner.stop();
  playing = false;
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** The wasm module: {script} (its URL) or {wasmGzip} (its script is already loaded). */
async function loadModule(source) {
  if (typeof self.createGradlab !== 'function') {
    if (typeof source?.script !== 'string') throw new Error('init: no module to load');
    importScripts(source.script);
  }
  const options = source.wasmGzip ? { wasmBinary: new Uint8Array(await gunzip(source.wasmGzip)) }
    : { locateFile: (path) => new URL(path, source.script).href };
  return self.createGradlab(options);
}

/** The digits' bytes: {url}, {gzip} (bytes) or {error}. */
async function loadBytes(source) {
  if (source?.error) throw new Error(source.error);
  if (source?.gzip) return gunzip(source.gzip);
  const fetchError = (detail) => Object.assign(new Error(`${source.url}: ${detail}`),
    { code: 'mnist_fetch', values: { url: source.url, detail } });
  let r;
  try {
    r = await fetch(source.url);
  } catch (e) {
    throw fetchError(e.message);
  }
  if (!r.ok) throw fetchError(`HTTP ${r.status} ${r.statusText}`);
  return r.arrayBuffer();
}

/** Refuses a request that measures the MLP while a recurrent model is shown. */
function mlpOnly(request) {
  if (recurrentMode) throw Object.assign(new Error(`${request}() measures the MLP's layers; the page shows a recurrent model (model=mlp for the MLP)`),
    { code: 'mlp_only', values: { request } });
}

const handlers = {
  async init({ module: moduleSource, mnist: mnistSource }) {
    const [module, bytes] = await Promise.all([loadModule(moduleSource), loadBytes(mnistSource).catch((e) => e)]);
    M = module;
    session = new M.Session();
    statistics = M.layerStatistics().map((s) => s.key);
    probeStatistics = M.probeStatistics().map((s) => s.key);
    histogramQuantities = M.histogramQuantities().map((s) => s.key);
    theoryKey = lineKey = '';
    const settings = M.settings();
    coreKeys = new Set(settings.map((s) => s.key));
    // A failure to load the digits is a problem the page words: {message, code, values}.
    const failed = (e) => ({ loaded: false, error: { message: e.message, ...codeOf(e) } });
    if (bytes instanceof Error) {
      mnist = failed(bytes);
    } else {
      try {
        session.loadMnist(new Uint8Array(bytes));
        mnist = { loaded: true, error: null };
      } catch (e) {
        mnist = failed(e);
      }
    }
    return { mnist, settings, statistics: M.layerStatistics(), probeStatistics: M.probeStatistics(),
      histogramQuantities: M.histogramQuantities(), theoryQuantities: M.theoryQuantities(), sweepQuantities: M.sweepQuantities() };
  },

  /**
   * Applies settings; a run in progress goes on (with the new network, if one was
   * built). `fresh` (a preset): a network kept is reset to step 0 as well.
   */
  configure({ state: next, fresh = false }) {
    const core = Object.fromEntries(Object.entries(next).filter(([k]) => coreKeys.has(k)));
    // The new settings are applied first: if the core refuses them, nothing
    // changes, not even the mode (and its run goes on).
    if (isRecurrent(next)) {
      recurrent ??= new RecurrentEngine(M, { now, yieldNow, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        post: (snap) => post({ type: 'stats', snapshot: snap }) });
      const snap = recurrent.configure(core, next, { fresh });
      if (!recurrentMode) stopRun();  // the MLP's run ends where the recurrent mode begins
      recurrentMode = true;
      return snap;
    }
    const coreChanged = !state || Object.keys(core).some((k) => core[k] !== state[k]);
    const rebuilt = coreChanged ? session.configure(core) : false;
    if (recurrentMode) recurrent.stop();
    recurrentMode = false;
    state = next;
    runner.setPace(paceRate(state.pace));
    if (fresh && !rebuilt && totalSteps() > 0) {
      const snap = handlers.reset();
      updateTheory();
      return snap;
    }
    if (!coreChanged && sentColumns) {  // only the page's keys (language, pace, views): nothing to measure
      updateHistograms();  // but a view that shows the histograms or the theory may have appeared
      updateTheory();
      return snapshot();
    }
    if (rebuilt) {
      history = [];
      test = null;
      dataVersion++;
      epochsDone = 0;
    }
    refresh();
    updateTheory();
    if (rebuilt) startPretrainRecord();
    const snap = snapshot();
    snap.rebuilt = rebuilt;
    if (rebuilt || !sentColumns) snap.columns = columns();
    return snap;
  },

  play() {
    if (recurrentMode) return recurrent.play(fault);
    if (playing || session.divergence().diverged) return { playing: playing && runner.running };
    playing = true;
    runner.run(Infinity, { paced: true }).then((r) => {
      if (r.stopped) return;  // a pause or a step(n): its reply says what happened
      playing = false;
      refresh();  // diverged: the final state
      postStats();
    }).catch(fault);
    // A run that diverged in its first slice has already ended.
    return { playing: playing && runner.running };
  },

  /** Stops any run; the snapshot is measured where it stopped (e.g. right after pretraining ended). */
  pause() {
    if (recurrentMode) return recurrent.pause();
    const wasRunning = runner.running;
    stopRun();
    if (wasRunning) refresh();
    return snapshot();
  },

  /**
   * n steps, in slices between which other requests (pause) get in. Resolves
   * with a measured snapshot (`stopped` if a request cut it short), or with
   * `quiet` only the step count (the benchmark), and with `measure: false` the
   * steps skip the per-layer statistics (the benchmark's cost of instrumentation).
   */
  async step({ n, quiet = false, measure = true }) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`step: n must be a whole number ≥ 1 (got ${n})`);
    if (recurrentMode) return recurrent.step(n);
    if (!measure && !quiet) throw new Error('step: measure: false needs quiet: true (no statistics to show)');
    stopRun();
    const r = await runner.run(n, { views: !quiet, measure });
    if (quiet) return { steps: session.steps(), done: r.done, stopped: r.stopped };
    refresh();
    const snap = snapshot();
    snap.stopped = r.stopped;
    return snap;
  },

  /** Mean-field theory for the network now, with the critical line (the script API's theory()). */
  theory() {
    mlpOnly('theory');
    theoryKey = lineKey = '';
    wantsTheoryOverride = true;  // as if the phase diagram were shown: the whole theory, line included
    try {
      updateTheory();
    } finally {
      wantsTheoryOverride = false;
    }
    return pendingTheory;  // it goes to the page with the next snapshot too
  },

  /** The wasm module's memory: {heapBytes, inUseBytes, sessions} (the script API's memory()). */
  memory() {
    return M.memoryUse();
  },

  /** Glorot & Bengio's histograms of the network now (the script API's histograms()). */
  histograms() {
    mlpOnly('histograms');
    return histogramView({ record: false });  // the script API's copy: the views still get theirs
  },

  /** Fresh weights; a run in progress goes on from step 0. */
  reset() {
    if (recurrentMode) return recurrent.reset();
    session.reset();
    epochsDone = 0;
    history = [];
    test = null;
    refresh();
    startPretrainRecord();
    const snap = snapshot();
    snap.reset = true;
    snap.columns = columns();
    return snap;
  },
};

self.onmessage = async (event) => {
  const message = event.data;
  const id = message?.id;
  try {
    const type = message?.type;
    if (!Object.hasOwn(handlers, type)) throw new Error(`unknown request '${type}'`);
    if (type !== 'init' && !session) throw new Error('the simulator is still loading');
    const result = await handlers[type](message.payload ?? {});
    const snap = result && result.layers ? result : null;
    post({ id, result }, snap);
  } catch (e) {
    post({ id, error: e && e.message ? e.message : String(e), ...codeOf(e) });
    if (isTrap(e)) post({ type: 'fatal', message: e.message });
  }
};
