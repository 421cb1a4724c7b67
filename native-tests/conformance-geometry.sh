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
# Tolerances. Volume and area: relative 1e-6. The references were computed from OpenSCAD's
# binary STL, whose vertices are float32, so a reference bounding-box coordinate is the
# float32 rounding of the true value: it may be off by half a float32 ulp (2^-24 relative),
# which for a coordinate of 20 is already 6e-7 — more than 1e-6 of a small model's size
# allows near zero and less than it allows elsewhere. A bbox coordinate therefore passes when
# |ours - ref| <= |ref| * 2^-23 (one float32 ulp) + 1e-6 * (the reference box's largest
# extent). Volume and area absorb the same rounding: it moves them by about 1e-7 relative.
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
    rm -f "$tmp/out.dxf"
    if [ "$dim" = 2 ]; then
        timeout "$TIMEOUT" "$FACET" --stats -q -o "$tmp/out.dxf" "$model" >"$tmp/out" 2>"$tmp/err"
    else
        timeout "$TIMEOUT" "$FACET" --stats -q "$model" >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
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
            -v rc="$rc" -v err="$err" -v dxf_area="$dxf_area" '
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
            if (dim == 3) {
                if (closed == "True" && field("manifold") != "true") why = why " not closed;"
                if (!rel_ok(field("volume"), volume)) why = why sprintf(" volume %.10g vs %.10g;", field("volume"), volume)
                if (!rel_ok(field("area"), area)) why = why sprintf(" area %.10g vs %.10g;", field("area"), area)
            } else if (dxf_area == "-") {
                why = why " no DXF;"
            } else if (!rel_ok(dxf_area, area2d)) {
                why = why sprintf(" area %.10g (of the DXF) vs %.10g;", dxf_area, area2d)
            }
            if (nb != 6) why = why " no bbox;"
            else for (i = 1; i <= 6; i++) {
                if (dim == 2 && (i == 3 || i == 6)) continue
                if (dim == 3) tol = abs(ref[i]) * 2^-23 + 1e-6 * extent
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
