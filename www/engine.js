// Which build of the wasm module this browser can run, by feature detection:
//   'simd'      WASM SIMD and wasm exceptions (Chrome/Edge 95+, Firefox 100+, Safari 16.4+)
//   'baseline'  WebAssembly 1.0 only: every browser with WebAssembly, more slowly
//   null        no WebAssembly at all
// Each probe is the smallest module that uses the feature: WebAssembly.validate
// says whether this browser could compile it.
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const PROBES = {
  // (func (result v128) (v128.const i32x4 0 0 0 0))
  simd: [...HEADER, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0,
    10, 22, 1, 20, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b],
  // (func (try (do)))
  exceptions: [...HEADER, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0x06, 0x40, 0x0b, 0x0b],
};

/** {simd, exceptions} support of a WebAssembly implementation (default: this one). */
export function wasmFeatures(wasm = globalThis.WebAssembly) {
  const has = (bytes) => {
    try {
      return Boolean(wasm.validate(new Uint8Array(bytes)));
    } catch {
      return false;
    }
  };
  if (typeof wasm !== 'object' || wasm === null || typeof wasm.validate !== 'function')
    return { webassembly: false, simd: false, exceptions: false };
  return { webassembly: true, simd: has(PROBES.simd), exceptions: has(PROBES.exceptions) };
}

/**
 * The engine to load: 'simd' where both features are there and `allowSimd`
 * (the page's `simd` key), else 'baseline'; null without WebAssembly.
 */
export function chooseEngine(features, allowSimd = true) {
  if (!features.webassembly) return null;
  return allowSimd && features.simd && features.exceptions ? 'simd' : 'baseline';
}
