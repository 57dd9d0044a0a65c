// Assembles the static site from www/, the wasm modules and the digits:
//   <out>/                      the served site (index.html, the walk-through, bundled
//                               into walk.js; lab.html, the simulator, and its ES modules,
//                               worker.js bundled into one classic script, both
//                               wasm modules, uPlot, mnist.bin)
//   <out>/gradlab-offline.html  all of it in one file that works from file://
//   <out>/gradlab-walk-offline.html  the walk-through in one file, the offline
//                               lab inside it (its frames are Blob URLs of it)
//   <out>/gradlab-site.zip      the folder, for instructors who want to host it
//
//   usage: node tools/make_site.mjs --www www --modules build-wasm/modules
//                                   --mnist build-wasm/data/mnist.bin --out build-wasm/site
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { LAB_PAGE, SITE_POLICY_PAGE, headerPolicy, metaPolicy, sitePolicy } from './csp.mjs';
import { build } from 'esbuild';
import { WALK_SINGLE_FILE } from '../www/walk/sections.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const UPLOT = join(root, 'node_modules/uplot/dist');
/** Files of www/ that only the build uses (walk/: the walk-through's modules, bundled into walk.js). */
const SOURCE_ONLY = new Set(['assets-offline.js', 'walk']);
/** The wasm builds (wasm/CMakeLists.txt) and their names in the offline file. */
const ENGINES = { simd: 'gradlab', baseline: 'gradlab-baseline' };

function args() {
  const a = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = resolve(argv[i + 1]);
  for (const k of ['www', 'modules', 'mnist', 'out']) if (!a[k]) throw new Error(`make_site: --${k} is missing`);
  return a;
}

/** Bundles an ES module entry into one classic script (no import/export left). */
async function bundle(entry, { replace = {}, minify = false } = {}) {
  const redirect = {
    name: 'redirect',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (r) => {
        const target = resolve(r.resolveDir, r.path);
        const name = target.split('/').pop();
        if (replace[name]) return { path: replace[name] };
        if (r.path.endsWith('vendor/uPlot.esm.js')) return { path: join(UPLOT, 'uPlot.esm.js') };
        return undefined;
      });
    },
  };
  const r = await build({ entryPoints: [entry], bundle: true, format: 'iife', write: false, minify,
    target: 'es2020', legalComments: 'inline', plugins: [redirect], logLevel: 'error' });
  return r.outputFiles[0].text;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const gz64 = (bytes) => gzipSync(bytes, { level: 9 }).toString('base64');

/** Replaces exactly one match of `pattern` in `text`, a page of www/ (the build fails if the page changed shape). */
function replaceOnce(text, pattern, by, what) {
  const matches = text.match(new RegExp(pattern.source, 'g')) ?? [];
  if (matches.length !== 1) throw new Error(`make_site: expected one ${what} in the page, found ${matches.length}`);
  return text.replace(pattern, () => by);
}

/** `html` (the www/ page `name`) without its links to files a one-file page does not have. */
function removeOfflineBlocks(html, name) {
  const blocks = /<!-- offline:remove -->[\s\S]*?<!-- \/offline:remove -->/g;
  if (!blocks.test(html)) throw new Error(`make_site: no offline:remove block in ${name}`);
  return html.replace(blocks, '');
}

/**
 * gradlab-offline.html: the page with its script, styles, worker, modules and digits inlined.
 * Returns {html, scriptHash, styleHash} (a page that frames it as a blob: URL needs its hashes).
 */
