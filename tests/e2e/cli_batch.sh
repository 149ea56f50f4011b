#!/usr/bin/env bash
# The command line around the values: usage errors (exit 2), required
# options and rules across options (exit 3), output to stdout and to -o
# FILE (atomic, nothing written on error), formats, warnings, --help,
# --version, and the interactive path without a terminal.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

# --- usage errors: exit 2, nothing on stdout ------------------------------------
expect_err 2 'esmcfg: unknown option --foo (see esmcfg --help)' "${BASE[@]}" --foo
expect_err 2 'esmcfg: unknown option --foo (see esmcfg --help)' "${BASE[@]}" --foo=1
expect_err 2 'esmcfg: unknown option -x (see esmcfg --help)' "${BASE[@]}" -x
# Abbreviations are refused: a script's flag must not change meaning when options are added.
expect_err 2 'esmcfg: unknown option --batch-s (did you mean --batch-size?)' \
    "${BASE[@]}" --batch-s 5
expect_err 2 'esmcfg: unknown option --bat (see esmcfg --help)' "${BASE[@]}" --bat
expect_err 2 'esmcfg: --batch-size needs a value (N)' "${BASE[@]}" --batch-size
expect_err 2 'esmcfg: --max-record-age needs a value (DUR)' "${BASE[@]}" --max-record-age
expect_err 2 'esmcfg: --output needs a value (FILE)' "${BASE[@]}" -o
expect_err 2 'esmcfg: --inventory needs a value (FILE)' "${BASE[@]}" --inventory
expect_err 2 'esmcfg: --batch takes no value' "${BASE[@]}" --batch=yes
expect_err 2 'esmcfg: --help takes no value' --help=1
expect_err 2 'esmcfg: --format: xml is not one of json, cfn-json, cfn-yaml, sam, terraform, cdk-ts, cdk-python, update-json' \
    "${BASE[@]}" --format xml
expect_err 2 'esmcfg: --output: needs a file name, or - for stdout' "${BASE[@]}" -o ''
expect_err 2 "esmcfg: unexpected argument 'orders'" "${BASE[@]}" orders
expect_err 2 "esmcfg: unexpected argument 'x'" "${BASE[@]}" -- x
NAMES='table, function, starting-position, batch-size, max-batching-window, tumbling-window, bisect-batch-on-error, retry-attempts, max-record-age, on-failure, report-batch-item-failures, parallelization-factor, filter, filter-kms-key, enabled, metrics, tag'
expect_err 2 "esmcfg: --focus: batchsize is not an option; one of: $NAMES" \
    "${BASE[@]}" --focus batchsize
# Usage errors win over value errors.
expect_code 2 "${BASE[@]}" --batch-size 0 --nope

# --- the configuration is invalid: exit 3 ----------------------------------------
expect_err 3 'esmcfg: --table: is required (a stream ARN, or a table name or ARN from the inventory)
esmcfg: --function: is required (a function name or ARN, optionally with :ALIAS or :VERSION)
esmcfg: --starting-position: is required (TRIM_HORIZON or LATEST)' --batch
expect_err 3 'esmcfg: --starting-position: is required (TRIM_HORIZON or LATEST)' \
    --batch --table "$STREAM" --function "$FUNCTION"
expect_err 3 'esmcfg: --table: orders: not a stream ARN and not in the inventory (give the stream ARN, or --inventory FILE)' \
    --batch --table orders --function "$FUNCTION" --starting-position LATEST
expect_err 3 "esmcfg: --table: $TABLE_ARN: not a stream ARN and not in the inventory (give the stream ARN, or --inventory FILE)" \
    --batch --table "$TABLE_ARN" --function "$FUNCTION" --starting-position LATEST
expect_err 3 'esmcfg: --function-role: arn:aws:sqs:us-east-1:123456789012:q is an SQS queue ARN, not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)' \
    "${SAFE[@]}" --function-role arn:aws:sqs:us-east-1:123456789012:q
