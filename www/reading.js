// The plain-language reading of the speeds: one sentence with the ratio, one
// paragraph saying what it means (vanishing, exploding or healthy).
import { formatRatio } from './charts/format.js';

const VANISHING_RATIO = 10;  // last/first hidden-layer speed above this: vanishing

/**
 * @param {number[]} speeds hidden layers' speeds, input side first
 * @param {object} state the page state (for the activation's name)
 * @returns {{kind: string, sentence: string, verdict: string}}
 */
export function readSpeeds(speeds, state) {
  const n = speeds.length;
  if (n === 0) return { kind: 'none', sentence: '', verdict: '' };
  const first = speeds[0], last = speeds[n - 1];
  if (!speeds.every(Number.isFinite)) {
    return { kind: 'diverged', sentence: 'Some speeds are not numbers: the run has diverged.',
      verdict: 'A value overflowed to infinity or became NaN. Reset, then lower the learning rate or the weight scale.' };
  }
  if (n === 1) {
    return { kind: 'single', sentence: `The hidden layer learns at speed ${first.toPrecision(3)}.`,
      verdict: 'With one hidden layer there is nothing to compare: add hidden layers to see the speeds drift apart.' };
  }
  const dead = speeds.map((s, i) => (s === 0 ? i + 1 : 0)).filter(Boolean);
  if (dead.length) {
    return { kind: 'dead', sentence: `No gradient reaches hidden layer${dead.length > 1 ? 's' : ''} ${dead.join(', ')}.`,
      verdict: 'Every unit there is saturated or dead (a ReLU that outputs 0 for every example passes no gradient back), so those layers cannot learn at all.' };
  }
  const ratio = last / first;
  const sentence = ratio >= 1 / 1.05 && ratio <= 1.05
    ? `Hidden layer 1 learns about as fast as hidden layer ${n}.`
    : ratio >= 1
      ? `Hidden layer 1 learns ${formatRatio(ratio)}× slower than hidden layer ${n}.`
      : `Hidden layer 1 learns ${formatRatio(1 / ratio)}× faster than hidden layer ${n}.`;
  const act = state?.activation ?? 'the activation';
  // The factor per layer tells a steady decay (plain sigmoid: 4–5× a layer) from
  // one gap at the end (e.g. the last layer under batch norm).
  const perLayer = Math.abs(Math.log(ratio)) / (n - 1);
  const factor = formatRatio(Math.exp(perLayer));
  if (ratio >= VANISHING_RATIO && perLayer >= Math.log(2)) {
    return { kind: 'vanishing', sentence, verdict:
      `Vanishing gradient: about ${factor}× slower per layer. On its way back from the output, the gradient is multiplied at every layer by the weights and by φ'(z) (for ${act}` +
      (act === 'sigmoid' ? ', at most 1/4' : '') +
      '), so it shrinks layer after layer. The early layers barely change: adding them does not make the network learn better.' };
  }
  if (ratio <= 1 / VANISHING_RATIO && perLayer >= Math.log(2)) {
    return { kind: 'exploding', sentence, verdict:
      `Exploding gradient: about ${factor}× faster per layer towards the input. Factors |w·φ'(z)| larger than 1 multiply on the way back, so the early layers get far larger updates than the late ones and training turns unstable.` };
  }
  if (ratio >= VANISHING_RATIO || ratio <= 1 / VANISHING_RATIO) {
    return { kind: 'mild', sentence, verdict:
      `A gap of ${formatRatio(ratio >= 1 ? ratio : 1 / ratio)}× between the first and the last hidden layer, but only about ${factor}× per layer: most of it sits in a few layers rather than compounding through all of them (plain sigmoid layers lose 4–5× each).` };
  }
  return { kind: 'healthy', sentence, verdict:
    'Healthy: all hidden layers learn at similar speeds (within 10× of each other), so the early layers can learn as well as the late ones.' };
}
