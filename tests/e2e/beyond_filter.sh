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

# --- any number of records: a list, an event, one per line; a summary; --explain ----------
python3 - "$R" "$TMP" <<'PY'
import json, sys
r, tmp = sys.argv[1], sys.argv[2]
recs = [json.load(open("%s/%s.json" % (r, f))) for f in ("insert", "modify", "remove")] * 4
with open(tmp + "/lines.json", "w") as f:
    for x in recs:
        f.write(json.dumps(x) + "\n")
json.dump(recs, open(tmp + "/list.json", "w"), indent=1)
json.dump({"Records": recs, "other": {"x": [1]}}, open(tmp + "/event12.json", "w"))
PY
for f in lines list event12; do
    run --test-filter "$TMP/$f.json" --filter "$INSERT"
    check "$f: exit 0 ($rc): $err" [ "$rc" = 0 ]
    check "$f: the summary" grep -qx '12 records: 4 sent to the function, 8 dropped (no filter matches)' "$TMP/out"
    check "$f: per filter" grep -qx '  filter 1 matches 4  {"eventName": \["INSERT"\]}' "$TMP/out"
    check "$f: the first dropped records, in full" [ "$(grep -c '^record [0-9]*: ' "$TMP/out")" = 3 ]
    check "$f: record 2 is one of them" grep -qx 'record 2: MODIFY, keys id="o-1001"' "$TMP/out"
    check "$f: says how to see all" grep -qx '(the first dropped records are shown above; --explain shows every record)' "$TMP/out"
done
run --test-filter "$TMP/lines.json" --filter "$INSERT" --explain
check "--explain: every record" [ "$(grep -c '^record [0-9]*: ' "$TMP/out")" = 12 ]
check "--explain: record 12" grep -qx 'record 12: REMOVE, keys id="o-1001"' "$TMP/out"
expect_code 2 --test-filter "$R/insert.json" --filter "$INSERT" --explain --check x
expect_err 2 'esmcfg: --explain says how --test-filter shows its records: give --test-filter too' \
    "${BASE[@]}" --explain

# --- bad input: the file, the record number, what is wrong; nothing crashes or hangs -------
head -c 2000 "$TMP/lines.json" >"$TMP/cut.json"
run --test-filter "$TMP/cut.json" --filter "$INSERT"
check "truncated: exit 3 ($rc)" [ "$rc" = 3 ]
check "truncated: said" grep -q "^esmcfg: --test-filter: $TMP/cut.json: record 3 (line 3): the file ends inside it (line 3, column [0-9]*): the text ends inside an\{0,1\} [a-z]*; is it cut short?\$" "$TMP/err"
{ sed -n 1,2p "$TMP/lines.json"; echo '{"eventName": "INSERT",, "x": 1}'; } >"$TMP/bad3.json"
run --test-filter "$TMP/bad3.json" --filter "$INSERT"
check "malformed: exit 3 ($rc)" [ "$rc" = 3 ]
check "malformed: said" grep -qx "esmcfg: --test-filter: $TMP/bad3.json: record 3 (line 3): not valid JSON (line 3, column 24): expected a member name in double quotes" "$TMP/err"
printf '[%s, 5]\n' "$(sed -n 1p "$TMP/lines.json")" >"$TMP/num.json"
run --test-filter "$TMP/num.json" --filter "$INSERT"
check "not an object: said" grep -qx "esmcfg: --test-filter: $TMP/num.json: record 2 (line 1): a number, not a stream record (a record is a JSON object)" "$TMP/err"
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$TMP/deep.json"
run --test-filter "$TMP/deep.json" --filter "$INSERT"
check "100k deep: exit 3 ($rc)" [ "$rc" = 3 ]
check "100k deep: said" grep -qx "esmcfg: --test-filter: $TMP/deep.json: record 1 (line 1): not valid JSON (line 1, column 1001): nested deeper than 1000 levels" "$TMP/err"
: >"$TMP/empty.json"
expect_err 3 "esmcfg: --test-filter: $TMP/empty.json: no records: the file is empty" \
    --test-filter "$TMP/empty.json" --filter "$INSERT"
echo '[]' >"$TMP/none.json"
expect_err 3 'esmcfg: --test-filter: no records: the list is empty' --test-filter "$TMP/none.json" --filter "$INSERT"
# a record of 200,000 attributes, one named twice: refused at once (linear check)
python3 - "$TMP" <<'PY'
import sys
t = sys.argv[1]
body = ", ".join('"a%d": {"S": "v"}' % i for i in range(200000))
open(t + "/big.json", "w").write('{"eventName": "INSERT", "dynamodb": {"NewImage": {%s, "a7": {"S": "w"}}}}' % body)
PY
run --test-filter "$TMP/big.json" --filter "$INSERT"
check "200k members, one twice: exit 3 ($rc)" [ "$rc" = 3 ]
check "200k members, one twice: named" grep -q 'the member "a7" appears twice in one object' "$TMP/err"

# --- the filter warnings in --batch and --check, with the stream view type -----------------
NEVER='{"dynamodb": {"NewImage": {"status": ["PAID"]}}}'
run "${BASE[@]}" --inventory "$SRC/examples/inventory.json" --table inventory-levels --filter "$NEVER" --filter '{"eventName": ["insert"]}'
check "batch warnings: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "batch: the attribute without its type" grep -qx 'esmcfg: warning: --filter 1: dynamodb.NewImage.status: never matches: a stream record holds an attribute as an object of its type ({"S": "PAID"}, {"N": "42"}); write {"status": {"S": \["PAID"\]}} (or the attribute'"'"'s type)' "$TMP/err"
check "batch: KEYS_ONLY has no NewImage" grep -qx 'esmcfg: warning: --filter 1: dynamodb.NewImage: the table'"'"'s stream view type is KEYS_ONLY, so its records carry no NewImage: this never matches; filter on Keys, or change the stream to NEW_IMAGE or NEW_AND_OLD_IMAGES' "$TMP/err"
check "batch: the event name" grep -q '^esmcfg: warning: --filter 2: eventName\[0\]: "insert" is never a stream record' "$TMP/err"
"$ESMCFG" "${BASE[@]}" --filter "$NEVER" -o "$TMP/never.json" 2>/dev/null
"$ESMCFG" --check "$TMP/never.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "check: exit 0 with warnings ($rc)" [ "$rc" = 0 ]
check "check: the pattern's line" grep -q "^esmcfg: warning: $TMP/never.json:[0-9]*: FilterCriteria.Filters\[0\].Pattern: dynamodb.NewImage.status: never matches" "$TMP/err"
line=$(grep -n '"Pattern"' "$TMP/never.json" | cut -d: -f1)
check "check: that line is the Pattern's ($line)" grep -q "never.json:$line: FilterCriteria" "$TMP/err"

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
