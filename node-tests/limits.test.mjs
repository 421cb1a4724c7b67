// limits.test.mjs — the 2 GiB cap: the module's declared memory maximum, and a model that
// needs more than the cap failing with memory_limit on a worker that then renders normally.
// Also the size of the module's largest function, which bounds what V8 compiles at once.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { wasmDir, rawWorker, HUGE_MODEL } from './helpers.mjs';

/* Reads an unsigned LEB128 at bytes[pos]; returns [value, next position]. */
function leb(bytes, pos) {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [v, pos];
  }
}

function readName(bytes, pos) {
  const [n, p] = leb(bytes, pos);
  return [new TextDecoder().decode(bytes.subarray(p, p + n)), p + n];
}

function readLimits(bytes, pos) {
  const flags = bytes[pos++];
  let min;
  let max = null;
  [min, pos] = leb(bytes, pos);
  if (flags & 1) [max, pos] = leb(bytes, pos);
  return { flags, min, max, pos };
}

/* The sections of a module: {id, pos} with pos at the start of the section's contents. */
function* sections(bytes) {
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'wasm magic');
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    yield { id, pos };
    pos += size;
  }
}

/* The memories a module defines (section 5) or imports (section 2, kind 2). */
function wasmMemories(bytes) {
  const mems = [];
  for (const { id, pos } of sections(bytes)) {
    if (id === 5) {
      let n;
      let p;
      [n, p] = leb(bytes, pos);
      for (let i = 0; i < n; i++) {
        const l = readLimits(bytes, p);
        mems.push(l);
        p = l.pos;
      }
    } else if (id === 2) {
      let n;
      let p;
      [n, p] = leb(bytes, pos);
      for (let i = 0; i < n; i++) {
        [, p] = readName(bytes, p);
        [, p] = readName(bytes, p);
        const kind = bytes[p++];
        if (kind === 0) [, p] = leb(bytes, p);
        else if (kind === 1) p = readLimits(bytes, p + 1).pos;
        else if (kind === 2) {
          const l = readLimits(bytes, p);
          mems.push(l);
          p = l.pos;
        } else if (kind === 3) p += 2;
        else if (kind === 4) p = leb(bytes, p + 1)[1];
      }
    }
  }
  return mems;
}

test('facet-core.wasm declares a memory maximum of exactly 32768 pages (2 GiB), not shared', () => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(wasmDir, 'facet-core.wasm')));
  const mems = wasmMemories(bytes);
  assert.equal(mems.length, 1);
  assert.equal(mems[0].max, 32768);
  assert.equal(mems[0].flags & 2, 0, 'not a shared memory');
  assert.ok(mems[0].min * 65536 <= 64 * 1024 * 1024, 'modest initial memory');
});

/* The body sizes of the functions a module defines (code section, id 10), largest first. */
function codeBodySizes(bytes) {
  const sizes = [];
  for (const { id, pos } of sections(bytes)) {
    if (id !== 10) continue;
    let [n, p] = leb(bytes, pos);
    for (let i = 0; i < n; i++) {
      let body;
      [body, p] = leb(bytes, p);
      sizes.push(body);
      p += body;
    }
  }
  return sizes.sort((a, b) => b - a);
}

/* wasm/wasm.mk caps binaryen's single-caller inlining: without it, bool3() and compute()
 * grew to 31 KB and 44 KB of bytecode, which V8 compiles with TurboFan as a whole, in the
 * background, while the first renders wait in its baseline code. The largest function now
 * is under 18 KB; 24 KB leaves room for ordinary growth and fails if the cap is lost. */
test('no function of facet-core.wasm is a giant (the inlining cap of wasm.mk holds)', () => {
  const sizes = codeBodySizes(new Uint8Array(fs.readFileSync(path.join(wasmDir, 'facet-core.wasm'))));
  assert.ok(sizes.length > 100, `${sizes.length} functions`);
  assert.ok(sizes[0] < 24 * 1024, `largest function body ${sizes[0]} bytes`);
});

test('the glue and the worker use no dynamic code execution and no shared memory', () => {
  for (const f of ['facet-core.js', 'facet-worker.js']) {
    const js = fs.readFileSync(path.join(wasmDir, f), 'utf8');
    assert.doesNotMatch(js, /\beval\s*\(/, f);
    assert.doesNotMatch(js, /new\s+Function\s*\(/, f);
  }
  assert.doesNotMatch(fs.readFileSync(path.join(wasmDir, 'facet-core.js'), 'utf8'), /SharedArrayBuffer|Atomics\./);
});

test('a model needing more than 2 GiB fails with memory_limit; the same worker renders next', async (t) => {
  const w = rawWorker();
  t.after(() => w.terminate());
  const ok0 = await w.render({ id: 'warm', source: 'sphere(5, $fn = 32);' });
  assert.equal(ok0.type, 'result');
  const t0 = performance.now();
  const big = await w.render({ id: 'huge', source: HUGE_MODEL }, 120000);
  assert.equal(big.type, 'error', 'the huge model must fail');
  assert.equal(big.error.kind, 'memory_limit', big.error.message);
  t.diagnostic(`memory_limit after ${(performance.now() - t0).toFixed(0)} ms: ${big.error.message}`);
  const ok = await w.render({ id: 'after', source: 'sphere(5, $fn = 32);' });
  assert.equal(ok.type, 'result', JSON.stringify(ok.error));
  assert.deepEqual(new Uint8Array(ok.data), new Uint8Array(ok0.data));
  // and it can fail and recover again
  const big2 = await w.render({ id: 'huge2', source: HUGE_MODEL }, 120000);
  assert.equal(big2.error.kind, 'memory_limit');
  const ok2 = await w.render({ id: 'after2', source: 'cube(1);' });
  assert.equal(ok2.type, 'result');
});
