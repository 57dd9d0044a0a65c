// The Web Worker that owns the wasm module: it trains, measures and posts
// snapshots; the page only renders. Training never runs on the main thread.
//
// Protocol (see client.js): requests {id, type, payload} are answered with
// {id, result} or {id, error}; while playing, the worker also posts
// {type: 'stats', snapshot} about 30 times a second.
import createGradlab from './gradlab.mjs';

const SLICE_MS = 30;   // training time between two snapshots while playing
const PROBE_MS = 100;  // Nielsen's probe (1000 training examples) at most this often
const TEST_MS = 500;   // test-set accuracy
const VIEW_MS = 250;   // decision boundary or digit predictions
const DIGITS = 12;     // test digits shown with their predictions
const GRID = 48;       // decision-boundary resolution
const GRID_EXTENT = 1.2;

let M = null;          // the wasm module
let session = null;    // its one Session
let state = null;      // the page state last applied
let playing = false;
let chunk = 10;        // steps per session.step() call, adapted to ~3 ms
let history = [];      // points since the last snapshot
let test = null;       // {loss, accuracy, step} of the last test evaluation
let lastProbe = null;  // {loss, accuracy} of the probe set at the last measure()
let last = { probe: 0, test: 0, view: 0 };
let nextProbeStep = 1;  // early in a run, probe at geometrically spaced steps too
let dataVersion = 0;   // bumps when the data change (the page redraws points)
let sentDataVersion = -1;
let mnist = { loaded: false, error: null };
let pretrain = { before: null, after: null, wasActive: false };  // speeds around pretraining

/** Mini-batches so far: pretraining's and fine-tuning's (the charts' x axis). */
const totalSteps = () => session.steps() + session.pretrainStatus().steps;

const now = () => performance.now();

/**
 * Examples in Nielsen's probe: 1000 as in the book, fewer for networks so large
 * that 1000 forward and backward passes would stall the page (≥ 200, ~60 ms).
 */
export function probeSizeFor(s) {
  const inputs = s.dataset === 'mnist' ? 784 : 2;
  const params = inputs * s.width + (s.depth - 1) * s.width * s.width + s.width * 10;
  return Math.max(200, Math.min(1000, Math.floor(2.5e8 / params)));
}

function toConfig(s) {
  const c = session.config();
  c.probeSize = probeSizeFor(s);
  c.data = M.DataSource[s.dataset];
  c.noise = s.noise;
  c.depth = s.depth;
  c.width = s.width;
  c.activation = M.Activation[s.activation];
  c.weightInit = M.WeightInit[s.init];
  c.biasInit = M.BiasInit[s.biasInit];
  c.sigmaW = s.sigmaW;
  c.sigmaB = s.sigmaB;
  c.weightConstant = s.weightConst;
  c.biasConstant = s.biasConst;
  c.cost = M.Cost[s.cost];
  c.batchNorm = s.batchNorm;
  c.residual = s.residual;
  c.learningRate = s.lr;
  c.batchSize = s.batch;
  c.l2 = s.l2;
  c.l1 = s.l1;
  c.optimizer = M.Optimizer[s.optimizer];
  c.momentum = s.momentum;
  c.clipNorm = s.clipNorm;
  c.clipValue = s.clipValue;
  c.pretrainEpochs = s.pretrainEpochs;
  c.seed = s.seed;
  if (s.testSize !== undefined) c.testSize = s.testSize;  // the benchmark trains on all 10,000 digits
  for (const [k, v] of Object.entries(c))
    if (v === undefined) throw new Error(`unknown value for ${k}`);
  return c;
}

function hiddenSpeeds() {
  const all = session.probeSpeedView();
  return Array.from(all.subarray(0, all.length - 1));
}

/**
 * Nielsen's measure now, recorded as a history point. The test set is evaluated
 * at most every TEST_MS while playing, and always when `fresh`.
 */
function measure(fresh = false) {
  const probe = session.probe();
  const t = now();
  if (fresh || !test || t - last.test >= TEST_MS) {
    const e = session.evaluateTest(1000);
    test = { loss: e.loss, accuracy: e.accuracy, step: session.steps() };
    last.test = t;
  }
  lastProbe = { loss: probe.loss, accuracy: probe.accuracy };
  const status = session.pretrainStatus();
  if (pretrain.wasActive && !status.active) pretrain.after = hiddenSpeeds();  // pretraining just ended
  pretrain.wasActive = status.active;
  history.push({
    step: totalSteps(),
    speed: hiddenSpeeds(),
    loss: probe.loss,
    trainAccuracy: probe.accuracy,
    testAccuracy: test.accuracy,
  });
  last.probe = t;
  nextProbeStep = Math.max(totalSteps() + 1, Math.ceil(totalSteps() * 1.15));
  return probe;
}

/** Keeps the speeds before pretraining (the network was just built or reset). */
function startPretrainRecord() {
  const active = session.pretrainStatus().active;
  pretrain = { before: active ? hiddenSpeeds() : null, after: null, wasActive: active };
}

function dataView(force) {
  const t = now();
  if (!force && t - last.view < VIEW_MS) return null;
  last.view = t;
  if (state.dataset === 'mnist') {
    const view = { kind: 'digits', count: DIGITS, outputs: session.testOutputsView(DIGITS).slice() };
    if (sentDataVersion !== dataVersion) {
      view.pixels = session.testPixelsView(DIGITS).slice();  // bytes, 0–255
      view.labels = session.testLabelsView().slice(0, DIGITS);
    }
    return view;
  }
  const view = { kind: 'grid', resolution: GRID, extent: GRID_EXTENT,
    values: session.decisionGridView(GRID, GRID_EXTENT).slice() };
  if (sentDataVersion !== dataVersion) {
    view.points = session.trainInputsView().slice();
    view.labels = session.trainLabelsView().slice();
  }
  return view;
}

