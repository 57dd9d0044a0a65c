// The page's state module (no DOM), built from the settings table the wasm module
// hands over: URL hash round trips, presets in links, validation, the run loop's
// budget, the notes, and the plain-language reading of speeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { EMBED_VIEWS, RECURRENT_VIEWS, VIEWS, defaultFor, isRelevant, makeState, offeredControls, shownViews } from '../../www/state.js';
import { PRESETS } from '../../www/presets.js';
import { readSpeeds as read } from '../../www/reading.js';
import { SHOWN_STATISTICS } from '../../www/layertable.js';
import { makeI18n } from '../../www/i18n.js';

const WASM_DIR = resolve(process.env.GRADLAB_WASM_DIR ?? 'build-wasm/node');
const createGradlab = createRequire(import.meta.url)(join(WASM_DIR, 'gradlab_node.js'));
const M = await createGradlab({ wasmBinary: readFileSync(join(WASM_DIR, 'gradlab_node.wasm')) });
const table = M.settings();
const S = makeState(table, PRESETS);

test('the page keeps no copy of the table: its defaults and ranges are the module’s', () => {
  const d = S.defaults();
  for (const s of table) {
    assert.equal(d[s.key], s.default, s.key);
    assert.deepEqual(S.parseValue(s.key, s.default), { value: s.default }, s.key);
    if (s.type === 'integer' || s.type === 'real') {
      assert.ok('error' in S.parseValue(s.key, s.max + 1), `${s.key} above its range`);
      assert.ok('error' in S.parseValue(s.key, s.min - 1), `${s.key} below its range`);
      assert.deepEqual(S.parseValue(s.key, s.max), { value: s.max });
    }
    if (s.type === 'choice') for (const c of s.choices) assert.deepEqual(S.parseValue(s.key, c), { value: c });
  }
  assert.equal(d.preset, '');
});

test('the page accepts exactly what the core accepts', () => {
  // Random values, some valid, some not: the page's parseValue and the module's
  // configure() agree on every one.
  const s = new M.Session();
  s.configure({ dataset: 'circle' });
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  try {
    for (let i = 0; i < 400; i++) {
      const spec = table[Math.floor(random() * table.length)];
      if (spec.key === 'dataset' || spec.key === 'trainSize') continue;  // data-dependent
      const candidates = [spec.min - 1, spec.max + 1, spec.min + random() * (spec.max - spec.min), 'x', '', true, 'nan',
        spec.choices[0] ?? 0, Math.round(spec.min + random() * (spec.max - spec.min)), 2.5];
      const value = candidates[Math.floor(random() * candidates.length)];
      const page = S.parseValue(spec.key, value);
      let core = true;
      try {
        s.configure({ [spec.key]: 'value' in page ? page.value : value });
      } catch (e) {
        core = /^memory:/.test(e.message) ? 'memory' : false;
      }
      if (core !== 'memory') assert.equal('value' in page, core, `${spec.key} = ${JSON.stringify(value)}`);
      s.configure({ [spec.key]: spec.default });
    }
  } finally {
    s.delete();
  }
});

test('a state survives the URL hash, and old names still read', () => {
  const state = { ...S.defaults(), depth: 12, activation: 'leaky_relu', learningRate: 0.003, init: 'scaled_normal',
    sigmaW: 1.5, dataset: 'xor', trainSize: 100 };
  const { state: back, notices } = S.fromHash(S.toHash(state));
  assert.deepEqual(back, state);
  assert.deepEqual(notices, []);
  assert.match(S.toHash(state), /trainSize=100/);
  assert.doesNotMatch(S.toHash(S.defaults()), /trainSize|dataSeed|probeSize/, 'settings without a control only when changed');
  assert.deepEqual(S.fromHash('').state, S.defaults());
  const old = S.fromHash('#lr=0.3&batch=20&weightConst=0.5&biasConst=-1');
  assert.deepEqual(old.notices, []);
  assert.deepEqual([old.state.learningRate, old.state.batchSize, old.state.weightConstant, old.state.biasConstant], [0.3, 20, 0.5, -1]);
});

