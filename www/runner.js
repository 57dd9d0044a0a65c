// The worker's run loop. It trains in slices and spends at most a fifth as much
// time on the views (the probe, the test evaluation, the data view, the
// snapshots) and on whatever else the worker does between slices as on training,
// so training keeps at least five sixths of the worker's time whatever the
// network's size, and the page trains at ≥ 75 % of the rate of the same worker
// training alone (bench/README.md: the views also slow the training between them,
// through the caches); views that cost more simply run less often. Play is a run
// without a step limit, step(n) a run of n steps; a run stops between slices when
// stop() is called (pause, configure, reset).
//
// Play can be paced (setPace: steps a second): the run then trains no faster
// than that, and the time it spends waiting for its next step is free for the
// views, so a slow pace measures after every step.
//
// It knows nothing of wasm or messages: the worker hands it callbacks, and the
// node tests a fake session and a fake clock (tests/node/runner.test.mjs).

const SLICE_MS = 30;               // training between two looks at the views and the message queue
export const VIEW_SHARE = 1 / 5;   // view time ≤ VIEW_SHARE × training time: training ≥ 5/6 ≈ 83 %
export const MAX_CREDIT_MS = 100;  // how far cheap views may run ahead of that share

export class Runner {
  /**
   * @param {{
   *   step: (n: number, measure: boolean) => number,
   *   views: {name: string, everyMs: number, run: () => void, stepsUntilDue?: () => number}[],
   * }} ops  step(n, measure) trains up to n steps (measure: with the per-layer
   *   statistics) and returns how many it did (fewer means the run diverged);
   *   each view wants to run every everyMs, and also, if it has stepsUntilDue(),
   *   after that many more steps (the early probes).
   * @param {{now: () => number, yieldNow: () => Promise<void>, sleep?: (ms: number) => Promise<void>}} env
   *   the clock, a way to let queued messages in between slices, and a way to
   *   wait (a paced run between its steps).
   */
  constructor(ops, env) {
    this.ops = ops;
    this.env = env;
    this.chunk = 1;       // steps per ops.step() call, adapted to ~3 ms
    this.current = null;  // the run in progress: {stopped}
    // ms since the current (or last) run began: training, views, and the rest
    // (between slices: other requests, the message queue).
    this.time = { training: 0, views: 0, other: 0, waiting: 0 };
    this.credit = 0;
    this.pace = Infinity;   // steps a second of a paced run
    this.paceFrom = null;   // {t, done}: where the current pace's schedule starts
    // Per view: when it last ran, and what it costs (a running average).
    this.last = new Map(ops.views.map((v) => [v.name, -Infinity]));
    this.cost = new Map(ops.views.map((v) => [v.name, 0]));
  }

  /** Forgets when the views last ran (the network changed: every view is stale). */
  viewsStale() {
    for (const v of this.ops.views) this.last.set(v.name, -Infinity);
  }

  /** Records that a view ran outside a run (e.g. a forced refresh), at time t. */
  viewRan(name, t) {
    this.last.set(name, t);
  }

  get running() { return this.current !== null; }

  /** Steps a second for paced runs (Infinity: as fast as it can); a run in progress follows at once. */
  setPace(stepsPerSecond) {
    const rate = stepsPerSecond > 0 ? stepsPerSecond : Infinity;
    if (rate !== this.pace) this.paceFrom = null;
    this.pace = rate;
  }

