// The walk-through (index.html, www/walk.js, www/walk/): its sections' links
// are valid lab links, its text is complete in both languages, and its budget
// never lets more than two networks train at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PRESETS } from '../../www/presets.js';
import { VIEWS, makeState, shownViews } from '../../www/state.js';
import { Budget, MAX_NETWORKS } from '../../www/walk/budget.js';
import { SECTIONS, embeddedHash, frameKey, hashAnchor, hashLanguage, holdsSettings, labHash, labPage, layoutPart, walkHash } from '../../www/walk/sections.js';
import { WALK_TEXT, makeWalkText, paragraphIds } from '../../www/walk/text.js';
import { mulberry32 } from '../../www/random.js';
import { LAB_PAGE } from '../../tools/csp.mjs';

const WWW = resolve('www');
const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const SITE = resolve(process.env.GRADLAB_SITE ?? 'build-wasm/site');
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const S = makeState(M.settings(), PRESETS);

test('every frame of the walk-through is a valid lab link: no notice, the views it names, the controls it offers', () => {
  const keys = new Set();
  for (const section of SECTIONS) {
    section.frames.forEach((frame, i) => {
      const key = frameKey(section, i);
      assert.ok(!keys.has(key), `${key} is unique`);
      keys.add(key);
      for (const hash of [embeddedHash(frame.hash, 'zh'), labHash(frame.hash)]) {
        const { state, notices } = S.fromHash(hash);
        assert.deepEqual(notices, [], `${key}: ${hash}`);
        const params = new URLSearchParams(frame.hash);
        // A preset named stays applied: what the link shows is the preset's, caption included.
        if (params.has('preset')) assert.equal(state.preset, params.get('preset'), key);
      }
      const { state } = S.fromHash(embeddedHash(frame.hash, 'en'));
      assert.equal(state.embed, true);
      assert.equal(state.lang, 'en');
      for (const v of (state.show || '').split(',').filter(Boolean)) assert.ok(VIEWS.includes(v), `${key}: view ${v}`);
      assert.ok(shownViews(state).length > 0, key);
      // The full lab page drops the embedded layout and keeps every setting.
      const full = S.fromHash(labHash(frame.hash)).state;
      assert.equal(full.embed, false);
      assert.equal(full.show, '');
      for (const s of M.settings()) assert.equal(full[s.key], state[s.key], `${key}: ${s.key}`);
    });
  }
  assert.ok(keys.size >= SECTIONS.length);
});

test('the story’s steps are all there, each remedy with its before and after', () => {
  const ids = SECTIONS.map((s) => s.id);
  for (const id of ['deeper', 'speeds', 'gradient', 'chain', 'saturation', 'exploding', 'init', 'relu', 'batchnorm',
    'residual', 'clipping', 'penalty', 'pretraining', 'lstm', 'map']) assert.ok(ids.includes(id), id);
  const shows = (id, view) => SECTIONS.find((s) => s.id === id).frames.some((f) => shownViews(S.fromHash(embeddedHash(f.hash)).state).includes(view));
  assert.ok(shows('deeper', 'sweep'));
  assert.ok(shows('chain', 'chain') && shows('chain', 'neuron'));
  assert.ok(shows('saturation', 'phi'));
  assert.ok(shows('map', 'phase'));
  // A remedy's figure compares it with its absence: B differs from A in the remedy's setting.
  const remedy = { init: 'init', relu: 'activation', batchnorm: 'batchNorm', residual: 'residual', clipping: 'clipNorm',
    penalty: 'l2', pretraining: 'pretrainEpochs' };
  for (const [id, key] of Object.entries(remedy)) {
    const { state } = S.fromHash(embeddedHash(SECTIONS.find((s) => s.id === id).frames[0].hash));
    const b = S.changesOf(state.b);
    assert.ok(key in b && b[key] !== state[key], `${id}: B changes ${key}`);
  }
  // The recurrent view trains the RNN and the LSTM side by side.
  assert.equal(S.fromHash(embeddedHash(SECTIONS.find((s) => s.id === 'lstm').frames[0].hash)).state.model, 'rnn');
  assert.ok(shows('lstm', 'time'));
});

