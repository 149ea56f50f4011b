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

# The CDK, TypeScript and HCL checks share tests/oracle/cdk's node_modules:
# install it once here, before the tests run in parallel.
cdk=tests/oracle/cdk/node_modules
if [ ! -d "$cdk/aws-cdk-lib" ] || [ ! -d "$cdk/typescript" ] || [ ! -d "$cdk/@cdktf/hcl2json" ]; then
    npm ci --prefix tests/oracle/cdk --no-audit --no-fund --loglevel=error
fi

# A bounded run of every libFuzzer target (clang, ASan + UBSan); inputs that
# once crashed are replayed first.
FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh

# The plain build's unit tests, then the same under valgrind memcheck.
ctest --test-dir build -L 'unit|valgrind' --output-on-failure -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
