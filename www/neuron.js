// Nielsen's single-neuron chain (ch. 5): input a₀, then four sigmoid neurons in a
// row, zⱼ = wⱼ aⱼ₋₁ + bⱼ, aⱼ = σ(zⱼ), and the quadratic cost C = (a₄ − y)²/2. The
// gradient for an early bias is a product, one factor wⱼ σ′(zⱼ) per later neuron:
//   ∂C/∂b₁ = σ′(z₁) · w₂σ′(z₂) · w₃σ′(z₃) · w₄σ′(z₄) · (a₄ − y).
// Pure functions, no DOM: the page's view (neuronview.js) calls them, and the node
// tests check them against finite differences.
import { mulberry32 } from './random.js';

export const NEURONS = 4;

const sigma = (z) => 1 / (1 + Math.exp(-z));
const sigmaPrime = (z) => sigma(z) * (1 - sigma(z));

/**
 * The chain for weights w[0..3] and biases b[0..3], input `input` and target
 * `target`: every zⱼ, aⱼ, σ′(zⱼ), the factor wⱼσ′(zⱼ) of each neuron after the
 * first, and ∂C/∂bⱼ for every neuron.
 */
export function neuronChain({ w, b, input = 1, target = 0 }) {
  const z = [], a = [], dphi = [];
  let prev = input;
  for (let j = 0; j < NEURONS; j++) {
    z.push(w[j] * prev + b[j]);
    a.push(sigma(z[j]));
    dphi.push(sigmaPrime(z[j]));
    prev = a[j];
  }
  const factors = w.map((wj, j) => (j === 0 ? NaN : wj * dphi[j]));
  const dCdb = new Array(NEURONS);
  dCdb[NEURONS - 1] = dphi[NEURONS - 1] * (a[NEURONS - 1] - target);
  for (let j = NEURONS - 2; j >= 0; j--) dCdb[j] = dphi[j] * w[j + 1] * dCdb[j + 1];
  const cost = (a[NEURONS - 1] - target) ** 2 / 2;
  return { z, a, dphi, factors, dCdb, cost };
}

/** n standard normals from a seed (Box–Muller over mulberry32). */
function normals(seed, n) {
  const uniform = mulberry32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
}

/** The book's examples: the vanishing default (weights and biases from N(0, 1)), and the explosion. */
export const NEURON_EXAMPLES = {
  /** Weights and biases drawn from N(0, 1): every factor |wⱼσ′(zⱼ)| is below 1/4 unless |wⱼ| > 1 is drawn. */
  vanishing: (seed = 3) => {
    const r = normals(seed, 2 * NEURONS);
    return { w: r.slice(0, NEURONS), b: r.slice(NEURONS) };
  },
  /** w = 100 everywhere, each bias chosen so that zⱼ = 0: each factor is 100 · σ′(0) = 25. */
  exploding: (input = 1) => {
    const w = new Array(NEURONS).fill(100), b = [];
    let prev = input;
    for (let j = 0; j < NEURONS; j++) {
      b.push(-w[j] * prev);
      prev = sigma(0);
    }
    return { w, b };
  },
};

/**
 * The narrow window (Nielsen's problem): for a weight w (|w| > 4), the width of
 * the range of inputs a for which |w σ′(wa + b)| ≥ 1, whatever b is:
 *   (2/|w|) · ln(|w|(1 + √(1 − 4/|w|))/2 − 1); 0 for |w| ≤ 4.
 */
export function windowWidth(w) {
  const m = Math.abs(w);
  if (m <= 4) return 0;
  return (2 / m) * Math.log((m * (1 + Math.sqrt(1 - 4 / m))) / 2 - 1);
}
