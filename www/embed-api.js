// The script API over postMessage, for a course page that embeds gradlab in an
// iframe on another origin (its client is gradlab-embed.js). Protocol 1:
//   request  {gradlab: 1, id, method, args}
//   reply    {gradlab: 1, id, result} or {gradlab: 1, id, error}
//   events   {gradlab: 1, event: 'ready'}, {gradlab: 1, event: 'height', height},
//            {gradlab: 1, event: 'stats', data} (after an 'on' request)
// Only messages from the parent window are read. A malformed message or a failing
// call gets an error reply; nothing a message holds can throw in the page.
export const PROTOCOL = 1;

/** The methods, each from (api, args) to a result; `args` is already an array. */
const METHODS = {
  hello: async (api) => {
    await api.ready;
    return { protocol: PROTOCOL, methods: Object.keys(METHODS) };
  },
  configure: (api, [partial]) => api.configure(partial),
  preset: (api, [id]) => api.preset(id),
  play: async (api) => {
    await api.play();
    return api.stats();
  },
  pause: (api) => api.pause(),
  step: (api, [n = 1]) => api.step(n),
  reset: (api) => api.reset(),
  state: async (api) => {
    await api.ready;
    return api.state();
  },
  stats: async (api) => {
    await api.ready;
    return api.stats();
  },
  link: async (api) => {
    await api.ready;
    return api.link();
  },
  settings: async (api) => {
    await api.ready;
    return api.settings();
  },
  presets: (api) => api.presets,
  history: async (api, [format]) => {
    await api.ready;
    return api.history(format);
  },
  histograms: (api) => api.histograms(),
  theory: (api) => api.theory(),
  sweepDepth: (api, [options]) => api.sweepDepth(options),
  ab: (api) => api.ab(),
  memory: (api) => api.memory(),
  on: () => null,   // handled by serveEmbedApi (it needs the subscriber)
  off: () => null,
};

const targetOf = (origin) => (origin && origin !== 'null' ? origin : '*');

/**
 * Answers the parent window's requests with `api` (window.gradlab), and reports
 * the page's height to it. Does nothing in a top-level page.
 */
export function serveEmbedApi(api, win = window) {
  const parent = win.parent;
  if (!parent || parent === win) return null;
  let statsTarget = null;   // the origin subscribed to stats events
  let unsubscribe = null;

  const send = (message, target) => {
    try {
      parent.postMessage({ gradlab: PROTOCOL, ...message }, target);
    } catch (e) {
      if ('id' in message) parent.postMessage({ gradlab: PROTOCOL, id: message.id, error: `the reply could not be sent (${e.message})` }, target);
    }
  };

  win.addEventListener('message', async (event) => {
    if (event.source !== parent) return;
    const m = event.data;
    // Not a request of this protocol (another tool's message, or an event): ignore.
    if (m === null || typeof m !== 'object' || m.gradlab !== PROTOCOL || 'event' in m) return;
    const target = targetOf(event.origin);
    const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
    const fail = (error) => send({ id, error }, target);
    if (id === null) return fail('a request needs an id (a string or a number)');
    if (typeof m.method !== 'string' || !Object.hasOwn(METHODS, m.method))
      return fail(`unknown method '${String(m.method).slice(0, 40)}' (one of ${Object.keys(METHODS).join(', ')})`);
    const args = m.args === undefined ? [] : m.args;
    if (!Array.isArray(args)) return fail(`${m.method}: args must be an array`);
    try {
      if (m.method === 'on' || m.method === 'off') {
        if (args[0] !== 'stats') return fail(`${m.method}: the only event is 'stats'`);
        unsubscribe?.();
        unsubscribe = null;
        if (m.method === 'on') {
          statsTarget = target;
          unsubscribe = api.on('stats', (data) => send({ event: 'stats', data }, statsTarget));
        }
        return send({ id, result: true }, target);
      }
      const result = await METHODS[m.method](api, args);
      send({ id, result: result ?? null }, target);
    } catch (e) {
      fail(e && e.message ? e.message : String(e));
    }
  });

  // The height of the content, whenever the layout changes, once the page has been laid out
  // for its link (before, it is the whole lab page, thousands of pixels tall).
  let last = -1;
  let laidOut = false;
  const report = () => {
    if (!laidOut) return;
    const height = Math.ceil(win.document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    send({ event: 'height', height }, '*');
  };
  new ResizeObserver(report).observe(win.document.body);
  const start = () => {
    laidOut = true;
    report();
  };
  return {
    /** The page is up: its height, then 'ready'. */
    ready: () => {
      start();
      send({ event: 'ready' }, '*');
    },
    /** The page could not start: its height (it shows why). */
    failed: start,
  };
}
