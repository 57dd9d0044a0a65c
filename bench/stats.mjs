// The benchmarks' one summary statistic, shared by bench/run.mjs and bench/walk.mjs.

/** The median of the numbers `xs` (the mean of the middle two when their count is even). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
