// The walk-through (index.html) in Chromium: every section's simulator loads
// and shows its first speeds as the reader scrolls to it; at most two networks
// train at once; its links open the lab with the frame's exact settings; old
// links to the simulator still open it; it runs from file://; axe-core finds no
// serious violations in either language. Screenshots of every section in both
// languages, at 1280 and 390 px, go to test-output/walk/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT, SITE, launch, openPage, recordErrors, startServer, until } from './browser.mjs';
import { MAX_LOADED } from '../../www/walk/frames.js';

const SHOTS = join(OUT, 'walk');
let context, server, url;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ server, url } = await startServer());
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.close();
});

/** Opens the walk-through; resolves once its frames are set up. */
async function openWalk(address, { width = 1280, height = 800 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const errors = await recordErrors(page);
  await page.goto(address);
  await until(() => page.evaluate(() => Boolean(window.gradlabWalk)), 'the walk-through');
  return { page, errors };
}

const describe = (page) => page.evaluate(() => window.gradlabWalk.frames());
const frameOf = async (page, key) => (await describe(page)).find((f) => f.key === key);
const scrollTo = (page, key) => page.evaluate((k) => document.querySelector(`[data-frame="${k}"]`).scrollIntoView({ block: 'center' }), key);
/** The page (a Playwright Frame) inside the iframe of walk frame `key`. */
async function labFrame(page, key) {
  const handle = await page.$(`[data-frame="${key}"] iframe`);
  return handle ? handle.contentFrame() : null;
}
/** What every loaded simulator itself says it trains now (not the walk's own count). */
async function networksNow(page) {
  let total = 0;
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    try {
      total += await f.evaluate(() => window.gradlab?.stats?.()?.networks ?? 0);
    } catch { /* a frame being unloaded */ }
  }
  return total;
}

