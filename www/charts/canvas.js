// A canvas sized to its CSS box at the device's pixel ratio, cleared, with a
// context that draws in CSS pixels.
export function setupCanvas(canvas, minWidth = 200, minHeight = 160) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(minWidth, canvas.clientWidth), h = Math.max(minHeight, canvas.clientHeight);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}
