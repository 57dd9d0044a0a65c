// The page in a real browser (Debian's chromium via playwright-core): it loads
// clean, the controls and the URL hash drive it, the script API answers, training
// runs, divergence is shown, bad input is refused visibly, and it fits a phone.
// Screenshots go to test-output/ (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, SITE, launch, openPage, startServer } from './browser.mjs';

let context, server, url;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ server, url } = await startServer());
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.close();
});

const hiddenSpeeds = (page) => page.evaluate(() => window.gradlab.stats().layers.map((l) => l.speed));
const barCount = (page) => page.locator('#speed-bars rect.bar').count();

test('the page loads with no console errors and the speeds appear', async () => {
  const start = Date.now();
  const { page, errors } = await openPage(context, url);
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
  const firstSpeeds = await page.evaluate(() => window.gradlab.timing.firstSpeedsMs);
  console.log(`# first speeds drawn ${Math.round(firstSpeeds)} ms after navigation start (${elapsed} ms including tab start-up)`);
  assert.ok(firstSpeeds < 3000, `first speeds after ${firstSpeeds} ms`);
  await page.close();
});

test('changing depth through the controls changes the number of layers shown', async () => {
  const { page, errors } = await openPage(context, url);
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
  const { page, errors } = await openPage(context, `${url}#depth=8&activation=sigmoid`);
  assert.equal((await hiddenSpeeds(page)).length, 8);
  assert.equal(await page.inputValue('#depth'), '8');
  await page.evaluate(() => { location.hash = 'depth=4'; });
  await page.waitForFunction(() => window.gradlab.stats().layers.length === 4);
  assert.equal(await barCount(page), 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('sigmoid + nielsen and relu + he_normal give clearly different speed profiles', async () => {
  const { page } = await openPage(context, url);
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

test('the largest networks rebuild and draw their speeds within a second', async () => {
  const { page, errors } = await openPage(context, url);
  for (const c of [{ depth: 40, width: 256 }, { depth: 30, width: 30, activation: 'sigmoid' }]) {
    const ms = await page.evaluate(async (change) => {
      const t0 = performance.now();
      await window.gradlab.configure(change);
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, c);
    console.log(`# ${c.depth}×${c.width}: rebuilt, probed and drawn in ${Math.round(ms)} ms`);
    assert.ok(ms < 1000, `${JSON.stringify(c)} took ${ms} ms`);
    assert.equal(await barCount(page), c.depth);
  }
  assert.deepEqual(errors, []);  // e.g. log axes spanning 30 decades
  await page.close();
});

test('Play advances steps and Pause stops them', async () => {
  const { page, errors } = await openPage(context, url);
  await page.focus('#play');
  await page.keyboard.press('Enter');  // keyboard, as a reader without a mouse would
  await page.waitForFunction(() => window.gradlab.stats().step > 200, null, { timeout: 10000 });
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  const before = await page.evaluate(() => [window.gradlab.stats().step, performance.now()]);
  await page.waitForTimeout(2000);
  const later = await page.evaluate(() => [window.gradlab.stats().step, performance.now()]);
  console.log(`# default network: ${Math.round((later[0] - before[0]) / ((later[1] - before[1]) / 1000))} steps/s (mini-batch 10)`);
  await page.click('#play');
  // aria-pressed turns false when the worker has confirmed the pause; every
  // snapshot it posted before has arrived by then.
  await page.waitForSelector('#play[aria-pressed="false"]');
  const paused = await page.evaluate(() => window.gradlab.stats().step);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.gradlab.stats().step), paused);
  const stepped = await page.evaluate(() => window.gradlab.step(5));
  assert.equal(stepped.step, paused + 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a diverging configuration pauses and says at which step and layer; Reset recovers', async () => {
  const { page } = await openPage(context, `${url}#activation=relu&init=large&width=100&depth=3&lr=10`);
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
    `${url}#depth=abc&width=9999&bogus=1&activation=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`);
  const notices = await page.textContent('#notices');
  assert.match(notices, /depth: 'abc' is not a number/);
  assert.match(notices, /width: 9999 is outside 1–256/);
  assert.match(notices, /unknown setting 'bogus'/);
  assert.match(notices, /activation: '<img src=x onerror=alert\(1\)>' is not one of/);
  assert.equal(await page.locator('#notices img').count(), 0);
  const state = await page.evaluate(() => window.gradlab.state());
  assert.equal(state.depth, 3);
  assert.equal(state.activation, 'sigmoid');
  assert.equal((await hiddenSpeeds(page)).length, 3);
  // The API refuses bad values the same way, and the page keeps working.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ depth: 0 })), /depth: 0 is outside/);
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ lr: 'fast' })), /lr: 'fast' is not a number/);
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
    const { page } = await openPage(context, other.url);
    assert.match(await page.textContent('#notices'), /MNIST digits could not be loaded/);
    const state = await page.evaluate(() => window.gradlab.state());
    assert.equal(state.dataset, 'circle');
    assert.equal((await hiddenSpeeds(page)).length, 3);
    await assert.rejects(page.evaluate(() => window.gradlab.configure({ dataset: 'mnist' })), /MNIST digits are not loaded/);
    assert.equal((await page.evaluate(() => window.gradlab.state())).dataset, 'circle');
    await page.close();
  } finally {
    other.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every control has a label and help; the layout fits 1280×800 and a 390×844 phone', async () => {
  const { page } = await openPage(context, `${url}#dataset=spiral&noise=0.1&activation=tanh&init=xavier_normal&depth=4&width=8`);
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
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px on a phone`);
  await page.screenshot({ path: join(OUT, 'spiral-390x844.png'), fullPage: true });
  await page.close();
});

test('screenshot: a 10-layer sigmoid network', async () => {
  const { page, errors } = await openPage(context, `${url}#depth=10&activation=sigmoid&init=nielsen`);
  const speeds = await hiddenSpeeds(page);
  assert.equal(speeds.length, 10);
  assert.ok(speeds[9] / speeds[0] > 1e4, `10 sigmoid layers: last/first = ${speeds[9] / speeds[0]}`);
  await page.evaluate(() => window.gradlab.step(200));
  await page.screenshot({ path: join(OUT, 'sigmoid-10-layers-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'sigmoid-10-layers-390x844.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
