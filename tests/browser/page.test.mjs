// The page in a real browser (Debian's chromium via playwright-core): it loads
// clean, the controls and the URL hash drive it, the script API answers, training
// runs, divergence is shown, bad input is refused visibly, and it fits a phone.
// Screenshots go to test-output/ (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, SITE, frames, launch, openPage, startServer, until } from './browser.mjs';

let context, server, url, lab;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ server, url, lab } = await startServer());
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.close();
});

const hiddenSpeeds = (page) => page.evaluate(() => window.gradlab.stats().layers.map((l) => l.speed));
const barCount = (page) => page.locator('#speed-bars rect.bar').count();
/** Waits until the page has drawn two frames (a new layout is in place). */

test('the page loads with no console errors and the speeds appear', async () => {
  const start = Date.now();
  const { page, errors } = await openPage(context, lab);
  await page.waitForSelector('#speed-bars rect.bar');
  const elapsed = Date.now() - start;
  const speeds = await hiddenSpeeds(page);
  assert.equal(speeds.length, 3);
  assert.ok(speeds.every((s) => s > 0));
  assert.ok(speeds[0] < speeds[1] && speeds[1] < speeds[2], `vanishing at init: ${speeds}`);
  assert.equal(await barCount(page), 3);
  assert.match(await page.textContent('#ratio-sentence'), /Hidden layer 1 learns \d+× slower than hidden layer 3/);
  assert.match(await page.textContent('#reading'), /Vanishing gradient/);
  await page.screenshot({ path: join(OUT, 'default-1280x800.png'), fullPage: true });
  assert.deepEqual(errors, []);
  // How soon is a benchmark figure (bench/README.md), not a test: only logged here.
  const firstSpeeds = await page.evaluate(() => window.gradlab.timing.firstSpeedsMs);
  console.log(`# first speeds drawn ${Math.round(firstSpeeds)} ms after navigation start (${elapsed} ms including tab start-up)`);
  await page.close();
});

