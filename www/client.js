// The page's side of the worker protocol: requests return promises; 'stats',
// 'fault' messages go to listeners. Configure requests are coalesced: while one
// is in flight, only the newest waiting one is sent next (a dragged slider does
// not queue a hundred rebuilds).
//
// If the worker dies (an uncaught error, or a wasm trap it reports as 'fatal'),
// every pending request is rejected, a new worker is started and the 'restart'
// listeners are told, so that the page can restore its state. After
// MAX_RESTARTS deaths within RESTART_WINDOW_MS it gives up and reports 'error'.
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60000;

export class WorkerClient {
  /** @param {() => Worker} startWorker starts a new worker (at first, and after a death) */
  constructor(startWorker) {
    this.startWorker = startWorker;
    this.nextId = 1;
    this.waiting = new Map();
    this.listeners = { stats: [], fault: [], restart: [], error: [] };
    this.configureInFlight = null;
    this.configureNext = null;
    this.deaths = [];
    this.#start();
  }

  #start() {
    const worker = this.startWorker();
    this.worker = worker;
    worker.onmessage = (e) => this.#receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      if (this.worker === worker) this.#died(e.message || { code: 'worker_failed', values: {}, message: 'the simulator worker failed' });
    };
  }

  #died(reason) {
    this.worker.terminate();
    const detail = typeof reason === 'string' ? reason : reason.message;
    const error = Object.assign(new Error(`the simulator stopped (${detail})`), { code: 'worker_stopped', values: { detail: reason } });
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
    if (this.configureNext) this.configureNext.reject(error);
    this.configureNext = null;
    this.configureInFlight = null;
    const t = Date.now();
    this.deaths = [...this.deaths.filter((d) => t - d < RESTART_WINDOW_MS), t];
    if (this.deaths.length > MAX_RESTARTS) {
      this.worker = null;
      for (const fn of this.listeners.error) fn(reason);
      return;
    }
    this.#start();
    for (const fn of this.listeners.restart) fn(reason);
  }

  /** Stops the worker for good: pending requests are rejected, later ones refused. */
  close() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    const error = errorOf('the simulator was closed', { code: 'worker_gone' });
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
    this.configureNext?.reject(error);
    this.configureNext = null;
  }

  on(type, fn) {
    this.listeners[type].push(fn);
    return () => { this.listeners[type] = this.listeners[type].filter((f) => f !== fn); };
  }

  request(type, payload) {
    if (!this.worker) return Promise.reject(errorOf('the simulator has stopped; reload the page', { code: 'worker_gone' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, payload });
    });
  }

  /**
   * Applies a state; resolves with the snapshot of the newest state applied (null
   * if superseded). `fresh`: the worker also starts the run again from step 0 if
   * the network was kept (a preset); a superseded fresh request passes it on.
   */
  configure(state, { fresh = false } = {}) {
    if (this.configureInFlight) {
      const carried = fresh || Boolean(this.configureNext?.fresh);
      if (this.configureNext) this.configureNext.superseded();
      return new Promise((resolve, reject) => {
        this.configureNext = { state, fresh: carried, resolve, reject, superseded: () => resolve(null) };
      });
    }
    const request = this.request('configure', { state, fresh });
    this.configureInFlight = request;
    request.finally(() => {
      if (this.configureInFlight !== request) return;
      this.configureInFlight = null;
      const next = this.configureNext;
      this.configureNext = null;
      if (next) this.configure(next.state, { fresh: next.fresh }).then(next.resolve, next.reject);
    }).catch(() => {});
    return request;
  }

  #receive(message) {
    if (message.type === 'stats') {
      for (const fn of this.listeners.stats) fn(message.snapshot);
      return;
    }
    if (message.type === 'fault') {
      for (const fn of this.listeners.fault) fn(errorOf(message.message, message));
      return;
    }
    if (message.type === 'fatal') {
      this.#died(message.message);
      return;
    }
    const entry = this.waiting.get(message.id);
    if (!entry) return;
    this.waiting.delete(message.id);
    if ('error' in message) entry.reject(errorOf(message.error, message));
    else entry.resolve(message.result);
  }
}

/**
 * An Error with the worker's message and, when the core gave one, its code,
 * values and setting key (the page words those in the reader's language).
 */
function errorOf(text, { code, values, key } = {}) {
  const error = new Error(text);
  if (typeof code === 'string') Object.assign(error, { code, values: values ?? {}, ...(key ? { key } : {}) });
  return error;
}
