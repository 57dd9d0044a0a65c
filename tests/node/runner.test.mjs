// The worker's run loop (www/runner.js) with a fake session and a fake clock:
// training keeps at least three quarters of the time whatever the views cost,
// runs stop between slices, an exception comes out of run() and leaves the
// runner usable, and step(n) takes exactly n steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CREDIT_MS, Runner, VIEW_SHARE } from '../../www/runner.js';
import { clippingBound, remedyNotes, viewNotes } from '../../www/notes.js';

/** A session whose steps cost `stepMs` and whose views cost what `viewMs` says, on a fake clock. */
function fake({ stepMs = 1, viewMs = { probe: 5, test: 5, view: 5, snapshot: 0.1 }, failAt = Infinity } = {}) {
  const clock = { t: 0 };
  const counts = { steps: 0, probe: 0, test: 0, view: 0, snapshot: 0, yields: 0 };
  const every = { probe: 100, test: 500, view: 250, snapshot: 30 };  // the worker's periods
  const ops = {
    step(n) {
      if (counts.steps + n > failAt) throw new Error('a step failed');
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
      },
    })),
  };
  const env = { now: () => clock.t, yieldNow: async () => { counts.yields++; } };
  return { runner: new Runner(ops, env), clock, counts };
}

for (const [label, viewMs] of [
  ['cheap views (a small network)', { probe: 2, test: 3, view: 1, snapshot: 0.1 }],
  ['views as costly as 300 ms of training (40 × 256)', { probe: 300, test: 300, view: 600, snapshot: 1 }],
]) {
  test(`training keeps ≥ 75 % of the worker's time: ${label}`, async () => {
    const { runner, counts } = fake({ viewMs });
    const r = await runner.run(20000);
    assert.equal(r.done, 20000);
    const { training, views } = runner.time;
    const share = training / (training + views);
    console.log(`# ${label}: training ${(100 * share).toFixed(1)} % of ${((training + views) / 1000).toFixed(1)} s; ` +
      `probes ${counts.probe}, test ${counts.test}, views ${counts.view}, snapshots ${counts.snapshot}`);
    assert.ok(views <= VIEW_SHARE * training + MAX_CREDIT_MS + Math.max(...Object.values(viewMs)), `views ${views} ms, training ${training} ms`);
    assert.ok(share >= 0.74, `training ${share}`);
    for (const name of ['probe', 'test', 'view', 'snapshot']) assert.ok(counts[name] > 0, `the ${name} view still runs`);
    assert.ok(counts.snapshot >= counts.probe, 'cheap snapshots are not starved by dear views');
  });
}

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

test('an exception during a run comes out of run(), and the runner works afterwards', async () => {
  const { runner, counts } = fake({ failAt: 300 });
  await assert.rejects(runner.run(Infinity), /a step failed/);
  assert.equal(runner.running, false);
  const before = counts.steps;
  const again = fake();
  assert.equal((await again.runner.run(50)).done, 50);
  assert.ok(before < 300);
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
  assert.match(notes.join('\n'), /Gradient clipping at a global norm of 1\. Momentum .* 2η times that\. Last step: ‖g‖ = 3 before clipping \(clipped\); clipped in 4 of 10 steps \(40 %\)/);
});

test('the page says when a view is thinned', () => {
  const plain = viewNotes({ plan: { probeExamples: 1000, probeThinned: false, gridResolution: 48, gridThinned: false, testThinned: false }, test: { examples: 1000 } });
  assert.deepEqual(plain, { probe: 'averaged over 1000 training examples', grid: '', test: '' });
  const big = viewNotes({ plan: { probeExamples: 200, probeThinned: true, gridResolution: 24, gridThinned: true, testThinned: true }, test: { examples: 200 } });
  assert.match(big.probe, /averaged over 200 training examples \(fewer than the book’s 1000/);
  assert.match(big.grid, /drawn at 24×24, coarser than usual/);
  assert.match(big.test, /on the first 200 test examples/);
});