expect_err 3 'esmcfg: --function-role: role is not a valid ARN: it does not start with arn:' \
    "${SAFE[@]}" --function-role role
expect_err 3 'esmcfg: --logical-id: my-mapping is not a logical ID (1..255 letters and digits)' \
    "${SAFE[@]}" --logical-id my-mapping

# --- warnings go to stderr and do not fail ---------------------------------------
run "${BASE[@]}"
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get BatchSize)" = 100 ] || fail "defaults: exit $rc, $out"
[ "$err" = 'esmcfg: warning: --retry-attempts: with infinite retries and record age, one bad record can block its shard for up to a day; safer: --bisect-batch-on-error, finite --retry-attempts and --max-record-age, and --on-failure' ] ||
    fail "defaults: warning: $err"
run "${SAFE[@]}" --tumbling-window 1m --parallelization-factor 2
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$err" = 'esmcfg: warning: --tumbling-window: tumbling windows are reported to work only with --parallelization-factor 1' ] ||
    fail "tumbling window warning: exit $rc, $err"
# Warnings are not printed when the configuration fails anyway.
expect_err 3 'esmcfg: --batch-size: 0 is out of range (1..10000, default 100)' \
    "${BASE[@]}" --batch-size 0

# --- output ----------------------------------------------------------------------
expect_ok "${SAFE[@]}"
want=$out
CHECKS=$((CHECKS + 1))
[ "$(json_get EventSourceArn)" = "\"$STREAM\"" ] && [ "$(json_get FunctionName)" = '"process-orders"' ] &&
    [ "$(json_get StartingPosition)" = '"LATEST"' ] || fail "stdout export: $out"
expect_ok "${SAFE[@]}" -o -
[ "$out" = "$want" ] || fail "-o - differs from no -o"

mkdir "$TMP/dir"
F="$TMP/dir/esm.json"
expect_ok "${SAFE[@]}" -o "$F"
CHECKS=$((CHECKS + 1))
[ -z "$out" ] || fail "-o FILE also wrote stdout: $out"
[ "$(cat "$F")" = "$want" ] || fail "-o FILE content differs from stdout"
[ "$(ls -A "$TMP/dir")" = esm.json ] || fail "-o FILE left other files: $(ls -A "$TMP/dir")"
expect_ok "${SAFE[@]}" --output="$F" --batch-size 7
[ -z "$out" ] || fail "--output= wrote stdout: $out"
out=$(cat "$F")
[ "$(json_get BatchSize)" = 7 ] || fail "--output=FILE did not replace the file"

# An error writes nothing: no new file, an existing file untouched.
rm -f "$F"
expect_code 3 "${SAFE[@]}" -o "$F" --batch-size 0
[ ! -e "$F" ] || fail "-o FILE created on a value error"
expect_code 3 --batch -o "$F"
[ ! -e "$F" ] || fail "-o FILE created on a missing option"
expect_code 2 "${SAFE[@]}" -o "$F" --format nope
[ ! -e "$F" ] || fail "-o FILE created on a usage error"
printf 'precious\n' >"$F"
expect_code 3 "${SAFE[@]}" -o "$F" --batch-size 10001
[ "$(cat "$F")" = precious ] || fail "existing -o FILE changed on a value error"
expect_code 3 "${SAFE[@]}" -o "$F" --filter-kms-key arn:aws:kms:us-east-1:123456789012:key/k1
[ "$(cat "$F")" = precious ] || fail "existing -o FILE changed on a validation error"
[ "$(ls -A "$TMP/dir")" = esm.json ] || fail "errors left files behind: $(ls -A "$TMP/dir")"

# Write errors are I/O errors (exit 4).
expect_code 4 "${SAFE[@]}" -o "$TMP/no/such/dir/esm.json"
case "$err" in "esmcfg: $TMP/no/such/dir/esm.json"*) ;; *) fail "bad dir message: $err" ;; esac
if [ -w /dev/full ]; then
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" "${SAFE[@]}" >/dev/full 2>"$TMP/err"
    rc=$?
    [ "$rc" = 4 ] || fail "stdout to /dev/full: exit $rc, want 4"
    grep -q '^esmcfg: stdout: ' "$TMP/err" || fail "stdout to /dev/full: $(cat "$TMP/err")"
