// The CSS box size of a chart's element, without forcing a layout on every
// redraw: the first call measures (clientWidth/clientHeight), then a
// ResizeObserver keeps the size current. Read while the page redraws a dozen
// views in a row, clientWidth forced a fresh layout after each view's changes
// (a third of the main thread's time while training, measured).
const sizes = new WeakMap();
let observer = null;

function measure(el) {
  return { width: el.clientWidth, height: el.clientHeight };
}

/**
 * {width, height} of `el`'s box in CSS pixels (0 while it is not laid out). A
 * size of 0 is measured again: an element shown and drawn in the same task has
 * not yet been reported by the observer.
 */
export function boxSize(el) {
  let size = sizes.get(el);
  if (size && size.width > 0 && size.height > 0) return size;
  size = measure(el);
  sizes.set(el, size);
  if (typeof ResizeObserver !== 'undefined') {
    observer ??= new ResizeObserver((entries) => {
      for (const e of entries) sizes.set(e.target, measure(e.target));
    });
    observer.observe(el);
  }
  return size;
}
