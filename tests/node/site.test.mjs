// The built site's artifacts (tools/make_site.mjs): the zip holds exactly the
// site's files, byte for byte; the offline file's CSP allows its inline script and
// style by hash and nothing else; every payload it inlines unpacks to the built file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

const SITE = resolve(process.env.GRADLAB_SITE ?? 'build-wasm/site');

function siteFiles(dir = SITE, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) siteFiles(path, out);
    else if (name !== 'gradlab-site.zip') out.push(relative(SITE, path));
  }
  return out.sort();
}

/** The entries of a zip, read from its central directory. */
function unzip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'an end of central directory record');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10), size = buf.readUInt32LE(at + 20), nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30), comment = buf.readUInt16LE(at + 32), offset = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const local = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const packed = buf.subarray(local, local + size);
    entries[name] = method === 8 ? inflateRawSync(packed) : packed;
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

test('gradlab-site.zip holds every file of the site, byte for byte, in a gradlab/ folder', () => {
  const entries = unzip(readFileSync(join(SITE, 'gradlab-site.zip')));
  const files = siteFiles();
  assert.deepEqual(Object.keys(entries).sort(), files.map((f) => `gradlab/${f}`));
  for (const f of files) assert.ok(entries[`gradlab/${f}`].equals(readFileSync(join(SITE, f))), f);
  for (const needed of ['index.html', 'lab.html', 'walk.js', 'walk.css', 'worker.js', 'gradlab.wasm', 'gradlab-baseline.wasm', 'mnist.bin', 'gradlab-embed.js', 'embed.html', 'gradlab-offline.html'])
    assert.ok(files.includes(needed), needed);
});

test('the offline file: a strict CSP whose hashes match its one script and one style; its payloads unpack to the built files', () => {
  const html = readFileSync(join(SITE, 'gradlab-offline.html'), 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1];
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1, 'one inline script');
  assert.equal(styles.length, 1, 'one inline style');
  const hash = (t) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
  assert.match(csp, new RegExp(`script-src ${hash(scripts[0]).replace(/[+/]/g, '\\$&')} 'wasm-unsafe-eval';`));
  assert.match(csp, new RegExp(`style-src ${hash(styles[0]).replace(/[+/]/g, '\\$&')};`));
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'self'|\*|https?:/);
  // No element loads anything by address (only data: for the icon).
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
  assert.doesNotMatch(markup, /\s(src|href)="(?!data:|#")[^"]*"/i);
  const payload = (name) => gunzipSync(Buffer.from(html.match(new RegExp(`id="gradlab-${name}">([^<]*)<`))[1], 'base64'));
  assert.ok(payload('simd-wasm').equals(readFileSync(join(SITE, 'gradlab.wasm'))));
  assert.ok(payload('baseline-wasm').equals(readFileSync(join(SITE, 'gradlab-baseline.wasm'))));
  assert.ok(payload('simd-js').equals(readFileSync(join(SITE, 'gradlab.js'))));
  assert.ok(payload('baseline-js').equals(readFileSync(join(SITE, 'gradlab-baseline.js'))));
  assert.ok(payload('worker-js').equals(readFileSync(join(SITE, 'worker.js'))));
  assert.ok(payload('mnist').equals(readFileSync(join(SITE, 'mnist.bin'))));
});

test('the walk-through’s script is one classic script (it runs from file://) and the site holds none of its modules', () => {
  const script = readFileSync(join(SITE, 'walk.js'), 'utf8');
  assert.doesNotMatch(script, /(^|[;\n])\s*(import\s*[{*\w]|export\s)/, 'no module syntax left');
  assert.ok(!siteFiles().some((f) => f.startsWith('walk/')), 'walk/ is bundled, not copied');
  const html = readFileSync(join(SITE, 'index.html'), 'utf8');
  assert.match(html, /<script src="walk.js"><\/script>/);
  assert.doesNotMatch(html, /type="module"/);
});

test('the one-file walk-through: under 4 MB, a strict CSP whose hashes match its scripts and style and the lab’s inside it, the offline lab as its payload', () => {
  const html = readFileSync(join(SITE, 'gradlab-walk-offline.html'), 'utf8');
  assert.ok(Buffer.byteLength(html) < 4e6, `${Buffer.byteLength(html)} bytes`);
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1];
  const hash = (t) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2, 'the embed client and the walk-through');
  assert.equal(styles.length, 1);
  const directive = (name) => csp.split(';').map((d) => d.trim().split(/\s+/)).find(([k]) => k === name)?.slice(1) ?? [];
  // The lab runs in blob: frames, which inherit this policy: its script and style are allowed here too.
  const lab = gunzipSync(Buffer.from(html.match(/id="gradlab-lab">([^<]*)</)[1], 'base64'));
  assert.ok(lab.equals(readFileSync(join(SITE, 'gradlab-offline.html'))), 'the payload is the offline lab');
  const labText = lab.toString('utf8');
  const labScript = [...labText.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const labStyle = [...labText.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.deepEqual(directive('script-src').sort(), [...scripts.map(hash), ...labScript.map(hash), "'wasm-unsafe-eval'"].sort());
  assert.deepEqual(directive('style-src').sort(), [...styles.map(hash), ...labStyle.map(hash)].sort());
  assert.deepEqual(directive('default-src'), ["'none'"]);
  assert.deepEqual(directive('frame-src'), ['blob:']);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'self'|\*|https?:/);
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '');
  assert.doesNotMatch(markup, /\s(src|href)="(?!data:|#)[^"]*"/i, 'no file beside it is needed');
  assert.match(markup, /<meta name="gradlab-walk" content="single-file">/);
});
