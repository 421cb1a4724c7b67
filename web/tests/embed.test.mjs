// The three ways to embed the viewer: the <facet-viewer> element (module script and classic
// loader), mount(), and the anywidget contract with a stand-in model object.

import { assert, open, meshPixels, viewerState } from './util.mjs';

export const tests = [
  {
    name: '<facet-viewer> with inline source and with src + params (module script)',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const a = await viewerState(page, 'inline');
      assert(!a.error && a.triangles > 50, `inline: ${a.status}`);
      assert((await meshPixels(page, 'inline')).pixels > 1000, 'inline mesh drawn');
      await page.waitForFunction(() => window.__facetViewer('file') && window.__facetViewer('file').done > 0, null, { timeout: 60000 });
      const b = await viewerState(page, 'file');
      assert(!b.error, `file: ${JSON.stringify(b.error)}`);
      // radius 20 from the params attribute, + 1.5 label ring
      assert(Math.abs(b.meta.bbox[1][0] - 21.5) < 0.01, `bbox ${JSON.stringify(b.meta.bbox)}`);
      const buttons = await page.evaluate(() => [...window.__facetViewer('file').root.querySelectorAll('.facet-download')].map((e) => e.textContent));
      assert(JSON.stringify(buttons) === '["STL","3MF"]', `format attribute: ${buttons}`);
      // attribute changes re-render
      const n = await page.evaluate(() => window.__facetViewer('file').done);
      await page.evaluate(() => document.getElementById('file').setAttribute('params', '{"radius": 30}'));
      await page.waitForFunction((k) => window.__facetViewer('file').done > k, n, { timeout: 60000 });
      const c = await viewerState(page, 'file');
      assert(Math.abs(c.meta.bbox[1][0] - 31.5) < 0.01, `after setAttribute ${JSON.stringify(c.meta.bbox)}`);
      // the page's theme class reaches the viewer inside the element's shadow root
      await page.evaluate(() => document.body.classList.add('dark'));
      await page.waitForTimeout(50);
      assert((await viewerState(page, 'file')).dark === true, 'dark from body.dark');
    },
  },
  {
    name: 'classic <script src="facet-viewer-loader.js"> registers the element',
    async run(ctx) {
      const page = await open(ctx, 'loader.html', 'classic');
      const st = await viewerState(page, 'classic');
      assert(!st.error && st.triangles > 50, st.status);
      const px = await meshPixels(page, 'classic');
      assert(px.pixels > 1000, `pixels ${px.pixels}`);
      // color("tomato") reaches the mesh as a per-triangle color
      const colored = await page.evaluate(() => !!window.__facetViewer('classic').scene.model.geometry.getAttribute('color'));
      assert(colored, 'vertex colors from color()');
    },
  },
  {
    name: 'mount() handle: setSource, setParams, download',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const r = await page.evaluate(async () => {
        const { mount } = await import('./facet-viewer.js');
        const el = document.createElement('div');
        document.body.appendChild(el);
        const h = mount(el, { source: 'size = 5; // [1:20]\ncube(size);', height: 200 });
        const next = () => new Promise((res) => { const n = h.viewer.done; const t = setInterval(() => { if (h.viewer.done > n) { clearInterval(t); res(); } }, 10); });
        await next();
        const first = h.viewer.meta.bbox[1][0];
        let p = next();
        h.setParams({ size: 12 });
        await p;
        const second = h.viewer.meta.bbox[1][0];
        p = next();
        h.setSource('sphere(3, $fn = 12);');
        await p;
        const third = h.viewer.meta.triangles;
        const blob = await h.download('off');
        const text = await blob.text();
        return { first, second, third, off: text.split('\n')[0], panel: h.viewer.panelEl.hidden };
      });
      assert(r.first === 5 && r.second === 12, `cube sizes ${r.first} ${r.second}`);
      assert(r.third > 20, `sphere triangles ${r.third}`);
      assert(/^OFF( \d+ \d+ 0)?$/.test(r.off.trim()), `OFF header ${r.off}`);
      assert(r.panel === true, 'no customizer panel for a model without parameters');
    },
  },
  {
    name: 'customizer: a control for every kind of parameter, each one re-renders',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const r = await page.evaluate(async () => {
        const { mount } = await import('./facet-viewer.js');
        const src = [
          '/* [Size] */',
          '// Edge length',
          'size = 4;',
          '// Height in mm',
          'h = 2; // [1:10]',
          '/* [Look] */',
          'shape = "cube"; // [cube, sphere]',
          'scale = 1; // [1:small, 2:large]',
          'label = "hello"; // 8',
          'round = false;',
          'offset = [0, 0, 0];',
          '/* [Hidden] */',
          'secret = 1;',
          'translate(offset) scale(scale) if (shape == "cube") cube([size, size, round ? h + 1 : h]); else sphere(size);',
        ].join('\n');
        const el = document.createElement('div');
        document.body.appendChild(el);
        const h = mount(el, { source: src, height: 300 });
        const v = h.viewer;
        const next = (n) => new Promise((res) => { const t = setInterval(() => { if (v.done > n) { clearInterval(t); res(); } }, 10); });
        await next(0);
        const q = (sel) => v.root.querySelector(sel);
        const kinds = [...v.root.querySelectorAll('[data-param]')].map((e) => `${e.tagName.toLowerCase()}:${e.type}:${e.dataset.param}`);
        const groups = [...v.root.querySelectorAll('details.facet-group')].map((d) => d.querySelector('summary').textContent);
        const hints = [...v.root.querySelectorAll('.facet-param-hint')].map((e) => e.textContent);
        const out = { kinds, groups, hints, tops: [v.meta.bbox[1][2]] };
        const change = async (sel, value, type = 'change') => {
          const n = v.done;
          const e = q(sel);
          if (e.type === 'checkbox') e.checked = value;
          else e.value = value;
          e.dispatchEvent(new Event(type, { bubbles: true }));
          await next(n);
          out.tops.push([v.meta.bbox[1][0], v.meta.bbox[1][2]]);
        };
        await change('input[type=number][data-param="size"]', '6');        // number box
        await change('input[type=checkbox][data-param="round"]', true);     // checkbox
        await change('select[data-param="scale"]', '1');                    // labelled dropdown: index 1 = 2
        await change('input[type=number][data-param="offset[2]"]', '5');   // vector entry
        await change('select[data-param="shape"]', '1');                    // sphere
        out.params = v.params;
        const d = q('details.facet-group');
        d.querySelector('summary').click();
        out.collapsed = !d.open;
        return out;
      });
      for (const want of ['input:number:size', 'input:range:h', 'input:number:h', 'select:select-one:shape', 'select:select-one:scale', 'input:text:label', 'input:checkbox:round', 'input:number:offset[0]'])
        assert(r.kinds.includes(want), `control ${want} in ${r.kinds.join(' ')}`);
      assert(!r.kinds.some((k) => k.endsWith(':secret')), '[Hidden] left out');
      assert(JSON.stringify(r.groups) === '["Size","Look"]', `groups ${r.groups}`);
      assert(r.hints.includes('Edge length') && r.hints.includes('Height in mm'), `hints ${r.hints}`);
      assert(r.collapsed, 'a group collapses');
      const t = r.tops;
      assert(t[0] === 2 && t[1][0] === 6 && t[2][1] === 3 && t[3][0] === 12 && t[3][1] === 6 && t[4][1] === 11, `renders ${JSON.stringify(t)}`);
      assert(r.params.shape === 'sphere' && r.params.scale === 2 && r.params.round === true, `params ${JSON.stringify(r.params)}`);
    },
  },
  {
    name: 'a wasm that cannot be loaded shows an io error in the view',
    async run(ctx) {
      const page = await ctx.context.newPage();
      // a same-origin page with no viewer on it (a viewer would start the client before
      // configure() runs)
      await page.goto(ctx.baseUrl + 'cup.scad');
      const r = await page.evaluate(async () => {
        const m = await import('./facet-viewer.js');
        m.configure({ wasmUrl: '/no-such.wasm' });
        const el = document.createElement('div');
        document.body.appendChild(el);
        const h = m.mount(el, { source: 'cube(1);', height: 150 });
        await new Promise((res) => { const t = setInterval(() => { if (h.viewer.done > 0) { clearInterval(t); res(); } }, 10); });
        return { error: h.viewer.error, text: h.viewer.errorEl.textContent, hidden: h.viewer.errorEl.hidden };
      });
      assert(r.error && r.error.kind === 'io' && !r.hidden, `error ${JSON.stringify(r)}`);
      assert(/facet-core\.wasm|no-such/.test(r.text), `overlay ${r.text}`);
    },
  },
  {
    name: 'a 2D model shows as its fill; its STL download reports the error in the view',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const r = await page.evaluate(async () => {
        const { mount } = await import('./facet-viewer.js');
        const el = document.createElement('div');
        document.body.appendChild(el);
        const h = mount(el, { source: 'difference() { square(20, center = true); circle(6); }', height: 200 });
        const v = h.viewer;
        await new Promise((res) => { const t = setInterval(() => { if (v.done > 0) { clearInterval(t); res(); } }, 10); });
        const out = { meta: v.meta, error: v.error, shown: Number(v.statusEl.dataset.triangles), side: v.scene.model.material.side };
        v.root.querySelector('.facet-download-stl').click();
        await new Promise((res) => { const t = setInterval(() => { if (v.error) { clearInterval(t); res(); } }, 10); });
        out.downloadError = v.error;
        out.meshStillShown = !!v.scene.model;
        return out;
      });
      assert(!r.error && r.meta.dim === 2 && r.shown > 10, `2D render: ${r.shown} triangles shown, ${JSON.stringify(r.meta)}`);
      assert(r.side === 2, `a 2D fill is drawn from both sides (side ${r.side})`);
      // a polyhedron whose second box is inside out: the total volume is still positive, but
      // culling back faces would show that box from inside, so it stays two-sided
      const inv = await page.evaluate(async () => {
        const { mount } = await import('./facet-viewer.js');
        const el = document.createElement('div');
        document.body.appendChild(el);
        const pts = '[[0,0,0],[10,0,0],[10,10,0],[0,10,0],[0,0,10],[10,0,10],[10,10,10],[0,10,10],[20,0,0],[21,0,0],[21,1,0],[20,1,0],[20,0,1],[21,0,1],[21,1,1],[20,1,1]]';
        const faces = '[[0,1,2,3],[4,5,1,0],[7,6,5,4],[5,6,2,1],[6,7,3,2],[7,4,0,3],[11,10,9,8],[8,9,13,12],[12,13,14,15],[9,10,14,13],[10,11,15,14],[11,8,12,15]]';
        const h = mount(el, { source: `polyhedron(${pts}, ${faces});`, height: 200 });
        const v = h.viewer;
        await new Promise((res) => { const t = setInterval(() => { if (v.done > 0) { clearInterval(t); res(); } }, 10); });
        return { meta: v.meta, side: v.scene.model.material.side };
      });
      assert(inv.meta.manifold && inv.meta.volume > 0 && inv.meta.outward === false, `inside-out part: ${JSON.stringify(inv.meta)}`);
      assert(inv.side === 2, `a solid with an inside-out part is drawn from both sides (side ${inv.side})`);
      assert(r.downloadError && /not a 3D object/.test(r.downloadError.message), `download error ${JSON.stringify(r.downloadError)}`);
      assert(r.meshStillShown, 'the view keeps the model');
    },
  },
  {
    name: 'text() fetches facet-fonts.bin from beside the script and draws the glyphs',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const fetched = [];
      page.on('request', (r) => fetched.push(r.url()));
      const r = await page.evaluate(async () => {
        const { mount } = await import('./facet-viewer.js');
        const el = document.createElement('div');
        document.body.appendChild(el);
        const h = mount(el, { source: 'linear_extrude(2) text("Facet", size = 10);', height: 200 });
        await new Promise((res) => { const t = setInterval(() => { if (h.viewer.done > 0) { clearInterval(t); res(); } }, 10); });
        return { meta: h.viewer.meta, error: h.viewer.error };
      });
      assert(!r.error, `error ${JSON.stringify(r.error)}`);
      assert(r.meta.triangles > 100 && r.meta.bbox[1][0] > 20, `text mesh ${JSON.stringify(r.meta && r.meta.bbox)}`);
      assert(fetched.some((u) => u.endsWith('/facet-fonts.bin')), `font pack fetched: ${fetched.join(' ')}`);
    },
  },
  {
    name: 'anywidget contract: render({model, el}) with a stand-in model',
    async run(ctx) {
      const page = await open(ctx, 'element.html', 'inline');
      const r = await page.evaluate(async () => {
        const widget = (await import('./facet-viewer.js')).default;
        // what anywidget's model offers: get/set/on/off/save_changes
        const traits = { source: 'w = 4; // [1:10]\ncube([w, 2, 3]);', params: {}, height: 250, meta: null, error: null };
        const handlers = {};
        const saved = [];
        const model = {
          get: (k) => traits[k],
          set: (k, v) => { traits[k] = v; },
          on: (ev, fn) => { (handlers[ev] = handlers[ev] || []).push(fn); },
          off: (ev, fn) => { handlers[ev] = (handlers[ev] || []).filter((f) => f !== fn); },
          save_changes: () => saved.push(JSON.parse(JSON.stringify({ meta: traits.meta, error: traits.error }))),
        };
        const fromPython = (k, v) => { traits[k] = v; for (const fn of handlers[`change:${k}`] || []) fn(); };
        const el = document.createElement('div');
        document.body.appendChild(el);
        const cleanup = widget.render({ model, el });
        const wait = (pred) => new Promise((res, rej) => { const t0 = Date.now(); const t = setInterval(() => { if (pred()) { clearInterval(t); res(); } else if (Date.now() - t0 > 30000) { clearInterval(t); rej(new Error('timeout')); } }, 10); });
        await wait(() => traits.meta);
        const out = { first: traits.meta.bbox[1][0], saves: saved.length };
        fromPython('params', { w: 9 });
        await wait(() => traits.meta.bbox[1][0] === 9);
        out.second = traits.meta.bbox[1][0];
        fromPython('source', 'cube(1);\nfoo(;');
        await wait(() => traits.error);
        out.error = traits.error;
        fromPython('source', 'cube(2);');
        await wait(() => !traits.error && traits.meta.bbox[1][0] === 2);
        out.third = traits.meta.bbox[1][0];
        fromPython('height', 180);
        out.height = el.querySelector('.facet-host').shadowRoot.querySelector('.facet-body').style.height;
        if (typeof cleanup === 'function') cleanup();
        out.handlersLeft = Object.values(handlers).reduce((n, l) => n + l.length, 0);
        out.removed = !el.querySelector('.facet-host');
        return out;
      });
      assert(r.first === 4 && r.saves >= 1, `first render ${JSON.stringify(r)}`);
      assert(r.second === 9, 'params trait re-renders');
      assert(r.error && r.error.kind === 'syntax' && r.error.line === 2, `error trait ${JSON.stringify(r.error)}`);
      assert(r.third === 2, 'a good source clears the error');
      assert(r.height === '180px', `height trait ${r.height}`);
      assert(r.handlersLeft === 0 && r.removed, 'cleanup removes listeners and the view');
    },
  },
];
