// The walk-through's live simulators: each section's lab page in an iframe,
// driven over the embed protocol (gradlab-embed.js's gradlab.connect). A frame
// is loaded when the reader scrolls near it and unloaded (its settings kept)
// when it is far and too many are loaded (MAX_LOADED, MAX_KEPT); it starts
// paused, the reader starts it, it pauses when scrolled out of view and
// resumes when scrolled back if it was training. Across all frames at most
// MAX_NETWORKS networks train at once (walk/budget.js). DOM only; the story is
// walk/sections.js.
import { Budget } from './budget.js';
import { embeddedHash, labHash, layoutPart } from './sections.js';

/**
 * The most frames loaded at once (each is a page with its own worker and wasm
 * heap). A frame the reader has not trained reloads exactly as it was, so those
 * go first; one they trained keeps its progress unless more than MAX_KEPT are loaded.
 */
export const MAX_LOADED = 3;
export const MAX_KEPT = 6;
/** How far outside the window a frame is loaded, so that it is ready when the reader gets there. */
const NEAR = '600px 0px';
/** How long a frame may take to start (the offline file unpacks megabytes on a slow machine). */
const READY_TIMEOUT_MS = 120000;
/** The statuses that say why the walk-through paused a frame; a sweep stops instead (its rows so far stay). */
const PAUSED = { offscreen: 'frame.offscreen', budget: 'frame.budget' };
const STOPPED_SWEEP = { offscreen: 'frame.sweepOffscreen', budget: 'frame.sweepBudget' };

/** The placeholder of a frame not loaded: its button loads it at once. */
export function placeholder(t, height = 0) {
  const holder = document.createElement('div');
  holder.className = 'frame-holder';
  if (height) holder.style.height = `${height}px`;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'frame-load';
  button.dataset.walk = 'frame.load';
  button.textContent = t('frame.load');
  holder.append(button);
  return holder;
}

/** One section's simulator. */
class LiveFrame {
  /**
   * @param {string} key the frame's key (sections.js frameKey)
   * @param {string} hash the lab settings it shows (sections.js)
   * @param {{slot: Element, status: Element, lab: HTMLAnchorElement}} els
   * @param {object} env {budget, t (the wording), lang (), lab (the lab page's address), title, report(frame, stats), announce(text)}
   */
  constructor(key, hash, els, env) {
    Object.assign(this, { key, base: hash, hash, els, env });
    this.iframe = null;
    this.conn = null;
    this.stats = null;
    this.visible = false;
    this.near = false;
    this.resume = false;       // paused by scrolling away while training: play again on return
    this.pausing = false;      // asked to pause, not yet confirmed
    this.loadedAt = 0;
    this.unloading = false;    // Frames is unloading it (its settings are being read back)
    this.linkAt = 0;
    this.note = '';            // the status's message id and values
    this.lastHeight = 0;
    this.swept = false;        // the reader ran the depth sweep in it
    this.labLink();
    this.say('frame.waiting');
  }

  /** The "open in the lab" link of a frame not loaded: its settings, in the page's language. */
  labLink() {
    this.els.lab.href = this.env.lab + labHash(this.hash, this.env.lang());
  }

  get loaded() { return this.iframe !== null; }

  /** The status line under the frame: a message id of the walk's text, or '' for none. */
  say(id, values = {}) {
    this.note = { id, values };
    this.els.status.textContent = id ? this.env.t(id, values) : '';
  }

  relabel() {
    this.say(this.note.id, this.note.values);
    if (this.iframe) this.iframe.title = this.env.title();
    else this.labLink();
  }

  /** Loads the frame (`focus`: then moves the keyboard's focus into it, the reader having asked with the button). */
  load({ focus = false } = {}) {
    if (this.iframe) return;
    const iframe = document.createElement('iframe');
    iframe.src = this.env.lab + embeddedHash(this.hash, this.env.lang());
    iframe.title = this.env.title();
    iframe.setAttribute('data-gradlab', '');
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.className = 'live-frame';
    if (this.lastHeight) iframe.style.height = `${this.lastHeight}px`;
    this.els.slot.replaceChildren(iframe);
    this.iframe = iframe;
    this.loadedAt = performance.now();
    this.linkAt = 0;
    this.say('frame.loading');
    if (focus) iframe.focus();
    const conn = window.gradlab.connect(iframe, { timeoutMs: READY_TIMEOUT_MS });
    this.conn = conn;
    conn.ready.then(() => {
      if (this.conn !== conn) return;
      this.say('');
      conn.on('stats', (s) => { if (this.conn === conn) this.receive(s); });
      return conn.stats().then((s) => { if (this.conn === conn && s) this.receive(s); });
    }).catch((e) => { if (this.conn === conn) this.fail(e); });
  }

