// The two views drawn from Glorot & Bengio's histograms (the worker sends them
// while either is shown): φ and φ′ over one layer's pre-activations, and the
// per-layer histograms with Glorot's one-click comparison of the "standard" and
// the normalized init. Each keeps only its own view state (the chosen layer, the
// pinned comparison); the numbers are the core's, the drawing charts/*.js's.
import { drawHistograms, histogramSentence } from './charts/histograms.js';
import { drawPhi, phiOf, phiSentence } from './charts/phi.js';

/** Glorot & Bengio's network (5 tanh layers, biases 0) and their two inits. */
export const GLOROT_NETWORK = { depth: 5, activation: 'tanh', biasInit: 'zeros' };
export const GLOROT_INITS = { standard: 'standard_uniform', normalized: 'xavier_uniform' };

/** Which of Glorot's two settings `state` is ('standard', 'normalized'), or null. Pure. */
export function glorotSetting(state) {
  if (!Object.entries(GLOROT_NETWORK).every(([k, v]) => state[k] === v)) return null;
  return Object.keys(GLOROT_INITS).find((name) => GLOROT_INITS[name] === state.init) ?? null;
}

/** φ, φ′ and a chosen layer's z (lab.html's phi section). */
export class PhiView {
  /**
   * @param {{svg: SVGElement, sentence: HTMLElement, layer: HTMLSelectElement}} els
   * @param {() => void} changed asks the page to draw again
   */
  constructor(els, changed) {
    Object.assign(this, els);
    this.view = null;
    this.layer.addEventListener('change', changed);
  }

  receive(view) {
    if (view) this.view = view;
  }

  /** The layer chosen (0-based), or null for "the most saturated". */
  chosen() {
    return this.layer.value === '' ? null : Number(this.layer.value);
  }

  render(state, i18n) {
    if (!this.view) return;
    const H = this.view.flat.length;
    const keep = this.layer.value;
    if (this.layer.options.length !== H + 1 || this.layer.dataset.lang !== i18n.lang) {
      this.layer.replaceChildren(new Option(i18n.t('phi.auto'), ''),
        ...Array.from({ length: H }, (_, l) => new Option(i18n.t('chart.layer', { n: l + 1 }), String(l))));
      this.layer.dataset.lang = i18n.lang;
      this.layer.value = keep !== '' && Number(keep) < H ? keep : '';
    }
    const p = phiOf(this.view, this.chosen());
    drawPhi(this.svg, p, state.activation, i18n);
    this.sentence.textContent = phiSentence(p, state.activation, i18n);
  }
}

/** The per-layer histograms, and Glorot's comparison (lab.html's histograms section). */
export class HistogramView {
  /**
   * @param {{svg: SVGElement, sentence: HTMLElement, standard: HTMLButtonElement,
   *   normalized: HTMLButtonElement, clear: HTMLButtonElement, pinnedKey: HTMLElement}} els
   * @param {(changes: object) => Promise<unknown>} apply applies settings (main.js)
   * @param {() => void} changed asks the page to draw again
   */
  constructor(els, apply, changed) {
    Object.assign(this, els);
    this.view = null;
    this.pinned = null;  // {view, init, step}: the other setting, kept when the reader switched
    for (const name of Object.keys(GLOROT_INITS)) this[name].addEventListener('click', () => this.switchTo(name, apply));
    this.clear.addEventListener('click', () => {
      this.pinned = null;
      changed();
    });
  }

  receive(view) {
    if (view) this.view = view;
  }

  /** Glorot's setting `name` on 5 tanh layers; what is shown now is kept as the comparison. */
  switchTo(name, apply) {
    const init = GLOROT_INITS[name];
    if (this.view && this.state && glorotSetting(this.state) !== name)
      this.pinned = { view: this.view, init: this.state.init, step: this.view.step };
    return apply({ ...GLOROT_NETWORK, init }).catch(() => {});
  }

  render(state, i18n) {
    this.state = state;
    const setting = glorotSetting(state);
    for (const name of Object.keys(GLOROT_INITS)) {
      this[name].setAttribute('aria-pressed', String(setting === name));
      this[name].disabled = Boolean(state.lock);  // a locked page offers no settings
    }
    this.clear.hidden = !this.pinned;
    this.pinnedKey.hidden = !this.pinned;
    if (!this.view) return;
    const pinned = this.pinned
      ? { view: this.pinned.view, label: i18n.t('hist.pinnedLabel', { init: i18n.choice('init', this.pinned.init), step: this.pinned.step }) }
      : null;
    drawHistograms(this.svg, this.view, pinned, i18n);
    this.sentence.textContent = histogramSentence(this.view, pinned, i18n);
  }
}
