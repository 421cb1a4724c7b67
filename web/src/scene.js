// The 3D view: a three.js scene with a Z-up camera (OpenSCAD's convention), orbit/pan/zoom,
// a ground grid and axes, an edge overlay, per-triangle colors from color(), light and dark
// themes. It draws only when something changed (camera moved, mesh replaced, resized, theme
// switched), never in a free-running loop, so an idle notebook costs nothing.

import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { decodeMesh } from './mesh-format.js';

const DEFAULT_COLOR = 0xf9d72c; // OpenSCAD's default face color
const THEMES = {
  light: { background: 0xf5f5f2, grid: 0xb8b8b8, gridMajor: 0x8a8a8a, edges: 0x222222 },
  dark: { background: 0x1d1f21, grid: 0x3a3d40, gridMajor: 0x5a5e62, edges: 0xdddddd },
};

let software = null;

const isSoftware = (gl) => {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
};

/** The renderer, antialiased unless WebGL runs on a CPU rasterizer (SwiftShader, llvmpipe:
 * headless browsers, VMs, blocklisted GPUs), where multisampling costs more than everything
 * else in a redraw (a slider step took ~4x longer with it). Antialias cannot change once a
 * context exists and the rasterizer is known only from a context, so the first viewer of a
 * page makes a plain context and keeps it on a software rasterizer (where making a context
 * costs ~15 ms of main thread), or replaces it by an antialiased one; later viewers know. */
function makeRenderer() {
  const attrs = { alpha: false, depth: true, stencil: false, premultipliedAlpha: true, preserveDrawingBuffer: true };
  let canvas = document.createElement('canvas');
  let gl = null;
  if (software !== false) {
    gl = canvas.getContext('webgl2', { ...attrs, antialias: false });
    try {
      software = !!gl && isSoftware(gl);
    } catch (e) {
      software = false; // no answer: keep the default (antialiased)
    }
  }
  if (!software) {
    if (gl) {
      const lose = gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
      canvas = document.createElement('canvas');
    }
    gl = canvas.getContext('webgl2', { ...attrs, antialias: true });
  }
  // without a context three.js reports WebGL as unavailable itself
  return new THREE.WebGLRenderer(gl ? { canvas, context: gl, preserveDrawingBuffer: true } : { preserveDrawingBuffer: true });
}

