// Taking away what the reader sees: the history as CSV and JSON (the CLI's
// column names), each chart as a PNG at 2× for slides, and the equivalent
// `gradlab` CLI command. cliCommand and fileName are pure; the rest touches the
// DOM only to save files.
import { defaultFor, isRecurrent } from './state.js';

/**
 * The `gradlab` command that redoes `state`: every core setting that differs
 * from its default under the state's model (defaultFor: the CLI fills in the
 * same), as its flag (the table's), then the epochs (a recurrent model: the
 * steps) and the format.
 */
export function cliCommand(table, state, { epochs = 1, steps = 0, format = 'csv' } = {}) {
  const parts = ['gradlab'];
  for (const s of table) {
    if (!s.flag || !(s.key in state) || state[s.key] === defaultFor(s, state.model)) continue;
    const v = state[s.key];
    // A boolean is a switch (--batch-norm); off, it is --flag=false.
    if (s.type === 'boolean') parts.push(v ? s.flag : `${s.flag}=false`);
    else parts.push(s.flag, String(v));
  }
  if (isRecurrent(state)) parts.push('--steps', String(Math.max(1, steps)), '--format', format === 'csv' ? 'csv' : 'jsonl');
  else parts.push('--epochs', String(Math.max(1, Math.ceil(epochs))), '--format', format);
  return parts.join(' ');
}

/** A file name for an export: gradlab-<preset or depth×width activation>-<what>.<ext>. */
export function fileName(state, what, ext) {
  const about = state.preset || `${state.depth}x${state.width}-${state.activation}`;
  return `gradlab-${about}-${what}.${ext}`.replace(/[^\w.-]+/g, '_');
}

/** Saves `blob` as a download named `name`. */
export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A canvas as a PNG blob. */
export const pngOf = (canvas) => new Promise((resolve, reject) =>
  canvas.toBlob((b) => (b ? resolve(b)
    : reject(Object.assign(new Error('the canvas could not be encoded'), { code: 'png_failed', values: {} }))), 'image/png'));

// The SVG properties the page's stylesheet sets on the bars, copied inline so
// that the picture looks the same outside the page.
const SVG_STYLE = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight'];

/**
 * The SVG `svg` drawn at `ratio`× on a white canvas with `title` above it. The
 * copy carries its computed styles inline and loads from a blob: URL.
 */
export async function svgToCanvas(svg, title, ratio = 2) {
  const box = svg.viewBox.baseVal;
  const w = box.width || svg.clientWidth, h = box.height || svg.clientHeight;
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll('*')], to = [copy, ...copy.querySelectorAll('*')];
  // As presentation attributes: a style attribute would be inline style, which the page's CSP refuses.
  from.forEach((el, i) => {
    const cs = getComputedStyle(el);
    for (const p of SVG_STYLE) to[i].setAttribute(p, cs.getPropertyValue(p));
  });
  copy.querySelectorAll('title').forEach((t) => t.remove());
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(w));
  copy.setAttribute('height', String(h));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const head = 30;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round((h + head) * ratio);
    const g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h + head);
    g.fillStyle = '#1d1d22';
    g.font = '14px system-ui, sans-serif';
    g.fillText(title, 10, 20);
    g.drawImage(image, 0, head, w, h);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}
