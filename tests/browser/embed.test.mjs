// Where readers are (issue 9), in a real browser: the offline file from file://
// with the network blocked, the embed keys, a course page on another origin that
// drives two embedded simulators over postMessage and sizes them, malformed
// messages, Share, the no-SIMD module, and a browser without WebAssembly.
// Screenshots go to test-output/ (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, SITE, frames, launch, openPage, startServer, until } from './browser.mjs';

let context, a, b;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  a = await startServer();   // the course page's origin: http://127.0.0.1:…
  b = await startServer();   // the simulator's: http://localhost:… (another origin)
  b.url = b.url.replace('127.0.0.1', 'localhost');
  b.lab = b.lab.replace('127.0.0.1', 'localhost');
  context = await launch();
});

after(async () => {
  await context?.close();
  a?.server.close();
  b?.server.close();
});

const visible = (page, selector) => page.locator(selector).isVisible();

/** The examples page on origin A, embedding the simulator from origin B; waits for both connections. */
async function coursePage(width = 1280, height = 900) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${a.url}embed.html?site=${encodeURIComponent(b.url)}`);
  await until(() => page.evaluate(() => Boolean(window.demo)), 'the course page script');
  await page.evaluate(() => window.demo.ready);
  for (const side of ['left', 'right'])
    await until(async () => /: step \d/.test(await page.textContent(`#${side}-reading`)), `the ${side} simulator configured`);
  return { page, errors };
}

test('the offline file, copied alone to a folder, works from file:// with every http request blocked', async () => {
  const offline = join(SITE, 'gradlab-offline.html');
  const size = statSync(offline).size;
  console.log(`# gradlab-offline.html: ${(size / 1e6).toFixed(2)} MB`);
  assert.ok(size <= 3e6, `the offline file is ${size} bytes, over 3 MB`);
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-offline-'));
  const file = join(dir, 'my copy of gradlab.html');
  copyFileSync(offline, file);
  const page = await context.newPage();
  const requests = [];
  await page.route(/^(https?|wss?):/, (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective));
  });
  try {
    await page.goto(`file://${file.split('/').map(encodeURIComponent).join('/')}#preset=deep-sigmoid`);
    await until(() => page.evaluate(() => window.gradlab?.stats() != null), 'the first speeds');
    assert.equal(await page.evaluate(() => window.gradlab.engine), 'simd');
    assert.equal(await page.locator('#speed-bars rect.bar').count(), 10, 'the preset from the hash');
    assert.match(await page.textContent('#preset-caption'), /Ten sigmoid layers/);
    assert.equal(await page.locator('a[href="gradlab-offline.html"]').count(), 0, 'no download link in the offline file itself');
    // The digits are there (MNIST is the default dataset) and training runs.
    const stats = await page.evaluate(() => window.gradlab.step(20));
    assert.equal(stats.step, 20);
    assert.ok(stats.layers[0].speed < stats.layers[9].speed / 1000, 'vanishing, as served');
    await page.click('#play');
    await until(async () => (await page.evaluate(() => window.gradlab.stats().step)) > 60, 'Play to train');
    await page.click('#play');
    await until(async () => !(await page.evaluate(() => window.gradlab.stats().playing)), 'Pause');
    // The hash drives it, and the state is written back to the hash.
    await page.evaluate(() => { location.hash = '#depth=4&activation=relu&init=he_normal&biasInit=zeros'; });
    await until(async () => (await page.locator('#speed-bars rect.bar').count()) === 4, 'four bars from the new hash');
    assert.match(await page.evaluate(() => location.hash), /activation=relu/);
    await frames(page);
    await page.screenshot({ path: join(OUT, 'offline-file.png') });
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'self'|\*/, csp);
    assert.match(csp, /connect-src 'none'/);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(requests, [], 'no request left the file');
    assert.deepEqual(errors, []);
    // The no-SIMD module is in the file too.
    const second = await context.newPage();
    await second.route(/^(https?|wss?):/, (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    await second.goto(`file://${file.split('/').map(encodeURIComponent).join('/')}#simd=0&depth=2&dataset=xor`);
    await until(() => second.evaluate(() => window.gradlab?.stats() != null), 'the baseline module');
    assert.equal(await second.evaluate(() => window.gradlab.engine), 'baseline');
    assert.equal((await second.evaluate(() => window.gradlab.step(10))).step, 10);
    assert.deepEqual(requests, []);
    await second.close();
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the served page links to the offline file and the zip', async () => {
  const { page, errors } = await openPage(context, a.lab);
  const link = page.locator('a.offline-link');
  assert.equal(await link.getAttribute('href'), 'gradlab-offline.html');
  assert.ok(await link.isVisible());
  const response = await page.request.get(`${a.url}gradlab-offline.html`);
  assert.equal(response.status(), 200);
  assert.equal((await page.request.get(`${a.url}gradlab-site.zip`)).status(), 200);
  assert.equal(await page.evaluate(() => window.gradlab.engine), 'simd');
  assert.deepEqual(errors, []);
  await page.close();
});

