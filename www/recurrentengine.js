// The worker's recurrent mode (model=rnn|lstm): the core's RecurrentSession
// training the model's cell and the other one side by side on the same
// sequences, measured and posted as snapshots. worker.js hands it the module and
// the page's requests while the state names a recurrent model; it knows nothing
// of the MLP. Its run loop is a Runner of its own (runner.js), with its views:
// the gradient through time and the loss on the probe's sequences, the test set,
// and the snapshots.
import { Runner } from './runner.js';
import { paceRate } from './state.js';

const PROBE_MS = 150;    // ‖∂L/∂h_t‖ and the loss, about this often (less for long sequences: the runner's budget)
const TEST_MS = 500;     // test accuracy
const SNAPSHOT_MS = 30;

export class RecurrentEngine {
  /**
   * @param {object} M the wasm module
   * @param {{now: Function, yieldNow: Function, sleep: Function, post: (snap: object) => void}} env
   */
  constructor(M, env) {
    this.session = new M.RecurrentSession();
    this.env = env;
    this.state = null;
    this.playing = false;
    this.history = [];       // points since the last snapshot
    this.measured = null;    // per cell: the last probe {gradThroughTime, loss, accuracy}
    this.test = null;        // per cell: {loss, accuracy} and the step
    this.nextProbeStep = 1;  // early in a run, probe at geometrically spaced steps too
    this.postedSteps = -1;
    const stepped = (fn) => {
      let at = -1;
      return () => {
        if (this.session.steps() === at) return;
        at = this.session.steps();
        fn();
      };
    };
    this.runner = new Runner({
      step: (n) => this.session.step(n),
      views: [
        { name: 'probe', everyMs: PROBE_MS, run: stepped(() => this.#measure()),
          stepsUntilDue: () => Math.max(0, this.nextProbeStep - this.session.steps()) },
        { name: 'test', everyMs: TEST_MS, run: stepped(() => this.#evaluateTest()) },
        { name: 'snapshot', everyMs: SNAPSHOT_MS, run: () => { if (this.history.length || this.session.steps() !== this.postedSteps) this.#post(); } },
      ],
    }, env);
  }

  get running() { return this.runner.running; }

  /**
   * Applies a state of a recurrent model (`core`: its core settings). `fresh` (a
   * preset): networks kept are reset to step 0 as well. Returns the snapshot.
   */
  configure(core, state, { fresh = false } = {}) {
    const changed = !this.state || Object.keys(core).some((k) => core[k] !== this.state[k]);
    const rebuilt = changed ? this.session.configure(core, true) : false;
    this.state = state;
    this.runner.setPace(paceRate(state.pace));
    if (fresh && !rebuilt && this.session.steps() > 0) return this.reset();
    if (rebuilt) this.history = [];
    if (changed) this.#refresh();
    return { ...this.#snapshot(), rebuilt };
  }

  play(onFault) {
    if (this.playing || this.#allDiverged()) return { playing: this.playing && this.runner.running };
    this.playing = true;
    this.runner.run(Infinity, { paced: true }).then((r) => {
      if (r.stopped) return;
      this.playing = false;  // every cell diverged: the final state
      this.#refresh();
      this.#post();
    }).catch(onFault);
    return { playing: this.playing && this.runner.running };
  }

  stop() {
    this.runner.stop();
    this.playing = false;
  }

  pause() {
    const was = this.runner.running;
    this.stop();
    if (was) this.#refresh();
    return this.#snapshot();
  }

  async step(n) {
    this.stop();
    const r = await this.runner.run(n, { views: true });
    this.#refresh();
    return { ...this.#snapshot(), stopped: r.stopped };
  }

  reset() {
    this.session.reset();
    this.history = [];
    this.#refresh();
    return { ...this.#snapshot(), reset: true };
  }

  /** A snapshot of a run that failed (worker.js's fault), if one can be taken. */
  faultSnapshot() {
    this.playing = false;
    return this.#snapshot();
  }

  #allDiverged() {
    return this.session.cells().every((_, i) => this.session.diverged(i));
  }

  #measure() {
    const cells = this.session.cells();
    this.measured = cells.map((cell, i) => {
      const p = this.session.probe(i);
      return { cell, loss: p.loss, accuracy: p.accuracy, gradThroughTime: p.gradThroughTime.slice() };
    });
    const step = this.session.steps();
    this.history.push({ step, loss: this.measured.map((m) => m.loss), trainAccuracy: this.measured.map((m) => m.accuracy),
      testAccuracy: this.test ? this.test.cells.map((c) => c.accuracy) : cells.map(() => null) });
    this.nextProbeStep = Math.max(step + 1, Math.ceil(step * 1.15));
  }

  #evaluateTest() {
    this.test = { step: this.session.steps(), cells: this.session.cells().map((_, i) => this.session.evaluateTest(i)) };
  }

  #refresh() {
    this.#evaluateTest();
    this.#measure();
    for (const name of ['probe', 'test']) this.runner.viewRan(name, this.env.now());
  }

  #snapshot() {
    const s = this.session;
    const snap = {
      recurrent: true,
      model: this.state.model,
      step: s.steps(),
      playing: this.playing && this.runner.running,
      seqLen: this.state.seqLen,
      probeSequences: this.session.probeSequences(),
      // The measured arrays are copied out of wasm memory once (#measure); posting clones them.
      cells: this.measured.map((m, i) => ({ ...m,
        test: this.test?.cells[i] ?? null, diverged: s.diverged(i), steps: s.cellSteps(i), gradNorm: s.gradNorm(i) })),
      history: this.history,
      workerTime: { ...this.runner.time },
    };
    snap.diverged = snap.cells.every((c) => c.diverged);
    this.history = [];
    this.postedSteps = s.steps();
    return snap;
  }

  #post() {
    this.env.post(this.#snapshot());
  }
}
