// FacetViewer: the widget shared by the three entry points (custom element, mount(), the
// anywidget module). It owns a shadow root with a toolbar, the 3D view, the customizer panel
// and an error overlay, and drives renders through the shared Facet client:
//   source change -> parameters() (customizer) -> render(format "mesh", key = this viewer)
// Every request carries the viewer's key, so a slider drag cancels/supersedes the previous
// request instead of queueing behind it ("latest wins").

import { FacetScene } from './scene.js';
import { Customizer } from './customizer.js';
import { STYLES } from './styles.js';
import { getFacet } from './runtime.js';

let viewerCount = 0;

// The spinner and the progress bar move, and the stage shows, only once a render has run this
// long. Until then the spinner shows still: a moving one makes the browser composite a new frame
// every vsync, which on a software compositor (headless, VMs) cost more CPU than the render it
// decorates (~5 frames of 5-15 ms each per 70 ms render, measured in Chromium with SwiftShader on
// 2 cores), and each stage or bar change of a shorter render costs a layout and a frame for a
// text that flashes by unread.
const ANIMATE_AFTER_MS = 250;

const DOWNLOADS = [
  ['stl', 'binstl', 'model/stl'],
  ['3mf', '3mf', 'model/3mf'],
  ['off', 'off', 'text/plain'],
];

// The nearest ancestor of `node` matching `sel`, climbing out of shadow roots (the viewer of
// a <facet-viewer> element lives in the element's shadow root).
function closestAcross(node, sel) {
  for (let n = node; n; ) {
    const hit = n.closest && n.closest(sel);
    if (hit) return hit;
    const root = n.getRootNode && n.getRootNode();
    n = root && root.host ? root.host : null;
  }
  return null;
}

// Light or dark: an explicit class or attribute on an ancestor or the page (marimo and
// JupyterLab put `.dark`/`.dark-theme`/data-theme on an ancestor) wins over the system setting.
function isDarkPage(host) {
  const darkSel = '.dark, .dark-theme, [data-theme="dark"], [data-mode="dark"], [data-jp-theme-light="false"]';
  const lightSel = '.light, .light-theme, [data-theme="light"], [data-mode="light"], [data-jp-theme-light="true"]';
  const near = closestAcross(host, `${darkSel}, ${lightSel}`);
  if (near) return near.matches(darkSel);
  const root = document.documentElement;
  if (root.matches(darkSel) || (document.body && document.body.matches(darkSel))) return true;
  const light = '.light, .light-theme, [data-theme="light"], [data-mode="light"]';
  if (root.matches(light) || (document.body && document.body.matches(light))) return false;
  return window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)').matches : false;
}

