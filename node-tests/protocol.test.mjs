// protocol.test.mjs — the worker's wire protocol (DESIGN §7), spoken directly to the real
// build/wasm/facet-worker.js over worker_threads, with the real wasm module.

import test from 'node:test';
import assert from 'node:assert/strict';
import { rawWorker, stlTriangles, LONG_MODEL } from './helpers.mjs';

const dec = new TextDecoder();

test('protocol', async (t) => {
  const w = rawWorker();
  t.after(() => w.terminate());

  await t.test('init loads the module and answers ready', async () => {
    w.send({ type: 'init' });
    const m = await w.next((x) => x.type === 'ready');
    assert.equal(m.type, 'ready');
  });

  await t.test('render: progress then result with a transferred copy of the bytes', async () => {
    w.send({ type: 'render', id: 'cube', source: 'cube(1);' });
    const ans = await w.answer('cube');
    assert.equal(ans.type, 'result');
    assert.equal(ans.ok, true);
    assert.ok(ans.data instanceof ArrayBuffer);
    // binary STL of a unit cube: 12 triangles, 84 + 50 * 12 bytes — not the wasm heap
    assert.equal(ans.data.byteLength, 84 + 50 * 12);
    assert.equal(stlTriangles(ans.data), 12);
    assert.equal(ans.meta.triangles, 12);
    assert.equal(ans.meta.volume, 1);
    assert.deepEqual(ans.meta.bbox, [[0, 0, 0], [1, 1, 1]]);
    assert.equal(ans.meta.manifold, true);
    assert.equal(ans.meta.cached, false);
    assert.ok(Array.isArray(ans.meta.log));
    for (const k of ['parse', 'eval', 'geometry', 'export']) assert.equal(typeof ans.meta.ms[k], 'number');
    const progress = w.box.filter((m) => m.type === 'progress' && m.id === 'cube');
    assert.ok(progress.length >= 1, 'at least one progress message');
    for (const p of progress) {
      assert.ok(['parse', 'eval', 'geometry', 'export'].includes(p.stage), p.stage);
      assert.equal(typeof p.fraction, 'number');
    }
    w.box.length = 0;
  });

  await t.test('render: params override top-level assignments; echo goes to the log', async () => {
    const ans = await w.render({
      id: 'params',
      source: 'size = 1;\nlabel = "a";\ncube(size);\necho(size, label);\n',
      params: { size: 2, label: 'q"uote' },
    });
    assert.equal(ans.type, 'result', JSON.stringify(ans.error));
    assert.equal(ans.meta.volume, 8);
    // OpenSCAD 2021.01 prints strings unescaped: `openscad -D 'label="q\"uote"'` echoes this
    assert.ok(ans.meta.log.includes('ECHO: 2, "q"uote"'), JSON.stringify(ans.meta.log));
  });

  await t.test('render: options fn/fa/fs become $fn/$fa/$fs', async () => {
    const ans = await w.render({ id: 'fn', source: 'cylinder(r = 1, h = 1);', options: { fn: 6 } });
    assert.equal(ans.type, 'result', JSON.stringify(ans.error));
    // a hexagonal prism: 6 side quads (12 triangles) + 2 hexagons (4 triangles each)
    assert.equal(ans.meta.triangles, 20);
  });

  await t.test('render: every export format', async () => {
    const magic = { asciistl: 'solid', off: 'OFF', '3mf': 'PK', mesh: 'FMSH' };
    for (const [format, head] of Object.entries(magic)) {
      const ans = await w.render({ id: `fmt-${format}`, source: 'cube(1);', format });
      assert.equal(ans.type, 'result', `${format}: ${JSON.stringify(ans.error)}`);
      assert.equal(dec.decode(new Uint8Array(ans.data, 0, head.length)), head, format);
    }
    const obj = await w.render({ id: 'fmt-obj', source: 'cube(1);', format: 'obj' });
    assert.match(dec.decode(obj.data), /^v /m);
    const none = await w.render({ id: 'fmt-none', source: 'cube(1);', format: 'none' });
    assert.equal(none.data.byteLength, 0);
    assert.equal(none.meta.triangles, 12);
  });

  await t.test('render: files map serves include and binary import', async () => {
    const stl = (await w.render({ id: 'mk-stl', source: 'cube(2);' })).data;
    const ans = await w.render({
      id: 'files',
      path: 'main.scad',
      source: 'include <lib/size.scad>\nimport("parts/box.stl");\ntranslate([10, 0, 0]) cube(s);\n',
      files: { 'lib/size.scad': 's = 3;\n', 'parts/box.stl': stl },
    });
    assert.equal(ans.type, 'result', JSON.stringify(ans.error));
    assert.ok(Math.abs(ans.meta.volume - (8 + 27)) < 1e-9, String(ans.meta.volume));
  });

  await t.test('parameters: customizer metadata only', async () => {
    w.send({ type: 'parameters', id: 'p1', source: 'width = 10; // [1:100]\ncube(width);\n' });
    const ans = await w.answer('p1');
    assert.equal(ans.type, 'result', JSON.stringify(ans.error));
    assert.equal(ans.data, undefined);
    assert.ok(Array.isArray(ans.parameters));
    assert.ok(ans.parameters.some((p) => p.name === 'width'), JSON.stringify(ans.parameters));
  });

  await t.test('error: syntax error with file, line, column', async () => {
    const ans = await w.render({ id: 'syn', path: 'bad.scad', source: 'cube(1);\ncube(2)\nsphere(;\n' });
    assert.equal(ans.type, 'error');
    assert.equal(ans.ok, false);
    assert.equal(ans.error.kind, 'syntax');
    assert.equal(ans.error.line, 3);
    assert.ok(ans.error.column > 0);
    assert.equal(ans.error.file, 'bad.scad');
    assert.match(ans.error.message, /syntax error/);
  });

  await t.test('error: failed assert is an eval error with a trace', async () => {
    const ans = await w.render({ id: 'ev', source: 'module m() { assert(false, "boom"); }\nm();\n' });
    assert.equal(ans.type, 'error');
    assert.equal(ans.error.kind, 'eval');
    assert.match(ans.error.message, /boom/);
    assert.equal(ans.error.line, 1);
    assert.equal(typeof ans.error.trace, 'string');
  });

  await t.test('error: step_limit from options.stepLimit', async () => {
    const ans = await w.render({ id: 'steps', source: LONG_MODEL, options: { stepLimit: 100000 } });
    assert.equal(ans.type, 'error');
    assert.equal(ans.error.kind, 'step_limit');
  });

  await t.test('error: unbounded non-tail recursion is recursion_depth, then the worker renders', async () => {
    const ans = await w.render({ id: 'rec', source: 'function f(n) = 1 + f(n + 1);\necho(f(0));\n' });
    assert.equal(ans.type, 'error');
    assert.equal(ans.error.kind, 'recursion_depth');
    const ok = await w.render({ id: 'rec-after', source: 'cube(1);' });
    assert.equal(ok.type, 'result');
  });

  await t.test('timeout via options.timeoutMs, then the worker renders', async () => {
    const t0 = performance.now();
    const ans = await w.render({ id: 'slow', source: LONG_MODEL, options: { timeoutMs: 300, stepLimit: 1e15 } });
    assert.equal(ans.type, 'error');
    assert.equal(ans.error.kind, 'timeout');
    assert.ok(performance.now() - t0 < 5000);
    const ok = await w.render({ id: 'slow-after', source: 'cube(1);' });
    assert.equal(ok.type, 'result');
  });

  await t.test('cancel: a queued request is dropped, a running one stops', async () => {
    w.send({ type: 'render', id: 'run', source: LONG_MODEL, options: { stepLimit: 1e15, timeoutMs: 20000 } });
    w.send({ type: 'render', id: 'queued', source: 'cube(3);' });
    w.send({ type: 'cancel', id: 'queued' });
    await w.next((m) => m.type === 'progress' && m.id === 'run');
    w.send({ type: 'cancel', id: 'run' });
    const t0 = performance.now();
    const run = await w.answer('run', 10000);
    assert.equal(run.type, 'error');
    assert.equal(run.error.kind, 'cancelled');
    assert.ok(performance.now() - t0 < 5000);
    const q = await w.answer('queued');
    assert.equal(q.type, 'error');
    assert.equal(q.error.kind, 'cancelled');
    const ok = await w.render({ id: 'cancel-after', source: 'cube(1);' });
    assert.equal(ok.type, 'result');
  });

  await t.test('malformed messages get typed errors, never silence', async () => {
    const cases = [
      [null, 'not an object', null],
      ['{"type":"render","id":"tr","sour', 'truncated JSON', null],
      [42, 'a number', null],
      [{ id: 'nt', source: 'cube(1);' }, 'missing type', 'nt'],
      [{ type: 'render', source: 'cube(1);' }, 'missing id', null],
      [{ type: 'render', id: {}, source: 'cube(1);' }, 'object id', null],
      [{ type: 'render', id: 'ns' }, 'missing source', 'ns'],
      [{ type: 'render', id: 'ws', source: 12 }, 'numeric source', 'ws'],
      [{ type: 'parameters', id: 'pns' }, 'parameters without source', 'pns'],
      [{ type: 'render', id: 'pa', source: 'cube(1);', params: [1, 2] }, 'params as a list', 'pa'],
      [{ type: 'render', id: 'pn', source: 'cube(1);', params: { 'a b': 1 } }, 'bad parameter name', 'pn'],
      [{ type: 'render', id: 'pv', source: 'cube(1);', params: { a: { x: 1 } } }, 'object parameter value', 'pv'],
      [{ type: 'render', id: 'fi', source: 'cube(1);', files: 'x' }, 'files as a string', 'fi'],
      [{ type: 'render', id: 'fv', source: 'cube(1);', files: { 'a.scad': 5 } }, 'numeric file content', 'fv'],
      [{ type: 'render', id: 'fm', source: 'cube(1);', format: 'png' }, 'unknown format', 'fm'],
      [{ type: 'render', id: 'op', source: 'cube(1);', options: 3 }, 'options as a number', 'op'],
      [{ type: 'render', id: 'ot', source: 'cube(1);', options: { timeoutMs: '10' } }, 'string timeout', 'ot'],
      [{ type: 'render', id: 'on', source: 'cube(1);', options: { fn: -1 } }, 'negative $fn', 'on'],
      [{ type: 'frobnicate', id: 'ty' }, 'unknown type', 'ty'],
      [{ type: 'cancel' }, 'cancel without id', null],
    ];
    for (const [msg, what, id] of cases) {
      w.box.length = 0;
      w.send(msg);
      const ans = await w.next((m) => m.type === 'error' && m.id === id, 5000).catch(() => null);
      assert.ok(ans, `${what}: no reply`);
      assert.equal(ans.ok, false, what);
      assert.equal(ans.error.kind, 'protocol', what);
      assert.equal(ans.id, id, what);
      assert.equal(typeof ans.error.message, 'string', what);
    }
    // a JSON-text request is accepted
    w.send(JSON.stringify({ type: 'render', id: 'json', source: 'cube(1);' }));
    const ok = await w.answer('json');
    assert.equal(ok.type, 'result');
  });
});
