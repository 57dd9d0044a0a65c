// The per-layer detail table: every statistic the core measures at each step.
// It is also the accessible form of the speed bars: a real table, with headers.

/** The columns, each titled by the message table.<column>. */
const COLUMNS = ['layer', 'speed', 'batchSpeed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activation', 'saturation'];

/** The core's per-layer statistics (module.layerStatistics()) this table shows: all of them. */
export const SHOWN_STATISTICS = ['batchSpeed', 'weightGradNorm', 'weightNorm', 'updateRatio', 'activationMean',
  'activationStd', 'saturation'];

export function renderLayerTable(table, snap, activation, i18n) {
  const { t, fmt } = i18n;
  if (!table.tHead) {
    table.createTHead().insertRow();
    table.createTBody();
  }
  if (table.dataset.lang !== i18n.lang) {
    table.tHead.rows[0].replaceChildren(...COLUMNS.map((key) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(`table.${key}`);
      return th;
    }));
    table.dataset.lang = i18n.lang;
  }
  const body = table.tBodies[0];
  const L = snap.widths.length - 1;
  const s = snap.layers;
  const measured = snap.batch.step > 0;  // the step statistics exist once a step has run
  const v = (x) => (measured ? fmt.value(x) : '–');
  const rows = [];
  for (let l = 0; l < L; l++) {
    const cells = {
      layer: l < L - 1 ? t('table.hidden', { n: l + 1 }) : t('table.output'),
      speed: fmt.value(snap.probe.speed[l]),
      batchSpeed: v(s.batchSpeed[l]),
      weightGradNorm: v(s.weightGradNorm[l]),
      weightNorm: v(s.weightNorm[l]),
      updateRatio: v(s.updateRatio[l]),
      activation: measured ? `${fmt.value(s.activationMean[l])} ± ${fmt.value(s.activationStd[l])}` : '–',
      saturation: measured && l < L - 1 ? fmt.percent(s.saturation[l]) : '–',
    };
    const tr = document.createElement('tr');
    for (const key of COLUMNS) {
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
