#!/usr/bin/env bash
# Where the export goes, as scripts use it: pipes, $(...), -o -, -o FILE,
# --output-fd N (as dialog does), no controlling terminal (setsid,
# </dev/null), closed and full outputs, and the exit codes of each.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

G="$FIXTURES/golden"
expect_ok "${SAFE[@]}"
want=$out

# --- stdout: a pipe, a capture, -o - ------------------------------------------------
CHECKS=$((CHECKS + 1))
[ "$("$ESMCFG" "${SAFE[@]}" </dev/null | cat)" = "$want" ] || fail "export through a pipe differs"
CHECKS=$((CHECKS + 1))
x=$("$ESMCFG" "${SAFE[@]}" -o - </dev/null) && [ "$x" = "$want" ] || fail "x=\$(esmcfg -o -): $x"
CHECKS=$((CHECKS + 1))
"$ESMCFG" --batch --load "$G/full.cfn.yaml" --format cfn-yaml </dev/null 2>/dev/null |
    cmp -s - "$G/full.cfn.yaml" || fail "a loaded template through a pipe differs"

# --- --output-fd N -------------------------------------------------------------------
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" --output-fd 3 3>"$TMP/fd3" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] && [ "$(cat "$TMP/fd3")" = "$want" ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] ||
    fail "--output-fd 3 3>FILE: exit $rc, fd 3: $(head -c 200 "$TMP/fd3"), stdout: $(cat "$TMP/out")"
# 3>&1 1>/dev/null: the capture gets the export, stdout goes elsewhere.
CHECKS=$((CHECKS + 1))
x=$("$ESMCFG" "${SAFE[@]}" --output-fd 3 3>&1 1>/dev/null </dev/null) && [ "$x" = "$want" ] ||
    fail "--output-fd 3 3>&1: $x"
CHECKS=$((CHECKS + 1))
x=$("$ESMCFG" "${SAFE[@]}" --output-fd 1 </dev/null) && [ "$x" = "$want" ] || fail "--output-fd 1: $x"
# Warnings still go to stderr.
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${BASE[@]}" --output-fd 3 3>"$TMP/fd3" 2>"$TMP/err" </dev/null &&
    grep -q '^esmcfg: warning: ' "$TMP/err" && [ -s "$TMP/fd3" ] ||
    fail "--output-fd with a warning: $(cat "$TMP/err")"
# A descriptor that is not open, or open for reading only: usage error, nothing done.
expect_err 2 'esmcfg: --output-fd: 7 is not an open file descriptor' "${SAFE[@]}" --output-fd 7
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" --output-fd 3 3<"$G/full.json" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 2 ] && [ "$(cat "$TMP/err")" = 'esmcfg: --output-fd: 3 is not open for writing' ] &&
    [ ! -s "$TMP/out" ] || fail "--output-fd read-only: exit $rc, $(cat "$TMP/err")"
expect_err 2 'esmcfg: --output-fd: x3 is not a file descriptor number' "${SAFE[@]}" --output-fd x3
expect_err 2 'esmcfg: --output-fd: -1 is not a file descriptor number' "${SAFE[@]}" --output-fd=-1
expect_err 2 'esmcfg: give either -o FILE or --output-fd N, not both' "${SAFE[@]}" --output-fd 1 -o "$TMP/x"
# An invalid configuration writes nothing to fd 3.
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" --batch-size 0 --output-fd 3 3>"$TMP/fd3" 2>/dev/null </dev/null
rc=$?
[ "$rc" = 3 ] && [ ! -s "$TMP/fd3" ] || fail "--output-fd on an error: exit $rc, $(cat "$TMP/fd3")"
# A full descriptor is an I/O error.
if [ -w /dev/full ]; then
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" "${SAFE[@]}" --output-fd 3 3>/dev/full 2>"$TMP/err" </dev/null
    rc=$?
    [ "$rc" = 4 ] && [ "$(cat "$TMP/err")" = 'esmcfg: --output-fd 3: No space left on device' ] ||
        fail "--output-fd to /dev/full: exit $rc, $(cat "$TMP/err")"
fi
# A closed stdout is an I/O error too.
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" >&- 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] && grep -q '^esmcfg: stdout: ' "$TMP/err" || fail "closed stdout: exit $rc, $(cat "$TMP/err")"

# --- no controlling terminal -----------------------------------------------------------
if command -v setsid >/dev/null; then
    CHECKS=$((CHECKS + 1))
    x=$(setsid -w "$ESMCFG" "${SAFE[@]}" </dev/null 2>/dev/null) && [ "$x" = "$want" ] ||
        fail "--batch without a terminal: $x"
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" "${SAFE[@]}" --output-fd 3 3>"$TMP/fd3" </dev/null >/dev/null 2>&1 &&
        [ "$(cat "$TMP/fd3")" = "$want" ] || fail "--output-fd without a terminal"
    # The screen cannot open: exit 4, nothing on any channel, no file created.
    rm -f "$TMP/screen.json"
    for channel in "-o -" "--output-fd 3" "-o $TMP/screen.json"; do
        CHECKS=$((CHECKS + 1))
        # shellcheck disable=SC2086 # the channel is two words
        setsid -w "$ESMCFG" "${SAFE[@]:1}" $channel 3>"$TMP/fd3" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        [ "$rc" = 4 ] && [ "$(cat "$TMP/err")" = 'esmcfg: no terminal: use --batch' ] &&
            [ ! -s "$TMP/out" ] && [ ! -s "$TMP/fd3" ] && [ ! -e "$TMP/screen.json" ] ||
            fail "screen without a terminal ($channel): exit $rc, $(cat "$TMP/err")"
    done
fi

# --- exit codes, as a script branches on them --------------------------------------------
for c in "0:${SAFE[*]}" "2:--batch --nope" "3:--batch" "4:--batch --load $TMP/none.json"; do
    code=${c%%:*}
    # shellcheck disable=SC2086 # the arguments are words
    set -- ${c#*:}
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" "$@" >/dev/null 2>&1 </dev/null
    rc=$?
    [ "$rc" = "$code" ] || fail "esmcfg $*: exit $rc, want $code"
done
CHECKS=$((CHECKS + 1))
help=$("$ESMCFG" --help)
for code in 0 1 2 3 4; do
    grep -qE "^  $code  " <<<"$help" || fail "--help lacks exit code $code"
done

# --- --list-options for scripts ---------------------------------------------------------------
CHECKS=$((CHECKS + 1))
"$ESMCFG" --list-options </dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [o["name"] for o in d["options"]]
assert "batch-size" in names and len(names) == len(set(names)), names
bs = [o for o in d["options"] if o["name"] == "batch-size"][0]
assert bs["limits"] == {"min": 1, "max": 10000} and bs["default"]["value"] == 100, bs
assert bs["names"]["api"] == "BatchSize" and bs["names"]["cdk"] == "batchSize", bs
' || fail "--list-options is not the table as JSON"
expect_err 2 'esmcfg: --list-options takes no value' --list-options=1
if [ -w /dev/full ]; then
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --list-options >/dev/full 2>/dev/null
    [ $? = 4 ] || fail "--list-options to /dev/full: not exit 4"
fi

finish