  /** Says that the frame failed, here and to a screen reader. */
  fail(e) {
    this.say('frame.failed', { problem: e.message });
    this.env.announce(this.els.status.textContent);
  }

  /** Unloads the frame, keeping its settings (the reader's changes) for the next load. */
  async unload() {
    if (!this.iframe) return;
    const conn = this.conn;
    try {
      const link = await Promise.race([conn.link(), new Promise((r) => setTimeout(() => r(null), 1000))]);
      const hash = typeof link === 'string' ? link.split('#')[1] ?? '' : '';
      if (link) this.hash = [hash, layoutPart(this.base)].filter(Boolean).join('&');
    } catch { /* not ready: keep the settings it was loaded with */ }
    // Scrolled near again meanwhile: it stays.
    if (this.conn !== conn || this.near) return;
    this.lastHeight = this.iframe.getBoundingClientRect().height;
    conn.close();
    this.conn = null;
    this.stats = null;
    this.resume = false;
    this.env.budget.forget(this.key);
    this.els.slot.replaceChildren(placeholder(this.env.t, this.lastHeight));
    this.iframe = null;
    this.say('frame.waiting');
  }

  /** Whether the reader has trained it or run its sweep (what they would lose if it were unloaded). */
  get trained() { return this.swept || Boolean(this.stats && this.stats.step > 0); }

  receive(s) {
    const before = this.stats?.networks ?? 0;
    this.stats = s;
    if (s.sweeping) this.swept = true;
    // Started while out of view (a click at its very edge, a script): it waits for the reader.
    if (!this.visible && s.networks > 0 && !this.pausing) {
      this.resume = Boolean(s.playing);
      this.pause('offscreen');
      return;
    }
    // Asked to pause: the snapshots already on their way still say it trains; they start nothing.
    if (this.pausing && s.networks > 0) return;
    this.pausing = false;
    this.env.report(this, s);
    const ours = [...Object.values(PAUSED), ...Object.values(STOPPED_SWEEP)];
    if (before === 0 && s.networks > 0 && ours.includes(this.note.id)) this.say('');
    if (!this.linkAt) this.refreshLink();   // once loaded; then when the reader reaches for the link
  }

  /** Points the "open in the lab" link at the frame's settings now. */
  refreshLink() {
    if (!this.conn) return;
    this.linkAt = performance.now();
    const conn = this.conn;
    conn.link().then((href) => { if (this.conn === conn && href) this.els.lab.href = href; }).catch(() => {});
  }

  /** Pauses it (and stops its sweep), saying why: 'offscreen' or 'budget'. */
  pause(why) {
    if (!this.conn) return;
    this.say(this.stats?.sweeping ? STOPPED_SWEEP[why] : PAUSED[why]);
    if (why === 'budget') this.env.announce(this.els.status.textContent);
    this.pausing = true;
    const conn = this.conn;
    conn.pause().then((s) => { if (this.conn === conn && s) this.receive(s); }, () => { this.pausing = false; });
  }

  /** Scrolled into view (true) or out of it. */
  setVisible(visible) {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!this.conn) return;
    if (!visible && this.stats && this.stats.networks > 0) {
      this.resume = Boolean(this.stats.playing);
      this.env.budget.forget(this.key);
      this.pause('offscreen');
    } else if (visible && this.resume) {
      this.resume = false;
      this.pausing = false;
      this.say('');
      this.conn.play().catch((e) => this.fail(e));
    }
  }
}

/** The speeds a frame shows: each hidden layer's (an MLP), or the gradient through time of its first cell. */
function speedsOf(stats) {
  if (!stats) return [];
  return stats.cells ? stats.cells[0].gradThroughTime : stats.layers.map((l) => l.speed);
}

