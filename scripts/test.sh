#!/usr/bin/env bash
# Build esmcfg twice (plain, and with AddressSanitizer + UBSan) and run every
# test: cmocka unit tests, end-to-end tests of the real binary, the botocore
# and aws-cdk-lib checks. The sanitizer build runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

cmake -S . -B build-asan -DESMCFG_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"

# A bounded run of every libFuzzer target (clang, ASan + UBSan); inputs that
# once crashed are replayed first.
FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh

# The plain build's unit tests, then the same under valgrind memcheck.
ctest --test-dir build -L 'unit|valgrind' --output-on-failure -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
