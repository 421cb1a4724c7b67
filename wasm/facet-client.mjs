/*
 * facet-client.mjs — the promise API over a pool of Facet render workers (browsers and
 * Node 20).
 *
 *   const facet = await createFacet({ workers: 2, baseUrl: '/facet/' });
 *   const { data, meta, log } = await facet.render('cube(10);', { format: 'binstl' });
 *   const params = await facet.parameters(source);
 *   facet.terminate();
 *
 * Design:
 *  - N workers (facet-worker.js), each rendering one request at a time; requests beyond
 *    that wait in one FIFO queue. The wasm module is compiled once and handed to every worker
 *    ("init"), so a new worker starts in milliseconds. In Node it is compiled here; in a
 *    browser the first worker fetches and compiles it (streaming) and hands the module back
 *    with "ready": there the page's main thread, busy building the page, would hold up the
 *    download (measured: the response waited 100-200 ms behind the viewer's setup and first
 *    frame). A module or bytes given to createFacet are used as they are.
 *  - The first worker starts at once, the others when a render has waited GROW_WAIT_MS for a
 *    worker or is still waiting when one answers, or when the pool has been idle for
 *    IDLE_GROW_MS after an answer (a parameters request, a parse, does not count): a worker that
 *    instantiates and warms up the module shares the cores with the renders going on. Started
 *    with the first render, the others delayed the first picture by ~60 ms on 2 cores;
 *    started at the first answer, they ran their warm-up alongside whatever came next (a
 *    viewer's first slider steps). A single viewer renders one request at a time ("latest
 *    wins") and never needs a second worker; several viewers rendering together queue, and
 *    the pool grows.
 *    Requests go to workers whose module is ready; one still starting takes a request only
 *    while none is ready.
 *  - Requests get UUIDs. A request that outlives timeoutMs (counted from the moment a worker
 *    takes it) is rejected with kind "timeout": the core's own deadline answers first and
 *    keeps the worker (and its subtree cache); a worker that does not answer shortly after
 *    is terminated and replaced.
 *  - AbortSignal: a queued request is dropped; a running one terminates and replaces its
 *    worker (a busy worker cannot read messages, see facet-worker.js). Both reject with kind
 *    "cancelled".
 *  - "Latest wins" per `key`: a new request with the key of an unfinished one supersedes it
 *    (rejected with kind "cancelled"). A superseded request that is still queued is dropped.
 *    One that is running is left to finish on its worker — its result is discarded — because
 *    that worker's subtree cache is what makes the next render of the same model fast; if it
 *    runs on for more than supersedeKillMs it is terminated instead. Requests with a key go
 *    preferably to the worker that last rendered that key.
 *  - An LRU cache of successful results keyed by a hash of the request (source, path,
 *    params, files, format, options other than timeoutMs). A hit answers at once with a copy
 *    of the bytes and meta.cached = true.
 *  - Errors are FacetError objects: kind (the core's wire names, plus "protocol" for a
 *    malformed request), message, file, line, column, trace, log.
 */

const IS_NODE =
  typeof process === 'object' && process !== null && process.versions != null &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

export class FacetError extends Error {
  constructor(e = {}) {
    super(e.message || e.kind || 'render failed');
    this.name = 'FacetError';
    this.kind = e.kind || 'internal';
    this.file = e.file || '';
    this.line = e.line || 0;
    this.column = e.column || 0;
    this.trace = e.trace || '';
    this.log = Array.isArray(e.log) ? e.log : [];
  }
}

/* ---------------------------------------------------------------- hashing */

