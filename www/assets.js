// Where the served page finds its worker, its wasm module and its digits: files
// next to this one. The offline file replaces this module with assets-offline.js
// (tools/make_site.mjs), which finds the same things inlined in the page.
export const OFFLINE = false;

const here = (path) => new URL(path, import.meta.url).href;

/** The wasm module's script for each engine (engine.js). */
export const MODULE_FILES = { simd: 'gradlab.js', baseline: 'gradlab-baseline.js' };

/** A function that starts the worker (a classic script) for `engine`. */
export async function workerFactory() {
  const url = here('./worker.js');
  return () => new Worker(url);
}

/** What the worker's init request needs to load the module and the digits. */
export async function initPayload(engine) {
  return { module: { script: here(MODULE_FILES[engine]) }, mnist: { url: here('./mnist.bin') } };
}

/** The address of the served page (links and embed snippets point here). */
export function pageAddress() {
  return location.href.replace(/#.*$/, '');
}
