// The worker's run loop. It trains in slices and spends at most a third as much
// time on the views (the probe, the test evaluation, the data view, the
// snapshots) as on training, so training keeps at least three quarters of the
// worker's time whatever the network's size; views that cost more simply run
// less often. Play is a run without a step limit, step(n) a run of n steps; a
// run stops between slices when stop() is called (pause, configure, reset).
//
// It knows nothing of wasm or messages: the worker hands it callbacks, and the
// node tests a fake session and a fake clock (tests/node/runner.test.mjs).

const SLICE_MS = 30;               // training between two looks at the views and the message queue
export const VIEW_SHARE = 1 / 3;   // view time ≤ VIEW_SHARE × training time: training ≥ 75 %
export const MAX_CREDIT_MS = 100;  // how far cheap views may run ahead of that share

export class Runner {
  /**
   * @param {{
   *   step: (n: number) => number,
   *   stepsUntilView?: () => number,
   *   views: {name: string, everyMs: number, run: () => void, dueNow?: () => boolean}[],
   * }} ops  step(n) trains up to n steps and returns how many it did (fewer
   *   means the run diverged); stepsUntilView() says how many steps may pass
   *   before a view wants to look (0: now); each view wants to run every
   *   everyMs, or when its dueNow() says so.
   * @param {{now: () => number, yieldNow: () => Promise<void>}} env the clock,
   *   and a way to let queued messages in between slices.
   */
  constructor(ops, env) {
    this.ops = ops;
    this.env = env;
    this.chunk = 1;       // steps per ops.step() call, adapted to ~3 ms
    this.current = null;  // the run in progress: {stopped}
    this.time = { training: 0, views: 0 };  // ms since the current (or last) run began
    this.credit = 0;
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

  /** Asks the run in progress, if any, to stop at its next slice boundary. */
  stop() {
    if (this.current) this.current.stopped = true;
  }

  /**
   * Trains until `limit` steps are done, the run diverges or stop() is called.
   * Resolves with {done, stopped, diverged}; rejects with what ops threw.
   */
  async run(limit = Infinity, { views = true } = {}) {
    this.stop();
    const run = { stopped: false };
    this.current = run;
    this.time = { training: 0, views: 0 };
    this.credit = MAX_CREDIT_MS;
    const now = this.env.now;
    let done = 0;
    let diverged = false;
    try {
      while (!run.stopped && done < limit && !diverged) {
        const start = now();
        while (now() - start < SLICE_MS && done < limit) {
          // A view that is due by step count (the early probes) stops the slice, if the budget allows a look.
          const untilView = views && this.credit > 0 && this.ops.stepsUntilView ? this.ops.stepsUntilView() : Infinity;
          const want = Math.max(1, Math.min(this.chunk, limit - done, untilView));
          const t0 = now();
          const did = this.ops.step(want);
          const dt = now() - t0;
          done += did;
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
        const cap = MAX_CREDIT_MS + Math.max(0, ...this.cost.values());
        this.credit = Math.min(cap, this.credit + trained * VIEW_SHARE);
        if (views && !diverged && done < limit) this.#views();
        if (diverged || done >= limit) break;
        await this.env.yieldNow();
      }
    } finally {
      if (this.current === run) this.current = null;
    }
    return { done, stopped: run.stopped, diverged };
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
    const overdue = (v) => Math.max((t0 - this.last.get(v.name)) / v.everyMs, v.dueNow?.() ? 1 : 0);
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
