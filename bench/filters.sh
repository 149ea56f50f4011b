#!/bin/sh
# The filter tester at scale (issue 14): esmcfg --test-filter on N
# DynamoDB stream records (default 1,000,000, about 820 MB), beside a
# Python json baseline doing the same match in the same run; records per
# second and peak RSS of each, the counts compared. Figures, not a test.
#
#   bench/filters.sh [N]
#
# BUILD (environment): the build folder, default build-bench (Release, no
# sanitizers). The records go to $TMPDIR/esmcfg-bench-records (made once
# by bench/gen_records.py, seeded).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
N=${1:-1000000}
DATA=${TMPDIR:-/tmp}/esmcfg-bench-records
FILE=$DATA/records-$N.jsonl

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DESMCFG_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --target esmcfg -j2 >/dev/null
${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror "$SRC/bench/peakrss.c" -o "$BUILD/peakrss"
mkdir -p "$DATA"
if [ ! -f "$FILE" ]; then
    echo "bench: writing $N records to $FILE ..." >&2
    python3 "$SRC/bench/gen_records.py" "$N" "$FILE.tmp" && mv "$FILE.tmp" "$FILE"
fi
exec python3 "$SRC/bench/filter_bench.py" --build "$BUILD" --file "$FILE"
