// Number formatting shared by the views, for a locale (i18n.js picks the
// reader's); the plain functions below are the English forms.

/** Number formatting for a locale (the views, the sentences, the table). */
export function numberFormats(locale) {
  const sig3 = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 });
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const fixed1 = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Chinese reads large counts in 万 and 亿 (91.4万), English in thousands (914,000).
  const compact = locale.startsWith('zh') ? new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 }) : null;
  const scientific = (x) => {
    const [m, e] = x.toExponential(2).split('e');
    return `${m}e${e.replace('+', '')}`;
  };
  /** A speed or norm: 3 significant digits, scientific when small or large. */
  const value = (x) => {
    if (x === null || x === undefined || Number.isNaN(x)) return '–';
    if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
    if (x === 0) return '0';
    const a = Math.abs(x);
    return a >= 1e-3 && a < 1e4 ? sig3.format(x) : scientific(x);
  };
  return {
    value,
    /** A ratio in a sentence: 1.6, 96, 3,460, 914,000 (91.4万), then 2.3e7. */
    ratio(r) {
      if (!Number.isFinite(r)) return '∞';
      if (r >= 1e7) return value(r);
      if (r >= 1e4 && compact) return compact.format(r);
      if (r >= 10) return grouped.format(Number(r.toPrecision(r >= 100 ? 3 : 2)));
      return fixed1.format(r);
    },
    percent: (x) => (Number.isFinite(x) ? percent.format(x) : '–'),
    /** A count: 12,000. */
    int: (n) => (Number.isFinite(n) ? grouped.format(n) : '–'),
  };
}


const EN = numberFormats('en-US');
export const formatValue = EN.value;
export const formatRatio = EN.ratio;
export const formatPercent = EN.percent;

/**
 * Labels for a chart axis's ticks: powers of ten as 1e-4 on log axes, else short
 * numbers. uPlot passes null for the ticks it thins out on a short axis.
 */
export function axisLabels(ticks, log, value = formatValue) {
  return ticks.map((t) => (t == null || !Number.isFinite(t) || (log && t <= 0) ? ''
    : log ? `1e${Math.round(Math.log10(t))}` : value(t)));
}
