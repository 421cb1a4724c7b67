/*
 * facet-worker.js — the Facet render worker: one script for a browser Web Worker (also when
 * started from a Blob URL) and for a Node worker_threads worker.
 *
 * `make wasm` writes $(BUILD)/wasm/facet-worker.js as the emcc glue (facet-core.js, which
 * defines FacetCore) followed by this file, so the built worker needs nothing but
 * facet-core.wasm (and facet-fonts.bin when a model uses text()). Run from the source tree
 * instead, it loads facet-core.js beside itself.
 *
 * Protocol (docs/ARCHITECTURE.md, DESIGN §7); every message is a plain object:
 *   in   {type:"render", id, source, path?, files?:{path: string|ArrayBuffer|TypedArray},
 *         params?:{name: value}, format?, options?:{fn, fa, fs, timeoutMs, stepLimit}}
 *        {type:"parameters", id, source, path?}     customizer metadata only
 *        {type:"cancel", id}                         drops a queued request (see below)
 *        {type:"init", baseUrl?, fontsUrl?, wasmModule?, wasmBinary?, wasmUrl?, memoryLimit?}
 *   out  {type:"progress", id, stage, fraction}
 *        {type:"result", id, ok:true, data:ArrayBuffer, meta:{…, cached, log:[…]}, parameters}
 *        {type:"result", id, ok:true, parameters:[…], meta:{log}}   (reply to "parameters")
 *        {type:"error", id, ok:false, error:{kind, message, file, line, column, trace, log}}
 *        {type:"ready", wasmModule?}                 after "init", once the module is loaded;
 *                                                    with the module when it was compiled here
 * A message may also arrive as JSON text. Anything malformed (not an object, truncated JSON,
 * missing id/type/source, wrong field types, unknown type or format) is answered with an
 * error of kind "protocol" (id null when the id itself is unusable): never silence.
 *
 * Design:
 *  - One wasm instance and one facet context for the life of the worker, so the core's
 *    subtree cache makes re-renders after a parameter change fast. Requests run one at a
 *    time in arrival order.
 *  - Results are copied out of the wasm heap (HEAPU8.slice) and the copy is transferred;
 *    the heap's own buffer is never sent. The core's render pool is released right after
 *    the copy, so a render that failed at the 2 GiB cap leaves room for the next one.
 *  - If the module itself throws (a trap, or the JS engine's stack overflow on very deep
 *    recursion), its state cannot be trusted: the error is answered (kind recursion_depth
 *    for a stack overflow, internal otherwise) and a fresh instance is created on the next
 *    request.
 *  - Cancellation: a render runs synchronously inside the module and a worker cannot read
 *    messages meanwhile without SharedArrayBuffer, which Facet does not use. A "cancel" for a
 *    queued request drops it (error kind cancelled); under Node the worker also polls its
 *    port from the progress callback (receiveMessageOnPort), so a running render is
 *    cancelled too. In browsers the client terminates the worker instead.
 *  - Fonts: the core asks for its font pack (FACET_FONTS_PATH) synchronously, so the worker
 *    fetches facet-fonts.bin before rendering when the source mentions text( ), and
 *    otherwise, when the core reports it wanted the pack (text() in a used file), fetches
 *    it and renders once more (the second run reuses the first run's cached subtrees). A
 *    pack that cannot be fetched leaves text() to warn and draw nothing, as the core does
 *    without fonts. Once the core has read the pack it keeps its own copy and the worker
 *    frees its copy.
 */
