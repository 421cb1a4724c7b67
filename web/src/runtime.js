// The one Facet client every viewer on a page shares. The render worker's script is bundled
// into facet-viewer.js as text (web/build.mjs provides the `facet:worker-source` module) and
// started from a Blob URL, so a page needs only this script plus facet-core.wasm — and
// facet-fonts.bin when a model uses text() — which are fetched from beside the script unless
// configure() names another base URL. Sharing one pool keeps the wasm compiled once and lets
// several viewers render in parallel on separate workers.

import { createFacet } from '../../wasm/facet-client.mjs';
import workerSource from 'facet:worker-source';

let settings = {};
let facetPromise = null;

function scriptBase() {
  try {
    return new URL('.', import.meta.url).href;
  } catch {
    return typeof document !== 'undefined' ? document.baseURI : '';
  }
}

/**
 * Sets where the wasm lives and how many workers to start. Call before the first viewer
 * renders: {baseUrl, wasmUrl, fontsUrl, workers}. A global `window.FACET_VIEWER_CONFIG`
 * object set before the script loads is read the same way.
 */
export function configure(options = {}) {
  settings = { ...settings, ...options };
  return settings;
}

async function start(cfg, base) {
  let wasmModule = cfg.wasmModule;
  if (!wasmModule && cfg.wasmBytes) wasmModule = await WebAssembly.compile(cfg.wasmBytes);
  const workerUrl = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2;
  return createFacet({
    workers: cfg.workers || Math.max(1, Math.min(2, cores)),
    baseUrl: base,
    workerUrl,
    wasmModule,
    wasmUrl: cfg.wasmUrl,
    fontsUrl: cfg.fontsUrl,
  });
}

/**
 * The shared client, started on first use. Besides baseUrl/wasmUrl/fontsUrl/workers,
 * `wasmBytes` (the bytes of facet-core.wasm) or `wasmModule` (compiled) skip the fetch: a
 * notebook widget whose script has no URL of its own gets the wasm through a synced trait.
 */
export function getFacet(overrides = {}) {
  if (facetPromise) return facetPromise;
  const global = (typeof window !== 'undefined' && window.FACET_VIEWER_CONFIG) || {};
  const cfg = { ...global, ...settings };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) cfg[k] = v;
  const base = new URL(cfg.baseUrl || scriptBase(), typeof document !== 'undefined' ? document.baseURI : undefined).href;
  facetPromise = start(cfg, base);
  // a failed start must not poison every later viewer: the next one tries again
  facetPromise.catch(() => {
    facetPromise = null;
  });
  return facetPromise;
}
