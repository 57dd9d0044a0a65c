// The page's code never turns data into markup or code: no innerHTML and its
// kin, no eval or Function (the CSP forbids them too; this finds them before a
// browser does). Text goes in with textContent, elements with createElement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WWW = new URL('../../www/', import.meta.url).pathname;
const FORBIDDEN = [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/,
  /new\s+Function\s*\(/, /setTimeout\s*\(\s*['"`]/, /setInterval\s*\(\s*['"`]/, /createContextualFragment/, /srcdoc/];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'vendor') return [];  // uPlot, as published
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') || path.endsWith('.html') ? [path] : [];
  });
}

test('no markup or code from strings in the page’s own code', () => {
  const found = [];
  for (const path of files(WWW)) {
    readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
      for (const re of FORBIDDEN) if (re.test(line)) found.push(`${path.slice(WWW.length)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
  assert.ok(files(WWW).length > 30, 'it read the page');
});
