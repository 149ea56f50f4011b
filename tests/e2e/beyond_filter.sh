#!/usr/bin/env bash
# --test-filter and --preset from the command line: the bundled sample
# records (INSERT, MODIFY, REMOVE) against filters given as flags or loaded
# from a file, one line per filter, why a filter failed, warnings about
# DynamoDB pitfalls, the exit codes (0 a record reaches the function, 1
# none does, 2 no filter, 3 invalid, 4 unreadable); --preset safe in
# --batch (its values, flags over them, the destination it needs), in
# --help and in --list-options.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

R="$FIXTURES/records"
SRC=${SRCDIR:-$FIXTURES/../..}
INSERT='{"eventName": ["INSERT"]}'
SHIPPED='{"dynamodb": {"NewImage": {"status": {"S": ["SHIPPED"]}}, "OldImage": {"status": {"S": [{"anything-but": "SHIPPED"}]}}}}'

# check WHAT CONDITION...: one check.
check() {
    local what=$1
    shift
    CHECKS=$((CHECKS + 1))
    "$@" || fail "$what"
}

# --- one record, several filters -------------------------------------------------
run --test-filter "$R/modify.json" --filter "$INSERT" --filter "$SHIPPED"
check "modify: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "modify: title" grep -qx 'record: MODIFY, keys id="o-1001"' "$TMP/out"
check "modify: filter 1 fails, with why" grep -qx '  filter 1: no match  {"eventName": \["INSERT"\]}' "$TMP/out"
check "modify: why" grep -qx '            eventName: the record has "MODIFY"' "$TMP/out"
check "modify: filter 2 matches" grep -q '^  filter 2: match     {"dynamodb"' "$TMP/out"
check "modify: overall" grep -qx '  => sent to the function' "$TMP/out"
check "modify: no stderr" [ -z "$err" ]
run --test-filter "$R/remove.json" --filter "$INSERT" --filter "$SHIPPED"
check "remove: exit 1 ($rc)" [ "$rc" = 1 ]
check "remove: dropped" grep -qx '  => dropped: no filter matches' "$TMP/out"
check "remove: why for a nested field" grep -qx '            dynamodb.NewImage.status.S: not in the record' "$TMP/out"
# every bundled sample is a record, and examples/ has the same ones
for f in insert modify remove; do
    run --test-filter "$R/$f.json" --filter '{"eventSource": ["aws:dynamodb"]}'
    check "$f: a stream record (exit $rc): $err" [ "$rc" = 0 ]
    check "examples/records/$f.json is the fixture" cmp -s "$R/$f.json" "$SRC/examples/records/$f.json"
done

# --- an event with several records, from stdin --------------------------------------
python3 -c '
import json, sys
print(json.dumps({"Records": [json.load(open(sys.argv[i])) for i in (1, 2, 3)]}))' \
    "$R/insert.json" "$R/modify.json" "$R/remove.json" >"$TMP/event.json"
"$ESMCFG" --test-filter - --filter '{"eventName": ["INSERT", "MODIFY"]}' <"$TMP/event.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "event: exit 0 ($rc)" [ "$rc" = 0 ]
check "event: each record" grep -qx 'record 3 of 3: REMOVE, keys id="o-1001"' "$TMP/out"
check "event: summary" grep -qx '2 of 3 records sent to the function' "$TMP/out"

# --- filters from a file (--load) ----------------------------------------------------
run --test-filter "$R/insert.json" --load "$FIXTURES/golden/full.json"
check "loaded filters: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "loaded filters: two" grep -q '^  filter 2: ' "$TMP/out"
run --test-filter "$R/insert.json" --load "$FIXTURES/golden/full.json" --filter '{"eventName": ["REMOVE"]}'
check "flags replace loaded filters: exit 1 ($rc)" [ "$rc" = 1 ]
check "flags replace loaded filters: one" [ "$(grep -c '^  filter ' "$TMP/out")" = 1 ]

