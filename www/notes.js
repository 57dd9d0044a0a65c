// Plain-language notes: one line per remedy that is on (what it does to what the
// reader sees), and what the page measured on fewer examples than usual for a
// large network. Pure functions of the page state and a snapshot; no DOM.
import { formatValue } from './charts/format.js';

/** What clipping bounds under each optimizer (see core/update.hpp). */
export function clippingBound(optimizer, momentum) {
  switch (optimizer) {
    case 'sgd': return 'Under SGD no step can then be larger than η times that.';
    case 'momentum': return `Momentum adds up the clipped gradients, so a step can still reach η/(1 − β) = ${formatValue(1 / (1 - momentum))}η times that.`;
    case 'adam': return 'Adam divides each step by the gradients’ recent size, so clipping limits what enters its averages, not the step (already about η per weight).';
    case 'rmsprop': return 'RMSProp divides each step by the gradients’ recent size, so clipping limits what enters its average, not the step.';
    default: return '';
  }
}

/** One sentence per remedy that is on. */
export function remedyNotes(s, snap) {
  const notes = [];
  if (s.batchNorm)
    notes.push('Batch norm: each hidden layer’s z is normalised over the mini-batch, then scaled by γ and shifted by β, which replaces the bias. A layer’s speed is measured as ‖∂C/∂β‖; the probe normalises its examples in groups of one mini-batch, as training does.');
  if (s.residual) {
    const joined = snap.shortcuts.filter(Boolean).length;
    notes.push(`Residual: ${joined} shortcut${joined === 1 ? '' : 's'} (the arcs in the diagram) join hidden layers of equal width. Hidden layer 1 has none: its input, the ${snap.widths[0]} ${s.dataset === 'mnist' ? 'pixels' : 'coordinates'}, is the data, and gradlab adds no projection.`);
  }
  if (s.optimizer === 'adam' || s.optimizer === 'rmsprop')
    notes.push(`${s.optimizer === 'adam' ? 'Adam' : 'RMSProp'} rescales each weight’s step by the size of its recent gradients; it does not change the gradients. The speeds (left) can still vanish while the step sizes ‖ΔW‖/‖W‖ (right) even out across layers.`);
  if (s.optimizer === 'momentum')
    notes.push('Momentum adds up past gradients, so steps grow where successive gradients agree; the speeds are still the gradients’ norms.');
  if (s.clipNorm > 0 || s.clipValue > 0) {
    const b = snap.batch;
    const at = [s.clipNorm > 0 ? `at a global norm of ${s.clipNorm}` : '', s.clipValue > 0 ? `at ±${s.clipValue} per component` : '']
      .filter(Boolean).join(' and ');
    const fired = snap.step > 0
      ? ` Last step: ‖g‖ = ${formatValue(b.gradNorm)} before clipping${b.clipped ? ' (clipped)' : ''}; clipped in ${b.clipCount} of ${snap.step} steps (${Math.round(100 * b.clipCount / snap.step)} %).`
      : '';
    notes.push(`Gradient clipping ${at}. ${clippingBound(s.optimizer, s.momentum)}${fired} Speeds are measured before clipping.`);
  }
  if (s.l2 > 0 || s.l1 > 0)
    notes.push(`${[s.l2 > 0 ? 'L2 shrinks every weight in proportion to its size' : '', s.l1 > 0 ? 'L1 moves every weight a fixed amount towards zero and stops it there, so many become exactly 0' : ''].filter(Boolean).join('; ')} (weights only, not biases). The speeds shown are the cost’s gradient without the penalty.`);
  if (s.pretrainEpochs > 0)
    notes.push('Pretraining uses the training settings (optimizer, η, mini-batch, clipping, penalties) as fine-tuning does; change them and the next pretraining step follows.');
  return notes;
}

/**
 * The probe sentence ("averaged over 1000 training examples") and notes for the
 * views the page shrank for a large network.
 */
export function viewNotes(snap) {
  const plan = snap.plan;
  const probe = `averaged over ${plan.probeExamples} training examples` +
    (plan.probeThinned ? ` (fewer than the book’s ${plan.fullProbeExamples}: this network is large, and training keeps three quarters of the time)` : '');
  const grid = plan.gridThinned ? `drawn at ${plan.gridResolution}×${plan.gridResolution}, coarser than the usual ${plan.fullGridResolution}×${plan.fullGridResolution} for this large network` : '';
  const test = plan.testThinned && snap.test ? `on the first ${snap.test.examples} test examples` : '';
  return { probe, grid, test };
}
