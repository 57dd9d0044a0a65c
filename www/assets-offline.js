// The offline file's assets (tools/make_site.mjs builds gradlab-offline.html with
// this module in place of assets.js): the worker, both wasm modules and the MNIST
// digits are inlined in the page as gzipped base64 in <script type="application/
// octet-stream"> elements, which the browser never runs. The worker starts from a
// Blob URL as a classic script (a module worker cannot start from file://) and
// unpacks the module and the digits with DecompressionStream.
export const OFFLINE = true;

/** The gzipped bytes of the inlined payload `name` (the walk-through's one file reads its lab with it too). */
export function payload(name) {
  const element = document.getElementById(`gradlab-${name}`);
  if (!element) throw Object.assign(new Error(`this offline file is incomplete (it has no ${name}); download it again`),
    { code: 'offline_incomplete', values: { name } });
  const text = atob(element.textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The text of gzipped `bytes`. */
export async function gunzipText(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export const MODULE_FILES = { simd: 'simd-js', baseline: 'baseline-js' };

/** A function that starts the worker: the module's script and the worker's, in one Blob. */
export async function workerFactory(engine) {
  if (typeof DecompressionStream !== 'function')
    throw Object.assign(new Error('this browser cannot unpack the offline file (no DecompressionStream); use the web version'),
      { code: 'offline_unpack', values: {} });
  const [glue, worker] = await Promise.all([gunzipText(payload(MODULE_FILES[engine])), gunzipText(payload('worker-js'))]);
  const url = URL.createObjectURL(new Blob([glue, '\n', worker], { type: 'text/javascript' }));
  return () => new Worker(url);
}

/** The gzipped module and digits, for the worker to unpack. */
export async function initPayload(engine) {
  let mnist;
  try {
    mnist = { gzip: payload('mnist') };
  } catch (e) {
    mnist = { error: e.message };
  }
  return { module: { wasmGzip: payload(`${engine}-wasm`) }, mnist };
}

export function pageAddress() {
  return location.href.replace(/#.*$/, '');
}
