#!/usr/bin/env node
// gradlab's benchmark (run through bench/run.sh, which builds what it needs).
//
// Examples per second on three workloads (bench/workloads.cjs), each result the
// median of a few timed runs after a warm-up, in: native g++ -O2 and -O3
// -march=native, gradlab's wasm under node, and, in one headless Chromium
// session: gradlab through the page's worker (with and without the per-layer
// statistics, and the no-SIMD module), TensorFlow.js (wasm and cpu backends;
// autodiff, and a hand-written backward of non-transposed products, plain and
// fused), ConvNetJS, brain.js and a plain typed-array MLP, plus the WASM SIMD
// ceiling. Every round runs every implementation in a fresh random order; the
// ratios are taken within each round and reported as the median and the range
// across rounds. Then the page: load to first speeds, its training rate against
// the same worker training alone from 3 × 30 to 40 × 256, frame intervals (also
// with another process loading a core), the depth sweep's scaling over workers,
// and the gzipped sizes. Writes bench/results.json and the results section of
// bench/README.md (all of its numbers, prose included, come from results.json:
// `node bench/run.mjs --readme` rewrites it from the file alone; `--page-only`
// prints the page's figures and writes nothing).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/browser/browser.mjs';
import { serve } from '../tools/serve.mjs';
import { median } from './stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { WORKLOADS, flopsPerExample } = createRequire(import.meta.url)('./workloads.cjs');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option('--rounds', 7);
const EPOCHS = Math.max(1, option('--epochs', 3));
const MNIST = join(root, 'build-wasm/data/mnist.bin');
// The page's networks for the throughput measure, smallest to largest, on MNIST and a 2-D set.
const THROUGHPUT = [
  { name: 'MNIST 3 × 30', settings: { depth: 3, width: 30 } },
  { name: 'MNIST 10 × 100', settings: { depth: 10, width: 100 } },
  { name: 'MNIST 30 × 256 ReLU, batch 32', settings: { depth: 30, width: 256, activation: 'relu', init: 'he_normal', biasInit: 'zeros', batchSize: 32, learningRate: 0.01 } },
  { name: 'MNIST 40 × 256', settings: { depth: 40, width: 256 } },
  { name: 'spiral 3 × 30', settings: { dataset: 'spiral', depth: 3, width: 30 } },
  { name: 'spiral 10 × 100', settings: { dataset: 'spiral', depth: 10, width: 100 } },
  { name: 'spiral 40 × 256, batch norm, shortcuts', settings: { dataset: 'spiral', depth: 40, width: 256, batchNorm: true, residual: true } },
];
const SWEEP = { from: 1, to: 8, steps: 3000 };
const log = (...m) => console.log('[bench]', ...m);

// ---------------------------------------------------------------- runners
function jsonLines(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((j) => [j.workload, j.epochs]));
}
const native = (variant) => () => jsonLines(join(root, `build-bench-${variant}/bench/bench_native`),
  [MNIST, String(EPOCHS), ...WORKLOADS.flatMap((w) => ['--workload', w.name, w.layers.join(','), String(w.batch), String(w.examples)])]);
const wasmNode = () => jsonLines('node', ['--no-experimental-fetch', join(root, 'bench/bench_node.cjs'), join(root, 'build-wasm/node'), MNIST, String(EPOCHS)]);

function benchSite() {
  const dir = join(root, 'bench/out/site');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  cpSync(join(root, 'build-wasm/site'), dir, { recursive: true });
  cpSync(join(root, 'bench/browser'), dir, { recursive: true });
  for (const f of ['simd_ceiling.mjs', 'simd_ceiling.wasm']) cpSync(join(root, 'build-wasm/bench', f), join(dir, f));
  const nm = join(root, 'node_modules');
  const vendor = ['@tensorflow/tfjs/dist/tf.min.js', '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', 'convnetjs/build/convnet-min.js',
    'brain.js/browser.min.js'];
  for (const f of vendor) cpSync(join(nm, f), join(dir, 'vendor', f.startsWith('brain.js/') ? 'brain.min.js' : f.split('/').pop()));
  return dir;
}

