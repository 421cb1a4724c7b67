// The demo page: the viewer, its customizer, errors, downloads, themes, and a screenshot.

import fs from 'node:fs';
import path from 'node:path';
import { repo } from './harness.mjs';
import { assert, open, waitDone, done, meshPixels, slide, viewerState, cliStats } from './util.mjs';

const CUP = path.join(repo, 'web', 'demo', 'cup.scad');

export const tests = [
  {
    name: 'demo page draws the mesh and builds the customizer; screenshot',
    async run(ctx) {
      const page = await open(ctx);
      const st = await viewerState(page);
      assert(!st.error, `no error expected, got ${JSON.stringify(st.error)}`);
      assert(st.triangles > 100, `triangles shown: ${st.status}`);
      const px = await meshPixels(page);
      // the cup covers a good part of the view; a blank or broken canvas gives 0
      assert(px.pixels > px.total * 0.05, `mesh pixels ${px.pixels} of ${px.total}`);
      // a closed solid is drawn one-sided (back faces culled): that is right only if the
      // triangles as uploaded wind counter-clockwise seen from outside, i.e. enclose the
      // model's positive volume
      const sided = await page.evaluate(() => {
        const v = window.facetDemo.handle.viewer;
        const g = v.scene.model.geometry;
        const p = g.attributes.position.array; // three corners per triangle
        let six = 0;
        for (let i = 0; i < g.drawRange.count; i += 3) {
          const a = 3 * i, b = 3 * i + 3, c = 3 * i + 6;
          six += p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
        }
        return { side: v.scene.model.material.side, volume: six / 6, meta: v.meta.volume };
      });
      assert(sided.side === 0, `closed solid drawn front side only (side ${sided.side})`);
      assert(Math.abs(sided.volume - sided.meta) < 1e-3 * sided.meta, `uploaded triangles enclose ${sided.volume}, the core says ${sided.meta}`);
      const names = await page.evaluate(() =>
        [...window.facetDemo.handle.viewer.root.querySelectorAll('[data-param]')].map((e) => `${e.tagName.toLowerCase()}:${e.type}:${e.dataset.param}`)
      );
      for (const want of ['input:range:radius', 'input:number:radius', 'select:select-one:style', 'select:select-one:colour', 'input:checkbox:label_ring'])
        assert(names.includes(want), `control ${want} in ${names.join(' ')}`);
      assert(!names.some((n) => n.endsWith(':$fn')), '[Hidden] $fn has no control');
      const groups = await page.evaluate(() =>
        [...window.facetDemo.handle.viewer.root.querySelectorAll('details.facet-group > summary')].map((e) => e.textContent)
      );
      assert(JSON.stringify(groups) === '["Shape","Slots","Finish"]', `groups ${groups}`);
      const hint = await page.evaluate(() => window.facetDemo.handle.viewer.root.querySelector('.facet-param-hint').textContent);
      assert(hint === 'Outer radius of the cup', `hint ${hint}`);
      // idle: no free-running render loop
      const frames = () => page.evaluate(() => window.facetDemo.handle.viewer.scene.renderer.info.render.frame);
      const f0 = await frames();
      await page.waitForTimeout(500);
      assert((await frames()) === f0, 'no redraw while nothing changes');
      const shot = path.join(ctx.artifacts, 'web-demo.png');
      await page.screenshot({ path: shot });
      assert(fs.statSync(shot).size > 10000, 'screenshot written');
      assert(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
    },
  },
  {
    name: 'triangle count shown equals build/facet --stats (default and a slider value)',
    async run(ctx) {
      const page = await open(ctx);
      const st = await viewerState(page);
      const cli = cliStats(ctx.buildDir, CUP);
      assert(st.triangles === cli.triangles, `viewer ${st.triangles} vs CLI ${cli.triangles}`);
      const before = await done(page);
      await slide(page, 'slots', 7);
      await waitDone(page, 'demo', before);
      const st2 = await viewerState(page);
      const cli2 = cliStats(ctx.buildDir, CUP, { slots: 7 });
      assert(st2.triangles === cli2.triangles, `slots=7: viewer ${st2.triangles} vs CLI ${cli2.triangles}`);
      assert(cli2.triangles !== cli.triangles, 'the slider changes the model');
    },
  },
  {
    name: 'moving a slider re-renders the mesh and keeps the camera',
    async run(ctx) {
      const page = await open(ctx);
      const a = await meshPixels(page);
      const s1 = await viewerState(page);
      const before = await done(page);
      // the slide and the look at the spinner in one task, before the render can answer
      const busy = await page.evaluate(() => {
        const r = window.facetDemo.handle.viewer.root;
        const s = r.querySelector('input[type=range][data-param="height"]');
        s.value = '140';
        s.dispatchEvent(new Event('input', { bubbles: true }));
        return r.classList.contains('busy') && getComputedStyle(r.querySelector('.facet-spinner')).visibility === 'visible';
      });
      assert(busy, 'spinner shows while rendering');
      await waitDone(page, 'demo', before);
      const idle = await page.evaluate(() => getComputedStyle(window.facetDemo.handle.viewer.root.querySelector('.facet-spinner')).visibility);
      assert(idle === 'hidden', 'spinner hidden when done');
      const b = await meshPixels(page);
      const s2 = await viewerState(page);
      assert(s2.params.height === 140, `params ${JSON.stringify(s2.params)}`);
      assert(Math.abs(s2.meta.bbox[1][2] - 140) < 1e-6, `bbox top ${JSON.stringify(s2.meta.bbox)}`);
      assert(a.hash !== b.hash && b.pixels > a.pixels, `pixels ${a.pixels} -> ${b.pixels}`);
      assert(JSON.stringify(s1.camera) === JSON.stringify(s2.camera), 'camera unchanged by a re-render');
    },
  },
  {
    name: 'dragging a slider: latest wins, the last value is drawn',
    async run(ctx) {
      const page = await open(ctx);
      const before = await done(page);
      // a real mouse drag along the radius slider (playwright's locator pierces the shadow root)
      const slider = page.locator('input[type=range][data-param="radius"]');
      const box = await slider.boundingBox();
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, y, { steps: 15 });
      await page.mouse.up();
      const value = Number(await slider.inputValue());
      assert(value > 35, `dragged to ${value}`);
      await waitDone(page, 'demo', before);
      await page.waitForTimeout(300);
      const st = await viewerState(page);
      assert(!st.error, `no error: ${JSON.stringify(st.error)}`);
      assert(st.params.radius === value, `params ${JSON.stringify(st.params)} vs slider ${value}`);
      // the last value drawn: radius plus the 1.5 label ring
      assert(Math.abs(st.meta.bbox[1][0] - (value + 1.5)) < 0.01, `final bbox ${JSON.stringify(st.meta.bbox)} for ${value}`);
      const renders = await page.evaluate(() => window.facetDemo.handle.viewer.done);
      assert(renders - before < 8, `intermediate values superseded: ${renders - before} renders finished`);
    },
  },
  {
    name: 'a syntax error shows the overlay with its line; fixing it clears it',
    async run(ctx) {
      const page = await open(ctx);
      const good = await page.evaluate(() => window.facetDemo.editor.value);
      const lines = good.split('\n');
      const at = lines.findIndex((l) => l.startsWith('module slot'));
      lines.splice(at, 0, 'x = = 3;');
      let before = await done(page);
      await page.evaluate((src) => {
        const ed = window.facetDemo.editor;
        ed.value = src;
        ed.dispatchEvent(new Event('input'));
      }, lines.join('\n'));
      await waitDone(page, 'demo', before);
      const st = await viewerState(page);
      assert(st.error && st.error.kind === 'syntax', `error ${JSON.stringify(st.error)}`);
      assert(st.error.line === at + 1, `line ${st.error.line}, want ${at + 1}`);
      assert(st.error.text.startsWith(`syntax error · line ${at + 1}, column `), `overlay text ${st.error.text}`);
      before = await done(page);
      await page.evaluate((src) => {
        const ed = window.facetDemo.editor;
        ed.value = src;
        ed.dispatchEvent(new Event('input'));
      }, good);
      await waitDone(page, 'demo', before);
      const st2 = await viewerState(page);
      assert(st2.error === null, `overlay cleared, got ${JSON.stringify(st2.error)}`);
      assert(st2.triangles > 100, 'mesh back');
    },
  },
  {
    name: 'STL download is a valid binary STL of the model shown',
    async run(ctx) {
      const page = await open(ctx);
      const st = await viewerState(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.evaluate(() => window.facetDemo.handle.viewer.root.querySelector('.facet-download-stl').click()),
      ]);
      assert(download.suggestedFilename().endsWith('.stl'), download.suggestedFilename());
      const file = path.join(ctx.artifacts, 'web-download.stl');
      await download.saveAs(file);
      const buf = fs.readFileSync(file);
      const n = buf.readUInt32LE(80);
      assert(buf.length === 84 + 50 * n, `size ${buf.length} for ${n} triangles`);
      assert(n === st.triangles, `STL ${n} vs shown ${st.triangles}`);
      let finite = true;
      for (let t = 0; t < n && finite; t++) for (let k = 0; k < 12; k++) finite = finite && Number.isFinite(buf.readFloatLE(84 + 50 * t + 4 * k));
      assert(finite, 'finite coordinates');
    },
  },
  {
    name: 'light/dark follows prefers-color-scheme and a .dark class',
    async run(ctx) {
      const page = await open(ctx);
      assert((await viewerState(page)).dark === false, 'light by default');
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(50);
      assert((await viewerState(page)).dark === true, 'dark with prefers-color-scheme: dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.evaluate(() => document.body.classList.add('dark'));
      await page.waitForTimeout(50);
      assert((await viewerState(page)).dark === true, 'dark with body.dark');
      const theme = await page.evaluate(() => window.facetDemo.handle.viewer.scene.themeName);
      assert(theme === 'dark', `scene theme ${theme}`);
      await page.evaluate(() => document.body.classList.remove('dark'));
      await page.waitForTimeout(50);
      assert((await viewerState(page)).dark === false, 'light again');
    },
  },
  {
    name: 'double-click fits the view after orbiting; edges toggle adds lines',
    async run(ctx) {
      const page = await open(ctx);
      const s0 = await viewerState(page);
      const canvas = await page.evaluateHandle(() => window.facetDemo.handle.viewer.scene.renderer.domElement);
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 5 });
      await page.mouse.up();
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(100);
      const s1 = await viewerState(page);
      assert(JSON.stringify(s1.camera) !== JSON.stringify(s0.camera), 'orbit moved the camera');
      await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(50);
      const s2 = await viewerState(page);
      const d = s2.camera.map((v, i) => Math.abs(v - s0.camera[i]));
      assert(Math.max(...d) < 1e-6, `fit returns to the first view ${s0.camera} vs ${s2.camera}`);
      const a = await meshPixels(page);
      await page.evaluate(() => window.facetDemo.handle.viewer.root.querySelector('.facet-edges').click());
      const edges = await page.evaluate(() => !!window.facetDemo.handle.viewer.scene.edges);
      const b = await meshPixels(page);
      assert(edges && a.hash !== b.hash, 'edges drawn');
    },
  },
];
