#!/usr/bin/env node
// gradlab's benchmark (run through bench/run.sh, which builds what it needs).
//
// Examples per second, the median of ≥ 5 timed epochs of 10,000 MNIST digits after
// a warm-up epoch, for two workloads (bench/workloads.cjs), in:
//   native g++ -O2 and -O3 -march=native, gradlab's wasm under node, and, in one
//   headless Chromium session: gradlab through the page's worker, TensorFlow.js
//   (cpu and wasm backends) and ConvNetJS, plus the WASM SIMD ceiling.
// The implementations run round-robin (the order rotates every round) and the
// ratios are taken within each round, then their median across rounds. Then the
// page: load to first speeds, frame intervals and statistics rate while deep
// networks train, and the gzipped sizes. Writes bench/results.json and the
// results section of bench/README.md.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/browser/browser.mjs';
import { serve } from '../tools/serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { WORKLOADS, flopsPerExample } = createRequire(import.meta.url)('./workloads.cjs');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option('--rounds', 3);
const EPOCHS = Math.max(5, option('--epochs', 5));
const MNIST = join(root, 'build-wasm/data/mnist.bin');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const log = (...m) => console.log('[bench]', ...m);

// ---------------------------------------------------------------- runners
function jsonLines(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((j) => [j.workload, j.epochs]));
}
const native = (variant) => () => jsonLines(join(root, `build-bench-${variant}/bench/bench_native`), [MNIST, String(EPOCHS), '--json']);
const wasmNode = () => jsonLines('node', [join(root, 'bench/bench_node.cjs'), join(root, 'build-wasm/node'), MNIST, String(EPOCHS)]);

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
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', 'convnetjs/build/convnet-min.js'];
  for (const f of vendor) cpSync(join(nm, f), join(dir, 'vendor', f.split('/').pop()));
  return dir;
}

function version(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

// ---------------------------------------------------------------- the page
async function pageMetrics(context, url) {
  const first = [];
  for (let i = 0; i < 5; i++) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.gradlab?.timing?.firstSpeedsMs != null, null, { timeout: 20000 });
    first.push(await page.evaluate(() => window.gradlab.timing.firstSpeedsMs));
    await page.close();
  }
  const training = {};
  for (const preset of ['deep-sigmoid', 'relu-he']) {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}#pace=full`);  // Play at full speed (the page's default pace is for reading)
    await page.waitForFunction(() => window.gradlab?.stats());
    await page.evaluate((p) => window.gradlab.preset(p), preset);
    const r = await page.evaluate(async () => {
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
    const intervals = r.frames.slice(1).map((t, i) => t - r.frames[i]).sort((a, b) => a - b);
    training[preset] = {
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
    await page.goto(url);
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
  // The largest 2-D network with batch norm and shortcuts, played for 15 s: its
  // steps per second, the worker's training share, and the training-only rate
  // of the same worker for comparison.
  const LARGEST = { dataset: 'spiral', depth: 40, width: 256, batchNorm: true, residual: true, pace: 'full' };
  let largest;
  {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}#${new URLSearchParams(Object.entries(LARGEST).map(([k, v]) => [k, v === true ? '1' : String(v)]))}`);
    await page.waitForFunction(() => window.gradlab?.stats());
    largest = await page.evaluate(async () => {
      const s0 = window.gradlab.stats().step;
      await window.gradlab.play();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 15000));
      const s = window.gradlab.stats();
      const t1 = performance.now();
      await window.gradlab.pause();
      return { steps_per_s: (s.step - s0) / ((t1 - t0) / 1000), training_ms: s.workerTime.training,
        views_ms: s.workerTime.views + s.workerTime.other,
        probe_examples: s.views.probeExamples, grid_resolution: s.views.gridResolution };
    });
    await page.close();
    const bench = await context.newPage();
    await bench.goto(`${url}bench.html`);
    await bench.waitForFunction(() => window.bench?.ready);
    largest.training_only_steps_per_s = await bench.evaluate((c) => window.bench.rawSteps(c, 100), LARGEST);
    await bench.close();
    largest.training_share = largest.training_ms / (largest.training_ms + largest.views_ms);
    for (const k of ['steps_per_s', 'training_only_steps_per_s', 'training_share']) largest[k] = +largest[k].toFixed(3);
  }
  return { first_speeds_ms: first.map(Math.round), first_speeds_median_ms: Math.round(median(first)), training, rebuild, largest };
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
  // What the served page loads: not the offline file, the no-SIMD module (loaded
  // instead, where SIMD is missing) or the embedding examples.
  const notLoaded = /(gradlab-offline\.html|gradlab-baseline\.(js|wasm)|embed\.html|embed-demo\.js|embed\.css|gradlab-embed\.js|nomodule\.js|\.zip)$/;
  const code = files.filter((p) => /\.(m?js|wasm|css|html|svg)$/.test(p) && !notLoaded.test(p));
  return {
    offline_html_bytes: statSync(join(site, 'gradlab-offline.html')).size,
    site_zip_bytes: statSync(join(site, 'gradlab-site.zip')).size,
    baseline_wasm_gzip_bytes: gz(join(site, 'gradlab-baseline.wasm')),
    page_code_gzip_bytes: code.reduce((n, p) => n + gz(p), 0),
    page_code_files: code.length,
    wasm_gzip_bytes: gz(join(site, 'gradlab.wasm')),
    mnist_gzip_bytes: gz(join(site, 'mnist.bin')),
  };
}

