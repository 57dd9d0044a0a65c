// The soak's short version (bench/hardening.mjs runs ten minutes): a minute of
// the deep-sigmoid and relu-he presets at full pace, settings changed every few
// seconds (tests/browser/soak.mjs), then soakProblems(): memory flat in one
// configuration at the start and the end, no notice left over. The frame
// intervals and the training rate are written to test-output/soak.json, not
// asserted (timing is the benchmark's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, openPage, useBrowser } from './browser.mjs';
import { EVERY_MS, soak, soakProblems } from './soak.mjs';

const SECONDS = Number(process.env.GRADLAB_SOAK_SECONDS ?? 60);
if (!(SECONDS >= 40)) throw new Error(`GRADLAB_SOAK_SECONDS must be a number of seconds ≥ 40 (one cycle of changes), not '${process.env.GRADLAB_SOAK_SECONDS}'`);
const browser = useBrowser();

test(`a ${SECONDS}-second soak with a change every ${EVERY_MS / 1000} s keeps memory flat`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const { page, errors } = await openPage(browser.context, `${browser.server.lab}#pace=full`);
  const r = await soak(page, browser.context, { durationMs: SECONDS * 1000 });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'soak.json'), JSON.stringify(r, null, 2));
  await page.screenshot({ path: join(OUT, 'soak-end.png') });
  console.log(`soak: ${JSON.stringify(r)}`);
  assert.deepEqual(errors, []);
  assert.deepEqual(soakProblems(r), []);
  assert.ok(r.stepsPerSecond > 0, 'it trained');
  // Still a page: the bars are drawn and the run goes on.
  const before = await page.evaluate(() => window.gradlab.stats().step);
  const after = await page.evaluate(() => window.gradlab.step(5).then((s) => s.step));
  assert.equal(after, before + 5);
  await page.close();
});
