#!/bin/sh
# Benchmark the inventory at the scale of issue 4: 50,000 tables and 20,000
# functions, as esmcfg's own document and as AWS CLI output (describe-table
# array + list-functions). Prints load time, memory and per-keystroke
# filtering time against the targets. Not a test: it prints figures.
#
#   bench/run.sh [BUILD_DIR]      (default: build-bench, Release, no sanitizers)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build-bench}
DATA=${TMPDIR:-/tmp}/esmcfg-bench-inventory

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DESMCFG_SANITIZE=OFF >/dev/null
# The inventory_bench target exists once the top CMakeLists.txt adds it;
# until then, build it by hand against the libraries.
if ! cmake --build "$BUILD" --target inventory_bench -j2 >/dev/null 2>&1; then
    cmake --build "$BUILD" --target esm_export -j2 >/dev/null
    ${CC:-cc} -O2 -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
        -I"$SRC" $(pkg-config --cflags libcjson yaml-0.1) "$SRC/bench/inventory_bench.c" \
        "$BUILD/libesm_export.a" "$BUILD/libesm_model.a" \
        $(pkg-config --libs libcjson yaml-0.1) -o "$BUILD/inventory_bench"
fi

if [ ! -f "$DATA/inventory.json" ]; then
    echo "generating 50,000 tables and 20,000 functions in $DATA ..."
    python3 "$SRC/bench/gen_inventory.py" "$DATA"
fi
ls -l "$DATA"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "esmcfg's inventory document:"
"$BUILD/inventory_bench" "$DATA/inventory.json"
echo
echo "AWS CLI output (describe-table array + list-functions):"
"$BUILD/inventory_bench" "$DATA/describe-tables.json" "$DATA/list-functions.json"