// ---------------------------------------------------------------- main
async function main() {
  const dir = benchSite();
  // Cross-origin isolation lets TensorFlow.js's wasm backend use threads (its best case).
  const server = await serve(dir, { port: 0, csp: false, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const context = await launch();
  const page = await context.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(base + 'bench.html');
  await page.waitForFunction(() => window.bench?.ready);
  // A browser runner: window.bench[fn](...prefix, workload, epochs) for each workload.
  const inBrowser = (fn, ...prefix) => async () => {
    const out = {};
    for (const w of WORKLOADS)
      out[w.name] = await page.evaluate(([f, p, w, e]) => window.bench[f](...p, w, e), [fn, prefix, w, EPOCHS]);
    return out;
  };
  const runners = [
    ['native_O2', native('O2')],
    ['native_march', native('native')],
    ['wasm_node', wasmNode],
    ['chromium_gradlab', inBrowser('gradlab')],
    ['chromium_gradlab_baseline', inBrowser('gradlabBaseline')],
    ['tfjs_wasm', inBrowser('tfjs', 'wasm')],
    ['tfjs_cpu', inBrowser('tfjs', 'cpu')],
    ['convnetjs', inBrowser('convnet')],
    ['ceiling', async () => ({ gflops: await page.evaluate(() => window.bench.ceiling()) })],
  ];
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = {};
    for (let k = 0; k < runners.length; k++) {
      const [name, run] = runners[(k + r) % runners.length];  // rotate the order each round
      const t0 = Date.now();
      const epochs = await run();
      round[name] = Object.fromEntries(Object.entries(epochs).map(([w, xs]) => [w, { median: Math.round(median(xs) * 10) / 10, epochs: xs.map((x) => Math.round(x * 10) / 10) }]));
      log(`round ${r + 1}/${ROUNDS} ${name}: ${Object.entries(round[name]).map(([w, v]) => `${w} ${v.median}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    rounds.push(round);
  }
  await page.close();

  // Ratios within each round, then their median.
  const ceilingOf = (round) => round.ceiling.gflops.median;
  const ratio = (f) => Object.fromEntries(WORKLOADS.map((w) => [w.name, +median(rounds.map((round) => f(round, w.name, w))).toFixed(3)]));
  const g = (round, w) => round.chromium_gradlab[w].median;
  const tfBest = (round, w) => Math.max(round.tfjs_wasm[w].median, round.tfjs_cpu[w].median);
  const summary = {
    medians: Object.fromEntries(Object.keys(rounds[0]).map((name) => [name, Object.fromEntries(Object.keys(rounds[0][name]).map((w) => [w, median(rounds.map((r) => r[name][w].median))]))])),
    ratios: {
      gradlab_over_best_tfjs: ratio((round, w) => g(round, w) / tfBest(round, w)),
      gradlab_over_convnetjs: ratio((round, w) => g(round, w) / round.convnetjs[w].median),
      gradlab_fraction_of_ceiling: ratio((round, w, wl) => (g(round, w) * flopsPerExample(wl)) / 1e9 / ceilingOf(round)),
      chromium_over_native_O2: ratio((round, w) => g(round, w) / round.native_O2[w].median),
      chromium_over_native_march: ratio((round, w) => g(round, w) / round.native_march[w].median),
      node_over_native_O2: ratio((round, w) => round.wasm_node[w].median / round.native_O2[w].median),
      baseline_over_simd: ratio((round, w) => round.chromium_gradlab_baseline[w].median / g(round, w)),
    },
    flops_per_example: Object.fromEntries(WORKLOADS.map((w) => [w.name, flopsPerExample(w)])),
  };
  log('page metrics…');
  const page_metrics = await pageMetrics(context, base);
  await context.close();
  server.close();
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1], cores: (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length },
    chromium: spawnSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim(),
    node: process.version,
    peers: { '@tensorflow/tfjs': version('@tensorflow/tfjs'), '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'), convnetjs: version('convnetjs') },
    rounds: ROUNDS, timed_epochs: EPOCHS, examples_per_epoch: 10000,
    workloads: WORKLOADS,
    summary, page: page_metrics, sizes: sizes(), per_round: rounds,
  };
  writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  writeReadme(results);
  log('wrote bench/results.json and bench/README.md');
}

