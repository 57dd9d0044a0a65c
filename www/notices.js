// Visible notices for the reader: bad links, failed loads, refused settings,
// divergence. Text only (textContent): nothing is ever inserted as HTML.
export class Notices {
  constructor(container) {
    this.container = container;
  }

  /** kind: 'info' | 'warning' | 'error'. Returns the element (to remove it later). */
  show(message, kind = 'info', { id } = {}) {
    if (id) this.container.querySelector(`[data-id="${id}"]`)?.remove();
    const box = document.createElement('div');
    box.className = `notice notice-${kind}`;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    if (id) box.dataset.id = id;
    const text = document.createElement('span');
    text.textContent = message;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.setAttribute('aria-label', 'Dismiss this notice');
    close.textContent = '×';
    close.addEventListener('click', () => box.remove());
    box.append(text, close);
    this.container.append(box);
    while (this.container.children.length > 6) this.container.firstElementChild.remove();
    return box;
  }

  clear(id) {
    this.container.querySelector(`[data-id="${id}"]`)?.remove();
  }
}
