// Visible notices for the reader: bad links, failed loads, refused settings,
// divergence. Text only (textContent): nothing is ever inserted as HTML. A
// notice is kept as its message id and values, so that it can be worded again
// when the reader switches language; its kind is said in words, not by colour
// alone.
export class Notices {
  /** @param {HTMLElement} container @param {object} i18n makeI18n() */
  constructor(container, i18n) {
    this.container = container;
    this.i18n = i18n;
    this.shown = new Map();  // element → {message, kind}
  }

  /** Words the notices shown in another language. */
  relabel(i18n) {
    this.i18n = i18n;
    for (const [box, { message, kind }] of this.shown) this.#fill(box, message, kind);
  }

  /** The text of `message`: {id, values} (a message), a problem, an Error, or text. */
  #text(message) {
    if (message && typeof message === 'object' && 'id' in message && !(message instanceof Error))
      return this.i18n.t(message.id, message.values);
    return this.i18n.problem(message);
  }

  #fill(box, message, kind) {
    box.querySelector('.notice-kind').textContent = this.i18n.t('notice.prefix', { kind: this.i18n.t(`notice.kind.${kind}`) });
    box.querySelector('.notice-text').textContent = this.#text(message);
    const close = box.querySelector('.notice-close');
    close.setAttribute('aria-label', this.i18n.t('notice.dismiss'));
    close.title = close.getAttribute('aria-label');
  }

  /**
   * kind: 'info' | 'warning' | 'error'. `message` is {id, values} (worded by
   * i18n.js), a problem or an Error. Returns the element (to remove it later).
   */
  show(message, kind = 'info', { id } = {}) {
    if (id) this.clear(id);
    const box = document.createElement('div');
    box.className = `notice notice-${kind}`;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    if (id) box.dataset.id = id;
    const text = document.createElement('span');
    const kindWord = document.createElement('strong');
    kindWord.className = 'notice-kind';
    const body = document.createElement('span');
    body.className = 'notice-text';
    text.append(kindWord, body);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.textContent = '×';
    close.addEventListener('click', () => this.#remove(box));
    box.append(text, close);
    this.shown.set(box, { message, kind });
    this.#fill(box, message, kind);
    this.container.append(box);
    while (this.container.children.length > 6) this.#remove(this.container.firstElementChild);
    return box;
  }

  #remove(box) {
    this.shown.delete(box);
    box.remove();
  }

  clear(id) {
    const box = this.container.querySelector(`[data-id="${id}"]`);
    if (box) this.#remove(box);
  }
}
