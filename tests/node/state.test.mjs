// The page's state module (no DOM): URL hash round trips, validation, and the
// plain-language reading of speeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA, defaults, fromHash, parseValue, toHash, validate } from '../../www/state.js';
import { readSpeeds } from '../../www/reading.js';

test('every setting has a label, help and a valid default', () => {
  for (const s of SCHEMA) {
    assert.ok(s.label && s.help, s.key);
    assert.deepEqual(parseValue(s.key, s.default), { value: s.default }, s.key);
  }
});

test('a state survives the URL hash', () => {
  const state = { ...defaults(), depth: 12, activation: 'leaky_relu', lr: 0.003, init: 'scaled_normal', sigmaW: 1.5, dataset: 'xor' };
  const { state: back, notices } = fromHash(toHash(state));
  assert.deepEqual(back, state);
  assert.deepEqual(notices, []);
  assert.deepEqual(fromHash('').state, defaults());
});

test('bad hashes fall back to defaults, one notice per problem', () => {
  const { state, notices } = fromHash('#depth=-3&width=2.5&activation=swish&lr=&nonsense=1&seed=1e3');
  assert.equal(state.depth, defaults().depth);
  assert.equal(state.width, defaults().width);
  assert.equal(state.activation, 'sigmoid');
  assert.equal(state.lr, 0.1);
  assert.equal(state.seed, 1000);
  assert.equal(notices.length, 5);
  assert.match(notices.join('\n'), /depth: -3 is outside 1–40/);
  assert.match(notices.join('\n'), /width: 2.5 is not a whole number/);
  assert.match(notices.join('\n'), /unknown setting 'nonsense'/);
  assert.equal(fromHash('#%E0%A4%A').notices.length, 1, 'a malformed escape is reported, not thrown');
});

test('validate keeps good changes and names the bad ones', () => {
  const { changes, errors } = validate({ depth: 7, batch: 0, dataset: 'moons', l2: '0.5' });
  assert.deepEqual(changes, { depth: 7, l2: 0.5 });
  assert.equal(errors.length, 2);
});

test('the reading names vanishing, exploding and healthy speeds', () => {
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
});
