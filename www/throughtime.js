// The recurrent mode's numbers and sentences, pure (no DOM): what timeview.js
// draws and the node tests check.

/** Each cell's colour, whichever is the model (the Okabe–Ito palette of the other views). */
export const CELL_COLORS = { rnn: '#D55E00', lstm: '#0072B2' };

/** ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of a cell's gradient through time (NaN if either is not positive and finite). Pure. */
export function firstToLast(g) {
  const first = g[0], last = g[g.length - 1];
  return first > 0 && last > 0 && Number.isFinite(first) && Number.isFinite(last) ? first / last : NaN;
}

/** The sentence of one cell: how the gradient reaching step 1 compares with step T. Pure. */
export function timeSentence(cell, i18n) {
  const { t, fmt } = i18n;
  const name = t(`time.cell.${cell.cell}`);
  // It diverged at the step after its last one (the update it refused), as the CLI says.
  if (cell.diverged) return t('time.diverged', { name, step: cell.steps + 1 });
  const T = cell.gradThroughTime.length;
  const r = firstToLast(cell.gradThroughTime);
  if (!Number.isFinite(r)) return t('time.vanished', { name, T });
  if (r < 1) return t('time.smaller', { name, ratio: fmt.ratio(1 / r), T });
  return t('time.larger', { name, ratio: fmt.ratio(r), T });
}

/** The share of step 1's cell state a forget gate at its initial σ(bias) keeps after T − 1 steps. Pure. */
export function forgetKept(bias, T) {
  return (1 / (1 + Math.exp(-bias))) ** (T - 1);
}
