// The plain-language reading of the speeds: one sentence with the ratio, one
// paragraph saying what it means (vanishing, exploding or healthy), worded in
// the reader's language (i18n.js).

const VANISHING_RATIO = 10;  // last/first hidden-layer speed above this: vanishing

/**
 * @param {number[]} speeds hidden layers' speeds, input side first
 * @param {object} state the page state (for the activation's name)
 * @param {object} i18n makeI18n()
 * @returns {{kind: string, sentence: string, verdict: string}}
 */
export function readSpeeds(speeds, state, i18n) {
  const { t, fmt } = i18n;
  const n = speeds.length;
  if (n === 0) return { kind: 'none', sentence: '', verdict: '' };
  const first = speeds[0], last = speeds[n - 1];
  if (!speeds.every(Number.isFinite))
    return { kind: 'diverged', sentence: t('reading.diverged.sentence'), verdict: t('reading.diverged.verdict') };
  if (n === 1) {
    return { kind: 'single', sentence: t('reading.single.sentence', { speed: fmt.value(first) }),
      verdict: t('reading.single.verdict') };
  }
  const dead = speeds.map((s, i) => (s === 0 ? i + 1 : 0)).filter(Boolean);
  if (dead.length) {
    return { kind: 'dead', sentence: t('reading.dead.sentence', { n: dead.length, layers: i18n.list(dead.map(String)) }),
      verdict: t('reading.dead.verdict') };
  }
  const ratio = last / first;
  const sentence = ratio >= 1 / 1.05 && ratio <= 1.05 ? t('reading.same', { last: n })
    : ratio >= 1 ? t('reading.slower', { ratio: fmt.ratio(ratio), last: n })
      : t('reading.faster', { ratio: fmt.ratio(1 / ratio), last: n });
  const activation = state?.activation ? i18n.choice('activation', state.activation) : 'φ';
  // The factor per layer tells a steady decay (plain sigmoid: 4–5× a layer) from
  // one gap at the end (e.g. the last layer under batch norm).
  const perLayer = Math.abs(Math.log(ratio)) / (n - 1);
  const factor = fmt.ratio(Math.exp(perLayer));
  if (ratio >= VANISHING_RATIO && perLayer >= Math.log(2)) {
    return { kind: 'vanishing', sentence, verdict: t('reading.vanishing', { factor, activation,
      bound: state?.activation === 'sigmoid' ? t('reading.sigmoidBound') : '' }) };
  }
  if (ratio <= 1 / VANISHING_RATIO && perLayer >= Math.log(2))
    return { kind: 'exploding', sentence, verdict: t('reading.exploding', { factor }) };
  if (ratio >= VANISHING_RATIO || ratio <= 1 / VANISHING_RATIO)
    return { kind: 'mild', sentence, verdict: t('reading.mild', { gap: fmt.ratio(ratio >= 1 ? ratio : 1 / ratio), factor }) };
  return { kind: 'healthy', sentence, verdict: t('reading.healthy') };
}