async function offlinePage(a, workerScript) {
  let html = readFileSync(join(a.www, LAB_PAGE), 'utf8');
  const script = await bundle(join(a.www, 'main.js'),
    { replace: { 'assets.js': join(a.www, 'assets-offline.js') }, minify: true });
  if (/<\/script/i.test(script)) throw new Error('make_site: the page bundle contains "</script"');
  const style = readFileSync(join(UPLOT, 'uPlot.min.css'), 'utf8') + '\n' + readFileSync(join(a.www, 'style.css'), 'utf8');
  const payloads = {
    'simd-js': readFileSync(join(a.modules, `${ENGINES.simd}.js`)),
    'simd-wasm': readFileSync(join(a.modules, `${ENGINES.simd}.wasm`)),
    'baseline-js': readFileSync(join(a.modules, `${ENGINES.baseline}.js`)),
    'baseline-wasm': readFileSync(join(a.modules, `${ENGINES.baseline}.wasm`)),
    'worker-js': Buffer.from(workerScript),
    mnist: readFileSync(a.mnist),
  };
  const data = Object.entries(payloads).map(([name, bytes]) =>
    `<script type="application/octet-stream" id="gradlab-${name}">${gz64(bytes)}</script>`).join('\n');
  const csp = [
    "default-src 'none'", `script-src ${sha256(script)} 'wasm-unsafe-eval'`, `style-src ${sha256(style)}`,
    'img-src data: blob:', 'worker-src blob:', "connect-src 'none'", "object-src 'none'", "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const icon = `data:image/svg+xml;base64,${readFileSync(join(a.www, 'favicon.svg')).toString('base64')}`;
  html = replaceOnce(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'Content-Security-Policy');
  html = replaceOnce(html, /<link rel="icon" href="favicon.svg"[^>]*>/, `<link rel="icon" href="${icon}" type="image/svg+xml">`, 'icon');
  html = replaceOnce(html, /<link rel="stylesheet" href="vendor\/uPlot.min.css">\n<link rel="stylesheet" href="style.css">/,
    `<style>${style}</style>`, 'stylesheets');
  html = replaceOnce(html, /<script type="module" src="main.js"><\/script>\n/, '', 'module script');
  html = replaceOnce(html, /<script nomodule defer src="nomodule.js"><\/script>\n/, '', 'nomodule script');
  html = removeOfflineBlocks(html, LAB_PAGE);
  html = replaceOnce(html, /<\/body>/, `${data}\n<script>${script}</script>\n</body>`, '</body>');
  return { html, scriptHash: sha256(script), styleHash: sha256(style) };
}

/**
 * gradlab-walk-offline.html: the walk-through in one file, for file:// with no
 * folder beside it. Its script, the embed client and its style are inlined, and
 * the offline lab is a gzipped payload that walk.js turns into a Blob URL for its
 * frames. A blob: frame inherits its creator's policy, so this page's CSP allows
 * the lab's script and style too.
 */
async function walkOfflinePage(a, lab, walkScript) {
  let html = readFileSync(join(a.www, 'index.html'), 'utf8');
  const embedScript = await bundle(join(a.www, 'gradlab-embed.js'), { minify: true });   // its comments quote a </script>
  for (const s of [walkScript, embedScript]) if (/<\/script/i.test(s)) throw new Error('make_site: a walk-through script contains "</script"');
  const style = readFileSync(join(a.www, 'walk.css'), 'utf8');
  const csp = [
    "default-src 'none'", `script-src ${sha256(embedScript)} ${sha256(walkScript)} ${lab.scriptHash} 'wasm-unsafe-eval'`,
    `style-src ${sha256(style)} ${lab.styleHash}`, 'img-src data: blob:', 'worker-src blob:', 'frame-src blob:',
    "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  const icon = `data:image/svg+xml;base64,${readFileSync(join(a.www, 'favicon.svg')).toString('base64')}`;
  html = replaceOnce(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'Content-Security-Policy');
  html = replaceOnce(html, /<link rel="icon" href="favicon.svg"[^>]*>/, `<link rel="icon" href="${icon}" type="image/svg+xml">`, 'icon');
  html = replaceOnce(html, /<link rel="stylesheet" href="walk.css">/, `<style>${style}</style>`, 'stylesheet');
  html = replaceOnce(html, /<script src="gradlab-embed.js"><\/script>/,
    `<meta name="gradlab-walk" content="${WALK_SINGLE_FILE}">\n<script>${embedScript}</script>`, 'embed client');
  html = replaceOnce(html, /<script src="walk.js"><\/script>/, `<script>${walkScript}</script>`, 'walk script');
  html = replaceOnce(html, /<a class="brand" href="index.html">/, '<a class="brand" href="#">', 'brand link');
  html = replaceOnce(html, /<a href="lab.html" data-lab /, '<a href="#" data-lab ', 'lab link');   // walk.js points it at the lab
  html = removeOfflineBlocks(html, 'index.html');
  html = replaceOnce(html, /<\/body>/,
    `<script type="application/octet-stream" id="gradlab-lab">${gz64(Buffer.from(lab.html))}</script>\n</body>`, '</body>');
  return html;
}

/**
 * `_headers` (Netlify, Cloudflare Pages): the Content-Security-Policy of each page
 * and of the worker as HTTP headers, with frame-ancestors (tools/csp.mjs).
 */
function headersFile(out) {
  const site = sitePolicy(readFileSync(join(out, SITE_POLICY_PAGE), 'utf8'));
  const page = (name) => metaPolicy(readFileSync(join(out, name), 'utf8'));
  const rules = [['/', page('index.html')], ['/index.html', page('index.html')], [`/${LAB_PAGE}`, site],
    ['/embed.html', page('embed.html')], ['/worker.js', site]];
  return '# The Content-Security-Policy as headers (tools/csp.mjs). To let only your course pages embed\n' +
    '# gradlab, replace "frame-ancestors *" by e.g. "frame-ancestors \'self\' https://lms.example.edu".\n' +
    rules.map(([path, policy]) => `${path}\n  Content-Security-Policy: ${headerPolicy(policy)}\n`).join('');
}

/** A zip of `dir` (deflated), in the format every unzip reads. */
function zip(dir, skip) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!skip.has(name)) files.push(path);
    }
  };
  walk(dir);
  const local = [], central = [];
  let offset = 0;
  const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;  // fixed, so that the zip is reproducible
  for (const path of files) {
    const name = Buffer.from('gradlab/' + relative(dir, path).split('\\').join('/'));
    const data = readFileSync(path);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(8, 8); head.writeUInt16LE(0, 10); head.writeUInt16LE(DOS_DATE, 12);
    head.writeUInt32LE(crc, 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26); head.writeUInt16LE(0, 28);
    local.push(head, name, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8); entry.writeUInt16LE(8, 10); entry.writeUInt16LE(0, 12);
    entry.writeUInt16LE(DOS_DATE, 14); entry.writeUInt32LE(crc, 16); entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24); entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += head.length + name.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dirBytes, end]);
}

