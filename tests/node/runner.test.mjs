// The worker's run loop (www/runner.js) with a fake session and a fake clock:
// training keeps at least 1/(1 + VIEW_SHARE) of the time whatever the views cost,
// runs stop between slices, an exception comes out of run() and leaves the
// runner usable, and step(n) takes exactly n steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CREDIT_MS, Runner, VIEW_SHARE } from '../../www/runner.js';
import { clippingBound as bound, remedyNotes as notesOf, viewNotes as viewsOf } from '../../www/notes.js';
import { makeI18n } from '../../www/i18n.js';

const en = makeI18n('en');
const clippingBound = (o, m, i18n = en) => bound(o, m, i18n);
const remedyNotes = (s, snap, i18n = en) => notesOf(s, snap, i18n);
const viewNotes = (snap, i18n = en) => viewsOf(snap, i18n);

/** A session whose steps cost `stepMs` and whose views cost what `viewMs` says, on a fake clock. */
function fake({ stepMs = 1, viewMs = { probe: 5, test: 5, view: 5, snapshot: 0.1 }, failAt = Infinity, yieldMs = 0,
  probeEverySteps = null } = {}) {
  const clock = { t: 0 };
  const fail = { at: failAt };
  let nextProbe = 1;  // the worker's early probes: at geometrically spaced steps
  const counts = { steps: 0, probe: 0, test: 0, view: 0, snapshot: 0, yields: 0 };
  const every = { probe: 100, test: 500, view: 250, snapshot: 30 };  // the worker's periods
  const ops = {
    step(n) {
      if (counts.steps + n > fail.at) throw new Error('a step failed');
      counts.steps += n;
      clock.t += n * stepMs;
      return n;
    },
    views: Object.keys(every).map((name) => ({
      name,
      everyMs: every[name],
      run() {
        counts[name]++;
        clock.t += viewMs[name];
        if (name === 'probe') nextProbe = Math.max(counts.steps + 1, Math.ceil(counts.steps * 1.15));
      },
      ...(name === 'probe' && probeEverySteps ? { stepsUntilDue: () => Math.max(0, nextProbe - counts.steps) } : {}),
    })),
  };
  // Between slices the worker handles other messages: yieldMs of them.
  const env = { now: () => clock.t, yieldNow: async () => { counts.yields++; clock.t += yieldMs; },
    sleep: async (ms) => { counts.sleeps = (counts.sleeps ?? 0) + 1; clock.t += ms; } };
  return { runner: new Runner(ops, env), clock, counts, fail };
}

for (const [label, viewMs] of [
  ['cheap views (a small network)', { probe: 2, test: 3, view: 1, snapshot: 0.1 }],
  ['views as costly as 300 ms of training (40 × 256)', { probe: 300, test: 300, view: 600, snapshot: 1 }],
]) {
  test(`training keeps ≥ ${(100 / (1 + VIEW_SHARE)).toFixed(0)} % of the worker's time: ${label}`, async () => {
    const { runner, counts } = fake({ viewMs });
    const r = await runner.run(20000);
    assert.equal(r.done, 20000);
    const { training, views } = runner.time;
    const share = training / (training + views);
    console.log(`# ${label}: training ${(100 * share).toFixed(1)} % of ${((training + views) / 1000).toFixed(1)} s; ` +
      `probes ${counts.probe}, test ${counts.test}, views ${counts.view}, snapshots ${counts.snapshot}`);
    assert.ok(views <= VIEW_SHARE * training + MAX_CREDIT_MS + Math.max(...Object.values(viewMs)), `views ${views} ms, training ${training} ms`);
    assert.ok(share >= 1 / (1 + VIEW_SHARE) - 0.01, `training ${share}`);
    for (const name of ['probe', 'test', 'view', 'snapshot']) assert.ok(counts[name] > 0, `the ${name} view still runs`);
    assert.ok(counts.snapshot >= counts.probe, 'cheap snapshots are not starved by dear views');
  });
}

