// The two views of mean-field theory: its prediction over the measured gradient
// sizes, and the phase diagram, whose dot the reader drags (or moves with the
// arrow keys) to set σ_w and σ_b. Each keeps only its own view state; the theory
// is the core's (the worker sends it when the settings it depends on change).
import { caveats, drawPrediction, phaseOf, predictionOf, theorySentence } from './charts/theory.js';
import { drawPhase } from './charts/phase.js';

/** The settings that put a network at (σ_w², σ_b²) of the plane: the theory's own init. */
export function sigmasToSettings(w, b) {
  const round = (v) => Math.round(v * 1e4) / 1e4;
  return { init: 'scaled_normal', biasInit: 'scaled_normal', sigmaW: round(Math.sqrt(w)), sigmaB: round(Math.sqrt(b)) };
}

/** Keeps the newest theory and critical line from the snapshots. */
export class TheoryStore {
  constructor() {
    this.theory = null;
    this.line = null;
  }

  receive(theory) {
    if (!theory) return;
    this.theory = theory;
    if (theory.line) this.line = theory.line;
  }

  /** The line, if it is the current activation's. */
  currentLine() {
    return this.line && this.theory && this.line.activation === this.theory.activation ? this.line : null;
  }
}

/** Prediction over measurement (lab.html's theory section). */
export class TheoryView {
  /** @param {{svg: SVGElement, sentence: HTMLElement, caveats: HTMLElement}} els @param {TheoryStore} store */
  constructor(els, store) {
    Object.assign(this, els);
    this.store = store;
  }

  render(snap, state, i18n) {
    const theory = this.store.theory;
    if (!theory) return;
    const H = snap.widths.length - 2;
    const p = predictionOf(snap.probe, H, theory.chi1);
    drawPrediction(this.svg, p, i18n);
    this.sentence.textContent = theorySentence(theory, p, i18n);
    this.caveats.replaceChildren(...caveats(state, snap.step).map((c) => {
      const li = document.createElement('li');
      li.textContent = i18n.t(c.id, c.values ?? {});
      return li;
    }));
  }
}

/** The phase diagram (lab.html's phase section): the dot sets σ_w and σ_b. */
export class PhaseView {
  /**
   * @param {{svg: SVGElement, sentence: HTMLElement}} els
   * @param {TheoryStore} store
   * @param {(changes: object) => Promise<unknown>} apply applies settings (main.js)
   * @param {() => boolean} locked whether the page offers no settings (lock=1): the dot stays put
   */
  constructor(els, store, apply, locked) {
    Object.assign(this, els);
    this.store = store;
    this.drawn = null;  // {extent, plane} of the last drawing
    this.dragging = false;
    const at = (e) => {
      const r = this.svg.getBoundingClientRect();
      const g = this.drawn.plane;
      const sx = g.width / r.width, sy = g.height / r.height;  // the viewBox may be scaled
      return [g.w((e.clientX - r.left) * sx), g.b((e.clientY - r.top) * sy)];
    };
    this.svg.addEventListener('pointerdown', (e) => {
      if (!this.drawn || locked()) return;
      this.dragging = true;
      this.svg.setPointerCapture(e.pointerId);
      this.#preview(...at(e));
    });
    this.svg.addEventListener('pointermove', (e) => { if (this.dragging) this.#preview(...at(e)); });
    this.svg.addEventListener('pointerup', (e) => {
      if (!this.dragging) return;
      this.dragging = false;
      apply(sigmasToSettings(...at(e))).catch(() => {});
    });
    this.svg.addEventListener('pointercancel', () => {
      this.dragging = false;
      this.render(this.i18n);  // the dot back where the network is
    });
    this.svg.addEventListener('keydown', (e) => {
      const theory = this.store.theory;
      const moves = { ArrowRight: [0.1, 0], ArrowLeft: [-0.1, 0], ArrowUp: [0, 0.05], ArrowDown: [0, -0.05] };
      if (!theory || !moves[e.key] || locked()) return;
      e.preventDefault();
      const [dw, db] = moves[e.key];
      apply(sigmasToSettings(Math.min(100, Math.max(0, theory.sigmaW2 + dw)), Math.min(25, Math.max(0, theory.sigmaB2 + db)))).catch(() => {});
    });
  }

  /** Moves the dot while it is dragged (the network is rebuilt when it is let go). */
  #preview(w, b) {
    const dot = this.svg.querySelector('circle.network');
    if (!dot) return;
    dot.setAttribute('cx', String(this.drawn.plane.x(w)));
    dot.setAttribute('cy', String(this.drawn.plane.y(b)));
  }

  render(i18n) {
    this.i18n = i18n;
    const theory = this.store.theory;
    if (!theory || this.dragging) return;  // a drag's preview is not redrawn under the pointer
    this.drawn = drawPhase(this.svg, theory, this.store.currentLine(), i18n);
    const { t, fmt } = i18n;
    this.sentence.textContent = t(`phase.sentence.${phaseOf(theory.chi1)}`, { w: fmt.value(theory.sigmaW2), b: fmt.value(theory.sigmaB2),
      chi: fmt.value(theory.chi1), critical: Number.isFinite(theory.criticalSigmaW2) ? fmt.value(theory.criticalSigmaW2) : '–' });
  }
}

