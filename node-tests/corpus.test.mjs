// corpus.test.mjs — the wasm build renders every example model of the corpus byte for byte
// like the native CLI (build/facet --export-format binstl): same C code, -ffp-contract=off
// on both sides. A model the CLI rejects must be rejected by the worker too.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildDir, corpusDir, exampleModels, libraryFiles, loadClient, siblingFiles } from './helpers.mjs';

const cli = path.join(buildDir, 'facet');
// FACET_CORPUS_MODELS=Basics,Old/example00 restricts the run to models whose path contains
// one of the comma-separated strings (for quick local runs; make test runs them all).
const only = process.env.FACET_CORPUS_MODELS ? process.env.FACET_CORPUS_MODELS.split(',') : null;
const models = exampleModels().filter((m) => !only || only.some((s) => m.includes(s)));

function nativeRender(model, out) {
  const r = spawnSync(cli, ['--export-format', 'binstl', '-o', out, model], {
    cwd: path.dirname(model),
    encoding: 'utf8',
    timeout: 600000,
  });
  return { status: r.status, stderr: r.stderr || '' };
}

test('byte-identical output with the native CLI for every example model', async (t) => {
  if (!fs.existsSync(cli)) {
    t.skip(`native CLI ${cli} is not built (make ${path.relative(process.cwd(), cli)}); comparison skipped`);
    return;
  }
  assert.ok(models.length > 0, `no example models under ${corpusDir}/examples`);
  const { createFacet } = await loadClient();
  const facet = await createFacet({ workers: 2, cacheEntries: 0 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-corpus-'));
  t.after(() => {
    facet.terminate();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const rel = (m) => path.relative(path.join(corpusDir, 'examples'), m);
  // wasm renders run two at a time while the CLI renders one after another
  const pending = models.map((m) =>
    facet
      .render(fs.readFileSync(m, 'utf8'), { path: path.basename(m), files: Object.assign(libraryFiles(m), siblingFiles(m)), format: 'binstl' })
      .then((r) => ({ ok: true, r }), (e) => ({ ok: false, e }))
  );
  for (let i = 0; i < models.length; i++) {
    const m = models[i];
    await t.test(rel(m), async (st) => {
      const out = path.join(tmp, `${i}.stl`);
      const t0 = performance.now();
      const nat = nativeRender(m, out);
      const t1 = performance.now();
      const w = await pending[i];
      st.diagnostic(`native ${(t1 - t0).toFixed(0)} ms; wasm ${w.ok ? 'ok' : w.e.kind}`);
      if (nat.status !== 0 || !fs.existsSync(out)) {
        assert.equal(w.ok, false, `the CLI failed (${nat.stderr.trim().split('\n').pop()}) but the wasm rendered`);
        return;
      }
      assert.ok(w.ok, `the CLI rendered but the wasm failed: ${w.e && w.e.kind}: ${w.e && w.e.message}`);
      const a = new Uint8Array(fs.readFileSync(out));
      const b = new Uint8Array(w.r.data);
      assert.equal(b.length, a.length, 'size');
      assert.ok(Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0, 'bytes differ');
    });
  }
});
