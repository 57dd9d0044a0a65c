// The walk-through's rule for the reader's machine: at most MAX_NETWORKS
// networks train at once across all its embedded simulators. Each simulator
// reports how many networks it trains now (stats().networks: A, B beside it,
// a depth sweep's workers); the one started last keeps running and the others,
// oldest first, are paused until the total fits. Pure: walk/frames.js pauses.

import { EMBEDDED_MAX_NETWORKS } from '../state.js';

/** The most networks the walk-through trains at once: an embedded page's. */
export const MAX_NETWORKS = EMBEDDED_MAX_NETWORKS;

export class Budget {
  constructor(max = MAX_NETWORKS) {
    this.max = max;
    this.counts = new Map();   // simulator → networks training now
    this.started = [];         // simulators training, oldest start first
  }

  /** The networks training now, over every simulator. */
  get total() {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /**
   * `key` trains `n` networks now. Returns the simulators to pause (oldest
   * start first) so that the total fits; they count as stopped from now on.
   * One that alone trains more than the limit is paused itself.
   */
  report(key, n) {
    const count = Number.isInteger(n) && n > 0 ? n : 0;
    const before = this.counts.get(key) ?? 0;
    this.counts.set(key, count);
    if (count === 0) this.started = this.started.filter((k) => k !== key);
    else if (before === 0) this.started = [...this.started.filter((k) => k !== key), key];
    const pause = [];
    if (count > this.max) {
      this.forget(key);
      pause.push(key);
    }
    for (const k of [...this.started]) {
      if (this.total <= this.max) break;
      if (k === key) continue;
      pause.push(k);
      this.forget(k);
    }
    return pause;
  }

  /** `key` is gone (unloaded) or stopped: it trains nothing. */
  forget(key) {
    this.counts.set(key, 0);
    this.started = this.started.filter((k) => k !== key);
  }
}