/* cyrb53-style 53-bit hash of a string; two seeds give ~106 bits for the cache key. */
function hashStr(s, seed) {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function hashBytes(v) {
  const b = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 16777619);
    h2 = Math.imul(h2 ^ b[i], 2246822519) ^ (h2 >>> 15);
  }
  return `bytes:${b.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

/* Canonical JSON: sorted keys, bytes replaced by their hash. */
function canon(v) {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) return `"num:${v}"`;
    return JSON.stringify(v);
  }
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return JSON.stringify(hashBytes(v));
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
}

function requestHash(msg) {
  const o = Object.assign({}, msg.options || {});
  delete o.timeoutMs;
  const s = canon({ t: msg.type, s: msg.source, p: msg.path, q: msg.params, f: msg.files, fmt: msg.format, o });
  return `${s.length}:${hashStr(s, 1)}:${hashStr(s, 2)}`;
}

function uuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/* ---------------------------------------------------------------- LRU cache */

class ResultCache {
  constructor(maxEntries, maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.map = new Map();
    this.bytes = 0;
  }

  get(k) {
    const e = this.map.get(k);
    if (!e) return undefined;
    if (e.data && e.data.byteLength !== e.size) {
      /* the caller transferred the buffer we handed out: it is gone */
      this.delete(k);
      return undefined;
    }
    this.map.delete(k);
    this.map.set(k, e);
    return e;
  }

  set(k, e) {
    if (this.maxEntries <= 0) return;
    e.size = e.data ? e.data.byteLength : 0;
    if (e.size > this.maxBytes) return;
    this.delete(k);
    this.map.set(k, e);
    this.bytes += e.size;
    for (const [key, old] of this.map) {
      if (this.map.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.map.delete(key);
      this.bytes -= old.size;
    }
  }

  delete(k) {
    const e = this.map.get(k);
    if (e) {
      this.map.delete(k);
      this.bytes -= e.size;
    }
  }

  clear() {
    this.map.clear();
    this.bytes = 0;
  }
}

/* ---------------------------------------------------------------- hosts */

async function nodeHost() {
  /* computed specifiers keep browser bundlers from trying to resolve Node's modules */
  const load = (name) => import(name);
  const wt = await load('node:worker_threads');
  const { fileURLToPath } = await load('node:url');
  const fs = await load('node:fs');
  return {
    loadBytes: async (url) => {
      if (/^file:/.test(url)) return new Uint8Array(await fs.promises.readFile(fileURLToPath(url)));
      if (url.startsWith('/')) return new Uint8Array(await fs.promises.readFile(url));
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
    spawn(url, onMessage, onFailure) {
      const w = new wt.Worker(/^file:/.test(url) ? fileURLToPath(url) : url);
      w.on('message', onMessage);
      w.on('error', (e) => onFailure(e));
      w.on('exit', (code) => onFailure(new Error(`worker exited (${code})`)));
      return {
        post: (m, t) => w.postMessage(m, t || []),
        terminate: () => {
          w.removeAllListeners('exit');
          w.removeAllListeners('error');
          w.on('error', () => {});
          w.terminate();
        },
        /* an idle worker must not keep the Node process alive */
        ref: (on) => (on ? w.ref() : w.unref()),
      };
    },
  };
}

function browserHost() {
  return {
    loadBytes: async (url) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
    spawn(url, onMessage, onFailure) {
      const w = new Worker(url);
      w.onmessage = (e) => onMessage(e.data);
      w.onerror = (e) => {
        if (e && e.preventDefault) e.preventDefault();
        onFailure(new Error(e && e.message ? e.message : 'worker failed'));
      };
      return {
        post: (m, t) => w.postMessage(m, t || []),
        terminate: () => {
          w.onerror = null;
          w.onmessage = null;
          w.terminate();
        },
        ref: () => {},
      };
    },
  };
}

function defaultBaseUrl() {
  try {
    return new URL('.', import.meta.url).href;
  } catch (e) {
    return '';
  }
}

/* A worker script from another origin cannot be started directly: run it from a Blob. */
function needsBlob(url) {
  if (IS_NODE || /^(blob|data):/.test(url) || typeof location === 'undefined') return false;
  return new URL(url, location.href).origin !== location.origin;
}

async function workerScriptUrl(url, host) {
  const text = new TextDecoder().decode(await host.loadBytes(url));
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

/* ---------------------------------------------------------------- the pool */

/* How long a request waits for a worker before the rest of the pool is started. */
const GROW_WAIT_MS = 300;
/* How long the pool must have been idle after an answer before the rest of it is started. */
const IDLE_GROW_MS = 1000;

class Facet {
  constructor(opts, host, wasmModule, wasmBinary, wasmUrl, workerUrl) {
    this.host = host;
    this.size = opts.workers;
    this.baseUrl = opts.baseUrl;
    this.fontsUrl = opts.fontsUrl;
    this.memoryLimit = opts.memoryLimit;
    this.workerUrl = workerUrl;
    this.wasmModule = wasmModule;
    this.wasmBinary = wasmBinary;
    this.wasmUrl = wasmUrl;
    this.supersedeKillMs = opts.supersedeKillMs;
    this.killGraceMs = opts.killGraceMs;
    this.cache = new ResultCache(opts.cacheEntries, opts.cacheBytes);
    this.queue = [];
    this.slots = [];
    this.byKey = new Map();
    this.closed = false;
    this.failures = 0;
    this.stats = { renders: 0, cacheHits: 0, workersStarted: 0, workersReplaced: 0 };
    this.grown = this.size <= 1;
    this.growTimer = null;
    this.idleTimer = null;
    this.slots.push(this.spawn());
  }

  /* Starts the rest of the pool (see the design notes above). */
  grow() {
    if (this.grown || this.closed) return;
    this.grown = true;
    if (this.growTimer) clearTimeout(this.growTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.growTimer = this.idleTimer = null;
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    this.dispatch();
  }

  /* Queued work that calls for more workers. A parameters request (a parse, ms) waiting
   * behind a render does not: a viewer sends one with its first render of every new source. */
  rendersWaiting() {
    return this.queue.some((j) => j.type !== 'parameters');
  }

  /* (Re)arms the idle timer: the rest of the pool starts if no request runs or waits for
   * IDLE_GROW_MS (a request that starts meanwhile is answered later and re-arms it). */
  growWhenIdle() {
    if (this.grown || this.closed) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.queue.length && !this.slots.some((s) => s.job)) this.grow();
    }, IDLE_GROW_MS);
    /* Node: a pending timer must not keep the process alive on its own */
    if (this.idleTimer && this.idleTimer.unref) this.idleTimer.unref();
  }

  spawn() {
    const slot = { job: null, lastKey: undefined, dead: false, answered: false, ready: false };
    slot.worker = this.host.spawn(
      this.workerUrl,
      (m) => this.onMessage(slot, m),
      (e) => this.onFailure(slot, e)
    );
    const init = { type: 'init', baseUrl: this.baseUrl };
    if (this.fontsUrl) init.fontsUrl = this.fontsUrl;
    if (this.memoryLimit) init.memoryLimit = this.memoryLimit;
    if (this.wasmModule) init.wasmModule = this.wasmModule;
    else if (this.wasmBinary) init.wasmBinary = this.wasmBinary;
    else init.wasmUrl = this.wasmUrl;
    slot.worker.post(init);
    slot.worker.ref(false);
    this.stats.workersStarted++;
    return slot;
  }

  /* Terminates a slot's worker and puts a fresh one in its place. */
  replace(slot) {
    slot.dead = true;
    slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) {
      this.slots[i] = this.spawn();
      this.stats.workersReplaced++;
    }
  }

  onMessage(slot, m) {
    if (slot.dead || !m || typeof m !== 'object') return;
    slot.answered = true;
    this.failures = 0;
    const job = slot.job;
    if (m.type === 'ready') {
      slot.ready = true;
      /* the module this worker compiled: later workers start from it */
      if (!this.wasmModule && typeof WebAssembly === 'object' && m.wasmModule instanceof WebAssembly.Module) this.wasmModule = m.wasmModule;
      this.dispatch();
      return;
    }
    if (!job || m.id !== job.id) {
      /* an init failure (no id) makes the worker unusable */
      if (m.type === 'error' && m.id == null && !job) this.failStart(slot, m.error);
      return;
    }
    if (m.type === 'progress') {
      if (job.onProgress && !job.settled) safeCall(job.onProgress, { stage: m.stage, fraction: m.fraction });
      return;
    }
    if (m.type !== 'result' && m.type !== 'error') return;
    this.release(slot, job);
    /* renders still waiting: demand for more workers now */
    if (this.rendersWaiting()) this.grow();
    else this.growWhenIdle();
    if (m.type === 'result') {
      const value = job.type === 'parameters' ? m.parameters : { data: m.data, meta: m.meta, log: (m.meta && m.meta.log) || [], parameters: m.parameters };
      /* the cache keeps its own copy: the caller may modify or transfer what it gets */
      if (job.useCache) {
        const data = m.data ? m.data.slice(0) : undefined;
        const kept = job.type === 'parameters' ? structuredCloneSafe(value) : Object.assign({}, value, { data });
        this.cache.set(job.hash, { value: kept, data });
      }
      this.settle(job, null, value);
    } else {
      this.settle(job, new FacetError(m.error));
    }
    this.dispatch();
  }

  onFailure(slot, err) {
    if (slot.dead) return;
    this.grow();
    const job = slot.job;
    const i = this.slots.indexOf(slot);
    slot.dead = true;
    slot.worker.terminate();
    if (i >= 0 && !this.closed) {
      /* a worker that dies before answering anything cannot load: stop respawning */
      if (!slot.answered && ++this.failures >= 3) {
        this.slots.splice(i, 1);
        if (job) this.settle(job, new FacetError({ kind: 'io', message: `Facet worker failed to start: ${err && err.message}` }));
        if (!this.slots.length) this.failAll({ kind: 'io', message: `Facet worker failed to start: ${err && err.message}` });
        return;
      }
      this.slots[i] = this.spawn();
      this.stats.workersReplaced++;
    }
    if (job) {
      this.clearTimers(job);
      this.settle(job, new FacetError({ kind: 'internal', message: `Facet worker failed: ${err && err.message ? err.message : err}` }));
    }
    this.dispatch();
  }

  failStart(slot, error) {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.dead = true;
    slot.worker.terminate();
    if (!this.slots.length) this.failAll(error);
  }

  failAll(error) {
    this.startError = error;
    for (const job of this.queue.splice(0)) this.settle(job, new FacetError(error));
  }

  release(slot, job) {
    this.clearTimers(job);
    slot.job = null;
    slot.worker.ref(false);
    job.slot = null;
  }

  clearTimers(job) {
    if (job.timer) clearTimeout(job.timer);
    if (job.killTimer) clearTimeout(job.killTimer);
    job.timer = job.killTimer = null;
  }

  settle(job, err, value) {
    if (job.settled) return;
    job.settled = true;
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    if (job.key !== undefined && this.byKey.get(job.key) === job) this.byKey.delete(job.key);
    if (err) job.reject(err);
    else job.resolve(value);
  }

  submit(type, source, opts) {
    opts = opts || {};
    if (this.closed) return Promise.reject(new FacetError({ kind: 'cancelled', message: 'Facet was terminated' }));
    if (typeof source !== 'string') return Promise.reject(new FacetError({ kind: 'protocol', message: 'source must be a string' }));
    /* No worker could start (e.g. the wasm could not be fetched): try again for this request,
     * which fails with the start error if it happens again. */
    if (!this.slots.length) {
      this.failures = 0;
      this.slots.push(this.spawn());
    }
    const msg = { type, id: uuid(), source };
    if (opts.path !== undefined) msg.path = opts.path;
    if (type === 'render') {
      if (opts.files !== undefined) msg.files = opts.files;
      if (opts.params !== undefined) msg.params = opts.params;
      msg.format = opts.format || 'binstl';
      const o = {};
      for (const k of ['fn', 'fa', 'fs', 'stepLimit']) if (opts[k] !== undefined) o[k] = opts[k];
      if (opts.options) Object.assign(o, opts.options);
      if (opts.timeoutMs !== undefined) o.timeoutMs = opts.timeoutMs;
      if (Object.keys(o).length) msg.options = o;
    }
    const timeoutMs = msg.options && msg.options.timeoutMs > 0 ? msg.options.timeoutMs : 0;
    const job = {
      id: msg.id,
      type,
      msg,
      key: opts.key,
      signal: opts.signal,
      onProgress: opts.onProgress,
      timeoutMs,
      useCache: opts.cache !== false,
      hash: null,
      settled: false,
      discard: false,
    };
    const promise = new Promise((resolve, reject) => {
      job.resolve = resolve;
      job.reject = reject;
    });
    if (job.signal && job.signal.aborted) {
      this.settle(job, new FacetError({ kind: 'cancelled', message: 'Render cancelled' }));
      return promise;
    }
    if (job.key !== undefined) {
      const prev = this.byKey.get(job.key);
      if (prev) this.supersede(prev);
      this.byKey.set(job.key, job);
    }
    if (job.useCache) {
      try {
        job.hash = requestHash(msg);
      } catch (e) {
        job.useCache = false;
      }
      const hit = job.useCache && this.cache.get(job.hash);
      if (hit) {
        this.stats.cacheHits++;
        const v = hit.value;
        if (type === 'parameters') this.settle(job, null, structuredCloneSafe(v));
        else {
          const meta = Object.assign({}, v.meta, { cached: true });
          this.settle(job, null, { data: v.data.slice(0), meta, log: v.log.slice(), parameters: v.parameters });
        }
        return promise;
      }
    }
    if (job.signal) {
      job.onAbort = () => this.cancel(job);
      job.signal.addEventListener('abort', job.onAbort);
    }
    this.stats.renders++;
    this.queue.push(job);
    if (job.onProgress) safeCall(job.onProgress, { stage: 'queued', fraction: -1 });
    this.dispatch();
    return promise;
  }

  supersede(prev) {
    const err = new FacetError({ kind: 'cancelled', message: 'Superseded by a newer request' });
    const qi = this.queue.indexOf(prev);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(prev, err);
      return;
    }
    if (prev.slot && !prev.settled) {
      prev.discard = true;
      this.settle(prev, err);
      const slot = prev.slot;
      const left = this.supersedeKillMs - (now() - prev.started);
      if (left <= 0) this.kill(slot, prev);
      else {
        if (prev.killTimer) clearTimeout(prev.killTimer);
        prev.killTimer = setTimeout(() => {
          if (slot.job === prev) this.kill(slot, prev);
        }, left);
      }
    }
  }

  /* Terminates a running job's worker, replaces it and moves on. */
  kill(slot, job) {
    this.release(slot, job);
    this.replace(slot);
    this.dispatch();
  }

  cancel(job) {
    if (job.settled) return;
    const err = new FacetError({ kind: 'cancelled', message: 'Render cancelled' });
    const qi = this.queue.indexOf(job);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(job, err);
      return;
    }
    if (job.slot) {
      const slot = job.slot;
      this.settle(job, err);
      this.kill(slot, job);
    }
  }

  pickSlot(job) {
    /* a worker still loading the module would make the request wait for that: only when no
     * worker is ready yet may one take it */
    const anyReady = this.slots.some((s) => s.ready && !s.dead);
    const idle = this.slots.filter((s) => !s.job && !s.dead && (s.ready || !anyReady));
    if (job.key !== undefined) {
      const own = this.slots.find((s) => s.lastKey === job.key && !s.dead);
      /* wait for the worker that holds this key's cache while it finishes a superseded render */
      if (own && own.job && own.job.discard && own.job.key === job.key) return null;
      if (own && !own.job) return own;
      const fresh = idle.find((s) => s.lastKey === undefined);
      if (fresh) return fresh;
    }
    return idle[0] || null;
  }

  dispatch() {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      if (job.signal && job.signal.aborted) {
        /* its abort listener has not run yet (several jobs share one signal) */
        this.queue.splice(i, 1);
        this.settle(job, new FacetError({ kind: 'cancelled', message: 'Render cancelled' }));
        continue;
      }
      const slot = this.pickSlot(job);
      if (!slot) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.start(slot, job);
    }
    if (!this.grown && !this.growTimer && this.rendersWaiting()) {
      this.growTimer = setTimeout(() => this.grow(), GROW_WAIT_MS);
      /* Node: a pending timer must not keep the process alive on its own */
      if (this.growTimer && this.growTimer.unref) this.growTimer.unref();
    }
  }

  start(slot, job) {
    slot.job = job;
    job.slot = slot;
    if (job.key !== undefined) slot.lastKey = job.key;
    job.started = now();
    slot.worker.ref(true);
    if (job.timeoutMs > 0) {
      /* the core's deadline normally answers first; this catches a worker that cannot */
      const grace = Math.max(this.killGraceMs, job.timeoutMs * 0.1);
      job.timer = setTimeout(() => {
        if (slot.job !== job) return;
        this.settle(job, new FacetError({ kind: 'timeout', message: `Render timed out after ${job.timeoutMs} ms` }));
        this.kill(slot, job);
      }, job.timeoutMs + grace);
    }
    slot.worker.post(job.msg);
  }

  render(source, opts) {
    return this.submit('render', source, opts);
  }

  parameters(source, opts) {
    return this.submit('parameters', source, opts);
  }

  clearCache() {
    this.cache.clear();
  }

  terminate() {
    if (this.closed) return;
    this.closed = true;
    if (this.growTimer) clearTimeout(this.growTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const err = { kind: 'cancelled', message: 'Facet was terminated' };
    this.failAll(err);
    for (const slot of this.slots) {
      if (slot.job) {
        const job = slot.job;
        this.clearTimers(job);
        this.settle(job, new FacetError(err));
      }
      slot.dead = true;
      slot.worker.terminate();
    }
    this.slots = [];
    this.cache.clear();
  }
}

function safeCall(fn, arg) {
  try {
    fn(arg);
  } catch (e) {
    /* a throwing progress callback must not break the pool */
  }
}

function structuredCloneSafe(v) {
  return typeof structuredClone === 'function' ? structuredClone(v) : JSON.parse(JSON.stringify(v));
}

function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Creates a pool of render workers. Options: workers (default: min(4, cores)), baseUrl
 * (where facet-core.wasm, facet-worker.js and facet-fonts.bin live; default: beside this
 * script), workerUrl (e.g. a Blob URL), fontsUrl, cacheEntries (64), cacheBytes (64 MiB),
 * supersedeKillMs (1500), killGraceMs (1000), memoryLimit (bytes, the core's default).
 */
export async function createFacet(options = {}) {
  const host = IS_NODE ? await nodeHost() : browserHost();
  let baseUrl = options.baseUrl || defaultBaseUrl();
  if (IS_NODE && baseUrl.startsWith('/')) baseUrl = 'file://' + baseUrl;
  if (!IS_NODE && typeof location !== 'undefined') baseUrl = new URL(baseUrl || '.', location.href).href;
  if (!baseUrl.endsWith('/')) baseUrl += '/';
  const cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2;
  const opts = {
    workers: Math.max(1, options.workers | 0 || Math.min(4, cores)),
    baseUrl,
    fontsUrl: options.fontsUrl,
    memoryLimit: options.memoryLimit,
    cacheEntries: options.cacheEntries ?? 64,
    cacheBytes: options.cacheBytes ?? 64 * 1024 * 1024,
    supersedeKillMs: options.supersedeKillMs ?? 1500,
    killGraceMs: options.killGraceMs ?? 1000,
  };
  /* Compile once, hand the module to every worker: here in Node, in the first worker in a
   * browser (see the design notes above), where a module that cannot be loaded fails the
   * requests with kind "io" instead of createFacet. */
  let wasmModule = null;
  let wasmBinary = null;
  const wasmUrl = new URL(options.wasmUrl || baseUrl + 'facet-core.wasm', IS_NODE || typeof location === 'undefined' ? baseUrl : location.href).href;
  try {
    if (options.wasmModule instanceof WebAssembly.Module) wasmModule = options.wasmModule;
    else if (IS_NODE) {
      wasmBinary = await host.loadBytes(wasmUrl);
      wasmModule = await WebAssembly.compile(wasmBinary);
    }
  } catch (e) {
    throw new FacetError({ kind: 'io', message: `cannot load facet-core.wasm: ${e && e.message ? e.message : e}` });
  }
  /* Without a fetch to wait for, the first worker is started before createFacet returns, so its
   * start-up runs alongside whatever the page does next (a viewer builds its view). */
  const scriptUrl = options.workerUrl || baseUrl + 'facet-worker.js';
  const workerUrl = needsBlob(scriptUrl) ? await workerScriptUrl(scriptUrl, host) : scriptUrl;
  return new Facet(opts, host, wasmModule, wasmModule ? null : wasmBinary, wasmUrl, workerUrl);
}
