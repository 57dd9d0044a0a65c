// The settings form, built from the settings table (state.js's SCHEMA, which
// comes from the core): every control has a <label>, its one-line help (shown on
// hover and on keyboard focus, and linked by aria-describedby), the table's range,
// and its id is its state key. Labels, help and choices are worded by i18n.js
// (relabel() switches the language). Settings the table marks `widget: 'none'` get no
// control (they are URL, API and CLI settings).
import { isRelevant } from './state.js';

export class Controls {
  /**
   * @param {HTMLElement} container
   * @param {{SCHEMA: object[], parseValue: Function}} settings from makeState()
   * @param {(changes: object) => void} onChange valid changes
   * @param {(problem: object) => void} onInvalid a refused value (a problem, state.js)
   * @param {object} i18n makeI18n()
   */
  constructor(container, settings, onChange, onInvalid, i18n) {
    this.inputs = {};
    this.text = [];  // [element, () => its text] to redo in another language
    this.rows = {};
    this.groups = {};
    this.state = null;
    this.offered = null;  // null: every control
    this.locked = false;
    this.schema = settings.SCHEMA.filter((s) => s.widget !== 'none');
    const groups = {};
    for (const s of this.schema) {
      if (!groups[s.group]) {
        const fieldset = document.createElement('fieldset');
        fieldset.className = 'group';
        const legend = document.createElement('legend');
        this.text.push([legend, (t) => t.group(s.group)]);
        fieldset.append(legend);
        container.append(fieldset);
        groups[s.group] = fieldset;
        this.groups[s.group] = fieldset;
      }
      const row = document.createElement('div');
      row.className = 'control';
      const label = document.createElement('label');
      label.htmlFor = s.key;
      this.text.push([label, (t) => t.setting(s.key).label]);
      const help = document.createElement('p');
      help.className = 'help';
      help.id = `${s.key}-help`;
      this.text.push([help, (t) => t.setting(s.key).help]);
      let input;
      if (s.type === 'boolean') {
        input = document.createElement('input');
        input.type = 'checkbox';
      } else if (s.type === 'choice') {
        input = document.createElement('select');
        for (const v of s.choices) {
          const option = new Option(v, v);
          this.text.push([option, (t) => t.choice(s.key, v)]);
          input.add(option);
        }
      } else {
        input = document.createElement('input');
        input.type = s.widget === 'slider' ? 'range' : 'number';
        input.min = String(s.min);
        input.max = String(s.max);
        input.step = s.step > 0 ? String(s.step) : 'any';
        if (input.type === 'number') input.inputMode = s.type === 'integer' ? 'numeric' : 'decimal';
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
        const r = settings.parseValue(s.key, input.type === 'checkbox' ? input.checked : input.value);
        if ('error' in r) {
          onInvalid(r.error);
          this.update(this.state);
          return;
        }
        if (r.value !== this.state[s.key]) onChange({ [s.key]: r.value });
      };
      // Sliders apply while dragged; fields when committed (Enter, blur, a choice).
      input.addEventListener(input.type === 'range' ? 'input' : 'change', commit);
      if (input.type === 'range') input.addEventListener('input', () => this.#showValue(s.key, input.value));
    }
    this.relabel(i18n);
  }

  /** Words every label, help and choice in the language of `i18n`. */
  relabel(i18n) {
    for (const [element, text] of this.text) element.textContent = text(i18n);
  }

  /**
   * Offers only `keys` (null: all), and with `locked` shows them without letting
   * them change. Returns how many are offered.
   */
  offer(keys, locked) {
    this.offered = keys ? new Set(keys) : null;
    this.locked = locked;
    for (const s of this.schema) this.inputs[s.key].disabled = locked;
    if (this.state) this.update(this.state);
    return this.offered ? this.offered.size : this.schema.length;
  }

  /** Shows `state` in the controls (and hides those that do not apply or are not offered). */
  update(state) {
    this.state = { ...state };
    for (const s of this.schema) {
      const input = this.inputs[s.key];
      if (input.type === 'checkbox') input.checked = Boolean(state[s.key]);
      else if (document.activeElement !== input || input.type === 'range' || input.tagName === 'SELECT')
        input.value = String(state[s.key]);
      this.#showValue(s.key, state[s.key]);
      this.rows[s.key].hidden = !isRelevant(s, state) || (this.offered !== null && !this.offered.has(s.key));
    }
    for (const fieldset of Object.values(this.groups))
      fieldset.hidden = [...fieldset.querySelectorAll('.control')].every((row) => row.hidden);
  }

  #showValue(key, value) {
    const out = document.getElementById(`${key}-value`);
    // A slider's value as read: whole numbers as they are, others to 3 significant digits (1/√3 reads 0.577).
    const n = Number(value);
    if (out) out.textContent = Number.isFinite(n) && !Number.isInteger(n) ? String(Number(n.toPrecision(3))) : String(value);
  }
}
