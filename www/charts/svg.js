// An SVG element with attributes and optional text (textContent: never markup),
// for the views drawn as SVG (speed bars, chain of factors, the neuron window).
const SVG = 'http://www.w3.org/2000/svg';

export function svgElement(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