test('a preset link applies the preset’s settings; other keys override them', () => {
  for (const p of PRESETS) {
    const { state, notices } = S.fromHash(`#preset=${p.id}`);
    assert.deepEqual(notices, []);
    assert.deepEqual(state, { ...S.defaults(p.settings.model), ...p.settings, preset: p.id }, p.id);
    const round = S.fromHash(S.toHash(state)).state;
    assert.deepEqual(round, state, `${p.id} round trip`);
    assert.deepEqual(S.fromHash(S.toHash(state, { compact: true })).state, state, `${p.id} compact round trip`);
    // A seed keeps the preset; another setting that differs leaves it.
    assert.equal(S.fromHash(`#preset=${p.id}&seed=5`).state.preset, p.id);
    const key = p.settings.model ? 'seqLen' : 'depth';
    const moved = S.fromHash(`#preset=${p.id}&${key}=${p.settings[key] === 7 ? 8 : 7}`).state;
    assert.equal(moved.preset, '');
    for (const [k, v] of Object.entries(p.settings)) if (k !== key) assert.equal(moved[k], v, `${p.id}: the preset’s ${k} stays`);
  }
  const bad = S.fromHash('#preset=nope&depth=5');
  assert.equal(bad.state.preset, '');
  assert.equal(bad.state.depth, 5);
  assert.match(bad.notices.map((n) => makeI18n('en', table).t(n.id, n.values)).join('\n'), /In the link, preset: “nope” is not one of/);
});

test('every preset is valid under the settings table', () => {
  for (const p of PRESETS) {
    const { errors } = S.validate(p.settings);
    assert.deepEqual(errors, [], p.id);
  }
});

test('bad hashes fall back to defaults, one notice per problem', () => {
  const { state, notices } = S.fromHash('#depth=-3&width=2.5&activation=swish&learningRate=&nonsense=1&seed=1e3');
  assert.equal(state.depth, S.defaults().depth);
  assert.equal(state.width, S.defaults().width);
  assert.equal(state.activation, 'sigmoid');
  assert.equal(state.learningRate, 0.1);
  assert.equal(state.seed, 1000);
  assert.equal(notices.length, 5);
  // Each notice is a message id with values, worded in either language.
  const words = (lang) => notices.map((n) => makeI18n(lang, table).t(n.id, n.values)).join('\n');
  assert.match(words('en'), /Hidden layers \(depth\): -3 is outside 1–40/);
  assert.match(words('en'), /Neurons per layer \(width\): 2.5 is not a whole number/);
  assert.match(words('en'), /unknown setting “nonsense”/);
  assert.match(words('zh'), /隐藏层数（depth）：-3 不在 1–40 范围内/);
  assert.match(words('zh'), /每层神经元数（width）：2.5 不是整数/);
  assert.deepEqual(notices.find((n) => n.values.problem?.values.key === 'depth').values.problem,
    { id: 'error.out_of_range', code: 'out_of_range', values: { key: 'depth', value: '-3', min: '1', max: '40' } });
  assert.equal(S.fromHash('#%E0%A4%A').notices.length, 1, 'a malformed escape is reported, not thrown');
});

test('validate keeps good changes and names the bad ones', () => {
  const { changes, errors } = S.validate({ depth: 7, batchSize: 0, dataset: 'moons', l2: '0.5', lr: 0.2 });
  assert.deepEqual(changes, { depth: 7, l2: 0.5, learningRate: 0.2 });
  assert.equal(errors.length, 2);
  assert.deepEqual(errors.map((e) => e.code), ['out_of_range', 'unknown_choice']);
  assert.deepEqual(S.validate(null).errors.map((e) => e.code), ['not_object']);
  assert.deepEqual(S.validate([1]).errors.length, 1);
});

