// The settings form, built from the schema in state.js: every control has a
// <label>, its one-line help (shown on hover and on keyboard focus, and linked by
// aria-describedby), and its id is its state key.
import { SCHEMA, parseValue } from './state.js';

const LIVE = new Set(['depth', 'width', 'sigmaW', 'sigmaB', 'noise']);  // sliders: apply while dragging

export class Controls {
  /**
   * @param {HTMLElement} container
   * @param {(changes: object) => void} onChange valid changes
   * @param {(message: string) => void} onInvalid a refused value
   */
  constructor(container, onChange, onInvalid) {
    this.inputs = {};
    this.rows = {};
    this.state = null;
    const groups = {};
    for (const s of SCHEMA) {
      if (s.hidden) continue;
      if (!groups[s.group]) {
        const fieldset = document.createElement('fieldset');
        fieldset.className = 'group';
        const legend = document.createElement('legend');
        legend.textContent = s.group;
        fieldset.append(legend);
        container.append(fieldset);
        groups[s.group] = fieldset;
      }
      const row = document.createElement('div');
      row.className = 'control';
      const label = document.createElement('label');
      label.htmlFor = s.key;
      label.textContent = s.label;
      const help = document.createElement('p');
      help.className = 'help';
      help.id = `${s.key}-help`;
      help.textContent = s.help;
      let input;
      if (s.type === 'bool') {
        input = document.createElement('input');
        input.type = 'checkbox';
      } else if (s.type === 'enum') {
        input = document.createElement('select');
        for (const v of s.values) input.add(new Option(v.replaceAll('_', ' '), v));
      } else {
        input = document.createElement('input');
        const slider = LIVE.has(s.key);
        input.type = slider ? 'range' : 'number';
        input.min = String(s.min);
        input.max = String(s.max);
        input.step = String(s.step);
        if (!slider) input.inputMode = s.type === 'int' ? 'numeric' : 'decimal';
      }
      input.id = s.key;
      input.name = s.key;
      input.setAttribute('aria-describedby', help.id);
      const line = document.createElement('div');
      line.className = 'control-line';
      line.append(label, input);
      if (input.type === 'range') {
        const out = document.createElement('output');
        out.htmlFor = s.key;
        out.id = `${s.key}-value`;
        line.append(out);
      }
      row.append(line, help);
      groups[s.group].append(row);
      this.inputs[s.key] = input;
      this.rows[s.key] = row;
      const commit = () => {
        const r = parseValue(s.key, input.type === 'checkbox' ? input.checked : input.value);
        if ('error' in r) {
          onInvalid(`Not applied: ${r.error}.`);
          this.update(this.state);
          return;
        }
        if (r.value !== this.state[s.key]) onChange({ [s.key]: r.value });
      };
      input.addEventListener(LIVE.has(s.key) ? 'input' : 'change', commit);
      if (input.type === 'range') input.addEventListener('input', () => this.#showValue(s.key, input.value));
    }
  }

  /** Shows `state` in the controls (and hides those that do not apply). */
  update(state) {
    this.state = { ...state };
    for (const s of SCHEMA) {
      const input = this.inputs[s.key];
      if (!input) continue;
      if (input.type === 'checkbox') input.checked = Boolean(state[s.key]);
      else if (document.activeElement !== input || input.type === 'range' || input.tagName === 'SELECT')
        input.value = String(state[s.key]);
      this.#showValue(s.key, state[s.key]);
      this.rows[s.key].hidden = s.showIf ? !s.showIf(state) : false;
    }
  }

  #showValue(key, value) {
    const out = document.getElementById(`${key}-value`);
    if (out) out.textContent = String(value);
  }
}
