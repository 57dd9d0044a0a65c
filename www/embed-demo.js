// The examples page (embed.html): a course page that embeds two simulators and
// drives them with gradlab-embed.js, as a course page on another origin would.
// `?site=https://…/` embeds the simulator from another host.
import { LANGUAGES, makeI18n, pickLanguage } from './i18n.js';
import { PRESETS } from './presets.js';
import { makeState } from './state.js';
import { translatePage } from './translate.js';
import { timeSentence } from './throughtime.js';

// The page's language: ?lang=zh|en, else the browser's; the simulators follow it.
const lang = pickLanguage(new URLSearchParams(location.search).get('lang'), navigator.languages);
const i18n = makeI18n(lang);
translatePage(i18n, document, 'embed.title');

const $ = (id) => document.getElementById(id);

/** Where the simulator is: this folder, or ?site= (an http(s) address). */
function siteAddress() {
  const param = new URLSearchParams(location.search).get('site');
  if (param) {
    try {
      const url = new URL(param);
      if (url.protocol === 'http:' || url.protocol === 'https:') return new URL('./', url).href;
    } catch { /* fall through */ }
    $('demo-status').textContent = i18n.t('embed.badSite', { site: param.slice(0, 80) });
  }
  return new URL('./', location.href).href;
}

const site = siteAddress();
const page = `${site}lab.html`;
const SIDES = {
  left: { settings: { depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', learningRate: 0.05 },
    name: 'sigmoid + Nielsen' },
  right: { settings: { depth: 10, width: 30, activation: 'relu', init: 'he_normal', biasInit: 'zeros', learningRate: 0.05 },
    name: 'ReLU + He' },
};

function reading(stats) {
  const { t, fmt } = i18n;
  // A recurrent model (model=rnn|lstm) has no layers: its gradient through time instead.
  if (stats.cells) return `${t('status.recurrent', { step: stats.step })} · ${timeSentence(stats.cells[0], i18n)}`;
  const speeds = stats.layers.map((l) => l.speed);
  const first = speeds[0], last = speeds[speeds.length - 1];
  if (!(first > 0 && last > 0)) return t('embed.reading.speeds', { step: stats.step, speeds: i18n.list(speeds.map(fmt.value)) });
  const ratio = last / first;
  const values = { step: stats.step, last: speeds.length, ratio: fmt.ratio(ratio >= 1 ? ratio : 1 / ratio) };
  const acc = stats.testAccuracy == null ? '' : t('status.test', { accuracy: fmt.percent(stats.testAccuracy) });
  return t(ratio >= 1 ? 'embed.reading.slower' : 'embed.reading.faster', values) + acc;
}

const clients = {};
for (const [id, side] of Object.entries(SIDES)) {
  const iframe = $(id);
  iframe.src = `${page}#embed=1&show=bars&lock=1&lang=${lang}`;
  const g = window.gradlab.connect(iframe);
  clients[id] = g;
  g.on('stats', (stats) => { $(`${id}-reading`).textContent = `${side.name}${i18n.t('embed.colon')}${reading(stats)}`; });
  g.ready.then(() => g.configure(side.settings))
    .then(() => g.stats())
    .then((stats) => { $(`${id}-reading`).textContent = `${side.name}${i18n.t('embed.colon')}${reading(stats)}`; })
    .catch((e) => { $(`${id}-reading`).textContent = e.message; });
}
// The language switch reloads this page in the other language (its simulators with it).
$('lang').replaceChildren(...Object.entries(LANGUAGES).map(([code, { name }]) => new Option(name, code)));
$('lang').value = lang;
$('lang').addEventListener('change', () => {
  const params = new URLSearchParams(location.search);
  params.set('lang', $('lang').value);
  location.search = params.toString();
});

/** Exposed for the browser test: the two connections. */
window.demo = { clients, ready: Promise.all(Object.values(clients).map((g) => g.ready)) };

const both = (what) => async () => {
  $('demo-status').textContent = '';
  try {
    await Promise.all(Object.values(clients).map(what));
  } catch (e) {
    $('demo-status').textContent = e.message;
  }
};
$('play-both').addEventListener('click', both((g) => g.play()));
$('pause-both').addEventListener('click', both((g) => g.pause()));
$('step-both').addEventListener('click', both((g) => g.step(100)));
$('reset-both').addEventListener('click', both((g) => g.reset()));

// The snippets, for this site's address.
const link = `${page}#preset=deep-sigmoid&embed=1&show=bars,speed&controls=depth,activation,init${lang === 'zh' ? '&lang=zh' : ''}`;
const iframe = `<iframe src="${link}" title="${i18n.t('share.title', { what: i18n.t('share.titleDefault') })}"\n` +
  '        data-gradlab style="width:100%;height:600px;border:0" loading="lazy"></iframe>';
const script = `<script src="${site}gradlab-embed.js"></script>`;
$('snippet-html').textContent = `${iframe}\n${script}`;
$('snippet-jupyterbook').textContent = `\`\`\`{raw} html\n${iframe}\n${script}\n\`\`\``;
$('snippet-mkdocs').textContent = `<!-- in any page of docs/; Markdown passes raw HTML through -->\n${iframe}\n${script}`;
$('snippet-reveal').textContent = `<section>\n  <h2>${i18n.t('share.titleDefault')}</h2>\n` +
  `  <iframe data-src="${link}"\n          data-gradlab style="width:100%;height:600px;border:0"></iframe>\n</section>\n` +
  `<!-- once, after reveal.js: -->\n${script}`;
/** "// also: a(), b(), …" over as many comment lines as it takes: the client's own list of methods. */
function alsoLines(methods) {
  const lines = [];
  let line = '  // also:';
  for (const m of methods) {
    const item = ` ${m}(),`;
    if (line.length + item.length > 70) {
      lines.push(line);
      line = '  //';
    }
    line += item;
  }
  return [...lines, line.replace(/,$/, '')];
}

$('api-example').textContent = [
  `<script src="${site}gradlab-embed.js"></script>`,
  '<script type="module">',
  "  const g = gradlab.connect(document.querySelector('iframe[data-gradlab]'));",
  "  await g.configure({depth: 10, activation: 'relu', init: 'he_normal'});",
  "  g.on('stats', (s) => console.log(s.step, s.layers.map((l) => l.speed)));",
  '  await g.play();',
  ...alsoLines(window.gradlab.methods.filter((m) => m !== 'configure' && m !== 'play')),
  '</script>',
].join('\n');

// The keys table, from the page's own definitions (state.js).
const keys = makeState([], PRESETS).SCHEMA.filter((s) => s.layout || s.key === 'preset');
$('keys').replaceChildren(...keys.map((s) => {
  const row = document.createElement('tr');
  const key = document.createElement('td');
  key.textContent = s.type === 'boolean' ? `${s.key}=1` : `${s.key}=`;
  const help = document.createElement('td');
  help.textContent = s.key === 'preset' ? i18n.t('embed.keys.preset', { ids: PRESETS.map((p) => p.id).join(', ') })
    : lang === 'en' ? s.help : i18n.t(`pagekey.${s.key}.help`);
  row.append(key, help);
  return row;
}));
