// A static file server for the demo page and the browser tests, bound to 127.0.0.1 only.
//   node web/serve.mjs [port]      (PORT env or 8000 by default; 0 picks a free port)
// Serves web/demo/ at /, and the built widget and its assets ($FACET_WEB_DIR, default
// build/web/) at the same root, with the right MIME type for .wasm so streaming compilation
// works.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const webDir = process.env.FACET_WEB_DIR ? path.resolve(process.env.FACET_WEB_DIR) : path.join(repo, 'build', 'web');
const ROOTS = [webDir, path.join(here, 'demo'), path.join(here, 'examples')];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.scad': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
};

export function startServer(port = 8000, host = '127.0.0.1') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    for (const root of ROOTS) {
      const file = path.join(root, path.normalize(rel));
      if (!file.startsWith(root + path.sep)) continue; // no escaping the roots
      let stat;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      if (!stat.isFile()) continue;
      // Revalidated on every use (no-cache) but with a validator, so an unchanged file is a
      // 304 and the browser keeps its cached copy, and with it what it cached alongside: for
      // facet-core.wasm, Chromium's compiled code (its wasm code cache).
      const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
      const headers = {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ETag: etag,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': stat.size });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || process.env.PORT || 8000);
  startServer(port).then((s) => {
    console.log(`Facet demo: http://127.0.0.1:${s.address().port}/`);
  });
}