function version(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

// ---------------------------------------------------------------- the page
async function pageMetrics(context, url) {
  const lab = `${url}lab.html`;  // the simulator (the site's root is the walk-through)
  const first = [];
  for (let i = 0; i < 5; i++) {
    const page = await context.newPage();
    await page.goto(lab);
    await page.waitForFunction(() => window.gradlab?.timing?.firstSpeedsMs != null, null, { timeout: 20000 });
    first.push(await page.evaluate(() => window.gradlab.timing.firstSpeedsMs));
    await page.close();
  }
  // Frame intervals while deep presets train at full pace, alone and with another
  // process busy on a core (a student's laptop is rarely idle); "mean-field"
  // (20 × 256) is the heaviest preset.
  const training = {};
  for (const [preset, loaded] of [['deep-sigmoid', false], ['relu-he', false], ['mean-field', false],
    ['deep-sigmoid', true], ['relu-he', true], ['mean-field', true]]) {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${lab}#pace=full`);  // Play at full speed (the page's default pace is for reading)
    await page.waitForFunction(() => window.gradlab?.stats());
    await page.evaluate((p) => window.gradlab.preset(p), preset);
    const load = loaded ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : null;
    let r;
    try {
      r = await page.evaluate(async () => {
        const frames = [], stats = [];
        const off = window.gradlab.on('stats', () => stats.push(performance.now()));
        let recording = true;
        const tick = (t) => { frames.push(t); if (recording) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        const step0 = window.gradlab.stats().step;
        await window.gradlab.play();
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 10000));
        const step1 = window.gradlab.stats().step, t1 = performance.now();
        recording = false;
        await window.gradlab.pause();
        off();
        return { frames, stats: stats.filter((t) => t >= t0 && t <= t1).length / ((t1 - t0) / 1000), steps: (step1 - step0) / ((t1 - t0) / 1000) };
      });
    } finally {
      load?.kill();
    }
    const intervals = r.frames.slice(1).map((t, i) => t - r.frames[i]).sort((a, b) => a - b);
    training[loaded ? `${preset} (other core busy)` : preset] = {
      preset, loaded,
      frame_interval_p95_ms: +intervals[Math.floor(0.95 * (intervals.length - 1))].toFixed(1),
      frame_interval_median_ms: +median(intervals).toFixed(1),
      frames: intervals.length,
      stats_per_s: +r.stats.toFixed(1),
      steps_per_s: Math.round(r.steps),
      diverged: (await page.evaluate(() => window.gradlab.stats().diverged)),
    };
    await page.close();
  }
  // Rebuilding the largest networks: configure() until the new speeds are drawn.
  const rebuild = {};
  {
    const page = await context.newPage();
    await page.goto(lab);
    await page.waitForFunction(() => window.gradlab?.stats());
    for (const [name, c] of [['40x256', { depth: 40, width: 256 }], ['30x30', { depth: 30, width: 30 }]]) {
      const times = [];
      for (let i = 0; i < 5; i++) {
        await page.evaluate(() => window.gradlab.configure({ depth: 3, width: 30 }));
        times.push(await page.evaluate(async (change) => {
          const t0 = performance.now();
          await window.gradlab.configure(change);
          await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - t0;
        }, c));
      }
      rebuild[name] = { median_ms: Math.round(median(times)), ms: times.map(Math.round) };
    }
    await page.close();
  }
  // Throughput where readers feel it: each network played at full pace in the page
  // (views and all), measured over 6 s after a 2 s warm-up, against the same
  // worker training alone (the same steps with their statistics, no views) for
  // ~3 s after a warm-up; the two alternate three times and each rate is the
  // median of its three (this machine's other tenants move single readings by
  // ±20 %).
  const throughput = [];
  for (const c of THROUGHPUT) {
    const settings = { pace: 'full', ...c.settings };
    const inPage = [], alone = [];
    let played;
    for (let rep = 0; rep < 3; rep++) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${lab}#${new URLSearchParams(Object.entries(settings).map(([k, v]) => [k, v === true ? '1' : String(v)]))}`);
      await page.waitForFunction(() => window.gradlab?.stats());
      played = await page.evaluate(async () => {
        await window.gradlab.play();
        await new Promise((r) => setTimeout(r, 2000));  // warm-up: V8 tiers the hot wasm code up
        const a = window.gradlab.stats();
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 6000));
        const s = window.gradlab.stats();
        const t1 = performance.now();
        await window.gradlab.pause();
        const views = (w) => w.views + w.other;
        return { steps_per_s: (s.step - a.step) / ((t1 - t0) / 1000), training_ms: s.workerTime.training - a.workerTime.training,
          views_ms: views(s.workerTime) - views(a.workerTime), probe_examples: s.views.probeExamples, grid_resolution: s.views.gridResolution };
      });
      await page.close();
      inPage.push(played);
      const bench = await context.newPage();
      await bench.goto(`${url}bench.html`);
      await bench.waitForFunction(() => window.bench?.ready);
      alone.push(await bench.evaluate((c) => window.bench.rawSteps(c, 3000), settings));
      await bench.close();
    }
    const rate = median(inPage.map((p) => p.steps_per_s)), aloneRate = median(alone);
    const training = inPage.reduce((n, p) => n + p.training_ms, 0), views = inPage.reduce((n, p) => n + p.views_ms, 0);
    throughput.push({ name: c.name, settings: c.settings, steps_per_s: rate, training_only_steps_per_s: aloneRate,
      page_runs: inPage.map((p) => +p.steps_per_s.toFixed(2)), alone_runs: alone.map((x) => +x.toFixed(2)),
      fraction: rate / aloneRate, training_share: training / (training + views),
      probe_examples: played.probe_examples, grid_resolution: played.grid_resolution });
    log(`throughput ${c.name}: ${rate.toFixed(1)} steps/s in the page (${inPage.map((p) => p.steps_per_s.toFixed(1)).join(', ')}), ` +
      `${aloneRate.toFixed(1)} alone (${alone.map((x) => x.toFixed(1)).join(', ')})`);
  }
  // The depth sweep's scaling: the same sweep on 1 worker, then on 2 (alternating, three times
  // each: a run lasts 2–4 s, and a median of two was at the mercy of one slow run).
  const sweep = { depths: SWEEP, seconds: { 1: [], 2: [] } };
  {
    const bench = await context.newPage();
    await bench.goto(`${url}bench.html`);
    await bench.waitForFunction(() => window.bench?.ready);
    for (let r = 0; r < 3; r++)
      for (const workers of [1, 2]) sweep.seconds[workers].push(await bench.evaluate(([c, n]) => window.bench.sweepSeconds({}, c, n), [SWEEP, workers]));
    await bench.close();
    sweep.scaling = median(sweep.seconds[1]) / median(sweep.seconds[2]);
  }
  return { first_speeds_ms: first.map(Math.round), first_speeds_median_ms: Math.round(median(first)), training, rebuild, throughput, sweep };
}

