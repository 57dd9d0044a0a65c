#!/usr/bin/env node
// The walk-through's load (index.html): how long after navigation its first
// simulator shows its first speeds on a cold load (a fresh Chromium profile
// each time, nothing cached), at 1280×800 and at 390×844, and what the page
// itself weighs before its simulators load. Target: live within 2 s.
// Figures go to bench/walk.json and the walk section of bench/README.md.
//   usage: node bench/walk.mjs [--loads N]      (built site: build-wasm/site)
//          node bench/walk.mjs --readme         (only the README section, from the JSON)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/browser/browser.mjs';
import { serve } from '../tools/serve.mjs';
import { median } from './stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SITE = resolve(process.env.GRADLAB_SITE ?? join(root, 'build-wasm/site'));
const resultsPath = join(root, 'bench/walk.json');
const readmePath = join(root, 'bench/README.md');
const TARGET_MS = 2000;
const args = process.argv.slice(2);
const loadsAt = args.indexOf('--loads');
const LOADS = loadsAt >= 0 ? Number(args[loadsAt + 1]) : 7;
if (!Number.isInteger(LOADS) || LOADS < 1) {
  console.error('bench/walk.mjs: --loads needs a whole number ≥ 1');
  process.exit(2);
}

/** One cold load: a new profile, the page, the first simulator's first speeds (ms after navigation). */
async function coldLoad(url, width, height) {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(url);
    const end = Date.now() + 30000;
    for (;;) {
      const ms = await page.evaluate(() => window.gradlabWalk?.firstViewMs?.() ?? null);
      if (ms !== null) return Math.round(ms);
      if (Date.now() > end) throw new Error('the first simulator did not show its speeds within 30 s');
      await page.waitForTimeout(20);
    }
  } finally {
    await context.close();
  }
}

function readme(r) {
  const line = (v) => `${v.median_ms} ms (median of ${v.ms.length} cold loads, ${Math.min(...v.ms)}–${Math.max(...v.ms)} ms)`;
  const verdict = (v) => (v.median_ms <= r.target_ms ? 'met' : 'missed');
  return [
    `Measured ${r.date.slice(0, 10)} at ${r.commit} (${r.machine}), \`node bench/walk.mjs\`: each load in a fresh Chromium profile, nothing cached, the site served locally.`,
    '',
    `- First simulator live (its first speeds shown) at 1280 × 800: ${line(r.desktop)}; target ≤ ${r.target_ms.toLocaleString('en-US')} ms, ${verdict(r.desktop)}.`,
    `- The same at 390 × 844 (a phone's width): ${line(r.phone)}; ${verdict(r.phone)}.`,
    `- The walk-through's own files (index.html, walk.js, walk.css, gradlab-embed.js): ${(r.page_bytes / 1024).toFixed(0)} KiB, ${(r.page_gzip_bytes / 1024).toFixed(0)} KiB gzipped; each simulator then loads the lab (its modules, a ${(r.wasm_bytes / 1024).toFixed(0)} KiB wasm module and the ${(r.mnist_bytes / 1e6).toFixed(1)} MB of digits, cached after the first).`,
  ];
}

function replaceBetween(path, name, lines) {
  const text = readFileSync(path, 'utf8');
  const begin = `<!-- ${name}:begin -->`, end = `<!-- ${name}:end -->`;
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`${path} lacks the ${name} markers`);
  writeFileSync(path, text.slice(0, text.indexOf(begin) + begin.length) + '\n' + lines.join('\n') + '\n' + text.slice(text.indexOf(end)));
}

async function main() {
  if (args.includes('--readme')) {
    replaceBetween(readmePath, 'walk', readme(JSON.parse(readFileSync(resultsPath, 'utf8'))));
    return;
  }
  const server = await serve(SITE, { port: 0 });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const measure = async (width, height) => {
    const ms = [];
    for (let i = 0; i < LOADS; i++) ms.push(await coldLoad(url, width, height));
    return { ms, median_ms: Math.round(median(ms)) };
  };
  try {
    const desktop = await measure(1280, 800);
    const phone = await measure(390, 844);
    const files = ['index.html', 'walk.js', 'walk.css', 'gradlab-embed.js'].map((f) => readFileSync(join(SITE, f)));
    const r = {
      date: new Date().toISOString(),
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(),
      machine: `${cpus()[0].model.replace(/\s+/g, ' ').trim()}, ${cpus().length} cores`,
      target_ms: TARGET_MS,
      desktop, phone,
      page_bytes: files.reduce((s, b) => s + b.length, 0),
      page_gzip_bytes: files.reduce((s, b) => s + gzipSync(b).length, 0),
      wasm_bytes: statSync(join(SITE, 'gradlab.wasm')).size,
      mnist_bytes: statSync(join(SITE, 'mnist.bin')).size,
    };
    writeFileSync(resultsPath, JSON.stringify(r, null, 1) + '\n');
    replaceBetween(readmePath, 'walk', readme(r));
    console.log(readme(r).join('\n'));
  } finally {
    server.close();
  }
}

main().catch((e) => {
  console.error(`bench/walk.mjs: ${e.message}`);
  process.exit(1);
});
