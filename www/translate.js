// Puts the static page's text in the reader's language: every element marked
// data-i18n="id" gets that message as its text, data-i18n-rich="id" the same
// with `code` and **strong** spans, and data-i18n-attr="name:id;…" sets
// attributes (aria-label, title). The document's lang and title follow.
// DOM only; the wording is i18n.js's.
import { LANGUAGE_TAGS } from './state.js';

/**
 * The nodes of a message with `code` and **strong** spans (the embed page's
 * prose): text nodes and <code>/<strong> elements, never parsed as HTML.
 */
export function richNodes(text, doc = document) {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).filter(Boolean).map((part) => {
    if (part.startsWith('`')) {
      const code = doc.createElement('code');
      code.textContent = part.slice(1, -1);
      return code;
    }
    if (part.startsWith('**')) {
      const strong = doc.createElement('strong');
      strong.textContent = part.slice(2, -2);
      return strong;
    }
    return doc.createTextNode(part);
  });
}

/**
 * Puts the messages of `t` (id → text) in the elements under `root` marked
 * data-<prefix>="id" (text), data-<prefix>-rich="id" (`code` and **strong**)
 * and data-<prefix>-attr="name:id;…" (attributes). The lab's prefix is i18n,
 * the walk-through's walk.
 */
export function applyMessages(t, root, prefix) {
  const attr = (suffix) => `data-${prefix}${suffix}`;
  for (const el of root.querySelectorAll(`[${attr('')}]`)) el.textContent = t(el.getAttribute(attr('')));
  for (const el of root.querySelectorAll(`[${attr('-rich')}]`)) el.replaceChildren(...richNodes(t(el.getAttribute(attr('-rich')))));
  for (const el of root.querySelectorAll(`[${attr('-attr')}]`)) {
    for (const pair of el.getAttribute(attr('-attr')).split(';')) {
      const [name, id] = pair.split(':');
      el.setAttribute(name.trim(), t(id.trim()));
    }
  }
}

/** Applies `i18n` (makeI18n()) to the elements under `root`. */
export function translatePage(i18n, root = document, title = 'page.title') {
  applyMessages(i18n.t, root, 'i18n');
  // The PNG buttons: a short visible word, and a label naming their chart.
  for (const button of root.querySelectorAll('button.png')) {
    button.textContent = i18n.t('chart.png');
    button.setAttribute('aria-label', i18n.t('chart.pngLabel', { chart: i18n.t(button.dataset.title) }));
    button.title = button.getAttribute('aria-label');
  }
  if (root === document) {
    document.documentElement.lang = LANGUAGE_TAGS[i18n.lang];
    document.title = i18n.t(title);
  }
}
