#!/bin/sh
# Echo conformance: runs every model of CORPUS/echo/INDEX.tsv through the CLI's echo export
# (-o x.echo) and compares its ECHO: lines byte for byte with OpenSCAD's expected output
# (NAME.echo); where the expected output has an ERROR: line, ours must have one too.
#
#   sh native-tests/conformance-echo.sh FACET_BINARY CORPUS_DIR
#
# Prints "N passed, M failed" and the failing names; exits nonzero when fewer models pass
# than the number committed in native-tests/echo-pass-count (a ratchet: raise it when more
# pass). FACET_ECHO_CMD may name another command taking the model path (a test driver).
set -u
FACET=${1:?usage: conformance-echo.sh FACET CORPUS}
CORPUS=${2:?usage: conformance-echo.sh FACET CORPUS}
HERE=$(cd "$(dirname "$0")" && pwd)
INDEX="$CORPUS/echo/INDEX.tsv"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
[ -f "$INDEX" ] || { echo "conformance-echo: no $INDEX"; exit 2; }

# the binary is called from each model's directory
case "$FACET" in
/*) ;;
*) FACET="$(pwd)/$FACET" ;;
esac

run_model() {
    if [ -n "${FACET_ECHO_CMD:-}" ]; then
        timeout 120 $FACET_ECHO_CMD "$1"
    else
        # OpenSCAD's echo export (what produced the expected files): evaluation only, with
        # $preview true; the messages go to the .echo file, passed on here as the log
        rm -f "$TMP/out.echo"
        timeout 120 "$FACET" -o "$TMP/out.echo" "$1"
        rc=$?
        [ -f "$TMP/out.echo" ] && cat "$TMP/out.echo" >&2
        return $rc
    fi
}

pass=0
fail=0
failed=""
while IFS="$(printf '\t')" read -r name path; do
    [ -n "$name" ] || continue
    model="$CORPUS/openscad-tests/$path"
    expected="$CORPUS/echo/$name.echo"
    dir=$(dirname "$model")
    base=$(basename "$model")
    # run in the model's directory so that relative includes/imports resolve as OpenSCAD's
    # test harness resolves them
    (cd "$dir" && ASAN_OPTIONS=detect_leaks=0 run_model "$base") \
        >"$TMP/stdout" 2>"$TMP/log" </dev/null
    grep '^ECHO:' "$TMP/log" >"$TMP/got.echo"
    grep '^ECHO:' "$expected" >"$TMP/want.echo"
    ok=1
    cmp -s "$TMP/got.echo" "$TMP/want.echo" || ok=0
    # an empty result is not the error the model is about
    if grep -q '^ERROR:' "$expected" &&
        ! grep '^ERROR:' "$TMP/log" | grep -qv 'top level object is empty'; then ok=0; fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $name"
        if [ -n "${FACET_ECHO_VERBOSE:-}" ]; then
            echo "--- $name"
            diff "$TMP/want.echo" "$TMP/got.echo" | head -20
        fi
    fi
done <"$INDEX"

[ -n "$failed" ] && echo "failing:$failed"
echo "$pass passed, $fail failed"
need=0
[ -f "$HERE/echo-pass-count" ] && need=$(cat "$HERE/echo-pass-count")
if [ "$pass" -lt "$need" ]; then
    echo "conformance-echo: $pass passed, fewer than the committed $need"
    exit 1
fi
exit 0