/** The message ids the walk-through's files use (data-walk…, t('…'), say('…')). */
function usedIds() {
  const files = [join(WWW, 'index.html'), join(WWW, 'walk.js'), ...readdirSync(join(WWW, 'walk')).map((f) => join(WWW, 'walk', f))]
    .filter((f) => !/text-\w+\.js$/.test(f));
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/data-walk(?:-rich)?="([\w.-]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/'data-walk(?:-rich)?': '([\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-walk-attr(?:="|': ')([^"']+)["']/g)) for (const pair of m[1].split(';')) used.add(pair.split(':')[1]);
    for (const m of text.matchAll(/\b(?:t|say|pause)\('((?:frame|page|intro|closing|toc|language)\.[\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/'(frame\.[\w]+)'/g)) used.add(m[1]);
  }
  return used;
}

test('the text is complete in both languages: every id used, each section’s title, paragraphs and what to try', () => {
  const used = usedIds();
  assert.ok(used.size > 20, `${used.size} ids found`);
  for (const section of SECTIONS) {
    used.add(`${section.id}.title`).add(`${section.id}.try`);
    for (const id of paragraphIds(WALK_TEXT.en, section.id)) used.add(id);
    assert.ok(paragraphIds(WALK_TEXT.en, section.id).length >= 1, `${section.id} has text`);
  }
  for (const [lang, messages] of Object.entries(WALK_TEXT)) {
    const missing = [...used].filter((id) => !(id in messages));
    assert.deepEqual(missing, [], `${lang}: ids used but missing`);
    const unused = Object.keys(messages).filter((id) => !used.has(id));
    assert.deepEqual(unused, [], `${lang}: ids no file uses`);
  }
  assert.deepEqual(Object.keys(WALK_TEXT.zh).sort(), Object.keys(WALK_TEXT.en).sort());
  // The same placeholders in each language.
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const id of Object.keys(WALK_TEXT.en)) assert.equal(holes(WALK_TEXT.zh[id]), holes(WALK_TEXT.en[id]), id);
});

test('the Chinese text is written in Chinese, with the simulator’s glossary', () => {
  const cjk = /[\u4e00-\u9fff]/;
  const latinOnly = Object.entries(WALK_TEXT.zh).filter(([, v]) => !cjk.test(v)).map(([k]) => k);
  assert.deepEqual(latinOnly, [], 'every message has Chinese');
  const all = Object.values(WALK_TEXT.zh).join('\n');
  for (const term of ['梯度消失', '梯度爆炸', '学习速度', '权重初始化', '激活函数', '批量归一化', '残差连接', '梯度裁剪', '逐层预训练', 'L2 正则化'])
    assert.ok(all.includes(term), term);
  // The zh lab's words for the buttons the text names (i18n/zh.js): 开始 (Play), 单步 (Step), 开始扫描 (Run the sweep).
  for (const word of ['**开始**', '**单步**', '**开始扫描**']) assert.ok(all.includes(word), word);
  assert.equal(makeWalkText('fr').lang, 'en');
  assert.equal(makeWalkText('zh').t('frame.failed', { problem: 'x' }), '模拟器无法启动：x');
});

test('old links to the simulator open the lab; lang and section anchors stay on the walk-through', () => {
  assert.equal(holdsSettings('#preset=deep-sigmoid&embed=1'), true);
  assert.equal(holdsSettings('#depth=5'), true);
  assert.equal(holdsSettings('#lang=zh&depth=5'), true);
  assert.equal(holdsSettings('#lang=zh'), false);
  assert.equal(holdsSettings('#chain'), false);
  assert.equal(holdsSettings(''), false);
  assert.equal(holdsSettings('#%E0%A4%A=1'), true);  // malformed: the lab says what it could not read
  assert.equal(holdsSettings('#chain&lang=zh'), false, 'a section followed in a chosen language');
  assert.equal(holdsSettings('#lang=zh&chain'), false);
  assert.equal(hashLanguage('#lang=zh'), 'zh');
  assert.equal(hashLanguage('#chain'), '');
  assert.equal(hashLanguage('#chain&lang=zh'), 'zh');
  assert.equal(hashAnchor('#chain'), 'chain');
  assert.equal(hashAnchor('#chain&lang=zh'), 'chain');
  assert.equal(hashAnchor('#lang=zh'), '');
  assert.equal(hashAnchor('#preset=deep-sigmoid'), '');
  assert.equal(hashAnchor(''), '');
  for (const [anchor, lang] of [['chain', 'zh'], ['chain', ''], ['', 'zh'], ['', '']]) {
    const hash = walkHash(anchor, lang);
    assert.equal(hashAnchor(hash), anchor, hash);
    assert.equal(hashLanguage(hash), lang, hash);
    assert.equal(holdsSettings(hash), false, hash);
  }
  assert.equal(labPage('https:'), LAB_PAGE, 'the site builds the lab where the walk-through links');
  assert.equal(labPage('file:'), 'gradlab-offline.html');
  for (const protocol of ['https:', 'file:']) assert.ok(existsSync(join(SITE, labPage(protocol))), `the site has ${labPage(protocol)}`);
  assert.equal(labHash('preset=relu-he&b=init:xavier_normal&show=ab&controls=init'), '#preset=relu-he&b=init%3Axavier_normal');
  assert.equal(layoutPart('preset=relu-he&show=ab,bars&controls=init'), 'show=ab%2Cbars&controls=init');
});

test('the budget: the newest start trains, the oldest pause, and the total never exceeds two networks', () => {
  assert.equal(MAX_NETWORKS, 2);
  const b = new Budget();
  assert.deepEqual(b.report('a', 1), []);
  assert.deepEqual(b.report('b', 1), []);
  assert.deepEqual(b.report('c', 1), ['a'], 'the oldest start pauses');
  assert.deepEqual(b.report('d', 2), ['b', 'c'], 'an A/B pair takes both places');
  assert.equal(b.total, 2);
  assert.deepEqual(b.report('d', 2), [], 'a repeated report changes nothing');
  assert.deepEqual(b.report('d', 0), []);
  assert.equal(b.total, 0);
  assert.deepEqual(b.report('e', 1), []);
  assert.deepEqual(b.report('f', 3), ['f'], 'one simulator above the limit pauses itself');
  assert.equal(b.total, 1);
  // Random reports (a frame's networks: 0 to 3), each followed by the pauses asked for.
  const rnd = mulberry32(7);
  const counts = new Map();
  const budget = new Budget();
  for (let i = 0; i < 5000; i++) {
    const key = `f${Math.floor(rnd() * 6)}`;
    const n = Math.floor(rnd() * 4);
    counts.set(key, n);
    for (const k of budget.report(key, n)) {
      if (k === key) assert.ok(n > MAX_NETWORKS, 'the reporter is paused only if it alone is above the limit');
      counts.set(k, 0);
    }
    if (rnd() < 0.05) { budget.forget(key); counts.set(key, 0); }
    const total = [...counts.values()].reduce((s, c) => s + c, 0);
    assert.ok(total <= MAX_NETWORKS, `step ${i}: ${total} networks`);
    assert.equal(budget.total, total);
  }
});
