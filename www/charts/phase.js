// The order-to-chaos phase diagram (Poole et al. 2016; Schoenholz et al. 2017)
// for the current activation: the (σ_w², σ_b²) plane, the critical line χ₁ = 1
// from the core, ordered (gradients vanish) to its left and chaotic (they
// explode) to its right, the inits He, Xavier and LeCun marked where they fall
// (σ_b² = 0), and the network as a dot. SVG; the dot's dragging is the page's
// (theoryviews.js), through plane() below.
import { svgElement as el } from './svg.js';
import { boxSize } from './boxsize.js';

/** The plane's extent for a network at (w, b): at least σ_w² ≤ 4 and σ_b² ≤ 1. Pure. */
export function extentOf(theory, line) {
  const crit = line ? Array.from(line.criticalSigmaW2).filter(Number.isFinite) : [];
  const w = Math.max(4, 1.2 * theory.sigmaW2, ...crit.slice(0, 1).map((c) => 1.5 * c));
  return { w: Math.min(w, 100), b: Math.min(line ? line.maxSigmaB2 : 2, Math.max(1, 1.2 * theory.sigmaB2)) };
}

/** The plane's geometry in `svg` for `extent`: x(σ_w²), y(σ_b²) and their inverses. */
export function plane(svg, extent) {
  const width = Math.max(280, boxSize(svg).width || 480);
  const height = Math.max(220, boxSize(svg).height || 300);
  const left = 48, right = 12, top = 12, bottom = 38;
  const plotW = width - left - right, plotH = height - top - bottom;
  return {
    width, height, left, right, top, bottom, plotW, plotH,
    x: (w) => left + plotW * w / extent.w,
    y: (b) => top + plotH * (1 - b / extent.b),
    w: (x) => Math.min(extent.w, Math.max(0, (x - left) / plotW * extent.w)),
    b: (y) => Math.min(extent.b, Math.max(0, (1 - (y - top) / plotH) * extent.b)),
  };
}

/** Draws the diagram; `theory` is the worker's (with marks), `line` the critical line. */
export function drawPhase(svg, theory, line, i18n) {
  const { t, fmt } = i18n;
  const extent = extentOf(theory, line);
  const g = plane(svg, extent);
  svg.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
  svg.replaceChildren();
  svg.append(el('rect', { x: g.left, y: g.top, width: g.plotW, height: g.plotH, class: 'chaotic' }));
  // Ordered: left of the critical line, from σ_b² = 0 up to the plane's top.
  const bs = line ? Array.from(line.criticalSigmaW2, (_, i) => line.maxSigmaB2 * i / (line.criticalSigmaW2.length - 1)) : [];
  const crit = line ? Array.from(line.criticalSigmaW2) : [];
  const pts = crit.map((c, i) => [Number.isFinite(c) ? Math.min(c, extent.w) : extent.w, bs[i]]).filter(([, b]) => b <= extent.b + 1e-9);
  if (pts.length > 1) {
    const poly = [[0, 0], ...pts, [0, pts.at(-1)[1]]].map(([w, b]) => `${g.x(w)},${g.y(b)}`).join(' ');
    svg.append(el('polygon', { points: poly, class: 'ordered' }));
    const finite = pts.filter(([w]) => w < extent.w);
    if (finite.length > 1) svg.append(el('polyline', { points: finite.map(([w, b]) => `${g.x(w)},${g.y(b)}`).join(' '), class: 'critical' }));
  }
  // Each region's name where it surely is: ordered at the top left, chaotic at the bottom right.
  svg.append(el('text', { x: g.left + 6, y: g.top + 16, class: 'region' }, t('phase.ordered')));
  svg.append(el('text', { x: g.width - g.right - 6, y: g.top + g.plotH - 8, 'text-anchor': 'end', class: 'region' }, t('phase.chaotic')));
  // Axes.
  for (const w of [0, extent.w / 2, extent.w])
    svg.append(el('text', { x: g.x(w), y: g.top + g.plotH + 14, 'text-anchor': w === 0 ? 'start' : w === extent.w ? 'end' : 'middle', class: 'tick' }, fmt.value(w)));
  for (const b of [0, extent.b])
    svg.append(el('text', { x: g.left - 6, y: g.y(b) + 4, 'text-anchor': 'end', class: 'tick' }, fmt.value(b)));
  svg.append(el('text', { x: g.left + g.plotW / 2, y: g.height - 4, 'text-anchor': 'middle', class: 'axis-label' }, t('phase.xAxis')));
  svg.append(el('text', { x: 12, y: g.top + g.plotH / 2, 'text-anchor': 'middle', class: 'axis-label',
    transform: `rotate(-90 12 ${g.top + g.plotH / 2})` }, t('phase.yAxis')));
  // The named inits, at σ_b² = 0 (biases zero, as they are used).
  const seen = new Map();
  for (const [init, w] of Object.entries(theory.marks ?? {})) {
    if (!(w <= extent.w)) continue;
    const names = seen.get(w) ?? [];
    names.push(t(`phase.mark.${init}`));
    seen.set(w, names);
  }
  for (const [w, names] of seen) {
    svg.append(el('path', { d: `M${g.x(w)},${g.y(0)} l-5,-9 h10 z`, class: 'mark' }));
    svg.append(el('text', { x: g.x(w), y: g.y(0) - 12, 'text-anchor': 'middle', class: 'mark-label' }, names.join(' / ')));
  }
  // The network.
  const dot = el('circle', { cx: g.x(Math.min(theory.sigmaW2, extent.w)), cy: g.y(Math.min(theory.sigmaB2, extent.b)), r: 7, class: 'network' });
  dot.append(el('title', {}, t('phase.dotTitle', { w: fmt.value(theory.sigmaW2), b: fmt.value(theory.sigmaB2), chi: fmt.value(theory.chi1) })));
  svg.append(dot);
  return { extent, plane: g };
}
