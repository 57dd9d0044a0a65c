// Number formatting shared by the views.

/** A speed or norm: 3 significant digits, scientific when small or large. */
export function formatValue(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e4) return String(Number(x.toPrecision(3)));
  const [m, e] = x.toExponential(2).split('e');
  return `${m}e${e.replace('+', '')}`;
}

/** A ratio for a sentence: 1.6, 96, 3,460, 914,000, then 2.3e7. */
export function formatRatio(r) {
  if (!Number.isFinite(r)) return '∞';
  if (r >= 1e7) return formatValue(r);
  if (r >= 10) return Number(r.toPrecision(r >= 100 ? 3 : 2)).toLocaleString('en-US');
  return r.toFixed(1);
}

export function formatPercent(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–';
}

/**
 * Labels for a chart axis's ticks: powers of ten as 1e-4 on log axes, else short
 * numbers. uPlot passes null for the ticks it thins out on a short axis.
 */
export function axisLabels(ticks, log) {
  return ticks.map((t) => (t == null || !Number.isFinite(t) || (log && t <= 0) ? ''
    : log ? `1e${Math.round(Math.log10(t))}` : formatValue(t)));
}
