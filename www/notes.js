// Plain-language notes: one line per remedy that is on (what it does to what the
// reader sees), and what the page measured on fewer examples than usual for a
// large network. Pure functions of the page state, a snapshot and the wording
// (i18n.js); no DOM.

import { VIEW_SHARE } from './runner.js';

/** The least share of the worker's time training keeps, in whole percent (runner.js). */
const TRAINING_PERCENT = Math.floor(100 / (1 + VIEW_SHARE));

/** What clipping bounds under each optimizer (see core/update.hpp). */
export function clippingBound(optimizer, momentum, { t, fmt }) {
  if (optimizer === 'momentum') return t('notes.bound.momentum', { factor: fmt.value(1 / (1 - momentum)) });
  return ['sgd', 'adam', 'rmsprop'].includes(optimizer) ? t(`notes.bound.${optimizer}`) : '';
}

/** One sentence per remedy that is on. */
export function remedyNotes(s, snap, i18n) {
  const { t, fmt } = i18n;
  const notes = [];
  if (s.batchNorm) notes.push(t('notes.batchNorm'));
  if (s.residual) {
    const joined = snap.shortcuts.filter(Boolean).length;
    notes.push(t('notes.residual', { n: joined, inputs: snap.widths[0],
      inputKind: t(s.dataset === 'mnist' ? 'notes.pixels' : s.dataset === 'gaussian' ? 'notes.gaussianInputs' : 'notes.coordinates') }));
  }
  if (s.optimizer === 'adam' || s.optimizer === 'rmsprop')
    notes.push(t('notes.adaptive', { optimizer: s.optimizer === 'adam' ? 'Adam' : 'RMSProp' }));
  if (s.optimizer === 'momentum') notes.push(t('notes.momentum'));
  if (s.clipNorm > 0 || s.clipValue > 0) {
    const b = snap.batch;
    const at = [s.clipNorm > 0 ? t('notes.clipAtNorm', { norm: fmt.value(s.clipNorm) }) : '',
      s.clipValue > 0 ? t('notes.clipAtValue', { value: fmt.value(s.clipValue) }) : ''].filter(Boolean).join(t('notes.and'));
    const fired = snap.step > 0
      ? t('notes.clipFired', { norm: fmt.value(b.gradNorm), clipped: b.clipped ? t('notes.clipped') : '',
        count: b.clipCount, steps: snap.step, percent: fmt.percent(b.clipCount / snap.step) })
      : '';
    notes.push(t('notes.clipping', { at, bound: clippingBound(s.optimizer, s.momentum, i18n), fired }));
  }
  if (s.l2 > 0 || s.l1 > 0) {
    const what = [s.l2 > 0 ? t('notes.l2') : '', s.l1 > 0 ? t('notes.l1') : ''].filter(Boolean).join(t('notes.clauseSeparator'));
    notes.push(t('notes.penalties', { what }));
  }
  if (s.pretrainEpochs > 0) notes.push(t('notes.pretraining'));
  return notes;
}

/**
 * The probe phrase ("averaged over 1000 training examples") and notes for the
 * views the page shrank for a large network.
 */
export function viewNotes(snap, { t }) {
  const plan = snap.plan;
  const probe = t('notes.probe', { n: plan.probeExamples }) +
    (plan.probeThinned ? t('notes.probeThinned', { full: plan.fullProbeExamples, share: TRAINING_PERCENT }) : '');
  const grid = plan.gridThinned ? t('notes.grid', { res: plan.gridResolution, full: plan.fullGridResolution }) : '';
  const test = plan.testThinned && snap.test ? t('notes.test', { n: snap.test.examples }) : '';
  return { probe, grid, test };
}
