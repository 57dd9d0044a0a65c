// The mechanism's histogram views in a real browser (the chain of factors and the
// single-neuron chain are in page.test.mjs): φ and φ′ over a layer's z, Glorot &
// Bengio's per-layer histograms with the one-click comparison of their two
// inits, on the served page, from the offline file and through the script and
// postMessage APIs. Screenshots go to test-output/ (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, SITE, frames, launch, openPage, startServer, until } from './browser.mjs';

let context, a, b;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  a = await startServer();
  b = await startServer();   // another origin for the embedded page: http://localhost:…
  b.url = b.url.replace('127.0.0.1', 'localhost');
  b.lab = b.lab.replace('127.0.0.1', 'localhost');
  context = await launch();
});

after(async () => {
  await context?.close();
  a?.server.close();
  b?.server.close();
});

const percent = (text) => Number(/([\d.]+)\s?%/.exec(text)[1]) / 100;

test('φ and φ′: σ′ peaks at 1/4, the saturated layer’s z sits in the flat tails, and any layer can be chosen', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=saturation`);
  const h = await page.evaluate(() => window.gradlab.histograms());
  // The curve is the core's: sigmoid's derivative peaks at exactly 1/4, at z = 0.
  const peak = Math.max(...h.curve.dphi);
  assert.equal(peak, 0.25);
  assert.equal(h.curve.peak, 0.25, 'the core’s sup of σ′');
  assert.equal(h.curve.z[h.curve.dphi.indexOf(peak)], 0);
  h.curve.phi.forEach((p, i) => assert.ok(Math.abs(h.curve.dphi[i] - p * (1 - p)) < 1e-6, 'σ′ = σ(1 − σ)'));
  assert.match(await page.textContent('#phi .peak text'), /σ′ ≤ 1\/4/);
  // Large weights on 784 pixels: layer 1 is the most saturated, its z far beyond ±4.
  const flat = h.flat;
  assert.equal(flat.indexOf(Math.max(...flat)), 0);
  assert.ok(flat[0] > 0.3, `layer 1 flat ${flat[0]}`);
  assert.ok(h.quantities.preactivation.layers[0].stddev > 5, `z spread ${h.quantities.preactivation.layers[0].stddev}`);
  await until(async () => /Hidden layer 1 \(the most saturated\)/.test(await page.textContent('#phi-sentence')), 'the φ sentence');
  assert.ok(Math.abs(percent(await page.textContent('#phi-sentence')) - flat[0]) < 0.001);
  assert.ok(await page.locator('#phi rect.flat').count() >= 2, 'both tails shaded');
  assert.ok(await page.locator('#phi rect.zbar').count() > 10, 'the z histogram');
  // Another layer, chosen by the reader, stays chosen as training goes on.
  await page.selectOption('#phi-layer', '2');
  await until(async () => /^Hidden layer 3:/.test(await page.textContent('#phi-sentence')), 'layer 3 chosen');
  await page.evaluate(() => window.gradlab.step(20));
  await frames(page);
  assert.match(await page.textContent('#phi-sentence'), /^Hidden layer 3:/);
  await (await page.$('[data-view="phi"]')).screenshot({ path: join(OUT, 'phi-saturation.png') });
  // ReLU: its φ′ peaks at 1, the flat half is z < 0.
  await page.evaluate(() => window.gradlab.configure({ activation: 'relu', init: 'he_normal', biasInit: 'zeros' }));
  await until(async () => /φ′ ≤ 1 \(its peak\)/.test(await page.textContent('#phi .peak text')), 'ReLU’s peak');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Glorot’s histograms: one click switches standard and normalized init, the spreads measured, the other kept outlined', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=glorot`);
  const spreads = (h, key) => h.quantities[key].layers.map((l) => l.stddev);
  const standard = await page.evaluate(() => window.gradlab.histograms());
  assert.equal(standard.flat.length, 5);
  for (const key of ['activation', 'preactivation', 'delta', 'weightGrad']) {
    const q = standard.quantities[key];
    assert.equal(q.layers.length, 5, key);
    for (const l of q.layers) assert.ok(Math.abs(l.fraction.reduce((s, f) => s + f, 0) - 1) < 1e-9, `${key} sums to 1`);
  }
  const a0 = spreads(standard, 'activation'), d0 = spreads(standard, 'delta');
  // Standard init: the activations narrow going up and δ going down (Glorot & Bengio, figs. 6–7).
  assert.ok(a0.every((v, i) => i === 0 || v < a0[i - 1]), `activations ${a0}`);
  assert.ok(a0[4] / a0[0] < 0.2 && d0[0] / d0[4] < 0.2, `activations ${a0}, δ ${d0}`);
  assert.equal(await page.getAttribute('#glorot-standard', 'aria-pressed'), 'true');
  assert.equal(await page.locator('#histograms polygon.live').count(), 20);
  assert.equal(await page.locator('#histograms polyline.pinned').count(), 0);
  await (await page.$('[data-view="histograms"]')).screenshot({ path: join(OUT, 'glorot-standard.png') });

  await page.click('#glorot-normalized');
  await until(() => page.evaluate(() => window.gradlab.state().init === 'xavier_uniform'), 'the normalized init');
  assert.equal(await page.getAttribute('#glorot-normalized', 'aria-pressed'), 'true');
  const normalized = await page.evaluate(() => window.gradlab.histograms());
  const a1 = spreads(normalized, 'activation'), d1 = spreads(normalized, 'delta');
  assert.ok(a1[4] / a1[0] > 0.5 && d1[0] / d1[4] > 0.5, `activations ${a1}, δ ${d1}`);
  // The standard init's histograms stay, outlined, with their spreads in the sentence.
  await until(async () => (await page.locator('#histograms polyline.pinned').count()) === 20, 'the comparison outlined');
  assert.match(await page.textContent('#hist-sentence'), /Outlined, standard uniform at step 0: activations 0\.19/);
  await (await page.$('[data-view="histograms"]')).screenshot({ path: join(OUT, 'glorot-compare.png') });
  writeFileSync(join(OUT, 'glorot-spreads.json'), JSON.stringify({ standard: { activation: a0, delta: d0 },
    normalized: { activation: a1, delta: d1 } }, null, 1));
  console.log(`# Glorot, spread of the activations, layers 1–5: standard ${a0.map((v) => v.toFixed(3))}, normalized ${a1.map((v) => v.toFixed(3))}`);
  console.log(`# Glorot, spread of δ, layers 1–5: standard ${d0.map((v) => v.toExponential(2))}, normalized ${d1.map((v) => v.toExponential(2))}`);
  await page.click('#hist-clear');
  await until(async () => (await page.locator('#histograms polyline.pinned').count()) === 0, 'the comparison cleared');
  assert.equal(await page.isVisible('#hist-clear'), false);
  // Back to the standard init in one click, and it trains on.
  await page.click('#glorot-standard');
  await until(() => page.evaluate(() => window.gradlab.state().init === 'standard_uniform'), 'the standard init');
  await page.evaluate(() => window.gradlab.step(30));
  assert.equal((await page.evaluate(() => window.gradlab.histograms())).step, 30);
  assert.deepEqual(errors, []);
  await page.close();
});

