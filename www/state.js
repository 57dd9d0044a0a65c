// The page's state: one flat object of named settings, its schema (type, range,
// label, one-line help) and its URL-hash form. No DOM here.
//
// The URL hash stores names (`activation=relu`), never indices, so links survive
// reordering. Anything read from a URL is validated against the schema; bad input
// falls back to the default with a notice, and is never inserted as HTML.

/** @typedef {{key: string, type: 'enum'|'int'|'float', label: string, help: string,
 *   default: any, values?: string[], min?: number, max?: number, step?: number,
 *   showIf?: (s: object) => boolean}} Setting */

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'linear', 'softplus', 'selu', 'gelu'];
const WEIGHT_INITS = ['nielsen', 'large', 'xavier_uniform', 'xavier_normal', 'he_normal', 'he_uniform',
  'lecun_normal', 'orthogonal', 'zeros', 'constant', 'scaled_normal'];
const BIAS_INITS = ['normal', 'zeros', 'scaled_normal', 'constant'];
const COSTS = ['cross_entropy', 'quadratic', 'log_likelihood'];
export const DATASETS = ['mnist', 'circle', 'xor', 'gauss', 'spiral'];

export const isToy = (s) => s.dataset !== 'mnist';

/** Every setting, in the order the controls show them. */
export const SCHEMA = [
  { key: 'dataset', type: 'enum', values: DATASETS, default: 'mnist', label: 'Dataset',
    help: 'Real MNIST digits (784 inputs, 10 classes) or a 2-D toy set (2 inputs, 2 classes).' },
  { key: 'noise', type: 'float', min: 0, max: 0.5, step: 0.05, default: 0, label: 'Noise',
    help: 'How much the two classes of the 2-D set overlap.', showIf: isToy },
  { key: 'depth', type: 'int', min: 1, max: 40, step: 1, default: 3, label: 'Hidden layers',
    help: 'More layers means a longer chain of derivatives between the cost and the first layer.' },
  { key: 'width', type: 'int', min: 1, max: 256, step: 1, default: 30, label: 'Neurons per layer',
    help: 'Units in each hidden layer (Nielsen uses 30).' },
  { key: 'activation', type: 'enum', values: ACTIVATIONS, default: 'sigmoid', label: 'Activation',
    help: "The hidden units' function φ. Sigmoid's slope is at most 1/4, tanh's at most 1, ReLU's is 0 or 1." },
  { key: 'init', type: 'enum', values: WEIGHT_INITS, default: 'nielsen', label: 'Weight init',
    help: 'How the weights start: their scale decides whether gradients shrink or grow layer by layer.' },
  { key: 'sigmaW', type: 'float', min: 0, max: 10, step: 0.05, default: 1, label: 'σ_w',
    help: 'scaled_normal weights: W ~ N(0, σ_w²/n_in). For tanh, σ_w = 1 is the edge of chaos.',
    showIf: (s) => s.init === 'scaled_normal' },
  { key: 'weightConst', type: 'float', min: -10, max: 10, step: 0.01, default: 0.1, label: 'Weight value',
    help: 'constant init: every weight starts at this value (all units in a layer then stay identical).',
    showIf: (s) => s.init === 'constant' },
  { key: 'biasInit', type: 'enum', values: BIAS_INITS, default: 'normal', label: 'Bias init',
    help: "How the biases start: Nielsen's normal N(0, 1), zeros, N(0, σ_b²) or a constant." },
  { key: 'sigmaB', type: 'float', min: 0, max: 5, step: 0.05, default: 1, label: 'σ_b',
    help: 'scaled_normal biases: b ~ N(0, σ_b²).', showIf: (s) => s.biasInit === 'scaled_normal' },
  { key: 'biasConst', type: 'float', min: -10, max: 10, step: 0.01, default: 0, label: 'Bias value',
    help: 'constant bias init: every bias starts at this value.', showIf: (s) => s.biasInit === 'constant' },
  { key: 'cost', type: 'enum', values: COSTS, default: 'cross_entropy', label: 'Cost',
    help: "Output and cost: sigmoid + cross-entropy (Nielsen's), sigmoid + quadratic, or softmax + log-likelihood." },
  { key: 'lr', type: 'float', min: 0.0001, max: 100, step: 'any', default: 0.1, label: 'Learning rate η',
    help: 'Step size of gradient descent: each weight moves by −η times its gradient.' },
  { key: 'batch', type: 'int', min: 1, max: 1000, step: 1, default: 10, label: 'Mini-batch size',
    help: 'Examples averaged per gradient step.' },
  { key: 'l2', type: 'float', min: 0, max: 100, step: 'any', default: 0, label: 'L2 λ',
    help: 'Weight decay as in Nielsen: w ← (1 − ηλ/n) w − η ∂C/∂w.' },
  { key: 'seed', type: 'int', min: 0, max: 2147483647, step: 1, default: 1, label: 'Seed',
    help: 'The same seed gives the same initial weights and batch order.' },
];

