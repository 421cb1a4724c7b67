// Styles of the viewer, scoped to its shadow root so notebook pages cannot restyle it and it
// cannot restyle them. Colors come from CSS variables switched by the `dark` class.
export const STYLES = `
:host, .facet-root { all: initial; }
.facet-root {
  --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --accent: #0969da;
  --panel: #f6f8fa; --error-bg: rgba(255, 235, 233, 0.96); --error-fg: #82071e;
  display: flex; flex-direction: column; box-sizing: border-box; width: 100%;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); border: 1px solid var(--border); border-radius: 6px; overflow: hidden;
}
.facet-root.dark {
  --bg: #16181a; --fg: #e6edf3; --muted: #8d96a0; --border: #30363d; --accent: #4493f8;
  --panel: #1f2328; --error-bg: rgba(60, 20, 24, 0.95); --error-fg: #ffa198;
}
.facet-toolbar { display: flex; align-items: center; gap: 6px; padding: 4px 8px;
  border-bottom: 1px solid var(--border); background: var(--panel); min-height: 28px; }
.facet-status { flex: 1; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.facet-toolbar button, .facet-toolbar label { font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 4px; padding: 2px 8px; cursor: pointer; }
.facet-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.facet-toolbar button:hover { border-color: var(--accent); }
.facet-spinner { width: 12px; height: 12px; border: 2px solid var(--border); border-top-color: var(--accent);
  border-radius: 50%; visibility: hidden; }
.facet-root.busy .facet-spinner { visibility: visible; }
.facet-root.busy.slow .facet-spinner { animation: facet-spin 0.8s linear infinite; }
@keyframes facet-spin { to { transform: rotate(360deg); } }
.facet-body { display: flex; min-height: 0; }
.facet-stage { position: relative; flex: 1; min-width: 0; overflow: hidden; }
.facet-progress { position: absolute; left: 0; top: 0; height: 3px; width: 100%; background: var(--accent);
  opacity: 0; transform: scaleX(0); transform-origin: 0 0; transition: transform 0.1s linear; z-index: 1;
  pointer-events: none; }
.facet-root.busy.slow .facet-progress { opacity: 1; }
.facet-root.busy.slow .facet-progress.indeterminate { width: 30%; animation: facet-slide 1s ease-in-out infinite; }
@keyframes facet-slide { from { transform: translateX(-100%); } to { transform: translateX(333%); } }
.facet-canvas { display: block; width: 100%; height: 100%; outline: none; }
.facet-error { position: absolute; left: 8px; right: 8px; bottom: 8px; padding: 8px 10px; border-radius: 4px;
  background: var(--error-bg); color: var(--error-fg); font-family: ui-monospace, monospace; font-size: 12px;
  white-space: pre-wrap; max-height: 50%; overflow: auto; }
.facet-error[hidden], .facet-panel[hidden] { display: none; }
.facet-panel { width: 260px; max-width: 45%; overflow: auto; border-left: 1px solid var(--border);
  background: var(--panel); padding: 4px 8px; box-sizing: border-box; }
.facet-group summary { font-weight: 600; cursor: pointer; padding: 4px 0; }
.facet-param { margin: 4px 0 8px; }
.facet-param-name { display: block; font-size: 12px; color: var(--fg); margin-bottom: 2px; }
.facet-param-hint { font-size: 11px; color: var(--muted); }
.facet-param-input { display: flex; gap: 6px; align-items: center; }
.facet-param-input input[type=range] { flex: 1; min-width: 60px; }
.facet-param input[type=number] { width: 70px; }
.facet-param input, .facet-param select { font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 3px; }
.facet-param-vector { display: flex; gap: 4px; flex-wrap: wrap; }
`;
