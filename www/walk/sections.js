// The walk-through's story, one section per step of Nielsen's chapter 5, each
// with the live simulators it shows: a lab link hash (the lab's own settings,
// presets and views; state.js reads it) trimmed to what the step needs. The
// text of each section is in walk/text-<lang>.js under <id>.title, <id>.p1, …,
// <id>.try. tests/node/walk.test.mjs checks every hash against the settings
// table and every section's text in both languages.
import { FULL_PAGE_LAYOUT } from '../state.js';

/** The sections in reading order: {id, frames: [{hash}]}. */
export const SECTIONS = [
  { id: 'deeper', frames: [{ hash: 'preset=nielsen&show=sweep' }] },
  { id: 'speeds', frames: [{ hash: 'preset=nielsen-training&show=bars,speed&controls=depth' }] },
  { id: 'gradient', frames: [{ hash: 'preset=nielsen&show=bars,table' }] },
  { id: 'chain', frames: [{ hash: 'preset=why-chain&show=chain,neuron' }] },
  { id: 'saturation', frames: [{ hash: 'preset=saturation&show=phi' }] },
  { id: 'exploding', frames: [{ hash: 'preset=exploding&show=bars,chain' }] },
  { id: 'init', frames: [{ hash: 'preset=relu-he&b=init:xavier_normal&show=ab&controls=init' }] },
  { id: 'relu', frames: [{ hash: 'dataset=mnist&depth=10&width=30&activation=relu&init=he_normal&biasInit=zeros&b=activation:sigmoid,init:nielsen,biasInit:normal&show=ab&controls=activation' }] },
  { id: 'batchnorm', frames: [{ hash: 'preset=batch-norm&b=batchNorm:0&show=ab' }] },
  { id: 'residual', frames: [{ hash: 'preset=residual&b=residual:0&show=ab' }] },
  { id: 'clipping', frames: [{ hash: 'preset=clipping&b=clipNorm:0&show=ab&controls=clipNorm' }] },
  { id: 'penalty', frames: [{ hash: 'preset=nielsen-training&b=l2:0&show=ab,table&controls=l2,l1' }] },
  { id: 'pretraining', frames: [{ hash: 'preset=pretraining&b=pretrainEpochs:0&show=ab' }] },
  { id: 'lstm', frames: [{ hash: 'preset=rnn-long&show=time&controls=seqLen' }] },
  { id: 'map', frames: [{ hash: 'preset=edge-of-chaos&show=phase,theory' }] },
];

/** A frame's key: its section's id, and its index when the section has two. */
export const frameKey = (section, index) => (section.frames.length > 1 ? `${section.id}-${index + 1}` : section.id);

/**
 * The content of <meta name="gradlab-walk"> in the one-file walk-through
 * (tools/make_site.mjs): its lab is inlined, and its frames are Blob URLs of it.
 */
export const WALK_SINGLE_FILE = 'single-file';

/**
 * The page that holds the lab: lab.html on a served site; from file:// (the
 * site's zip opened from disk) the offline file, which needs no server.
 */
export const labPage = (protocol) => (protocol === 'file:' ? 'gradlab-offline.html' : 'lab.html');

/** A hash's text without its '#', and its parameters ([key, value] pairs; null if unreadable). */
function hashParams(hash) {
  const text = String(hash ?? '').replace(/^#/, '');
  try {
    return { text, params: text.includes('=') ? [...new URLSearchParams(text)] : null };
  } catch {
    return { text, params: null };
  }
}

/**
 * Whether a walk-through address's hash holds settings: an old link to the
 * simulator (before it moved to lab.html), which opens the lab. A walk-through
 * hash holds only an anchor (a bare name: #chain, #steps) and the language
 * (#lang=zh, #chain&lang=zh); the lab's links never hold a bare name.
 */
export function holdsSettings(hash) {
  return (hashParams(hash).params ?? []).some(([k, v]) => k !== 'lang' && v !== '');
}

/** The `lang` of a walk-through hash ('' if none). */
export function hashLanguage(hash) {
  return (hashParams(hash).params ?? []).find(([k]) => k === 'lang')?.[1] ?? '';
}

/** The anchor of a walk-through hash: #chain and #chain&lang=zh give 'chain' ('' if none). */
export function hashAnchor(hash) {
  const { text, params } = hashParams(hash);
  if (!text.includes('=')) return text;
  return (params ?? []).find(([k, v]) => k !== 'lang' && v === '')?.[0] ?? '';
}

/** A walk-through hash of an anchor and a language, either may be '' ('' for neither). */
export function walkHash(anchor, lang) {
  const parts = [anchor, lang ? `lang=${encodeURIComponent(lang)}` : ''].filter(Boolean);
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}

/** The embedded form of a frame's hash (the lab's compact page), in `lang` if given. */
export const embeddedHash = (hash, lang = '') => `#${hash}&embed=1${lang ? `&lang=${lang}` : ''}`;

/** The lab's embedding keys a section's hash may hold (show, controls, …), which a full lab page drops. */
const LAYOUT = Object.keys(FULL_PAGE_LAYOUT);

/** A frame's hash as a full lab page: its settings without the embedded layout, in `lang` if given. */
export function labHash(hash, lang = '') {
  const params = new URLSearchParams(hash);
  for (const k of LAYOUT) params.delete(k);
  if (lang) params.set('lang', lang);
  return `#${params.toString()}`;
}

/** The embedded layout keys of a frame's hash (show, controls, …), as "key=value&…". */
export function layoutPart(hash) {
  const params = new URLSearchParams(hash);
  return [...params].filter(([k]) => LAYOUT.includes(k)).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
