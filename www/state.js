// The page's state: one flat object of named settings, and its URL-hash form. No
// DOM here, and no list of settings either: the wasm module hands the page the
// core's settings table (key, type, range, default, label, help, aliases; see
// core/settings.cpp), and makeState() derives the parsing and validation from it.
// The page adds its own keys (PAGE_KEYS), which the core never sees.
//
// The URL hash stores names (`activation=relu`), never indices, so links survive
// reordering. Anything read from a URL is validated against the table; bad input
// falls back to the default with a notice, and is never inserted as HTML.

/**
 * The views a page can show (`show=`), in page order, and those an embedded page
 * (`embed=1`) shows unless told otherwise. lab.html marks each with data-view.
 */
export const VIEWS = ['presets', 'bars', 'time', 'steps', 'chain', 'neuron', 'phi', 'histograms', 'theory', 'phase', 'sweep', 'ab', 'speed', 'loss', 'network', 'data', 'table'];
export const EMBED_VIEWS = ['presets', 'bars'];
/**
 * The views of a recurrent model (model=rnn|lstm): the presets and the gradient
 * through time, which stands in for every view of the MLP's layers (a link
 * showing `bars` shows `time` under a recurrent model, and the other way round).
 */
export const RECURRENT_VIEWS = ['presets', 'time'];

/** Whether `state` trains a recurrent model (the core's model setting: mlp, rnn, lstm). */
export const isRecurrent = (state) => Boolean(state && state.model && state.model !== 'mlp');

/**
 * The paces of Play, slowest first: training steps a second, or full speed. At
 * 1 a second each step's bars are animated. The default lets a first-time
 * reader follow Nielsen's network: an epoch of its 8,000 training digits in 8 s.
 */
export const PACES = ['1', '3', '10', '30', '100', '300', '1000', 'full'];
export const DEFAULT_PACE = '100';
/** Steps a second at `pace` (Infinity at full speed). */
export const paceRate = (pace) => (pace === 'full' ? Infinity : Number(pace) || Infinity);

/** The page's languages (i18n.js has their messages); '' follows the browser's language. */
export const LANGUAGE_CODES = ['en', 'zh'];
/** Each language's name in itself (the language switches), and its tag for the documents' lang attribute. */
export const LANGUAGE_NAMES = { en: 'English', zh: '简体中文' };
export const LANGUAGE_TAGS = { en: 'en', zh: 'zh-CN' };

/** The language to use: `chosen` (the `lang` key) if set, else the first of the browser's we have. */
export function pickLanguage(chosen, browserLanguages = []) {
  if (LANGUAGE_CODES.includes(chosen)) return chosen;
  for (const tag of browserLanguages) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGE_CODES.includes(base)) return base;
  }
  return 'en';
}

/**
 * The most networks an embedded page trains at once (a course page or the
 * walk-through shares the reader's machine with other simulators): its depth
 * sweep keeps to it, and the walk-through keeps all its simulators to it.
 */
export const EMBEDDED_MAX_NETWORKS = 2;

/** The embedding keys' values on a full page: an embedded page's link to the lab sets these (its settings stay). */
export const FULL_PAGE_LAYOUT = { embed: false, show: '', controls: '', hide: '', lock: false, autoplay: false };

/**
 * Keys of the page itself, in the same form as the core's settings. `layout`
 * keys shape the page (embedding, views, engine) and never leave a preset.
 * A `list` is a comma-separated subset of its choices.
 */