fi

# --- formats -----------------------------------------------------------------------
expect_ok "${SAFE[@]}" --format json
[ "$out" = "$want" ] || fail "--format json differs from the default"
expect_ok "${SAFE[@]}" --format cfn-json --function-role "$ROLE" --logical-id OrdersMapping
CHECKS=$((CHECKS + 1))
printf '%s' "$out" | python3 -c '
import json, sys
t = json.load(sys.stdin)
r = t["Resources"]
assert r["OrdersMapping"]["Type"] == "AWS::Lambda::EventSourceMapping", r
assert any(v["Type"] == "AWS::IAM::Policy" for v in r.values()), r
' || fail "cfn-json with role and logical ID: $out"
expect_ok "${SAFE[@]}" --format cfn-json
CHECKS=$((CHECKS + 1))
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)["Resources"]
assert not any(v["Type"] == "AWS::IAM::Policy" for v in r.values()), r
' || fail "cfn-json without a role has a policy: $out"
expect_ok "${SAFE[@]}" --format cfn-yaml
case "$out" in *"Type: AWS::Lambda::EventSourceMapping"*) ;; *) fail "cfn-yaml: $out" ;; esac

# --- inventory -----------------------------------------------------------------------
INV=(--inventory "$INVENTORY")
expect_ok "${INV[@]}" --batch --table orders --function "$FUNCTION" --starting-position LATEST \
    --bisect-batch-on-error --retry-attempts 10 --max-record-age 1h \
    --on-failure arn:aws:sqs:us-east-1:123456789012:orders-dlq --format cfn-json
CHECKS=$((CHECKS + 1))
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)["Resources"]
esm = [v for v in r.values() if v["Type"] == "AWS::Lambda::EventSourceMapping"][0]
assert esm["Properties"]["EventSourceArn"] == sys.argv[1], esm
pol = [v for v in r.values() if v["Type"] == "AWS::IAM::Policy"]
assert pol and pol[0]["Properties"]["Roles"] == ["process-orders-role"], pol
' "$STREAM" || fail "table name and function role from the inventory: $out"
expect_ok "${INV[@]}" "${SAFE[@]}" --table "$TABLE_ARN"
[ "$(json_get EventSourceArn)" = "\"$STREAM\"" ] || fail "table ARN through the inventory: $out"
expect_err 3 'esmcfg: --table: customers: the table has no stream; enable one with: aws dynamodb update-table --table-name customers --region us-east-1 --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES' \
    "${INV[@]}" "${SAFE[@]}" --table customers
expect_err 4 "esmcfg: --inventory: $TMP/missing.json: No such file or directory" \
    "${SAFE[@]}" --inventory "$TMP/missing.json"
expect_err 3 "esmcfg: --inventory: $FIXTURES/cli/inventory-invalid.json: tables[0].arn: is an SQS queue ARN, expected a DynamoDB table ARN" \
    "${SAFE[@]}" --inventory "$FIXTURES/cli/inventory-invalid.json"
# An unreadable file wins over an invalid one (exit 4).
expect_code 4 "${SAFE[@]}" --inventory "$FIXTURES/cli/inventory-invalid.json" \
    --inventory "$TMP/missing.json"

# --function-role wins over the inventory's role; a qualified name still finds the function.
expect_ok "${INV[@]}" "${SAFE[@]}" --format cfn-json --function-role arn:aws:iam::123456789012:role/other
grep -q '"other"' <<<"$out" || fail "--function-role did not win over the inventory: $out"
expect_ok "${INV[@]}" "${SAFE[@]}" --format cfn-json --function process-orders:live
grep -q '"process-orders-role"' <<<"$out" || fail "qualified function did not find its role: $out"

