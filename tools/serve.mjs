#!/usr/bin/env node
// A small static file server for the built site (no dependencies): correct MIME
// types for .mjs and .wasm, gzip for clients that accept it, loopback only.
//   usage: node tools/serve.mjs <site dir> [port]   (default 8000)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { DEFAULT_FRAME_ANCESTORS, SITE_POLICY_PAGE, headerPolicy, metaPolicy, sitePolicy } from './csp.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.bin': 'application/octet-stream',
  '.json': 'application/json', '.zip': 'application/zip', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};
const cache = new Map();  // path -> {mtime, body, gz}

async function load(path) {
  const info = await stat(path);
  const hit = cache.get(path);
  if (hit && hit.mtime === info.mtimeMs) return hit;
  const body = await readFile(path);
  const entry = { mtime: info.mtimeMs, body, gz: gzipSync(body, { level: 6 }) };
  cache.set(path, entry);
  return entry;
}

/**
 * Serves `dir` on host:port; resolves with the listening http.Server. Every
 * response carries the Content-Security-Policy (tools/csp.mjs): an HTML page its
 * own meta tag's, anything else the simulator's (SITE_POLICY_PAGE), each with frame-ancestors
 * `frameAncestors` (default: any page may embed it; GRADLAB_FRAME_ANCESTORS).
 * `headers` are added to every response (the benchmark adds COOP/COEP so that
 * TensorFlow.js may use threads, and serves its peers' pages with `csp: false`).
 */
export function serve(dir, { port = 8000, host = '127.0.0.1', headers = {}, csp = true,
  frameAncestors = process.env.GRADLAB_FRAME_ANCESTORS || DEFAULT_FRAME_ANCESTORS } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (path !== root && !path.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const file = await load(path);
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      // A page's own policy, anything else the simulator's (read through the cache, so a rebuilt site's is current).
      const policy = csp && ((extname(path) === '.html' && metaPolicy(file.body.toString('utf8'))) ||
        sitePolicy((await load(join(root, SITE_POLICY_PAGE))).body.toString('utf8')));
      res.writeHead(200, {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        ...(policy ? { 'Content-Security-Policy': headerPolicy(policy, frameAncestors) } : {}),
        ...headers,
        ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : gzip ? file.gz : file.body);
    } catch (e) {
      const missing = e.code === 'ENOENT' || e.code === 'ENOTDIR';
      res.writeHead(missing ? 404 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(missing ? 'not found\n' : 'server error\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'build-wasm/site';
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8000);
  const host = process.env.HOST ?? '127.0.0.1';
  serve(dir, { port, host }).then(
    () => {
      console.log(`gradlab: serving ${resolve(dir)} at http://${host}:${port}/`);
      console.log(`  the walk-through:   http://${host}:${port}/`);
      console.log(`  the simulator:      http://${host}:${port}/lab.html`);
      console.log(`  embedding examples: http://${host}:${port}/embed.html`);
      console.log(`  offline, one file:  ${join(resolve(dir), 'gradlab-offline.html')} (open it from disk)`);
    },
    (e) => {
      console.error(`gradlab: cannot serve on ${host}:${port}: ${e.message}`);
      process.exit(1);
    });
}
