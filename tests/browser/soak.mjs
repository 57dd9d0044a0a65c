// The soak: a reader on a projector for a whole lecture. The deep-sigmoid and
// relu-he presets train at full pace while their settings change every few
// seconds (width, depth, activation, batch norm, η, the views shown, the
// language), in a fixed cycle. Memory is measured in one configuration at the
// start and again at the end, after a garbage collection: the wasm module's heap
// and the bytes the core holds (gradlab.memory()), and the JS heaps of the page
// and of its workers (Chromium's DevTools protocol, Runtime.getHeapUsage). The
// frame intervals and the training rate are recorded, to be reported.
//
// Used by tests/browser/soak.test.mjs (a minute) and bench/hardening.mjs (ten).

/** The changes a reader makes, in turn; each is a preset id or a configure() argument. */
export const CYCLE = [
  'relu-he',
  { width: 60 },
  { show: 'presets,bars,histograms,theory,table' },
  { lang: 'zh' },
  { activation: 'tanh', init: 'xavier_normal' },
  'deep-sigmoid',
  { batchNorm: true },
  { show: '', lang: 'en' },
  { learningRate: 0.3 },
  { depth: 20 },
];

/** How often the reader changes something. */
export const EVERY_MS = 3000;

/** Where every soak starts and ends: the deep-sigmoid preset, every view, in English. */
const HOME = 'deep-sigmoid';
const HOME_PAGE_KEYS = { show: '', lang: 'en' };
/** How long HOME trains before memory is measured. */
export const HOME_TRAIN_MS = 3000;