function sizes() {
  const site = join(root, 'build-wasm/site');
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(site);
  const gz = (p) => gzipSync(readFileSync(p), { level: 9 }).length;
  // What the served simulator (lab.html) loads: not the offline files, the no-SIMD
  // module (loaded instead, where SIMD is missing), the embedding examples or the
  // walk-through's own files (index.html, walk.js, walk.css: bench/walk.mjs measures them).
  const notLoaded = /(gradlab-offline\.html|gradlab-walk-offline\.html|gradlab-baseline\.(js|wasm)|embed\.html|embed-demo\.js|embed\.css|gradlab-embed\.js|nomodule\.js|\.zip|\/index\.html|\/walk\.(js|css))$/;
  const code = files.filter((p) => /\.(m?js|wasm|css|html|svg)$/.test(p) && !notLoaded.test(p));
  return {
    offline_html_bytes: statSync(join(site, 'gradlab-offline.html')).size,
    walk_offline_html_bytes: statSync(join(site, 'gradlab-walk-offline.html')).size,
    site_zip_bytes: statSync(join(site, 'gradlab-site.zip')).size,
    baseline_wasm_gzip_bytes: gz(join(site, 'gradlab-baseline.wasm')),
    page_code_gzip_bytes: code.reduce((n, p) => n + gz(p), 0),
    page_code_files: code.length,
    wasm_gzip_bytes: gz(join(site, 'gradlab.wasm')),
    mnist_gzip_bytes: gz(join(site, 'mnist.bin')),
  };
}

// ---------------------------------------------------------------- statistics
// The peers' names, and which of them are TensorFlow.js ("TensorFlow.js best" is
// the fastest of these in each round).
const TFJS = ['tfjs_wasm_autodiff', 'tfjs_wasm_manual', 'tfjs_wasm_fused', 'tfjs_cpu_autodiff'];
const PEERS = [...TFJS, 'convnetjs', 'brainjs', 'plainjs'];

/**
 * Medians across `rounds` and each ratio's per-round values as {median, min, max, rounds},
 * for `workloads` (those of the run).
 */
function summarize(rounds, workloads = WORKLOADS) {
  const names = Object.keys(rounds[0]);
  const at = (round, name, w) => round[name]?.[w]?.median ?? NaN;
  const tfBest = (round, w) => {
    const best = TFJS.filter((n) => Number.isFinite(at(round, n, w))).sort((a, b) => at(round, b, w) - at(round, a, w))[0];
    return { name: best, rate: at(round, best, w) };
  };
  const spread = (xs) => ({ median: +median(xs).toFixed(4), min: +Math.min(...xs).toFixed(4), max: +Math.max(...xs).toFixed(4), rounds: xs.map((x) => +x.toFixed(4)) });
  const ratio = (f) => Object.fromEntries(workloads.map((w) => [w.name, spread(rounds.map((round) => f(round, w.name, w)))]));
  const g = (round, w) => at(round, 'chromium_gradlab', w);
  const bestPeer = (round, w) => Math.max(...PEERS.map((n) => at(round, n, w)).filter(Number.isFinite));
  // The fraction of the round's SIMD ceiling that `rate` examples/s of workload `wl` reach.
  const ofCeiling = (round, rate, wl) => (rate * flopsPerExample(wl)) / 1e9 / median(round.ceiling.gflops.epochs);
  return {
    medians: Object.fromEntries(names.map((name) => [name, Object.fromEntries(Object.keys(rounds[0][name]).map((w) => [w, median(rounds.map((r) => r[name][w].median))]))])),
    ceiling_gflops: median(rounds.map((round) => median(round.ceiling.gflops.epochs))),
    tfjs_best: Object.fromEntries(workloads.map((w) => [w.name, rounds.map((round) => tfBest(round, w.name).name)])),
    ratios: {
      gradlab_over_best_tfjs: ratio((round, w) => g(round, w) / tfBest(round, w).rate),
      gradlab_over_best_peer: ratio((round, w) => g(round, w) / bestPeer(round, w)),
      gradlab_fraction_of_ceiling: ratio((round, w, wl) => ofCeiling(round, g(round, w), wl)),
      // What "TensorFlow.js best" reaches of the ceiling: 10× of it must stay under 100 % for that target to be reachable at all.
      tfjs_best_fraction_of_ceiling: ratio((round, w, wl) => ofCeiling(round, tfBest(round, w).rate, wl)),
      chromium_over_native_O2: ratio((round, w) => g(round, w) / at(round, 'native_O2', w)),
      chromium_over_native_march: ratio((round, w) => g(round, w) / at(round, 'native_march', w)),
      node_over_native_O2: ratio((round, w) => at(round, 'wasm_node', w) / at(round, 'native_O2', w)),
      statistics_cost: ratio((round, w) => g(round, w) / at(round, 'chromium_gradlab_bare', w)),
      baseline_over_simd: ratio((round, w) => at(round, 'chromium_gradlab_baseline', w) / g(round, w)),
    },
    flops_per_example: Object.fromEntries(workloads.map((w) => [w.name, flopsPerExample(w)])),
  };
}