test('a setting shows when its condition holds', () => {
  const sigmaW = table.find((s) => s.key === 'sigmaW');
  assert.equal(isRelevant(sigmaW, { model: 'mlp', init: 'scaled_normal' }), true);
  assert.equal(isRelevant(sigmaW, { model: 'mlp', init: 'nielsen' }), false);
  const noise = table.find((s) => s.key === 'noise');
  assert.equal(isRelevant(noise, { model: 'mlp', dataset: 'mnist' }), false);
  assert.equal(isRelevant(noise, { model: 'mlp', dataset: 'spiral' }), true);
  // Conditions joined by &: every one must hold (the MLP's settings under a recurrent model).
  assert.equal(isRelevant(noise, { model: 'lstm', dataset: 'spiral' }), false);
  const symbols = table.find((s) => s.key === 'symbols');
  assert.equal(isRelevant(symbols, { model: 'rnn', task: 'first' }), true);
  assert.equal(isRelevant(symbols, { model: 'rnn', task: 'adding' }), false);
  assert.equal(isRelevant(symbols, { model: 'mlp', task: 'first' }), false);
  const momentum = table.find((s) => s.key === 'momentum');
  assert.equal(isRelevant(momentum, { optimizer: 'adam' }), true);
  assert.equal(isRelevant(momentum, { optimizer: 'sgd' }), false);
});

test('the layer table shows every statistic the core measures', () => {
  assert.deepEqual([...SHOWN_STATISTICS].sort(), M.layerStatistics().map((s) => s.key).sort());
});

test('the reading names vanishing, exploding and healthy speeds', () => {
  const en = makeI18n('en', table);
  const readSpeeds = (speeds, state, i18n = en) => read(speeds, state, i18n);
  const vanishing = readSpeeds([0.003, 0.017, 0.07, 0.285], { activation: 'sigmoid' });
  assert.equal(vanishing.kind, 'vanishing');
  assert.equal(vanishing.sentence, 'Hidden layer 1 learns 95× slower than hidden layer 4.');
  assert.match(vanishing.verdict, /at most 1\/4/);
  assert.equal(readSpeeds([5, 0.2], {}).kind, 'exploding');
  assert.match(readSpeeds([5, 0.2], {}).sentence, /learns 25× faster than hidden layer 2/);
  assert.equal(readSpeeds([0.1, 0.2, 0.15], {}).kind, 'healthy');
  assert.equal(readSpeeds([0.109, 0.07, 0.108], {}).sentence, 'Hidden layer 1 learns about as fast as hidden layer 3.');
  // Batch norm's profile: flat, then one jump at the last layer: a gap, not a decay.
  const bn = readSpeeds([0.0047, 0.0049, 0.0037, 0.0031, 0.0037, 0.0032, 0.0042, 0.0036, 0.0038, 0.213], {});
  assert.equal(bn.kind, 'mild');
  assert.match(bn.verdict, /A gap of 45× .* only about 1\.5× per layer/);
  assert.equal(readSpeeds([0, 0.2], {}).kind, 'dead');
  assert.equal(readSpeeds([0.3], {}).kind, 'single');
  assert.equal(readSpeeds([NaN, 1], {}).kind, 'diverged');
  // The same reading in Chinese, with the ratio in 万 where it is large.
  const zh = makeI18n('zh', table);
  assert.equal(readSpeeds([0.003, 0.017, 0.07, 0.285], { activation: 'sigmoid' }, zh).sentence, '第 1 隐藏层的学习速度只有第 4 隐藏层的 1/95。');
  assert.match(readSpeeds([1e-6, 0.5], {}, zh).sentence, /只有第 2 隐藏层的 1\/50万/);
  assert.match(readSpeeds([0.003, 0.017, 0.07, 0.285], { activation: 'sigmoid' }, zh).verdict, /^梯度消失/);
});