// ---------------------------------------------------------------- the README table
function writeReadme(r) {
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const m = r.summary.medians, q = r.summary.ratios;
  const ceiling = m.ceiling.gflops;
  const row = (label, name) => `| ${label} | ${fmt(m[name].nielsen)} | ${fmt(m[name].deep)} |`;
  const frac = (name, w) => ((m[name][w] * r.summary.flops_per_example[w]) / 1e9 / ceiling * 100).toFixed(0) + ' %';
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpu} (${r.machine.cores} cores), ${r.chromium}, node ${r.node}; ` +
      `${r.rounds} round${r.rounds === 1 ? '' : 's'}, each the median of ${r.timed_epochs} timed epochs of 10,000 digits after a warm-up. Examples per second (medians across rounds):`,
    '',
    '| implementation | Nielsen\'s workload | deep workload |',
    '|---|---:|---:|',
    row('**gradlab**, wasm in Chromium (the page\'s worker)', 'chromium_gradlab'),
    row('gradlab, the no-SIMD module in Chromium (`simd=0`; browsers without WASM SIMD)', 'chromium_gradlab_baseline'),
    row('gradlab, wasm in node', 'wasm_node'),
    row('gradlab, native `g++ -O2` (SSE2)', 'native_O2'),
    row('gradlab, native `-O3 -march=native`', 'native_march'),
    row(`TensorFlow.js ${r.peers['@tensorflow/tfjs']}, wasm backend (SIMD)`, 'tfjs_wasm'),
    row(`TensorFlow.js ${r.peers['@tensorflow/tfjs']}, cpu backend`, 'tfjs_cpu'),
    row(`ConvNetJS ${r.peers.convnetjs}`, 'convnetjs'),
    '',
    `WASM SIMD ceiling in the same Chromium: ${ceiling.toFixed(1)} GFLOP/s (multiply-add loop); ` +
      `gradlab's FLOPs per example: ${fmt(r.summary.flops_per_example.nielsen)} (Nielsen's), ${fmt(r.summary.flops_per_example.deep)} (deep).`,
    '',
    '| ratio (median of per-round ratios) | Nielsen\'s workload | deep workload | target |',
    '|---|---:|---:|---|',
    `| gradlab ÷ best TensorFlow.js | ${q.gradlab_over_best_tfjs.nielsen.toFixed(1)}× | ${q.gradlab_over_best_tfjs.deep.toFixed(1)}× | ≥ 25× / ≥ 10× |`,
    `| gradlab ÷ ConvNetJS | ${q.gradlab_over_convnetjs.nielsen.toFixed(1)}× | ${q.gradlab_over_convnetjs.deep.toFixed(1)}× | ≥ 25× / ≥ 10× |`,
    `| gradlab, fraction of the SIMD ceiling | ${(q.gradlab_fraction_of_ceiling.nielsen * 100).toFixed(0)} % | ${(q.gradlab_fraction_of_ceiling.deep * 100).toFixed(0)} % | ≥ 35 % |`,
    `| gradlab in Chromium ÷ native -O2 | ${q.chromium_over_native_O2.nielsen.toFixed(2)} | ${q.chromium_over_native_O2.deep.toFixed(2)} | ≥ 0.9 |`,
    `| no-SIMD module ÷ SIMD module, in Chromium | ${q.baseline_over_simd.nielsen.toFixed(2)} | ${q.baseline_over_simd.deep.toFixed(2)} | (for reference) |`,
    `| gradlab in Chromium ÷ native -O3 -march=native | ${q.chromium_over_native_march.nielsen.toFixed(2)} | ${q.chromium_over_native_march.deep.toFixed(2)} | (for reference) |`,
    '',
    `Peers' fraction of the ceiling: TensorFlow.js wasm ${frac('tfjs_wasm', 'nielsen')} / ${frac('tfjs_wasm', 'deep')}, ConvNetJS ${frac('convnetjs', 'nielsen')} / ${frac('convnetjs', 'deep')}.`,
    '',
    '**The page** (headless Chromium, 1280×800, this machine):',
    '',
    `- first per-layer speeds drawn ${r.page.first_speeds_median_ms} ms after navigation to the local server (median of 5 loads: ${r.page.first_speeds_ms.join(', ')} ms); target ≤ 1,000 ms.`,
    ...Object.entries(r.page.training).map(([p, t]) => `- training the "${p}" preset for 10 s: frame interval p95 ${t.frame_interval_p95_ms} ms (median ${t.frame_interval_median_ms} ms, ${t.frames} frames; target p95 ≤ 20 ms), statistics ${t.stats_per_s} per second (target ≥ 20), ${fmt(t.steps_per_s)} steps/s.`),
    ...Object.entries(r.page.rebuild ?? {}).map(([n, t]) => `- rebuilding a ${n.replace('x', ' × ')} network, probing it and drawing its speeds: ${t.median_ms} ms (median of ${t.ms.join(', ')} ms); target ≤ 1,000 ms.`),
    ...(r.page.largest ? [`- the largest 2-D network (spiral, 40 × 256, batch norm, shortcuts) played for 15 s: ${r.page.largest.steps_per_s.toFixed(1)} steps/s, ` +
      `training ${(100 * r.page.largest.training_share).toFixed(1)} % of the worker's time (target ≥ 75 %); the same worker training only: ` +
      `${r.page.largest.training_only_steps_per_s.toFixed(1)} steps/s. Views thinned to a ${r.page.largest.probe_examples}-example probe and a ` +
      `${r.page.largest.grid_resolution}×${r.page.largest.grid_resolution} grid.`] : []),
    '',
    `**Size**: the page's code (wasm, JS, CSS, HTML; ${r.sizes.page_code_files} files) is ${(r.sizes.page_code_gzip_bytes / 1024).toFixed(0)} KB gzipped ` +
      `(the wasm module ${(r.sizes.wasm_gzip_bytes / 1024).toFixed(0)} KB; the no-SIMD module, loaded instead where SIMD is missing, ${(r.sizes.baseline_wasm_gzip_bytes / 1024).toFixed(0)} KB), target ≤ 400 KB; the MNIST digits ${(r.sizes.mnist_gzip_bytes / 1048576).toFixed(2)} MB gzipped, target ≤ 3 MB. ` +
      `The offline file (everything, both modules and the digits inlined) is ${(r.sizes.offline_html_bytes / 1e6).toFixed(2)} MB, target ≤ 3 MB; the site's zip ${(r.sizes.site_zip_bytes / 1e6).toFixed(2)} MB.`,
  ];
  const path = join(root, 'bench/README.md');
  const text = readFileSync(path, 'utf8');
  const begin = '<!-- results:begin -->', end = '<!-- results:end -->';
  if (!text.includes(begin)) throw new Error('bench/README.md lacks the results markers');
  writeFileSync(path, text.slice(0, text.indexOf(begin) + begin.length) + '\n' + lines.join('\n') + '\n' + text.slice(text.indexOf(end)));
}

main().catch((e) => { console.error(e); process.exit(1); });