// ---------------------------------------------------------------- main
async function main() {
  const dir = benchSite();
  if (args.includes('--page-only')) {  // a look at the page's figures alone (writes nothing)
    const server = await serve(dir, { port: 0, csp: false, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
    const context = await launch();
    console.log(JSON.stringify(await pageMetrics(context, `http://127.0.0.1:${server.address().port}/`), null, 1));
    await context.close();
    server.close();
    return;
  }
  // Cross-origin isolation lets TensorFlow.js's wasm backend use threads (its best case).
  const server = await serve(dir, { port: 0, csp: false, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const context = await launch();
  const page = await context.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(base + 'bench.html');
  await page.waitForFunction(() => window.bench?.ready);
  // A browser runner: window.bench[fn](...prefix, workload, epochs) for each workload
  // (but those in `skip`: TensorFlow.js's cpu backend would take minutes a round on
  // the large workload, far behind its wasm backend).
  const inBrowserBut = (skip, fn, ...prefix) => async () => {
    const out = {};
    for (const w of WORKLOADS.filter((w) => !skip.includes(w.name)))
      out[w.name] = await page.evaluate(([f, p, w, e]) => window.bench[f](...p, w, e), [fn, prefix, w, EPOCHS]);
    return out;
  };
  const inBrowser = (fn, ...prefix) => inBrowserBut([], fn, ...prefix);
  const runners = [
    ['native_O2', native('O2')],
    ['native_march', native('native')],
    ['wasm_node', wasmNode],
    ['chromium_gradlab', inBrowser('gradlab')],
    ['chromium_gradlab_bare', inBrowser('gradlabBare')],
    ['chromium_gradlab_baseline', inBrowser('gradlabBaseline')],
    ['tfjs_wasm_autodiff', inBrowser('tfjs', 'wasm', 'autodiff')],
    ['tfjs_wasm_manual', inBrowser('tfjs', 'wasm', 'manual')],
    ['tfjs_wasm_fused', inBrowser('tfjs', 'wasm', 'fused')],
    ['tfjs_cpu_autodiff', inBrowserBut(['large'], 'tfjs', 'cpu', 'autodiff')],
    ['convnetjs', inBrowser('convnet')],
    ['brainjs', inBrowser('brainjs')],
    ['plainjs', inBrowser('plainJs')],
    ['ceiling', async () => ({ gflops: await page.evaluate(() => window.bench.ceiling()) })],
  ];
  const tfjs_info = await page.evaluate(() => window.bench.tfjsInfo());
  const rounds = [], orders = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = {};
    const order = [...runners];
    for (let i = order.length - 1; i > 0; i--) {  // a fresh random order every round
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    orders.push(order.map(([name]) => name));
    for (const [name, run] of order) {
      const t0 = Date.now();
      const epochs = await run();
      round[name] = Object.fromEntries(Object.entries(epochs).map(([w, xs]) => [w, { median: Math.round(median(xs) * 10) / 10, epochs: xs.map((x) => Math.round(x * 10) / 10) }]));
      log(`round ${r + 1}/${ROUNDS} ${name}: ${Object.entries(round[name]).map(([w, v]) => `${w} ${v.median}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    rounds.push(round);
  }
  await page.close();
  const summary = summarize(rounds);
  log('page metrics…');
  const page_metrics = await pageMetrics(context, base);
  await context.close();
  server.close();
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1], cores: (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length },
    chromium: spawnSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim(),
    node: process.version,
    cpu_flags: ((readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:\s*(.*)$/m) ?? [])[1] ?? '').split(' '),
    peers: { '@tensorflow/tfjs': version('@tensorflow/tfjs'), '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'), convnetjs: version('convnetjs'), 'brain.js': version('brain.js') },
    tfjs_wasm: tfjs_info,
    rounds: ROUNDS, timed_epochs: EPOCHS, orders,
    workloads: WORKLOADS,
    summary, page: page_metrics, sizes: sizes(), per_round: rounds,
  };
  writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  writeReadme(results);
  log('wrote bench/results.json and bench/README.md');
}

// ---------------------------------------------------------------- the README section
// Every number and every verdict below comes from results.json.
const TARGETS = {
  ceiling: { nielsen: 0.5, deep: 0.65 },  // fraction of the SIMD ceiling
  native_O2: 1.0,                         // gradlab in Chromium ÷ native -O2
  tfjs_best: 10,                          // ÷ "TensorFlow.js best", every workload
  page_fraction: 0.75,                    // page steps/s ÷ the worker training alone
  sweep_scaling: 1.8,                     // depth sweep, 1 → 2 workers
  frame_p95_ms: 20,
};

function writeReadme(r) {
  const fmt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
  const m = r.summary.medians, q = r.summary.ratios;
  const names = r.workloads.map((w) => w.name);
  const title = { nielsen: "Nielsen's", deep: 'deep', large: 'large' };
  const x = (v, d = 1) => `${v.toFixed(d)}×`;
  const pct = (v) => `${(100 * v).toFixed(0)} %`;
  const range = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  const row = (label, name) => `| ${label} | ${names.map((w) => fmt(m[name]?.[w])).join(' | ')} |`;
  const ratioRow = (label, key, f, target = '') => `| ${label} | ${names.map((w) => range(q[key][w], f)).join(' | ')} | ${target} |`;
  const tf = r.peers['@tensorflow/tfjs'];
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpu} (${r.machine.cores} cores; SSE4.1 ${r.cpu_flags.includes('sse4_1') ? 'yes' : 'no'}, AVX2 ${r.cpu_flags.includes('avx2') ? 'yes' : 'no'}, FMA ${r.cpu_flags.includes('fma') ? 'yes' : 'no'}), ${r.chromium}, node ${r.node}. ` +
      `${r.rounds} rounds, each running every implementation once in a fresh random order; each result is the median of ${r.timed_epochs} timed runs after a warm-up run. ` +
      `A run is ${names.map((w) => `${fmt(r.workloads.find((x) => x.name === w).examples)} examples (${title[w]})`).join(', ')}.`,
    '',
    `Workloads: ${r.workloads.map((w) => `*${title[w.name]}* [${w.layers.length > 6 ? `${w.layers[0]}, ${w.layers.length - 2}×${w.layers[1]}, ${w.layers.at(-1)}` : w.layers.join(', ')}], mini-batch ${w.batch}`).join('; ')}. Examples per second, medians across rounds:`,
    '',
    `| implementation | ${names.map((w) => `${title[w]} workload`).join(' | ')} |`,
    `|---|${names.map(() => '---:').join('|')}|`,
    row('**gradlab**, wasm in Chromium (the page\'s worker, every statistic of every step)', 'chromium_gradlab'),
    row('gradlab, the same with the per-layer statistics off', 'chromium_gradlab_bare'),
    row('gradlab, the no-SIMD module in Chromium (browsers without WASM SIMD)', 'chromium_gradlab_baseline'),
    row('gradlab, wasm in node', 'wasm_node'),
    row('gradlab, native `g++ -O2` (SSE2)', 'native_O2'),
    row('gradlab, native `-O3 -march=native`', 'native_march'),
    row(`TensorFlow.js ${tf}, wasm, hand-written backward (non-transposed matmuls)`, 'tfjs_wasm_manual'),
    row(`TensorFlow.js ${tf}, wasm, the same with the fused matmul + bias`, 'tfjs_wasm_fused'),
    row(`TensorFlow.js ${tf}, wasm, autodiff (\`tf.variableGrads\`)`, 'tfjs_wasm_autodiff'),
    row(`TensorFlow.js ${tf}, cpu backend, autodiff`, 'tfjs_cpu_autodiff'),
    row(`ConvNetJS ${r.peers.convnetjs}`, 'convnetjs'),
    row(`brain.js ${r.peers['brain.js']} (one example at a time, its only way)`, 'brainjs'),
    row('plain JavaScript, typed arrays', 'plainjs'),
    '',
    `TensorFlow.js's wasm backend ran \`${r.tfjs_wasm.binary}\` with ${r.tfjs_wasm.threads} thread${r.tfjs_wasm.threads === 1 ? '' : 's'} ` +
      `(cross-origin isolated: ${r.tfjs_wasm.crossOriginIsolated ? 'yes' : 'no'}, hardwareConcurrency ${r.tfjs_wasm.hardwareConcurrency}). ` +
      `"TensorFlow.js best" is the fastest of its four configurations in each round: ${names.map((w) => `${title[w]}: ${[...new Set(r.summary.tfjs_best[w])].map((n) => `\`${n}\` ${r.summary.tfjs_best[w].filter((b) => b === n).length}×`).join(', ')}`).join('; ')}. ` +
      `The WASM SIMD ceiling in the same Chromium: ${r.summary.ceiling_gflops.toFixed(1)} GFLOP/s (a multiply-add loop); FLOPs per example: ${names.map((w) => `${fmt(r.summary.flops_per_example[w])} (${title[w]})`).join(', ')}.`,
    '',
    `| ratio: median of the ${r.rounds} per-round ratios (min–max) | ${names.map((w) => title[w]).join(' | ')} | target |`,
    `|---|${names.map(() => '---:').join('|')}|---|`,
    ratioRow('gradlab ÷ TensorFlow.js best', 'gradlab_over_best_tfjs', (v) => x(v), `≥ ${TARGETS.tfjs_best}×`),
    ratioRow('gradlab ÷ the fastest other peer', 'gradlab_over_best_peer', (v) => x(v), '> 1× (large)'),
    ratioRow('gradlab, fraction of the SIMD ceiling', 'gradlab_fraction_of_ceiling', pct, `≥ ${pct(TARGETS.ceiling.nielsen)} / ≥ ${pct(TARGETS.ceiling.deep)}`),
    ratioRow('TensorFlow.js best, fraction of the SIMD ceiling', 'tfjs_best_fraction_of_ceiling', pct, ''),
    ratioRow('gradlab in Chromium ÷ native -O2', 'chromium_over_native_O2', (v) => v.toFixed(2), `≥ ${TARGETS.native_O2.toFixed(1)}`),
    ratioRow('statistics on ÷ off (the instrumentation\'s cost)', 'statistics_cost', (v) => v.toFixed(2), ''),
    ratioRow('gradlab in Chromium ÷ native -O3 -march=native', 'chromium_over_native_march', (v) => v.toFixed(2), ''),
    ratioRow('no-SIMD module ÷ SIMD module', 'baseline_over_simd', (v) => v.toFixed(2), ''),
    '',
    '**The page** (headless Chromium, 1280×800, this machine):',
    '',
    `- First per-layer speeds drawn ${r.page.first_speeds_median_ms} ms after navigation (median of 5 loads: ${r.page.first_speeds_ms.join(', ')} ms); target ≤ 1,000 ms.`,
    ...Object.entries(r.page.training).map(([p, t]) => `- Training "${t.preset ?? p}"${t.preset === 'mean-field' ? ' (the heaviest preset, 20 × 256)' : ''} at full pace for 10 s${t.loaded ? ', **another process busy on one core**' : ''}: frame interval p95 ${t.frame_interval_p95_ms} ms (median ${t.frame_interval_median_ms} ms, ${t.frames} frames; target p95 ≤ ${TARGETS.frame_p95_ms} ms), statistics ${t.stats_per_s} a second, ${fmt(t.steps_per_s)} steps/s.`),
    ...Object.entries(r.page.rebuild ?? {}).map(([n, t]) => `- Rebuilding a ${n.replace('x', ' × ')} network, probing it and drawing its speeds: ${t.median_ms} ms (median of ${t.ms.join(', ')} ms); target ≤ 1,000 ms.`),
    `- The depth sweep (depths ${r.page.sweep.depths.from}–${r.page.sweep.depths.to}, ${fmt(r.page.sweep.depths.steps)} steps each): ${median(r.page.sweep.seconds[1]).toFixed(1)} s on 1 worker, ${median(r.page.sweep.seconds[2]).toFixed(1)} s on 2: **${r.page.sweep.scaling.toFixed(2)}×** (target ≥ ${TARGETS.sweep_scaling}×).`,
    '',
    `Steps per second in the page (views and all, at full pace, over 6 s after 2 s of warm-up) against the same worker training alone (the same steps with their statistics, no views), each the median of three alternating runs; target ≥ ${pct(TARGETS.page_fraction)}:`,
    '',
    '| network | in the page | training alone | fraction | training\'s share of the worker | views thinned to |',
    '|---|---:|---:|---:|---:|---|',
    ...r.page.throughput.map((t) => `| ${t.name} | ${t.steps_per_s.toFixed(1)} | ${t.training_only_steps_per_s.toFixed(1)} | ${pct(t.fraction)} | ${pct(t.training_share)} | ${t.probe_examples}-example probe, ${t.grid_resolution ? `${t.grid_resolution}×${t.grid_resolution} grid` : 'no grid'} |`),
    '',
    `**Size**: the simulator's code (lab.html and the wasm, JS, CSS and HTML it loads; ${r.sizes.page_code_files} files) is ${(r.sizes.page_code_gzip_bytes / 1024).toFixed(0)} KB gzipped ` +
      `(the wasm module ${(r.sizes.wasm_gzip_bytes / 1024).toFixed(0)} KB; the no-SIMD module, loaded instead where SIMD is missing, ${(r.sizes.baseline_wasm_gzip_bytes / 1024).toFixed(0)} KB), target ≤ 400 KB; the MNIST digits ${(r.sizes.mnist_gzip_bytes / 1048576).toFixed(2)} MB gzipped, target ≤ 3 MB. ` +
      `The offline file (everything, both modules and the digits inlined) is ${(r.sizes.offline_html_bytes / 1e6).toFixed(2)} MB, target ≤ 3 MB; the site's zip ${(r.sizes.site_zip_bytes / 1e6).toFixed(2)} MB` +
      (r.sizes.walk_offline_html_bytes ? `; the walk-through in one file ${(r.sizes.walk_offline_html_bytes / 1e6).toFixed(2)} MB, target ≤ 4 MB.` : '.'),
    '',
    '### The targets, from this run',
    '',
    ...targetVerdicts(r),
  ];
  replaceBetween(join(root, 'bench/README.md'), 'results', lines);
  replaceBetween(join(root, 'README.md'), 'bench-summary', summaryParagraph(r));
}

