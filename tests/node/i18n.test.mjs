// The page's two languages (www/i18n.js, www/i18n/*.js): nothing missing in
// either, every id the page uses exists, placeholders agree, numbers follow the
// locale, and the export's CLI command and columns are the CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { LANGUAGES, LANGS, makeI18n, pageKeyMessageIds, pickLanguage, settingMessageIds } from '../../www/i18n.js';
import en from '../../www/i18n/en.js';
import zh from '../../www/i18n/zh.js';
import { LANGUAGE_CODES, PACES, VIEWS, makeState } from '../../www/state.js';
import { PRESETS } from '../../www/presets.js';
import { History } from '../../www/history.js';
import { cliCommand } from '../../www/export.js';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const table = M.settings();
const WWW = resolve('www');

const placeholders = (m) => new Set([...(typeof m === 'object' ? Object.values(m).join(' ') : m).matchAll(/\{(\w+)\}/g)].map((x) => x[1]));

test('every language of the `lang` key has its messages', () => {
  assert.deepEqual(LANGS, LANGUAGE_CODES);
  for (const code of LANGUAGE_CODES) assert.ok(LANGUAGES[code]?.messages, code);
});

test('English and Chinese have the same ids, and the same placeholders in each', () => {
  const settingIds = new Set([...settingMessageIds(table), ...pageKeyMessageIds(makeState(table, PRESETS).SCHEMA)]);
  const zhPage = Object.keys(zh).filter((id) => !settingIds.has(id));
  assert.deepEqual(Object.keys(en).filter((id) => !zh[id]), [], 'ids missing in zh.js');
  assert.deepEqual(zhPage.filter((id) => !en[id]), [], 'ids in zh.js that en.js lacks');
  for (const [id, text] of Object.entries(en)) {
    assert.deepEqual(placeholders(zh[id]), placeholders(text), `the placeholders of ${id}`);
    if (typeof text === 'object') assert.ok('other' in text && 'other' in zh[id], `${id} has an 'other' form`);
  }
});

test('Chinese words every setting, group and choice of the core’s table, and nothing else', () => {
  const needed = settingMessageIds(table);
  assert.ok(needed.length > 80);
  assert.deepEqual(needed.filter((id) => !zh[id]), [], 'missing in zh.js');
  const extra = Object.keys(zh).filter((id) => /^(setting|group|choice)\./.test(id) && !needed.includes(id));
  // And the page's own keys (their help in the embed page's keys table).
  const pageIds = pageKeyMessageIds(makeState(table, PRESETS).SCHEMA);
  assert.deepEqual(pageIds.filter((id) => !zh[id]), [], 'page keys missing in zh.js');
  assert.deepEqual(Object.keys(zh).filter((id) => id.startsWith('pagekey.') && !pageIds.includes(id)), []);
  assert.deepEqual(extra, [], 'zh.js words settings the core does not have');
  // English takes them from the core table: one definition, shared with the CLI's --help.
  assert.deepEqual(Object.keys(en).filter((id) => /^(setting|group|choice)\./.test(id)), []);
  const zhText = makeI18n('zh', table);
  assert.equal(zhText.setting('batchNorm').label, '批量归一化');
  assert.equal(makeI18n('en', table).setting('depth').label, table.find((s) => s.key === 'depth').label);
});

/** The walk-through's own files in www/ (its wording is walk/text-*.js). */
const WALK_FILES = ['index.html', 'walk.js'];

test('every message id the page uses exists', () => {
  // Static ids: t('…'), id: '…', data-i18n="…", data-i18n-attr, data-title.
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      // The walk-through (index.html, walk.js, walk/) has its own wording: tests/node/walk.test.mjs.
      if (f.isDirectory()) { if (!['i18n', 'vendor', 'walk'].includes(f.name)) walk(join(d, f.name)); } else if (/\.(js|html)$/.test(f.name) && !WALK_FILES.includes(f.name)) files.push(join(d, f.name));
    }
  };
  walk(WWW);
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\bt\('([\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\bid: '((?:notice|error|where|divergence)\.[\w.-]+)'/g)) used.add(m[1]);
    if (!f.endsWith('.html')) continue;
    for (const m of text.matchAll(/data-(?:i18n|i18n-rich|title)="([\w.-]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(';')) used.add(pair.split(':')[1]);
  }
  assert.ok(used.size > 100, `${used.size} ids found`);
  // Ids built from names: presets, views, paces, table columns, the core's codes.
  for (const p of PRESETS) used.add(`preset.${p.id}.title`).add(`preset.${p.id}.caption`);
  for (const v of VIEWS) used.add(`share.view.${v}`);
  for (const k of ['info', 'warning', 'error']) used.add(`notice.kind.${k}`);
  for (const c of M.divergenceCodes()) used.add(`divergence.${c.code ?? c}`);
  for (const c of M.errorCodes()) used.add(`error.${c.code}`);
  const missing = [...used].filter((id) => !(id in en));
  assert.deepEqual(missing, [], 'ids used but not in en.js');
  // Each core error code's message uses only the values the core sends with it.
  for (const c of M.errorCodes()) {
    const sent = new Set([...c.values, 'setting', 'key']);
    for (const name of placeholders(en[`error.${c.code}`])) assert.ok(sent.has(name), `error.${c.code} uses {${name}}`);
  }
});

