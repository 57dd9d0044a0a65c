#!/usr/bin/env node
// Writes the README's table of settings from the core's own table (the CLI's
// --list-settings), between the <!-- settings:begin --> and <!-- settings:end -->
// markers. tests/cli/cli.test.mjs fails when the README falls behind.
//   usage: node tools/settings_table.mjs [path to the gradlab CLI]   (default build/gradlab)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const README = join(root, 'README.md');
const BEGIN = '<!-- settings:begin -->', END = '<!-- settings:end -->';

/** The settings table as the CLI prints it. */
export function readTable(cli) {
  const r = spawnSync(cli, ['--list-settings'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cli} --list-settings: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

/** The Markdown table of every setting. */
export function markdown(table) {
  const cell = (text) => String(text).replaceAll('|', '\\|');
  const range = (s) => (s.type === 'choice' ? s.choices.join(', ') : s.type === 'boolean' ? '0 or 1' : `${s.min} to ${s.max}`);
  const rows = table.map((s) => {
    const older = s.aliases.length ? ` (also ${s.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
    const control = s.widget === 'none' ? ' Link, API and CLI only.' : '';
    return `| \`${s.key}\` | \`${s.flag}\`${older} | ${cell(range(s))} | ${cell(String(s.default))} | ${cell(s.help)}${control} |`;
  });
  return ['| key (URL, API) | CLI flag | values | default | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The README with its settings section replaced by `text`. */
export function withTable(readme, text) {
  const a = readme.indexOf(BEGIN), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md lacks the settings markers');
  return readme.slice(0, a + BEGIN.length) + '\n' + text + '\n' + readme.slice(b);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cli = resolve(process.argv[2] ?? join(root, 'build/gradlab'));
  writeFileSync(README, withTable(readFileSync(README, 'utf8'), markdown(readTable(cli))));
  console.log('wrote the settings table in README.md');
}
