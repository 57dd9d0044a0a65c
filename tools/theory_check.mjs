#!/usr/bin/env node
// Mean-field theory against measurement, with the CLI: wide random networks fed
// i.i.d. Gaussian inputs (--data gaussian), at initialization. For each case,
// the theory's χ₁ (--theory) and √χ₁, and the measured per-example gradient
// factor per layer, gradRms[l]/gradRms[l+1], as the geometric mean over the
// middle layers (a fifth away from the input and the output), for several seeds.
// Prints a Markdown table; with --write, also puts it in the README between
// <!-- theory:begin --> and <!-- theory:end --> ("Prediction and experiment").
//   usage: node tools/theory_check.mjs [--write] [path to the gradlab CLI]   (default build/gradlab)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const write = args.includes('--write');
const cli = args.find((a) => a !== '--write') ?? 'build/gradlab';
const DEPTH = 24, WIDTH = 256, SEEDS = [1, 2, 3];
const CASES = [
  ['tanh', 1.0, 0.3], ['tanh', 1.44, 0.09], ['tanh', 1.76, 0.05], ['tanh', 2.5, 0.05],
  ['relu', 1.6, 0.1], ['relu', 2.0, 0.0], ['relu', 2.4, 0.1], ['sigmoid', 16, 0.5],
];

function measure(activation, w2, b2, seed) {
  const r = spawnSync(cli, ['--data', 'gaussian', '--inputs', String(WIDTH), '--samples', '500', '--depth', String(DEPTH),
    '--width', String(WIDTH), '--activation', activation, '--init', 'scaled_normal', '--sigma-w', String(Math.sqrt(w2)),
    '--bias-init', 'scaled_normal', '--sigma-b', String(Math.sqrt(b2)), '--seed', String(seed), '--epochs', '0',
    '--theory', '--format', 'jsonl'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const row = JSON.parse(r.stdout.trim().split('\n')[0]);
  const g = row.grad_rms, skip = Math.floor(DEPTH / 5), from = skip, to = DEPTH - 1 - skip;
  return { chi1: row.chi1, measured: (g[from] / g[to]) ** (1 / (to - from)) };
}

const lines = [`| activation | σ_w² | σ_b² | χ₁ (theory) | √χ₁ | measured per layer (seeds ${SEEDS.join(', ')}) | worst error |`,
  '|---|---|---|---|---|---|---|'];
for (const [activation, w2, b2] of CASES) {
  const runs = SEEDS.map((seed) => measure(activation, w2, b2, seed));
  const predicted = Math.sqrt(runs[0].chi1);
  const worst = Math.max(...runs.map((r) => Math.abs(r.measured / predicted - 1)));
  lines.push(`| ${activation} | ${w2} | ${b2} | ${runs[0].chi1.toFixed(4)} | ${predicted.toFixed(4)} | ` +
    `${runs.map((r) => r.measured.toFixed(4)).join(', ')} | ${(worst * 100).toFixed(1)} % |`);
}
lines.push('', `${DEPTH} hidden layers of ${WIDTH}, ${WIDTH} Gaussian inputs, 400 probe examples; the measured`,
  'factor is the geometric mean of gradRms[l]/gradRms[l+1] over the middle layers.');
console.log(lines.join('\n'));
if (write) {
  const { README, withTable } = await import('./settings_table.mjs');
  writeFileSync(README, withTable(readFileSync(README, 'utf8'), lines.join('\n'), 'theory'));
  console.log('wrote the table in README.md');
}
