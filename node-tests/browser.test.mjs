// browser.test.mjs — the same client and worker in headless Chromium (playwright-core and
// Debian's /usr/bin/chromium; skipped when either is missing), on a page with a strict
// Content-Security-Policy (no 'unsafe-eval': only 'wasm-unsafe-eval', which any wasm needs):
// a pool started from the worker's URL, one started from a Blob URL, the font pack fetched
// on demand for text(), typed errors, and a cancelled render.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repo, wasmDir } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'";

const PAGE_SCRIPT = `
import { createFacet } from './facet-client.mjs';
const out = {};
try {
  const a = await createFacet({ workers: 1 });
  const r = await a.render('cube(2);');
  out.direct = { bytes: r.data.byteLength, volume: r.meta.volume };
  const t = await a.render('linear_extrude(1) text("A", size = 10);', { format: 'mesh' });
  out.text = { triangles: t.meta.triangles, log: t.log };
  try { await a.render('cube(1);\\nfoo(;'); } catch (e) { out.syntax = { kind: e.kind, line: e.line }; }
  const ac = new AbortController();
  const slow = a.render('function spin(n, acc = 0) = n <= 0 ? acc : spin(n - 1, acc + 1);\\necho(spin(2e9));', { signal: ac.signal, stepLimit: 1e15 });
  setTimeout(() => ac.abort(), 200);
  try { await slow; } catch (e) { out.cancel = e.kind; }
  out.afterCancel = (await a.render('cube(3);')).meta.volume;
  a.terminate();
  const text = await (await fetch('./facet-worker.js')).text();
  const blobUrl = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
  const b = await createFacet({ workers: 2, workerUrl: blobUrl });
  const rs = await Promise.all([1, 2, 3, 4].map((s) => b.render('sphere(' + s + ', $fn = 12);')));
  out.blob = rs.map((x) => x.meta.triangles);
  b.terminate();
} catch (e) {
  out.failure = String(e && e.stack || e);
}
window.__facet = out;
`;

test('client and worker in headless Chromium under a strict CSP', async (t) => {
  let chromium;
  try {
    ({ chromium } = createRequire(path.join(repo, 'package.json'))('playwright-core'));
  } catch (e) {
    t.skip('playwright-core is not installed (make deps-node)');
    return;
  }
  if (!fs.existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is missing (make deps-browser)`);
    return;
  }
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.html': 'text/html' };
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1) || 'index.html';
    let body;
    if (name === 'index.html') body = '<!doctype html><meta charset="utf-8"><script type="module" src="page.mjs"></script>';
    else if (name === 'page.mjs') body = PAGE_SCRIPT;
    else if (!name.includes('..') && fs.existsSync(path.join(wasmDir, name))) body = fs.readFileSync(path.join(wasmDir, name));
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(name)] || 'text/plain', 'Content-Security-Policy': CSP });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.__facet, null, { timeout: 60000 });
  const out = await page.evaluate(() => window.__facet);
  assert.equal(out.failure, undefined, out.failure);
  assert.deepEqual(out.direct, { bytes: 84 + 50 * 12, volume: 8 });
  assert.ok(out.text.triangles > 0, `text() drew nothing: ${JSON.stringify(out.text.log)}`);
  assert.deepEqual(out.syntax, { kind: 'syntax', line: 2 });
  assert.equal(out.cancel, 'cancelled');
  assert.equal(out.afterCancel, 27);
  assert.equal(out.blob.length, 4);
  for (const n of out.blob) assert.ok(n > 0);
  assert.deepEqual(problems.filter((p) => /Content Security Policy|EvalError|unsafe-eval/i.test(p)), []);
});
