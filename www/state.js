// The page's state: one flat object of named settings, its schema (type, range,
// label, one-line help) and its URL-hash form. No DOM here.
//
// The URL hash stores names (`activation=relu`), never indices, so links survive
// reordering. Anything read from a URL is validated against the schema; bad input
// falls back to the default with a notice, and is never inserted as HTML.

/** @typedef {{key: string, type: 'enum'|'int'|'float'|'bool', group: string, label: string,
 *   help: string, default: any, values?: string[], min?: number, max?: number,
 *   step?: number|'any', showIf?: (s: object) => boolean, hidden?: boolean}} Setting */

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'linear', 'softplus', 'selu', 'gelu'];
const WEIGHT_INITS = ['nielsen', 'large', 'xavier_uniform', 'xavier_normal', 'he_normal', 'he_uniform',
  'lecun_normal', 'orthogonal', 'zeros', 'constant', 'scaled_normal'];
const BIAS_INITS = ['normal', 'zeros', 'scaled_normal', 'constant'];
const COSTS = ['cross_entropy', 'quadratic', 'log_likelihood'];
const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'];
export const DATASETS = ['mnist', 'circle', 'xor', 'gauss', 'spiral'];
import { PRESET_IDS } from './presets.js';

export const isToy = (s) => s.dataset !== 'mnist';

/**
 * Every setting, in the order the controls show them, by group. Keys are the CLI
 * flags in camelCase (--clip-norm → clipNorm), except the page's shorter names
 * for the basics (lr for --eta, batch, depth and width for --layers).
 */