export class FacetScene {
  constructor(container) {
    this.container = container;
    this.renderer = makeRenderer();
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.domElement.className = 'facet-canvas';
    // Nothing is drawn (and the canvas stays hidden) until the viewer has a first result to
    // show: drawing the empty grid at once cost the page's main thread ~30-50 ms under software
    // WebGL (shader compilation and a read-back) just while it had to start the render worker.
    this.revealed = false;
    this.renderer.domElement.style.visibility = 'hidden';
    container.appendChild(this.renderer.domElement);

    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(35, 1, 0.01, 1e7);
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(60, -80, 60);

    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x404040, 1.6));
    const key = new THREE.DirectionalLight(0xffffff, 1.6);
    key.position.set(1, -1.5, 2);
    this.camera.add(key); // the key light follows the camera so every side is lit
    const fill = new THREE.DirectionalLight(0xffffff, 0.5);
    fill.position.set(-1, 1, -0.5);
    this.camera.add(fill);
    this.scene.add(this.camera);

    this.axes = new THREE.AxesHelper(10);
    this.scene.add(this.axes);
    this.grid = null;
    this.gridKey = null;
    this.materials = {};
    this.edgeMaterial = null;
    this.timings = null;
    this.model = null;
    this.edges = null;
    this.showEdges = false;
    this.themeName = 'light';
    this.bounds = null;

    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.screenSpacePanning = true;
    this.controls.addEventListener('change', () => this.requestDraw());
    this.renderer.domElement.addEventListener('dblclick', () => this.fit());

    this.pending = false;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.setTheme('light');
    this.resize();
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 50));
    idle(() => this.precompile(), { timeout: 200 });
  }

  /** Builds the shader programs of the grid, the axes and an opaque closed model (plain and
   * with color()) while the page waits for its first result: three.js assembles them on the
   * main thread (~15-20 ms of the first picture's draw, measured in Chromium) and the GPU
   * compiles them meanwhile. A 2D or open result builds its two-sided program when it comes. */
  precompile() {
    if (this.model || this.disposed) return;
    const probes = [false, true].map((colored) => {
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(9), 3));
      if (colored) geometry.setAttribute('color', new THREE.BufferAttribute(new Float32Array(9), 3));
      const probe = new THREE.Mesh(geometry, this.meshMaterial(colored, false, true));
      this.scene.add(probe);
      return probe;
    });
    try {
      this.renderer.compile(this.scene, this.camera);
      this.flush();
    } finally {
      for (const probe of probes) {
        this.scene.remove(probe);
        probe.geometry.dispose();
      }
    }
  }

  requestDraw() {
    if (this.pending || !this.revealed) return;
    this.pending = true;
    requestAnimationFrame(() => {
      if (!this.pending) return; // drawNow() already drew this state
      this.pending = false;
      this.renderer.render(this.scene, this.camera);
      this.flush();
    });
  }

  /** Draws synchronously (a new mesh shows in the next frame; tests read pixels right after).
   * A draw already requested for this frame is dropped: one draw per change. */
  drawNow() {
    this.reveal(false);
    this.pending = false;
    this.renderer.render(this.scene, this.camera);
    this.flush();
  }

  /** Starts the GPU on the draw just issued. Chromium otherwise leaves the commands queued
   * until the page composites its next frame; with a software rasterizer (which composites in
   * software and reads the canvas back) that frame then waits the whole draw, ~10-20 ms, on the
   * main thread. A plain flush() is not enough: ANGLE defers it to the end of the render pass
   * (measured: readback after 40 ms idle 8-10 ms with flush(), <1 ms with the fence). A fence
   * makes it submit now, so the draw runs while the page waits for that frame. */
  flush() {
    const gl = this.renderer.getContext();
    if (typeof gl.fenceSync === 'function') {
      const fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
      gl.flush();
      if (fence) gl.deleteSync(fence);
    } else gl.flush();
  }

  /** Shows the view from now on (the first result, or an error or nothing to show). */
  reveal(draw = true) {
    if (this.revealed) return;
    this.revealed = true;
    this.renderer.domElement.style.visibility = '';
    if (draw) this.requestDraw();
  }

  resize() {
    this.syncSize();
    this.requestDraw();
  }

  /** Matches the canvas and the camera's aspect to the container's size now. */
  syncSize() {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    if (w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }

  setTheme(name) {
    this.themeName = name === 'dark' ? 'dark' : 'light';
    const t = THEMES[this.themeName];
    this.renderer.setClearColor(t.background, 1);
    if (this.edgeMaterial) this.edgeMaterial.color.setHex(t.edges);
    this.gridKey = null; // new colors
    this.rebuildGrid();
    this.requestDraw();
  }

  /** Sizes the grid to the model: rebuilt only when its cell size or the theme changes. */
  rebuildGrid() {
    const t = THEMES[this.themeName];
    // a power of ten per cell, about 20 cells across
    const extent = this.bounds ? Math.max(this.bounds.size.x, this.bounds.size.y, 1) : 100;
    const cell = Math.pow(10, Math.floor(Math.log10(extent / 2)));
    const divisions = 20;
    const key = `${this.themeName} ${cell}`;
    if (this.gridKey !== key) {
      if (this.grid) {
        this.scene.remove(this.grid);
        this.grid.geometry.dispose();
        this.grid.material.dispose();
      }
      this.grid = new THREE.GridHelper(cell * divisions, divisions, t.gridMajor, t.grid);
      this.grid.rotation.x = Math.PI / 2; // GridHelper lies in XZ; OpenSCAD's ground is XY
      this.scene.add(this.grid);
      this.axes.scale.setScalar(cell * 2);
      this.gridKey = key;
    }
    this.grid.position.set(0, 0, this.bounds ? Math.min(0, this.bounds.min.z) : 0);
  }

  /** Replaces the model with the mesh in `buffer` (FMSH). Returns {triangles, vertices}.
   * A slider drag replaces the mesh dozens of times, so the expensive parts are kept: the
   * materials live as long as the scene (a new material would make three.js rebuild its
   * shader program, which costs far more than the mesh itself under software WebGL), the
   * geometry and its GPU buffers are rewritten in place while the new mesh fits, and the
   * grid is rebuilt only when its cell size changes. `this.timings` keeps the last costs. */
  setMesh(buffer, closed = false) {
    const t0 = performance.now();
    const m = decodeMesh(buffer);
    const tri = m.nt;
    let anyColor = false;
    let anyAlpha = false;
    for (let t = 0; t < tri; t++) {
      const c = m.colors[t];
      if (c !== 0) {
        anyColor = true;
        if ((c & 0xff) !== 0xff) anyAlpha = true;
      }
    }
    const colorSize = anyColor ? (anyAlpha ? 4 : 3) : 0;
    const geometry = this.meshGeometry(tri, colorSize);
    const pos = geometry.attributes.position.array;
    const ix = m.indices;
    const vp = m.positions;
    // un-indexed (three vertices per triangle) so flat shading gives each face its own normal;
    // the material's flatShading derives that normal in the fragment shader, so no normal
    // attribute is computed or uploaded. The bounds come from the same pass.
    let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity;
    for (let i = 0, o = 0, n = 3 * tri; i < n; i++, o += 3) {
      const v = 3 * ix[i];
      const x = vp[v], y = vp[v + 1], z = vp[v + 2];
      pos[o] = x;
      pos[o + 1] = y;
      pos[o + 2] = z;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    if (colorSize) {
      const col = geometry.attributes.color.array;
      const def = new THREE.Color(DEFAULT_COLOR);
      for (let t = 0; t < tri; t++) {
        const c = m.colors[t];
        const r = c ? ((c >>> 24) & 0xff) / 255 : def.r;
        const g = c ? ((c >>> 16) & 0xff) / 255 : def.g;
        const b = c ? ((c >>> 8) & 0xff) / 255 : def.b;
        const a = c ? (c & 0xff) / 255 : 1;
        for (let k = 0; k < 3; k++) {
          const o = (3 * t + k) * colorSize;
          col[o] = r;
          col[o + 1] = g;
          col[o + 2] = b;
          if (colorSize === 4) col[o + 3] = a;
        }
      }
      this.markUpdated(geometry.attributes.color, 3 * tri * colorSize);
    }
    this.markUpdated(geometry.attributes.position, 9 * tri);
    geometry.setDrawRange(0, 3 * tri);
    const first = this.bounds === null;
    if (tri > 0) {
      const min = new THREE.Vector3(x0, y0, z0);
      const max = new THREE.Vector3(x1, y1, z1);
      // set by hand: three's computeBounding*() would scan the whole (larger) buffer
      geometry.boundingBox = new THREE.Box3(min.clone(), max.clone());
      geometry.boundingSphere = geometry.boundingBox.getBoundingSphere(new THREE.Sphere());
      this.bounds = { min, max, size: max.clone().sub(min) };
    } else {
      geometry.boundingBox = new THREE.Box3();
      geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 0);
      this.bounds = null;
    }
    this.model.material = this.meshMaterial(anyColor, anyAlpha, closed && !anyAlpha);
    const t1 = performance.now();
    this.dropEdges();
    if (this.showEdges) this.buildEdges();
    this.rebuildGrid();
    if (first && this.bounds) this.fit();
    this.requestDraw();
    this.timings = { mesh: t1 - t0, edges: performance.now() - t1 };
    return { triangles: tri, vertices: m.nv };
  }

  /** The model's geometry, able to hold `tri` triangles with `colorSize` color components
   * per vertex (0: none): the current one when it fits, else a new one with room to grow. */
  meshGeometry(tri, colorSize) {
    const cur = this.model && this.model.geometry;
    const cap = cur ? cur.attributes.position.count / 3 : -1;
    const curColor = cur && cur.attributes.color ? cur.attributes.color.itemSize : 0;
    if (cur && tri <= cap && curColor === colorSize && (tri === cap || tri * 4 >= cap)) return cur;
    const room = Math.max(1, Math.ceil(tri * 1.25));
    const geometry = new THREE.BufferGeometry();
    const pos = new THREE.BufferAttribute(new Float32Array(room * 9), 3);
    pos.setUsage(THREE.DynamicDrawUsage);
    geometry.setAttribute('position', pos);
    if (colorSize) {
      const col = new THREE.BufferAttribute(new Float32Array(room * 3 * colorSize), colorSize);
      col.setUsage(THREE.DynamicDrawUsage);
      geometry.setAttribute('color', col);
    }
    if (this.model) {
      this.model.geometry.dispose();
      this.model.geometry = geometry;
    } else {
      this.model = new THREE.Mesh(geometry, this.meshMaterial(false, false));
      this.scene.add(this.model);
    }
    return geometry;
  }

  /** Uploads only the first `n` floats of `attr` (the rest is beyond the draw range). */
  markUpdated(attr, n) {
    attr.clearUpdateRanges();
    if (n > 0) attr.addUpdateRange(0, n);
    attr.needsUpdate = true;
  }

  /** One material per color layout, made once: switching between them reuses compiled programs.
   * Diffuse (Lambert) flat shading, as OpenSCAD's own view has: on a software rasterizer the
   * fragment shader is most of a redraw, and the physically based material's shader made a
   * candleStand frame take ~1.7x longer (SwiftShader, 455x650: ~18 ms against ~11) for a faint
   * specular highlight.
   * `closed`: the mesh is a closed, outward-oriented solid, so no back face can be seen from
   * outside and the rasterizer skips them (half the triangles); anything else (a 2D result, an
   * open or inside-out polyhedron, see-through parts) is drawn from both sides. */
  meshMaterial(anyColor, anyAlpha, closed = false) {
    const k = `${anyColor ? 1 : 0}${anyAlpha ? 1 : 0}${closed ? 1 : 0}`;
    if (!this.materials[k])
      this.materials[k] = new THREE.MeshLambertMaterial({
        color: anyColor ? 0xffffff : DEFAULT_COLOR,
        vertexColors: anyColor,
        transparent: anyAlpha,
        flatShading: true,
        side: closed ? THREE.FrontSide : THREE.DoubleSide,
        polygonOffset: true, // keeps the edge overlay visible on top of the faces
        polygonOffsetFactor: 1,
        polygonOffsetUnits: 1,
      });
    return this.materials[k];
  }

  clearModel() {
    if (this.model) {
      this.scene.remove(this.model);
      this.model.geometry.dispose();
      this.model = null;
    }
    this.dropEdges();
  }

  dropEdges() {
    if (this.edges) {
      this.scene.remove(this.edges);
      this.edges.geometry.dispose();
      this.edges = null;
    }
  }

  /** The feature-edge overlay, computed only while the edges toggle is on. */
  buildEdges() {
    if (!this.model || !this.bounds) return;
    // EdgesGeometry reads the whole position buffer: hand it just the drawn triangles
    const src = this.model.geometry;
    const n = src.drawRange.count;
    const view = new THREE.BufferGeometry();
    view.setAttribute('position', new THREE.BufferAttribute(src.attributes.position.array.subarray(0, 3 * n), 3));
    const geo = new THREE.EdgesGeometry(view, 25);
    if (!this.edgeMaterial) this.edgeMaterial = new THREE.LineBasicMaterial({ color: THEMES[this.themeName].edges });
    this.edges = new THREE.LineSegments(geo, this.edgeMaterial);
    this.scene.add(this.edges);
  }

  setEdges(on) {
    this.showEdges = !!on;
    this.dropEdges();
    if (this.showEdges) this.buildEdges();
    this.requestDraw();
  }

  /** Frames the model: the whole bounding sphere fits the view from OpenSCAD's default angle. */
  fit() {
    if (!this.bounds) return;
    // The resize observer reports a layout change (e.g. the customizer panel just built) only
    // at the next frame; the framing must use the size the picture will be drawn at.
    this.syncSize();
    const center = this.bounds.min.clone().add(this.bounds.max).multiplyScalar(0.5);
    const radius = Math.max(this.bounds.size.length() / 2, 1e-3);
    const fov = (this.camera.fov * Math.PI) / 180;
    const dist = (radius / Math.sin(Math.min(fov, fov * this.camera.aspect) / 2)) * 1.05;
    const dir = new THREE.Vector3(1, -1.4, 0.9).normalize();
    this.camera.position.copy(center).addScaledVector(dir, dist);
    this.camera.near = dist / 1000;
    this.camera.far = dist * 100;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(center);
    this.controls.update();
    this.requestDraw();
  }

  dispose() {
    this.disposed = true;
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.clearModel();
    for (const mat of Object.values(this.materials)) mat.dispose();
    if (this.edgeMaterial) this.edgeMaterial.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
