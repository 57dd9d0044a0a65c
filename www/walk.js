// The walk-through (index.html): "why deep networks are hard to train", told
// in steps, each with a live simulator beside its text (walk/sections.js,
// walk/frames.js), in English and 简体中文 (walk/text-*.js). The site's build
// bundles this module into one classic script (tools/make_site.mjs), so the
// page also runs from file:// (the site's zip opened from disk).
import { copyField, snippetHtml } from './share.js';
import { LANGUAGE_CODES, LANGUAGE_NAMES, LANGUAGE_TAGS, pickLanguage } from './state.js';
import { applyMessages } from './translate.js';
import { Frames, placeholder } from './walk/frames.js';
import { payload, gunzipText } from './assets-offline.js';
import { SECTIONS, WALK_SINGLE_FILE, embeddedHash, frameKey, hashAnchor, hashLanguage, holdsSettings, labPage, walkHash } from './walk/sections.js';
import { WALK_TEXT, makeWalkText, paragraphIds } from './walk/text.js';

/** This page is the one-file walk-through, its lab inlined (tools/make_site.mjs). */
const SINGLE_FILE = document.querySelector(`meta[name="gradlab-walk"][content="${WALK_SINGLE_FILE}"]`) !== null;

// An old link to the simulator (its settings in the hash) opens the lab, before anything is drawn,
// and so does one followed or typed later on this page (the one file has no lab beside it to open).
const toLab = () => {
  if (SINGLE_FILE || !holdsSettings(location.hash)) return false;
  location.replace(labPage(location.protocol) + location.search + location.hash);
  return true;
};
window.addEventListener('hashchange', toLab);
if (!toLab()) {
  const start = () => boot().catch((e) => {
    $('walk-live').textContent = text.t('frame.failed', { problem: e.message });
    for (const el of document.querySelectorAll('.frame-status')) el.textContent = $('walk-live').textContent;
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

const $ = (id) => document.getElementById(id);

function element(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A figure for frame `index` of `section`: the slot the iframe goes in, its status, its links and its snippet. */
function figureOf(section, index) {
  const frame = section.frames[index];
  const key = frameKey(section, index);
  const slot = element('div', { class: 'frame-slot' }, [placeholder(text.t)]);
  const snippet = element('textarea', { class: 'snippet', readonly: '', rows: '4', id: `snippet-${key}`,
    'data-walk-attr': 'aria-label:frame.snippetLabel' });
  const copy = element('button', { type: 'button', 'data-walk': 'frame.copy' });
  const copied = element('span', { class: 'copied', role: 'status' });
  copy.addEventListener('click', async () => {
    copied.textContent = text.t(await copyField(snippet) ? 'frame.copied' : 'frame.selected');
  });
  const take = element('details', { class: 'take' }, [
    element('summary', { 'data-walk': 'frame.take' }),
    element('p', { 'data-walk-rich': 'frame.embedText' }),
    snippet, element('p', {}, [copy, ' ', copied]),
    element('p', { class: 'note', 'data-walk-rich': location.protocol === 'file:' ? 'frame.embedOffline' : 'frame.embedNote' }),
    element('p', { class: 'note', 'data-walk-rich': 'frame.export' }),
  ]);
  const figure = element('figure', { class: 'live', 'data-frame': key }, [
    slot,
    element('div', { class: 'frame-bar' }, [
      element('p', { class: 'frame-status' }),   // one live region for the page: #walk-live
      element('a', { class: 'to-lab', target: '_blank', rel: 'noopener', 'data-walk': 'frame.openLab' }),
    ]),
    take,
  ]);
  return { figure, key, snippet, frame };
}

/** The page's text in the language of `text`: every element marked data-walk, data-walk-rich or data-walk-attr. */
function applyText() {
  applyMessages(text.t, document, 'walk');
  document.documentElement.lang = LANGUAGE_TAGS[text.lang];
  document.title = text.t('page.title');
}

let text = makeWalkText('en');
const snippets = [];
let frames = null;
let languageChosen = false;   // by the address (#lang=zh) or the switch, not the browser's: the address keeps it

/** Builds the sections (once) from SECTIONS; the text is applied after. */
function build() {
  const toc = $('toc-list');
  const steps = $('steps');
  SECTIONS.forEach((section, i) => {
    const number = String(i + 1);
    const paragraphs = paragraphIds(WALK_TEXT.en, section.id);
    const figures = section.frames.map((_, index) => figureOf(section, index));
    const body = [
      element('h2', { id: `${section.id}-title` }, [element('span', { class: 'num' }, [number]), ' ',
        element('span', { 'data-walk': `${section.id}.title` })]),
      ...paragraphs.map((id) => element('p', { 'data-walk-rich': id })),
      element('div', { class: 'figures' }, figures.map((f) => f.figure)),
      element('p', { class: 'try', 'data-walk-rich': `${section.id}.try` }),
    ];
    steps.append(element('section', { class: 'step', id: section.id, 'aria-labelledby': `${section.id}-title` }, body));
    toc.append(element('li', {}, [element('a', { href: `#${section.id}`, 'data-walk': `${section.id}.title` })]));
    for (const f of figures) {
      frames.add(f.key, f.frame.hash, f.figure, () => text.t('frame.title', { section: text.t(`${section.id}.title`) }));
      snippets.push({ ...f, section });
    }
  });
}

/** The embed snippets, in the current language (their iframe's title). */
function writeSnippets() {
  const lab = new URL(labPage(location.protocol), location.href).href;   // where the site's lab is, for a course page
  for (const { snippet, frame, section } of snippets)
    snippet.value = snippetHtml(lab + embeddedHash(frame.hash), text.t('frame.title', { section: text.t(`${section.id}.title`) }));
}

function setLanguage(lang, { fromSwitch = false } = {}) {
  text = makeWalkText(lang);
  $('lang').value = text.lang;
  applyText();
  writeSnippets();
  frames.relabel();
  if (fromSwitch) {
    languageChosen = true;
    history.replaceState(null, '', walkHash(hashAnchor(location.hash), text.lang));
    frames.setLanguage(text.lang);
  }
}

/**
 * The address of the lab's page for the frames: lab.html, or the offline file
 * from file://; in the one-file walk-through, a Blob URL of the lab inlined in it.
 */
async function labAddress() {
  if (!SINGLE_FILE) return labPage(location.protocol);
  const html = await gunzipText(payload('lab'));
  return URL.createObjectURL(new Blob([html], { type: 'text/html' }));
}

/**
 * An anchor followed on the page (the contents, the skip link) replaces the
 * address's hash: a language the reader chose is put back beside it, so that a
 * reload or a copied address keeps it.
 */
function keepLanguage() {
  const anchor = hashAnchor(location.hash);
  if (languageChosen && anchor && hashLanguage(location.hash) === '') history.replaceState(null, '', walkHash(anchor, text.lang));
}

/** A hash with a language the page is not in (Back to an older address, or typed): the page follows it. */
function followHash() {
  const lang = hashLanguage(location.hash);
  if (LANGUAGE_CODES.includes(lang) && lang !== text.lang) setLanguage(lang, { fromSwitch: true });
  else keepLanguage();
}

async function boot() {
  languageChosen = LANGUAGE_CODES.includes(hashLanguage(location.hash));
  const lang = pickLanguage(hashLanguage(location.hash), navigator.languages ?? []);
  text = makeWalkText(lang);   // before build(): the first simulator loads at once, in this language
  const lab = await labAddress();
  frames = new Frames({ t: (id, values) => text.t(id, values), lang: () => text.lang, lab, live: $('walk-live') });
  const select = $('lang');
  select.replaceChildren(...LANGUAGE_CODES.map((code) => {
    const option = new Option(LANGUAGE_NAMES[code], code);
    option.lang = LANGUAGE_TAGS[code];
    return option;
  }));
  select.addEventListener('change', () => setLanguage(select.value, { fromSwitch: true }));
  for (const a of document.querySelectorAll('a[data-lab]')) a.href = lab;
  // Pages that need a server (their scripts are modules): not offered from file://.
  if (location.protocol === 'file:') for (const el of document.querySelectorAll('[data-served]')) el.hidden = true;
  build();
  setLanguage(lang);
  // The hash's section, now that the sections exist.
  const anchor = hashAnchor(location.hash);
  if (anchor) document.getElementById(anchor)?.scrollIntoView();
  window.addEventListener('hashchange', followHash);
  // For the tests and the curious: what each frame is doing.
  window.gradlabWalk = { frames: () => frames.describe(), budget: frames.budget, firstViewMs: () => frames.firstViewMs };
}
