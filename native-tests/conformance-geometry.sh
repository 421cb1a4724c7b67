#!/bin/sh
# conformance-geometry.sh — renders every model of the corpus's examples.tsv and compares the
# result with OpenSCAD 2021.01's reference: volume, surface area, bounding box, closedness
# (3D), or area and bounding box (2D); models OpenSCAD renders as empty must be empty.
#
#   sh native-tests/conformance-geometry.sh path/to/facet path/to/corpus
#
# Prints PASS/FAIL per model with the reason, then "N passed, M failed". Exits 1 when fewer
# models pass than the count committed in native-tests/geometry-pass-count, so the number can
# only go up. Models run one after the other (the machine is shared), each under
# `timeout` (FACET_CONFORMANCE_TIMEOUT seconds, default 120).
#
# Tolerances. The 3D references were computed from OpenSCAD's binary STL, whose vertices are
# float32: volume and area are sums over those rounded triangles. So each 3D model is also
# exported here as ASCII STL (which holds the exact float32 values, src/io/export.h) and
# volume, area and bounding box are computed from it the same way, in double precision; they
# must agree to 1e-6 (volume and area relative, bbox relative to the box's largest extent).
# Closedness comes from the render's own statistics.
#
# The 2D references came from OpenSCAD's DXF output instead, whose coordinates have six
# significant digits ("148.424" for 148.42448...): their area is the shoelace sum over those
# rounded coordinates. So a 2D model is also exported as DXF here, its coordinates rounded
# to six digits the same way (printf %.6g), and that area is compared at 1e-6; a 2D bbox
# coordinate passes within half a unit of the reference's sixth digit or 1e-6 of the extent.
# The parametric examples are compared at their defaults, as the references were made
# (`openscad -o out.stl model.scad`, no parameter set).

set -u
FACET=${1:?usage: conformance-geometry.sh FACET CORPUS}
CORPUS=${2:?usage: conformance-geometry.sh FACET CORPUS}
HERE=$(dirname "$0")
TIMEOUT=${FACET_CONFORMANCE_TIMEOUT:-120}
TSV="$CORPUS/examples.tsv"

if [ ! -x "$FACET" ]; then
    echo "conformance-geometry: $FACET is not an executable" >&2
    exit 1
fi
if [ ! -f "$TSV" ]; then
    echo "conformance-geometry: $TSV not found" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Empty fields become "-" so that `read` (which merges adjacent tab separators) keeps the
# columns in place.
awk -F'\t' -v OFS='\t' 'NR > 1 { for (i = 1; i <= 16; i++) if ($i == "" || $i == "'"''"'") $i = "-"; print }' \
    "$TSV" >"$tmp/rows"

