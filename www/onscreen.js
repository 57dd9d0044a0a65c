// Which of the page's views are on screen (or about to be), so that while the
// network trains the page redraws only those: redrawing every view on every
// snapshot kept the main thread busy all the time, and frames late (measured:
// frame interval median 33 ms while the deep presets trained). A view that
// scrolls into view is drawn at once (onChange); a paused page draws them all.
export class Onscreen {
  /** @param {(el: Element) => void} onChange called when an element comes on screen */
  constructor(onChange) {
    this.seen = new WeakMap();  // element → on screen (unknown until the first report: on screen)
    this.observer = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => {
      for (const e of entries) {
        const was = this.seen.get(e.target);
        this.seen.set(e.target, e.isIntersecting);
        if (e.isIntersecting && was === false) onChange(e.target);
      }
    }, { rootMargin: '200px 0px' });
  }

  watch(el) {
    this.observer?.observe(el);
    return this;
  }

  /** Whether `el` is on screen (within 200 px of the viewport), or not yet known. */
  visible(el) {
    return this.seen.get(el) !== false;
  }
}
