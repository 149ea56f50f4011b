#!/bin/sh
# Every figure of issue 8, measured in one run, next to its target:
#   1. first frame (time and bytes) at 80x24 and 120x40, beside dialog --form
#   2. bytes per keystroke, beside dialog --form and whiptail --inputbox
#   3. instructions per keystroke under callgrind
#   4. --batch --format cfn-yaml wall time and peak RSS, beside aws-cdk-lib
#   5. peak RSS of the screen with the sample and the 50,000-table inventory
#   6. the inventory scale figures (bench/run.sh)
# Prints a plain-text table and writes BUILD/bench-report.txt and
# BUILD/bench-report.json. Figures, not a test: the exit code does not
# depend on them. Takes about four minutes (--quick: fewer runs).
#
#   bench/all.sh [--quick] [--only first,keys,cpu,batch,memory,inventory]
#
# BUILD (environment) is the build folder, default build-bench (Release, no
# sanitizers). Tools: dialog, whiptail, hyperfine, valgrind, node and npm
# (apt-get install dialog whiptail hyperfine valgrind nodejs npm); a
# missing one leaves its figures out. aws-cdk-lib is installed from the npm
# registry into tests/oracle/cdk (the oracle's pinned version) when absent.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
DATA=${TMPDIR:-/tmp}/esmcfg-bench-inventory

for tool in dialog whiptail hyperfine valgrind node; do
    command -v "$tool" >/dev/null 2>&1 ||
        echo "bench: $tool is not installed: its figures are left out" >&2
done

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DESMCFG_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --target esmcfg -j"$(nproc)" >/dev/null
${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror "$SRC/bench/peakrss.c" -o "$BUILD/peakrss"

CDK=$SRC/tests/oracle/cdk
if [ ! -d "$CDK/node_modules/aws-cdk-lib" ] && command -v npm >/dev/null 2>&1; then
    echo "bench: installing aws-cdk-lib from the npm registry into $CDK ..." >&2
    (cd "$CDK" && npm ci --no-audit --no-fund >/dev/null)
fi

if [ ! -f "$DATA/inventory.json" ]; then
    echo "bench: generating 50,000 tables and 20,000 functions in $DATA ..." >&2
    python3 "$SRC/bench/gen_inventory.py" "$DATA" >/dev/null
fi

exec python3 "$SRC/bench/report.py" --build "$BUILD" "$@"