pass=0
fail=0
while IFS='	' read -r relpath native_ok tris volume area bmin bmax closed nms wms wmms wmok dim area2d contours notes; do
    model="$CORPUS/$relpath"
    start=$(date +%s)
    rm -f "$tmp/out.dxf" "$tmp/out.stl"
    if [ "$native_ok" = 0 ]; then
        timeout "$TIMEOUT" "$FACET" --stats -q "$model" >"$tmp/out" 2>"$tmp/err"
    elif [ "$dim" = 2 ]; then
        timeout "$TIMEOUT" "$FACET" --stats -q -o "$tmp/out.dxf" "$model" >"$tmp/out" 2>"$tmp/err"
    else
        timeout "$TIMEOUT" "$FACET" --stats -q --export-format asciistl -o "$tmp/out.stl" "$model" \
            >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
    # volume, area and bbox of the float32 triangles, as the 3D references were made
    stl=-
    if [ -s "$tmp/out.stl" ]; then
        stl=$(awk '$1 == "vertex" { k++; x[k] = $2 + 0; y[k] = $3 + 0; z[k] = $4 + 0
                for (i = 2; i <= 4; i++) {
                    if (!seen || $i + 0 < lo[i]) lo[i] = $i + 0
                    if (!seen || $i + 0 > hi[i]) hi[i] = $i + 0
                }
                seen = 1
                if (k == 3) {
                    ux = x[2] - x[1]; uy = y[2] - y[1]; uz = z[2] - z[1]
                    vx = x[3] - x[1]; vy = y[3] - y[1]; vz = z[3] - z[1]
                    cx = uy * vz - uz * vy; cy = uz * vx - ux * vz; cz = ux * vy - uy * vx
                    area += sqrt(cx * cx + cy * cy + cz * cz) / 2
                    det = x[1] * (y[2] * z[3] - z[2] * y[3]) - y[1] * (x[2] * z[3] - z[2] * x[3])
                    vol += (det + z[1] * (x[2] * y[3] - y[2] * x[3])) / 6
                    k = 0
                }
            }
            END { printf "%.17g %.17g %.9g %.9g %.9g %.9g %.9g %.9g", vol, area, lo[2], lo[3], lo[4], hi[2], hi[3], hi[4] }' "$tmp/out.stl")
    fi
    # the shoelace area of the DXF with six-digit coordinates, as the 2D references were made
    dxf_area=-
    if [ -s "$tmp/out.dxf" ]; then
        dxf_area=$(awk 'function r(v) { return sprintf("%.6g", v) + 0 }
            $0 == " 10" { getline; x1 = r($0) } $0 == " 20" { getline; y1 = r($0) }
            $0 == " 11" { getline; x2 = r($0) } $0 == " 21" { getline; s += (x1 * r($0) - x2 * y1) / 2 }
            END { printf "%.17g", s }' "$tmp/out.dxf")
    fi
    secs=$(($(date +%s) - start))
    if [ $rc -eq 124 ]; then
        verdict="FAIL timeout after ${TIMEOUT} s"
    elif ! grep -q '^{' "$tmp/out"; then
        verdict="FAIL exit $rc without statistics: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
    else
        # The statistics before "ms" are numbers and booleans only; the log after them may
        # hold anything, so it is cut off before parsing.
        stats=$(head -n 1 "$tmp/out" | sed 's/,"ms":.*//')
        err=$(grep '^ERROR' "$tmp/err" | head -n 1 | head -c 200)
        verdict=$(echo "$stats" | awk -v native_ok="$native_ok" -v volume="$volume" -v area="$area" \
            -v bmin="$bmin" -v bmax="$bmax" -v closed="$closed" -v dim="$dim" -v area2d="$area2d" \
            -v rc="$rc" -v err="$err" -v dxf_area="$dxf_area" -v stl="$stl" '
        function field(name,    s) {
            if (match($0, "\"" name "\":[^,}]*") == 0) return ""
            s = substr($0, RSTART, RLENGTH)
            sub(/^[^:]*:/, "", s)
            return s
        }
        function abs(x) { return x < 0 ? -x : x }
        function max(a, b) { return a > b ? a : b }
        function rel_ok(a, b) { return abs(a - b) <= 1e-6 * max(abs(a), abs(b)) }
        function floor_(x) { return x == int(x) || x > 0 ? int(x) : int(x) - 1 }
        # half a unit in the sixth significant digit of v (0 for 0)
        function half_digit6(v,    e) {
            if (v == 0) return 0
            e = floor_(log(abs(v)) / log(10))
            if (10 ^ (e + 1) <= abs(v)) e++ /* log() may land just below a power of ten */
            return 0.5 * 10 ^ (e - 5)
        }
        {
            ok = field("ok"); d = field("dim")
            s = $0
            sub(/.*"bbox":\[\[/, "", s); sub(/\]\].*/, "", s)
            gsub(/\],\[/, ",", s)
            nb = split(s, ours, ",")
            if (ok != "true") { print "FAIL render failed (exit " rc "): " err; exit }
            if (native_ok == "0") {
                if (d == 0) print "PASS (empty, as in OpenSCAD)"
                else print "FAIL expected an empty result, got dim " d
                exit
            }
            if (d != dim) { print "FAIL dim " d ", expected " dim; exit }
            split(bmin, rlo, ","); split(bmax, rhi, ",")
            extent = 0
            for (i = 1; i <= 3; i++) { ref[i] = rlo[i]; ref[i + 3] = rhi[i]; extent = max(extent, rhi[i] - rlo[i]) }
            why = ""
            if (dim == 3 && stl == "-") {
                why = " no STL;"
            } else if (dim == 3) {
                split(stl, m, " ")
                for (i = 1; i <= 6; i++) ours[i] = m[i + 2]
                if (closed == "True" && field("manifold") != "true") why = why " not closed;"
                if (!rel_ok(m[1], volume)) why = why sprintf(" volume %.10g vs %.10g;", m[1], volume)
                if (!rel_ok(m[2], area)) why = why sprintf(" area %.10g vs %.10g;", m[2], area)
            } else if (dxf_area == "-") {
                why = why " no DXF;"
            } else if (!rel_ok(dxf_area, area2d)) {
                why = why sprintf(" area %.10g (of the DXF) vs %.10g;", dxf_area, area2d)
            }
            if (nb != 6) why = why " no bbox;"
            else for (i = 1; i <= 6; i++) {
                if (dim == 2 && (i == 3 || i == 6)) continue
                if (dim == 3) tol = 1e-6 * extent
                else tol = max(half_digit6(ref[i]) * (1 + 1e-9), 1e-6 * extent)
                if (abs(ours[i] - ref[i]) > tol) why = why sprintf(" bbox[%d] %.9g vs %.9g;", i - 1, ours[i], ref[i])
            }
            if (why == "") print "PASS"
            else print "FAIL" why
        }')
    fi
    case $verdict in
    PASS*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
    status=${verdict%%[ ]*}
    echo "$status $relpath (${secs} s)${verdict#"$status"}"
done <"$tmp/rows"

echo "$pass passed, $fail failed"
expected=$(cat "$HERE/geometry-pass-count" 2>/dev/null || echo 0)
if [ "$pass" -lt "$expected" ]; then
    echo "conformance-geometry: $pass passed, fewer than the $expected in native-tests/geometry-pass-count" >&2
    exit 1
fi
exit 0
