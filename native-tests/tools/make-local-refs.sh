#!/bin/sh
# make-local-refs.sh — regenerates native-tests/data/conformance/examples-local-fonts.tsv, the
# OpenSCAD references for the corpus examples that call text(), rendered with THIS machine's
# fonts (Debian's fonts-liberation2, the fonts Facet's font pack holds).
#
#   sh native-tests/tools/make-local-refs.sh [CORPUS] > native-tests/data/conformance/examples-local-fonts.tsv
#
# Why: the corpus's examples.tsv was made on a machine whose "Liberation Sans" was another
# font build, so every text() model differs there by up to ~5% whatever the renderer does.
# The references are made the way examples.tsv was (corpus README): `openscad --export-format
# binstl -o out.stl model.scad`, volume, area and bbox summed in double precision over the
# float32 triangles of the binary STL; for a 2D model `openscad -o out.dxf model.scad`, the
# shoelace area and the bbox of the DXF's LINE coordinates as written (six digits).
# Needs /usr/bin/openscad (2021.01) and python3; not run by `make test`.

set -eu
CORPUS=${1:-/work/shared/corpus}
OPENSCAD=${OPENSCAD:-openscad}
TSV="$CORPUS/examples.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

osver=$("$OPENSCAD" --version 2>&1 | head -n 1)
debver=$(dpkg-query -W -f '${Version}' openscad 2>/dev/null || echo unknown)
fontver=$(dpkg-query -W -f '${Version}' fonts-liberation2 2>/dev/null || echo unknown)
fontfile=$(fc-match -f '%{file}' 'Liberation Sans' 2>/dev/null || echo unknown)

cat <<EOF
# OpenSCAD references for the corpus examples that call text(), made with this machine's fonts
# by native-tests/tools/make-local-refs.sh (regenerate with it; it needs openscad).
# Renderer: $(command -v "$OPENSCAD") = $osver (Debian package openscad $debver).
# Fonts: Debian fonts-liberation2 $fontver (fontconfig resolves "Liberation Sans" to
# $fontfile), the fonts Facet's font pack holds.
# Why: examples.tsv's references were made on a machine with other fonts, so text models
# differ there by up to ~5% for any renderer; conformance-geometry.sh compares text models
# with these at 1% relative (text outlines are curves flattened differently) and prints the
# upstream numbers for information.
# How: 3D 'openscad --export-format binstl -o out.stl model.scad', volume/area/bbox summed in
# double over the float32 triangles; 2D 'openscad -o out.dxf model.scad', shoelace area and
# bbox of the DXF LINE coordinates as written. Same method as examples.tsv (corpus README).
# Columns: relpath dim triangles volume area bbox_min bbox_max closed area2d (2D: volume,
# area, triangles and closed are "-"; 3D: area2d is "-").
EOF

awk -F'\t' 'NR > 1 && $2 == 1 { print $1 "\t" $13 }' "$TSV" | while IFS='	' read -r rel dim; do
    # a call of text() outside comments
    sed 's://.*::' "$CORPUS/$rel" | grep -q 'text *(' || continue
    if [ "$dim" = 2 ]; then
        "$OPENSCAD" -o "$tmp/out.dxf" "$CORPUS/$rel" >/dev/null 2>&1
        python3 - "$rel" "$tmp/out.dxf" <<'PY'
import sys
rel, path = sys.argv[1], sys.argv[2]
lines = [l.strip() for l in open(path)]
pts = []
area = 0.0
cur = {}
for i in range(0, len(lines) - 1):
    code = lines[i]
    if code in ("10", "20", "11", "21") and i % 2 == 0:
        cur[code] = float(lines[i + 1])
        if code == "21":
            x1, y1, x2, y2 = cur["10"], cur["20"], cur["11"], cur["21"]
            area += (x1 * y2 - x2 * y1) / 2
            pts += [(x1, y1), (x2, y2)]
            cur = {}
lo = ",".join(repr(min(p[k] for p in pts)) for k in (0, 1)) + ",0.0"
hi = ",".join(repr(max(p[k] for p in pts)) for k in (0, 1)) + ",0.0"
print("\t".join([rel, "2", "-", "-", "-", lo, hi, "-", repr(area)]))
PY
    else
        "$OPENSCAD" --export-format binstl -o "$tmp/out.stl" "$CORPUS/$rel" >/dev/null 2>&1
        python3 - "$rel" "$tmp/out.stl" <<'PY'
import math, struct, sys
from collections import Counter
rel, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
n = struct.unpack_from("<I", data, 80)[0]
vol = area = 0.0
lo = [math.inf] * 3
hi = [-math.inf] * 3
edges = Counter()
for t in range(n):
    f = struct.unpack_from("<12f", data, 84 + 50 * t)
    a, b, c = f[3:6], f[6:9], f[9:12]
    for v in (a, b, c):
        for k in range(3):
            lo[k] = min(lo[k], v[k])
            hi[k] = max(hi[k], v[k])
    u = [b[k] - a[k] for k in range(3)]
    w = [c[k] - a[k] for k in range(3)]
    cr = (u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0])
    area += math.sqrt(sum(x * x for x in cr)) / 2
    vol += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
            + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6
    for p, q in ((a, b), (b, c), (c, a)):
        edges[(p, q)] += 1
# closed: every directed edge once, with its reverse once
closed = all(m == 1 and edges.get((q, p), 0) == 1 for (p, q), m in edges.items())
print("\t".join([rel, "3", str(n), repr(vol), repr(area), ",".join(map(repr, lo)),
                 ",".join(map(repr, hi)), "True" if closed else "False", "-"]))
PY
    fi
done
