// Viewer benchmark in headless Chromium (the same harness as web/tests):
//  - time to first picture: navigation start -> the demo page's first model drawn
//  - slider-to-pixels latency: a customizer slider moves (input event) -> the new mesh is drawn
//    and a frame has passed, over 50 steps, for examples/Parametric/candleStand.scad (slider
//    "count", its 12 values cycled) and the heavier demo cup (slider "height", 50 distinct
//    values; $fn = 96, ten hulled slots).
//    The client's result cache is cleared before every step so each step is a real render
//    (the worker's subtree cache stays, as in real use).
// Prints a table and writes $(BUILD)/bench-web.json.
//   node web/bench.mjs      (env FACET_BUILD, FACET_WEB_DIR, FACET_CORPUS)

import fs from 'node:fs';
import path from 'node:path';
import { startAll, buildDir, corpus, repo } from './tests/harness.mjs';
import { open } from './tests/util.mjs';

const STEPS = 50;

function stats(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1] };
}

async function sliderRun(page, source, param, values) {
  return page.evaluate(
    async ([src, name, vals]) => {
      const v = window.facetDemo.handle.viewer;
      const facet = await v.facetPromise;
      // The new mesh is drawn in the task that dispatches 'rendered' (or 'error'); the next
      // animation frame is the one that shows it. Listening rather than polling: a poll
      // (setTimeout, clamped to 4 ms) noticed the draw late and could miss that frame.
      const settle = (n) =>
        new Promise((res) => {
          if (v.done > n) return requestAnimationFrame(() => res());
          const on = () => {
            v.removeEventListener('rendered', on);
            v.removeEventListener('error', on);
            requestAnimationFrame(() => res());
          };
          v.addEventListener('rendered', on);
          v.addEventListener('error', on);
        });
      let n = v.done;
      v.setSource(src);
      await settle(n);
      if (v.error) throw new Error(`${v.error.kind}: ${v.error.message}`);
      const slider = v.root.querySelector(`input[type=range][data-param="${name}"]`);
      if (!slider) throw new Error(`no slider ${name}`);
      const out = [];
      for (const x of vals) {
        facet.clearCache();
        n = v.done;
        const t0 = performance.now();
        slider.value = String(x);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        await settle(n);
        if (v.error) throw new Error(`${v.error.kind}: ${v.error.message}`);
        const ms = v.meta.ms || {};
        out.push({ ms: performance.now() - t0, t: v.timings, triangles: v.meta.triangles, core: ms.total || ms.parse + ms.eval + ms.geometry + ms.export });
      }
      return out;
    },
    [source, param, values]
  );
}

const env = await startAll();
const results = {};
try {
  // time to first picture, three cold loads (fresh page; the browser's HTTP cache is warm)
  const first = [];
  for (let i = 0; i < 3; i++) {
    const page = await open(env);
    first.push(await page.evaluate(() => window.facetDemo.firstPictureMs));
    await page.close();
  }
  results.timeToFirstPicture = { runs: first, median: stats(first).median };

  const page = await open(env);
  const candle = fs.readFileSync(path.join(corpus, 'examples', 'Parametric', 'candleStand.scad'), 'utf8');
  const countValues = [];
  for (let i = 0; countValues.length < STEPS; i++) countValues.push(3 + ((i + 5) % 12));
  const c = await sliderRun(page, candle, 'count', countValues);
  // the first 12 steps visit each value once (no cached subtree result); the rest revisit
  const fresh = c.slice(0, 12);
  results.candleStandFirstVisit = { slider: 'count, 12 new', ...stats(fresh.map((x) => x.ms)), coreMedian: stats(fresh.map((x) => x.core)).median, triangles: [Math.min(...fresh.map((x) => x.triangles)), Math.max(...fresh.map((x) => x.triangles))] };
  const again = c.slice(12);
  results.candleStandRevisit = { slider: 'count, 38 seen', ...stats(again.map((x) => x.ms)), coreMedian: stats(again.map((x) => x.core)).median, triangles: [Math.min(...again.map((x) => x.triangles)), Math.max(...again.map((x) => x.triangles))] };
  // viewer-side breakdown (median over the 50 steps): worker round trip, mesh build, edges+grid, draw call
  results.candleStandViewer = {};
  for (const k of ['wait', 'mesh', 'edges', 'draw']) results.candleStandViewer[k] = stats(c.map((x) => (x.t ? x.t[k] : 0))).median;
  results.candleStand = { slider: 'count 3..14', ...stats(c.map((x) => x.ms)), coreMedian: stats(c.map((x) => x.core)).median, triangles: [Math.min(...c.map((x) => x.triangles)), Math.max(...c.map((x) => x.triangles))] };

  const cup = fs.readFileSync(path.join(repo, 'web', 'demo', 'cup.scad'), 'utf8');
  const heights = [];
  for (let i = 0; i < STEPS; i++) heights.push(60 + i);
  const h = await sliderRun(page, cup, 'height', heights);
  results.rawTimings = c.map((x) => x.t && Object.entries(x.t).map(([k, y]) => `${k}:${y.toFixed(1)}`).join(' '));
  results.raw = { candle: c.map((x) => Math.round(x.ms)), cup: h.map((x) => Math.round(x.ms) + ':' + x.triangles) };
  results.candleFirstVisitSteps = c.slice(0, 12).map((x, i) => ({ count: countValues[i], ms: Math.round(x.ms), core: Math.round(x.core) }));
  results.cup = { slider: 'height 60..109', ...stats(h.map((x) => x.ms)), coreMedian: stats(h.map((x) => x.core)).median, triangles: [Math.min(...h.map((x) => x.triangles)), Math.max(...h.map((x) => x.triangles))] };
} finally {
  await env.stop();
}

const fmt = (x) => x.toFixed(1).padStart(8);
console.log(`time to first picture (demo cup, ms): median ${results.timeToFirstPicture.median.toFixed(0)} (runs ${results.timeToFirstPicture.runs.map((x) => x.toFixed(0)).join(', ')})`);
console.log('slider-to-pixels latency over 50 steps (ms):             median      p95      min      max  core-median  triangles');
for (const k of ['candleStand', 'candleStandFirstVisit', 'candleStandRevisit', 'cup']) {
  const r = results[k];
  console.log(`  ${k.padEnd(22)} ${r.slider.padEnd(16)}${fmt(r.median)} ${fmt(r.p95)} ${fmt(r.min)} ${fmt(r.max)}     ${fmt(r.coreMedian)}  ${r.triangles.join('..')}`);
}
console.log(`candleStand viewer medians (ms): ${Object.entries(results.candleStandViewer).map(([k, y]) => `${k} ${y.toFixed(1)}`).join(', ')}  (wait: input -> worker result)`);
console.log('(core-median: the render inside the worker, meta.ms.total; the rest is messaging, decoding and drawing)');
// The p95 of 50 steps is the third slowest: one of the seven heavy first visits (count 8..14).
// A step ends at the first frame after the draw, so a step whose core exceeds about 29 ms
// lands on the third frame (50 ms at 60 Hz) rather than the second.
console.log(`candleStand first visits, count: step/core ms: ${results.candleFirstVisitSteps.map((x) => `${x.count}: ${x.ms}/${x.core}`).join(', ')}`);
if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(results.raw));
if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(results.rawTimings));
fs.writeFileSync(path.join(buildDir, 'bench-web.json'), JSON.stringify(results, null, 2) + '\n');
