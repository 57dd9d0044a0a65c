// The depth sweep ("deeper is not better"): the same data, width, seed and
// training budget at every depth from `from` to `to` hidden layers, each depth
// trained in a background worker of its own, several at once (one per core, less
// one if the page's own simulator is training when the sweep starts). No DOM:
// sweepview.js draws it.
import { WorkerClient } from './client.js';
import { EMBEDDED_MAX_NETWORKS } from './state.js';

/** The most workers a sweep uses on a page of its own. */
export const MAX_SWEEP_WORKERS = 4;

/**
 * How many workers a sweep of `depths` depths uses on a machine of `cores` cores
 * (at most MAX_SWEEP_WORKERS), leaving one core to the page's simulator while it
 * trains `beside` networks (A, B, a recurrent model's cells). Embedded (a course
 * page, the walk-through), the sweep and those networks together keep to
 * EMBEDDED_MAX_NETWORKS. Pure.
 */
export function sweepWorkers(depths, cores, beside = 0, embedded = false) {
  const most = embedded ? EMBEDDED_MAX_NETWORKS - beside : MAX_SWEEP_WORKERS;
  return Math.max(1, Math.min(depths, (cores || 2) - (beside > 0 ? 1 : 0), most));
}

/**
 * A row of the sweep, named as the core's kSweepQuantities (columns.hpp), from
 * the snapshots at initialization and after training. trainAccuracy and loss
 * are over the probe's examples (the CLI's over the whole training set).
 */
export function sweepRow(depth, initial, trained) {
  const H = initial.widths.length - 2;
  return { depth, steps: trained.step, testAccuracy: trained.test ? trained.test.accuracy : null,
    trainAccuracy: trained.probe.accuracy, loss: trained.probe.loss,
    speedFirstInit: initial.probe.speed[0], speedLastInit: initial.probe.speed[H - 1],
    diverged: Boolean(trained.diverged) };
}

export class DepthSweep {
  /**
   * @param {{startWorker: () => Worker, initPayload: () => Promise<object>, cores: number,
   *   beside?: () => number, embedded?: () => boolean, changed?: () => void}} env
   *   beside() is how many networks the page trains besides the sweep
   *   changed() is called when the number of workers training changes
   */
  constructor(env) {
    this.env = env;
    this.current = null;
  }

  get running() { return this.current !== null; }

  /** The workers training now (0 when no sweep runs). */
  get workers() { return this.current ? this.current.training : 0; }

  /**
   * Runs the sweep for `state` (the page's settings) over depths from..to, `steps`
   * training steps each. onProgress({depth, fraction}) as each depth trains.
   * Resolves with the rows in depth order (those done, if stopped); a depth that
   * fails rejects with the error, carrying the rows done as `rows`.
   */
  async run({ state, from, to, steps }, onProgress = () => {}) {
    this.stop();
    const run = { stopped: false, clients: [], training: 0 };
    this.current = run;
    const depths = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const queue = [...depths].reverse();  // the deepest (slowest) first: the workers finish together
    const rows = new Map();
    const changed = () => this.env.changed?.();
    const one = async () => {
      const client = new WorkerClient(this.env.startWorker);
      run.clients.push(client);
      run.training++;
      changed();
      let active = null;
      client.on('stats', (snap) => { if (active !== null) onProgress({ depth: active, fraction: Math.min(1, snap.step / steps) }); });
      await client.request('init', await this.env.initPayload());
      while (queue.length > 0 && !run.stopped) {
        const depth = queue.shift();
        active = depth;
        onProgress({ depth, fraction: 0 });
        // The views a sweep needs (the bars' probe); none of the page's layout.
        const initial = await client.configure({ ...state, depth, show: 'bars', embed: false, autoplay: false });
        const trained = await client.request('step', { n: steps });
        rows.set(depth, sweepRow(depth, initial, trained));
        onProgress({ depth, fraction: 1 });
      }
      active = null;
      run.training--;
      changed();
    };
    const done = () => depths.filter((d) => rows.has(d)).map((d) => rows.get(d));
    try {
      const workers = sweepWorkers(depths.length, this.env.cores, this.env.beside?.() ?? 0,
        this.env.embedded?.() ?? false);
      await Promise.all(Array.from({ length: workers }, one));
    } catch (e) {
      run.stopped = true;  // the other workers stop too
      if (this.current === run && !(e.code === 'worker_gone')) throw Object.assign(e, { rows: done() });
    } finally {
      for (const c of run.clients) c.close();
      if (this.current === run) this.current = null;
      changed();
    }
    return done();
  }

  /** Stops a sweep in progress: its workers end, and run() resolves with the rows done. */
  stop() {
    if (!this.current) return;
    this.current.stopped = true;
    for (const c of this.current.clients) c.close();
  }
}