// The JS heaps of the page and of every worker it has, after a collection.
async function jsHeaps(page, context) {
  const cdp = await context.newCDPSession(page);
  try {
    const workers = [];
    const replies = new Map();
    let nextId = 1;
    cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') workers.push(e.sessionId); });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message);
      const reply = replies.get(m.id);
      if (!reply) return;
      replies.delete(m.id);
      if (m.error) reply.reject(new Error(`DevTools: ${m.error.message}`));
      else reply.resolve(m.result);
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    // Every worker the page has (playwright's count) reports its attach.
    const expected = page.workers().length;
    for (const end = Date.now() + 10000; workers.length < expected;) {
      if (Date.now() > end) throw new Error(`DevTools attached ${workers.length} of the page's ${expected} workers`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ask = (sessionId, method) => new Promise((resolve, reject) => {
      const id = nextId++;
      replies.set(id, { resolve, reject });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
      setTimeout(() => { if (replies.delete(id)) reject(new Error(`DevTools: no reply to ${method}`)); }, 10000);
    });
    let workerBytes = 0;
    for (const s of workers) {
      await ask(s, 'HeapProfiler.collectGarbage');
      workerBytes += (await ask(s, 'Runtime.getHeapUsage')).usedSize;
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const pageBytes = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    return { pageBytes, workerBytes, workers: workers.length };
  } finally {
    await cdp.detach();
  }
}

async function apply(page, change) {
  await page.evaluate(async (c) => {
    if (typeof c === 'string') await window.gradlab.preset(c);
    else await window.gradlab.configure(c);
    await window.gradlab.play();
  }, change);
}

// The same configuration at the start and at the end: HOME, trained for a few
// seconds, then paused and measured.
async function measureAtHome(page, context) {
  await apply(page, HOME_PAGE_KEYS);
  await apply(page, HOME);
  await page.waitForTimeout(HOME_TRAIN_MS);
  await page.evaluate(() => window.gradlab.pause());
  const wasm = await page.evaluate(() => window.gradlab.memory());
  const js = await jsHeaps(page, context);
  return { ...wasm, ...js };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];

/**
 * Soaks the page open in `page` (loaded at full pace) for `durationMs`, with a
 * change every `everyMs`. Returns {start, afterCycle, end} memory (afterCycle:
 * the wasm heap once every change has been made once), the frame intervals
 * {median, p95, max, frames, perSecond}, the training rate, the changes made
 * and the notices shown at the end.
 */
export async function soak(page, context, { durationMs, everyMs = EVERY_MS }) {
  const start = await measureAtHome(page, context);
  await page.evaluate(() => {
    // Frames and training, recorded in the page.
    const r = { frames: [], steps: 0, lastStep: null, recording: true };
    window.__soak = r;
    let last = null;
    const tick = (t) => {
      if (last !== null) r.frames.push(t - last);
      last = t;
      if (r.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    r.off = window.gradlab.on('stats', (s) => {
      if (r.lastStep !== null) r.steps += s.step >= r.lastStep ? s.step - r.lastStep : s.step;  // a rebuild starts at 0
      r.lastStep = s.step;
    });
  });
  await page.evaluate(() => window.gradlab.play());
  const t0 = Date.now();
  let changes = 0;
  let afterCycle = null;
  while (Date.now() - t0 < durationMs) {
    await page.waitForTimeout(Math.min(everyMs, Math.max(0, durationMs - (Date.now() - t0))));
    if (Date.now() - t0 >= durationMs) break;
    await apply(page, CYCLE[changes % CYCLE.length]);
    changes++;
    if (changes === CYCLE.length) afterCycle = (await page.evaluate(() => window.gradlab.memory())).heapBytes;
  }
  const seconds = (Date.now() - t0) / 1000;
  const recorded = await page.evaluate(() => {
    const r = window.__soak;
    r.recording = false;
    r.off();
    return { frames: r.frames, steps: r.steps };
  });
  const end = await measureAtHome(page, context);
  // What the reader sees at the end: the notices still up (none is stale: HOME trains without diverging).
  const notices = await page.evaluate(() => [...document.querySelectorAll('.notice')].map((n) => n.textContent));
  const frames = recorded.frames.sort((a, b) => a - b);
  return {
    seconds: +seconds.toFixed(1),
    everyMs,
    changes,
    start,
    afterCycle,
    end,
    frameIntervalMs: {
      median: +quantile(frames, 0.5).toFixed(1),
      p95: +quantile(frames, 0.95).toFixed(1),
      max: +frames[frames.length - 1].toFixed(1),
      frames: frames.length,
      perSecond: +(frames.length / seconds).toFixed(1),
    },
    stepsPerSecond: Math.round(recorded.steps / seconds),
    notices,
  };
}

const MiB = 2 ** 20;

/**
 * The soak's verdict, one list for the test and the benchmark: what is wrong
 * with result `r` of soak() (empty: memory held flat and the page is as it was).
 * (A result recorded before soak() kept the notices has none to check.)
 */
export function soakProblems(r) {
  const problems = [];
  const check = (ok, what) => { if (!ok) problems.push(what); };
  check(r.afterCycle !== null, `the cycle of ${CYCLE.length} changes was not completed (${r.changes} changes made)`);
  check(r.start.workers >= 1 && r.end.workers === r.start.workers, `workers measured: ${r.start.workers} at the start, ${r.end.workers} at the end`);
  check(r.end.sessions === r.start.sessions, `networks alive: ${r.start.sessions} → ${r.end.sessions}`);
  check(r.end.inUseBytes <= r.start.inUseBytes + MiB, `the core's bytes: ${r.start.inUseBytes} → ${r.end.inUseBytes} (more than 1 MiB up)`);
  check(r.end.heapBytes <= r.afterCycle, `the wasm heap grew after the first cycle: ${r.afterCycle} → ${r.end.heapBytes}`);
  check(r.end.workerBytes <= r.start.workerBytes + 2 * MiB, `the worker's JS heap: ${r.start.workerBytes} → ${r.end.workerBytes} (more than 2 MiB up)`);
  check(r.end.pageBytes <= r.start.pageBytes + 2 * MiB, `the page's JS heap: ${r.start.pageBytes} → ${r.end.pageBytes} (more than 2 MiB up)`);
  if (r.notices) check(r.notices.length === 0, `notices left over at the end (the last configuration trains): ${r.notices.join(' | ')}`);
  return problems;
}
