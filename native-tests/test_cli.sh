#!/bin/sh
# test_cli.sh — end-to-end tests of the `facet` command: flags, exit codes, output formats,
# -D overrides, parameter sets, --stats/--params JSON, stdout output, includes and library
# paths, --watch, and hostile inputs (which must end in a typed error, never a crash).
#
#   sh native-tests/test_cli.sh path/to/facet
#
# Expected values are analytic (a cube of side s has volume s^3) or OpenSCAD 2021.01's
# messages and file layouts. Prints one line per check and "N passed, M failed"; exits 1 on
# any failure.

set -u
FACET=${1:?usage: test_cli.sh path/to/facet}
case $FACET in /*) ;; *) FACET=$(pwd)/$FACET ;; esac
if [ ! -x "$FACET" ]; then
    echo "test_cli: $FACET is not an executable" >&2
    exit 1
fi
T=$(mktemp -d)
watch_pid=""
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
cd "$T" || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "ok   $1"
}
bad() {
    fail=$((fail + 1))
    echo "FAIL $1"
    [ -f err ] && sed 's/^/     | /' err | head -n 8
}
# check NAME COMMAND...: passes when the command succeeds
check() {
    name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
# run ARGS...: runs facet, stdout to out, stderr to err, status in $rc
run() {
    "$FACET" "$@" >out 2>err
    rc=$?
}
has() { grep -q -- "$1" "$2"; }
hasF() { grep -qF -- "$1" "$2"; }
size_of() { wc -c <"$1" | tr -d ' '; }
# a JSON checker if the machine has one (python3 or node); otherwise the shape is checked
json_ok() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null
    elif command -v node >/dev/null 2>&1; then
        node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1" 2>/dev/null
    else
        head -c 1 "$1" | grep -q '[[{]'
    fi
}

cat >cube.scad <<'EOF'
size = 1; // [1:10]
cube(size);
EOF

# ---------------------------------------------------------------- flags and exit codes
run --help
check "--help exits 0 with usage on stdout" [ $rc -eq 0 ]
check "--help prints usage" has "^Usage: facet" out
run -h
check "-h exits 0" [ $rc -eq 0 ]
run --version
check "--version exits 0" [ $rc -eq 0 ]
check "--version prints the version" has "^facet version [0-9]" out
run
check "no arguments exits 1" [ $rc -eq 1 ]
run --bogus cube.scad -o x.stl
check "unknown option exits 1" [ $rc -eq 1 ]
check "unknown option: OpenSCAD's message" hasF "unrecognised option '--bogus'" err
run nope.scad -o x.stl
check "missing input exits 1" [ $rc -eq 1 ]
check "missing input: OpenSCAD's message" hasF "Can't open input file 'nope.scad'!" err
run cube.scad -o x.xyz
check "unknown extension exits 1" [ $rc -eq 1 ]
check "unknown extension: OpenSCAD's message" hasF "Either add a valid suffix or specify one using the --export-format option." err
run cube.scad -o x.stl --export-format nonsense
check "unknown --export-format exits 1" [ $rc -eq 1 ]
run cube.scad -P big -o x.stl
check "-P without -p exits 1" [ $rc -eq 1 ]
run cube.scad -o
check "-o without a value exits 1" [ $rc -eq 1 ]

# ---------------------------------------------------------------- formats
run cube.scad -o cube.stl
check "binary STL exits 0" [ $rc -eq 0 ]
check "binary STL: 84 + 50 * 12 bytes" [ "$(size_of cube.stl)" -eq 684 ]
check "binary STL: OpenSCAD's header" [ "$(head -c 14 cube.stl)" = "OpenSCAD Model" ]
run cube.scad -o cube.off
check "OFF: header with 8 vertices and 12 faces" [ "$(head -n 1 cube.off)" = "OFF 8 12 0" ]
run cube.scad -o cube.obj
check "OBJ: 8 v and 12 f lines" [ "$(grep -c '^v ' cube.obj)" -eq 8 -a "$(grep -c '^f ' cube.obj)" -eq 12 ]
run cube.scad -o cube.3mf
check "3MF: a zip package" [ "$(head -c 2 cube.3mf)" = "PK" ]
if command -v unzip >/dev/null 2>&1; then
    check "3MF: unzip -t verifies every CRC" sh -c 'unzip -t cube.3mf >/dev/null 2>&1'
fi
run cube.scad --export-format asciistl -o -
check "-o - writes to stdout" [ $rc -eq 0 ]
check "ASCII STL on stdout" [ "$(head -n 1 out)" = "solid OpenSCAD_Model" ]
check "ASCII STL: 12 facets" [ "$(grep -c 'facet normal' out)" -eq 12 ]
run cube.scad --export-format binstl -o cube.bin
check "--export-format overrides the extension" [ "$(size_of cube.bin)" -eq 684 ]
run cube.scad --export-format mesh -o cube.fmsh
check "FMSH: 16 + 12*8 + 16*12 bytes" [ "$(size_of cube.fmsh)" -eq 304 ]
check "FMSH: magic" [ "$(head -c 4 cube.fmsh)" = "FMSH" ]

cat >square.scad <<'EOF'
square([10, 5]);
EOF
run square.scad -o sq.svg
check "SVG of a 2D model exits 0" [ $rc -eq 0 ]
check "SVG: OpenSCAD's viewBox" hasF 'viewBox="0 -5 10 5"' sq.svg
run square.scad -o sq.dxf
check "DXF: four LINE entities" [ "$(grep -c '^LINE$' sq.dxf)" -eq 4 ]
run square.scad -o sq.stl
check "2D model to STL exits 1" [ $rc -eq 1 ]
check "2D model to STL: OpenSCAD's message" hasF "Current top level object is not a 3D object." err
check "no file written after an error" [ ! -e sq.stl ]
run cube.scad -o c.svg
check "3D model to SVG exits 1" [ $rc -eq 1 ]
check "3D model to SVG: OpenSCAD's message" hasF "Current top level object is not a 2D object." err

cat >empty.scad <<'EOF'
echo("nothing");
EOF
run empty.scad -o e.stl
check "empty result to STL exits 1" [ $rc -eq 1 ]
check "empty result: OpenSCAD's message" hasF "Current top level object is empty." err
check "empty result: the echo is still printed" hasF 'ECHO: "nothing"' err

# ---------------------------------------------------------------- -D, -p/-P, --stats, --params
run cube.scad --stats
check "--stats alone exits 0" [ $rc -eq 0 ]
check "--stats prints one JSON line" [ "$(wc -l <out | tr -d ' ')" -eq 1 ]
check "--stats JSON parses" json_ok out
check "--stats: volume of the unit cube" hasF '"volume":1,' out
check "--stats: manifold" hasF '"manifold":true' out
run cube.scad -D size=2 --stats
check "-D overrides a top-level variable" hasF '"volume":8,' out
run cube.scad -D 'size = 1 + 2' -o d.stl --stats
check "-D takes an expression; --stats with -o" hasF '"volume":27,' out
check "-D with -o still writes the file" [ "$(size_of d.stl)" -eq 684 ]
run cube.scad -Dsize=2 -D size=4 --stats
check "the last -D of a name wins" hasF '"volume":64,' out
run cube.scad --export-format asciistl -o - --stats
check "--stats goes to stderr when the mesh goes to stdout" hasF '"volume":1,' err
check "stdout then holds only the mesh" [ "$(head -n 1 out)" = "solid OpenSCAD_Model" ]

cat >msg.scad <<'EOF'
msg = "default"; // a message
n = 1;
echo(msg, n);
cube(n);
EOF
run msg.scad -D 'msg="from -D"' -o m.stl
check "-D with a string value" hasF 'ECHO: "from -D", 1' err
cat >sets.json <<'EOF'
{
    "parameterSets": {
        "big": { "msg": "large one", "n": "3" },
        "numeric": { "msg": "12", "n": "2" }
    },
    "fileFormatVersion": "1"
}
EOF
run msg.scad -p sets.json -P big --stats
check "-p/-P applies the set" hasF '"volume":27,' out
check "-p/-P: a string parameter stays text" hasF 'ECHO: "large one", 3' err
run msg.scad -p sets.json -P numeric --stats
check "-p/-P: digits for a string parameter stay a string" hasF 'ECHO: "12", 2' err
run msg.scad -p sets.json -P big -D n=2 --stats
check "-D overrides the parameter set" hasF '"volume":8,' out
run msg.scad -p sets.json -P nosuchset --stats
check "unknown parameter set exits 1" [ $rc -eq 1 ]
check "unknown parameter set: names it" hasF "nosuchset" err
run msg.scad -p nosuch.json -P big --stats
check "missing parameter file exits 1" [ $rc -eq 1 ]
printf '{"parameterSets": {' >broken.json
run msg.scad -p broken.json -P big --stats
check "malformed parameter file exits 1" [ $rc -eq 1 ]

# The corpus's own parameter sets, against OpenSCAD 2021.01: `openscad -p candleStand.json
# -P small` and `-p sign.json -P "Congo Sign"` give these volumes (of their binary STL).
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-6 * (b < 0 ? -b : b)) }'; }
volume_of() { sed -n 's/.*"volume":\([^,]*\),.*/\1/p' "$1"; }
PARAMETRIC=${FACET_CORPUS:-}/examples/Parametric
if [ -n "${FACET_CORPUS:-}" ] && [ -f "$PARAMETRIC/candleStand.json" ]; then
    run "$PARAMETRIC/candleStand.scad" -p "$PARAMETRIC/candleStand.json" -P small --stats -q
    check "corpus set 'small' of candleStand.json: OpenSCAD's volume" near "$(volume_of out)" 3004.329497732542
    run "$PARAMETRIC/sign.scad" -p "$PARAMETRIC/sign.json" -P "Congo Sign" --stats -q
    check "corpus set 'Congo Sign' of sign.json (string parameters): OpenSCAD's volume" near "$(volume_of out)" 20962.71347335224