/** Rewrites the lines between <!-- name:begin --> and <!-- name:end --> of a file. */
function replaceBetween(path, name, lines) {
  const text = readFileSync(path, 'utf8');
  const begin = `<!-- ${name}:begin -->`, end = `<!-- ${name}:end -->`;
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`${path} lacks the ${name} markers`);
  writeFileSync(path, text.slice(0, text.indexOf(begin) + begin.length) + '\n' + lines.join('\n') + '\n' + text.slice(text.indexOf(end)));
}

/** The main README's paragraph: the headline figures of the run. */
function summaryParagraph(r) {
  const m = r.summary.medians, q = r.summary.ratios;
  const k = (x) => `${Math.round(x / 1000).toLocaleString('en-US')},000`;
  const lowest = [...r.page.throughput].sort((a, b) => a.fraction - b.fraction)[0];
  const frames = Object.values(r.page.training).map((t) => t.frame_interval_p95_ms);
  const frameMedians = Object.values(r.page.training).map((t) => t.frame_interval_median_ms);
  const text = `In the benchmark's last run (${r.date.slice(0, 10)}, ${r.machine.cpu}, ${r.machine.cores} cores), gradlab trained Nielsen's ` +
    `[784,30,30,30,10] network at about ${k(m.chromium_gradlab.nielsen)} examples per second in Chromium (the page's worker; every ` +
    `per-layer statistic measured at every step; ${k(m.chromium_gradlab_bare.nielsen)} without them), ` +
    `${q.gradlab_over_best_tfjs.nielsen.median.toFixed(1)}× the fastest TensorFlow.js configuration in the same browser; ` +
    `the deep [784, 10×100, 10] network at about ${k(m.chromium_gradlab.deep)} (${q.gradlab_over_best_tfjs.deep.median.toFixed(1)}×), ` +
    `and [784,256,256,10] with mini-batches of 128 at about ${k(m.chromium_gradlab.large)} (${q.gradlab_over_best_tfjs.large.median.toFixed(1)}×; ` +
    `TensorFlow.js there runs XNNPACK on ${r.tfjs_wasm.threads} thread${r.tfjs_wasm.threads === 1 ? '' : 's'}, gradlab on one). ` +
    `That is ${(100 * q.gradlab_fraction_of_ceiling.nielsen.median).toFixed(0)} % and ${(100 * q.gradlab_fraction_of_ceiling.deep.median).toFixed(0)} % of the ` +
    `WebAssembly SIMD ceiling, and ${q.chromium_over_native_O2.nielsen.median.toFixed(2)}× the same C++ built natively with g++ -O2. ` +
    `The no-SIMD module runs at ${q.baseline_over_simd.nielsen.median.toFixed(2)}× of the SIMD one. In the page, every network from 3 × 30 to 40 × 256 trains ` +
    `at ≥ ${Math.floor(100 * lowest.fraction)} % of the rate of its worker training alone; while the deep presets (the heaviest included) train, the ` +
    `frame interval's median is at most ${Math.max(...frameMedians)} ms and its p95 at most ${Math.max(...frames)} ms (also with another ` +
    `program busy on a core); and the depth sweep runs ` +
    `${r.page.sweep.scaling.toFixed(2)}× faster on 2 workers than on 1. The simulator's code (wasm, JS, CSS, HTML) is ` +
    `${(r.sizes.page_code_gzip_bytes / 1024).toFixed(0)} KB gzipped; the MNIST digits ${(r.sizes.mnist_gzip_bytes / 1048576).toFixed(1)} MB gzipped; ` +
    `the offline file ${(r.sizes.offline_html_bytes / 1e6).toFixed(2)} MB.`;
  // Wrapped at ~84 columns, as the rest of the README.
  const out = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > 84) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  return [...out, line];
}

