// The page's side of the worker protocol: requests return promises; 'stats'
// messages go to listeners. Configure requests are coalesced: while one is in
// flight, only the newest waiting one is sent next (a dragged slider does not
// queue a hundred rebuilds).
export class WorkerClient {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.nextId = 1;
    this.waiting = new Map();
    this.listeners = { stats: [], error: [] };
    this.configureInFlight = null;
    this.configureNext = null;
    this.worker.onmessage = (e) => this.#receive(e.data);
    this.worker.onerror = (e) => {
      const message = e.message || 'the simulator worker failed to start';
      for (const fn of this.listeners.error) fn(message);
      for (const { reject } of this.waiting.values()) reject(new Error(message));
      this.waiting.clear();
    };
  }

  on(type, fn) {
    this.listeners[type].push(fn);
    return () => { this.listeners[type] = this.listeners[type].filter((f) => f !== fn); };
  }

  request(type, payload) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, payload });
    });
  }

  /** Applies a state; resolves with the snapshot of the newest state applied. */
  configure(state) {
    if (this.configureInFlight) {
      if (this.configureNext) this.configureNext.superseded();
      return new Promise((resolve, reject) => {
        this.configureNext = { state, resolve, reject, superseded: () => resolve(null) };
      });
    }
    this.configureInFlight = this.request('configure', { state }).finally(() => {
      this.configureInFlight = null;
      const next = this.configureNext;
      this.configureNext = null;
      if (next) this.configure(next.state).then(next.resolve, next.reject);
    });
    return this.configureInFlight;
  }

  #receive(message) {
    if (message.type === 'stats') {
      for (const fn of this.listeners.stats) fn(message.snapshot);
      return;
    }
    const entry = this.waiting.get(message.id);
    if (!entry) return;
    this.waiting.delete(message.id);
    if ('error' in message) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  }
}
