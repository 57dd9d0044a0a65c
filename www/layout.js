// The page's layout from its layout keys (state.js): the embedded form, the views
// shown (elements marked data-view), the settings offered, the lock. DOM only; the
// rules are state.js's shownViews and offeredControls.
import { isRecurrent, offeredControls, shownViews } from './state.js';

const $ = (id) => document.getElementById(id);

/**
 * Lays the page out for `state`. `controls` is the settings form (controls.js),
 * `fullLink` the address of the same state as a full page.
 */
export function applyLayout(state, settings, controls, fullLink) {
  const embedded = Boolean(state.embed);
  document.body.classList.toggle('embedded', embedded);
  const views = new Set(shownViews(state));
  for (const element of document.querySelectorAll('[data-view]')) element.hidden = !views.has(element.dataset.view);
  const keys = settings.SCHEMA.filter((s) => s.widget !== 'none').map((s) => s.key);
  const offered = offeredControls(state, keys);
  controls.offer(offered.length === keys.length ? null : offered, Boolean(state.lock));
  $('settings-panel').hidden = offered.length === 0;
  document.querySelector('.layout').classList.toggle('no-settings', offered.length === 0);
  $('new-seed').hidden = Boolean(state.lock);
  // The export writes the MLP's history; a recurrent model's is in the API (gradlab.stats()).
  $('export-button').hidden = isRecurrent(state);
  if (isRecurrent(state)) $('export').hidden = true;
  $('footer').hidden = embedded;
  $('open-full').hidden = !embedded;
  $('open-full').href = fullLink;
}
