// "Share": a link to what the reader sees, and an embed snippet (the iframe with
// the chosen views, controls, lock and autoplay, and the script that sizes it).
import { EMBED_VIEWS, VIEWS } from './state.js';

const $ = (id) => document.getElementById(id);


/** Escapes text for an HTML attribute value in double quotes. */
const attribute = (text) => String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The embed snippet for `state` on the page at `address`: an iframe that sizes
 * itself (data-gradlab) and the embed client next to the page.
 */
export function embedSnippet(settings, state, address, { views, controls, lock, autoplay }, title) {
  const embedded = { ...state, embed: true, show: views.join(','), controls, hide: '', lock, autoplay };
  return snippetHtml(address + settings.toHash(embedded, { compact: true }), title);
}

/**
 * The embed snippet of the embedded page at `src` (an absolute address with its
 * hash): the iframe, sized by the embed client next to the page, and that client.
 */
export function snippetHtml(src, title) {
  const script = new URL('gradlab-embed.js', src).href;
  return `<iframe src="${attribute(src)}" title="${attribute(title)}" data-gradlab ` +
    'style="width:100%;height:600px;border:0" loading="lazy" allow="clipboard-write"></iframe>\n' +
    `<script src="${attribute(script)}"></script>`;
}

/**
 * Copies a text field's value: through the clipboard API, else by selecting it
 * and the old copy command. Resolves with whether it was copied (if not, the
 * field is left selected for Ctrl+C).
 */
export async function copyField(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;  // not allowed here
    }
  }
}

export class SharePanel {
  /**
   * @param {object} settings makeState()
   * @param {() => object} getState the page's state now
   * @param {() => string} address the page's address without its hash
   * @param {(state: object) => string} title what the embedded view is about
   * @param {boolean} offline opened from the offline file
   * @param {() => object} i18n the wording in use (i18n.js); a view is called share.view.<view>
   */
  constructor(settings, getState, address, title, offline, i18n) {
    Object.assign(this, { settings, getState, address, title, offline, i18n });
    this.viewNames = [];
    this.viewBoxes = VIEWS.map((view) => {
      const label = document.createElement('label');
      label.className = 'share-check';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = view;
      box.checked = EMBED_VIEWS.includes(view);
      const name = document.createElement('span');
      this.viewNames.push([name, view]);
      label.append(box, ' ', name);
      $('share-views').append(label);
      box.addEventListener('change', () => this.update());
      return box;
    });
    for (const id of ['share-lock', 'share-autoplay']) $(id).addEventListener('change', () => this.update());
    $('share-controls').addEventListener('input', () => this.update());
    $('share-button').addEventListener('click', () => this.toggle());
    $('copy-link').addEventListener('click', () => this.#copy($('share-link')));
    $('copy-snippet').addEventListener('click', () => this.#copy($('share-snippet')));
    this.relabel();
  }

  /** Words the panel in the current language. */
  relabel() {
    for (const [name, view] of this.viewNames) name.textContent = this.i18n().t(`share.view.${view}`);
    this.update();
  }

  toggle(open = $('share').hidden) {
    $('share').hidden = !open;
    $('share-button').setAttribute('aria-expanded', String(open));
    if (open) this.update();
  }

  /** Recomputes the link and the snippet (when the panel is open). */
  update() {
    if ($('share').hidden) return;
    const state = this.getState();
    if (!state) return;
    $('share-link').value = this.address() + this.settings.toHash(state, { compact: true }).replace(/^#$/, '');
    const parsed = this.settings.parseValue('controls', $('share-controls').value);
    const controls = 'error' in parsed ? '' : parsed.value;
    const options = {
      views: this.viewBoxes.filter((b) => b.checked).map((b) => b.value),
      controls, lock: $('share-lock').checked, autoplay: $('share-autoplay').checked,
    };
    $('share-snippet').value = embedSnippet(this.settings, state, this.address(), options, this.title(state));
    $('share-controls').setAttribute('aria-invalid', String('error' in parsed));
    const notes = [];
    const { t } = this.i18n();
    if ('error' in parsed) notes.push(t('share.notInSnippet', { problem: parsed.error }));
    if (this.offline) notes.push(t('share.offline'));
    $('share-status').textContent = notes.join(' ');
  }

  async #copy(field) {
    const done = await copyField(field);
    $('share-status').textContent = this.i18n().t(done ? 'share.copied' : 'share.selected');
  }
}