test('both views in Chinese at 390 px, a preset leads to its view, and their PNGs', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#lang=zh&show=presets,bars,phi,histograms`, { width: 390, height: 844 });
  await page.click('button[data-preset="glorot"]');
  await until(() => page.evaluate(() => window.gradlab.state().preset === 'glorot'), 'the preset');
  // The preset scrolled its view into sight.
  await until(() => page.evaluate(() => {
    const r = document.querySelector('[data-view="histograms"]').getBoundingClientRect();
    return r.top >= -2 && r.top < innerHeight / 2;
  }), 'the histograms in view');
  await until(async () => /从隐藏层 1 到 5 的标准差/.test(await page.textContent('#hist-sentence')), 'the Chinese sentence');
  assert.match(await page.textContent('#histograms'), /激活值 φ\(z\)/);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(widths[0] <= widths[1], `no sideways scroll: ${widths}`);
  await page.screenshot({ path: join(OUT, 'mechanism-zh-390.png'), fullPage: true });
  for (const chart of ['phi', 'histograms']) {
    const download = page.waitForEvent('download');
    await page.click(`button.png[data-chart="${chart}"]`);
    const file = await download;
    assert.match(file.suggestedFilename(), new RegExp(`${chart}\\.png$`));
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the mechanism’s views from the offline file, and the histograms over postMessage from another origin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-offline-'));
  const file = join(dir, 'gradlab.html');
  copyFileSync(join(SITE, 'gradlab-offline.html'), file);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(/^(https?|wss?):/, (route) => route.abort());
  try {
    await page.goto(`file://${file}#preset=glorot&show=chain,neuron,phi,histograms`);
    await until(() => page.evaluate(() => window.gradlab?.stats() != null), 'the offline page');
    await until(async () => (await page.locator('#histograms polygon.live').count()) === 20, 'the histograms, offline');
    assert.ok(await page.locator('#phi polyline.dphi').count() === 1, 'φ′ offline');
    // The mechanism's other two views: a gain between each pair of the 5 layers, and the four neurons.
    assert.equal(await page.locator('#chain rect.bar').count(), 4);
    await page.click('#neuron-exploding');
    assert.match(await page.textContent('#neuron-sentence'), /larger than the last one’s/);
    const h = await page.evaluate(() => window.gradlab.histograms());
    assert.equal(h.quantities.activation.layers.length, 5);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // A course page on origin A asks an embedded simulator on origin B.
  const course = await context.newPage();
  await course.goto(`${a.url}embed.html?site=${encodeURIComponent(b.url)}`);
  await until(() => course.evaluate(() => Boolean(window.demo)), 'the course page');
  await course.evaluate(() => window.demo.ready);
  const h = await until(() => course.evaluate(() => window.demo.clients.left.histograms().catch(() => null)), 'histograms over postMessage');
  assert.equal(h.quantities.delta.layers.length, 10);
  assert.ok(h.curve.dphi.every((d) => d <= 0.25), 'sigmoid’s σ′ ≤ 1/4');
  await course.close();
});

test('mean-field theory over the measurement, and the phase diagram whose dot sets σ_w and σ_b', async () => {
  // A wide tanh network in the ordered phase, at initialization.
  const { page, errors } = await openPage(context,
    `${a.lab}#dataset=spiral&depth=20&width=256&activation=tanh&init=scaled_normal&sigmaW=1.2&biasInit=scaled_normal&sigmaB=0.3&show=theory,phase`);
  const t = await page.evaluate(() => window.gradlab.theory());
  assert.equal(t.sigmaW2, 1.44);
  assert.ok(Math.abs(t.sigmaB2 - 0.09) < 1e-12);
  assert.ok(t.chi1 > 0.8 && t.chi1 < 0.95, `χ₁ ${t.chi1}`);
  // The measured size per layer over the middle layers, against √χ₁ (the core's test: within 3 %, three seeds).
  assert.ok(Math.abs(t.measuredPerLayer / Math.sqrt(t.chi1) - 1) < 0.05, `measured ${t.measuredPerLayer}, predicted ${Math.sqrt(t.chi1)}`);
  assert.equal(t.predicted.length, 20);
  assert.ok(Math.abs(t.predicted[19] - t.measured[19]) < 1e-12, 'anchored at the last hidden layer');
  // The critical line: tanh's σ_w² = 1 at σ_b² = 0, rising with σ_b²; He at 2, Xavier and LeCun at 1.
  assert.ok(Math.abs(t.criticalLine.criticalSigmaW2[0] - 1) < 2e-3);
  assert.deepEqual(t.marks, { he_normal: 2, xavier_normal: 1, lecun_normal: 1 });
  await until(async () => /ordered\. Going back, each layer multiplies the gradient by √χ₁ = 0\.9\d+/.test(await page.textContent('#theory-sentence')), 'the theory sentence');
  assert.equal(await page.locator('#theory circle.measured').count(), 20);
  assert.match(await page.textContent('#theory-caveats'), /Two input coordinates/);
  await (await page.$('[data-view="theory"]')).screenshot({ path: join(OUT, 'theory-tanh.png') });
  // Click in the chaotic region (right, low): the network is rebuilt there, and both views follow.
  const box = await (await page.$('#phase-diagram')).boundingBox();
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.75);
  await until(() => page.evaluate(() => window.gradlab.state().sigmaW > 1.6), 'the dot’s σ_w');
  const s = await page.evaluate(() => window.gradlab.state());
  assert.equal(s.init, 'scaled_normal');
  assert.equal(s.biasInit, 'scaled_normal');
  await until(async () => /chaotic phase/.test(await page.textContent('#phase-sentence')), 'the chaotic phase');
  await until(async () => /χ₁ = [\d.]+ > 1, chaotic/.test(await page.textContent('#theory-sentence')), 'the chaotic theory');
  // The arrow keys move the dot.
  const before = await page.evaluate(() => window.gradlab.state().sigmaW ** 2);
  await page.focus('#phase-diagram');
  await page.keyboard.press('ArrowLeft');
  await until(async () => Math.abs((await page.evaluate(() => window.gradlab.state().sigmaW ** 2)) - (before - 0.1)) < 1e-3, 'σ_w² − 0.1');
  await (await page.$('[data-view="phase"]')).screenshot({ path: join(OUT, 'phase-tanh.png') });
  // ReLU: critical at σ_w² = 2 whatever σ_b².
  await page.evaluate(() => window.gradlab.configure({ activation: 'relu' }));
  const r = await page.evaluate(() => window.gradlab.theory());
  assert.ok(r.criticalLine.criticalSigmaW2.every((c) => Math.abs(c - 2) < 2e-4), r.criticalLine.criticalSigmaW2.join(','));  // the line's precision: 1e-4
  assert.deepEqual(errors, []);
  await page.close();
});

