// The network diagram: one column of units per layer, each hidden layer coloured by
// its learning speed (log scale, cividis: dark = slow, yellow = fast), with a key;
// up to 12 hidden layers also carry their speed as a number (colour is not the
// only carrier).
import { setupCanvas } from './canvas.js';
import { speedColor } from './colors.js';
import { formatValue } from './format.js';

const EN_TEXT = { t: (id, v) => `${id.endsWith('slowest') ? 'slowest' : 'fastest'} ${v.value}`, fmt: { value: formatValue } };

const MAX_UNITS = 10;  // units drawn per layer; wider layers show "+N"

/**
 * shortcuts[c]: column c (a hidden layer) adds its input to its output. `opts`:
 * setupCanvas's (ratio, size, background), and `i18n` for the key's words.
 */
export function drawNetwork(canvas, widths, speeds, shortcuts = [], opts = {}) {
  const { g, w, h } = setupCanvas(canvas, 240, 160, opts);
  const text = opts.i18n ?? EN_TEXT;
  if (!widths || widths.length < 3) return;

  const hidden = speeds.slice(0, widths.length - 2);
  const positive = hidden.filter((s) => s > 0 && Number.isFinite(s));
  const lo = positive.length ? Math.log10(Math.min(...positive)) : 0;
  const hi = positive.length ? Math.log10(Math.max(...positive)) : 1;
  const t = (s) => (s > 0 && Number.isFinite(s) ? (hi > lo ? (Math.log10(s) - lo) / (hi - lo) : 1) : 0);

  const cols = widths.length;
  const keyH = 34, top = shortcuts.some(Boolean) ? 22 : 14, bottom = keyH + (cols <= 14 ? 30 : 18);
  const x = (c) => 24 + (w - 48) * (cols === 1 ? 0.5 : c / (cols - 1));
  const units = widths.map((n) => Math.min(n, MAX_UNITS));
  const y = (c, i) => top + (h - top - bottom) * ((i + 0.5) / units[c]);
  const r = Math.max(2, Math.min(7, (h - top - bottom) / (2.6 * MAX_UNITS), (w - 48) / (3 * cols)));

  g.lineWidth = 0.5;
  g.strokeStyle = 'rgba(100,100,120,0.18)';
  if (cols <= 24) {
    for (let c = 0; c + 1 < cols; c++)
      for (let i = 0; i < units[c]; i++)
        for (let j = 0; j < units[c + 1]; j++) {
          g.beginPath();
          g.moveTo(x(c), y(c, i));
          g.lineTo(x(c + 1), y(c + 1, j));
          g.stroke();
        }
  }
  // Residual shortcuts: an arc over the layer, from its input column to it.
  g.strokeStyle = '#D55E00';
  g.lineWidth = 1.6;
  for (let c = 1; c < cols; c++) {
    if (!shortcuts[c]) continue;
    const x0 = x(c - 1), x1 = x(c), yTop = top + 2;
    g.beginPath();
    g.moveTo(x0, y(c - 1, 0) - r - 1);
    g.bezierCurveTo(x0, yTop - 12, x1, yTop - 12, x1, y(c, 0) - r - 1);
    g.stroke();
  }
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'center';
  for (let c = 0; c < cols; c++) {
    const isHidden = c > 0 && c < cols - 1;
    g.fillStyle = isHidden ? speedColor(t(hidden[c - 1])) : '#bbb';
    for (let i = 0; i < units[c]; i++) {
      g.beginPath();
      g.arc(x(c), y(c, i), r, 0, 2 * Math.PI);
      g.fill();
      g.strokeStyle = '#333';
      g.lineWidth = 0.6;
      g.stroke();
    }
    if (cols <= 16 || c === 0 || c === cols - 1) {
      g.fillStyle = '#333';
      g.fillText(String(widths[c]), x(c), h - bottom + 12);
    }
    if (isHidden && cols <= 14) {
      g.fillStyle = '#333';
      g.fillText(text.fmt.value(hidden[c - 1]), x(c), h - bottom + 24);
    }
  }
  // Key: the colour ramp from the slowest to the fastest hidden layer.
  const kx = 24, kw = Math.min(260, w - 48), ky = h - keyH + 6;
  for (let i = 0; i < kw; i++) {
    g.fillStyle = speedColor(i / (kw - 1));
    g.fillRect(kx + i, ky, 1, 10);
  }
  g.fillStyle = '#333';
  g.textAlign = 'left';
  g.fillText(text.t('chart.network.slowest', { value: text.fmt.value(10 ** lo) }), kx, ky + 24);
  g.textAlign = 'right';
  g.fillText(text.t('chart.network.fastest', { value: text.fmt.value(10 ** hi) }), kx + kw, ky + 24);
}
