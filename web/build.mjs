// Bundles the viewer: node web/build.mjs WASM_DIR OUT_FILE [--minify]
// WASM_DIR is `make wasm`'s output ($(BUILD)/wasm); its facet-worker.js (the emcc glue plus
// the worker, one self-contained classic script) is embedded as a string under the module
// name `facet:worker-source`, which web/src/runtime.js starts from a Blob URL. three.js and
// the client are bundled from node_modules and wasm/. The result is one ES module.

import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [wasmDir, outFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const minify = process.argv.includes('--minify');
if (!wasmDir || !outFile) {
  console.error('usage: node web/build.mjs WASM_DIR OUT_FILE [--minify]');
  process.exit(2);
}
const workerFile = path.resolve(wasmDir, 'facet-worker.js');
if (!fs.existsSync(workerFile)) {
  console.error(`${workerFile} is missing: run make wasm first`);
  process.exit(1);
}

const workerSource = {
  name: 'facet-worker-source',
  setup(build) {
    build.onResolve({ filter: /^facet:worker-source$/ }, () => ({ path: workerFile, namespace: 'facet-worker' }));
    build.onLoad({ filter: /.*/, namespace: 'facet-worker' }, () => ({
      contents: fs.readFileSync(workerFile, 'utf8'),
      loader: 'text',
    }));
  },
};

await esbuild.build({
  entryPoints: [path.join(here, 'src', 'index.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  outfile: outFile,
  minify,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [workerSource],
  banner: { js: '/* facet-viewer.js — Facet OpenSCAD viewer (three.js bundled, MIT). See web/README.md. */' },
});
