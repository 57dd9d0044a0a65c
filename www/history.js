// The per-layer history of a run, for export (CSV, JSON) and for redrawing the
// charts (another language, another time axis). One row per measurement: the
// columns are the core's (historyColumns: step, epoch, loss, accuracies, then
// every layer's speed and statistics), named as the CLI names them. No DOM.

export const MAX_ROWS = 4000;  // beyond this, every other row is dropped (the oldest keep their spacing)

export class History {
  constructor() {
    this.reset([]);
  }

  /** Starts over with these columns ({name, quantity, layer}, from the core). */
  reset(columns) {
    this.columns = columns;
    this.rows = [];      // Float64Array per measurement, in column order (NaN: not measured)
    this.points = [];    // what the charts need: {step, epochs, speed[hidden], loss, trainAccuracy, testAccuracy}
    this.thinned = false;
  }

  /** Adds a history point from the worker (worker.js measure()). */
  add(p) {
    const row = new Float64Array(this.columns.length);
    this.columns.forEach((c, i) => { row[i] = value(p, c); });
    this.rows.push(row);
    this.points.push({ step: p.step, epochs: p.epochs, speed: p.speed, loss: p.loss, trainAccuracy: p.trainAccuracy,
      testAccuracy: p.testAccuracy });
    if (this.rows.length > MAX_ROWS) {
      this.rows = this.rows.filter((_, k) => k % 2 === 0);
      this.points = this.points.filter((_, k) => k % 2 === 0);
      this.thinned = true;
    }
  }

  get length() { return this.rows.length; }

  /** The history as CSV: the core's column names, one line per measurement, empty cells for what was not measured. */
  toCsv() {
    const lines = [this.columns.map((c) => c.name).join(',')];
    for (const row of this.rows) lines.push(Array.from(row, (v) => (Number.isFinite(v) ? String(v) : '')).join(','));
    return lines.join('\n') + '\n';
  }

  /**
   * The rows as the CLI's jsonl has them: scalars by name, and each per-layer
   * quantity as an array over the hidden layers (input side first) with the
   * output layer's value under <name>_out; null for what was not measured.
   */
  jsonRows() {
    const layers = 1 + Math.max(-1, ...this.columns.map((c) => c.layer));
    return this.rows.map((row) => {
      const out = {};
      this.columns.forEach((c, i) => {
        const v = Number.isFinite(row[i]) ? row[i] : null;
        if (c.layer < 0) out[c.name] = v;
        else {
          const base = c.name.replace(/_(hl\d+|out)$/, '');
          if (c.layer === layers - 1) out[`${base}_out`] = v;
          else (out[base] ??= [])[c.layer] = v;
        }
      });
      return out;
    });
  }
}

/** The value of column `c` in history point `p` (NaN when not measured). */
function value(p, c) {
  const v = c.layer < 0 ? { step: p.trainingStep ?? p.step, epoch: p.epoch, loss: p.loss, train_accuracy: p.trainAccuracy,
    test_accuracy: p.testAccuracy }[c.name]
    : p.probe?.[c.quantity]?.[c.layer] ?? p.stats?.[c.quantity]?.[c.layer];
  return v === null || v === undefined ? NaN : v;
}