# --- warnings, invalid filters and records, usage ------------------------------------
run --test-filter "$R/insert.json" --filter '{"dynamodb": {"NewImage": {"total": {"N": [{"numeric": [">", 100]}]}}}}'
check "numeric on N: exit 1 ($rc)" [ "$rc" = 1 ]
check "numeric on N: warned" grep -q '^esmcfg: warning: --filter 1: dynamodb.NewImage.total.N\[0\]: numeric never matches an N attribute: a stream record writes its number as a string' "$TMP/err"
# EventBridge's wildcard: Lambda's page does not list it: a warning, and evaluated
run --test-filter "$R/insert.json" --filter '{"eventName": [{"wildcard": "IN*"}]}'
check "wildcard: exit 0 ($rc)" [ "$rc" = 0 ]
check "wildcard: warned" grep -q "^esmcfg: warning: --filter 1: eventName\[0\].wildcard: wildcard is not in Lambda's filter rule syntax (EventBridge has it): AWS may refuse the mapping" "$TMP/err"
check "wildcard: matches" grep -qx '  filter 1: match     {"eventName": \[{"wildcard": "IN\*"}\]}' "$TMP/out"
expect_code 3 --test-filter "$R/insert.json" --filter 'not json'
echo '{"foo": 1}' >"$TMP/bad.json"
expect_code 3 --test-filter "$TMP/bad.json" --filter "$INSERT"
check "not a record: said" grep -q 'not a DynamoDB stream record' "$TMP/err"
expect_code 4 --test-filter "$TMP/missing.json" --filter "$INSERT"
expect_code 2 --test-filter "$R/insert.json"
check "no filter: said" grep -q 'no filter to test' "$TMP/err"
expect_code 2 --test-filter "$R/insert.json" --filter "$INSERT" --check "$FIXTURES/golden/full.json"
expect_code 2 --test-filter "$R/insert.json" --filter "$INSERT" --apply

# --- --preset safe ---------------------------------------------------------------------
expect_err 3 'esmcfg: --preset safe needs --on-failure ARN: an SQS queue, SNS topic or S3 bucket for the records it gives up on (without one they are lost)' \
    "${BASE[@]}" --preset safe
run "${BASE[@]}" --preset safe --on-failure arn:aws:sqs:us-east-1:123456789012:orders-dlq
check "preset: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "preset: bisect" [ "$(json_get BisectBatchOnFunctionError)" = true ]
check "preset: 3 retries" [ "$(json_get MaximumRetryAttempts)" = 3 ]
check "preset: 1 hour" [ "$(json_get MaximumRecordAgeInSeconds)" = 3600 ]
check "preset: partial batch responses" [ "$(json_get FunctionResponseTypes)" = '["ReportBatchItemFailures"]' ]
run "${BASE[@]}" --retry-attempts 7 --preset safe --on-failure arn:aws:sqs:us-east-1:123456789012:orders-dlq --bisect-batch-on-error=false
check "flags over the preset, wherever given" [ "$(json_get MaximumRetryAttempts)" = 7 ] && [ "$(json_get BisectBatchOnFunctionError)" = false ]
run --batch --load "$FIXTURES/golden/minimal.json" --preset safe --on-failure arn:aws:sns:us-east-1:123456789012:t
check "preset over a loaded file" [ "$(json_get MaximumRecordAgeInSeconds)" = 3600 ]
expect_err 2 'esmcfg: --preset: risky is not a preset; one of: safe' "${BASE[@]}" --preset risky
"$ESMCFG" --help >"$TMP/help"
check "help: the preset and each reason" grep -q '^        --retry-attempts 3: three retries' "$TMP/help"
check "help: the destination to pick" grep -q '^        --on-failure ARN: yours to give:' "$TMP/help"
"$ESMCFG" --list-options | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = {x["name"]: x for x in d["presets"]}["safe"]
assert {s["option"]: s["value"] for s in p["settings"]} == {"bisect-batch-on-error": "true", "retry-attempts": "3", "max-record-age": "1h", "report-batch-item-failures": "true"}, p
assert p["must_pick"]["option"] == "on-failure"
assert all(s["why"] for s in p["settings"])
names = {o["name"]: o["names"] for o in d["options"]}
assert names["batch-size"]["terraform"] == "batch_size" and names["table"]["sam"] == "Stream", names
assert {"sam", "terraform", "cdk-ts", "cdk-python"} <= {f["name"] for f in d["formats"]}
' 2>"$TMP/err" || fail "--list-options: presets, terraform/sam names, formats: $(cat "$TMP/err")"
CHECKS=$((CHECKS + 1))

finish