function pageKeys(presetIds, settingKeys) {
  const page = (key, fields) => ({ key, aliases: [], widget: 'none', group: 'Page', layout: true, ...fields });
  return [
    page('preset', { type: 'choice', choices: ['', ...presetIds], default: '', layout: false,
      label: 'Preset', help: 'A preset: its settings, and its caption.' }),
    page('embed', { type: 'boolean', default: false, label: 'Embedded',
      help: 'A compact page for an iframe: the speed bars, their reading, the play controls and the presets; settings only if `controls` or `hide` asks for them.' }),
    page('show', { type: 'list', choices: VIEWS, default: '', label: 'Views',
      help: `The views to show, e.g. bars,speed,loss (of ${VIEWS.join(', ')}); empty: all (embedded: ${EMBED_VIEWS.join(',')}).` }),
    page('controls', { type: 'list', choices: settingKeys, default: '', label: 'Controls',
      help: 'The settings the reader is offered, e.g. depth,activation,init; empty: all (embedded: none).' }),
    page('hide', { type: 'list', choices: settingKeys, default: '', label: 'Hidden controls',
      help: 'Settings not to offer (the rest are offered), e.g. dataset,seed.' }),
    page('autoplay', { type: 'boolean', default: false, label: 'Autoplay',
      help: 'Start training when the page has loaded (embedded: once the iframe is scrolled into view).' }),
    page('lock', { type: 'boolean', default: false, label: 'Locked',
      help: 'The reader may play, step and reset but not change the settings (the script API still can).' }),
    page('lang', { type: 'choice', choices: ['', ...LANGUAGE_CODES], default: '',
      label: 'Language', help: `The page's language: ${LANGUAGE_CODES.join(' or ')} (zh: 简体中文); empty: the browser's language.` }),
    page('pace', { type: 'choice', choices: PACES, default: DEFAULT_PACE, label: 'Pace',
      help: `Training steps a second while playing (${PACES.join(', ')}); 1 animates each step.` }),
    page('b', { type: 'changes', default: '', label: 'Comparison B',
      help: 'A second network trained beside this one (A), on the same data and seed: the settings in which B differs, e.g. activation:relu,init:he_normal; empty: no comparison.' }),
    page('xaxis', { type: 'choice', choices: ['steps', 'epochs'], default: 'steps', label: 'Time axis',
      help: 'The time axis of the charts: training steps, or epochs as in Nielsen\'s plots.' }),
    page('simd', { type: 'boolean', default: true, label: 'WebAssembly SIMD',
      help: 'Use the SIMD module where the browser can run it; simd=0 loads the slower module every browser runs. Read when the page loads.' }),
  ];
}

/** A problem with a value: a message id and its values (i18n.js words it). */
export const problem = (code, values = {}) => ({ id: `error.${code}`, code, values });

/**
 * Whether setting `s` matters in `state`: every condition of its relevantIf holds
 * (conditions joined by '&', each "key=a|b" or "key!=a": "model=mlp&dataset!=mnist").
 */
export function isRelevant(s, state) {
  if (!s.relevantIf) return true;
  return s.relevantIf.split('&').every((cond) => {
    const negated = cond.includes('!=');
    const [key, values] = cond.split(negated ? '!=' : '=');
    const hit = values.split('|').includes(String(state[key]));
    return negated ? !hit : hit;
  });
}

/** A setting's default under `model`: its recurrentDefault for rnn and lstm, where the table gives one. */
export const defaultFor = (s, model) => (model && model !== 'mlp' && 'recurrentDefault' in s ? s.recurrentDefault : s.default);

/**
 * @param {object[]} table the core's settings table (module.settings())
 * @param {{id: string, settings: object}[]} presets
 */