/** Same names and values (JSON-equal), in any order. */
function sameValues(a, b) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export class FacetViewer extends EventTarget {
  /**
   * @param {HTMLElement} el where to mount
   * @param {{source?: string, params?: object, height?: number|string, files?: object,
   *          customizer?: boolean, formats?: string[], facet?: object, baseUrl?: string}} opts
   */
  constructor(el, opts = {}) {
    super();
    this.el = el;
    this.key = `facet-viewer-${++viewerCount}`;
    this.source = opts.source || '';
    this.params = { ...(opts.params || {}) };
    this.files = opts.files || undefined;
    this.seq = 0;
    // finished updates (a good render or an error); tests and benchmarks wait on it
    this.done = 0;
    this.paramSource = null;
    this.meta = null;
    this.error = null;
    this.facetPromise = opts.facet ? Promise.resolve(opts.facet) : getFacet({ baseUrl: opts.baseUrl });

    this.host = document.createElement('div');
    this.host.className = 'facet-host';
    el.appendChild(this.host);
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLES;
    shadow.appendChild(style);
    this.root = document.createElement('div');
    this.root.className = 'facet-root';
    this.root.innerHTML = `
      <div class="facet-toolbar">
        <div class="facet-spinner" role="progressbar" aria-label="rendering"></div>
        <div class="facet-status">loading…</div>
        <label title="show edges"><input type="checkbox" class="facet-edges"> edges</label>
        <button class="facet-fit" title="fit to view (double-click the view)">fit</button>
        <span class="facet-downloads"></span>
      </div>
      <div class="facet-body">
        <div class="facet-stage"><div class="facet-progress"></div><div class="facet-error" hidden></div></div>
        <div class="facet-panel" hidden></div>
      </div>`;
    shadow.appendChild(this.root);
    this.statusEl = this.root.querySelector('.facet-status');
    this.errorEl = this.root.querySelector('.facet-error');
    this.progressEl = this.root.querySelector('.facet-progress');
    this.stageEl = this.root.querySelector('.facet-stage');
    this.bodyEl = this.root.querySelector('.facet-body');
    this.panelEl = this.root.querySelector('.facet-panel');
    this.setHeight(opts.height || 400);

    const formats = opts.formats || DOWNLOADS.map((d) => d[0]);
    const dl = this.root.querySelector('.facet-downloads');
    for (const [ext] of DOWNLOADS.filter((d) => formats.includes(d[0]))) {
      const b = document.createElement('button');
      b.textContent = ext.toUpperCase();
      b.className = `facet-download facet-download-${ext}`;
      b.title = `download ${ext.toUpperCase()}`;
      // a failed export (e.g. STL of a 2D model) shows like a render error
      b.addEventListener('click', () =>
        this.download(ext).catch((e) =>
          this.showError({ kind: e.kind || 'internal', message: e.message || String(e), file: e.file, line: e.line, column: e.column })
        )
      );
      dl.appendChild(b);
    }

    this.scene = new FacetScene(this.stageEl);
    this.customizer = new Customizer(this.panelEl, (values) => {
      this.params = values;
      this.dispatchEvent(new CustomEvent('params', { detail: { ...values } }));
      this.update();
    });
    if (opts.customizer === false) this.panelEl.style.display = 'none';
    this.root.querySelector('.facet-edges').addEventListener('change', (e) => this.scene.setEdges(e.target.checked));
    this.root.querySelector('.facet-fit').addEventListener('click', () => this.scene.fit());

    this.applyTheme = () => {
      const dark = isDarkPage(this.el);
      this.root.classList.toggle('dark', dark);
      this.scene.setTheme(dark ? 'dark' : 'light');
    };
    this.applyTheme();
    this.themeObserver = new MutationObserver(this.applyTheme);
    for (const node of [document.documentElement, document.body].filter(Boolean))
      this.themeObserver.observe(node, { attributes: true, attributeFilter: ['class', 'data-theme', 'data-mode'] });
    this.media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    if (this.media) this.media.addEventListener('change', this.applyTheme);

    if (this.source) this.update();
    else this.scene.reveal();
  }

  setHeight(h) {
    const px = typeof h === 'number' ? `${h}px` : String(h);
    this.bodyEl.style.height = px;
  }

  setSource(source, params) {
    this.source = source || '';
    if (params) this.params = { ...params };
    return this.update();
  }

  setParams(params) {
    this.params = { ...(params || {}) };
    this.customizer.setParameters(this.customizer.params, this.params);
    this.customizer.render();
    return this.update();
  }

  setFiles(files) {
    this.files = files || undefined;
    return this.update();
  }

  setBusy(busy) {
    if (busy && !this.animateTimer)
      this.animateTimer = setTimeout(() => {
        this.root.classList.add('slow');
        this.showProgress();
      }, ANIMATE_AFTER_MS);
    if (!busy) {
      clearTimeout(this.animateTimer);
      this.animateTimer = 0;
      this.progress = null;
      this.root.classList.remove('slow');
      this.progressEl.style.transform = '';
    }
    this.root.classList.toggle('busy', busy);
  }

  /** Sets the status line; an unchanged text is not written again (each write costs a layout). */
  setStatus(text) {
    if (this.statusEl.textContent !== text) this.statusEl.textContent = text;
  }

  showError(err) {
    this.error = err;
    this.scene.reveal();
    // first line: kind and place; then the core's message as it is
    const file = err.file && err.file !== '<input>' ? `${err.file}, ` : '';
    const where = err.line ? ` · ${file}line ${err.line}${err.column ? `, column ${err.column}` : ''}` : '';
    this.errorEl.textContent = `${err.kind || 'error'} error${where}\n${err.message}`;
    this.errorEl.dataset.kind = err.kind || '';
    this.errorEl.dataset.line = err.line ? String(err.line) : '';
    this.errorEl.hidden = false;
    this.statusEl.textContent = `error: ${err.kind || 'error'}`;
    this.dispatchEvent(new CustomEvent('error', { detail: err }));
  }

  clearError() {
    this.error = null;
    this.errorEl.hidden = true;
    this.errorEl.textContent = '';
  }

  async update() {
    const seq = ++this.seq;
    const started = performance.now();
    this.setBusy(true);
    try {
      const facet = await this.facetPromise;
      // A new source needs its parameters (for the customizer) before the render's overrides
      // are known for sure. Rather than wait a worker round trip, the render starts at once
      // with the overrides given so far; it is kept when the customizer leaves them unchanged
      // (the usual case), and redone otherwise.
      let early = null;
      let earlyParams = null;
      if (this.paramSource !== this.source) {
        earlyParams = { ...this.params };
        early = this.renderMesh(facet, seq, earlyParams);
        early.catch(() => {}); // a failure shows through parameters() or `await early` below
        const params = await facet.parameters(this.source, { files: this.files });
        if (seq !== this.seq) return;
        this.paramSource = this.source;
        this.customizer.setParameters(params, this.params);
        this.params = this.customizer.overrides();
      }
      const r = early && sameValues(earlyParams, this.params) ? await early : await this.renderMesh(facet, seq, this.params);
      if (seq !== this.seq) return;
      const got = performance.now();
      // one-sided drawing needs every part of the solid wound outward (the core checks)
      const stats = this.scene.setMesh(r.data, !!(r.meta && r.meta.dim === 3 && r.meta.outward === true));
      const built = performance.now();
      this.scene.drawNow();
      // where the time went (the benchmark reports it): waiting for the worker, building the
      // mesh, the edge overlay and grid, the draw call
      this.timings = { wait: got - started, ...this.scene.timings, draw: performance.now() - built };
      this.clearError();
      this.meta = r.meta;
      const ms = performance.now() - started;
      this.setStatus(`${stats.triangles} triangles${r.meta && r.meta.cached ? ' (cached)' : ''} · ${ms.toFixed(0)} ms`);
      this.statusEl.dataset.triangles = String(stats.triangles);
      this.done++;
      this.dispatchEvent(new CustomEvent('rendered', { detail: { meta: r.meta, log: r.log, triangles: stats.triangles, ms } }));
    } catch (e) {
      if (seq !== this.seq) return; // superseded by a newer request: not an error
      this.done++;
      this.showError({ kind: e.kind || 'internal', message: e.message || String(e), file: e.file, line: e.line, column: e.column });
    } finally {
      if (seq === this.seq) this.setBusy(false);
    }
  }

  renderMesh(facet, seq, params) {
    return facet.render(this.source, {
      params,
      files: this.files,
      format: 'mesh',
      key: this.key,
      onProgress: (p) => {
        if (seq !== this.seq) return;
        this.progress = p;
        if (this.root.classList.contains('slow')) this.showProgress();
      },
    });
  }

  /** The running render's stage and bar (see ANIMATE_AFTER_MS). */
  showProgress() {
    const p = this.progress;
    if (!p) return;
    this.setStatus(`${p.stage}…`);
    // a bar for the known fraction (scaled, so the compositor animates it without a layout);
    // an unknown one (-1) shows the sliding bar
    const known = p.fraction >= 0;
    if (this.progressEl.classList.contains('indeterminate') === known) this.progressEl.classList.toggle('indeterminate', !known);
    this.progressEl.style.transform = known ? `scaleX(${Math.round(p.fraction * 100) / 100})` : '';
  }

  /** Renders in `ext` (stl, 3mf, off) and hands the file to the browser. */
  async download(ext = 'stl') {
    const d = DOWNLOADS.find((x) => x[0] === ext);
    if (!d) throw new Error(`unknown download format ${ext}`);
    const facet = await this.facetPromise;
    const r = await facet.render(this.source, { params: this.params, files: this.files, format: d[1] });
    const blob = new Blob([r.data], { type: d[2] });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `model.${ext}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return blob;
  }

  destroy() {
    this.seq++;
    clearTimeout(this.animateTimer);
    this.themeObserver.disconnect();
    if (this.media) this.media.removeEventListener('change', this.applyTheme);
    this.scene.dispose();
    this.host.remove();
  }
}
