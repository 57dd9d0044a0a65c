// The examples page (embed.html): a course page that embeds two simulators and
// drives them with gradlab-embed.js, as a course page on another origin would.
// `?site=https://…/` embeds the simulator from another host.
import { PRESETS } from './presets.js';
import { makeState } from './state.js';

const $ = (id) => document.getElementById(id);

/** Where the simulator is: this folder, or ?site= (an http(s) address). */
function siteAddress() {
  const param = new URLSearchParams(location.search).get('site');
  if (param) {
    try {
      const url = new URL(param);
      if (url.protocol === 'http:' || url.protocol === 'https:') return new URL('./', url).href;
    } catch { /* fall through */ }
    $('demo-status').textContent = `Ignored ?site=${param.slice(0, 80)}: not an http(s) address.`;
  }
  return new URL('./', location.href).href;
}

const site = siteAddress();
const page = `${site}index.html`;
const SIDES = {
  left: { settings: { depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', learningRate: 0.05 },
    name: 'Sigmoid + Nielsen' },
  right: { settings: { depth: 10, width: 30, activation: 'relu', init: 'he_normal', biasInit: 'zeros', learningRate: 0.05 },
    name: 'ReLU + He' },
};

function reading(stats) {
  const speeds = stats.layers.map((l) => l.speed);
  const first = speeds[0], last = speeds[speeds.length - 1];
  if (!(first > 0 && last > 0)) return `step ${stats.step}: speeds ${speeds.map((v) => v.toPrecision(2)).join(', ')}`;
  const ratio = last / first;
  const how = ratio >= 1 ? `${ratio.toPrecision(3)}× slower` : `${(1 / ratio).toPrecision(3)}× faster`;
  const acc = stats.testAccuracy == null ? '' : `, test accuracy ${(100 * stats.testAccuracy).toFixed(1)} %`;
  return `Step ${stats.step}: hidden layer 1 learns ${how} than hidden layer ${speeds.length}${acc}.`;
}

const clients = {};
for (const [id, side] of Object.entries(SIDES)) {
  const iframe = $(id);
  iframe.src = `${page}#embed=1&show=bars&lock=1`;
  const g = window.gradlab.connect(iframe);
  clients[id] = g;
  g.on('stats', (stats) => { $(`${id}-reading`).textContent = `${side.name}: ${reading(stats)}`; });
  g.ready.then(() => g.configure(side.settings))
    .then(() => g.stats())
    .then((stats) => { $(`${id}-reading`).textContent = `${side.name}: ${reading(stats)}`; })
    .catch((e) => { $(`${id}-reading`).textContent = e.message; });
}
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
const link = `${page}#preset=deep-sigmoid&embed=1&show=bars,speed&controls=depth,activation,init`;
const iframe = `<iframe src="${link}" title="gradlab: why deep networks are hard to train"\n` +
  '        data-gradlab style="width:100%;height:600px;border:0" loading="lazy"></iframe>';
const script = `<script src="${site}gradlab-embed.js"></script>`;
$('snippet-html').textContent = `${iframe}\n${script}`;
$('snippet-jupyterbook').textContent = `\`\`\`{raw} html\n${iframe}\n${script}\n\`\`\``;
$('snippet-mkdocs').textContent = `<!-- in any page of docs/; Markdown passes raw HTML through -->\n${iframe}\n${script}`;
$('snippet-reveal').textContent = '<section>\n  <h2>Why deep networks are hard to train</h2>\n' +
  `  <iframe data-src="${link}"\n          data-gradlab style="width:100%;height:600px;border:0"></iframe>\n</section>\n` +
  `<!-- once, after reveal.js: -->\n${script}`;
$('api-example').textContent = [
  `<script src="${site}gradlab-embed.js"></script>`,
  '<script type="module">',
  "  const g = gradlab.connect(document.querySelector('iframe[data-gradlab]'));",
  "  await g.configure({depth: 10, activation: 'relu', init: 'he_normal'});",
  "  g.on('stats', (s) => console.log(s.step, s.layers.map((l) => l.speed)));",
  '  await g.play();          // also: pause(), step(n), reset(), preset(id),',
  '                           // state(), stats(), settings(), presets()',
  '</script>',
].join('\n');

// The keys table, from the page's own definitions (state.js).
const keys = makeState([], PRESETS).SCHEMA.filter((s) => s.layout || s.key === 'preset');
$('keys').replaceChildren(...keys.map((s) => {
  const row = document.createElement('tr');
  const key = document.createElement('td');
  key.textContent = s.type === 'boolean' ? `${s.key}=1` : `${s.key}=`;
  const help = document.createElement('td');
  help.textContent = s.key === 'preset' ? `A preset by name: ${PRESETS.map((p) => p.id).join(', ')}.` : s.help;
  row.append(key, help);
  return row;
}));