(function () {
  'use strict';

  const IS_NODE =
    typeof process === 'object' && process !== null && process.versions != null &&
    typeof process.versions.node === 'string' && typeof importScripts !== 'function';

  let nodePort = null;
  let receiveMessageOnPort = null;
  if (IS_NODE) {
    const wt = require('worker_threads');
    if (!wt.parentPort) return; /* required outside a worker: nothing to do */
    nodePort = wt.parentPort;
    receiveMessageOnPort = wt.receiveMessageOnPort;
  }

  function post(msg, transfer) {
    if (nodePort) nodePort.postMessage(msg, transfer || []);
    else self.postMessage(msg, transfer || []);
  }

  /* ------------------------------------------------------------ configuration */

  const FORMATS = { none: 0, binstl: 1, stl: 1, asciistl: 2, off: 3, obj: 4, '3mf': 5, svg: 6, dxf: 7, mesh: 8 };
  const PROGRESS_INTERVAL_MS = 100;

  function defaultBaseUrl() {
    if (IS_NODE) return require('url').pathToFileURL(__dirname + '/').href;
    const href = self.location && self.location.href;
    if (href && !/^(blob|data):/.test(href)) return new URL('.', href).href;
    return '';
  }

  const config = { baseUrl: defaultBaseUrl(), fontsUrl: null, wasmModule: null, wasmBinary: null, wasmUrl: null, memoryLimit: 0 };
  let compiledHere = false; /* the module was fetched and compiled by this worker (wasmUrl) */

  function withSlash(u) {
    return u && !u.endsWith('/') ? u + '/' : u;
  }

  async function loadBytes(url) {
    if (IS_NODE && (/^file:/.test(url) || url.startsWith('/'))) {
      const fs = require('fs');
      const file = url.startsWith('/') ? url : require('url').fileURLToPath(url);
      const b = await fs.promises.readFile(file);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /* ------------------------------------------------------------ the module */

  let core = null; /* the instantiated module */
  let host = 0; /* fw_host* */
  let loading = null;
  let fonts = 'none'; /* none | host (handed to the module) | core (the core has its copy) | unavailable */
  let progress = null; /* {id, stage, last, cancelled} of the running render */

  function factory() {
    if (typeof FacetCore === 'function') return FacetCore; // eslint-disable-line no-undef
    if (IS_NODE) return require('./facet-core.js');
    importScripts(config.baseUrl + 'facet-core.js');
    return self.FacetCore;
  }

  /* Fetches and compiles the module off the page's main thread; a server that does not send
   * application/wasm (compileStreaming refuses it) gets the bytes compiled instead. */
  async function compileFrom(url) {
    if (typeof WebAssembly.compileStreaming === 'function') {
      try {
        return await WebAssembly.compileStreaming(fetch(url));
      } catch (e) {
        /* fall through: wrong MIME type, or the fetch failed (loadBytes reports it) */
      }
    }
    return WebAssembly.compile(await loadBytes(url));
  }

  function loadCore() {
    if (core) return Promise.resolve(core);
    if (!loading) {
      loading = (async () => {
        if (!config.wasmModule && !config.wasmBinary && config.wasmUrl && !IS_NODE) {
          config.wasmModule = await compileFrom(config.wasmUrl);
          compiledHere = true;
        }
        const opts = {
          locateFile: (name) => config.baseUrl + name,
          print: () => {},
          printErr: () => {},
        };
        if (config.wasmModule) {
          const mod = config.wasmModule;
          opts.instantiateWasm = (imports, done) => {
            WebAssembly.instantiate(mod, imports).then((inst) => done(inst, mod));
            return {};
          };
        } else if (config.wasmBinary) {
          opts.wasmBinary = config.wasmBinary;
        } else if (IS_NODE) {
          opts.wasmBinary = await loadBytes(config.baseUrl + 'facet-core.wasm');
        }
        const m = await factory()(opts);
        m.onFacetProgress = onProgress;
        const h = m._fw_new(config.memoryLimit || 0);
        if (!h) throw new Error('cannot create a Facet context');
        core = m;
        host = h;
        fonts = fonts === 'unavailable' ? 'unavailable' : 'none';
        return m;
      })();
      loading.catch(() => {}).then(() => {
        loading = null;
      });
    }
    return loading;
  }

  /* The module threw: forget it, a new instance is made for the next request. */
  function dropCore() {
    warmDone = false;
    core = null;
    host = 0;
    if (fonts !== 'unavailable') fonts = 'none';
  }

  /* ------------------------------------------------------------ errors */

  function protocolError(id, message) {
    return { kind: 'protocol', message, file: '', line: 0, column: 0, trace: '', log: [] };
  }

  function replyError(id, error) {
    post({ type: 'error', id: id === undefined ? null : id, ok: false, error });
  }

  function simpleError(kind, message) {
    return { kind, message, file: '', line: 0, column: 0, trace: '', log: [] };
  }

  /* ------------------------------------------------------------ validation */

  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isId = (v) => (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isFinite(v));
  const isBytes = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  const NAME_RE = /^\$?[A-Za-z0-9_]+$/;

  /* A parameter value as OpenSCAD source, or undefined when it has no OpenSCAD form. */
  function scadValue(v, depth) {
    if (depth > 64) return undefined;
    if (v === null || v === undefined) return 'undef';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return '(0/0)';
      if (!Number.isFinite(v)) return v > 0 ? '(1/0)' : '(-1/0)';
      return String(v);
    }
    if (typeof v === 'string') {
      let s = '"';
      for (const ch of v) {
        const c = ch.codePointAt(0);
        if (ch === '"') s += '\\"';
        else if (ch === '\\') s += '\\\\';
        else if (ch === '\n') s += '\\n';
        else if (ch === '\t') s += '\\t';
        else if (ch === '\r') s += '\\r';
        else if (c < 0x20 || c === 0x7f) s += '\\x' + c.toString(16).padStart(2, '0');
        else s += ch;
      }
      return s + '"';
    }
    if (Array.isArray(v)) {
      const parts = [];
      for (const x of v) {
        const p = scadValue(x, depth + 1);
        if (p === undefined) return undefined;
        parts.push(p);
      }
      return '[' + parts.join(',') + ']';
    }
    return undefined;
  }

  /* Checks a render/parameters request; returns an error message or null. */
  function validate(msg) {
    if (typeof msg.source !== 'string') return `"${msg.type}" needs a string "source"`;
    if (msg.path !== undefined && typeof msg.path !== 'string') return '"path" must be a string';
    if (msg.type === 'parameters') return null;
    if (msg.files !== undefined) {
      if (!isObj(msg.files)) return '"files" must be an object {path: text or bytes}';
      for (const [k, v] of Object.entries(msg.files))
        if (typeof v !== 'string' && !isBytes(v)) return `file "${k}" must be a string or bytes`;
    }
    if (msg.params !== undefined) {
      if (!isObj(msg.params)) return '"params" must be an object {name: value}';
      for (const [k, v] of Object.entries(msg.params)) {
        if (!NAME_RE.test(k) || /^\$?[0-9]+$/.test(k)) return `parameter name "${k}" is not an identifier`;
        if (scadValue(v, 0) === undefined) return `parameter "${k}" has no OpenSCAD value (number, boolean, string, list or null)`;
      }
    }
    if (msg.format !== undefined && !(typeof msg.format === 'string' && Object.hasOwn(FORMATS, msg.format)))
      return `unknown "format" ${JSON.stringify(msg.format)} (${Object.keys(FORMATS).join(', ')})`;
    if (msg.options !== undefined) {
      if (!isObj(msg.options)) return '"options" must be an object';
      for (const k of ['fn', 'fa', 'fs', 'timeoutMs', 'stepLimit']) {
        const v = msg.options[k];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `option "${k}" must be a non-negative number`;
      }
    }
    return null;
  }

  /* ------------------------------------------------------------ heap marshalling */

  const encoder = new TextEncoder();

  class HeapFull extends Error {}

  function toHeap(m, bytes, nul) {
    const n = bytes.byteLength + (nul ? 1 : 0);
    const p = m._malloc(n || 1);
    if (!p) throw new HeapFull('out of memory while passing the request to the module');
    m.HEAPU8.set(bytes, p);
    if (nul) m.HEAPU8[p + bytes.byteLength] = 0;
    return p;
  }

  const strToHeap = (m, s) => toHeap(m, encoder.encode(s), true);

  function asBytes(v) {
    if (typeof v === 'string') return encoder.encode(v);
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }

  /* Hands the request's files and parameters to the module. */
  function setInputs(m, msg) {
    m._fw_files_clear(host);
    m._fw_params_clear(host);
    for (const [path, v] of Object.entries(msg.files || {})) {
      const pp = strToHeap(m, path);
      let dp = 0;
      try {
        const b = asBytes(v);
        dp = toHeap(m, b, false);
        if (m._fw_file_add(host, pp, dp, b.byteLength)) throw new HeapFull('out of memory');
      } catch (e) {
        m._free(pp);
        if (dp) m._free(dp);
        throw e;
      }
    }
    const params = Object.assign({}, msg.params || {});
    const o = msg.options || {};
    for (const k of ['fn', 'fa', 'fs']) if (o[k] !== undefined && !Object.hasOwn(params, '$' + k)) params['$' + k] = o[k];
    for (const [name, v] of Object.entries(params)) {
      const np = strToHeap(m, name);
      const ep = (() => {
        try {
          return strToHeap(m, scadValue(v, 0));
        } catch (e) {
          m._free(np);
          throw e;
        }
      })();
      if (m._fw_param_add(host, np, ep)) {
        m._free(np);
        m._free(ep);
        throw new HeapFull('out of memory');
      }
    }
    m._fw_set_limits(host, o.stepLimit || 0, o.timeoutMs || 0);
  }

  function readError(m, kind) {
    let log = [];
    try {
      log = JSON.parse(m.UTF8ToString(m._fw_meta_json(host))).log || [];
    } catch (e) {
      log = [];
    }
    return {
      kind: m.UTF8ToString(m._fw_error_name(kind)),
      message: m.UTF8ToString(m._fw_error_message(host)),
      file: m.UTF8ToString(m._fw_error_file(host)),
      line: m._fw_error_line(host),
      column: m._fw_error_column(host),
      trace: m.UTF8ToString(m._fw_error_trace(host)),
      log,
    };
  }

  /* One synchronous call into the module. Returns {ok, data, meta, parameters} or
   * {ok:false, error}; also {fontsWanted}. */
  function runOnce(msg) {
    const m = core;
    let src = 0;
    let path = 0;
    try {
      m._fw_release(host);
      const bytes = encoder.encode(msg.source);
      src = toHeap(m, bytes, true);
      path = msg.path ? strToHeap(m, msg.path) : 0;
      let kind;
      const t0 = now();
      if (msg.type === 'parameters') {
        m._fw_set_limits(host, 0, 0);
        kind = m._fw_parameters(host, path, src, bytes.byteLength);
      } else {
        setInputs(m, msg);
        kind = m._fw_render(host, path, src, bytes.byteLength, FORMATS[msg.format || 'binstl']);
      }
      const ms = now() - t0;
      const out = { fontsWanted: !!m._fw_fonts_wanted(host), fontsServed: !!m._fw_fonts_served(host) };
      if (kind !== 0) {
        out.ok = false;
        out.error = readError(m, kind);
      } else {
        out.ok = true;
        const pj = m.UTF8ToString(m._fw_params_json(host));
        out.parameters = JSON.parse(pj);
        if (msg.type === 'parameters') {
          out.meta = { log: JSON.parse(m.UTF8ToString(m._fw_meta_json(host))).log || [] };
        } else {
          const p = m._fw_data(host);
          const n = m._fw_size(host);
          out.data = n ? m.HEAPU8.slice(p, p + n).buffer : new ArrayBuffer(0);
          out.meta = JSON.parse(m.UTF8ToString(m._fw_meta_json(host)));
          out.meta.ms = Object.assign({}, out.meta.ms, { total: ms });
          out.meta.format = msg.format || 'binstl';
          out.meta.cached = false;
          if (!Array.isArray(out.meta.log)) out.meta.log = [];
        }
      }
      m._fw_release(host);
      m._fw_files_clear(host);
      m._fw_params_clear(host);
      return out;
    } catch (e) {
      if (e instanceof HeapFull) {
        try {
          m._fw_files_clear(host);
          m._fw_params_clear(host);
        } catch (e2) {
          dropCore();
        }
        return { ok: false, error: simpleError('memory_limit', 'Out of memory: ' + e.message) };
      }
      dropCore();
      const overflow = e instanceof RangeError || /call stack/i.test(String(e && e.message));
      return {
        ok: false,
        error: overflow
          ? simpleError('recursion_depth', 'Recursion too deep: the call stack overflowed')
          : simpleError('internal', 'The module failed: ' + (e && e.message ? e.message : String(e))),
      };
    } finally {
      if (core === m) {
        if (src) m._free(src);
        if (path) m._free(path);
      }
    }
  }

  function now() {
    return typeof performance !== 'undefined' ? performance.now() : Date.now();
  }

  /* ------------------------------------------------------------ fonts */

  async function fetchFonts() {
    try {
      const url = config.fontsUrl || config.baseUrl + 'facet-fonts.bin';
      const bytes = await loadBytes(url);
      if (!core) return false;
      const p = core._malloc(bytes.byteLength);
      if (!p) return false;
      core.HEAPU8.set(bytes, p);
      core._fw_fonts_set(host, p, bytes.byteLength);
      fonts = 'host';
      return true;
    } catch (e) {
      fonts = 'unavailable';
      return false;
    }
  }

  function afterRun(r) {
    if (r.fontsServed && fonts === 'host' && core) {
      core._fw_fonts_drop(host);
      fonts = 'core';
    }
  }

  /* ------------------------------------------------------------ progress and cancel */

  function onProgress(stage, fraction) {
    const p = progress;
    if (!p) return 0;
    const t = now();
    if (stage !== p.stage || t - p.last >= PROGRESS_INTERVAL_MS) {
      p.stage = stage;
      p.last = t;
      post({ type: 'progress', id: p.id, stage, fraction: fraction >= 0 ? fraction : -1 });
      if (receiveMessageOnPort) pollPort();
    }
    return p.cancelled ? 1 : 0;
  }

  /* Node only: reads messages that arrived during the render. A cancel for the running
   * request takes effect at once; everything else waits its turn. */
  function pollPort() {
    for (;;) {
      const r = receiveMessageOnPort(nodePort);
      if (!r) return;
      const msg = parse(r.message);
      if (msg && msg.type === 'cancel' && progress && msg.id === progress.id) progress.cancelled = true;
      else held.push(r.message);
    }
  }

  /* ------------------------------------------------------------ the queue */

  const queue = [];
  const held = [];
  let running = false;

  function parse(data) {
    if (typeof data === 'string') {
      try {
        return JSON.parse(data);
      } catch (e) {
        return undefined;
      }
    }
    return data;
  }

  function handle(data) {
    let msg = data;
    if (typeof data === 'string') {
      try {
        msg = JSON.parse(data);
      } catch (e) {
        replyError(null, protocolError(null, 'malformed message: ' + e.message));
        return;
      }
    }
    if (!isObj(msg)) {
      replyError(null, protocolError(null, 'a message must be an object with "type" and "id"'));
      return;
    }
    const id = isId(msg.id) ? msg.id : null;
    if (msg.type === 'init') {
      if (typeof msg.baseUrl === 'string') config.baseUrl = withSlash(msg.baseUrl);
      if (typeof msg.fontsUrl === 'string') config.fontsUrl = msg.fontsUrl;
      if (msg.wasmModule instanceof WebAssembly.Module) config.wasmModule = msg.wasmModule;
      if (isBytes(msg.wasmBinary)) config.wasmBinary = asBytes(msg.wasmBinary);
      if (typeof msg.wasmUrl === 'string') config.wasmUrl = msg.wasmUrl;
      if (typeof msg.memoryLimit === 'number' && msg.memoryLimit > 0) config.memoryLimit = msg.memoryLimit;
      loadCore().then(
        () => post(compiledHere ? { type: 'ready', wasmModule: config.wasmModule } : { type: 'ready' }),
        (e) => replyError(id, simpleError('io', 'cannot load the Facet module: ' + (e && e.message ? e.message : e)))
      );
      return;
    }
    if (typeof msg.type !== 'string') {
      replyError(id, protocolError(id, 'missing message "type" (render, parameters, cancel)'));
      return;
    }
    if (id === null) {
      replyError(null, protocolError(null, `"${msg.type}" needs an "id" (a non-empty string or a number)`));
      return;
    }
    if (msg.type === 'cancel') {
      const i = queue.findIndex((q) => q.id === id);
      if (i >= 0) {
        queue.splice(i, 1);
        replyError(id, simpleError('cancelled', 'Render cancelled'));
      } else if (progress && progress.id === id) {
        progress.cancelled = true;
      }
      return;
    }
    if (msg.type !== 'render' && msg.type !== 'parameters') {
      replyError(id, protocolError(id, `unknown message type ${JSON.stringify(msg.type)}`));
      return;
    }
    const bad = validate(msg);
    if (bad) {
      replyError(id, protocolError(id, bad));
      return;
    }
    queue.push(msg);
    pump();
  }

  function pump() {
    if (running) return;
    running = true;
    (async () => {
      while (queue.length) {
        const msg = queue.shift();
        try {
          await serve(msg);
        } catch (e) {
          replyError(msg.id, simpleError('internal', String(e && e.message ? e.message : e)));
        }
        while (held.length) handle(held.shift());
        /* Let messages that arrived meanwhile (a cancel for the next request) in first. */
        if (queue.length) await new Promise((r) => setTimeout(r, 0));
      }
      running = false;
      idleWarm();
    })();
  }

  /* The idle warm-up (fw_warm_more in facet_wasm.c): a few small renders that make more of the
   * kernel's code hot, one per task once the worker has been idle for WARM_IDLE_MS, so a
   * request that arrives meanwhile waits for one of them at most. Not at once: the page is
   * busy drawing the answer it just got (run at once, they cost the first picture ~50 ms in
   * Chromium on 2 cores). */
  const WARM_IDLE_MS = 250;
  let warmTimer = null;
  let warmDone = false; /* this instance has run them all (a new instance starts over) */
  function idleWarm() {
    if (warmDone || warmTimer || !core || !host || typeof core._fw_warm_more !== 'function') return;
    warmTimer = setTimeout(() => {
      warmTimer = null;
      if (running || queue.length || !core || !host) return; /* the next idle moment */
      let left = 0;
      try {
        left = core._fw_warm_more(host);
      } catch (e) {
        /* a trap (the engine's stack, say) may leave the instance half-way through an
         * allocation: the next request gets a fresh one, as after a trap in a render */
        dropCore();
        left = 0;
      }
      if (left > 0) idleWarm();
      else if (core) warmDone = true;
    }, WARM_IDLE_MS);
  }

  async function serve(msg) {
    try {
      await loadCore();
    } catch (e) {
      replyError(msg.id, simpleError('io', 'cannot load the Facet module: ' + (e && e.message ? e.message : e)));
      return;
    }
    if (msg.type === 'render' && fonts === 'none' && /\btext\s*\(/.test(msg.source)) await fetchFonts();
    progress = { id: msg.id, stage: '', last: -Infinity, cancelled: false };
    let r;
    try {
      r = runOnce(msg);
      if (core) afterRun(r);
      if (r.fontsWanted && core && (fonts === 'none' || fonts === 'core') && !progress.cancelled) {
        fonts = 'none';
        if (await fetchFonts()) {
          progress.last = -Infinity;
          r = runOnce(msg);
          if (core) afterRun(r);
        }
      }
    } finally {
      progress = null;
    }
    if (!r.ok) {
      replyError(msg.id, r.error);
    } else if (msg.type === 'parameters') {
      post({ type: 'result', id: msg.id, ok: true, parameters: r.parameters, meta: r.meta });
    } else {
      post({ type: 'result', id: msg.id, ok: true, data: r.data, meta: r.meta, parameters: r.parameters }, [r.data]);
    }
  }

  if (nodePort) nodePort.on('message', handle);
  else self.onmessage = (e) => handle(e.data);
})();
