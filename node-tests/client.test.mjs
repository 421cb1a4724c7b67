// client.test.mjs — facet-client.mjs over real workers and the real wasm module: the pool,
// concurrency, cancellation, timeouts, "latest wins", the result cache, progress, errors.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadClient, stlTriangles, LONG_MODEL } from './helpers.mjs';

const { createFacet, FacetError } = await loadClient();

const LONG = { stepLimit: 1e15 };

async function rejectsWith(promise, kind) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof FacetError, `not a FacetError: ${e}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

test('20 concurrent renders over a pool of 4', async (t) => {
  const facet = await createFacet({ workers: 4 });
  t.after(() => facet.terminate());
  const sizes = Array.from({ length: 20 }, (_, i) => i + 1);
  const results = await Promise.all(sizes.map((s) => facet.render(`cube(${s});`, { format: 'binstl' })));
  results.forEach((r, i) => {
    const s = sizes[i];
    assert.ok(Math.abs(r.meta.volume - s * s * s) < 1e-9, `cube(${s}) volume ${r.meta.volume}`);
    assert.equal(stlTriangles(r.data), 12);
    assert.equal(r.meta.cached, false);
  });
  assert.equal(facet.stats.workersStarted, 4);
  assert.equal(facet.stats.workersReplaced, 0);
});

test('the pool grows when renders wait or once it is idle, not for a parameters request', async (t) => {
  const facet = await createFacet({ workers: 2 });
  t.after(() => facet.terminate());
  // a render and the parameters request a viewer sends with it: one worker serves both
  const src = 'h = 5; // [1:10]\ncylinder(h, r = 3, $fn = 64);';
  const [r, params] = await Promise.all([facet.render(src, { format: 'binstl' }), facet.parameters(src)]);
  assert.equal(stlTriangles(r.data), 4 * 64 - 4);
  assert.ok(params.some((p) => p.name === 'h'));
  assert.equal(facet.stats.workersStarted, 1);
  // back-to-back renders (a slider): still one worker
  for (let i = 1; i <= 3; i++) await facet.render(`cube(${i});`, { format: 'binstl' });
  assert.equal(facet.stats.workersStarted, 1);
  // idle for a second: the rest of the pool starts
  await new Promise((res) => setTimeout(res, 1300));
  assert.equal(facet.stats.workersStarted, 2);
  const s = await facet.render('sphere(2);', { format: 'binstl' });
  assert.ok(stlTriangles(s.data) > 0);
});

test('the idle warm-up leaves the subtree cache and the results as they were', async (t) => {
  const facet = await createFacet({ workers: 1 });
  t.after(() => facet.terminate());
  const src = 'difference() { cylinder(4, r = 5, $fn = 40); translate([0, 0, -1]) cylinder(6, r = 2, $fn = 20); }\ncube(3);';
  const a = await facet.render(src, { format: 'binstl', cache: false });
  assert.ok(a.meta.cache.misses > 0);
  // idle: the worker runs its warm-up renders (250 ms after the queue empties, one per task)
  await new Promise((res) => setTimeout(res, 1200));
  const b = await facet.render(src, { format: 'binstl', cache: false });
  assert.equal(b.meta.cache.misses, 0, JSON.stringify(b.meta.cache));
  assert.deepEqual(new Uint8Array(b.data), new Uint8Array(a.data));
});

test('render results, parameters and typed errors', async (t) => {
  const facet = await createFacet({ workers: 1 });
  t.after(() => facet.terminate());
  const r = await facet.render('echo("hi");\nsphere(1, $fn = 8);', { format: 'off' });
  assert.ok(r.data instanceof ArrayBuffer);
  assert.match(new TextDecoder().decode(r.data), /^OFF/);
  assert.ok(r.log.includes('ECHO: "hi"'), JSON.stringify(r.log));
  assert.deepEqual(r.log, r.meta.log);

  const params = await facet.parameters('h = 5; // [1:10]\ncube(h);');
  assert.ok(params.some((p) => p.name === 'h'));

  const e = await rejectsWith(facet.render('cube(1);\nfoo(;', { path: 'x.scad' }), 'syntax');
  assert.equal(e.line, 2);
  assert.equal(e.file, 'x.scad');
  assert.ok(e.column > 0);
  await rejectsWith(facet.render('cube(1);', { format: 'gif' }), 'protocol');
  await rejectsWith(facet.render(42), 'protocol');
});

test('progress callbacks', async (t) => {
  const facet = await createFacet({ workers: 1 });
  t.after(() => facet.terminate());
  const stages = [];
  await facet.render('for (i = [0:20]) translate([i * 2, 0, 0]) sphere(1);', { onProgress: (p) => stages.push(p.stage) });
  assert.equal(stages[0], 'queued');
  assert.ok(stages.includes('geometry') || stages.includes('eval'), stages.join(','));
});

test('cancel: AbortSignal stops a running render and the pool recovers', async (t) => {
  const facet = await createFacet({ workers: 1 });
  t.after(() => facet.terminate());
  const ac = new AbortController();
  let started;
  const running = facet.render(LONG_MODEL, Object.assign({ signal: ac.signal, onProgress: (p) => p.stage !== 'queued' && started && started() }, LONG));
  const queued = facet.render('cube(2);', { signal: ac.signal });
  await new Promise((r) => (started = r));
  const t0 = performance.now();
  ac.abort();
  await rejectsWith(running, 'cancelled');
  await rejectsWith(queued, 'cancelled');
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(facet.stats.workersReplaced, 1);
  const r = await facet.render('cube(2);');
  assert.equal(r.meta.volume, 8);
  // an already aborted signal rejects at once
  await rejectsWith(facet.render('cube(1);', { signal: AbortSignal.abort() }), 'cancelled');
});

test('timeout: a long render rejects with timeout and the pool still works', async (t) => {
  const facet = await createFacet({ workers: 2 });
  t.after(() => facet.terminate());
  const t0 = performance.now();
  const slow = facet.render(LONG_MODEL, Object.assign({ timeoutMs: 500 }, LONG));
  const fast = facet.render('cube(3);');
  assert.equal((await fast).meta.volume, 27);
  await rejectsWith(slow, 'timeout');
  const ms = performance.now() - t0;
  assert.ok(ms >= 450 && ms < 5000, `timed out after ${ms} ms`);
  const after = await Promise.all([facet.render('cube(4);'), facet.render('cube(5);')]);
  assert.deepEqual(after.map((r) => r.meta.volume), [64, 125]);
});

test('timeout: a worker that does not answer is terminated and replaced', async (t) => {
  // A worker script that never answers stands in for a stuck render.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-'));
  const stuck = path.join(dir, 'stuck-worker.cjs');
  fs.writeFileSync(stuck, "require('worker_threads').parentPort.on('message', () => {});\n");
  const facet = await createFacet({ workers: 1, killGraceMs: 0, workerUrl: pathToFileURL(stuck).href });
  t.after(() => {
    facet.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const t0 = performance.now();
  await rejectsWith(facet.render('cube(1);', { timeoutMs: 300 }), 'timeout');
  const ms = performance.now() - t0;
  assert.ok(ms >= 300 && ms < 2000, `${ms} ms`);
  assert.equal(facet.stats.workersReplaced, 1);
});

test('latest wins per key', async (t) => {
  const facet = await createFacet({ workers: 1, supersedeKillMs: 200 });
  t.after(() => facet.terminate());
  const first = facet.render(LONG_MODEL, Object.assign({ key: 'viewer' }, LONG));
  await new Promise((r) => setTimeout(r, 50));
  const second = facet.render('cube(2);', { key: 'viewer' });
  const third = facet.render('cube(3);', { key: 'viewer' });
  const other = facet.render('cube(4);', { key: 'other' });
  await rejectsWith(first, 'cancelled');
  await rejectsWith(second, 'cancelled');
  assert.equal((await third).meta.volume, 27);
  assert.equal((await other).meta.volume, 64);
});

test('result cache: a repeated request is answered from the cache', async (t) => {
  const facet = await createFacet({ workers: 1 });
  t.after(() => facet.terminate());
  const src = 'r = 5;\ndifference() { sphere(r, $fn = 48); cube(r, center = true); }';
  const a = await facet.render(src, { params: { r: 6 } });
  assert.equal(a.meta.cached, false);
  const b = await facet.render(src, { params: { r: 6 } });
  assert.equal(b.meta.cached, true);
  assert.deepEqual(new Uint8Array(b.data), new Uint8Array(a.data));
  assert.notEqual(b.data, a.data, 'a cache hit hands out a copy');
  const c = await facet.render(src, { params: { r: 7 } });
  assert.equal(c.meta.cached, false);
  const d = await facet.render(src, { params: { r: 6 }, format: 'off' });
  assert.equal(d.meta.cached, false);
  const e = await facet.render(src, { params: { r: 6 }, cache: false });
  assert.equal(e.meta.cached, false);
  assert.equal(facet.stats.cacheHits, 1);
});

test('terminate rejects what is pending', async () => {
  const facet = await createFacet({ workers: 1 });
  const p = facet.render(LONG_MODEL, LONG);
  const q = facet.render('cube(1);');
  await new Promise((r) => setTimeout(r, 50));
  facet.terminate();
  await rejectsWith(p, 'cancelled');
  await rejectsWith(q, 'cancelled');
  await rejectsWith(facet.render('cube(1);'), 'cancelled');
});
