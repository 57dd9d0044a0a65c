// The recurrent mode (issue 13) in a real browser: the model switched from the
// controls, the RNN and the LSTM side by side through time, an LSTM that learns
// the 50-step task where the RNN does not, a diverging cell, 简体中文 at 390 px,
// the offline file from file:// and a cross-origin iframe. Screenshots go to
// test-output/ (look at them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, SITE, frames, launch, openPage, startServer, until } from './browser.mjs';

let context, server;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer();
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.server.close();
});

const ratio = (cell) => cell.gradThroughTime[0] / cell.gradThroughTime.at(-1);
const visible = (page, selector) => page.locator(selector).isVisible();

test('the model control switches to a recurrent mode and back: its settings, defaults, views and link follow', async () => {
  const { page, errors } = await openPage(context, `${server.lab}#dataset=circle&depth=2`);
  assert.ok(await visible(page, '#speed-bars'));
  assert.equal(await visible(page, '#time-bars-0'), false, 'no time view under the MLP');
  await page.selectOption('#model', 'lstm');
  await until(async () => (await page.evaluate(() => window.gradlab.stats()))?.model === 'lstm', 'the LSTM');
  await frames(page);
  // Its own settings and training defaults; the MLP's hidden.
  for (const key of ['seqLen', 'hidden', 'recurrentScale', 'forgetBias', 'task', 'symbols']) assert.ok(await visible(page, `#${key}`), key);
  for (const key of ['depth', 'width', 'activation', 'dataset', 'batchNorm']) assert.equal(await visible(page, `#${key}`), false, key);
  const state = await page.evaluate(() => window.gradlab.state());
  const table = await page.evaluate(() => window.gradlab.settings());
  for (const s of table.filter((x) => 'recurrentDefault' in x)) assert.equal(state[s.key], s.recurrentDefault, s.key);
  assert.equal(await page.inputValue('#optimizer'), 'adam');
  assert.match(page.url(), /model=lstm/);
  // The views: the gradient through time of both cells, the MLP's hidden.
  assert.ok(await visible(page, '#time-bars-0'));
  assert.equal(await visible(page, '#speed-bars'), false);
  assert.equal(await visible(page, '[data-view="chain"]'), false);
  assert.equal(await page.locator('#time-bars-0 rect.time-bar').count(), 50);
  assert.equal(await page.locator('#time-bars-1 rect.time-bar').count(), 50);
  assert.match(await page.textContent('#time-caption-0'), /^LSTM: .*your model/);
  assert.match(await page.textContent('#time-caption-1'), /^RNN/);
  assert.match(await page.textContent('#time-sentence-1'), /RNN: the gradient reaching step 1 is .*× smaller than at step 50\. Test accuracy/);
  assert.match(await page.textContent('#hero-title'), /through time/);
  // The length slider redraws; Step trains both.
  await page.evaluate(() => window.gradlab.configure({ seqLen: 12 }));
  await frames(page);
  assert.equal(await page.locator('#time-bars-0 rect.time-bar').count(), 12);
  const s = await page.evaluate(() => window.gradlab.step(25));
  assert.equal(s.step, 25);
  assert.deepEqual(s.cells.map((c) => c.steps), [25, 25]);
  await frames(page);
  assert.match(await page.textContent('#status'), /^step 25/);
  // Back to the MLP: its settings as they were, its views.
  await page.selectOption('#model', 'mlp');
  await until(async () => (await page.evaluate(() => window.gradlab.stats()))?.layers?.length === 2, 'the MLP again');
  await frames(page);
  const mlp = await page.evaluate(() => window.gradlab.state());
  assert.equal(mlp.dataset, 'circle');
  assert.equal(mlp.optimizer, 'sgd', 'the MLP’s default again');
  assert.ok(await visible(page, '#speed-bars'));
  assert.equal(await visible(page, '#time-bars-0'), false);
  assert.match(await page.textContent('#hero-title'), /hidden layer/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long MLP run cut short by a switch to a recurrent model leaves no MLP snapshot behind', async () => {
  const { page, errors } = await openPage(context, `${server.lab}#dataset=circle&depth=3`);
  // A long step(n) in slices; the switch arrives between two of them.
  const long = page.evaluate(() => window.gradlab.step(200000).then((s) => s.model ?? 'mlp', (e) => e.message));
  await until(async () => (await page.evaluate(() => window.gradlab.stats().step)) > 0, 'the MLP training');
  await page.evaluate(() => window.gradlab.configure({ model: 'lstm', seqLen: 8 }));
  await long;
  await frames(page);
  const s = await page.evaluate(() => window.gradlab.stats());
  assert.equal(s.model, 'lstm', 'the page shows the LSTM, not the MLP reply that came after');
  assert.ok(await visible(page, '#time-bars-0'));
  assert.equal((await page.evaluate(() => window.gradlab.step(3))).step, 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('at T = 50 the LSTM learns the first symbol and the RNN stays at chance; the page shows why', async () => {
  const { page, errors } = await openPage(context, `${server.lab}#preset=lstm-long&pace=full`);
  const start = await page.evaluate(() => window.gradlab.stats());
  assert.deepEqual(start.cells.map((c) => c.cell), ['lstm', 'rnn']);
  assert.ok(ratio(start.cells[0]) / ratio(start.cells[1]) > 1e9, 'orders of magnitude apart at initialization');
  await page.click('#play');
  await until(async () => (await page.evaluate(() => window.gradlab.stats().step)) >= 600, '600 steps', 60000);
  await page.click('#play');
  await until(async () => !(await page.evaluate(() => window.gradlab.stats().playing)), 'Pause');
  const s = await page.evaluate(() => window.gradlab.step(1));  // a fresh test evaluation
  const [lstm, rnn] = s.cells;
  console.log(`# T = 50 after ${s.step} steps: LSTM test accuracy ${lstm.testAccuracy}, RNN ${rnn.testAccuracy}`);
  assert.ok(lstm.testAccuracy >= 0.8, `the LSTM learns: ${lstm.testAccuracy}`);
  assert.ok(rnn.testAccuracy < 0.25, `the RNN stays near chance (1/8): ${rnn.testAccuracy}`);
  await frames(page);
  assert.match(await page.textContent('#time-sentence-0'), /Test accuracy (8\d|9\d|100)\.\d% \(chance 12\.5%\)/);
  assert.match(await page.textContent('#time-note'), /σ\(3\).*0\.09\d/);
  await page.screenshot({ path: join(OUT, 'recurrent-lstm-trained.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a cell that diverges says so and stops; the other trains on; the MLP-only API calls say why they refuse', async () => {
  const { page, errors } = await openPage(context, `${server.lab}#model=rnn&task=adding&seqLen=40&hidden=16&trainSequences=64&testSequences=16&recurrentScale=4&optimizer=sgd&learningRate=0.5&clipNorm=0`);
  const s = await page.evaluate(() => window.gradlab.step(60));
  assert.equal(s.step, 60, 'the LSTM trains on');
  assert.equal(s.cells[1].diverged, false);
  assert.equal(s.cells[0].diverged, true, 'the exploding RNN');
  assert.ok(s.cells[0].steps < s.step, 'stopped where it diverged');
  await frames(page);
  assert.match(await page.textContent('#time-sentence-0'), /RNN diverged at step \d+ \(an update would have made a weight NaN or infinite\)/);
  assert.match(await page.textContent('#time-sentence-0'), /within 0\.04 of the sum/);
  await assert.rejects(page.evaluate(() => window.gradlab.theory()), /measures the layers of the feed-forward network|measures the MLP/);
  await assert.rejects(page.evaluate(() => window.gradlab.sweepDepth({ from: 1, to: 2, steps: 5 })), /trains the MLP/);
  // A length over the memory budget is refused with a notice; the page keeps what it had.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ seqLen: 200, hidden: 256, trainSequences: 16384 })));
  assert.match(await page.textContent('#notices'), /MB, more than the 256 MB allowed/);
  assert.equal((await page.evaluate(() => window.gradlab.state())).seqLen, 40);
  assert.equal((await page.evaluate(() => window.gradlab.step(2))).step, s.step + 2, 'the page still trains');
  // Back to an MLP the core refuses (more training digits than the split has): the page stays recurrent.
  await assert.rejects(page.evaluate(() => window.gradlab.configure({ model: 'mlp', dataset: 'mnist', trainSize: 20000 })));
  assert.equal((await page.evaluate(() => window.gradlab.state())).model, 'rnn');
  const again = await page.evaluate(() => window.gradlab.step(1));
  assert.equal(again.model, 'rnn', 'Step still trains the recurrent networks');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});

test('简体中文 at 390 px: the recurrent mode in Chinese, no English sentence', async () => {
  const { page, errors } = await openPage(context, `${server.lab}#preset=rnn-long&lang=zh`, { width: 390, height: 844 });
  await page.evaluate(() => window.gradlab.step(5));
  await frames(page);
  for (const id of ['time-caption-0', 'time-sentence-0', 'time-sentence-1', 'time-note', 'preset-caption', 'hero-title', 'time-chart-title']) {
    const text = await page.textContent(`#${id}`);
    assert.match(text, /[\u4e00-\u9fff]/, `${id}: ${text}`);
    assert.doesNotMatch(text.replace(/RNN|LSTM|T = \d+|σ\(\d\)|c_t|f ⊙ c_\{t−1\}|i ⊙ g|‖∂L\/∂h_t‖|Bengio|Simard|Frasconi|Pascanu|Adam|SGD|η/g, ''), /[A-Za-z]{4,}/, `${id}: ${text}`);
  }
  assert.match(await page.textContent('#time-sentence-0'), /^RNN：传到第 1 步的梯度比第 50 步小 .* 倍。/);
  assert.equal(await page.textContent('label[for="seqLen"]'), '序列长度 T');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling: ${width}px`);
  await page.screenshot({ path: join(OUT, 'recurrent-zh-390.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded in a cross-origin iframe, and offline from file://, the recurrent mode runs', async () => {
  // The examples course page on http://127.0.0.1:…, its simulators from http://localhost:… (another
  // origin), driven over postMessage by gradlab-embed.js: the left one switched to an RNN.
  const other = await startServer();
  const sim = server.url.replace('127.0.0.1', 'localhost');
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${other.url}embed.html?site=${encodeURIComponent(sim)}`);
  await until(() => page.evaluate(() => Boolean(window.demo)), 'the course page script');
  await page.evaluate(() => window.demo.ready);
  await page.evaluate(() => window.demo.clients.left.preset('rnn-short'));
  const s = await page.evaluate(() => window.demo.clients.left.step(500));
  assert.equal(s.model, 'rnn');
  assert.ok(s.cells[0].testAccuracy > 0.9, `the RNN learns at T = 10: ${s.cells[0].testAccuracy}`);
  await until(async () => /: step 500 · RNN: the gradient reaching step 1 is/.test(await page.textContent('#left-reading')), 'the reading');
  const frame = await (await page.$('#left')).contentFrame();
  assert.ok(await frame.locator('#time-bars-0').isVisible(), 'show=bars shows the time view under a recurrent model');
  assert.equal(await frame.locator('#speed-bars').isVisible(), false);
  await frames(frame);
  await page.screenshot({ path: join(OUT, 'recurrent-iframe.png') });
  assert.deepEqual(pageErrors, []);
  await page.close();
  other.server.close();
  // The offline file: the same mode with no server at all.
  const offline = await context.newPage();
  await offline.route(/^(https?|wss?):/, (route) => route.abort());
  const errors = [];
  offline.on('pageerror', (e) => errors.push(e.message));
  await offline.goto(`file://${join(SITE, 'gradlab-offline.html')}#preset=lstm-long`);
  await until(() => offline.evaluate(() => window.gradlab?.stats()?.model === 'lstm'), 'the offline LSTM');
  assert.equal((await offline.evaluate(() => window.gradlab.step(10))).step, 10);
  await frames(offline);
  assert.equal(await offline.locator('#time-bars-0 rect.time-bar').count(), 50);
  await offline.screenshot({ path: join(OUT, 'recurrent-offline.png') });
  assert.deepEqual(errors, []);
  await offline.close();
});
