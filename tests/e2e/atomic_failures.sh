#!/usr/bin/env bash
# Every way writing the export can fail, forced on the real binary: a file
# size limit (ulimit -f), a full file system (a 64 KiB tmpfs), a read-only
# file system (a tmpfs remounted read-only), a folder as the path, a
# missing folder. Each must exit 4 with "esmcfg: PATH: reason", leave the
# old file byte for byte as it was, and leave no temporary behind. Mounting
# needs root (or CAP_SYS_ADMIN): without it those cases are skipped, saying so.
# Also: an existing file's mode and a symbolic link are kept, and
# -o /dev/stdout writes through the shell's descriptor (">>" appends).
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

MOUNTS=()
cleanup() {
    local m
    for m in "${MOUNTS[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

# A document larger than 1 KiB (a template with its IAM policy).
BIG=("${SAFE[@]}" --format cfn-yaml --function-role "$ROLE")
OLD='old contents: must survive every failure
'

# A folder holding only out.json with $OLD in it (mode 0640).
fresh_dir() {
    local dir=$1
    mkdir -p "$dir"
    printf '%s' "$OLD" >"$dir/out.json"
    chmod 0640 "$dir/out.json"
}

# check_failed NAME DIR REASON: the last run exited 4 naming DIR/out.json and
# REASON, out.json is unchanged and alone in DIR.
check_failed() {
    local name=$1 dir=$2 reason=$3
    CHECKS=$((CHECKS + 1))
    [ "$rc" = 4 ] || fail "$name: exit $rc, want 4 (stderr: $err)"
    [ "$err" = "esmcfg: $dir/out.json: $reason" ] ||
        fail "$name: stderr
  got:  $err
  want: esmcfg: $dir/out.json: $reason"
    [ -z "$out" ] || fail "$name: stdout not empty: $out"
    [ "$(cat "$dir/out.json")
" = "$OLD" ] || fail "$name: the old file changed: $(head -c 200 "$dir/out.json")"
    local left
    left=$(cd "$dir" && ls -A | grep -v -x -e out.json -e filler || true)
    [ -z "$left" ] || fail "$name: left behind in $dir: $left"
    printf '%s: exit %s, "%s"; out.json unchanged, nothing else left\n' "$name" "$rc" "$err"
}

# Mount a tmpfs of SIZE at DIR; fails (returns 1) where mounting is not allowed.
mount_tmpfs() {
    local dir=$1 size=$2
    mkdir -p "$dir"
    mount -t tmpfs -o "size=$size,mode=0755" esmcfg-test "$dir" 2>"$TMP/mount.err" || return 1
    MOUNTS+=("$dir")
}

# --- a file size limit: write(2) fails with EFBIG (SIGXFSZ is ignored) -----------
fresh_dir "$TMP/fsize"
CHECKS=$((CHECKS + 1))
(
    ulimit -f 1 # 1 KiB: the template is larger
    "$ESMCFG" "${BIG[@]}" -o "$TMP/fsize/out.json" >"$TMP/out" 2>"$TMP/err" </dev/null
)
rc=$?
out=$(cat "$TMP/out")
err=$(cat "$TMP/err")
[ "$rc" != 153 ] || fail "ulimit -f: killed by SIGXFSZ instead of reporting EFBIG"
check_failed 'file size limit (ulimit -f 1)' "$TMP/fsize" 'File too large'

# --- a folder as the path, a missing folder --------------------------------------
mkdir -p "$TMP/isdir/out.json"
printf '%s' "$OLD" >"$TMP/isdir/out.json/keep"
run "${BIG[@]}" -o "$TMP/isdir/out.json"
CHECKS=$((CHECKS + 1))
[ "$rc" = 4 ] && [ "$err" = "esmcfg: $TMP/isdir/out.json: Is a directory" ] ||
    fail "a folder as the path: exit $rc, stderr $err"
[ "$(ls -A "$TMP/isdir/out.json")" = keep ] && [ "$(ls -A "$TMP/isdir")" = out.json ] ||
    fail "a folder as the path: something was left: $(ls -AR "$TMP/isdir")"
printf 'a folder as the path: exit %s, "%s"; the folder untouched\n' "$rc" "$err"
expect_err 4 "esmcfg: $TMP/nowhere/out.json: No such file or directory" \
    "${BIG[@]}" -o "$TMP/nowhere/out.json"
[ ! -e "$TMP/nowhere" ] || fail "a missing folder was created"
# --save-inventory writes the same way.
expect_err 4 "esmcfg: --save-inventory: $TMP/isdir/out.json: Is a directory" \
    --inventory "$INVENTORY" --save-inventory "$TMP/isdir/out.json"

# --- a full file system ------------------------------------------------------------
if mount_tmpfs "$TMP/full" 64k; then
    fresh_dir "$TMP/full"
    # Fill every block that is left.
    dd if=/dev/zero of="$TMP/full/filler" bs=4096 2>/dev/null || true
    run "${BIG[@]}" -o "$TMP/full/out.json"
    check_failed 'full file system (tmpfs size=64k)' "$TMP/full" 'No space left on device'
    # With room again the same export succeeds, keeping the old file's mode.
    rm -f "$TMP/full/filler"
    run "${BIG[@]}" -o "$TMP/full/out.json"
    CHECKS=$((CHECKS + 1))
    [ "$rc" = 0 ] && [ "$(stat -c %a "$TMP/full/out.json")" = 640 ] &&
        grep -q 'AWS::Lambda::EventSourceMapping' "$TMP/full/out.json" ||
        fail "after freeing room: exit $rc, mode $(stat -c %a "$TMP/full/out.json"), $err"
    [ "$(ls -A "$TMP/full")" = out.json ] || fail "after freeing room: $(ls -A "$TMP/full")"
else
    echo "SKIP: full file system: cannot mount a tmpfs here ($(cat "$TMP/mount.err"))"
fi

# --- a read-only file system -------------------------------------------------------
if mount_tmpfs "$TMP/ro" 64k; then
    fresh_dir "$TMP/ro"
    if mount -o remount,ro "$TMP/ro" 2>"$TMP/mount.err"; then
        run "${BIG[@]}" -o "$TMP/ro/out.json"
        check_failed 'read-only file system (tmpfs remounted ro)' "$TMP/ro" \
            'Read-only file system'
        # A new file in it fails the same way.
        expect_err 4 "esmcfg: $TMP/ro/new.json: Read-only file system" \
            "${BIG[@]}" -o "$TMP/ro/new.json"
    else
        echo "SKIP: read-only file system: cannot remount read-only ($(cat "$TMP/mount.err"))"
    fi
elif [ "$(id -u)" != 0 ]; then
    # Without mounting, a folder without write permission does for anyone but root.
    fresh_dir "$TMP/ro"
    chmod 0555 "$TMP/ro"
    run "${BIG[@]}" -o "$TMP/ro/out.json"
    chmod 0755 "$TMP/ro"
    check_failed 'read-only folder (chmod 0555)' "$TMP/ro" 'Permission denied'
else
    echo "SKIP: read-only file system: cannot mount a tmpfs here ($(cat "$TMP/mount.err"))"
fi

# --- success keeps what it should --------------------------------------------------
fresh_dir "$TMP/ok"
chmod 0604 "$TMP/ok/out.json"
ln -s out.json "$TMP/ok/link.json"
run "${BIG[@]}" -o "$TMP/ok/link.json"
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ -L "$TMP/ok/link.json" ] && [ "$(stat -c %a "$TMP/ok/out.json")" = 604 ] &&
    grep -q 'AWS::Lambda::EventSourceMapping' "$TMP/ok/out.json" ||
    fail "through a link: exit $rc, $(ls -l "$TMP/ok")"
[ "$(ls -A "$TMP/ok" | sort | tr '\n' ' ')" = 'link.json out.json ' ] ||
    fail "through a link: left behind: $(ls -A "$TMP/ok")"

# -o /dev/stdout with ">>": appended through the shell's descriptor, the
# file before it kept (reopening or renaming over it would lose it).
printf 'first line\n' >"$TMP/log"
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" -o /dev/stdout >>"$TMP/log" 2>"$TMP/err" </dev/null ||
    fail "-o /dev/stdout >>log: exit $?: $(cat "$TMP/err")"
[ "$(head -1 "$TMP/log")" = 'first line' ] && grep -q '"BatchSize"' "$TMP/log" ||
    fail "-o /dev/stdout >>log: $(head -c 300 "$TMP/log")"

# A full device as stdout, -o or --output-fd: exit 4, saying which.
for how in stdout -o fd; do
    CHECKS=$((CHECKS + 1))
    case $how in
    stdout) "$ESMCFG" "${SAFE[@]}" >/dev/full 2>"$TMP/err" </dev/null ;;
    -o) "$ESMCFG" "${SAFE[@]}" -o /dev/full >/dev/null 2>"$TMP/err" </dev/null ;;
    fd) "$ESMCFG" "${SAFE[@]}" --output-fd 3 3>/dev/full >/dev/null 2>"$TMP/err" </dev/null ;;
    esac
    rc=$?
    want=$(case $how in stdout) echo stdout ;; -o) echo /dev/full ;; fd) echo --output-fd 3 ;; esac)
    [ "$rc" = 4 ] && [ "$(cat "$TMP/err")" = "esmcfg: $want: No space left on device" ] ||
        fail "/dev/full as $how: exit $rc: $(cat "$TMP/err")"
done

# A file one may not write is not replaced (only checkable for non-root).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    fresh_dir "$TMP/nowrite"
    chmod 0711 "$TMP"
    chmod 0777 "$TMP/nowrite"
    chmod 0444 "$TMP/nowrite/out.json"
    CHECKS=$((CHECKS + 1))
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$ESMCFG" "${BIG[@]}" -o "$TMP/nowrite/out.json" >"$TMP/out" 2>"$TMP/err" </dev/null
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
    chmod 0644 "$TMP/nowrite/out.json"
    check_failed 'a read-only file (0444, as nobody)' "$TMP/nowrite" 'Permission denied'
fi

finish
