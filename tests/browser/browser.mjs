// Shared setup for the real-browser tests: Debian's chromium driven by
// playwright-core (never a downloaded browser), a fresh profile per launch, and
// the built site served on a free loopback port.
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '../../tools/serve.mjs';

export const SITE = resolve(process.env.GRADLAB_SITE ?? 'build-wasm/site');
export const OUT = resolve(process.env.GRADLAB_TEST_OUTPUT ?? 'test-output');

/** Serves `dir`: {server, url (the site's root: the walk-through), lab (the simulator's page)}. */
export async function startServer(dir = SITE) {
  const server = await serve(dir, { port: 0 });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { server, url, lab: `${url}lab.html` };
}

/**
 * A fresh Chromium profile (a new --user-data-dir, which playwright takes as the
 * persistent context's directory). Returns the browser context; close() it.
 */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'gradlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    } catch { /* chromium may still be writing; the OS cleans /tmp */ }
  });
  return context;
}

/**
 * A test file's browser: registers node:test hooks that serve the site and
 * launch Chromium before its tests and close both after. Returns the holder,
 * whose `context` and `server` ({server, url}) are set once the hooks have run.
 */
export function useBrowser() {
  const shared = { context: null, server: null };
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    shared.server = await startServer();
    shared.context = await launch();
  });
  after(async () => {
    await shared.context?.close();
    shared.server?.server.close();
  });
  return shared;
}

/**
 * Records into `errors` what should never happen on a page of the site: a console error, an uncaught exception,
 * a failed request and a Content-Security-Policy violation (the site's policy is strict: tools/csp.mjs).
 * A request the page itself aborted is not a failure: Stop on the depth sweep terminates workers that may still
 * be loading gradlab.js, and the walk-through unloads simulators that may still be loading. A missing file is a
 * 404, which Chromium logs as a console error.
 */
export async function recordErrors(page, errors = []) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} (${why})`);
  });
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return errors;
}

/** A page that records errors into `errors` (recordErrors). */
export async function openPage(context, url, { width = 1280, height = 800 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const errors = await recordErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => window.gradlab && window.gradlab.stats() !== null, null, { timeout: 20000 });
  return { page, errors };
}

/** Resolves after two animation frames of `page`: whatever a snapshot changed has been drawn. */
export const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Polls `fn` (which may be async) until it returns a truthy value, which it resolves with. */
export async function until(fn, what, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