export const SCHEMA = [
  { key: 'dataset', group: 'Data', type: 'enum', values: DATASETS, default: 'mnist', label: 'Dataset',
    help: 'Real MNIST digits (784 inputs, 10 classes) or a 2-D toy set (2 inputs, 2 classes).' },
  { key: 'noise', group: 'Data', type: 'float', min: 0, max: 0.5, step: 0.05, default: 0, label: 'Noise',
    help: 'How much the two classes of the 2-D set overlap.', showIf: isToy },
  { key: 'depth', group: 'Network', type: 'int', min: 1, max: 40, step: 1, default: 3, label: 'Hidden layers',
    help: 'More layers means a longer chain of derivatives between the cost and the first layer.' },
  { key: 'width', group: 'Network', type: 'int', min: 1, max: 256, step: 1, default: 30, label: 'Neurons per layer',
    help: 'Units in each hidden layer (Nielsen uses 30).' },
  { key: 'activation', group: 'Network', type: 'enum', values: ACTIVATIONS, default: 'sigmoid', label: 'Activation',
    help: "The hidden units' function φ. Sigmoid's slope is at most 1/4, tanh's at most 1, ReLU's is 0 or 1 (LeakyReLU and ELU keep a slope below 0)." },
  { key: 'cost', group: 'Network', type: 'enum', values: COSTS, default: 'cross_entropy', label: 'Cost',
    help: "Output and cost: sigmoid + cross-entropy (Nielsen's), sigmoid + quadratic, or softmax + log-likelihood." },
  { key: 'init', group: 'Initialization', type: 'enum', values: WEIGHT_INITS, default: 'nielsen', label: 'Weight init',
    help: 'How the weights start: their scale decides whether gradients shrink or grow layer by layer. Xavier suits tanh, He suits ReLU.' },
  { key: 'sigmaW', group: 'Initialization', type: 'float', min: 0, max: 10, step: 0.05, default: 1, label: 'σ_w',
    help: 'scaled_normal weights: W ~ N(0, σ_w²/n_in). For tanh, σ_w = 1 is the edge of chaos.',
    showIf: (s) => s.init === 'scaled_normal' },
  { key: 'weightConst', group: 'Initialization', type: 'float', min: -10, max: 10, step: 0.01, default: 0.1, label: 'Weight value',
    help: 'constant init: every weight starts at this value (all units in a layer then stay identical).',
    showIf: (s) => s.init === 'constant' },
  { key: 'biasInit', group: 'Initialization', type: 'enum', values: BIAS_INITS, default: 'normal', label: 'Bias init',
    help: "How the biases start: Nielsen's normal N(0, 1), zeros, N(0, σ_b²) or a constant." },
  { key: 'sigmaB', group: 'Initialization', type: 'float', min: 0, max: 5, step: 0.05, default: 1, label: 'σ_b',
    help: 'scaled_normal biases: b ~ N(0, σ_b²).', showIf: (s) => s.biasInit === 'scaled_normal' },
  { key: 'biasConst', group: 'Initialization', type: 'float', min: -10, max: 10, step: 0.01, default: 0, label: 'Bias value',
    help: 'constant bias init: every bias starts at this value.', showIf: (s) => s.biasInit === 'constant' },
  { key: 'lr', group: 'Training', type: 'float', min: 0.0001, max: 100, step: 'any', default: 0.1, label: 'Learning rate η',
    help: 'Step size of gradient descent: each weight moves by −η times its gradient.' },
  { key: 'batch', group: 'Training', type: 'int', min: 1, max: 1000, step: 1, default: 10, label: 'Mini-batch size',
    help: 'Examples averaged per gradient step.' },
  { key: 'optimizer', group: 'Training', type: 'enum', values: OPTIMIZERS, default: 'sgd', label: 'Optimizer',
    help: 'SGD, SGD with momentum, Adam or RMSProp. Adam and RMSProp rescale each weight’s step, not its gradient: the speeds still vanish, but the step sizes even out.' },
  { key: 'momentum', group: 'Training', type: 'float', min: 0, max: 0.999, step: 0.01, default: 0.9, label: 'Momentum β',
    help: "Momentum's β (and Adam's β₁): how much of the previous steps carries on.",
    showIf: (s) => s.optimizer === 'momentum' || s.optimizer === 'adam' },
  { key: 'seed', group: 'Training', type: 'int', min: 0, max: 2147483647, step: 1, default: 1, label: 'Seed',
    help: 'The same seed gives the same initial weights and batch order.' },
  { key: 'batchNorm', group: 'Remedies', type: 'bool', default: false, label: 'Batch norm',
    help: "Normalise each hidden layer's z over the mini-batch, then scale by γ and shift by β: pulls sigmoid out of its flat tails. Such a layer's speed is ‖∂C/∂β‖ (its bias b gets zero gradient)." },
  { key: 'residual', group: 'Remedies', type: 'bool', default: false, label: 'Residual shortcuts',
    help: 'a = a_in + φ(y): the gradient flows back through the identity, past every layer. Only between hidden layers of equal width, so not into the first one.' },
  { key: 'clipNorm', group: 'Remedies', type: 'float', min: 0, max: 1000, step: 'any', default: 0, label: 'Clip norm',
    help: "Gradient clipping (Pascanu et al.): if the whole gradient's norm exceeds T, scale it down to T, so no step is larger than η·T. 0 = off." },
  { key: 'clipValue', group: 'Remedies', type: 'float', min: 0, max: 1000, step: 'any', default: 0, label: 'Clip value',
    help: 'Clamp every gradient component to [−V, V]. 0 = off.' },
  { key: 'l2', group: 'Remedies', type: 'float', min: 0, max: 100, step: 'any', default: 0, label: 'L2 λ',
    help: 'Weight decay as in Nielsen: w ← (1 − ηλ/n) w − η ∂C/∂w. Keeps weights, and so explosions, small.' },
  { key: 'l1', group: 'Remedies', type: 'float', min: 0, max: 100, step: 'any', default: 0, label: 'L1 λ₁',
    help: 'w ← w − (ηλ₁/n) sgn(w) − η ∂C/∂w: pushes weights to exactly zero.' },
  { key: 'pretrainEpochs', group: 'Remedies', type: 'int', min: 0, max: 20, step: 1, default: 0, label: 'Pretrain epochs',
    help: 'Greedy layer-wise pretraining: each hidden layer is first trained as an autoencoder on the layer below, for this many epochs; then the whole network is fine-tuned. 0 = off.' },
  { key: 'preset', group: 'Presets', type: 'enum', values: ['', ...PRESET_IDS], default: '', label: 'Preset',
    help: 'The preset these settings came from (its caption is shown).', hidden: true },
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
  if (s.type === 'bool') {
    if (raw === true || text === 'true' || text === '1') return { value: true };
    if (raw === false || text === 'false' || text === '0') return { value: false };
    return { error: `${key}: '${text}' is not true or false` };
  }
  if (s.type === 'enum') {
    return s.values.includes(text) ? { value: text }
      : { error: `${key}: '${text}' is not one of ${s.values.filter(Boolean).join(', ')}` };
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

/** The hash that reproduces `state`: every setting, by name (booleans as 0/1). */
export function toHash(state) {
  const params = new URLSearchParams();
  for (const s of SCHEMA) {
    if (s.key === 'preset' && !state.preset) continue;
    const v = state[s.key];
    params.set(s.key, s.type === 'bool' ? (v ? '1' : '0') : String(v));
  }
  return '#' + params.toString();
}

/** Settings that need a new network when they change (the rest only retune training). */
export const REBUILDS = new Set(['dataset', 'noise', 'depth', 'width', 'activation', 'init', 'sigmaW',
  'weightConst', 'biasInit', 'sigmaB', 'biasConst', 'cost', 'seed', 'batchNorm', 'residual', 'pretrainEpochs']);