function snapshot(forceView = false) {
  const stats = session.stepStats();
  const layers = {};
  for (const name of ['speed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activationMean',
    'activationStd', 'saturation', 'activationHist', 'activationHistLo', 'activationHistHi', 'deltaHist'])
    layers[name] = session.statsView(name).slice();
  const probe = session.probeSpeedView().slice();
  const d = session.divergence();
  const view = dataView(forceView);
  const status = session.pretrainStatus();
  const snap = {
    step: session.steps(),
    totalSteps: totalSteps(),
    epoch: session.epoch(),
    stepsPerEpoch: session.stepsPerEpoch(),
    playing,
    widths: Array.from(session.layerWidthsView()),
    probe: { speed: probe, loss: lastProbe?.loss, accuracy: lastProbe?.accuracy,
      examples: Math.min(session.config().probeSize, session.trainSize()) },
    test,
    batch: { loss: stats.loss, accuracy: stats.accuracy, step: stats.step, gradNorm: stats.gradNorm,
      clipped: stats.clipped, clipCount: stats.clipCount },
    pretrain: { active: status.active, layer: status.layer, epoch: status.epoch, epochs: status.epochs,
      layers: status.layers, steps: status.steps, loss: status.loss, enabled: state.pretrainEpochs > 0,
      before: pretrain.before, after: pretrain.after },
    layers,
    diverged: d.diverged ? { step: d.step, layer: d.layer, what: d.what, message: d.message } : null,
    history,
    view,
    dataVersion,
  };
  if (view && (view.points || view.pixels)) sentDataVersion = dataVersion;
  history = [];
  return snap;
}

function transferables(snap) {
  const list = [snap.probe.speed.buffer, ...Object.values(snap.layers).map((a) => a.buffer)];
  if (snap.view) for (const k of ['outputs', 'pixels', 'labels', 'values', 'points'])
    if (snap.view[k]) list.push(snap.view[k].buffer);
  return list;
}

function post(message, snap) {
  self.postMessage(message, snap ? transferables(snap) : []);
}

// Zero-delay yielding between slices, so pause and configure messages get in.
const channel = new MessageChannel();
channel.port1.onmessage = tick;
const schedule = () => channel.port2.postMessage(null);

function tick() {
  if (!playing) return;
  const start = now();
  let diverged = false;
  while (now() - start < SLICE_MS) {
    const want = Math.max(1, Math.min(chunk, nextProbeStep - totalSteps()));
    const t0 = now();
    const done = session.step(want);
    const dt = now() - t0;
    if (done < want) {
      diverged = true;
      break;
    }
    if (want === chunk) chunk = Math.max(1, Math.min(5000, Math.round(chunk * 3 / Math.max(dt, 0.05))));
    if (now() - last.probe >= PROBE_MS || totalSteps() >= nextProbeStep) measure();
  }
  if (diverged) {
    playing = false;
    measure(true);
  }
  const snap = snapshot();
  post({ type: 'stats', snapshot: snap }, snap);
  if (playing) schedule();
}

const handlers = {
  async init({ mnistUrl }) {
    const [module, bytes] = await Promise.all([
      createGradlab(),
      fetch(mnistUrl).then((r) => {
        if (!r.ok) throw new Error(`${mnistUrl}: HTTP ${r.status} ${r.statusText}`);
        return r.arrayBuffer();
      }).catch((e) => e),
    ]);
    M = module;
    session = new M.Session();
    if (bytes instanceof Error) {
      mnist = { loaded: false, error: bytes.message };
    } else {
      try {
        session.loadMnist(new Uint8Array(bytes));
        mnist = { loaded: true, error: null };
      } catch (e) {
        mnist = { loaded: false, error: e.message };
      }
    }
    return { mnist };
  },

  configure({ state: next }) {
    const rebuilt = session.configure(toConfig(next));
    state = next;
    if (rebuilt) {
      history = [];
      test = null;
      dataVersion++;
    }
    measure(true);
    if (rebuilt) startPretrainRecord();
    const snap = snapshot(true);
    snap.rebuilt = rebuilt;
    return snap;
  },

  play() {
    if (!playing && !session.divergence().diverged) {
      playing = true;
      schedule();
    }
    return { playing };
  },

  pause() {
    playing = false;
    return { playing };
  },

  /** n steps; then a measured snapshot, or with `quiet` only the step count (the benchmark). */
  step({ n, quiet = false }) {
    let left = n;
    while (left > 0) {
      const want = Math.min(left, 1000);
      const done = session.step(want);
      left -= done;
      if (done < want) break;
    }
    if (quiet) return { steps: session.steps(), done: n - left };
    measure(true);
    return snapshot(true);
  },

  reset() {
    session.reset();
    history = [];
    test = null;
    measure(true);
    startPretrainRecord();
    const snap = snapshot(true);
    snap.reset = true;
    return snap;
  },
};

self.onmessage = async (event) => {
  const { id, type, payload } = event.data;
  try {
    if (!handlers[type]) throw new Error(`unknown request '${type}'`);
    if (type !== 'init' && !session) throw new Error('the simulator is still loading');
    const result = await handlers[type](payload ?? {});
    const snap = result && result.layers ? result : null;
    post({ id, result }, snap);
  } catch (e) {
    post({ id, error: e && e.message ? e.message : String(e) });
  }
};
