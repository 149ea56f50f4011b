#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for
# FUZZ_SECONDS (default 20) over its corpus. Every input that once crashed
# is kept in tests/fuzz/corpus/NAME and replayed first, so a regression
# fails at once. Prints executions per target; exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
CC=clang cmake -S . -B build-fuzz -DESMCFG_FUZZ=ON >/dev/null
targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
# shellcheck disable=SC2086
if ! cmake --build build-fuzz -j"$(nproc 2>/dev/null || echo 2)" --target $targets \
    >build-fuzz.log 2>&1; then
    cat build-fuzz.log >&2
    exit 1
fi
status=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    corpus=tests/fuzz/corpus/$name
    work=$(mktemp -d)
    mkdir -p "$corpus"
    # New inputs go to a scratch folder; the committed corpus stays as it is.
    if ! build-fuzz/"$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=1024 -artifact_prefix="$work/" -print_final_stats=1 \
        "$work" "$corpus" >"$work/log" 2>&1; then
        echo "fuzz: $name: CRASH; input kept in $work:" >&2
        tail -40 "$work/log" >&2
        status=1
        continue
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    echo "fuzz: $name: ${runs:-?} executions in ${seconds}s, no crash"
    rm -rf "$work"
done
exit $status