test('layout keys (embed, show, controls, hide, autoplay, lock, simd) read from a link and round-trip', () => {
  const { state, notices } = S.fromHash('#preset=deep-sigmoid&embed=1&show=bars,speed,bars&controls=depth,activation,init,lr&lock=1&autoplay=1');
  assert.deepEqual(notices, []);
  assert.equal(state.preset, 'deep-sigmoid', 'layout keys do not leave the preset');
  assert.equal(state.depth, 10);
  assert.equal(state.embed, true);
  assert.equal(state.show, 'bars,speed', 'a list loses repeats');
  assert.equal(state.controls, 'depth,activation,init,learningRate', 'an old setting name reads as its key');
  assert.deepEqual(S.fromHash(S.toHash(state)).state, state);
  assert.equal(S.fromHash('#depth=3').state.embed, false);
  assert.ok(!S.toHash(S.defaults()).includes('embed'), 'defaults stay out of the link');
  // A bad item refuses the key, with a notice naming it; the rest of the link applies.
  const bad = S.fromHash('#show=bars,<img>&controls=depth,notakey&depth=4');
  assert.equal(bad.state.show, '');
  assert.equal(bad.state.controls, '');
  assert.equal(bad.state.depth, 4);
  assert.equal(bad.notices.length, 2);
  assert.match(bad.notices[0].values.problem.values.value, /<img>/);
  assert.equal(bad.notices[1].values.problem.values.value, 'notakey');
  // Changing a layout key through the API keeps the preset; a setting leaves it.
  const preset = S.presetState('relu-he');
  assert.equal(S.withChanges(preset, { embed: true, show: 'bars' }).preset, 'relu-he');
  assert.equal(S.withChanges(preset, { depth: 3 }).preset, '');
  assert.deepEqual(S.layoutOf(state), { embed: true, show: 'bars,speed', controls: 'depth,activation,init,learningRate', hide: '',
    autoplay: true, lock: true, lang: '', pace: '100', b: '', xaxis: 'steps', simd: true });
  assert.deepEqual(S.validate({ simd: 'maybe' }).errors.length, 1);
});

test('the views and controls a layout shows', () => {
  const keys = table.filter((s) => s.widget !== 'none').map((s) => s.key);
  const d = S.defaults();
  assert.deepEqual(shownViews(d), VIEWS.filter((v) => v !== 'time'), 'a full page shows everything of the MLP');
  // A recurrent model shows its own views, the gradient through time in place of the MLP's.
  const r = { ...d, model: 'lstm' };
  assert.deepEqual(shownViews(r), RECURRENT_VIEWS);
  assert.deepEqual(shownViews({ ...r, embed: true }), ['presets', 'time']);
  assert.deepEqual(shownViews({ ...r, embed: true, show: 'chain' }), ['time'], 'an MLP view stands for time');
  assert.deepEqual(shownViews({ ...r, embed: true, show: 'presets' }), ['presets']);
  assert.deepEqual(shownViews({ ...d, embed: true, show: 'time' }), ['bars'], 'and time for the bars under the MLP');
  assert.deepEqual(shownViews({ ...d, embed: true }), EMBED_VIEWS);
  assert.deepEqual(shownViews({ ...d, embed: true, show: 'table,bars' }), ['bars', 'table'], 'in page order');
  assert.deepEqual(shownViews({ ...d, embed: true, lock: true }), ['bars'], 'locked: no presets');
  assert.deepEqual(offeredControls(d, keys), keys);
  assert.deepEqual(offeredControls({ ...d, embed: true }, keys), [], 'embedded: no settings unless asked');
  assert.deepEqual(offeredControls({ ...d, embed: true, controls: 'init,depth' }, keys), ['depth', 'init'], 'in table order');
  assert.deepEqual(offeredControls({ ...d, embed: true, hide: 'dataset,seed' }, keys), keys.filter((k) => k !== 'dataset' && k !== 'seed'));
  assert.deepEqual(offeredControls({ ...d, controls: 'depth,width', hide: 'width' }, keys), ['depth']);
  // Every name a list accepts is a view or a settings key: nothing else can reach the page.
  assert.deepEqual(S.settingOf('show').choices, VIEWS);
  assert.deepEqual(S.settingOf('controls').choices, keys);
});

test('a compact link holds only what differs from the preset or the defaults, and reads back the same', () => {
  const preset = S.withChanges(S.presetState('deep-sigmoid'), { seed: 5, embed: true, show: 'bars' });
  assert.equal(S.toHash(preset, { compact: true }), '#seed=5&preset=deep-sigmoid&embed=1&show=bars');
  assert.deepEqual(S.fromHash(S.toHash(preset, { compact: true })).state, preset);
  const plain = { ...S.defaults(), depth: 7, activation: 'tanh' };
  assert.equal(S.toHash(plain, { compact: true }), '#depth=7&activation=tanh');
  assert.deepEqual(S.fromHash(S.toHash(plain, { compact: true })).state, plain);
  assert.equal(S.toHash(S.defaults(), { compact: true }), '#');
});

