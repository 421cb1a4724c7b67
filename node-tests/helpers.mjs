// helpers.mjs — shared by the node tests (not a test file: `node --test node-tests/` only
// runs *.test.mjs). Paths come from FACET_BUILD / FACET_CORPUS (the Makefile sets them) or
// default to build/ and ../shared/corpus relative to the repository.

import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..');
export const buildDir = path.resolve(process.env.FACET_BUILD || path.join(repo, 'build'));
export const wasmDir = path.join(buildDir, 'wasm');
export const corpusDir = path.resolve(process.env.FACET_CORPUS || path.join(repo, '..', 'shared', 'corpus'));

export async function loadClient() {
  return import(pathToFileURL(path.join(wasmDir, 'facet-client.mjs')).href);
}

/* A raw worker speaking the wire protocol, with a mailbox to wait on. */
export function rawWorker() {
  const w = new Worker(path.join(wasmDir, 'facet-worker.js'));
  const box = [];
  let waiters = [];
  w.on('message', (m) => {
    box.push(m);
    const still = [];
    for (const wt of waiters) if (!tryWaiter(wt)) still.push(wt);
    waiters = still;
  });
  function tryWaiter(wt) {
    const i = box.findIndex(wt.pred);
    if (i < 0) return false;
    const [m] = box.splice(i, 1);
    clearTimeout(wt.timer);
    wt.resolve(m);
    return true;
  }
  return {
    worker: w,
    box,
    send: (m, transfer) => w.postMessage(m, transfer || []),
    /* the first message matching pred (removed from the mailbox) */
    next(pred, timeoutMs = 60000) {
      return new Promise((resolve, reject) => {
        const wt = { pred, resolve };
        wt.timer = setTimeout(() => {
          waiters = waiters.filter((x) => x !== wt);
          reject(new Error(`no matching message within ${timeoutMs} ms; mailbox: ${JSON.stringify(box.map((m) => m.type + ':' + m.id))}`));
        }, timeoutMs);
        if (!tryWaiter(wt)) waiters.push(wt);
      });
    },
    /* the final answer (result or error) for a request id */
    answer(id, timeoutMs) {
      return this.next((m) => m.id === id && (m.type === 'result' || m.type === 'error'), timeoutMs);
    },
    async render(msg, timeoutMs) {
      const id = msg.id || `r${Math.random().toString(36).slice(2)}`;
      this.send(Object.assign({ type: 'render', id }, msg));
      return this.answer(id, timeoutMs);
    },
    terminate: () => w.terminate(),
  };
}

/* Reads a binary STL: triangle count and the float32 vertex data. */
export function stlTriangles(buf) {
  const dv = new DataView(buf instanceof ArrayBuffer ? buf : buf.buffer);
  return dv.getUint32(80, true);
}

/* Every .scad under the corpus's examples/, sorted. */
export function exampleModels() {
  const root = path.join(corpusDir, 'examples');
  if (!fs.existsSync(root)) return [];
  const out = [];
  for (const dir of fs.readdirSync(root).sort()) {
    const d = path.join(root, dir);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.scad')) out.push(path.join(d, f));
  }
  return out;
}

/* The other files beside a model (what include/use/import may read), as bytes. */
export function siblingFiles(model) {
  const d = path.dirname(model);
  const files = {};
  for (const f of fs.readdirSync(d)) {
    const p = path.join(d, f);
    if (p !== model && fs.statSync(p).isFile()) files[f] = new Uint8Array(fs.readFileSync(p));
  }
  return files;
}

/* Library files a model reads with use<>/include<> from an installed OpenSCAD's library
 * folder (MCAD), as the native CLI finds them there: the whole top folder, keyed by its
 * path relative to the library folder, which the core resolves relative to the main file. */
export const LIBRARY_DIRS = ['/usr/local/share/openscad/libraries', '/usr/share/openscad/libraries'];
export function libraryFiles(model) {
  const src = fs.readFileSync(model, 'utf8');
  const files = {};
  for (const m of src.matchAll(/\b(?:use|include)\s*<([^>]+)>/g)) {
    const top = m[1].split('/')[0];
    if (fs.existsSync(path.join(path.dirname(model), m[1]))) continue;
    const lib = LIBRARY_DIRS.map((d) => path.join(d, top)).find((d) => fs.existsSync(d));
    if (!lib) continue;
    const walk = (dir) => {
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else files[path.relative(path.dirname(lib), p)] = new Uint8Array(fs.readFileSync(p));
      }
    };
    if (fs.statSync(lib).isDirectory()) walk(lib);
  }
  return files;
}

/* A model that legitimately runs for minutes in constant memory: 10^9 iterations of a list
 * comprehension that keeps nothing. (A deep tail-recursive loop would do as well, but the
 * evaluator's tail-call limits are still moving.) */
export const LONG_MODEL = 'x = [for (i = [0:9999]) for (j = [0:99999]) if (i < 0) i];\necho(len(x));\ncube(1);\n';
/* A list far larger than the 2 GiB wasm memory (2^29 numbers, 8 GiB), built by doubling so
 * that it reaches the cap in about a second. */
export const HUGE_MODEL = 'function grow(l, n) = n == 0 ? l : grow(concat(l, l), n - 1);\nbig = grow([0, 1, 2, 3, 4, 5, 6, 7], 26);\necho(len(big));\ncube(1);\n';