test('changing depth through the controls changes the number of layers shown', async () => {
  const { page, errors } = await openPage(context, lab);
  await page.locator('#depth').fill('6');
  await page.waitForFunction(() => window.gradlab.stats().layers.length === 6);
  assert.equal(await barCount(page), 6);
  assert.match(page.url(), /depth=6/);
  // The keyboard works too: arrow keys on the focused slider.
  await page.focus('#depth');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.gradlab.stats().layers.length === 7);
  assert.equal(await barCount(page), 7);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing depth through the URL hash changes the number of layers shown', async () => {
  const { page, errors } = await openPage(context, `${lab}#depth=8&activation=sigmoid`);
  assert.equal((await hiddenSpeeds(page)).length, 8);
  assert.equal(await page.inputValue('#depth'), '8');
  await page.evaluate(() => { location.hash = 'depth=4'; });
  await page.waitForFunction(() => window.gradlab.stats().layers.length === 4);
  assert.equal(await barCount(page), 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('sigmoid + nielsen and relu + he_normal give clearly different speed profiles', async () => {
  const { page } = await openPage(context, lab);
  const ratio = async (partial) => {
    await page.evaluate((p) => window.gradlab.configure(p), partial);
    const s = await hiddenSpeeds(page);
    return s[s.length - 1] / s[0];
  };
  const sigmoid = await ratio({ depth: 6, width: 30, activation: 'sigmoid', init: 'nielsen', seed: 1 });
  const relu = await ratio({ depth: 6, width: 30, activation: 'relu', init: 'he_normal', biasInit: 'zeros', seed: 1 });
  assert.ok(sigmoid > 100, `sigmoid last/first = ${sigmoid}`);
  assert.ok(relu > 0.1 && relu < 10, `relu last/first = ${relu}`);
  assert.match(await page.textContent('#reading'), /Healthy/);
  await page.close();
});

test('the largest networks rebuild and draw their speeds', async () => {
  const { page, errors } = await openPage(context, lab);
  for (const c of [{ depth: 40, width: 256 }, { depth: 30, width: 30, activation: 'sigmoid' }]) {
    const ms = await page.evaluate(async (change) => {
      const t0 = performance.now();
      await window.gradlab.configure(change);
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, c);
    console.log(`# ${c.depth}×${c.width}: rebuilt, probed and drawn in ${Math.round(ms)} ms`);
    assert.equal(await barCount(page), c.depth);
  }
  assert.deepEqual(errors, []);  // e.g. log axes spanning 30 decades
  await page.close();
});

test('Play advances steps and Pause stops them', async () => {
  const { page, errors } = await openPage(context, `${lab}#pace=full`);
  await page.focus('#play');
  await page.keyboard.press('Enter');  // keyboard, as a reader without a mouse would
  await page.waitForFunction(() => window.gradlab.stats().step > 200, null, { timeout: 10000 });
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  const before = await page.evaluate(() => [window.gradlab.stats().step, performance.now()]);
  await page.waitForFunction((s) => window.gradlab.stats().step > s + 5000, before[0], { timeout: 20000 });
  const later = await page.evaluate(() => [window.gradlab.stats().step, performance.now()]);
  console.log(`# default network: ${Math.round((later[0] - before[0]) / ((later[1] - before[1]) / 1000))} steps/s (mini-batch 10)`);
  await page.click('#play');
  // aria-pressed turns false when the worker has confirmed the pause, with the
  // paused state's own snapshot.
  await page.waitForSelector('#play[aria-pressed="false"]');
  const paused = await page.evaluate(() => window.gradlab.stats().step);
  assert.equal(await page.evaluate(() => window.gradlab.stats().playing), false);
  // Had training gone on, these five steps would land further on.
  const stepped = await page.evaluate(() => window.gradlab.step(5));
  assert.equal(stepped.step, paused + 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a diverging configuration pauses and says at which step and layer; Reset recovers', async () => {
  const { page } = await openPage(context, `${lab}#activation=relu&init=large&width=100&depth=3&lr=10`);
  await page.evaluate(() => window.gradlab.play());
  await page.waitForSelector('#divergence:not([hidden])', { timeout: 10000 });
  const text = await page.textContent('#divergence');
  assert.match(text, /Diverged at step \d+, (hidden layer \d+|output layer)/);
  assert.match(await page.textContent('#notices'), /Training diverged at step \d+/);
  const stats = await page.evaluate(() => window.gradlab.stats());
  assert.equal(stats.diverged, true);
  assert.equal(stats.playing, false);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  await page.click('#reset');
  await page.waitForSelector('#divergence', { state: 'hidden' });
  assert.equal(await page.evaluate(() => window.gradlab.stats().diverged), false);
  await page.close();
});

test('a malformed URL hash falls back to defaults with a visible notice and injects nothing', async () => {
  const { page, errors } = await openPage(context,
    `${lab}#depth=abc&width=9999&bogus=1&activation=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`);
  const notices = await page.textContent('#notices');
  assert.match(notices, /Hidden layers \(depth\): “abc” is not a number/);
  assert.match(notices, /\(width\): 9999 is outside 1–256/);
  assert.match(notices, /unknown setting “bogus”/);
  assert.match(notices, /\(activation\): “<img src=x onerror=alert\(1\)>” is not one of/);
  assert.equal(await page.locator('#notices img').count(), 0);
  const state = await page.evaluate(() => window.gradlab.state());
  assert.equal(state.depth, 3);
  assert.equal(state.activation, 'sigmoid');
  assert.equal((await hiddenSpeeds(page)).length, 3);
  // The API refuses bad values the same way, and the page keeps working.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ depth: 0 })), /\(depth\): 0 is outside/);
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ lr: 'fast' })), /\(learningRate\): “fast” is not a number/);
  await assert.rejects(page.evaluate(() => window.gradlab.configure('depth=5')), /expected an object of settings/);
  assert.equal((await page.evaluate(() => window.gradlab.configure({ depth: 5 }))).depth, 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('without mnist.bin the page says so and works on a 2-D set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-site-'));
  cpSync(SITE, dir, { recursive: true });
  rmSync(join(dir, 'mnist.bin'));
  const other = await startServer(dir);
  try {
    const { page } = await openPage(context, other.lab);
    assert.match(await page.textContent('#notices'), /MNIST digits could not be loaded \(the file .*mnist\.bin could not be fetched: HTTP 404/);
    const state = await page.evaluate(() => window.gradlab.state());
    assert.equal(state.dataset, 'circle');
    assert.equal((await hiddenSpeeds(page)).length, 3);
    await assert.rejects(page.evaluate(() => window.gradlab.configure({ dataset: 'mnist' })), /MNIST digits are not loaded/);
    assert.equal((await page.evaluate(() => window.gradlab.state())).dataset, 'circle');
    await page.close();
    // A damaged file: the core's code and values, worded in Chinese.
    writeFileSync(join(dir, 'mnist.bin'), readFileSync(join(SITE, 'mnist.bin')).subarray(0, 5000));
    const { page: zh } = await openPage(context, `${other.lab}#lang=zh`);
    assert.match(await zh.textContent('#notices'), /无法加载 MNIST 数字（数字文件被截断或有多余内容（5,000 字节/);
    await zh.close();
  } finally {
    other.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every control has a label and help; the layout fits 1280×800 and a 390×844 phone', async () => {
  const { page } = await openPage(context, `${lab}#dataset=spiral&noise=0.1&activation=tanh&init=xavier_normal&depth=4&width=8`);
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, button')]
      .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
      .map((e) => e.id || e.outerHTML));
  assert.deepEqual(unlabeled, []);
  const undescribed = await page.evaluate(() =>
    [...document.querySelectorAll('#settings input, #settings select')]
      .filter((e) => !document.getElementById(e.getAttribute('aria-describedby'))?.textContent)
      .map((e) => e.id));
  assert.deepEqual(undescribed, []);
  // Help appears on keyboard focus.
  await page.focus('#activation');
  assert.equal(await page.isVisible('#activation-help'), true);
  await page.evaluate(() => window.gradlab.step(300));
  await page.screenshot({ path: join(OUT, 'spiral-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px on a phone`);
  await page.screenshot({ path: join(OUT, 'spiral-390x844.png'), fullPage: true });
  await page.close();
});

// Each preset, clicked as a reader would, shows what its caption promises.
const PRESET_CHECKS = {
  'nielsen': (s) => s.layers.length === 3 && ratio(s) > 10 && ratio(s) < 100,
  'nielsen-training': (s) => s.layers.length === 3 && ratio(s) > 10 && s.views.probeExamples === 1000,
  'deep-sigmoid': (s) => s.layers.length === 10 && ratio(s) > 1e4,
  'why-chain': (s) => s.layers.length === 6 && ratio(s) > 1e3 && s.layers.slice(0, -1).every((l) => l.gain > 0.1 && l.gain < 0.3),
  'saturation': (s) => s.layers.length === 4,  // and half of layer 1's z flat: below
  'glorot': (s) => s.layers.length === 5 && ratio(s) > 5,
  'exploding': (s) => 1 / ratio(s) > 100,
  'relu-he': (s) => s.layers.length === 30 && ratio(s) > 0.05 && ratio(s) < 20,
  'relu-xavier': (s) => s.layers.length === 30 && ratio(s) > 1e3,
  // The per-example gradient's size, as the captions speak of it: a ninth, then about half.
  'mean-field': (s) => s.layers.length === 20 && s.layers[0].gradRms / s.layers[19].gradRms < 0.2,
  'edge-of-chaos': (s) => s.layers.length === 20 && s.layers[0].gradRms / s.layers[19].gradRms > 0.35,
  'batch-norm': (s) => s.layers.length === 10 && ratio(s) < 1e3,
  'residual': (s) => s.layers.length === 10 && ratio(s) > 0.2 && ratio(s) < 5,
  'clipping': (s) => s.layers.length === 6,
  'pretraining': (s) => s.pretraining.enabled && s.pretraining.active,
  // Through time (the model's cell first): ‖∂L/∂h_T‖/‖∂L/∂h_1‖ as the captions state it.
  'rnn-short': (s) => s.model === 'rnn' && s.cells[0].gradThroughTime.length === 10 && ratio(s) > 100 && ratio(s) < 400,
  'rnn-long': (s) => s.model === 'rnn' && s.cells[0].gradThroughTime.length === 50 && ratio(s) > 1e11,
  'lstm-long': (s) => s.model === 'lstm' && ratio(s) > 4 && ratio(s) < 12 && s.cells[1].cell === 'rnn',
  'rnn-explodes': (s) => s.model === 'rnn' && 1 / ratio(s) > 300,
  'rnn-clipped': (s) => s.model === 'rnn' && 1 / ratio(s) > 300,
};
/** Last over first: the hidden layers' speeds, or a recurrent model's gradient through time. */
const ratio = (s) => (s.cells ? s.cells[0].gradThroughTime.at(-1) / s.cells[0].gradThroughTime[0] : s.layers.at(-1).speed / s.layers[0].speed);

test('every preset shows the effect its caption promises (screenshots in test-output/)', async () => {
  const { page, errors } = await openPage(context, `${lab}#pace=full`);  // the layout keys outlive the presets
  assert.deepEqual(Object.keys(PRESET_CHECKS).sort(), (await page.evaluate(() => window.gradlab.presets.map((p) => p.id))).sort(),
    'every preset is checked');
  for (const [id, check] of Object.entries(PRESET_CHECKS)) {
    await page.click(`button[data-preset="${id}"]`);
    await page.waitForFunction((p) => window.gradlab.state().preset === p, id);
    assert.equal(await page.getAttribute(`button[data-preset="${id}"]`, 'aria-pressed'), 'true');
    assert.match(page.url(), new RegExp(`preset=${id}`));
    const stats = await page.evaluate(() => window.gradlab.stats());
    assert.ok(check(stats), `${id}: last/first ${ratio(stats)}`);
    console.log(`# preset ${id}: last/first ${stats.cells ? 'gradient through time' : 'hidden-layer speed'} ${ratio(stats).toExponential(2)}`);
    if (id === 'rnn-explodes' || id === 'rnn-clipped') {
      const s = await page.evaluate(() => window.gradlab.step(60));
      assert.equal(s.cells[0].diverged, id === 'rnn-explodes', `${id}: the RNN diverges without clipping, not with it`);
      await frames(page);
      if (id === 'rnn-explodes') assert.match(await page.textContent('#time-sentence-0'), /RNN diverged at step 35/);
    }
    if (id === 'saturation') {
      const flat = (await page.evaluate(() => window.gradlab.histograms())).flat;
      assert.ok(flat[0] > 0.4 && flat[0] < 0.6, `half of layer 1's z in σ's flat tails: ${flat[0]}`);
    }
    if (id === 'exploding') {
      await page.click('#play');
      await page.waitForSelector('#divergence:not([hidden])', { timeout: 10000 });
    }
    if (id === 'clipping') {
      await page.click('#play');
      await page.waitForFunction(() => window.gradlab.stats().step >= 600, null, { timeout: 20000 });
      await page.evaluate(() => window.gradlab.pause());
      await page.evaluate(() => window.gradlab.step(1));  // a fresh test evaluation
      const s = await page.evaluate(() => window.gradlab.stats());
      assert.equal(s.diverged, false);
      assert.ok(s.clipCount > 0, 'clipping fired');
      assert.ok(s.testAccuracy > 0.5, `clipped run learns: test accuracy ${s.testAccuracy}`);
      console.log(`# clipping: step ${s.step}, test accuracy ${s.testAccuracy}, clipped ${s.clipCount} times`);
      assert.match(await page.textContent('#remedy-notes'), /clipped in \d+ of \d+ steps/);
    }
    if (id === 'pretraining') {
      assert.match(await page.textContent('#phase'), /Phase 1, pretraining: hidden layer 1 of 4/);
      await page.click('#play');
      await page.waitForFunction(() => !window.gradlab.stats().pretraining.active, null, { timeout: 20000 });
      await page.evaluate(() => window.gradlab.pause());
      const p = (await page.evaluate(() => window.gradlab.stats())).pretraining;
      assert.equal(p.before.length, 4);
      assert.equal(p.after.length, 4);
      assert.ok(p.after.some((v, i) => v / p.before[i] > 1.4 || p.before[i] / v > 1.4), 'pretraining changed the speeds');
      // The stats come first; the phase line is drawn on the next frame.
      await until(async () => /Phase 2/.test(await page.textContent('#phase')), 'the fine-tuning phase drawn');
      assert.match(await page.textContent('#phase'), /Phase 2, fine-tuning .* Speeds before pretraining: .*; right after: /);
      assert.equal(await page.locator('#speed-bars rect.ghost').count(), 4);
    }
    await page.screenshot({ path: join(OUT, `preset-${id}.png`), fullPage: true });
  }
  // Changing a setting leaves the preset: its caption no longer applies.
  await page.evaluate(() => window.gradlab.configure({ depth: 5 }));
  assert.equal(await page.isVisible('#preset-caption'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every remedy can be switched on from the controls and the URL', async () => {
  const { page, errors } = await openPage(context,
    `${lab}#depth=6&batchNorm=1&residual=1&optimizer=adam&momentum=0.8&clipNorm=2&clipValue=0.5&l1=0.1&l2=0.2&pretrainEpochs=0`);
  const state = await page.evaluate(() => window.gradlab.state());
  assert.deepEqual([state.batchNorm, state.residual, state.optimizer, state.momentum, state.clipNorm, state.clipValue, state.l1, state.l2],
    [true, true, 'adam', 0.8, 2, 0.5, 0.1, 0.2]);
  const notes = await page.textContent('#remedy-notes');
  for (const phrase of [/Batch norm: .* β, which replaces the bias\. A layer’s speed is measured as ‖∂C\/∂β‖/, /Residual: 5 shortcuts/,
    /Adam rescales/, /Gradient clipping at a global norm of 2 and at ±0\.5 per component\. Adam divides each step/,
    /L2 shrinks every weight .*; L1 moves every weight a fixed amount towards zero/])
    assert.match(notes, phrase);
  await page.evaluate(() => window.gradlab.step(20));
  assert.equal((await page.evaluate(() => window.gradlab.stats())).diverged, false);
  // The controls: a checkbox, a select and a number field, from the keyboard.
  await page.evaluate(() => window.gradlab.configure({ batchNorm: false, residual: false, optimizer: 'sgd', clipNorm: 0 }));
  await page.focus('#batchNorm');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.gradlab.state().batchNorm === true);
  await page.selectOption('#optimizer', 'rmsprop');
  await page.waitForFunction(() => window.gradlab.state().optimizer === 'rmsprop');
  await page.fill('#clipNorm', '3');
  await page.press('#clipNorm', 'Enter');
  await page.waitForFunction(() => window.gradlab.state().clipNorm === 3);
  await page.fill('#pretrainEpochs', '2');
  await page.press('#pretrainEpochs', 'Enter');
  await page.waitForFunction(() => window.gradlab.stats().pretraining.enabled);
  assert.match(page.url(), /batchNorm=1.*optimizer=rmsprop|optimizer=rmsprop.*batchNorm=1/);
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ clipNorm: -1 })), /\(clipNorm\): -1 is outside/);
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ batchNorm: 'maybe' })), /\(batchNorm\): “maybe” is not true or false/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('screenshot: a 10-layer sigmoid network', async () => {
  const { page, errors } = await openPage(context, `${lab}#depth=10&activation=sigmoid&init=nielsen`);
  const speeds = await hiddenSpeeds(page);
  assert.equal(speeds.length, 10);
  assert.ok(speeds[9] / speeds[0] > 1e4, `10 sigmoid layers: last/first = ${speeds[9] / speeds[0]}`);
  await page.evaluate(() => window.gradlab.step(200));
  await page.screenshot({ path: join(OUT, 'sigmoid-10-layers-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page);
  await page.screenshot({ path: join(OUT, 'sigmoid-10-layers-390x844.png'), fullPage: true });

  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset link, typed or pasted, shows the preset’s settings and caption', async () => {
  for (const [id, check] of Object.entries(PRESET_CHECKS)) {
    const { page, errors } = await openPage(context, `${lab}#preset=${id}&pace=full`);
    const preset = await page.evaluate((p) => window.gradlab.presets.find((x) => x.id === p), id);
    const state = await page.evaluate(() => window.gradlab.state());
    assert.equal(state.preset, id);
    assert.equal(await page.isVisible('#preset-caption'), true);
    assert.equal(await page.textContent('#preset-caption'), `${preset.title}: ${preset.caption}`);
    assert.equal(await page.getAttribute(`button[data-preset="${id}"]`, 'aria-pressed'), 'true');
    const stats = await page.evaluate(() => window.gradlab.stats());
    assert.ok(check(stats), `${id} from a link: last/first ${ratio(stats)}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
  // Another key in the link overrides the preset's value, and leaves the preset.
  const { page } = await openPage(context, `${lab}#preset=deep-sigmoid&depth=4`);
  const state = await page.evaluate(() => window.gradlab.state());
  assert.deepEqual([state.depth, state.activation, state.preset], [4, 'sigmoid', '']);
  assert.equal(await page.isVisible('#preset-caption'), false);
  await page.close();
});

test('at the largest size, training keeps most of the worker, and the page says which views it thinned', async () => {
  const { page, errors } = await openPage(context, `${lab}#dataset=spiral&depth=40&width=256&batchNorm=1&residual=1&pace=full`);
  assert.match(await page.textContent('#speed-note'), /averaged over 200 training examples \(fewer than the book’s 1,000/);
  await page.evaluate(() => window.gradlab.play());
  await page.waitForFunction(() => window.gradlab.stats().workerTime.training > 6000, null, { timeout: 60000, polling: 500 });
  const s = await page.evaluate(() => window.gradlab.stats());
  await page.evaluate(() => window.gradlab.pause());
  const all = s.workerTime.training + s.workerTime.views + s.workerTime.other;
  const share = s.workerTime.training / all;
  console.log(`# 40 × 256 spiral with batch norm: ${(s.step / all * 1000).toFixed(1)} steps/s, ` +
    `training ${(100 * share).toFixed(1)} % of the worker's time`);
  assert.ok(share >= 0.75, `training had ${share} of the worker's time`);  // ≥ 1/(1 + VIEW_SHARE) in the long run: tests/node/runner.test.mjs
  assert.ok(s.step > 0);
  assert.equal(await page.isVisible('#data-note'), true);
  assert.match(await page.textContent('#data-note'), /drawn at 24×24, coarser than the usual 48×48/);
  assert.match(await page.textContent('#status'), /test accuracy .*%/);
  // A configuration beyond the memory budget is refused with the core's message.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ batchSize: 1000 })),
    /memory: this network needs about \d+ MB with a mini-batch of 1000, more than the limit of 256 MB/);
  // The notice words the core's code (memory_limit) and its values.
  assert.match(await page.textContent('#notices'), /Could not apply the settings: this network needs \d+ MB with mini-batches of 1,000, more than the 256 MB allowed: use mini-batches of at most \d+/);
  assert.equal((await page.evaluate(() => window.gradlab.state())).batchSize, 10);
  assert.equal((await page.evaluate(() => window.gradlab.step(1))).diverged, false, 'the page still trains');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(OUT, 'largest-spiral-1280x800.png'), fullPage: true });
  await page.close();
});

test('while training, a view off screen waits and is drawn once scrolled to; a pause draws every view', async () => {
  const { page, errors } = await openPage(context, `${lab}#pace=full`);
  await page.waitForSelector('#layer-table tbody tr');
  const table = () => page.textContent('#layer-table tbody');
  await page.evaluate(() => window.gradlab.play());
  await page.waitForFunction(() => window.gradlab.stats().step > 100, null, { polling: 100 });
  // The layer table is far below the fold at 1280×800: while training it is not redrawn.
  const offscreen = await table();
  await page.waitForTimeout(600);
  assert.equal(await table(), offscreen, 'a view off screen is not redrawn while training');
  // Scrolled to, it is drawn (and keeps being drawn) while training goes on.
  await page.locator('#layer-table').scrollIntoViewIfNeeded();
  await page.waitForFunction((t) => document.querySelector('#layer-table tbody').textContent !== t, offscreen, { timeout: 5000, polling: 100 });
  // Off screen again, then paused: the pause draws it with the last step's values.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const waiting = await table();
  await page.waitForTimeout(400);
  assert.equal(await table(), waiting);
  await page.evaluate(() => window.gradlab.pause());
  await page.waitForFunction((t) => document.querySelector('#layer-table tbody').textContent !== t, waiting, { timeout: 5000, polling: 100 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long step(n) runs in slices and can be paused', async () => {
  const { page, errors } = await openPage(context, lab);
  const done = page.evaluate(() => window.gradlab.step(1000000).then((s) => s.step));
  await page.waitForFunction(() => window.gradlab.stats().step > 500, null, { timeout: 20000 });
  await page.evaluate(() => window.gradlab.pause());
  const stopped = await done;
  assert.ok(stopped > 500 && stopped < 1000000, `step(1e6) stopped at ${stopped}`);
  const again = await page.evaluate(() => window.gradlab.step(3));
  assert.equal(again.step, stopped + 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an exception during play pauses training with its message, and later calls work', async () => {
  const { page } = await openPage(context, `${lab}#pace=full`);
  await page.evaluate(() => window.gradlab.play());
  await page.waitForFunction(() => window.gradlab.stats().step > 100);
  // The worker's run loop reads the clock between steps: make it throw once.
  const [worker] = page.workers();
  await worker.evaluate(() => {
    const original = performance.now.bind(performance);
    performance.now = () => {
      performance.now = original;
      throw new Error('injected fault');
    };
  });
  await page.waitForSelector('#notices .notice-error >> text=Training paused: injected fault');
  await page.waitForSelector('#play[aria-pressed="false"]');
  assert.equal(await page.evaluate(() => window.gradlab.stats().playing), false);
  const before = await page.evaluate(() => window.gradlab.stats().step);
  assert.equal((await page.evaluate(() => window.gradlab.step(4))).step, before + 4);
  await page.evaluate(() => window.gradlab.play());
  await page.waitForFunction((s) => window.gradlab.stats().step > s + 100, before + 4);
  await page.evaluate(() => window.gradlab.pause());
  await page.close();
});

test('if the worker dies, the page starts a new one, restores the settings from the link and says so', async () => {
  for (const how of ['an uncaught error', 'a wasm trap']) {
    const { page } = await openPage(context, `${lab}#depth=5&activation=tanh&init=xavier_normal`);
    await page.evaluate(() => window.gradlab.step(50));
    const [worker] = page.workers();
    if (how === 'an uncaught error') {
      await worker.evaluate(() => { setTimeout(() => { throw new Error('simulated crash'); }); });
    } else {
      await page.evaluate(() => window.gradlab.play());
      await worker.evaluate(() => {
        performance.now = () => { throw new WebAssembly.RuntimeError('simulated trap'); };
      });
    }
    await page.waitForSelector('#notices >> text=/The simulator stopped \\(.*simulated (crash|trap).*\\) and was restarted/');
    await page.waitForFunction(() => window.gradlab.stats()?.step === 0);
    await page.evaluate(() => window.gradlab.ready);
    const state = await page.evaluate(() => window.gradlab.state());
    assert.deepEqual([state.depth, state.activation, state.init], [5, 'tanh', 'xavier_normal'], how);
    assert.equal((await page.evaluate(() => window.gradlab.step(2))).step, 2, `${how}: the new worker trains`);
    await page.close();
  }
});

test('changes made in quick succession add up; a refused one leaves training and the others alone', async () => {
  const { page, errors } = await openPage(context, lab);
  // Not awaited one by one: the second and third are sent while the first is in flight.
  const state = await page.evaluate(async () => {
    const a = window.gradlab.configure({ depth: 5 });
    const b = window.gradlab.configure({ activation: 'relu' });
    const c = window.gradlab.configure({ width: 20 });
    await Promise.all([a, b, c]);
    return window.gradlab.state();
  });
  assert.deepEqual([state.depth, state.activation, state.width], [5, 'relu', 20]);
  assert.equal((await page.evaluate(() => window.gradlab.stats())).layers.length, 5);
  assert.match(page.url(), /depth=5/);
  assert.equal(await page.inputValue('#depth'), '5');
  // During play: a refused change shows its message and training goes on.
  await page.evaluate(() => window.gradlab.play());
  await page.waitForFunction(() => window.gradlab.stats().step > 50);
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ dataset: 'spiral', depth: 40, width: 256, batchNorm: true, batchSize: 1000 })),
    /memory: this network needs/);
  const before = await page.evaluate(() => window.gradlab.stats().step);
  await page.waitForFunction((s) => window.gradlab.stats().step > s + 200, before);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  assert.equal((await page.evaluate(() => window.gradlab.state())).depth, 5);
  // An accepted change during play keeps playing, with the new network.
  await page.evaluate(() => window.gradlab.configure({ depth: 4 }));
  await page.waitForFunction(() => window.gradlab.stats().layers.length === 4 && window.gradlab.stats().step > 50);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  await page.evaluate(() => window.gradlab.pause());
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  // Play pressed during a long step(n): the button says Pause while it trains.
  const long = page.evaluate(() => window.gradlab.step(1000000));
  await page.waitForFunction(() => window.gradlab.stats().step > 100);
  await page.click('#play');
  await page.waitForFunction(() => window.gradlab.stats().playing === true);
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  await long;
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true', 'the long step’s late reply does not flip the button');
  await page.click('#play');
  await page.waitForSelector('#play[aria-pressed="false"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the chain of factors: the API’s gains, their product against the measured drop, and the view', async () => {
  const { page, errors } = await openPage(context, `${lab}#preset=deep-sigmoid`);
  const s = await page.evaluate(() => window.gradlab.stats());
  const hidden = s.layers;
  // σ′ ≤ 1/4, weights of gain about 1 under Nielsen's N(0, 1/n_in): each gain is well below 1.
  for (const l of hidden.slice(0, -1)) {
    assert.ok(l.dphiMean > 0 && l.dphiMean <= 0.25, `mean |σ′| ${l.dphiMean}`);
    assert.ok(l.gain > 0 && l.gain < 0.5, `gain ${l.gain}`);
    assert.ok(l.weightGain > 0.5 && l.weightGain < 2, `weights' gain ${l.weightGain}`);
  }
  // The product of the gains against the drop of the per-example gradient, hidden layer 10 to 1.
  const product = hidden.slice(0, -1).reduce((p, l) => p * l.gain, 1);
  const drop = hidden[0].gradRms / hidden.at(-1).gradRms;
  assert.ok(Math.abs(Math.log(product / drop)) < Math.log(1.5), `product ${product}, measured ${drop}`);
  assert.ok(Number.isNaN(s.output.gain), 'the output layer has no gain into it from a later layer');
  // The view: a bar per gain (9 between 10 hidden layers), and its sentence.
  assert.equal(await page.locator('#chain rect.bar').count(), 9);
  assert.match(await page.textContent('#chain-sentence'), /From hidden layer 10 back to hidden layer 1, the gradient is multiplied at each layer by a gain of about 0\.\d+/);
  // Exploding: gains above 1, and the sentence says the gradient grows.
  await page.evaluate(() => window.gradlab.preset('exploding'));
  const e = await page.evaluate(() => window.gradlab.stats());
  assert.ok(e.layers.slice(0, -1).every((l) => l.gain > 1.5), e.layers.map((l) => l.gain).join(', '));
  assert.match(await page.textContent('#chain-sentence'), /gains multiply to [\d,]+/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(OUT, 'chain-exploding-1280x800.png'), fullPage: true });
  await page.close();
});

test('the single-neuron chain: the book’s examples, and the factors follow a dragged weight', async () => {
  const { page, errors } = await openPage(context, lab);
  await page.click('#neuron-exploding');
  const factors = await page.$$eval('#neuron-table tbody tr', (rows) => rows.map((r) => r.cells[5].textContent));
  assert.deepEqual(factors, ['–', '25', '25', '25']);
  assert.match(await page.textContent('#neuron-sentence'), /15,600× larger/);
  // Drag w₄ down with the keyboard: its factor, and every gradient before it, follow;
  // the earlier factors (which z₄ does not feed) stay.
  const before = await page.$eval('#neuron-table tbody tr:nth-child(1)', (r) => r.cells[6].textContent);
  await page.focus('#neuron-w4');
  for (let i = 0; i < 5; i++) await page.keyboard.press('PageDown');
  const after = await page.$$eval('#neuron-table tbody tr', (rows) => rows.map((r) => [r.cells[5].textContent, r.cells[6].textContent]));
  assert.notEqual(after[3][0], '25', 'w₄’s factor changed');
  assert.notEqual(after[0][1], before, '∂C/∂b₁ changed');
  assert.deepEqual([after[1][0], after[2][0]], ['25', '25'], 'the earlier factors did not');
  await page.click('#neuron-vanishing');
  assert.match(await page.textContent('#neuron-sentence'), /smaller than the last one’s/);
  assert.deepEqual(errors, []);
  await page.close();
});