  /** Steps the pace allows now, after `done` (Infinity when unpaced); and when the next one is due. */
  #paceBudget(done) {
    if (!Number.isFinite(this.pace)) return { steps: Infinity, dueIn: 0 };
    const t = this.env.now();
    if (!this.paceFrom) this.paceFrom = { t, done };
    const period = 1000 / this.pace;
    const taken = done - this.paceFrom.done;
    const steps = Math.floor((t - this.paceFrom.t) / period) + 1 - taken;
    // After a long stall (a slow step, a busy page), do not race to catch up.
    if (steps > Math.max(1, this.pace)) {
      this.paceFrom = { t, done };
      return { steps: 1, dueIn: 0 };
    }
    return { steps, dueIn: this.paceFrom.t + taken * period - t };
  }

  /** Asks the run in progress, if any, to stop at its next slice boundary. */
  stop() {
    if (this.current) this.current.stopped = true;
  }

  /**
   * Trains until `limit` steps are done, the run diverges or stop() is called;
   * `paced` at setPace()'s rate; `measure` false trains without the per-layer
   * statistics (the benchmark). Resolves with {done, stopped, diverged};
   * rejects with what ops threw.
   */
  async run(limit = Infinity, { views = true, paced = false, measure = true } = {}) {
    this.stop();
    const run = { stopped: false };
    this.current = run;
    this.paceFrom = null;
    this.time = { training: 0, views: 0, other: 0, waiting: 0 };
    this.credit = MAX_CREDIT_MS;
    const now = this.env.now;
    let done = 0;
    let diverged = false;
    let lastEnd = now();
    try {
      while (!run.stopped && done < limit && !diverged) {
        const start = now();
        // Time between slices (other requests) is not training either: it is
        // charged to the views' credit, so training keeps ≥ 5/6 of all the time.
        this.time.other += start - lastEnd;
        this.credit -= start - lastEnd;
        const cap = () => MAX_CREDIT_MS + Math.max(0, ...this.cost.values());
        let budget = paced ? this.#paceBudget(done) : { steps: Infinity };
        if (budget.steps <= 0) {
          // Paced: the views may use the wait; then sleep (≤ 50 ms, so that a stop is seen soon).
          if (views) this.#views();
          const t = now();
          await this.env.sleep(Math.max(1, Math.min(50, this.#paceBudget(done).dueIn)));
          if (run.stopped) break;  // a new run may have begun: its clock and credit are its own
          const slept = now() - t;
          this.time.waiting += slept;
          this.credit = Math.min(cap(), this.credit + slept);
          lastEnd = now();
          continue;
        }
        let allowed = budget.steps;
        while (now() - start < SLICE_MS && done < limit && allowed > 0) {
          // A view due by step count (the early probes) ends the slice there, if the credit covers it.
          const untilView = views ? this.#stepsUntilAffordableView() : Infinity;
          const want = Math.max(1, Math.min(this.chunk, limit - done, untilView, allowed));
          const t0 = now();
          const did = this.ops.step(want, measure);
          const dt = now() - t0;
          done += did;
          allowed -= did;
          if (did < want) {
            diverged = true;
            break;
          }
          if (want === this.chunk) this.chunk = Math.max(1, Math.min(5000, Math.round(this.chunk * 3 / Math.max(dt, 0.05))));
          if (untilView <= want) break;
        }
        const trained = now() - start;
        this.time.training += trained;
        // Credit may build up to the dearest view's cost, so that one can run at all.
        this.credit = Math.min(cap(), this.credit + trained * VIEW_SHARE);
        if (views && !diverged && done < limit) this.#views();
        lastEnd = now();
        if (diverged || done >= limit) break;
        await this.env.yieldNow();
      }
    } finally {
      if (this.current === run) this.current = null;
    }
    return { done, stopped: run.stopped, diverged };
  }

  /**
   * Steps until a view becomes due by step count, if the credit covers it (else
   * Infinity): the slice ends there. A view already due ends no slice; it runs
   * at a slice's end once the budget allows.
   */
  #stepsUntilAffordableView() {
    let steps = Infinity;
    for (const v of this.ops.views) {
      if (!v.stepsUntilDue || this.credit <= 0 || this.credit < this.cost.get(v.name)) continue;
      const until = v.stepsUntilDue();
      if (until > 0) steps = Math.min(steps, until);
    }
    return steps;
  }

  /**
   * Runs the due views, the most overdue first (time since it last ran over its
   * period), each only if the credit covers its expected cost. A view that
   * cannot be afforded yet keeps the credit for itself: after it, only views at
   * least ten times cheaper may go ahead (the snapshots), so that neither the
   * cheap views nor a middling one starve a dear one.
   */
  #views() {
    const t0 = this.env.now();
    const overdue = (v) => Math.max((t0 - this.last.get(v.name)) / v.everyMs, v.stepsUntilDue?.() === 0 ? 1 : 0);
    const due = this.ops.views.filter((v) => overdue(v) >= 1).sort((a, b) => overdue(b) - overdue(a));
    let reserved = Infinity;
    for (const view of due) {
      const expected = this.cost.get(view.name);
      if (expected > reserved / 10) continue;
      if (this.credit <= 0 || this.credit < expected) {
        reserved = Math.min(reserved, expected);
        continue;
      }
      const t = this.env.now();
      view.run();
      const end = this.env.now();
      const cost = end - t;
      this.last.set(view.name, end);
      this.cost.set(view.name, expected === 0 ? cost : 0.7 * expected + 0.3 * cost);
      this.credit -= cost;
      this.time.views += cost;
    }
  }
}
