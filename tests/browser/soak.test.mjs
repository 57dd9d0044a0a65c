// The soak's short version (bench/hardening.mjs runs ten minutes): a minute of
// the deep-sigmoid and relu-he presets at full pace, settings changed every 3 s
// (tests/browser/soak.mjs). Memory in one configuration at the start and the
// end must be flat: the core holds what it held (± 1 MiB), the wasm heap has not
// grown since every change was first made, the networks alive are as many, and
// the JS heaps of the page and of the worker are within 2 MiB. The frame
// intervals and the training rate are written to test-output/soak.json, not
// asserted (timing is the benchmark's).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, launch, openPage, startServer } from './browser.mjs';
import { soak } from './soak.mjs';

const SECONDS = Number(process.env.GRADLAB_SOAK_SECONDS ?? 60);
const MiB = 1 << 20;
let context, server;

before(async () => {
  server = await startServer();
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.server.close();
});

test(`a ${SECONDS}-second soak with a change every 3 s keeps memory flat`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const { page, errors } = await openPage(context, `${server.url}#pace=full`);
  const r = await soak(page, context, { durationMs: SECONDS * 1000, everyMs: 3000 });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'soak.json'), JSON.stringify(r, null, 2));
  await page.screenshot({ path: join(OUT, 'soak-end.png') });
  console.log(`soak: ${JSON.stringify(r)}`);
  assert.deepEqual(errors, []);
  assert.ok(r.changes >= 10, `every change made at least once (${r.changes})`);
  assert.ok(r.stepsPerSecond > 0, 'it trained');
  assert.equal(r.end.sessions, r.start.sessions, 'networks alive');
  assert.ok(r.end.inUseBytes <= r.start.inUseBytes + MiB, `the core's bytes: ${r.start.inUseBytes} → ${r.end.inUseBytes}`);
  assert.ok(r.end.heapBytes <= r.afterCycle, `the wasm heap after the first cycle ${r.afterCycle}, at the end ${r.end.heapBytes}`);
  assert.ok(r.end.workerBytes <= r.start.workerBytes + 2 * MiB, `the worker's JS heap: ${r.start.workerBytes} → ${r.end.workerBytes}`);
  assert.ok(r.end.pageBytes <= r.start.pageBytes + 2 * MiB, `the page's JS heap: ${r.start.pageBytes} → ${r.end.pageBytes}`);
  // Still a page: the bars are drawn and the run goes on.
  const before = await page.evaluate(() => window.gradlab.stats().step);
  const after = await page.evaluate(() => window.gradlab.step(5).then((s) => s.step));
  assert.equal(after, before + 5);
  await page.close();
});