/** One line per target: met or missed, and by how much (all from results.json). */
function targetVerdicts(r) {
  const q = r.summary.ratios;
  const names = r.workloads.map((w) => w.name);
  const verdict = (value, target, higher = true) => {
    const met = higher ? value >= target : value <= target;
    if (met) return '**met**';
    const by = higher ? 1 - value / target : value / target - 1;
    return `**missed** by ${by < 0.001 ? 'under 0.1' : (100 * by).toFixed(by < 0.01 ? 1 : 0)} %`;
  };
  const out = [];
  for (const w of ['nielsen', 'deep']) {
    const v = q.gradlab_fraction_of_ceiling[w].median, t = TARGETS.ceiling[w];
    out.push(`- Fraction of the SIMD ceiling, ${w === 'nielsen' ? "Nielsen's" : 'deep'} workload: ${(100 * v).toFixed(0)} % against ≥ ${(100 * t).toFixed(0)} %: ${verdict(v, t)}.`);
  }
  for (const w of names) {
    const v = q.chromium_over_native_O2[w].median;
    out.push(`- gradlab in Chromium against native -O2, ${w} workload: ${v.toFixed(2)} against ≥ ${TARGETS.native_O2.toFixed(1)}: ${verdict(v, TARGETS.native_O2)}.`);
  }
  for (const w of names) {
    const v = q.gradlab_over_best_tfjs[w].median;
    const needed = TARGETS.tfjs_best * q.tfjs_best_fraction_of_ceiling[w].median;  // of the SIMD ceiling
    out.push(`- gradlab against TensorFlow.js best, ${w} workload: ${v.toFixed(1)}× against ≥ ${TARGETS.tfjs_best}×: ${verdict(v, TARGETS.tfjs_best)}. ` +
      `TensorFlow.js best ran at ${(100 * q.tfjs_best_fraction_of_ceiling[w].median).toFixed(q.tfjs_best_fraction_of_ceiling[w].median < 0.1 ? 1 : 0)} % of the SIMD ceiling, so ${TARGETS.tfjs_best}× it would be ${(100 * needed).toFixed(0)} % of the ceiling` +
      (needed > 1 ? `: above it, out of reach of any implementation on one core${needed > r.machine.cores ? `, and of all ${r.machine.cores} cores together` : ''}.`
        : ` (gradlab: ${(100 * q.gradlab_fraction_of_ceiling[w].median).toFixed(0)} %).`));
  }
  const peer = q.gradlab_over_best_peer.large;
  out.push(`- Ahead of every peer on the large workload: ${peer.median.toFixed(1)}× the fastest (slowest round ${peer.min.toFixed(1)}×): ${verdict(peer.min, 1.0)}.`);
  const worst = [...r.page.throughput].sort((a, b) => a.fraction - b.fraction)[0];
  out.push(`- The page's steps per second against the worker training alone, every network: lowest ${(100 * worst.fraction).toFixed(0)} % (${worst.name}) against ≥ ${(100 * TARGETS.page_fraction).toFixed(0)} %: ${verdict(worst.fraction, TARGETS.page_fraction)}.`);
  out.push(`- The depth sweep from 1 to 2 workers: ${r.page.sweep.scaling.toFixed(2)}× against ≥ ${TARGETS.sweep_scaling}×: ${verdict(r.page.sweep.scaling, TARGETS.sweep_scaling)}.`);
  const frames = Object.values(r.page.training);
  const worstFrames = [...frames].sort((a, b) => b.frame_interval_p95_ms - a.frame_interval_p95_ms)[0];
  out.push(`- Frame interval p95 while training: worst ${worstFrames.frame_interval_p95_ms} ms ("${worstFrames.preset}"${worstFrames.loaded ? ', other core busy' : ''}) against ≤ ${TARGETS.frame_p95_ms} ms: ${verdict(worstFrames.frame_interval_p95_ms, TARGETS.frame_p95_ms, false)}.`);
  return out;
}

if (args.includes('--readme')) {
  const r = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8'));
  if (!r.page?.throughput || !r.cpu_flags || !r.tfjs_wasm) {
    console.error('bench/run.mjs --readme: bench/results.json was written by an older benchmark (no page throughput, CPU flags or TensorFlow.js details); rerun bench/run.sh --only speed');
    process.exit(1);
  }
  // The ratios as this script defines them now, from the stored rounds and the run's workloads; kept in results.json too.
  r.summary = summarize(r.per_round, r.workloads);
  writeFileSync(join(root, 'bench/results.json'), JSON.stringify(r, null, 2) + '\n');
  writeReadme(r);
}
else main().catch((e) => { console.error(e); process.exit(1); });
