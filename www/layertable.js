// The per-layer detail table: every statistic the core measures at each step.
import { formatPercent, formatValue } from './charts/format.js';

const COLUMNS = [
  ['layer', 'Layer'],
  ['speed', 'Speed (probe)'],
  ['batchSpeed', 'Speed (batch)'],
  ['weightGradNorm', '‖∂C/∂W‖'],
  ['weightNorm', '‖W‖'],
  ['updateRatio', '‖ΔW‖/‖W‖'],
  ['activation', 'Activation mean ± sd'],
  ['saturation', 'Saturated'],
];

/** The core's per-layer statistics (module.layerStatistics()) this table shows: all of them. */
export const SHOWN_STATISTICS = ['batchSpeed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activationMean',
  'activationStd', 'saturation'];

export function renderLayerTable(table, snap, activation) {
  if (!table.tHead) {
    const head = table.createTHead().insertRow();
    for (const [, title] of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    table.createTBody();
  }
  const body = table.tBodies[0];
  const L = snap.widths.length - 1;
  const s = snap.layers;
  const measured = snap.batch.step > 0;  // the step statistics exist once a step has run
  const v = (x) => (measured ? formatValue(x) : '–');
  const rows = [];
  for (let l = 0; l < L; l++) {
    const cells = {
      layer: l < L - 1 ? `hidden ${l + 1}` : 'output',
      speed: formatValue(snap.probe.speed[l]),
      batchSpeed: v(s.batchSpeed[l]),
      weightGradNorm: v(s.weightGradNorm[l]),
      weightNorm: v(s.weightNorm[l]),
      updateRatio: v(s.updateRatio[l]),
      activation: measured ? `${formatValue(s.activationMean[l])} ± ${formatValue(s.activationStd[l])}` : '–',
      saturation: measured && l < L - 1 ? formatPercent(s.saturation[l]) : '–',
    };
    const tr = document.createElement('tr');
    for (const [key] of COLUMNS) {
      const td = document.createElement(key === 'layer' ? 'th' : 'td');
      if (key === 'layer') td.scope = 'row';
      td.textContent = cells[key];
      tr.append(td);
    }
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  table.dataset.activation = activation;
}
