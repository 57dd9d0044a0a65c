// The page's languages: every sentence the reader sees comes from a message file
// (i18n/en.js, i18n/zh.js), keyed by id, with {name} placeholders; numbers are
// formatted for the language's locale. No DOM here (translate.js applies the
// static page's text).
//
// The settings' English labels and help are the core's settings table (the CLI's
// --help prints the same): one definition. The Chinese file words every setting,
// group and choice of that table under setting.<key>.label / .help, group.<Group>
// and choice.<key>.<value>; tests/node/i18n.test.mjs checks that nothing is
// missing in either language.
import { numberFormats } from './charts/format.js';
import { LANGUAGE_CODES, LANGUAGE_NAMES } from './state.js';
import en from './i18n/en.js';
import zh from './i18n/zh.js';

/** The languages, in the switch's order: code → its name in itself, its locale, its messages. */
export const LANGUAGES = {
  en: { name: LANGUAGE_NAMES.en, locale: 'en-US', messages: en },
  zh: { name: LANGUAGE_NAMES.zh, locale: 'zh-CN', messages: zh },
};
/** The codes of the `lang` key (state.js), each with its entry above. */
export const LANGS = LANGUAGE_CODES;

export { pickLanguage } from './state.js';

/**
 * The ids a language other than English words for the page's own keys (state.js
 * pageKeys: their English help is there, shown in the embed page's keys table).
 */
export function pageKeyMessageIds(schema) {
  return schema.filter((s) => s.layout).map((s) => `pagekey.${s.key}.help`);
}

/** The message ids the core's settings table needs in a language other than English. */
export function settingMessageIds(table) {
  const ids = new Set();
  for (const s of table) {
    ids.add(`setting.${s.key}.label`);
    ids.add(`setting.${s.key}.help`);
    ids.add(`group.${s.group}`);
    for (const c of s.choices ?? []) if (c) ids.add(`choice.${s.key}.${c}`);
  }
  return [...ids];
}

/**
 * The wording of one language. `table` is the core's settings table (for the
 * settings' English text); without it setting() falls back to the key.
 */
export function makeI18n(lang, table = []) {
  const language = LANGUAGES[lang] ?? LANGUAGES.en;
  const code = LANGUAGES[lang] ? lang : 'en';
  const messages = language.messages;
  const fmt = numberFormats(language.locale);
  const plurals = new Intl.PluralRules(language.locale);
  const byKey = new Map(table.map((s) => [s.key, s]));

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in values)) return whole;
    const v = values[name];
    if (v && typeof v === 'object') return problem(v);
    if (typeof v === 'number') return Number.isInteger(v) ? fmt.int(v) : fmt.value(v);
    // The core sends its values as text: whole numbers in it (counts, bytes) are grouped for
    // the locale too, but not {value}, which echoes what the reader typed.
    return name !== 'value' && /^-?\d{4,}$/.test(v) ? fmt.int(Number(v)) : String(v);
  });

  /**
   * The message `id` with its {placeholders} filled from `values` (numbers, and
   * whole numbers as text, are formatted for the locale; a problem or an Error
   * is worded by problem()). A message
   * that is an object of plural forms ({one, other}) is chosen by values.n.
   */
  function t(id, values = {}) {
    let text = messages[id] ?? en[id];
    if (text === undefined) return id;
    if (typeof text === 'object') text = text[plurals.select(values.n ?? 0)] ?? text.other;
    return fill(text, values);
  }

  /**
   * A problem {id, values} (state.js's, or an error with a core error code) in
   * this language; an Error without a code keeps its own message.
   */
  function problem(p) {
    if (p === null || typeof p !== 'object') return String(p);
    if (p.kind === 'value') return value(p.key, p.value);
    if (!('id' in p)) {
      // An Error (or the worker's {message, code, values}): its code if we word it, else its message.
      if (typeof p.code !== 'string' || (!messages[`error.${p.code}`] && !en[`error.${p.code}`])) return String(p.message ?? p);
      p = { id: `error.${p.code}`, values: { ...p.values, ...(p.key ? { key: p.key } : {}) } };
    }
    const values = { ...p.values };
    // A setting is named by its label and, for links and scripts, its key: "Hidden layers (depth)".
    if (values.key) values.setting = byKey.has(values.key) ? t('problem.setting', { label: setting(values.key).label, key: values.key }) : values.key;
    return t(p.id, values);
  }

  /** A setting's label and help. */
  function setting(key) {
    const s = byKey.get(key);
    if (code === 'en') return { label: s?.label ?? key, help: s?.help ?? '' };
    return { label: messages[`setting.${key}.label`] ?? s?.label ?? key, help: messages[`setting.${key}.help`] ?? s?.help ?? '' };
  }

  /** A setting's value in words: a choice's name, on/off, a number, or "the default" for none. */
  function value(key, v) {
    if (v === '' || v === null || v === undefined) return t('value.default');
    if (typeof v === 'boolean') return t(v ? 'value.true' : 'value.false');
    if (typeof v === 'number') return Number.isInteger(v) ? fmt.int(v) : fmt.value(v);
    return byKey.get(key)?.choices?.includes(v) ? choice(key, v) : String(v);
  }

  /** A group's name (the core's "Network", "Remedies", …). */
  const group = (name) => (code === 'en' ? name : messages[`group.${name}`] ?? name);

  /** A choice's display name (English: the name with spaces, "he normal"). */
  const choice = (key, value) => (code === 'en' ? value.replaceAll('_', ' ')
    : messages[`choice.${key}.${value}`] ?? value.replaceAll('_', ' '));

  /** Items of a list in a sentence: "1, 2, 3" (English), "1、2、3" (Chinese). */
  const list = (items) => items.join(t('list.separator'));

  return { lang: code, locale: language.locale, t, problem, setting, group, choice, list, fmt };
}