/** Every frame of the page, with the observers and the budget. */
export class Frames {
  /**
   * @param {{t: Function, lang: () => string, lab: string, live: Element}} env the wording, the language,
   *   the lab page's address (walk.js labAddress), the page's live region
   */
  constructor(env) {
    this.env = env;
    this.budget = new Budget();
    this.frames = new Map();   // key → LiveFrame
    /** When the first simulator showed its first speeds (ms after navigation; bench/walk.mjs reads it). */
    this.firstViewMs = null;
    this.byFigure = new Map();
    this.nearObserver = new IntersectionObserver((entries) => this.#near(entries), { rootMargin: NEAR });
    this.seenObserver = new IntersectionObserver((entries) => {
      for (const e of entries) this.byFigure.get(e.target)?.setVisible(e.isIntersecting);
    });
  }

  /** Adds the frame `key` showing `hash`, in `figure` (its slot, status and lab link inside). */
  add(key, hash, figure, title) {
    const els = { slot: figure.querySelector('.frame-slot'), status: figure.querySelector('.frame-status'),
      lab: figure.querySelector('a.to-lab') };
    const frame = new LiveFrame(key, hash, els, {
      budget: this.budget, t: this.env.t, lang: this.env.lang, lab: this.env.lab, title,
      report: (f, s) => this.#report(f, s),
      announce: (text) => { this.env.live.textContent = text; },
    });
    this.frames.set(key, frame);
    this.byFigure.set(figure, frame);
    figure.addEventListener('click', (e) => { if (e.target.closest('.frame-load')) this.#load(frame, { focus: true }); });
    // The link follows the frame's settings when the reader reaches for it (pointer, touch or keyboard).
    for (const type of ['pointerenter', 'pointerdown', 'focus']) els.lab.addEventListener(type, () => frame.refreshLink());
    this.nearObserver.observe(figure);
    this.seenObserver.observe(figure);
    // The first simulator loads at once, wherever it is: the page's first figure is live within moments.
    if (this.frames.size === 1) this.#load(frame);
    return frame;
  }

  relabel() {
    for (const f of this.frames.values()) f.relabel();
  }

  /** The language changed: the frames loaded follow it (the others load in it). */
  setLanguage(lang) {
    for (const f of this.frames.values()) f.conn?.configure({ lang }).catch(() => {});
  }

  #report(frame, stats) {
    this.firstViewMs ??= performance.now();
    for (const key of this.budget.report(frame.key, stats.networks)) {
      const other = this.frames.get(key);
      other.resume = false;
      other.pause('budget');
    }
  }

  #near(entries) {
    for (const e of entries) {
      const frame = this.byFigure.get(e.target);
      if (!frame) continue;
      frame.near = e.isIntersecting;
      if (frame.near) this.#load(frame);
    }
  }

  /**
   * Loads `frame`; then, beyond MAX_LOADED, unloads the frames far from the window
   * that the reader has not trained, loaded longest ago first, and beyond MAX_KEPT
   * the trained ones too.
   */
  #load(frame, options) {
    frame.load(options);
    const loaded = [...this.frames.values()].filter((f) => f.loaded && !f.unloading);
    const far = loaded.filter((f) => !f.near && f !== frame).sort((a, b) => a.loadedAt - b.loadedAt);
    const untrained = far.filter((f) => !f.trained);
    const trained = far.filter((f) => f.trained);
    let extra = loaded.length - MAX_LOADED;
    const unload = (f) => {
      f.unloading = true;
      f.unload().finally(() => { f.unloading = false; });
      extra--;
    };
    while (extra > 0 && untrained.length > 0) unload(untrained.shift());
    while (extra > MAX_KEPT - MAX_LOADED && trained.length > 0) unload(trained.shift());
  }

  /** What the tests read: each frame's key, whether it is loaded, its last stats' step and networks. */
  describe() {
    return [...this.frames.values()].map((f) => ({ key: f.key, loaded: f.loaded && !f.unloading, near: f.near, visible: f.visible,
      ready: Boolean(f.stats), step: f.stats?.step ?? null, networks: f.stats?.networks ?? 0,
      playing: Boolean(f.stats?.playing), status: f.note.id, lab: f.els.lab.href, speeds: speedsOf(f.stats) }));
  }
}
