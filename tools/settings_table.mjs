#!/usr/bin/env node
// Writes the README's table of settings from the core's own table (the CLI's
// --list-settings), between the <!-- settings:begin --> and <!-- settings:end -->
// markers, and the table of the page's own link keys (embedding, views, engine;
// www/state.js) between <!-- pagekeys:begin --> and <!-- pagekeys:end -->.
// tests/cli/cli.test.mjs fails when the README falls behind.
//   usage: node tools/settings_table.mjs [path to the gradlab CLI]   (default build/gradlab)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const README = join(root, 'README.md');

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
    return `| \`${s.key}\` | \`${s.flag}\`${older} | ${cell(range(s))} | ${cell(String(s.default) + ('recurrentDefault' in s ? ` (rnn, lstm: ${s.recurrentDefault})` : ''))} | ${cell(s.help)}${control} |`;
  });
  return ['| key (URL, API) | CLI flag | values | default | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The Markdown table of the page's link keys (those of state.js's pageKeys). */
export async function pageKeysMarkdown() {
  const { makeState } = await import('../www/state.js');
  const { PRESETS } = await import('../www/presets.js');
  const cell = (text) => String(text).replaceAll('|', '\\|');
  const keys = makeState([], PRESETS).SCHEMA;
  const values = (s) => (s.type === 'boolean' ? '0 or 1' : s.type === 'list' ? 'a comma-separated list'
    : s.type === 'changes' ? 'key:value pairs, comma-separated' : s.choices.filter(Boolean).join(', '));
  const rows = keys.map((s) => `| \`${s.key}\` | ${cell(values(s))} | ${cell(s.type === 'boolean' ? (s.default ? '1' : '0') : s.default || '(none)')} | ${cell(s.help)} |`);
  return ['| key | values | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README with its `marker` section (settings, pagekeys, theory, recurrent) replaced by `text`. */
export function withTable(readme, text, marker = 'settings') {
  const begin = `<!-- ${marker}:begin -->`, end = `<!-- ${marker}:end -->`;
  const a = readme.indexOf(begin), b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md lacks the ${marker} markers`);
  return readme.slice(0, a + begin.length) + '\n' + text + '\n' + readme.slice(b);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cli = resolve(process.argv[2] ?? join(root, 'build/gradlab'));
  const readme = withTable(readFileSync(README, 'utf8'), markdown(readTable(cli)));
  writeFileSync(README, withTable(readme, await pageKeysMarkdown(), 'pagekeys'));
  console.log('wrote the settings table and the page keys table in README.md');
}