else
    echo "skip corpus parameter sets: FACET_CORPUS not set"
fi

run cube.scad --params
check "--params exits 0" [ $rc -eq 0 ]
check "--params JSON parses" json_ok out
check "--params names the parameter" hasF '"size"' out

# ---------------------------------------------------------------- log and -q
run msg.scad -o m.stl -q
check "-q silences ECHO" [ ! -s err ]
cat >warn.scad <<'EOF'
echo(undefined_thing);
cube(1);
EOF
run warn.scad -o w.stl
check "warnings print in OpenSCAD's format" has "^WARNING: " err
check "a warning does not fail the render" [ $rc -eq 0 ]
cat >syntax.scad <<'EOF'
cube(
EOF
run syntax.scad -o s.stl
check "syntax error exits 1" [ $rc -eq 1 ]
check "syntax error: OpenSCAD's ERROR line" has "^ERROR: Parser error" err
check "syntax error: OpenSCAD's closing line" hasF "Can't parse file 'syntax.scad'!" err
run syntax.scad -o s.stl -q
check "-q still prints errors" has "^ERROR: " err

# ---------------------------------------------------------------- echo export
# OpenSCAD 2021.01's `-o x.echo` on this model writes exactly these lines (geometry is not
# built, so linear_extrude of a 3D child does not warn; $preview is true; an error during
# evaluation is part of the output and the exit status stays 0)
cat >echoexp.scad <<'EOF'
echo("a");
cube("big");
x = undef + 1;
echo($preview = $preview);
linear_extrude(1) cube(1);
assert(false, "boom");
echo("after");
EOF
cat >echoexp.want <<'EOF'
WARNING: undefined operation (undefined + number) in file echoexp.scad, line 3
ECHO: "a"
WARNING: Unable to convert cube(size="big", ...) parameter to a number or a vec3 of numbers in file echoexp.scad, line 2
ECHO: $preview = true
ERROR: Assertion 'false' failed: "boom" in file echoexp.scad, line 6
TRACE: called by 'assert' in file echoexp.scad, line 6
EOF
run echoexp.scad -o e.echo
check "echo export exits 0 after an evaluation error" [ $rc -eq 0 ]
check "echo export: OpenSCAD's lines" cmp -s e.echo echoexp.want
check "echo export: stderr stays empty" [ ! -s err ]
run echoexp.scad --export-format echo -o -
check "--export-format echo to stdout" cmp -s out echoexp.want
printf 'echo($preview);\ncube(1);\n' >pv.scad
run pv.scad -o pv.stl
check "\$preview is false for a mesh export" has "^ECHO: false" err

# ---------------------------------------------------------------- includes and library paths
mkdir -p sub lib
cat >sub/part.scad <<'EOF'
module part() cube(2);
EOF
cat >lib/libpart.scad <<'EOF'
module libpart() cube(3);
EOF
cat >inc.scad <<'EOF'
use <sub/part.scad>
use <libpart.scad>
part();
translate([10, 0, 0]) libpart();
EOF
OPENSCADPATH="$T/lib" "$FACET" inc.scad --stats >out 2>err
rc=$?
check "relative use<> and OPENSCADPATH library" hasF '"volume":35,' out
(cd sub && "$FACET" ../inc.scad --stats >../out2 2>../err2)
check "includes resolve relative to the model, not the working directory" [ "$(grep -c '"volume":8,' out2)" -eq 1 ]

# ---------------------------------------------------------------- the font pack
# text() reads facet:fonts, which the CLI maps to facet-fonts.bin beside the binary (or one
# directory up, for build/asan/facet) unless FACET_FONTS names another file.
cat >text.scad <<'EOF'
linear_extrude(1) text("Hi");
EOF
bindir=$(dirname "$FACET")
if [ -f "$bindir/facet-fonts.bin" ] || [ -f "$bindir/../facet-fonts.bin" ]; then
    run text.scad --stats
    check "text() finds the font pack beside the binary" hasF '"dim":3,' out
else
    echo "skip text() through the font pack: no facet-fonts.bin beside $FACET (make fonts)"
fi
FACET_FONTS="$T/none.bin" "$FACET" text.scad --stats >out 2>err
check "without a font pack text() warns and draws nothing" hasF "Can't get font" err

# ---------------------------------------------------------------- output errors
run cube.scad -o "$T/no/such/dir/x.stl"
check "unwritable output exits 1" [ $rc -eq 1 ]

# ---------------------------------------------------------------- --watch
cp cube.scad watched.scad
"$FACET" watched.scad -o watched.off --watch -q >/dev/null 2>watch.err &
watch_pid=$!
i=0
while [ ! -s watched.off ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
first=$(head -n 1 watched.off 2>/dev/null)
check "--watch renders at once" [ "$first" = "OFF 8 12 0" ]
cat >watched.scad <<'EOF'
cube(1);
translate([5, 0, 0]) cube(1);
EOF
i=0
while [ "$(head -n 1 watched.off 2>/dev/null)" != "OFF 16 24 0" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
check "--watch re-renders after the model changes" [ "$(head -n 1 watched.off 2>/dev/null)" = "OFF 16 24 0" ]
cat >watched_part.scad <<'EOF'
module p() cube(1);
EOF
cat >watched.scad <<'EOF'
include <watched_part.scad>
p();
EOF
i=0
while [ "$(head -n 1 watched.off 2>/dev/null)" != "OFF 8 12 0" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
cat >watched_part.scad <<'EOF'
module p() { cube(1); translate([3, 0, 0]) cube(1); translate([6, 0, 0]) cube(1); }
EOF
i=0
while [ "$(head -n 1 watched.off 2>/dev/null)" != "OFF 24 36 0" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
check "--watch re-renders after an included file changes" [ "$(head -n 1 watched.off 2>/dev/null)" = "OFF 24 36 0" ]
kill "$watch_pid" 2>/dev/null
wait "$watch_pid" 2>/dev/null
watch_pid=""

# ---------------------------------------------------------------- hostile input
# Each must end in a typed error or a result: exit status 0 or 1, never a signal or a
# sanitizer report (which exit with other codes).
hostile() {
    name=$1
    shift
    timeout 120 "$FACET" "$@" >out 2>err
    rc=$?
    if [ $rc -le 1 ] && ! grep -q "Sanitizer\|runtime error" err; then ok "$name (exit $rc)"; else bad "$name (exit $rc)"; fi
}
head -c 4096 /dev/urandom >garbage.scad 2>/dev/null || printf '\001\002\377\376' >garbage.scad
hostile "random bytes" garbage.scad -o g.stl
printf 'cube(1);\000cube(2);' >nul.scad
hostile "a NUL byte in the source" nul.scad -o n.stl
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "("; printf "1"; for (i = 0; i < 20000; i++) printf ")"; print ";" }' |
    sed 's/^/x = /' >nest.scad
hostile "20000 nested parentheses" nest.scad --stats
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "union() {"; printf "cube(1);"; for (i = 0; i < 5000; i++) printf "}"; print "" }' >nestmod.scad
hostile "5000 nested module instances" nestmod.scad --stats
printf 'function f(x) = f(x + 1) + 1;\necho(f(0));\n' >rec.scad
hostile "unbounded recursion" rec.scad --stats
check "unbounded recursion is an error" [ $rc -eq 1 ]
printf 'module m() m();\nm();\n' >recmod.scad
hostile "unbounded module recursion" recmod.scad --stats
check "unbounded module recursion is an error" [ $rc -eq 1 ]
printf 'x = "unterminated;\n' >str.scad
hostile "unterminated string" str.scad --stats
printf 'polyhedron([[0,0,0],[1,0,0]], [[0,1,5]]);\n' >poly.scad
hostile "polyhedron with bad indices" poly.scad -o p.stl
printf 'include <nothere.scad>\nimport("nothere.stl");\ncube(1);\n' >missing.scad
hostile "missing include and import" missing.scad -o mi.stl
printf 'echo(str([for (i = [0:1e5]) i]));\n' >bigecho.scad
hostile "a 100000-element list" bigecho.scad --stats -q
printf 'cube([1/0, 0/0, -1/0]);\n' >inf.scad
hostile "infinite and NaN sizes" inf.scad -o inf.stl
printf '{"parameterSets":' >trunc.json
hostile "truncated parameter file" cube.scad -p trunc.json -P x --stats

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
