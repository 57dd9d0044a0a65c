// Colour maps that stay readable for colour-blind readers: viridis for layer
// order (input side dark, output side bright), cividis for speed values, and the
// Okabe–Ito orange/blue pair for the two classes of the 2-D sets.

const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const CIVIDIS = ['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#e4cf5b', '#fee838'];

export const CLASS_COLORS = ['#E69F00', '#0072B2'];  // class 0, class 1 (Okabe–Ito)

function hex(c) {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

function sample(table, t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (table.length - 1);
  const i = Math.min(table.length - 2, Math.floor(x));
  const a = hex(table[i]), b = hex(table[i + 1]);
  const f = x - i;
  return `rgb(${a.map((v, k) => Math.round(v + (b[k] - v) * f)).join(',')})`;
}

/** Colour of layer i of n (input side first). Stops short of viridis' pale yellow end. */
export function layerColor(i, n) {
  return sample(VIRIDIS, n <= 1 ? 0.4 : (i / (n - 1)) * 0.9);
}

/** Colour of a value t in [0, 1] on cividis (dark blue = slow, yellow = fast). */
export function speedColor(t) {
  return sample(CIVIDIS, t);
}

/** RGB of P(class 1) = p: orange through white to blue. */
export function probabilityRGB(p) {
  const a = hex(CLASS_COLORS[0]), b = hex(CLASS_COLORS[1]), w = [255, 255, 255];
  const q = Math.min(1, Math.max(0, p));
  const [from, to, f] = q < 0.5 ? [a, w, q * 2] : [w, b, (q - 0.5) * 2];
  return from.map((v, k) => Math.round(v + (to[k] - v) * f));
}