test('a locked page offers none of the new settings: the Glorot buttons, the phase dot, the comparison', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=glorot&lock=1&show=histograms,phase,ab`);
  await until(async () => (await page.locator('#histograms polygon.live').count()) > 0, 'the histograms');
  assert.equal(await page.isDisabled('#glorot-normalized'), true);
  assert.equal(await page.isDisabled('button[data-comparison="relu-he"]'), true);
  assert.equal(await page.isDisabled('#ab-changes'), true);
  const before = await page.evaluate(() => window.gradlab.state());
  const box = await (await page.$('#phase-diagram')).boundingBox();
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.5);
  await page.focus('#phase-diagram');
  await page.keyboard.press('ArrowRight');
  await new Promise((r) => setTimeout(r, 500));
  const after = await page.evaluate(() => window.gradlab.state());
  assert.deepEqual([after.init, after.sigmaW, after.b], [before.init, before.sigmaW, before.b]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the depth sweep: background workers, one row per depth, the page’s settings, from the button and the API', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#dataset=spiral&activation=sigmoid&show=sweep,bars`);
  // From the button: 1 to 3 hidden layers, 200 steps each.
  await page.selectOption('#sweep-to', '3');
  await page.selectOption('#sweep-steps', '200');
  await page.click('#sweep-run');
  await until(async () => (await page.locator('#sweep-table tr').count()) === 4, 'three rows and a header');
  assert.equal(await page.locator('#sweep-progress progress').count(), 3);
  assert.ok((await page.$$eval('#sweep-progress progress', (bars) => bars.map((b) => b.value))).every((v) => v === 1));
  assert.match(await page.textContent('#sweep-sentence'), /After 200 training steps each on the same data and seed, the best test accuracy is [\d.]+%/);
  // The API: the same rows for the same settings, whatever the workers' order.
  const rows = await page.evaluate(() => window.gradlab.sweepDepth({ from: 1, to: 3, steps: 200 }));
  assert.deepEqual(rows.map((r) => r.depth), [1, 2, 3]);
  assert.ok(rows.every((r) => r.steps === 200 && r.testAccuracy >= 0 && r.testAccuracy <= 1));
  // Sigmoid: the deeper, the slower hidden layer 1 starts; each row is the network the page would build at that depth.
  assert.ok(rows[0].speedFirstInit > rows[1].speedFirstInit && rows[1].speedFirstInit > rows[2].speedFirstInit);
  await page.evaluate(() => window.gradlab.configure({ depth: 2 }));
  const two = await page.evaluate(() => window.gradlab.stats());
  assert.equal(two.layers[0].speed, rows[1].speedFirstInit);
  // Stopping ends the workers and keeps the rows done.
  const stopped = page.evaluate(() => window.gradlab.sweepDepth({ from: 1, to: 8, steps: 20000 }));
  await until(async () => page.isVisible('#sweep-stop'), 'the Stop button');
  await page.click('#sweep-stop');
  const partial = await stopped;
  assert.ok(partial.length < 8, `stopped after ${partial.length} depths`);
  assert.equal(await page.isVisible('#sweep-stop'), false);
  await (await page.$('[data-view="sweep"]')).screenshot({ path: join(OUT, 'sweep-spiral.png') });
  assert.rejects(page.evaluate(() => window.gradlab.sweepDepth({ from: 3, to: 2 })), /sweepDepth: need whole numbers/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('A/B: B trains beside A in its own worker on the same data and seed; one link holds both', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=deep-sigmoid&b=activation:relu,init:he_normal,biasInit:zeros&show=ab,bars`);
  await until(async () => /B is A with activation:relu/.test(await page.textContent('#ab-sentence')), 'B started');
  await page.evaluate(() => window.gradlab.step(100));
  const r = await until(async () => {
    const v = await page.evaluate(() => window.gradlab.ab());
    return v.b && v.b.step === 100 ? v : null;
  }, 'B at step 100 too');
  assert.equal(r.changes, 'activation:relu,init:he_normal,biasInit:zeros');
  assert.equal(r.a.step, 100);
  const spread = (s) => s.layers.at(-1).speed / s.layers[0].speed;
  assert.ok(spread(r.a) > 1e4 && spread(r.b) < 100, `A ${spread(r.a)}, B ${spread(r.b)}`);
  // B is A with the changes: the same network A would be with them (the same data and seed).
  await page.evaluate(() => window.gradlab.pause());
  assert.equal(await page.locator('#ab-bars rect.ghost').count(), 10, 'B as outlines over A’s bars');
  assert.match(page.url(), /b=activation%3Arelu%2Cinit%3Ahe_normal%2CbiasInit%3Azeros/);
  // Another comparison from its button: both start afresh, together.
  await page.click('button[data-comparison="batch-norm"]');
  await until(async () => {
    const v = await page.evaluate(() => window.gradlab.ab());
    return v.changes === 'batchNorm:1' && v.a.step === 0 && v.b?.step === 0;
  }, 'the batch-norm comparison from step 0');
  await (await page.$('[data-view="ab"]')).screenshot({ path: join(OUT, 'ab-deep-sigmoid.png') });
  // Typed into the box, a bad comparison is said and changes nothing; a good one is tidied.
  await page.fill('#ab-changes', 'activation:rellu');
  await page.press('#ab-changes', 'Enter');
  await page.locator('#ab-changes').blur();
  await until(async () => /rellu/.test(await page.textContent('#notices')), 'the notice about the typed comparison');
  assert.equal((await page.evaluate(() => window.gradlab.ab())).changes, 'batchNorm:1');
  // Started while A plays, B plays too.
  await page.evaluate(() => window.gradlab.play());
  await page.click('button[data-comparison="residual"]');
  await until(async () => {
    const v = await page.evaluate(() => window.gradlab.ab());
    return v.changes === 'residual:1' && v.b?.playing && v.b.step > 20;
  }, 'B playing beside A');
  await page.evaluate(() => window.gradlab.pause());
  await until(async () => !(await page.evaluate(() => window.gradlab.ab())).b.playing, 'B paused with A');
  // A bad comparison is refused with a notice; stopping ends B.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ b: 'depth:99' })), /depth\): 99 is outside 1–40/);
  await page.click('#ab-stop');
  await until(async () => (await page.evaluate(() => window.gradlab.ab())).b === null, 'B stopped');
  await until(async () => /^Pick a comparison/.test(await page.textContent('#ab-sentence')), 'the view back to its invitation');
  assert.doesNotMatch(page.url(), /[&#]b=/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('A/B: a B that diverges is said to have stopped, and A trains on', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=clipping&b=clipNorm:0&show=ab`);
  await until(() => page.evaluate(async () => (await window.gradlab.ab()).b !== null), 'B');
  await page.evaluate(() => window.gradlab.step(20));
  await until(async () => /B diverged at step \d+/.test(await page.textContent('#ab-sentence')), 'the sentence says B stopped');
  const ab = await page.evaluate(() => window.gradlab.ab());
  assert.equal(ab.b.diverged, true);
  assert.equal(ab.a.diverged, false, 'clipped, A stays finite');
  assert.equal(ab.a.step, 20);
  assert.match(await page.textContent('#ab-sentence'), new RegExp(`B diverged at step ${ab.b.divergence.step} `));
  assert.deepEqual(errors, []);
  await page.close();
});

test('A/B: Play pressed before B is ready trains B too, from the same start', async () => {
  const { page, errors } = await openPage(context, `${a.lab}#preset=batch-norm&b=batchNorm:0&show=ab`);
  await page.click('#play');   // at once: B's worker is still starting
  await until(async () => {
    const ab = await page.evaluate(() => window.gradlab.ab());
    return ab.b && ab.b.step > 20 && ab.a.step > 20;
  }, 'both to train', 30000);
  await page.evaluate(() => window.gradlab.pause());
  const ab = await page.evaluate(() => window.gradlab.ab());
  assert.ok(Math.abs(ab.a.step - ab.b.step) < 200, `A at ${ab.a.step}, B at ${ab.b.step}: in step`);
  assert.deepEqual(errors, []);
  await page.close();
});
