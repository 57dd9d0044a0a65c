/*
 * gradlab-embed.js: embeds gradlab in a course page (any origin).
 *
 *   <iframe src="https://…/gradlab/lab.html#preset=deep-sigmoid&embed=1" data-gradlab
 *           style="width:100%;border:0" title="gradlab"></iframe>
 *   <script src="https://…/gradlab/gradlab-embed.js"></script>
 *
 * Every iframe with the data-gradlab attribute takes the height of its content.
 * To drive one from the page's own script:
 *
 *   const g = gradlab.connect(iframe);
 *   await g.configure({depth: 10, activation: 'relu', init: 'he'});
 *   g.on('stats', (s) => console.log(s.layers.map((l) => l.speed)));
 *   await g.play();
 *
 * g has the promise API of window.gradlab inside the page: configure, preset,
 * play, pause, step, reset, state, link, stats, settings, presets, history, histograms, theory, sweepDepth, ab, memory,
 * and on('stats', fn)
 * (which returns a function that unsubscribes). g.ready resolves once the page
 * in the iframe answers. The messages (protocol 1) are described in embed-api.js.
 */
(function () {
  'use strict';
  var PROTOCOL = 1;
  var METHODS = ['configure', 'preset', 'play', 'pause', 'step', 'reset', 'state', 'link', 'stats', 'settings', 'presets', 'history', 'histograms', 'theory', 'sweepDepth', 'ab', 'memory'];
  var READY_TIMEOUT_MS = 30000;

  /** The origin messages to and from `iframe` must have ('*' for file:// pages, whose origin is opaque). */
  function originOf(iframe) {
    try {
      var url = new URL(iframe.src, location.href);
      return url.protocol !== 'file:' && url.origin && url.origin !== 'null' ? url.origin : '*';
    } catch (e) {
      return '*';
    }
  }

  function isFrom(iframe, event) {
    if (!iframe.contentWindow || event.source !== iframe.contentWindow) return false;
    var origin = originOf(iframe);
    return origin === '*' || event.origin === origin;
  }

  function isMessage(data) {
    return data !== null && typeof data === 'object' && data.gradlab === PROTOCOL;
  }

  // Auto-height: every iframe marked data-gradlab, or connected, follows its page's height.
  var sized = new Set();
  function autoSize(iframe) {
    sized.add(iframe);
    return iframe;
  }
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!isMessage(m) || m.event !== 'height') return;
    var height = Number(m.height);
    if (!(height > 0 && height < 100000)) return;
    var frames = Array.prototype.slice.call(document.querySelectorAll('iframe[data-gradlab]'));
    sized.forEach(function (f) { if (frames.indexOf(f) < 0) frames.push(f); });
    frames.forEach(function (iframe) {
      if (isFrom(iframe, event)) iframe.style.height = Math.ceil(height) + 'px';
    });
  });

  /** A promise API for the gradlab page in `iframe`. */
  function connect(iframe, options) {
    if (!iframe || iframe.tagName !== 'IFRAME') throw new TypeError('gradlab.connect: expected an <iframe> element');
    var timeoutMs = (options && options.timeoutMs) || READY_TIMEOUT_MS;
    var nextId = 1;
    var waiting = new Map();
    var statsListeners = new Set();
    var readyDone = false;
    var resolveReady, rejectReady;
    var ready = new Promise(function (resolve, reject) { resolveReady = resolve; rejectReady = reject; });
    ready.catch(function () {});
    autoSize(iframe);

    function send(id, method, args) {
      if (!iframe.contentWindow) throw new Error('gradlab: the iframe is not in the document');
      iframe.contentWindow.postMessage({ gradlab: PROTOCOL, id: id, method: method, args: args }, originOf(iframe));
    }

    function request(method, args) {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        waiting.set(id, { resolve: resolve, reject: reject });
        try {
          send(id, method, args);
        } catch (e) {
          waiting.delete(id);
          reject(e);
        }
      });
    }

    function markReady(hello) {
      if (hello && Array.isArray(hello.methods)) api.pageMethods = hello.methods;
      if (statsListeners.size > 0) request('on', ['stats']).catch(function () {});
      if (readyDone) return;
      readyDone = true;
      clearInterval(helloTimer);
      clearTimeout(readyTimer);
      resolveReady();
    }

    function onMessage(event) {
      if (!isFrom(iframe, event) || !isMessage(event.data)) return;
      var m = event.data;
      if (m.event === 'ready') {
        readyDone = false;   // a (re)loaded page: subscribe again
        markReady();
        return;
      }
      if (m.event === 'stats') {
        statsListeners.forEach(function (fn) { fn(m.data); });
        return;
      }
      if (m.event !== undefined || !waiting.has(m.id)) return;
      var entry = waiting.get(m.id);
      waiting.delete(m.id);
      if ('error' in m) entry.reject(new Error('gradlab: ' + m.error));
      else entry.resolve(m.result);
    }
    window.addEventListener('message', onMessage);

    // The page may have loaded already (no 'ready' to wait for): ask until it answers.
    function loaded() {
      try {
        return iframe.contentWindow.location.href !== 'about:blank';  // same origin: readable
      } catch (e) {
        return true;  // another origin's page has loaded
      }
    }
    function hello() {
      if (readyDone || !iframe.contentWindow || !loaded()) return;
      var id = 'hello-' + nextId++;
      waiting.set(id, {
        resolve: markReady,
        reject: function (e) {   // the page answered, but cannot start: say why
          if (readyDone) return;
          clearInterval(helloTimer);
          clearTimeout(readyTimer);
          rejectReady(e);
        },
      });
      try { send(id, 'hello', []); } catch (e) { /* not in the document yet */ }
      setTimeout(function () { waiting.delete(id); }, 2000);
    }
    var helloTimer = setInterval(hello, 250);
    var readyTimer = setTimeout(function () {
      clearInterval(helloTimer);
      if (!readyDone) rejectReady(new Error('gradlab: the page in the iframe did not answer within ' + timeoutMs / 1000 + ' s'));
    }, timeoutMs);
    hello();

    var api = {
      ready: ready,
      iframe: iframe,
      /** The methods the page answers (from its reply to 'hello'). */
      pageMethods: null,
      /** on('stats', fn): fn(stats) after every update in the page. Returns an unsubscribe function. */
      on: function (event, fn) {
        if (event !== 'stats') throw new Error("gradlab.on: unknown event '" + event + "' (only 'stats')");
        if (typeof fn !== 'function') throw new TypeError('gradlab.on: expected a function');
        statsListeners.add(fn);
        if (statsListeners.size === 1 && readyDone) request('on', ['stats']).catch(function () {});
        return function () {
          statsListeners.delete(fn);
          if (statsListeners.size === 0 && readyDone) request('off', ['stats']).catch(function () {});
        };
      },
      /** Stops listening to the iframe (pending calls are rejected). */
      close: function () {
        window.removeEventListener('message', onMessage);
        clearInterval(helloTimer);
        clearTimeout(readyTimer);
        waiting.forEach(function (entry) { entry.reject(new Error('gradlab: connection closed')); });
        waiting.clear();
        sized.delete(iframe);
      },
    };
    METHODS.forEach(function (method) {
      api[method] = function () {
        var args = Array.prototype.slice.call(arguments);
        return ready.then(function () { return request(method, args); });
      };
    });
    return api;
  }

  window.gradlab = Object.assign(window.gradlab || {}, { connect: connect, autoSize: autoSize, protocol: PROTOCOL, methods: METHODS.slice() });
}());
