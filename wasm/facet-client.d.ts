/* facet-client.d.ts — types of facet-client.mjs (the promise API over Facet render workers). */

/** Error kinds: the core's wire names (src/facet.h FACET_ERRORS) plus "protocol" for a
 * malformed request. */
export type FacetErrorKind =
  | 'syntax'
  | 'eval'
  | 'geometry'
  | 'memory_limit'
  | 'step_limit'
  | 'recursion_depth'
  | 'cancelled'
  | 'timeout'
  | 'io'
  | 'internal'
  | 'protocol';

export type FacetFormat =
  | 'binstl'
  | 'stl'
  | 'asciistl'
  | 'off'
  | 'obj'
  | '3mf'
  | 'svg'
  | 'dxf'
  | 'mesh'
  | 'none';

/** A customizer parameter value; becomes the OpenSCAD literal of the same value. */
export type FacetValue = number | boolean | string | null | FacetValue[];

export interface FacetProgress {
  /** "queued", "parse", "eval", "geometry" or "export" */
  stage: string;
  /** in [0, 1], or -1 when unknown */
  fraction: number;
}

export interface FacetMeta {
  ok: boolean;
  dim: number;
  triangles: number;
  vertices: number;
  contours: number;
  bbox: [[number, number, number], [number, number, number]];
  volume: number;
  area: number;
  manifold: boolean;
  genus: number;
  /** 3D, manifold, and every connected part encloses a positive volume (faces wound outward) */
  outward: boolean;
  ms: { parse: number; eval: number; geometry: number; export: number; total: number };
  cache: { hits: number; misses: number };
  peak_memory: number;
  format: FacetFormat;
  /** true when the answer came from the client's result cache */
  cached: boolean;
  /** ECHO/WARNING/... lines as OpenSCAD prints them */
  log: string[];
}

/** One customizer parameter as the core reports it (see src/lang customizer comments). */
export interface FacetParameter {
  name: string;
  [field: string]: unknown;
}

export interface FacetRenderResult {
  /** the exported bytes (a copy the caller owns) */
  data: ArrayBuffer;
  meta: FacetMeta;
  log: string[];
  parameters: FacetParameter[];
}

export interface FacetRenderOptions {
  /** name -> value overrides of top-level assignments (like OpenSCAD's -D) */
  params?: Record<string, FacetValue>;
  /** virtual files for include/use/import, by path relative to the main file */
  files?: Record<string, string | ArrayBuffer | ArrayBufferView>;
  /** name of the main file (messages, relative paths); default "<input>" */
  path?: string;
  /** default "binstl" */
  format?: FacetFormat;
  /** counted from the moment a worker takes the request */
  timeoutMs?: number;
  /** evaluation step limit (default 2e9) */
  stepLimit?: number;
  /** $fn, $fa, $fs unless params set them */
  fn?: number;
  fa?: number;
  fs?: number;
  /** the wire options object (fn, fa, fs, timeoutMs, stepLimit), merged with the above */
  options?: { fn?: number; fa?: number; fs?: number; timeoutMs?: number; stepLimit?: number };
  signal?: AbortSignal;
  /** "latest wins": a newer request with the same key supersedes this one */
  key?: string | number;
  onProgress?: (p: FacetProgress) => void;
  /** false bypasses the result cache */
  cache?: boolean;
}

export interface FacetOptions {
  /** pool size; default min(4, hardwareConcurrency). The first worker starts at once, the
   * others once it has answered a request (or a request has waited 300 ms for it). */
  workers?: number;
  /** where facet-core.wasm, facet-worker.js and facet-fonts.bin live; default beside
   * facet-client.mjs */
  baseUrl?: string;
  /** the worker script, e.g. a Blob URL; default baseUrl + "facet-worker.js" */
  workerUrl?: string;
  wasmUrl?: string;
  wasmModule?: WebAssembly.Module;
  fontsUrl?: string;
  /** result cache: entries (64) and bytes (64 MiB); 0 entries disables it */
  cacheEntries?: number;
  cacheBytes?: number;
  /** a superseded running render is terminated after this long (1500 ms) */
  supersedeKillMs?: number;
  /** how long past timeoutMs a silent worker is given before it is terminated (1000 ms) */
  killGraceMs?: number;
  /** bytes the core may hold (default 2 GiB - 64 MiB) */
  memoryLimit?: number;
}

export declare class FacetError extends Error {
  kind: FacetErrorKind;
  file: string;
  line: number;
  column: number;
  trace: string;
  log: string[];
}

export interface Facet {
  render(source: string, options?: FacetRenderOptions): Promise<FacetRenderResult>;
  parameters(
    source: string,
    options?: { path?: string; signal?: AbortSignal; key?: string | number; cache?: boolean }
  ): Promise<FacetParameter[]>;
  clearCache(): void;
  /** ends every worker; pending requests reject with kind "cancelled" */
  terminate(): void;
  readonly stats: { renders: number; cacheHits: number; workersStarted: number; workersReplaced: number };
}

export declare function createFacet(options?: FacetOptions): Promise<Facet>;