test('a probe due by step count that the budget cannot cover does not cut the slices short', async () => {
  // The worker's early probes at steps 1, 2, 3, 4, 5, 6, 7, 9, 11, …, with a probe
  // as dear as 300 ms of training: slices keep their length while it waits.
  // 40 s of training: a view budget of VIEW_SHARE × 40 s, room for several 300 ms probes.
  const { runner, counts } = fake({ viewMs: { probe: 300, test: 300, view: 600, snapshot: 1 }, probeEverySteps: true });
  await runner.run(40000);
  const slices = runner.time.training / 30;
  console.log(`# dear early probes: ${counts.yields} yields for ${slices.toFixed(0)} slices' worth of training, ${counts.probe} probes`);
  assert.ok(counts.yields <= 1.5 * slices + 10, `${counts.yields} yields`);
  assert.ok(counts.probe > 5);
});

test('cheap early probes land on their steps', async () => {
  // Steps 1, 2, …, 7, 9, 11, 13, 15, 18, 21, 25, 29: a probe at each, not 30 ms apart.
  const { runner, counts } = fake({ viewMs: { probe: 0.5, test: 0.5, view: 0.5, snapshot: 0.1 }, probeEverySteps: true });
  await runner.run(30);
  assert.ok(counts.probe >= 14, `${counts.probe} probes in the first 30 steps`);
});

test('time between slices (other messages) is counted, and training still keeps its share of the total', async () => {
  const { runner } = fake({ viewMs: { probe: 300, test: 300, view: 600, snapshot: 1 }, yieldMs: 2 });
  await runner.run(20000);
  const { training, views, other } = runner.time;
  assert.ok(other > 0, 'the time between slices is counted');
  const share = training / (training + views + other);
  console.log(`# with 2 ms of other messages per slice: training ${(100 * share).toFixed(1)} % of all the worker's time`);
  assert.ok(share >= 1 / (1 + VIEW_SHARE) - 0.01, `training ${share}`);
});

test('with cheap views every view keeps its rate', async () => {
  const { runner, counts } = fake({ viewMs: { probe: 1, test: 1, view: 1, snapshot: 0.1 } });
  await runner.run(10000);  // 10 s of training at 1 ms a step
  // Views are looked at between 30 ms slices, so a 100 ms period comes out at ~120 ms.
  assert.ok(counts.probe >= 75, `probes ${counts.probe}`);     // every 100 ms
  assert.ok(counts.snapshot >= 250, `snapshots ${counts.snapshot}`);  // after every 30 ms slice
});

test('stop() ends a run at the next slice; step(n) takes exactly n steps', async () => {
  const { runner, counts } = fake();
  const running = runner.run(Infinity);
  assert.equal(runner.running, true);
  runner.stop();
  const r = await running;
  assert.equal(r.stopped, true);
  assert.equal(runner.running, false);
  assert.ok(counts.steps < 200, `${counts.steps} steps after stop`);
  const exact = await runner.run(1234);
  assert.deepEqual([exact.done, exact.stopped, exact.diverged], [1234, false, false]);
  const quiet = fake();
  await quiet.runner.run(500, { views: false });
  assert.equal(quiet.counts.probe + quiet.counts.snapshot, 0, 'a quiet run (the benchmark) has no views');
});

test('a new run stops the one before it', async () => {
  const { runner } = fake();
  const first = runner.run(Infinity);
  const second = runner.run(100);
  assert.equal((await first).stopped, true);
  assert.equal((await second).done, 100);
});

test('an exception during a run comes out of run(), and the same runner works afterwards', async () => {
  const { runner, counts, fail } = fake({ failAt: 300 });
  await assert.rejects(runner.run(Infinity), /a step failed/);
  assert.equal(runner.running, false);
  assert.ok(counts.steps <= 300);
  fail.at = Infinity;  // the fault is gone
  const before = counts.steps;
  const again = await runner.run(50);
  assert.deepEqual([again.done, again.stopped, again.diverged], [50, false, false]);
  assert.equal(counts.steps, before + 50);
});

test('divergence ends the run', async () => {
  let steps = 0;
  const runner = new Runner({ step: (n) => { const d = Math.min(n, 37 - steps); steps += d; return d; }, views: [] },
    { now: () => steps, yieldNow: async () => {} });
  const r = await runner.run(Infinity);
  assert.deepEqual([r.done, r.diverged], [37, true]);
});