test('the language: the link’s, else the first of the browser’s we have, else English', () => {
  assert.equal(pickLanguage('zh', ['en-US']), 'zh');
  assert.equal(pickLanguage('', ['zh-CN', 'en']), 'zh');
  assert.equal(pickLanguage('', ['fr-FR', 'zh-TW', 'en']), 'zh');
  assert.equal(pickLanguage('', ['fr-FR']), 'en');
  assert.equal(pickLanguage('klingon', []), 'en');
  const S = makeState(table, PRESETS);
  assert.equal(S.fromHash('#lang=zh').state.lang, 'zh');
  assert.equal(S.fromHash('#lang=xx').notices.length, 1, 'a bad lang is refused with a notice');
  assert.deepEqual(S.fromHash(`#pace=${PACES[0]}`).state.pace, '1');
});

test('numbers follow the locale', () => {
  const e = makeI18n('en').fmt, z = makeI18n('zh').fmt;
  assert.equal(e.ratio(914123), '914,000');
  assert.equal(z.ratio(914123), '91.4万');
  assert.equal(z.ratio(3.3e8), '3.30e8');
  assert.equal(e.int(12000), '12,000');
  assert.equal(e.percent(0.8123), '81.2%');
  assert.equal(e.value(1.66e-8), '1.66e-8');
  assert.equal(makeI18n('zh').t('export.points', { n: 3 }), '目前共 3 次测量。');
  assert.equal(makeI18n('en').t('export.points', { n: 1 }), '1 measurement so far.');
});

test('the export’s CLI command runs, and its CSV has the page’s columns', () => {
  const S = makeState(table, PRESETS);
  const state = { ...S.defaults(), dataset: 'circle', depth: 4, width: 6, activation: 'tanh', learningRate: 0.05, residual: true };
  const command = cliCommand(table, state, { epochs: 1 });
  assert.equal(command, 'gradlab --dataset circle --depth 4 --width 6 --activation tanh --learning-rate 0.05 --residual --epochs 1 --format csv');
  const cli = process.env.GRADLAB_CLI;
  if (!cli) return;  // the CLI is built natively (tools/test.sh sets it)
  const out = execFileSync(cli, command.split(' ').slice(1), { encoding: 'utf8' });
  const [header, ...rows] = out.trim().split('\n');
  const history = new History();
  history.reset(M.historyColumns(5));
  assert.equal(header, history.toCsv().trim(), 'the CLI and the page name the columns alike');
  assert.equal(rows.length, 2, 'epochs 0 and 1');
  // A recurrent preset's command: its settings against the recurrent defaults the CLI fills in, and its steps.
  const explodes = S.presetState('rnn-explodes');
  const rnn = cliCommand(table, explodes, { steps: 40 });
  assert.equal(rnn, 'gradlab --model rnn --task adding --recurrent-scale 2 --learning-rate 0.3 --optimizer sgd --clip-norm 0 --steps 40 --format csv');
  const r = spawnSync(cli, rnn.split(' ').slice(1), { encoding: 'utf8' });
  assert.equal(r.status, 3, 'it diverges, as in the page');
  assert.match(r.stderr, /the rnn diverged at step 35/);
});

test('the history as CSV and as the CLI’s jsonl rows', () => {
  const history = new History();
  const columns = M.historyColumns(3);  // two hidden layers and the output
  history.reset(columns);
  const stats = Object.fromEntries(M.layerStatistics().map((s) => [s.key, [1, 2, 3]]));
  history.add({ step: 0, epoch: 0, epochs: 0, speed: [0.1, 0.2], probe: { speed: [0.1, 0.2, 0.3], gain: [0.5, 0.6, NaN] }, stats: {}, loss: 2, trainAccuracy: 0.1, testAccuracy: null });
  history.add({ step: 10, epoch: 1, epochs: 1, speed: [0.4, 0.5], probe: { speed: [0.4, 0.5, 0.6], gain: [0.7, 0.8, NaN] }, stats, loss: 1, trainAccuracy: 0.5, testAccuracy: 0.4 });
  const [head, first, second] = history.toCsv().trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(head, columns.map((c) => c.name));
  assert.equal(first[head.indexOf('speed_hl2')], '0.2');
  assert.equal(first[head.indexOf('batch_speed_hl1')], '', 'not measured before the first step');
  assert.equal(second[head.indexOf('speed_out')], '0.6');
  const rows = history.jsonRows();
  assert.deepEqual(rows[1].speed, [0.4, 0.5]);
  assert.equal(rows[1].speed_out, 0.6);
  assert.deepEqual(rows[1].batch_speed, [1, 2]);
  assert.equal(rows[0].test_accuracy, null);
  assert.deepEqual(rows[1].gain, [0.7, 0.8]);
  assert.equal(rows[1].gain_out, null, 'the chain has no output-layer value');
});
