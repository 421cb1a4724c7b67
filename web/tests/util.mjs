// Page helpers for the browser tests and the benchmark. A viewer is named by "demo" (the demo
// page's mount() handle) or by the id of a <facet-viewer> element.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

const INIT = () => {
  window.__facetViewer = (which) =>
    which === 'demo' ? window.facetDemo && window.facetDemo.handle.viewer : document.getElementById(which)?.viewer;
};

/** Opens `file` (default: the demo page) and waits until viewer `which` finished `n` updates. */
export async function open(ctx, file = '', which = 'demo', n = 1) {
  const page = await ctx.context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.addInitScript(INIT);
  await page.goto(ctx.baseUrl + file);
  await waitDone(page, which, n - 1);
  return page;
}

/** Waits until viewer `which` has finished more than `before` updates and is idle. */
export async function waitDone(page, which, before, timeout = 60000) {
  await page.waitForFunction(
    ([w, b]) => {
      const v = window.__facetViewer(w);
      return v && v.done > b && v.seq > 0 && !v.root.classList.contains('busy');
    },
    [which, before],
    { timeout, polling: 20 }
  );
}

export function done(page, which = 'demo') {
  return page.evaluate((w) => window.__facetViewer(w).done, which);
}

/** Pixels that differ between the view with and without the model, and a hash of the view. */
export function meshPixels(page, which = 'demo') {
  return page.evaluate((w) => {
    const s = window.__facetViewer(w).scene;
    const c = s.renderer.domElement;
    const grab = () => {
      s.drawNow();
      const t = document.createElement('canvas');
      t.width = c.width;
      t.height = c.height;
      const g = t.getContext('2d');
      g.drawImage(c, 0, 0);
      return g.getImageData(0, 0, t.width, t.height).data;
    };
    const shown = grab();
    if (!s.model) return { pixels: 0, total: shown.length / 4, hash: 0 };
    s.model.visible = false;
    const hidden = grab();
    s.model.visible = true;
    s.drawNow();
    let pixels = 0;
    let hash = 0x811c9dc5;
    for (let i = 0; i < shown.length; i += 4) {
      const d = Math.abs(shown[i] - hidden[i]) + Math.abs(shown[i + 1] - hidden[i + 1]) + Math.abs(shown[i + 2] - hidden[i + 2]);
      if (d > 24) pixels++;
      hash = Math.imul(hash ^ (shown[i] ^ (shown[i + 1] << 8) ^ (shown[i + 2] << 16)), 16777619);
    }
    return { pixels, total: shown.length / 4, hash: hash >>> 0 };
  }, which);
}

/** Sets a customizer slider the way a drag does (value + input event). */
export function slide(page, name, value, which = 'demo') {
  return page.evaluate(
    ([w, n, v]) => {
      const s = window.__facetViewer(w).root.querySelector(`input[type=range][data-param="${n}"]`);
      if (!s) throw new Error(`no slider ${n}`);
      s.value = String(v);
      s.dispatchEvent(new Event('input', { bubbles: true }));
    },
    [which, name, value]
  );
}

export function viewerState(page, which = 'demo') {
  return page.evaluate((w) => {
    const v = window.__facetViewer(w);
    const cam = v.scene.camera.position;
    return {
      status: v.statusEl.textContent,
      triangles: Number(v.statusEl.dataset.triangles),
      error: v.errorEl.hidden ? null : { text: v.errorEl.textContent, kind: v.errorEl.dataset.kind, line: Number(v.errorEl.dataset.line) },
      meta: v.meta,
      params: v.params,
      camera: [cam.x, cam.y, cam.z],
      dark: v.root.classList.contains('dark'),
    };
  }, which);
}

/** build/facet --stats for a file, with -D overrides. */
export function cliStats(buildDir, file, defines = {}) {
  const args = [file, '--stats', '-q'];
  for (const [k, v] of Object.entries(defines)) args.push('-D', `${k}=${JSON.stringify(v)}`);
  const out = execFileSync(path.join(buildDir, 'facet'), args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}
