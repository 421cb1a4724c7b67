// Runs every web/tests/*.test.mjs against the demo server and one headless Chromium.
//   node web/tests/run.mjs [filter]     (env FACET_BUILD, FACET_WEB_DIR, FACET_CORPUS)
// Each test module exports `tests`: [{ name, run(ctx) }]; a test fails by throwing. Every
// request any page makes is recorded, and the last test checks that none left 127.0.0.1.
// Prints "N passed, M failed" and exits nonzero when something failed.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAll, buildDir, webDir } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] || '';

for (const f of ['facet-viewer.js', 'facet-core.wasm']) {
  if (!fs.existsSync(path.join(webDir, f))) {
    console.error(`${path.join(webDir, f)} is missing: run make web`);
    process.exit(1);
  }
}

const files = fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
const all = [];
for (const f of files) {
  const mod = await import(path.join(here, f));
  for (const t of mod.tests) all.push({ file: f, ...t });
}

const env = await startAll();
const requests = [];
env.context.on('request', (r) => requests.push(r.url()));
const artifacts = path.join(buildDir, 'test-artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const ctx = { ...env, requests, artifacts, buildDir, webDir };

let passed = 0;
let failed = 0;
const TEST_TIMEOUT_MS = 120000;
try {
  for (const t of all) {
    if (filter && !`${t.file} ${t.name}`.includes(filter)) continue;
    const t0 = Date.now();
    let timer;
    try {
      await Promise.race([
        t.run(ctx),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
        }),
      ]);
      passed++;
      console.log(`ok   ${t.file} › ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.file} › ${t.name}: ${e && e.stack ? e.stack : e}`);
    } finally {
      clearTimeout(timer);
      for (const p of env.context.pages()) await p.close().catch(() => {});
    }
  }
  // no page may have talked to anything but the local server (blob: and data: stay local)
  if (!filter) {
    const outside = requests.filter((u) => !/^(blob|data):/.test(u) && new URL(u).hostname !== '127.0.0.1');
    if (outside.length === 0 && requests.length > 0) {
      passed++;
      console.log(`ok   run.mjs › no request outside 127.0.0.1 (${requests.length} requests)`);
    } else {
      failed++;
      console.log(`FAIL run.mjs › requests outside 127.0.0.1: ${outside.slice(0, 10).join(' ')}`);
    }
  }
} finally {
  await env.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
