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

export class FacetScene {
  constructor(container) {
    this.container = container;
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.domElement.className = 'facet-canvas';
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
  }

  requestDraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      if (!this.pending) return; // drawNow() already drew this state
      this.pending = false;
      this.renderer.render(this.scene, this.camera);
    });
  }

  /** Draws synchronously (a new mesh shows in the next frame; tests read pixels right after).
   * A draw already requested for this frame is dropped: one draw per change. */
  drawNow() {
    this.pending = false;
    this.renderer.render(this.scene, this.camera);
  }

  resize() {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.requestDraw();
  }

  setTheme(name) {
    this.themeName = name === 'dark' ? 'dark' : 'light';
    const t = THEMES[this.themeName];
    this.renderer.setClearColor(t.background, 1);
    if (this.edges) this.edges.material.color.setHex(t.edges);
    this.rebuildGrid();
    this.requestDraw();
  }

  rebuildGrid() {
    if (this.grid) {
      this.scene.remove(this.grid);
      this.grid.geometry.dispose();
      this.grid.material.dispose();
    }
    const t = THEMES[this.themeName];
    // grid sized to the model: a power of ten per cell, about 20 cells across
    const extent = this.bounds ? Math.max(this.bounds.size.x, this.bounds.size.y, 1) : 100;
    const cell = Math.pow(10, Math.floor(Math.log10(extent / 2)));
    const divisions = 20;
    this.grid = new THREE.GridHelper(cell * divisions, divisions, t.gridMajor, t.grid);
    this.grid.rotation.x = Math.PI / 2; // GridHelper lies in XZ; OpenSCAD's ground is XY
    if (this.bounds) this.grid.position.set(0, 0, Math.min(0, this.bounds.min.z));
    this.scene.add(this.grid);
    this.axes.scale.setScalar(cell * 2);
  }

  /** Replaces the model with the mesh in `buffer` (FMSH). Returns {triangles, vertices}. */
  setMesh(buffer) {
    const m = decodeMesh(buffer);
    const tri = m.nt;
    const pos = new Float32Array(tri * 9);
    let anyColor = false;
    let anyAlpha = false;
    for (let t = 0; t < tri; t++) {
      if (m.colors[t] !== 0) {
        anyColor = true;
        if ((m.colors[t] & 0xff) !== 0xff) anyAlpha = true;
      }
      for (let k = 0; k < 3; k++) {
        const v = m.indices[3 * t + k];
        pos[9 * t + 3 * k] = m.positions[3 * v];
        pos[9 * t + 3 * k + 1] = m.positions[3 * v + 1];
        pos[9 * t + 3 * k + 2] = m.positions[3 * v + 2];
      }
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    geometry.computeVertexNormals(); // non-indexed: per-face normals, flat shading
    if (anyColor) {
      const size = anyAlpha ? 4 : 3;
      const col = new Float32Array(tri * 3 * size);
      const def = new THREE.Color(DEFAULT_COLOR);
      for (let t = 0; t < tri; t++) {
        const c = m.colors[t];
        const r = c ? ((c >>> 24) & 0xff) / 255 : def.r;
        const g = c ? ((c >>> 16) & 0xff) / 255 : def.g;
        const b = c ? ((c >>> 8) & 0xff) / 255 : def.b;
        const a = c ? (c & 0xff) / 255 : 1;
        for (let k = 0; k < 3; k++) {
          const o = (3 * t + k) * size;
          col[o] = r;
          col[o + 1] = g;
          col[o + 2] = b;
          if (size === 4) col[o + 3] = a;
        }
      }
      geometry.setAttribute('color', new THREE.BufferAttribute(col, size));
    }
    const material = new THREE.MeshStandardMaterial({
      color: anyColor ? 0xffffff : DEFAULT_COLOR,
      vertexColors: anyColor,
      transparent: anyAlpha,
      flatShading: true,
      metalness: 0.05,
      roughness: 0.65,
      side: THREE.DoubleSide,
      polygonOffset: true, // keeps the edge overlay visible on top of the faces
      polygonOffsetFactor: 1,
      polygonOffsetUnits: 1,
    });
    this.clearModel();
    this.model = new THREE.Mesh(geometry, material);
    this.scene.add(this.model);
    geometry.computeBoundingBox();
    const box = geometry.boundingBox;
    const first = this.bounds === null;
    this.bounds = tri > 0 ? { min: box.min.clone(), max: box.max.clone(), size: box.getSize(new THREE.Vector3()) } : null;
    if (this.showEdges) this.buildEdges();
    this.rebuildGrid();
    if (first && this.bounds) this.fit();
    this.requestDraw();
    return { triangles: tri, vertices: m.nv };
  }

  clearModel() {
    if (this.model) {
      this.scene.remove(this.model);
      this.model.geometry.dispose();
      this.model.material.dispose();
      this.model = null;
    }
    if (this.edges) {
      this.scene.remove(this.edges);
      this.edges.geometry.dispose();
      this.edges.material.dispose();
      this.edges = null;
    }
  }

  buildEdges() {
    if (!this.model) return;
    const geo = new THREE.EdgesGeometry(this.model.geometry, 25);
    const mat = new THREE.LineBasicMaterial({ color: THEMES[this.themeName].edges });
    this.edges = new THREE.LineSegments(geo, mat);
    this.scene.add(this.edges);
  }

  setEdges(on) {
    this.showEdges = !!on;
    if (this.edges) {
      this.scene.remove(this.edges);
      this.edges.geometry.dispose();
      this.edges.material.dispose();
      this.edges = null;
    }
    if (this.showEdges) this.buildEdges();
    this.requestDraw();
  }

  /** Frames the model: the whole bounding sphere fits the view from OpenSCAD's default angle. */
  fit() {
    if (!this.bounds) return;
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
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.clearModel();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