async function main() {
  const a = args();
  for (const f of [a.mnist, join(UPLOT, 'uPlot.esm.js'), ...Object.values(ENGINES).flatMap((n) =>
    [join(a.modules, `${n}.js`), join(a.modules, `${n}.wasm`)])])
    if (!existsSync(f)) throw new Error(`make_site: ${f} is missing (build it first; npm ci for node_modules)`);
  rmSync(a.out, { recursive: true, force: true });
  mkdirSync(join(a.out, 'vendor'), { recursive: true });
  cpSync(a.www, a.out, { recursive: true, filter: (src) => !SOURCE_ONLY.has(src.split('/').pop()) });
  const workerScript = await bundle(join(a.www, 'worker.js'));
  writeFileSync(join(a.out, 'worker.js'), workerScript);
  // The walk-through's script, classic so that index.html also runs from file://.
  const walkScript = await bundle(join(a.www, 'walk.js'), { minify: true });
  writeFileSync(join(a.out, 'walk.js'), walkScript);
  for (const name of Object.values(ENGINES))
    for (const ext of ['js', 'wasm']) cpSync(join(a.modules, `${name}.${ext}`), join(a.out, `${name}.${ext}`));
  cpSync(join(UPLOT, 'uPlot.esm.js'), join(a.out, 'vendor/uPlot.esm.js'));
  cpSync(join(UPLOT, 'uPlot.min.css'), join(a.out, 'vendor/uPlot.min.css'));
  cpSync(join(root, 'node_modules/uplot/LICENSE'), join(a.out, 'vendor/uPlot.LICENSE'));
  cpSync(a.mnist, join(a.out, 'mnist.bin'));
  const offline = await offlinePage(a, workerScript);
  writeFileSync(join(a.out, 'gradlab-offline.html'), offline.html);
  const walkOffline = await walkOfflinePage(a, offline, walkScript);
  writeFileSync(join(a.out, 'gradlab-walk-offline.html'), walkOffline);
  writeFileSync(join(a.out, '_headers'), headersFile(a.out));
  writeFileSync(join(a.out, 'gradlab-site.zip'), zip(a.out, new Set(['gradlab-site.zip'])));
  const mb = (n) => (n / 1e6).toFixed(2);
  console.log(`make_site: ${a.out}: gradlab-offline.html ${mb(Buffer.byteLength(offline.html))} MB, ` +
    `gradlab-walk-offline.html ${mb(Buffer.byteLength(walkOffline))} MB, ` +
    `gradlab-site.zip ${mb(statSync(join(a.out, 'gradlab-site.zip')).size)} MB`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
