// A small seeded generator of uniform numbers in [0, 1) (mulberry32): the
// single-neuron chain's example draws and the page fuzzer's inputs. Not for
// training (the core has its own, portable generator).
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
