// The walk-through's wording in each of the page's languages (walk/text-en.js,
// walk/text-zh.js: written for each language, with the lab's glossary). No DOM.
import { MAX_NETWORKS } from './budget.js';
import en from './text-en.js';
import zh from './text-zh.js';

export const WALK_TEXT = { en, zh };

/** Values every message may use: {max}, the most networks that train at once. */
const FACTS = { max: MAX_NETWORKS };

/** The wording of `lang` (English where a message is missing): t(id, {name: value}). */
export function makeWalkText(lang) {
  const messages = WALK_TEXT[lang] ?? en;
  const t = (id, values = {}) => String(messages[id] ?? en[id] ?? id)
    .replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : name in FACTS ? String(FACTS[name]) : whole));
  return { lang: WALK_TEXT[lang] ? lang : 'en', t, has: (id) => id in messages };
}

/** The paragraph ids of section `id` in `messages`: <id>.p1, <id>.p2, … while they exist. */
export function paragraphIds(messages, id) {
  const ids = [];
  for (let i = 1; `${id}.p${i}` in messages; i++) ids.push(`${id}.p${i}`);
  return ids;
}