# --- names from the command line are shown escaped -----------------------------------
expect_err 3 'esmcfg: --table: a\x1b[2Jb: not a stream ARN and not in the inventory (give the stream ARN, or --inventory FILE)' \
    "${SAFE[@]}" --table $'a\e[2Jb'
expect_err 2 'esmcfg: unknown option --a\x1b[2J (see esmcfg --help)' "${SAFE[@]}" $'--a\e[2J'

# --- program flags that only the screen uses are accepted with --batch -----------------
expect_ok "${SAFE[@]}" --no-color --focus batch-size

# --- help and version -------------------------------------------------------------------
expect_ok --help
help=$out
for name in table function starting-position batch-size max-batching-window tumbling-window \
    bisect-batch-on-error retry-attempts max-record-age on-failure report-batch-item-failures \
    parallelization-factor filter filter-kms-key enabled metrics tag; do
    CHECKS=$((CHECKS + 1))
    grep -qE -- "^  --$name([ []|\$)" <<<"$help" || fail "--help does not list --$name"
done
for flag in '--batch' '--format FORMAT' '-o, --output FILE' '--logical-id ID' \
    '--function-role ROLE_ARN' '--inventory FILE' '--focus OPTION' '--no-color' '-h, --help' \
    '-V, --version' '--bisect-batch-on-error[=BOOL]' '--enabled[=BOOL]' \
    '--report-batch-item-failures[=BOOL]' '--batch-size N' '--max-record-age DUR' \
    '--filter JSON  (repeatable)' '--tag KEY=VALUE  (repeatable)' '--metrics LIST' \
    'Allowed: 1..10000, default 100.' \
    'Allowed: -1 (infinite) or 60..604800 s, default -1 (infinite).'; do
    CHECKS=$((CHECKS + 1))
    grep -qF -- "$flag" <<<"$help" || fail "--help lacks: $flag"
done
# A program flag that shares a name with an option row would be unreachable.
CHECKS=$((CHECKS + 1))
dups=$(grep -oE -- '^  (-., )?--[a-z-]+' <<<"$help" | sed 's/.*--//' | sort | uniq -d)
[ -z "$dups" ] || fail "--help lists a flag twice: $dups"
for code in 0 1 2 3 4; do
    CHECKS=$((CHECKS + 1))
    grep -qE "^  $code  " <<<"$help" || fail "--help lacks exit code $code"
done
CHECKS=$((CHECKS + 1))
[ "$(awk '{ if (length($0) > 79) n++ } END { print n + 0 }' <<<"$help")" = 0 ] ||
    fail "--help has lines over 79 columns"
expect_ok -h
[ "$out" = "$help" ] || fail "-h differs from --help"

expect_ok --version
version=$(sed -n 's/^project(esmcfg VERSION \([0-9.]*\).*/\1/p' "$SRCDIR/CMakeLists.txt")
[ "$out" = "esmcfg $version" ] || fail "--version: $out, want esmcfg $version"
expect_ok -V
[ "$out" = "esmcfg $version" ] || fail "-V: $out"

# --- without --batch and without a terminal ---------------------------------------------
if command -v setsid >/dev/null; then
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" "${SAFE[@]:1}" </dev/null >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 4 ] && [ "$(cat "$TMP/err")" = 'esmcfg: no terminal: use --batch' ] &&
        [ ! -s "$TMP/out" ] || fail "no terminal: exit $rc, $(cat "$TMP/err")"
    # Value errors are reported before the screen would open.
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" --batch-size 0 </dev/null >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = 'esmcfg: --batch-size: 0 is out of range (1..10000, default 100)' ] ||
        fail "interactive value error: exit $rc, $(cat "$TMP/err")"
    # Missing options are not an error on screen: the person fills them in.
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" --focus batch-size </dev/null >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 4 ] || fail "interactive without options: exit $rc, $(cat "$TMP/err")"
fi

finish
