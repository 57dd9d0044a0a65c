// Hardening (issue 14) in a real browser: the served site's Content-Security-Policy
// header (strict, embeddable, restrictable) and a page that has none of its
// scripts refused. Screenshots go to test-output/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../tools/serve.mjs';
import { SITE, openPage, startServer, until, useBrowser } from './browser.mjs';

const browser = useBrowser();

test('the served site sends a strict Content-Security-Policy that lets course pages embed it', async () => {
  const { page, errors } = await openPage(browser.context, browser.server.lab);
  for (const path of ['', 'index.html', 'lab.html', 'worker.js', 'embed.html', 'walk.js']) {
    const r = await page.request.get(`${browser.server.url}${path}`);
    const csp = r.headers()['content-security-policy'];
    assert.ok(csp, `${path || '/'} has a policy`);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'self'"], path);
    assert.deepEqual(directives['object-src'], ["'none'"], path);
    assert.deepEqual(directives['base-uri'], ["'none'"], path);
    assert.deepEqual(directives['frame-ancestors'], ['*'], `${path}: any course page may embed it`);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|script-src[^;]*(https?:|\*)/, `${path}: ${csp}`);
    // The simulator and its files may compile wasm; the walk-through and the embed page run no wasm themselves.
    const wasm = !['', 'index.html', 'embed.html'].includes(path);
    assert.deepEqual(directives['script-src'], wasm ? ["'self'", "'wasm-unsafe-eval'"] : ["'self'"], path);
  }
  // The page runs under it: a run, the views, the worker; no violation (openPage turns one into an error).
  await page.evaluate(() => window.gradlab.step(20));
  assert.deepEqual(errors, []);
  await page.close();
});

test('an instructor restricts embedding to their course pages: another origin is refused', async () => {
  const strict = await serve(SITE, { port: 0, frameAncestors: "'self'" });
  const sim = `http://localhost:${strict.address().port}/`;
  const course = await startServer();  // another origin: http://127.0.0.1:…
  const page = await browser.context.newPage();
  // The control: the default policy (any ancestor) on the same two origins loads both simulators.
  await page.goto(`${course.url}embed.html?site=${encodeURIComponent(browser.server.url.replace('127.0.0.1', 'localhost'))}`);
  await until(() => page.evaluate(() => window.demo?.ready.then(() => true)), 'both simulators embedded', 30000);
  assert.equal(page.frames().some((f) => f.url().startsWith('chrome-error:')), false);
  // Restricted to 'self': the course page on another origin gets error pages instead.
  await page.goto(`${course.url}embed.html?site=${encodeURIComponent(sim)}`);
  await until(() => page.frames().filter((f) => f.url().startsWith('chrome-error:')).length === 2, 'the refused iframes');
  assert.equal((await page.request.get(sim)).headers()['content-security-policy'].endsWith("frame-ancestors 'self'"), true);
  await page.close();
  strict.close();
  course.server.close();
});