test('the clipping note says what clipping bounds under each optimizer', () => {
  assert.match(clippingBound('sgd', 0.9), /no step can then be larger than η times that/);
  assert.match(clippingBound('momentum', 0.9), /η\/\(1 − β\) = 10η/);
  assert.match(clippingBound('adam', 0.9), /not the step/);
  assert.match(clippingBound('rmsprop', 0.9), /not the step/);
  const snap = { shortcuts: [false, true, true, false], widths: [784, 30, 30, 30, 10], step: 10,
    batch: { gradNorm: 3, clipped: true, clipCount: 4 } };
  const notes = remedyNotes({ clipNorm: 1, clipValue: 0, optimizer: 'momentum', momentum: 0.5, residual: true, dataset: 'mnist' }, snap);
  assert.match(notes.join('\n'), /Residual: 2 shortcuts/, 'the count comes from the core');
  assert.match(notes.join('\n'), /Gradient clipping at a global norm of 1\. Momentum .* 2η times that\. Last step: ‖g‖ = 3 before clipping \(clipped\); clipped in 4 of 10 steps \(40\.0%\)/);
  const zh = remedyNotes({ clipNorm: 1, clipValue: 0, optimizer: 'momentum', momentum: 0.5, residual: true, dataset: 'mnist' }, snap, makeI18n('zh'));
  assert.match(zh.join('\n'), /残差连接：2 条捷径/);
  assert.match(zh.join('\n'), /梯度裁剪：全局范数上限 1。/);
});

test('the page says when a view is thinned', () => {
  const full = { fullProbeExamples: 1000, fullGridResolution: 48 };
  const plain = viewNotes({ plan: { ...full, probeExamples: 1000, probeThinned: false, gridResolution: 48, gridThinned: false, testThinned: false }, test: { examples: 1000 } });
  assert.deepEqual(plain, { probe: 'averaged over 1,000 training examples', grid: '', test: '' });
  const big = viewNotes({ plan: { ...full, probeExamples: 200, probeThinned: true, gridResolution: 24, gridThinned: true, testThinned: true }, test: { examples: 200 } });
  assert.match(big.probe, /averaged over 200 training examples \(fewer than the book’s 1,000/);
  assert.match(big.grid, /drawn at 24×24, coarser than the usual 48×48/);
  assert.match(big.test, /on the first 200 test examples/);
});

test('a paced run takes no more steps than its pace allows, and measures while it waits', async () => {
  for (const pace of [1, 10, 100]) {
    const { runner, counts, clock } = fake({ stepMs: 0.5 });
    runner.setPace(pace);
    const run = runner.run(Infinity, { paced: true });
    // Stop it after 5 s of fake time.
    const stopAt = 5000;
    const sleep = runner.env.sleep;
    runner.env.sleep = async (ms) => { await sleep(ms); if (clock.t >= stopAt) runner.stop(); };
    const r = await run;
    assert.ok(r.stopped);
    const allowed = Math.floor((clock.t * pace) / 1000) + 1;
    assert.ok(r.done <= allowed, `pace ${pace}: ${r.done} steps in ${clock.t} ms`);
    assert.ok(r.done >= allowed - 2, `pace ${pace}: keeps up (${r.done} of ${allowed})`);
    // The waits are free for the views: at 1 step a second, a probe follows every step.
    if (pace === 1) assert.ok(counts.probe >= r.done, `${counts.probe} probes for ${r.done} steps`);
    assert.ok(runner.time.waiting > 0);
  }
});

test('an unpaced run (step(n), full speed) ignores the pace; a new pace applies to a run in progress', async () => {
  const { runner, clock } = fake({ stepMs: 0.5 });
  runner.setPace(1);
  const r = await runner.run(500);
  assert.equal(r.done, 500, 'step(n) is not paced');
  runner.setPace(Infinity);
  const t0 = clock.t;
  const full = await runner.run(2000, { paced: true });
  assert.equal(full.done, 2000);
  assert.ok(clock.t - t0 < 2000, 'full speed does not wait');
  // From 1 to 100 steps a second in the middle of a run.
  runner.setPace(1);
  const sleep = runner.env.sleep;
  let switched = false;
  runner.env.sleep = async (ms) => {
    await sleep(ms);
    if (!switched && clock.t - t0 > 3000) { runner.setPace(100); switched = true; }
    if (clock.t - t0 > 6000) runner.stop();
  };
  const mixed = await runner.run(Infinity, { paced: true });
  assert.ok(mixed.done > 200, `${mixed.done} steps: the faster pace took over`);
});