test('a recurrent model trains by its own defaults: in links, presets and when the model changes', () => {
  const recurrentKeys = table.filter((s) => 'recurrentDefault' in s).map((s) => s.key);
  assert.deepEqual(recurrentKeys.sort(), ['batchSize', 'clipNorm', 'learningRate', 'optimizer']);
  const lstm = S.fromHash('#model=lstm').state;
  for (const s of table) assert.equal(lstm[s.key], s.key === 'model' ? 'lstm' : defaultFor(s, 'lstm'), s.key);
  assert.equal(S.toHash(lstm, { compact: true }), '#model=lstm', 'a short link');
  // A training setting the link gives is kept; the others follow the model.
  const given = S.fromHash('#model=rnn&optimizer=sgd').state;
  assert.equal(given.optimizer, 'sgd');
  assert.equal(given.learningRate, defaultFor(S.settingOf('learningRate'), 'rnn'));
  assert.deepEqual(S.fromHash(S.toHash(given, { compact: true })).state, given);
  // Switching takes the new model's whole training rule, but for what the change itself sets:
  // an MLP's η = 1 (the clipping preset) is no η for an RNN under Adam.
  const mlp = { ...S.presetState('clipping') };
  const switched = S.withChanges(mlp, { model: 'rnn' });
  for (const key of recurrentKeys) assert.equal(switched[key], defaultFor(S.settingOf(key), 'rnn'), key);
  assert.equal(switched.depth, mlp.depth, 'the MLP’s own settings wait for it');
  assert.equal(S.withChanges(mlp, { model: 'rnn', learningRate: 0.01 }).learningRate, 0.01);
  const back = S.withChanges(switched, { model: 'mlp' });
  for (const key of recurrentKeys) assert.equal(back[key], S.defaults()[key], key);
  assert.deepEqual(S.withChanges(S.withChanges(S.defaults(), { model: 'lstm' }), { model: 'rnn' }), { ...S.defaults('rnn') }, 'rnn ↔ lstm moves nothing');
});

test('the comparison key b compares MLPs: another model or a recurrent setting is refused', () => {
  for (const b of ['model:lstm', 'seqLen:20', 'forgetBias:1', 'depth:4,model:rnn']) {
    const { state, notices } = S.fromHash(`#b=${b}`);
    assert.equal(state.b, '', b);
    assert.equal(notices.length, 1, b);
  }
  assert.equal(S.fromHash('#b=clipNorm:1').state.b, 'clipNorm:1', 'a setting both models have is an MLP’s too');
});

test('the comparison key b: B as the settings in which it differs from A, checked and in the table’s order', () => {
  const { state, notices } = S.fromHash('#depth=6&b=init:he_normal,activation:relu,batchNorm:true');
  assert.deepEqual(notices, []);
  assert.equal(state.b, 'activation:relu,init:he_normal,batchNorm:1', 'canonical: table order, booleans as 1/0');
  assert.deepEqual(S.changesOf(state.b), { activation: 'relu', init: 'he_normal', batchNorm: true });
  assert.deepEqual(S.fromHash(S.toHash(state)).state, state, 'round-trips through the link');
  assert.equal(S.withChanges(S.presetState('relu-he'), { b: 'residual:1' }).preset, 'relu-he', 'a comparison keeps A’s preset');
  // Anything else is refused with a notice, and A applies.
  for (const [text, code] of [['notakey:1', 'bad_changes'], ['depth', 'bad_changes'], ['depth:99', 'out_of_range'],
    ['activation:swish', 'unknown_choice'], ['show:bars', 'bad_changes']]) {
    const bad = S.fromHash(`#depth=4&b=${encodeURIComponent(text)}`);
    assert.equal(bad.state.b, '', text);
    assert.equal(bad.state.depth, 4);
    assert.equal(bad.notices[0].values.problem.code, code, text);
  }
  assert.deepEqual(S.changesOf(''), {});
});
