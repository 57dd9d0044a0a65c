// Fuzzing the page's inputs (issue 14), a short round: random and adversarial URL
// hashes, script-API calls with bad arguments and postMessage payloads from a
// course page on another origin. Nothing may throw uncaught, blank the page or
// put markup of theirs in it, and the page trains afterwards. The long round is
// bench/hardening.mjs (GRADLAB_FUZZ_* set the counts here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, startServer, until, useBrowser } from './browser.mjs';
import { healthIn, randomCall, randomHash, randomMessage, rng } from './pagefuzz.mjs';

const HASHES = Number(process.env.GRADLAB_FUZZ_HASHES ?? 400);
const CALLS = Number(process.env.GRADLAB_FUZZ_CALLS ?? 300);
const MESSAGES = Number(process.env.GRADLAB_FUZZ_MESSAGES ?? 300);
const SEED = Number(process.env.GRADLAB_FUZZ_SEED ?? 14);

const browser = useBrowser();

const baselineOf = (page) => page.evaluate(() => ({ scripts: document.querySelectorAll('script').length,
  frames: document.querySelectorAll('iframe').length, images: document.querySelectorAll('img').length }));

/** Waits until the page has applied what it was given, then checks its health. */
async function healthy(page, baseline, what) {
  await page.evaluate(() => window.gradlab.configure({}).catch(() => {}));
  const h = await page.evaluate(healthIn, baseline);
  assert.deepEqual(h, { pwned: false, handlers: [], scripts: 0, frames: 0, images: 0, failed: false, blank: false }, what);
}

/** The page still trains: a small network, three steps. */
async function trains(page) {
  await page.evaluate(() => window.gradlab.configure({ model: 'mlp', dataset: 'circle', depth: 2, width: 4, samples: 100, trainSize: 0, batchSize: 10, lock: false }));
  await page.evaluate(() => window.gradlab.reset());
  assert.equal((await page.evaluate(() => window.gradlab.step(3))).step, 3);
}

test(`${HASHES} random and adversarial URL hashes`, async () => {
  const { page, errors } = await openPage(browser.context, `${browser.server.lab}#dataset=circle&depth=2`);
  const schema = await page.evaluate(() => window.gradlab.settings());
  const baseline = await baselineOf(page);
  // The checker sees what it is for: an on… attribute (one the browser never runs) and the canary.
  await page.evaluate(() => { document.body.setAttribute('onfuzz', 'x'); window.__pwned = 1; });
  const caught = await page.evaluate(healthIn, baseline);
  assert.ok(caught.pwned && caught.handlers.includes('BODY'));
  await page.evaluate(() => { document.body.removeAttribute('onfuzz'); delete window.__pwned; });
  const r = rng(SEED);
  const states = new Set();
  for (let i = 0; i < HASHES; i++) {
    const hash = randomHash(r, schema);
    await page.evaluate((h) => { location.hash = h; }, hash);
    if (i % 25 === 24) {
      await healthy(page, baseline, `after hash ${i}: #${hash.slice(0, 200)}`);
      states.add(JSON.stringify(await page.evaluate(() => window.gradlab.state())));
    }
  }
  await healthy(page, baseline, 'at the end');
  assert.ok(states.size >= HASHES / 50, `the hashes changed the state (${states.size} distinct of ${Math.floor(HASHES / 25)} looked at)`);
  await trains(page);
  // A fresh load of hostile links too (the boot path, not hashchange).
  for (let i = 0; i < 5; i++) {
    await page.goto(`${browser.server.lab}#${randomHash(r, schema)}`);
    await until(() => page.evaluate(() => window.gradlab?.stats?.() != null), 'the page after a hostile link');
    await healthy(page, baseline, `load ${i}`);
  }
  assert.deepEqual(errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  console.log(`# ${HASHES} hashes (seed ${SEED}): no uncaught exception, no injected markup, the page trains`);
  await page.close();
});

test(`${CALLS} script-API calls with bad arguments`, async () => {
  const { page, errors } = await openPage(browser.context, `${browser.server.lab}#dataset=circle&depth=2`);
  const schema = await page.evaluate(() => window.gradlab.settings());
  const baseline = await baselineOf(page);
  const r = rng(SEED + 1);
  // Values JSON cannot carry cross as tags, revived in the page.
  const tag = (v) => JSON.parse(JSON.stringify(v, (k, x) => (typeof x === 'function' ? { __fuzz: 'fn' } : typeof x === 'symbol' ? { __fuzz: 'sym' }
    : Number.isNaN(x) ? { __fuzz: 'nan' } : x === undefined ? { __fuzz: 'undef' } : x)) ?? { __fuzz: 'undef' });
  let rejected = 0;
  for (let i = 0; i < CALLS; i++) {
    const [method, args] = randomCall(r, schema);
    const outcome = await page.evaluate(async ([m, a]) => {
      const revive = (x) => (x && typeof x === 'object' ? (x.__fuzz === 'fn' ? () => 1 : x.__fuzz === 'sym' ? Symbol('fuzz')
        : x.__fuzz === 'nan' ? NaN : x.__fuzz === 'undef' ? undefined : Array.isArray(x) ? x.map(revive)
          : Object.fromEntries(Object.entries(x).map(([k, v]) => [k, revive(v)]))) : x);
      try {
        const f = window.gradlab[m];
        const result = f.apply(window.gradlab, revive(a));
        if (typeof result === 'function') result();  // on(): unsubscribe again
        await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 5000))]);
        return 'ok';
      } catch (e) {
        return e instanceof Error ? 'rejected' : `threw a non-Error: ${String(e)}`;
      }
    }, [method, tag(args)]);
    assert.ok(outcome === 'ok' || outcome === 'rejected', `${method}: ${outcome}`);
    if (outcome === 'rejected') rejected++;
    if (i % 25 === 24) await healthy(page, baseline, `after call ${i}: ${method}`);
  }
  await healthy(page, baseline, 'at the end');
  await trains(page);
  assert.deepEqual(errors.filter((e) => !/^Failed to load resource/.test(e)), []);
  console.log(`# ${CALLS} API calls (seed ${SEED + 1}): ${rejected} rejected with an Error, none uncaught; the page trains`);
  await page.close();
});

test(`${MESSAGES} postMessage payloads from a course page on another origin`, async () => {
  const course = await startServer();
  const sim = browser.server.url.replace('127.0.0.1', 'localhost');
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${course.url}embed.html?site=${encodeURIComponent(sim)}`);
  await until(() => page.evaluate(() => window.demo?.ready.then(() => true)), 'both simulators embedded', 30000);
  const frame = await (await page.$('#left')).contentFrame();
  frame.on?.('pageerror', (e) => errors.push(e.message));
  const schema = await frame.evaluate(() => window.gradlab.settings());
  const baseline = await baselineOf(frame);
  const r = rng(SEED + 2);
  for (let i = 0; i < MESSAGES; i++) {
    const message = randomMessage(r, schema);
    await page.evaluate((m) => document.getElementById('left').contentWindow.postMessage(m, '*'), message);
    if (i % 50 === 49) {
      // The connection still answers, and the simulator is whole.
      await page.evaluate(() => window.demo.clients.left.stats());
      await healthy(frame, baseline, `after message ${i}: ${JSON.stringify(message).slice(0, 200)}`);
    }
  }
  await trains(frame);
  const stats = await page.evaluate(() => window.demo.clients.left.stats());
  assert.ok(stats.step >= 3);
  assert.deepEqual(errors, []);
  console.log(`# ${MESSAGES} postMessage payloads (seed ${SEED + 2}): the embedded page answers and trains`);
  await page.close();
  course.server.close();
});