export const SETTINGS = Object.fromEntries(SCHEMA.map((s) => [s.key, s]));

export function defaults() {
  return Object.fromEntries(SCHEMA.map((s) => [s.key, s.default]));
}

/**
 * Checks one value against its setting. Returns {value} or {error} (a sentence).
 * Accepts strings (from a URL or an input) and numbers.
 */
export function parseValue(key, raw) {
  const s = SETTINGS[key];
  if (!s) return { error: `unknown setting '${key}'` };
  const text = String(raw).trim();
  if (s.type === 'enum') {
    return s.values.includes(text) ? { value: text }
      : { error: `${key}: '${text}' is not one of ${s.values.join(', ')}` };
  }
  const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) return { error: `${key}: '${text}' is not a number` };
  if (s.type === 'int' && !Number.isInteger(n)) return { error: `${key}: ${text} is not a whole number` };
  if (n < s.min || n > s.max) return { error: `${key}: ${text} is outside ${s.min}–${s.max}` };
  return { value: n };
}

/**
 * Validates a partial update. Returns {changes, errors}: the valid entries, and a
 * sentence for each invalid or unknown one.
 */
export function validate(partial) {
  const changes = {};
  const errors = [];
  for (const [key, raw] of Object.entries(partial ?? {})) {
    const r = parseValue(key, raw);
    if ('error' in r) errors.push(r.error);
    else changes[key] = r.value;
  }
  return { changes, errors };
}

/**
 * Reads a URL hash ("#depth=5&activation=relu"). Returns the full state (defaults
 * for what is missing or bad) and notices for what was ignored.
 */
export function fromHash(hash) {
  const state = defaults();
  const notices = [];
  const text = (hash ?? '').replace(/^#/, '');
  if (!text) return { state, notices };
  let params;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { state, notices: ['The link could not be read; using the default settings.'] };
  }
  for (const [key, raw] of params) {
    if (!(key in SETTINGS)) {
      notices.push(`Ignored the unknown setting '${key}' in the link.`);
      continue;
    }
    const r = parseValue(key, raw);
    if ('error' in r) notices.push(`In the link, ${r.error}; using ${SETTINGS[key].default}.`);
    else state[key] = r.value;
  }
  return { state, notices };
}

/** The hash that reproduces `state`: every setting, by name. */
export function toHash(state) {
  const params = new URLSearchParams();
  for (const s of SCHEMA) params.set(s.key, String(state[s.key]));
  return '#' + params.toString();
}

/** Settings that need a new network when they change (the rest only retune SGD). */
export const REBUILDS = new Set(['dataset', 'noise', 'depth', 'width', 'activation', 'init', 'sigmaW',
  'weightConst', 'biasInit', 'sigmaB', 'biasConst', 'cost', 'seed']);