export function makeState(table, presets = []) {
  const settingKeys = table.filter((s) => s.widget !== 'none').map((s) => s.key);
  const SCHEMA = [...table, ...pageKeys(presets.map((p) => p.id), settingKeys)];
  const byName = new Map();
  for (const s of SCHEMA) {
    byName.set(s.key, s);
    for (const a of s.aliases) if (!a.startsWith('--')) byName.set(a, s);
  }

  /** Every key at its default (under `model`, whose own training defaults apply: defaultFor). */
  const defaults = (model = 'mlp') => ({ ...Object.fromEntries(SCHEMA.map((s) => [s.key, defaultFor(s, model)])),
    ...(settingOf('model') ? { model } : {}) });

  /** The setting a URL or API name refers to (its key or an older alias), or null. */
  const settingOf = (name) => byName.get(name) ?? null;

  /**
   * Checks one value against its setting. Returns {value} or {error}, a problem
   * {id, values} that i18n.js words in the reader's language (the ids are the
   * core's error codes: error.out_of_range, …; `describe` words one in English).
   * Accepts strings (from a URL or an input), numbers and booleans.
   */
  function parseValue(key, raw) {
    const s = settingOf(key);
    if (!s) return { error: problem('unknown_setting', { key }) };
    const text = String(raw).trim();
    const bad = (code, extra = {}) => ({ error: problem(code, { key: s.key, value: text, ...extra }) });
    if (s.type === 'boolean') {
      if (raw === true || text === 'true' || text === '1') return { value: true };
      if (raw === false || text === 'false' || text === '0') return { value: false };
      return bad('not_boolean');
    }
    if (s.type === 'changes') return parseChanges(text);
    if (s.type === 'list') {
      const items = text.split(',').map((t) => t.trim()).filter(Boolean)
        .map((t) => (s.choices.includes(t) ? t : settingOf(t)?.key ?? t));
      const unknown = items.filter((t) => !s.choices.includes(t));
      if (unknown.length) return { error: problem('not_in_list', { key: s.key, value: unknown.join(','), choices: s.choices.join(', ') }) };
      return { value: [...new Set(items)].join(',') };
    }
    if (s.type === 'choice') {
      return s.choices.includes(text) ? { value: text } : bad('unknown_choice', { choices: s.choices.filter(Boolean).join(', ') });
    }
    const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
    if (!Number.isFinite(n)) return bad('not_a_number');
    if (s.type === 'integer' && !Number.isInteger(n)) return bad('not_whole');
    if (n < s.min || n > s.max) return bad('out_of_range', { min: String(s.min), max: String(s.max) });
    return { value: n };
  }

  /**
   * Reads "key:value,key:value" (the settings in which a comparison differs):
   * each a setting of the core's table with a valid value. Returns {value} in a
   * canonical form (table order, values as parseValue gives them) or {error}.
   */
  function parseChanges(text) {
    const pairs = text.split(',').map((p) => p.trim()).filter(Boolean);
    const found = new Map();
    for (const pair of pairs) {
      const at = pair.indexOf(':');
      const name = at < 0 ? pair : pair.slice(0, at);
      const s = settingOf(name);
      // B is an MLP beside A: not another model, nor a recurrent model's settings.
      const recurrentOnly = s && (s.key === 'model' || (s.relevantIf ?? '').split('&').includes('model!=mlp'));
      if (at < 0 || !s || !table.includes(s) || recurrentOnly) return { error: problem('bad_changes', { key: 'b', value: pair }) };
      const r = parseValue(s.key, pair.slice(at + 1));
      if ('error' in r) return r;
      found.set(s.key, r.value);
    }
    const ordered = table.filter((s) => found.has(s.key)).map((s) => `${s.key}:${s.type === 'boolean' ? (found.get(s.key) ? 1 : 0) : found.get(s.key)}`);
    return { value: ordered.join(',') };
  }

  /** The settings a "key:value,…" text holds, as {key: value} (parsed and checked). */
  function changesOf(text) {
    const changes = {};
    for (const pair of (text ? parseChanges(text).value ?? '' : '').split(',').filter(Boolean)) {
      const at = pair.indexOf(':');
      changes[pair.slice(0, at)] = parseValue(pair.slice(0, at), pair.slice(at + 1)).value;
    }
    return changes;
  }

  /**
   * Validates a partial update. Returns {changes, errors}: the valid entries under
   * their keys, and a problem for each invalid or unknown one.
   */
  function validate(partial) {
    const changes = {};
    const errors = [];
    if (partial === null || typeof partial !== 'object' || Array.isArray(partial))
      return { changes, errors: [problem('not_object')] };
    for (const [name, raw] of Object.entries(partial)) {
      const r = parseValue(name, raw);
      if ('error' in r) errors.push(r.error);
      else changes[settingOf(name).key] = r.value;
    }
    return { changes, errors };
  }

  /**
   * `state` with `changes`. Changing any setting but the seed leaves the preset:
   * its caption no longer applies. Switching between the MLP and a recurrent
   * model sets the training rule (the settings with a recurrent default) to the
   * new model's defaults, but for those among the changes: the CLI's rule, a
   * recurrent model trains by its own defaults unless told otherwise, and one
   * model's η or batch never carries over to the other's, half of a rule.
   */
  function withChanges(state, changes) {
    const next = { ...state, ...changes };
    if ('model' in changes && isRecurrent(state) !== isRecurrent(next)) {
      for (const s of table)
        if ('recurrentDefault' in s && !(s.key in changes)) next[s.key] = defaultFor(s, next.model);
    }
    const leaves = (k) => k !== 'seed' && k !== 'preset' && !settingOf(k)?.layout && changes[k] !== state[k];
    if (Object.keys(changes).some(leaves)) next.preset = '';
    return next;
  }

  /** The full state a preset stands for: the defaults, then its settings. */
  function presetState(id) {
    const preset = presets.find((p) => p.id === id);
    return preset ? { ...defaults(preset.settings.model), ...preset.settings, preset: id } : null;
  }

  /**
   * Reads a URL hash ("#depth=5&activation=relu"). A `preset` key applies that
   * preset's settings first; the other keys override them (and a value that
   * differs from the preset's leaves the preset, whose caption no longer
   * applies). Returns the full state (defaults for what is missing or bad) and
   * notices ({id, values}, see i18n.js) for what was ignored.
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
      return { state, notices: [{ id: 'notice.linkUnreadable', values: {} }] };
    }
    const presetParam = params.find(([k]) => k === 'preset');
    if (presetParam) {
      const r = parseValue('preset', presetParam[1]);
      if ('error' in r) notices.push({ id: 'notice.linkNoPreset', values: { problem: r.error } });
      else if (r.value) state = presetState(r.value);
    }
    const changes = {};
    for (const [name, raw] of params) {
      if (name === 'preset') continue;
      const s = settingOf(name);
      if (!s) {
        notices.push({ id: 'notice.linkUnknown', values: { name } });
        continue;
      }
      const r = parseValue(name, raw);
      // The value kept instead, as {kind: 'value'}: i18n.js words it (a choice's name, on/off, "the default").
      if ('error' in r) notices.push({ id: 'notice.linkBad', values: { problem: r.error, fallback: { kind: 'value', key: s.key, value: state[s.key] } } });
      else changes[s.key] = r.value;
    }
    return { state: withChanges(state, changes), notices };
  }

  /**
   * The hash that reproduces `state`: every setting with a control, and any other
   * that is not at its default. `compact`: only what differs from the preset (or
   * from the defaults), for links people read and edit (Share, embed snippets).
   */
  function toHash(state, { compact = false } = {}) {
    // The defaults under the state's model, which itself is written unless it is the default.
    const base = (compact && state.preset && presetState(state.preset)) || { ...defaults(state.model), model: defaults().model };
    const params = new URLSearchParams();
    for (const s of SCHEMA) {
      const v = state[s.key];
      const write = s.key === 'preset' ? Boolean(v) : compact ? v !== base[s.key] : s.widget !== 'none' || v !== base[s.key];
      if (write) params.set(s.key, s.type === 'boolean' ? (v ? '1' : '0') : String(v));
    }
    return '#' + params.toString();
  }

  /** The layout keys of `state` (embedding, views, engine): they outlive a preset. */
  const layoutOf = (state) => Object.fromEntries(SCHEMA.filter((s) => s.layout).map((s) => [s.key, state[s.key]]));

  return { SCHEMA, defaults, settingOf, parseValue, validate, withChanges, presetState, fromHash, toHash, isRelevant,
    layoutOf, changesOf };
}

