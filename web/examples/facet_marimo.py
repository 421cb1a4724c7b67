# A marimo notebook showing Facet's viewer as an anywidget.
#   make web && marimo edit web/examples/facet_marimo.py
# (pip install marimo anywidget). The widget renders in the browser, in a Web Worker;
# Python only sends the source and parameters and reads back the statistics.

import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import pathlib

    import anywidget
    import marimo as mo
    import traitlets

    return anywidget, mo, pathlib, traitlets


@app.cell
def _(anywidget, mo, pathlib, traitlets):
    # build/web, found from this notebook's folder (web/examples/ -> repository root)
    here = mo.notebook_dir() or pathlib.Path.cwd() / "web" / "examples"
    WEB = pathlib.Path(here).resolve().parents[1] / "build" / "web"

    class Facet(anywidget.AnyWidget):
        _esm = WEB / "facet-viewer.js"
        wasm = traitlets.Bytes((WEB / "facet-core.wasm").read_bytes()).tag(sync=True)
        fonts = traitlets.Bytes((WEB / "facet-fonts.bin").read_bytes()).tag(sync=True)
        source = traitlets.Unicode("cube(10);").tag(sync=True)
        params = traitlets.Dict().tag(sync=True)
        height = traitlets.Int(420).tag(sync=True)
        meta = traitlets.Dict(allow_none=True).tag(sync=True)
        error = traitlets.Dict(allow_none=True).tag(sync=True)

    return (Facet,)


@app.cell
def _(mo):
    mo.md("""# Facet in marimo
Move the sliders in the widget's own customizer panel, or the marimo slider below
(it drives the `params` trait from Python).""")
    return


@app.cell
def _(mo):
    teeth = mo.ui.slider(6, 40, value=18, label="teeth (from Python)")
    teeth
    return (teeth,)


@app.cell
def _(Facet, mo):
    SOURCE = """
/* [Gear] */
// Number of teeth
teeth = 18; // [6:1:40]
// Thickness
thickness = 5; // [1:0.5:20]
// Bore diameter
bore = 5; // [0:0.5:20]
/* [Hidden] */
$fn = 48;

module tooth(r) {
    translate([r, 0, 0]) cylinder(r1 = 2, r2 = 1.2, h = thickness, $fn = 3);
}
color("SteelBlue") difference() {
    union() {
        cylinder(r = teeth, h = thickness);
        for (i = [0 : teeth - 1]) rotate([0, 0, i * 360 / teeth]) tooth(teeth);
    }
    translate([0, 0, -1]) cylinder(d = bore, h = thickness + 2);
}
"""
    viewer = mo.ui.anywidget(Facet(source=SOURCE))
    viewer
    return (viewer,)


@app.cell
def _(teeth, viewer):
    viewer.widget.params = {**viewer.widget.params, "teeth": teeth.value}
    return


@app.cell
def _(mo, viewer):
    # viewer.value holds the synced traits; reading it re-runs this cell when they change
    m = viewer.value.get("meta") or {}
    e = viewer.value.get("error")
    mo.md(
        f"**error** {e['kind']} on line {e['line']}: {e['message']}"
        if e
        else f"{m.get('triangles', '…')} triangles, volume {m.get('volume', 0):.1f} mm³, "
        f"bounding box {m.get('bbox')}"
    )
    return


if __name__ == "__main__":
    app.run()