test('embed keys: a compact page, chosen views and controls, lock and autoplay', async () => {
  // embed=1 alone: the bars, their reading, the play controls and the presets.
  let { page, errors } = await openPage(context, `${b.lab}#embed=1&depth=4`, { width: 700, height: 600 });
  assert.ok(await page.evaluate(() => document.body.classList.contains('embedded')));
  for (const id of ['#speed-bars', '#reading', '#play', '#presets', '#ratio-sentence', '#open-full'])
    assert.ok(await visible(page, id), `${id} is shown`);
  for (const id of ['#settings-panel', '#update-bars', '#speed-chart', '#loss-chart', '#network', '#data-view', '#layer-table', '#footer', '.tagline'])
    assert.ok(!(await visible(page, id)), `${id} is hidden`);
  const full = await page.getAttribute('#open-full', 'href');
  assert.doesNotMatch(full, /embed=/, 'the full-page link leaves the embedding');
  assert.equal(full, `${b.lab}#depth=4`);
  await page.screenshot({ path: join(OUT, 'embed-default-700.png'), fullPage: true });
  await page.close();

  // A preset by name, chosen views and controls, at phone width.
  ({ page, errors } = await openPage(context,
    `${b.lab}#preset=relu-he&embed=1&show=bars,speed,table&controls=depth,activation,init`, { width: 390, height: 844 }));
  assert.match(await page.textContent('#preset-caption'), /Thirty ReLU layers/);
  for (const id of ['#speed-bars', '#speed-chart', '#layer-table', '#settings-panel']) assert.ok(await visible(page, id), id);
  for (const id of ['#presets', '#loss-chart', '#network']) assert.ok(!(await visible(page, id)), id);
  const offered = await page.locator('#settings .control:visible').evaluateAll((rows) => rows.map((r) => r.querySelector('input,select').id));
  assert.deepEqual(offered, ['depth', 'activation', 'init']);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'fits 390 px');
  await page.selectOption('#activation', 'tanh');
  await until(async () => (await page.evaluate(() => window.gradlab.state().activation)) === 'tanh', 'the offered control to work');
  assert.equal(await page.evaluate(() => window.gradlab.state().embed), true, 'a setting change keeps the layout');
  await page.screenshot({ path: join(OUT, 'embed-controls-390.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();

  // hide= offers the rest; lock=1 lets the reader play but not change settings; autoplay=1 plays.
  ({ page, errors } = await openPage(context, `${b.lab}#embed=1&hide=dataset,seed&lock=1&autoplay=1&dataset=circle&depth=2`));
  await until(() => page.evaluate(() => window.gradlab.stats().playing), 'autoplay');
  const shown = await page.locator('#settings .control:visible').evaluateAll((rows) => rows.map((r) => r.querySelector('input,select').id));
  assert.ok(shown.includes('depth') && !shown.includes('dataset') && !shown.includes('seed'), shown.join());
  assert.ok(await page.locator('#depth').isDisabled(), 'locked controls are read-only');
  assert.ok(!(await visible(page, '#presets')), 'no presets when locked');
  assert.ok(!(await visible(page, '#new-seed')), 'no new seed when locked');
  await page.click('#play');   // pause: the reader may still play and pause
  await until(async () => !(await page.evaluate(() => window.gradlab.stats().playing)), 'pause');
  // The script API still configures a locked page (the course page's script does).
  assert.equal((await page.evaluate(() => window.gradlab.configure({ depth: 3 }))).depth, 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a course page on another origin drives two embedded simulators over postMessage and sizes them', async () => {
  const { page, errors } = await coursePage();
  const origins = await page.evaluate(() => [location.origin, ...[...document.querySelectorAll('iframe')].map((f) => new URL(f.src).origin)]);
  assert.equal(origins.length, 3);
  assert.ok(origins.slice(1).every((o) => o !== origins[0]), `the simulators are on another origin: ${origins}`);
  // The page configured both through the client; readings come from stats events.
  await until(async () => /ReLU \+ He: step 0/.test(await page.textContent('#right-reading')), 'the right simulator configured');
  await page.click('#step-both');
  await until(async () => /step 100/.test(await page.textContent('#left-reading')) && /step 100/.test(await page.textContent('#right-reading')), '100 steps in both');
  const [left, right] = await page.evaluate(() => Promise.all(Object.values(window.demo.clients).map((g) => g.stats())));
  assert.equal(left.layers.length, 10);
  assert.equal(right.layers.length, 10);
  const ratio = (s) => s.layers[9].speed / s.layers[0].speed;
  assert.ok(ratio(left) > 1e4, `sigmoid + Nielsen vanishes (${ratio(left)})`);
  assert.ok(ratio(right) < 100 && ratio(right) > 0.01, `ReLU + He does not (${ratio(right)})`);
  assert.equal((await page.evaluate(() => window.demo.clients.right.state())).activation, 'relu');
  // The client offers exactly the methods the page answers (less its handshake and subscription).
  const methods = await page.evaluate(() => {
    const g = window.demo.clients.left;
    return { page: g.pageMethods, client: Object.keys(g).filter((k) => typeof g[k] === 'function' && !['on', 'close'].includes(k)) };
  });
  assert.deepEqual(methods.client.sort(), methods.page.filter((m) => !['hello', 'on', 'off'].includes(m)).sort());
  // Each iframe takes its content's height.
  for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
    const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    const element = await frame.frameElement();
    const height = await element.evaluate((f) => f.getBoundingClientRect().height);
    assert.ok(Math.abs(height - content) <= 3, `iframe ${Math.round(height)} px for content ${content} px`);
  }
  // Play and pause both from the course page.
  await page.click('#play-both');
  await until(async () => (await page.evaluate(() => Promise.all(Object.values(window.demo.clients).map((g) => g.stats()))))
    .every((s) => s.playing && s.step > 100), 'both playing');
  await page.click('#pause-both');
  await until(async () => (await page.evaluate(() => Promise.all(Object.values(window.demo.clients).map((g) => g.stats()))))
    .every((s) => !s.playing), 'both paused');
  await page.screenshot({ path: join(OUT, 'embed-course-page.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('malformed messages get error replies; messages not from the parent are ignored', async () => {
  const { page } = await coursePage();
  const replies = await page.evaluate(async (target) => {
    const frame = document.getElementById('left').contentWindow;
    const got = [];
    window.addEventListener('message', (e) => { if (e.source === frame && e.data && 'id' in e.data) got.push(e.data); });
    const send = (m) => frame.postMessage(m, target);
    send({ gradlab: 1, id: 'a', method: 'explode', args: [] });
    send({ gradlab: 1, id: 'b', method: 'configure', args: { depth: 3 } });
    send({ gradlab: 1, method: 'play' });
    send({ gradlab: 1, id: 'd', method: 'configure', args: [{ depth: 1e9 }] });
    send({ gradlab: 1, id: 'e', method: 'step', args: ['<img src=x onerror=alert(1)>'] });
    send({ gradlab: 1, id: 'f', method: 'preset', args: [{}] });
    send({ gradlab: 1, id: 'g', method: '__proto__' });
    send({ gradlab: 1, id: 'h', method: 'on', args: ['everything'] });
    send({ gradlab: 1, id: 'i', method: 'configure', args: [null] });
    send('a string');
    send(null);
    send({ gradlab: 2, id: 'j', method: 'play' });
    send({ gradlab: 1, id: 'k', method: 'state' });
    for (let i = 0; i < 100 && got.length < 10; i++) await new Promise((r) => setTimeout(r, 100));
    return got;
  }, new URL(b.url).origin);
  const byId = Object.fromEntries(replies.map((r) => [r.id, r]));
  assert.match(byId.a.error, /unknown method 'explode'/);
  assert.match(byId.b.error, /args must be an array/);
  assert.match(byId[null].error, /needs an id/);
  assert.match(byId.d.error, /Hidden layers \(depth\): 1000000000 is outside/);
  assert.match(byId.e.error, /n must be a whole number/);
  assert.match(byId.f.error, /unknown preset/);
  assert.match(byId.g.error, /unknown method/);
  assert.match(byId.h.error, /the only event is 'stats'/);
  assert.match(byId.i.error, /expected an object of settings/);
  assert.ok(!('j' in byId), 'another protocol version is not answered');
  assert.equal(byId.k.result.depth, 10, 'the page still answers, its settings unchanged');
  // The simulator page itself, and any window but its parent, cannot drive it.
  const frame = page.frames().find((f) => f.url().includes(new URL(b.url).host));
  await frame.evaluate(() => window.postMessage({ gradlab: 1, id: 1, method: 'configure', args: [{ depth: 2 }] }, '*'));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await frame.evaluate(() => window.gradlab.state().depth), 10);
  assert.equal(await frame.locator('#notices img').count(), 0);
  await page.close();
});

test('Share copies a link to what is shown and an embed snippet that works', async () => {
  const { page, errors } = await openPage(context, `${b.lab}#preset=deep-sigmoid`);
  await page.click('#share-button');
  assert.ok(await visible(page, '#share'));
  assert.match(await page.inputValue('#share-link'), /\/lab\.html#preset=deep-sigmoid$/, 'a short link to the same state');
  await page.check('#share-views input[value=speed]');
  await page.fill('#share-controls', 'depth,activation,bogus');
  assert.match(await page.textContent('#share-status'), /bogus/);
  await page.fill('#share-controls', 'depth,activation');
  await page.check('#share-lock');
  const snippet = await page.inputValue('#share-snippet');
  assert.match(snippet, /<iframe src="[^"]+" title="gradlab: Deep sigmoid \(10 layers\)" data-gradlab/);
  assert.match(snippet, /<script src="http:\/\/localhost:\d+\/gradlab-embed\.js"><\/script>/);
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  for (const key of ['embed=1', 'show=presets%2Cbars%2Cspeed', 'controls=depth%2Cactivation', 'lock=1', 'preset=deep-sigmoid'])
    assert.ok(src.includes(key), `${key} in ${src}`);
  await page.click('#copy-link');
  await until(async () => /^(Copied|Selected)/.test(await page.textContent('#share-status')), 'the copy to be reported');
  await page.screenshot({ path: join(OUT, 'share-panel.png') });
  assert.deepEqual(errors, []);
  await page.close();
  // The snippet's page is what was chosen.
  const { page: embedded } = await openPage(context, src, { width: 600, height: 700 });
  assert.equal(await embedded.locator('#speed-bars rect.bar').count(), 10);
  assert.ok(await visible(embedded, '#speed-chart'));
  assert.ok(!(await visible(embedded, '#presets')), 'locked');
  const offered = await embedded.locator('#settings .control:visible').evaluateAll((rows) => rows.map((r) => r.querySelector('input,select').id));
  assert.deepEqual(offered, ['depth', 'activation']);
  await embedded.close();
});

test('the no-SIMD module (simd=0) trains the same numbers in Chromium', async () => {
  const run = async (hash) => {
    const { page, errors } = await openPage(context, `${a.lab}#${hash}`);
    const engine = await page.evaluate(() => window.gradlab.engine);
    const stats = await page.evaluate(() => window.gradlab.step(50));
    assert.deepEqual(errors, []);
    await page.close();
    return { engine, speeds: stats.layers.map((l) => l.speed), loss: stats.loss };
  };
  const simd = await run('depth=4&seed=3');
  const base = await run('depth=4&seed=3&simd=0');
  assert.equal(simd.engine, 'simd');
  assert.equal(base.engine, 'baseline');
  simd.speeds.forEach((v, l) => assert.ok(Math.abs(v - base.speeds[l]) <= 1e-3 * v, `layer ${l}: ${v} vs ${base.speeds[l]}`));
  assert.ok(Math.abs(simd.loss - base.loss) <= 1e-4 * simd.loss, `loss ${simd.loss} vs ${base.loss}`);
});

test('a browser without WebAssembly gets a clear message', async () => {
  const page = await context.newPage();
  await page.addInitScript(() => { delete window.WebAssembly; });
  await page.goto(a.lab);
  await until(async () => /cannot run WebAssembly/.test(await page.textContent('#notices')), 'the message');
  assert.ok(await visible(page, '#notices .notice-error'));
  assert.ok(!(await visible(page, '#play')), 'no dead controls');
  await page.screenshot({ path: join(OUT, 'no-webassembly.png') });
  await page.close();
});
