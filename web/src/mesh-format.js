// Decoder for the core's "mesh" export format (see FACET_FORMAT_MESH in src/facet.h):
// "FMSH", u32 version, u32 nv, u32 nt, f32 pos[3nv], u32 index[3nt], u32 color[nt].
// Little-endian throughout; every section is 4-byte aligned, so typed arrays can view the
// transferred buffer directly when the platform is little-endian (all browsers we target).

export function decodeMesh(buffer) {
  const view = new DataView(buffer);
  if (buffer.byteLength < 16) throw new Error('mesh buffer too short');
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== 'FMSH') throw new Error(`not a Facet mesh buffer (magic ${JSON.stringify(magic)})`);
  const version = view.getUint32(4, true);
  if (version !== 1) throw new Error(`unsupported mesh version ${version}`);
  const nv = view.getUint32(8, true);
  const nt = view.getUint32(12, true);
  const need = 16 + 12 * nv + 12 * nt + 4 * nt;
  if (buffer.byteLength < need) throw new Error('mesh buffer truncated');
  let off = 16;
  const positions = new Float32Array(buffer, off, 3 * nv);
  off += 12 * nv;
  const indices = new Uint32Array(buffer, off, 3 * nt);
  off += 12 * nt;
  const colors = new Uint32Array(buffer, off, nt);
  return { nv, nt, positions, indices, colors };
}