/**
 * The views `state` shows (its `show` list, or its layout's default), in page
 * order: under a recurrent model those of RECURRENT_VIEWS, with `time` in place
 * of the MLP's views; under the MLP, `bars` in place of `time`.
 */
export function shownViews(state) {
  const listed = state.show ? state.show.split(',') : state.embed ? EMBED_VIEWS : VIEWS;
  const recurrent = isRecurrent(state);
  const modelViews = (v) => v !== 'presets' && (recurrent ? !RECURRENT_VIEWS.includes(v) : v === 'time');
  const wanted = new Set(listed);
  if (listed.some(modelViews)) wanted.add(recurrent ? 'time' : 'bars');
  return VIEWS.filter((v) => wanted.has(v) && (recurrent ? RECURRENT_VIEWS.includes(v) : v !== 'time') && !(v === 'presets' && state.lock));
}

/**
 * The settings `state` offers the reader, from the keys of the settings that
 * have a control: its `controls` list, or all of them (none when embedded,
 * unless `hide` is given), less its `hide` list.
 */
export function offeredControls(state, keys) {
  const listed = state.controls ? state.controls.split(',') : state.embed && !state.hide ? [] : keys;
  const hidden = new Set(state.hide ? state.hide.split(',') : []);
  return keys.filter((k) => listed.includes(k) && !hidden.has(k));
}
