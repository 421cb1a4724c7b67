// facet-viewer.js — one file, three ways to use it:
//   1. <script type="module" src="facet-viewer.js"></script> (or the classic
//      <script src="facet-viewer-loader.js"></script>, web/loader.js) then
//      <facet-viewer>cube(10);</facet-viewer> or <facet-viewer src="model.scad">
//   2. import { mount } from './facet-viewer.js'; mount(el, { source, params })
//   3. the anywidget contract: export default { render({ model, el }) }
// The Facet client, its worker (started from a Blob URL) and three.js are bundled inside;
// only facet-core.wasm (and the font pack, when a model uses text()) are fetched, from beside
// this script or from a configured base URL.

import { FacetViewer } from './viewer.js';
import { configure } from './runtime.js';

export { FacetViewer, configure };

/** Mounts a viewer in `el`; returns a handle. */
export function mount(el, opts = {}) {
  const viewer = new FacetViewer(el, opts);
  return {
    viewer,
    setSource: (source, params) => viewer.setSource(source, params),
    setParams: (params) => viewer.setParams(params),
    setFiles: (files) => viewer.setFiles(files),
    download: (format) => viewer.download(format),
    on: (type, fn) => viewer.addEventListener(type, (e) => fn(e.detail)),
    destroy: () => viewer.destroy(),
  };
}

function parseJSONAttr(value, fallback) {
  if (value == null || value === '') return fallback;
  try {
    return JSON.parse(value);
  } catch {
    return fallback;
  }
}

/** <facet-viewer src="model.scad" params='{"size": 10}' height="400" format="stl 3mf"> */
class FacetViewerElement extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'params', 'height', 'format'];
  }

  connectedCallback() {
    if (this.viewer) return;
    // The element's text is the model; it stays in the light DOM (unrendered, since the
    // viewer lives in its own shadow root below) so edits to it can be observed.
    const inline = this.textContent.trim();
    this.style.display = this.style.display || 'block';
    const formats = (this.getAttribute('format') || '').split(/[\s,]+/).filter(Boolean);
    this.viewer = new FacetViewer(this.attachShadow({ mode: 'open' }).appendChild(document.createElement('div')), {
      source: this.hasAttribute('src') ? '' : inline,
      params: parseJSONAttr(this.getAttribute('params'), {}),
      height: this.getAttribute('height') ? Number(this.getAttribute('height')) || this.getAttribute('height') : 400,
      formats: formats.length ? formats : undefined,
    });
    this.viewer.addEventListener('rendered', (e) => this.dispatchEvent(new CustomEvent('rendered', { detail: e.detail })));
    this.viewer.addEventListener('error', (e) => this.dispatchEvent(new CustomEvent('facet-error', { detail: e.detail })));
    if (this.hasAttribute('src')) this.loadSrc();
    this.textObserver = new MutationObserver(() => {
      if (!this.hasAttribute('src')) this.viewer.setSource(this.textContent.trim());
    });
    this.textObserver.observe(this, { characterData: true, childList: true, subtree: true });
  }

  disconnectedCallback() {
    if (!this.viewer) return;
    this.textObserver.disconnect();
    this.viewer.destroy();
    this.viewer = null;
    this.shadowRoot.replaceChildren();
  }

  attributeChangedCallback(name, _old, value) {
    if (!this.viewer) return;
    if (name === 'src') this.loadSrc();
    else if (name === 'params') this.viewer.setParams(parseJSONAttr(value, {}));
    else if (name === 'height') this.viewer.setHeight(Number(value) || value);
  }

  async loadSrc() {
    const url = new URL(this.getAttribute('src'), document.baseURI);
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      this.viewer.setSource(await res.text());
    } catch (e) {
      this.viewer.showError({ kind: 'io', message: `cannot load ${url.href}: ${e.message}` });
    }
  }

  get handle() {
    return this.viewer;
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('facet-viewer')) {
  customElements.define('facet-viewer', FacetViewerElement);
}

// The wasm for a notebook: a widget's script is loaded from a Blob or data URL, so there is
// no "beside the script". The Python side sends facet-core.wasm's bytes as the `wasm` trait
// (anywidget hands bytes over as a DataView) or names a `base_url` that serves it.
// The optional `fonts` trait (facet-fonts.bin's bytes) becomes a Blob URL the workers fetch
// when a model uses text().
function bytesOf(v) {
  if (!v || !v.byteLength) return null;
  return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function configureFromModel(model) {
  const wasm = bytesOf(model.get('wasm'));
  const fonts = bytesOf(model.get('fonts'));
  const base = model.get('base_url');
  if (wasm) configure({ wasmBytes: wasm });
  if (fonts) configure({ fontsUrl: URL.createObjectURL(new Blob([fonts], { type: 'application/octet-stream' })) });
  if (base) configure({ baseUrl: base });
}

/** anywidget: traits `source`, `params`, `height` in; `meta`, `error` (and `params`) out. */
export default {
  render({ model, el }) {
    configureFromModel(model);
    const viewer = new FacetViewer(el, {
      source: model.get('source') || '',
      params: model.get('params') || {},
      height: model.get('height') || 400,
    });
    const onRendered = (e) => {
      model.set('meta', e.detail.meta || {});
      model.set('error', null);
      model.save_changes();
    };
    const onError = (e) => {
      const { kind, message, file, line, column } = e.detail;
      model.set('error', { kind, message, file: file || '', line: line || 0, column: column || 0 });
      model.save_changes();
    };
    const onParams = (e) => {
      model.set('params', e.detail);
      model.save_changes();
    };
    viewer.addEventListener('rendered', onRendered);
    viewer.addEventListener('error', onError);
    viewer.addEventListener('params', onParams);
    const onSource = () => viewer.setSource(model.get('source') || '');
    const onModelParams = () => {
      const p = model.get('params') || {};
      if (JSON.stringify(p) !== JSON.stringify(viewer.params)) viewer.setParams(p);
    };
    const onHeight = () => viewer.setHeight(model.get('height') || 400);
    model.on('change:source', onSource);
    model.on('change:params', onModelParams);
    model.on('change:height', onHeight);
    return () => {
      model.off('change:source', onSource);
      model.off('change:params', onModelParams);
      model.off('change:height', onHeight);
      viewer.destroy();
    };
  },
};
