// The demo server: files carry a validator, so a browser revalidating an unchanged file gets a
// 304 and keeps its cached copy (and, for the wasm module, Chromium's cached compiled code).

import { assert } from './util.mjs';

export const tests = [
  {
    name: 'server answers a revalidation of an unchanged file with 304',
    async run(ctx) {
      const url = ctx.baseUrl + 'facet-core.wasm';
      const a = await fetch(url);
      assert(a.status === 200, `status ${a.status}`);
      assert(a.headers.get('content-type') === 'application/wasm', a.headers.get('content-type'));
      const etag = a.headers.get('etag');
      const body = new Uint8Array(await a.arrayBuffer());
      assert(etag && body.length > 100000 && body[0] === 0 && body[1] === 0x61, `etag ${etag}, ${body.length} bytes`);
      const b = await fetch(url, { headers: { 'If-None-Match': etag } });
      assert(b.status === 304, `revalidation: status ${b.status}`);
      assert((await b.arrayBuffer()).byteLength === 0, '304 without a body');
      const c = await fetch(url, { headers: { 'If-None-Match': '"other"' } });
      assert(c.status === 200 && (await c.arrayBuffer()).byteLength === body.length, 'another validator gets the file');
    },
  },
];
