// The single-neuron chain's view: a slider for each wⱼ and bⱼ, and per neuron its
// zⱼ, σ′(zⱼ), factor wⱼσ′(zⱼ) and ∂C/∂bⱼ, updated as the reader drags; the
// book's two examples; and the narrow window |wσ′(wa + b)| ≥ 1 against w. The
// numbers are neuron.js's; this module only draws.
import { NEURON_EXAMPLES, NEURONS, neuronChain, windowWidth } from './neuron.js';
import { freshCanvas, svgElement as svgEl } from './charts/svg.js';

const RANGE = 120;  // the sliders' ±range: Nielsen's w = 100 fits

export class NeuronView {
  /** @param {{table: HTMLTableElement, sentence: HTMLElement, window: SVGElement}} els @param {() => object} i18n */
  constructor(els, i18n) {
    Object.assign(this, els);
    this.i18n = i18n;
    this.values = NEURON_EXAMPLES.vanishing();
    this.inputs = [];
    this.cells = [];
    this.#build();
    this.update();
  }

  /** Shows one of NEURON_EXAMPLES ('vanishing', 'exploding'). */
  example(name) {
    this.values = NEURON_EXAMPLES[name]();
    this.update();
  }

  #build() {
    const body = this.table.createTBody();
    this.head = this.table.createTHead().insertRow();
    for (let j = 0; j < NEURONS; j++) {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(j + 1);
      row.append(th);
      const sliders = ['w', 'b'].map((kind) => {
        const cell = row.insertCell();
        const input = document.createElement('input');
        input.type = 'range';
        input.min = String(-RANGE);
        input.max = String(RANGE);
        input.step = '0.01';
        input.id = `neuron-${kind}${j + 1}`;
        const out = document.createElement('output');
        out.htmlFor = input.id;
        input.addEventListener('input', () => {
          this.values[kind][j] = Number(input.value);
          this.update();
        });
        cell.append(input, out);
        return { input, out, kind };
      });
      this.inputs.push(sliders);
      this.cells.push([row.insertCell(), row.insertCell(), row.insertCell(), row.insertCell()]);
    }
  }

  /** Recomputes the chain and shows it (after a drag, an example, a language switch). */
  update() {
    const { t, fmt } = this.i18n();
    const titles = ['neuron.j', 'neuron.w', 'neuron.b', 'neuron.z', 'neuron.dphi', 'neuron.factor', 'neuron.dCdb'];
    this.head.replaceChildren(...titles.map((id) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(id);
      return th;
    }));
    const c = neuronChain(this.values);
    this.inputs.forEach((pair, j) => {
      for (const { input, out, kind } of pair) {
        const v = this.values[kind][j];
        if (document.activeElement !== input) input.value = String(v);
        out.textContent = fmt.value(Number(v.toFixed(2)));
        input.setAttribute('aria-label', t(`neuron.${kind}Label`, { j: j + 1 }));
        input.setAttribute('aria-valuetext', out.textContent);
      }
      const [z, dphi, factor, dCdb] = this.cells[j];
      z.textContent = fmt.value(c.z[j]);
      dphi.textContent = fmt.value(c.dphi[j]);
      factor.textContent = j === 0 ? '–' : fmt.value(c.factors[j]);
      factor.dataset.kind = j === 0 ? '' : Math.abs(c.factors[j]) >= 1 ? 'grows' : 'shrinks';
      dCdb.textContent = fmt.value(c.dCdb[j]);
    });
    const ratio = Math.abs(c.dCdb[0] / c.dCdb[NEURONS - 1]);
    this.sentence.textContent = !Number.isFinite(ratio) || ratio === 0 ? t('neuron.none')
      : t(ratio >= 1 ? 'neuron.grows' : 'neuron.shrinks', { ratio: fmt.ratio(ratio >= 1 ? ratio : 1 / ratio) });
    this.chain = c;
    this.#drawWindow();
  }

  /** The window's width against w, 4 to 100, with the largest |wⱼ| of the chain marked. */
  #drawWindow() {
    const { t, fmt } = this.i18n();
    const svg = this.window;
    const { width, height } = freshCanvas(svg, { width: [260, 400], height: 180 });
    const left = 44, right = 10, top = 10, bottom = 30;
    const pw = width - left - right, ph = height - top - bottom;
    const wMax = 100, yMax = 0.5;
    const X = (w) => left + (w / wMax) * pw, Y = (v) => top + ph * (1 - v / yMax);
    for (const v of [0, 0.1, 0.2, 0.3, 0.4, 0.5]) {
      svg.append(svgEl('line', { x1: left, x2: left + pw, y1: Y(v), y2: Y(v), class: 'grid' }));
      svg.append(svgEl('text', { x: left - 5, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, fmt.value(v)));
    }
    for (const w of [0, 20, 40, 60, 80, 100])
      svg.append(svgEl('text', { x: X(w), y: top + ph + 14, 'text-anchor': 'middle', class: 'tick' }, String(w)));
    const points = [];
    for (let w = 4; w <= wMax; w += 0.25) points.push(`${X(w)},${Y(windowWidth(w))}`);
    svg.append(svgEl('polyline', { points: points.join(' '), class: 'window' }));
    const big = Math.max(...this.values.w.map(Math.abs));
    if (big <= wMax) {
      svg.append(svgEl('circle', { cx: X(big), cy: Y(windowWidth(big)), r: 4, class: 'window-mark' },));
      svg.append(svgEl('text', { x: Math.min(X(big) + 6, left + pw - 4), y: Math.max(Y(windowWidth(big)) - 6, top + 10),
        'text-anchor': X(big) + 6 > left + pw - 80 ? 'end' : 'start', class: 'tick' },
      t('neuron.windowMark', { w: fmt.value(big), width: fmt.value(windowWidth(big)) })));
    }
    svg.append(svgEl('text', { x: left + pw / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, t('neuron.windowX')));
  }
}
