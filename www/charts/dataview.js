// The data panel: for 2-D sets the decision boundary (P(class 1) over the plane,
// orange = class 0, blue = class 1) with the training points; for MNIST a few
// test digits with the network's prediction. Classes differ in shape as well as
// colour (class 1 points are squares), and guesses are marked ✓ or ✗.
import { setupCanvas as setup } from './canvas.js';
import { CLASS_COLORS, probabilityRGB } from './colors.js';

/** `opts`: setupCanvas's (ratio, size, background). */
export function drawBoundary(canvas, view, points, labels, opts = {}) {
  const { g, w, h } = setup(canvas, 200, 160, opts);
  const size = Math.min(w, h);
  const ox = (w - size) / 2, oy = (h - size) / 2;
  const n = view.resolution;
  const image = new ImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const [r, gg, b] = probabilityRGB(view.values[i]);
    image.data.set([r, gg, b, 255], 4 * i);
  }
  const tile = document.createElement('canvas');
  tile.width = n;
  tile.height = n;
  tile.getContext('2d').putImageData(image, 0, 0);
  g.imageSmoothingEnabled = true;
  g.drawImage(tile, ox, oy, size, size);
  if (!points) return;
  const e = view.extent;
  for (let i = 0; i < labels.length; i++) {
    const px = ox + ((points[2 * i] + e) / (2 * e)) * size;
    const py = oy + ((e - points[2 * i + 1]) / (2 * e)) * size;
    g.beginPath();
    if (labels[i]) g.rect(px - 2.4, py - 2.4, 4.8, 4.8);
    else g.arc(px, py, 2.6, 0, 2 * Math.PI);
    g.fillStyle = CLASS_COLORS[labels[i]];
    g.fill();
    g.strokeStyle = labels[i] ? '#fff' : '#222';
    g.lineWidth = 0.8;
    g.stroke();
  }
}

/** `opts`: setupCanvas's, and `i18n` for the ✓/✗ captions. */
export function drawDigits(canvas, view, pixels, labels, opts = {}) {
  const { g, w, h } = setup(canvas, 200, 160, opts);
  if (!pixels) return;
  const count = view.count;
  const classes = view.outputs.length / count;
  const cols = Math.min(count, Math.max(3, Math.floor(w / 64)));
  const rows = Math.ceil(count / cols);
  const cell = Math.min(w / cols, (h - 4) / rows);
  const scale = Math.max(1, Math.min(3, (cell - 22) / 28));
  const image = new ImageData(28, 28);
  const tile = document.createElement('canvas');
  tile.width = 28;
  tile.height = 28;
  g.imageSmoothingEnabled = false;
  g.font = '12px system-ui, sans-serif';
  g.textAlign = 'center';
  for (let k = 0; k < count; k++) {
    for (let p = 0; p < 784; p++) {
      const v = 255 - pixels[k * 784 + p];  // bytes: ink is dark
      image.data.set([v, v, v, 255], 4 * p);
    }
    tile.getContext('2d').putImageData(image, 0, 0);
    const cx = (k % cols) * cell + cell / 2, cy = Math.floor(k / cols) * cell;
    g.drawImage(tile, cx - 14 * scale, cy + 2, 28 * scale, 28 * scale);
    let best = 0;
    for (let c = 1; c < classes; c++) if (view.outputs[k * classes + c] > view.outputs[k * classes + best]) best = c;
    const right = best === labels[k];
    g.fillStyle = right ? '#0b6e3b' : '#b3261e';
    const values = { guess: String(best), label: String(labels[k]) };
    const caption = opts.i18n ? opts.i18n.t(right ? 'chart.data.right' : 'chart.data.wrong', values)
      : right ? `${best} ✓` : `${best} ✗ (${labels[k]})`;
    // Shrunk to fit its cell (captions differ in length between languages).
    g.font = '12px system-ui, sans-serif';
    const fits = Math.min(1, (cell - 4) / Math.max(1, g.measureText(caption).width));
    g.font = `${Math.max(8, Math.floor(12 * fits))}px system-ui, sans-serif`;
    g.fillText(caption, cx, cy + 28 * scale + 16);
  }
}
