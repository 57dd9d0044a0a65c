// Choosing the wasm build by feature detection (www/engine.js): the probes are
// real modules (this node validates them), and a WebAssembly without SIMD, without
// exceptions or missing altogether gets the baseline build or a clear refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseEngine, wasmFeatures } from '../../www/engine.js';

test('this node has WebAssembly, SIMD and exceptions: the SIMD build', () => {
  const f = wasmFeatures();
  assert.deepEqual(f, { webassembly: true, simd: true, exceptions: true });
  assert.equal(chooseEngine(f), 'simd');
  assert.equal(chooseEngine(f, false), 'baseline', 'simd=0 forces the baseline build');
});

test('a WebAssembly that refuses one feature gets the baseline build; none gets null', () => {
  // A WebAssembly whose validate() refuses modules containing a given opcode.
  const refusing = (opcode) => ({
    validate: (bytes) => {
      for (let i = 8; i < bytes.length; i++) if (bytes[i] === opcode) return false;
      return WebAssembly.validate(bytes);
    },
  });
  const noSimd = wasmFeatures(refusing(0xfd));
  assert.deepEqual(noSimd, { webassembly: true, simd: false, exceptions: true });
  assert.equal(chooseEngine(noSimd), 'baseline');
  const noExceptions = wasmFeatures(refusing(0x06));
  assert.equal(noExceptions.exceptions, false);
  assert.equal(chooseEngine(noExceptions), 'baseline');
  const throwing = wasmFeatures({ validate: () => { throw new Error('no'); } });
  assert.equal(chooseEngine(throwing), 'baseline');
  assert.equal(chooseEngine(wasmFeatures(null)), null);
  assert.equal(chooseEngine(wasmFeatures({})), null);
});