test('each section’s simulator loads as the reader scrolls to it and shows its first speeds', async () => {
  for (const [lang, width, height] of [['en', 1280, 800], ['zh', 390, 844], ['zh', 1280, 800], ['en', 390, 844]]) {
    const { page, errors } = await openWalk(`${url}#lang=${lang}`, { width, height });
    await page.screenshot({ path: join(SHOTS, `top-${lang}-${width}.png`) });
    const keys = (await describe(page)).map((f) => f.key);
    assert.ok(keys.length >= 15, `${keys.length} frames`);
    for (const key of keys) {
      await scrollTo(page, key);
      await until(async () => (await frameOf(page, key)).ready, `${key}'s first stats (${lang})`, 30000);
      const f = await frameOf(page, key);
      assert.equal(f.step, 0, `${key} starts paused`);
      assert.equal(f.playing, false, key);
      assert.ok(f.speeds.length > 0 && f.speeds.every((v) => Number.isFinite(v) && v >= 0), `${key}: ${f.speeds}`);
      // Never more than a few pages alive (each has a worker and a wasm heap): the iframes in the page,
      // once the unloading has settled, are those near the window and at most MAX_LOADED others.
      await until(async () => {
        const near = (await describe(page)).filter((d) => d.near).length;
        return (await page.locator('iframe').count()) <= near + MAX_LOADED;
      }, `at most ${MAX_LOADED} frames far from the window at ${key}`);
      const inner = await labFrame(page, key);
      assert.equal(await inner.evaluate(() => window.gradlab.state().lang), lang, `${key} in the page's language`);
      await page.waitForTimeout(150);  // the frame's own layout and height settle
      await page.screenshot({ path: join(SHOTS, `${key}-${lang}-${width}.png`) });
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width}px (${overflow})`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('at most two networks train at once while the reader starts several and scrolls', async () => {
  // A tall window, so that three sections' simulators are on screen together.
  const { page, errors } = await openWalk(url, { width: 1280, height: 3600 });
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push({ t: Date.now(), n: await networksNow(page) });
      await page.waitForTimeout(50);
    }
  })();
  const ready = (key) => until(async () => (await frameOf(page, key)).ready, `${key} ready`, 30000);
  // The reader presses Play inside the simulator (a click that does not scroll the page).
  const play = async (key) => {
    await ready(key);
    await (await labFrame(page, key)).evaluate(() => document.getElementById('play').click());
    await until(async () => (await frameOf(page, key)).networks > 0, `${key} trains`);
  };
  const status = async (key) => (await frameOf(page, key)).status;
  const networks = async (key) => (await frameOf(page, key)).networks;
  try {
    await page.evaluate(() => document.getElementById('speeds').scrollIntoView({ block: 'start' }));  // speeds, gradient and chain on screen
    for (const key of ['speeds', 'gradient', 'chain']) await until(async () => (await frameOf(page, key)).visible, `${key} on screen`);
    await play('speeds');
    await play('gradient');
    await play('chain');                     // a third: the first one started pauses
    await until(async () => (await status('speeds')) === 'frame.budget', 'speeds paused by the budget');
    await until(async () => (await networks('speeds')) === 0, 'speeds stops');
    assert.equal(await networks('gradient'), 1);
    await page.setViewportSize({ width: 1280, height: 800 });   // a laptop's window again
    await scrollTo(page, 'init');            // away: both pause
    await until(async () => (await status('gradient')) === 'frame.offscreen' && (await status('chain')) === 'frame.offscreen', 'paused off screen');
    await play('init');                      // an A/B pair: two networks
    await until(async () => (await networks('init')) === 2, 'A and B train');
    await scrollTo(page, 'gradient');        // back: the one the reader left training goes on
    await until(async () => (await networks('gradient')) === 1, 'it resumes on return');
    await until(async () => (await networks('init')) === 0, 'the pair, off screen, pauses');
    assert.equal(await networks('chain'), 0, 'still out of view');
    await scrollTo(page, 'chain');
    await until(async () => (await networks('chain')) === 1, 'the next resumes on return');
    assert.equal(await networks('speeds'), 0, 'paused by the budget: it waits for the reader');
    // The whole page, top to bottom, while they train.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y < height; y += 800) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(80);
    }
    // The depth sweep: two workers at once.
    await scrollTo(page, 'deeper');
    await ready('deeper');
    await (await labFrame(page, 'deeper')).evaluate(() => document.getElementById('sweep-run').click());
    await until(async () => (await networks('deeper')) > 0, 'the sweep runs');
    await scrollTo(page, 'exploding');       // away: the sweep stops
    await until(async () => (await networks('deeper')) === 0, 'the sweep stops off screen');
  } finally {
    sampling = false;
    await sampler;
  }
  assert.ok(samples.length > 20, `${samples.length} samples`);
  // A third network is paused as soon as the walk hears of it: never more than two for longer than a moment.
  let over = null;
  for (const s of samples) {
    if (s.n > 2 && over === null) over = s.t;
    if (s.n <= 2 && over !== null) {
      assert.ok(s.t - over < 2500, `${s.t - over} ms with more than two networks`);
      over = null;
    }
  }
  assert.equal(over, null, 'ends within the budget');
  assert.ok(samples.some((s) => s.n === 2), `two networks did train at once: ${JSON.stringify(samples.map((s) => s.n))}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('“Open in the simulator” carries the frame’s exact settings, and so does a frame loaded again', async () => {
  const { page, errors } = await openWalk(url);
  await scrollTo(page, 'speeds');
  await until(async () => (await frameOf(page, 'speeds')).ready, 'speeds ready');
  const inner = await labFrame(page, 'speeds');
  await inner.evaluate(() => window.gradlab.configure({ depth: 4, learningRate: 0.2 }));
  const wanted = await inner.evaluate(() => window.gradlab.state());
  await page.hover('[data-frame="speeds"] a.to-lab');
  await until(async () => /depth=4/.test((await frameOf(page, 'speeds')).lab), 'the link follows the frame');
  const href = (await frameOf(page, 'speeds')).lab;
  assert.match(href, /\/lab\.html#/);
  const lab = await openPage(context, href);
  const got = await lab.page.evaluate(() => window.gradlab.state());
  const settings = await lab.page.evaluate(() => window.gradlab.settings().filter((s) => !s.layout).map((s) => s.key));
  for (const key of settings) assert.equal(got[key], wanted[key], key);
  assert.equal(got.embed, false, 'a full lab page');
  assert.deepEqual(lab.errors, []);
  await lab.page.close();
  // Far away it is unloaded; back, it loads with the reader's settings.
  await scrollTo(page, 'map');
  await until(async () => !(await frameOf(page, 'speeds')).loaded, 'speeds unloaded far away', 60000);
  await scrollTo(page, 'speeds');
  await until(async () => (await frameOf(page, 'speeds')).ready, 'speeds loaded again');
  const again = await (await labFrame(page, 'speeds')).evaluate(() => window.gradlab.state());
  assert.equal(again.depth, 4);
  assert.equal(again.learningRate, 0.2);
  assert.equal(again.show, 'bars,speed', 'the section’s views');
  assert.equal(again.embed, true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('old links to the simulator open the lab; the language switch changes the page and its simulators', async () => {
  const page = await context.newPage();
  await page.goto(`${url}#preset=deep-sigmoid&depth=8`);
  await until(() => page.evaluate(() => Boolean(window.gradlab?.stats?.())), 'the lab');
  assert.match(page.url(), /\/lab\.html#/);
  const state = await page.evaluate(() => window.gradlab.state());
  assert.equal(state.depth, 8);
  assert.equal(state.activation, 'sigmoid');
  assert.equal(state.init, 'nielsen', 'the preset’s settings, then the link’s');
  await page.close();

  const { page: walk, errors } = await openWalk(`${url}#lang=zh`);
  assert.equal(await walk.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await walk.textContent('h1'), '深度网络为什么难以训练');
  await until(async () => (await frameOf(walk, 'deeper')).ready, 'the first frame');
  await walk.selectOption('#lang', 'en');
  assert.equal(await walk.textContent('h1'), 'Why deep networks are hard to train');
  assert.match(walk.url(), /#lang=en$/);
  await until(async () => (await (await labFrame(walk, 'deeper')).evaluate(() => window.gradlab.state().lang)) === 'en', 'the frame follows');
  // The section's embed snippet: the lab's embedded page with the section's settings, and the client.
  const snippet = await walk.inputValue('#snippet-deeper');
  assert.match(snippet, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/lab\.html#preset=nielsen&amp;show=sweep&amp;embed=1" title="gradlab simulator: Deeper is not better" data-gradlab/);
  assert.match(snippet, /<script src="http:\/\/127\.0\.0\.1:\d+\/gradlab-embed\.js"><\/script>/);
  // A section followed from the contents keeps the chosen language in the address; the switch keeps the section.
  const chinese = '深度网络为什么难以训练';
  const hashNow = () => walk.evaluate(() => location.hash);
  await walk.selectOption('#lang', 'zh');
  await walk.click('#toc-list a[href="#chain"]');
  await until(async () => (await hashNow()) === '#chain&lang=zh', 'the language beside the anchor');
  await walk.selectOption('#lang', 'en');
  assert.equal(await hashNow(), '#chain&lang=en', 'the switch keeps the section');
  // Back to the address before: the page takes its language again.
  await walk.goBack();
  await until(async () => (await walk.textContent('h1')) === chinese, 'Back to a Chinese address');
  assert.equal(await hashNow(), '#lang=zh');
  // A reload keeps the section and the language.
  await walk.click('#toc-list a[href="#chain"]');
  await until(async () => (await hashNow()) === '#chain&lang=zh', 'the language beside the anchor again');
  await walk.reload();
  await until(() => walk.evaluate(() => Boolean(window.gradlabWalk)), 'the walk-through again');
  assert.equal(await walk.textContent('h1'), chinese);
  assert.ok(await walk.evaluate(() => { const r = document.getElementById('chain').getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }),
    'scrolled to the section');
  assert.deepEqual(errors, []);
  await walk.close();
});

test('from disk (the site’s zip unpacked) the walk-through runs its simulators from the offline file', async () => {
  const { page, errors } = await openWalk(pathToFileURL(join(SITE, 'index.html')).href);
  await until(async () => (await frameOf(page, 'deeper')).ready, 'the first frame from file://', 40000);
  assert.match(await page.getAttribute('[data-frame="deeper"] iframe', 'src'), /^gradlab-offline\.html#preset=nielsen/);
  assert.equal(await page.isVisible('a[href="embed.html"]'), false, 'no link to a page that needs a server');
  assert.match((await frameOf(page, 'deeper')).lab, /gradlab-offline\.html#/);
  await page.screenshot({ path: join(SHOTS, 'file.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the one-file walk-through runs alone from disk: its frames and its lab link are the lab inlined in it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-walk-'));
  try {
    copyFileSync(join(SITE, 'gradlab-walk-offline.html'), join(dir, 'walk.html'));
    const { page, errors } = await openWalk(`${pathToFileURL(join(dir, 'walk.html')).href}#lang=zh`);
    await until(async () => (await frameOf(page, 'deeper')).ready, 'the first frame from the one file', 60000);
    assert.match(await page.getAttribute('[data-frame="deeper"] iframe', 'src'), /^blob:.*#preset=nielsen&show=sweep&embed=1&lang=zh$/);
    assert.match(await page.getAttribute('a[data-lab]', 'href'), /^blob:/);
    await scrollTo(page, 'chain');
    await until(async () => (await frameOf(page, 'chain')).ready, 'a second frame');
    await (await labFrame(page, 'chain')).evaluate(() => document.getElementById('play').click());
    await until(async () => (await frameOf(page, 'chain')).step > 0, 'it trains');
    const [lab] = await Promise.all([page.waitForEvent('popup'), page.click('[data-frame="chain"] a.to-lab')]);
    await until(() => lab.evaluate(() => Boolean(window.gradlab?.stats?.())), 'the lab from the link');
    assert.equal(await lab.evaluate(() => window.gradlab.state().preset), 'why-chain');
    await lab.close();
    await page.screenshot({ path: join(SHOTS, 'one-file.png') });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('axe-core: no serious or critical violations on the walk-through in either language', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const lang of ['en', 'zh']) {
    for (const [w, h] of [[1280, 800], [390, 844]]) {
      const { page } = await openWalk(`${url}#lang=${lang}`, { width: w, height: h });
      await until(async () => (await frameOf(page, 'deeper')).ready, 'the first frame');
      await page.click('[data-frame="deeper"] summary');   // the embed panel open
      await page.evaluate(axe);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], iframes: false }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(bad, [], `${lang} at ${w}px`);
      await page.close();
    }
  }
});
