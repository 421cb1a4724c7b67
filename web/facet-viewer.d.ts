/* facet-viewer.d.ts — types of facet-viewer.js (the Facet viewer: element, mount(), anywidget). */

import type { FacetMeta, FacetValue } from './facet-client';

export type { FacetMeta, FacetValue };

export type DownloadFormat = 'stl' | '3mf' | 'off';

export interface FacetViewerError {
  kind: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface ViewerOptions {
  /** OpenSCAD source */
  source?: string;
  /** name -> value overrides of top-level assignments (like -D) */
  params?: Record<string, FacetValue>;
  /** virtual files for include/use/import */
  files?: Record<string, string | ArrayBuffer | ArrayBufferView>;
  /** pixels or any CSS length (default 400) */
  height?: number | string;
  /** false hides the customizer panel */
  customizer?: boolean;
  /** download buttons to offer (default all) */
  formats?: DownloadFormat[];
  /** where facet-core.wasm and facet-fonts.bin live (default beside the script) */
  baseUrl?: string;
}

export interface RenderedDetail {
  meta: FacetMeta;
  log: string[];
  /** triangles drawn */
  triangles: number;
  /** from the change to the picture */
  ms: number;
}

export declare class FacetViewer extends EventTarget {
  constructor(el: HTMLElement, opts?: ViewerOptions);
  source: string;
  params: Record<string, FacetValue>;
  meta: FacetMeta | null;
  error: FacetViewerError | null;
  /** finished updates (renders and errors) */
  done: number;
  setSource(source: string, params?: Record<string, FacetValue>): Promise<void>;
  setParams(params: Record<string, FacetValue>): Promise<void>;
  setFiles(files: Record<string, string | ArrayBuffer | ArrayBufferView> | undefined): Promise<void>;
  setHeight(h: number | string): void;
  /** renders in `format`, saves the file and returns it */
  download(format?: DownloadFormat): Promise<Blob>;
  showError(err: FacetViewerError): void;
  destroy(): void;
}

export interface ViewerHandle {
  viewer: FacetViewer;
  setSource(source: string, params?: Record<string, FacetValue>): Promise<void>;
  setParams(params: Record<string, FacetValue>): Promise<void>;
  setFiles(files: Record<string, string | ArrayBuffer | ArrayBufferView> | undefined): Promise<void>;
  download(format?: DownloadFormat): Promise<Blob>;
  on(type: 'rendered', fn: (d: RenderedDetail) => void): void;
  on(type: 'error', fn: (e: FacetViewerError) => void): void;
  on(type: 'params', fn: (p: Record<string, FacetValue>) => void): void;
  destroy(): void;
}

export interface ViewerConfig {
  baseUrl?: string;
  wasmUrl?: string;
  fontsUrl?: string;
  /** facet-core.wasm's bytes, or the compiled module: no fetch */
  wasmBytes?: BufferSource;
  wasmModule?: WebAssembly.Module;
  /** render workers (default min(2, cores)) */
  workers?: number;
}

/** Mounts a viewer in `el`. */
export declare function mount(el: HTMLElement, opts?: ViewerOptions): ViewerHandle;

/** Sets where the wasm comes from; call before the first viewer renders. */
export declare function configure(options: ViewerConfig): ViewerConfig;

/** The anywidget module: traits source, params, height (and wasm, fonts, base_url) in;
 * meta, error, params out. Returns the cleanup function. */
declare const widget: {
  render(ctx: {
    model: {
      get(name: string): any;
      set(name: string, value: any): void;
      on(event: string, fn: () => void): void;
      off(event: string, fn: () => void): void;
      save_changes(): void;
    };
    el: HTMLElement;
  }): () => void;
};
export default widget;
