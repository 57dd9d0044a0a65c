#!/usr/bin/env node
// The recurrent networks' claims, measured with the CLI over several seeds: the
// gradient through time at initialization (T = 50) and what each cell learns on
// the first-symbol task (8 symbols, 32 units, Adam 3e-3, batches of 32, clipping
// at 1) at T = 10 and T = 50. Prints Markdown; with --write, puts it in the README
// between <!-- recurrent:begin --> and <!-- recurrent:end -->. About a minute.
//   usage: node tools/recurrent_check.mjs [--write] [path to the gradlab CLI]   (default build/gradlab)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const write = args.includes('--write');
const cli = args.find((a) => a !== '--write') ?? 'build/gradlab';
const SEEDS = [1, 2, 3];
const STEPS = 2000;

function rows(model, T, steps, seed, extra = []) {
  const r = spawnSync(cli, ['--model', model, '--seq-len', String(T), '--steps', String(steps), '--measure-every', String(Math.max(1, steps)),
    '--seed', String(seed), '--data-seed', String(seed), '--format', 'jsonl', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const f = (v) => v.toExponential(1);
const pct = (v) => `${(v * 100).toFixed(1)} %`;
const lines = ['| | seed | ‖∂L/∂h₁‖/‖∂L/∂h_T‖ at init, T = 50 | test accuracy after ' + STEPS + ' steps, T = 10 | T = 50 |', '|---|---|---|---|---|'];
for (const model of ['rnn', 'lstm']) {
  for (const seed of SEEDS) {
    const at50 = rows(model, 50, STEPS, seed);
    const at10 = rows(model, 10, STEPS, seed);
    const g = at50[0].grad_through_time;
    lines.push(`| ${model} | ${seed} | ${f(g[0] / g.at(-1))} | ${pct(at10.at(-1).test_accuracy)} | ${pct(at50.at(-1).test_accuracy)} |`);
  }
}
const bias1 = rows('lstm', 50, STEPS, 1, ['--forget-bias', '1']).at(-1).test_accuracy;
lines.push('', `8 symbols (chance 12.5 %), 32 units, Adam 3e-3, batches of 32, clipping at 1, forget bias 3. With a forget bias of 1 the LSTM is at ${pct(bias1)} after ${STEPS} steps at T = 50 (seed 1).`);
console.log(lines.join('\n'));
if (write) {
  const { README, withTable } = await import('./settings_table.mjs');
  writeFileSync(README, withTable(readFileSync(README, 'utf8'), lines.join('\n'), 'recurrent'));
  console.log('wrote the table in README.md');
}
