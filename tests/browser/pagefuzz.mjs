// Random and adversarial input for the page, from a seed: URL hashes, script-API
// calls and postMessage payloads, and the checks that none of them broke the
// page (no uncaught exception, not blank, no markup or script of theirs in it).
// The browser test runs a short round (pagefuzz.test.mjs); bench/hardening.mjs
// the long one.

import { mulberry32 } from '../../www/random.js';

/** Seeded choices: a number in [0, 1), a whole number below n, an element, a coin. */
export function rng(seed) {
  const next = mulberry32(seed);
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)], chance: (p) => next() < p };
}

// Markup and script that must never run or appear: each sets the canary.
const INJECTIONS = [
  '<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>', "'><svg onload=window.__pwned=1>",
  'javascript:window.__pwned=1', '</title><script>window.__pwned=1</script>', '{{constructor.constructor("window.__pwned=1")()}}',
  '<iframe srcdoc="<script>parent.__pwned=1</script>">', '${window.__pwned=1}',
];
const NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '1e-320', '-0', '0x10', '1e3', '9007199254740993',
  '99999999999999999999', '-1', '0', '1.5', '  3  ', '', '٣', '３', '1_000', '1,5', '.5', '5.', '+7'];
const JUNK = ['é', '你好', '🙂', '\u0000', '\u202e', '%', '%E0%A4%A', '%00', '&', '=', '#', '?', ' ', 'a'.repeat(5000), '__proto__', 'constructor', 'prototype', 'toString'];

/** A random value for `s` (a setting or page key of the schema), often bad. */
function valueFor(r, s) {
  switch (r.int(6)) {
    case 0: return r.pick(NUMBERS);
    case 1: return r.pick(INJECTIONS);
    case 2: return r.pick(JUNK);
    case 3: return s.choices?.length ? r.pick(s.choices) : String(s.min ?? 0);
    case 4: return s.type === 'list' || s.type === 'changes' ? Array.from({ length: r.int(4) }, () => `${r.pick(s.choices ?? ['x'])}${s.type === 'changes' ? `:${r.pick(NUMBERS)}` : ''}`).join(',') : String(s.max ?? 1);
    default: return String((s.min ?? 0) + r.next() * ((s.max ?? 1) - (s.min ?? 0)));
  }
}

/** A random URL hash over the schema (keys, aliases, unknown keys; repeated and conflicting). */
export function randomHash(r, schema) {
  const keys = schema.flatMap((s) => [s.key, ...s.aliases.filter((a) => !a.startsWith('--'))]);
  const parts = [];
  for (let i = r.int(8); i >= 0; i--) {
    const key = r.chance(0.1) ? r.pick([...JUNK, ...INJECTIONS]) : r.pick(keys);
    const s = schema.find((x) => x.key === key || x.aliases.includes(key)) ?? {};
    const value = valueFor(r, s);
    parts.push(r.chance(0.2) ? `${key}=${value}` : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    if (r.chance(0.1)) parts.push(parts.at(-1));  // repeated
  }
  if (r.chance(0.05)) return r.pick(INJECTIONS);
  return parts.join(r.chance(0.1) ? ';' : '&');
}

/** A random call of the script API: [method, args], mostly with bad arguments. */
export function randomCall(r, schema) {
  const bad = () => r.pick([null, undefined, NaN, -1, 1e9, '', 'x', [], {}, { __proto__: { depth: 5 } }, () => 1, Symbol.iterator, 2 ** 53, r.pick(INJECTIONS)]);
  const settings = () => Object.fromEntries(Array.from({ length: 1 + r.int(3) }, () => {
    const s = r.pick(schema);
    return [r.chance(0.1) ? r.pick(JUNK) : s.key, r.chance(0.5) ? valueFor(r, s) : bad()];
  }));
  switch (r.int(9)) {
    case 0: return ['configure', [r.chance(0.7) ? settings() : bad()]];
    case 1: return ['preset', [r.chance(0.5) ? r.pick(schema.find((s) => s.key === 'preset').choices) : bad()]];
    case 2: return ['step', [r.pick([0, -3, 1.5, 1e7, NaN, '3', null, 2, 5])]];
    case 3: return ['history', [r.pick(['json', 'csv', 'xml', null, 5])]];
    case 4: return ['sweepDepth', [r.chance(0.5) ? { from: bad(), to: bad(), steps: bad() } : bad()]];
    case 5: return ['on', [r.pick(['stats', 'nope', null]), r.pick([() => {}, null, 'x'])]];
    case 6: return [r.pick(['pause', 'reset', 'stats', 'state', 'settings', 'ab']), []];
    case 7: return [r.pick(['histograms', 'theory']), []];
    default: return ['configure', [{ b: valueFor(r, schema.find((s) => s.key === 'b')) }]];
  }
}

/** A random postMessage payload for the embedded page's API (embed-api.js). */
export function randomMessage(r, schema) {
  const [method, args] = randomCall(r, schema);
  const clean = JSON.parse(JSON.stringify(args, (k, v) => (typeof v === 'function' || typeof v === 'symbol' ? undefined : Number.isNaN(v) ? null : v)) ?? 'null');
  switch (r.int(7)) {
    case 0: return r.pick([null, 5, 'hello', [], true, { gradlab: 'nope' }, r.pick(INJECTIONS)]);
    case 1: return { gradlab: 1, id: r.pick([null, {}, [], 1.5, 'x']), method, args: clean };
    case 2: return { gradlab: 1, id: r.int(1e6), method: r.pick([...JUNK, ...INJECTIONS, '__proto__', 'constructor']), args: [] };
    case 3: return { gradlab: 1, id: r.int(1e6), method, args: r.pick([null, 5, 'x', {}]) };
    case 4: return { gradlab: 1, id: r.int(1e6), event: 'stats', data: r.pick(INJECTIONS) };
    default: return { gradlab: 1, id: r.int(1e6), method, args: Array.isArray(clean) ? clean : [clean] };
  }
}

/** The page's health: not blank, no canary, no element or handler of the fuzzer's. Runs in the page. */
export function healthIn(baseline) {
  const all = [...document.querySelectorAll('*')];
  const handlers = all.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.tagName);
  const count = (sel) => document.querySelectorAll(sel).length;
  return {
    pwned: window.__pwned !== undefined,
    handlers,
    scripts: count('script') - baseline.scripts,
    frames: count('iframe') - baseline.frames,
    images: count('img') - baseline.images,
    failed: document.body.classList.contains('failed'),
    blank: !window.gradlab || window.gradlab.state() === null || (document.getElementById('status')?.textContent ?? '').length === 0,
  };
}
