// The page's state: one flat object of named settings, and its URL-hash form. No
// DOM here, and no list of settings either: the wasm module hands the page the
// core's settings table (key, type, range, default, label, help, aliases; see
// core/settings.cpp), and makeState() derives the parsing and validation from it.
// The page adds its own keys (PAGE_KEYS), which the core never sees.
//
// The URL hash stores names (`activation=relu`), never indices, so links survive
// reordering. Anything read from a URL is validated against the table; bad input
// falls back to the default with a notice, and is never inserted as HTML.

/** Keys of the page itself, in the same form as the core's settings. */
function pageKeys(presetIds) {
  return [
    { key: 'preset', type: 'choice', choices: ['', ...presetIds], default: '', aliases: [], widget: 'none',
      label: 'Preset', help: 'A preset: its settings, and its caption.' },
  ];
}

/** Whether setting `s` matters in `state` (its relevantIf, e.g. "init=scaled_normal", "dataset!=mnist"). */
export function isRelevant(s, state) {
  const cond = s.relevantIf;
  if (!cond) return true;
  const negated = cond.includes('!=');
  const [key, values] = cond.split(negated ? '!=' : '=');
  const hit = values.split('|').includes(String(state[key]));
  return negated ? !hit : hit;
}

/**
 * @param {object[]} table the core's settings table (module.settings())
 * @param {{id: string, settings: object}[]} presets
 */
export function makeState(table, presets = []) {
  const SCHEMA = [...table, ...pageKeys(presets.map((p) => p.id))];
  const byName = new Map();
  for (const s of SCHEMA) {
    byName.set(s.key, s);
    for (const a of s.aliases) if (!a.startsWith('--')) byName.set(a, s);
  }

  const defaults = () => Object.fromEntries(SCHEMA.map((s) => [s.key, s.default]));

  /** The setting a URL or API name refers to (its key or an older alias), or null. */
  const settingOf = (name) => byName.get(name) ?? null;

  /**
   * Checks one value against its setting. Returns {value} or {error} (a sentence).
   * Accepts strings (from a URL or an input), numbers and booleans.
   */
  function parseValue(key, raw) {
    const s = settingOf(key);
    if (!s) return { error: `unknown setting '${key}'` };
    const text = String(raw).trim();
    if (s.type === 'boolean') {
      if (raw === true || text === 'true' || text === '1') return { value: true };
      if (raw === false || text === 'false' || text === '0') return { value: false };
      return { error: `${s.key}: '${text}' is not true or false` };
    }
    if (s.type === 'choice') {
      return s.choices.includes(text) ? { value: text }
        : { error: `${s.key}: '${text}' is not one of ${s.choices.filter(Boolean).join(', ')}` };
    }
    const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
    if (!Number.isFinite(n)) return { error: `${s.key}: '${text}' is not a number` };
    if (s.type === 'integer' && !Number.isInteger(n)) return { error: `${s.key}: ${text} is not a whole number` };
    if (n < s.min || n > s.max) return { error: `${s.key}: ${text} is outside ${s.min}–${s.max}` };
    return { value: n };
  }

  /**
   * Validates a partial update. Returns {changes, errors}: the valid entries under
   * their keys, and a sentence for each invalid or unknown one.
   */
  function validate(partial) {
    const changes = {};
    const errors = [];
    if (partial === null || typeof partial !== 'object' || Array.isArray(partial))
      return { changes, errors: ['expected an object of settings, e.g. {depth: 6}'] };
    for (const [name, raw] of Object.entries(partial)) {
      const r = parseValue(name, raw);
      if ('error' in r) errors.push(r.error);
      else changes[settingOf(name).key] = r.value;
    }
    return { changes, errors };
  }

  /**
   * `state` with `changes`. Changing any setting but the seed leaves the preset:
   * its caption no longer applies.
   */
  function withChanges(state, changes) {
    const next = { ...state, ...changes };
    if (Object.keys(changes).some((k) => k !== 'seed' && k !== 'preset' && changes[k] !== state[k])) next.preset = '';
    return next;
  }

  /** The full state a preset stands for: the defaults, then its settings. */
  function presetState(id) {
    const preset = presets.find((p) => p.id === id);
    return preset ? { ...defaults(), ...preset.settings, preset: id } : null;
  }

  /**
   * Reads a URL hash ("#depth=5&activation=relu"). A `preset` key applies that
   * preset's settings first; the other keys override them (and a value that
   * differs from the preset's leaves the preset, whose caption no longer
   * applies). Returns the full state (defaults for what is missing or bad) and
   * notices for what was ignored.
   */
  function fromHash(hash) {
    let state = defaults();
    const notices = [];
    const text = (hash ?? '').replace(/^#/, '');
    if (!text) return { state, notices };
    let params;
    try {
      params = [...new URLSearchParams(text)];
    } catch {
      return { state, notices: ['The link could not be read; using the default settings.'] };
    }
    const presetParam = params.find(([k]) => k === 'preset');
    if (presetParam) {
      const r = parseValue('preset', presetParam[1]);
      if ('error' in r) notices.push(`In the link, ${r.error}; using no preset.`);
      else if (r.value) state = presetState(r.value);
    }
    const changes = {};
    for (const [name, raw] of params) {
      if (name === 'preset') continue;
      const s = settingOf(name);
      if (!s) {
        notices.push(`Ignored the unknown setting '${name}' in the link.`);
        continue;
      }
      const r = parseValue(name, raw);
      if ('error' in r) notices.push(`In the link, ${r.error}; using ${state[s.key]}.`);
      else changes[s.key] = r.value;
    }
    return { state: withChanges(state, changes), notices };
  }

  /** The hash that reproduces `state`: every setting with a control, and any other that is not at its default. */
  function toHash(state) {
    const params = new URLSearchParams();
    for (const s of SCHEMA) {
      const v = state[s.key];
      if (s.key === 'preset' ? !v : s.widget === 'none' && v === s.default) continue;
      params.set(s.key, s.type === 'boolean' ? (v ? '1' : '0') : String(v));
    }
    return '#' + params.toString();
  }

  return { SCHEMA, defaults, settingOf, parseValue, validate, withChanges, presetState, fromHash, toHash, isRelevant };
}
