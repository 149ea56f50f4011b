#!/usr/bin/env bash
# --check FILE as a script runs it before deploying: every export esmcfg
# writes passes (exit 0, nothing on stdout); every problem of a broken file
# is listed with FILE:LINE: PATH, in line order, and the exit is 3; a
# missing file is 4; --check with option flags is a usage error (2).
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

G="$FIXTURES/golden"
L="$FIXTURES/load"

# --- what esmcfg writes passes ------------------------------------------------------
for f in "$G"/{minimal,full,role-sqs,role-sns,role-s3,refs,refs-mixed}{.json,.cfn.json,.cfn.yaml} \
    "$L/get.json" "$L/get.yaml" "$L/list.json"; do
    [ -e "$f" ] || continue # refs exist as templates only
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --check "$f" >"$TMP/out" 2>"$TMP/err" </dev/null
    rc=$?
    [ "$rc" = 0 ] && [ ! -s "$TMP/out" ] && ! grep -qv '^esmcfg: warning: ' "$TMP/err" ||
        fail "--check $(basename "$f"): exit $rc, $(cat "$TMP/err")"
done
# Exports made now, in every format (update-json from a loaded AWS mapping).
for fmt in json cfn-json cfn-yaml; do
    "$ESMCFG" "${SAFE[@]}" --format "$fmt" -o "$TMP/e.$fmt" </dev/null
    expect_ok --check "$TMP/e.$fmt"
done
"$ESMCFG" --batch --load "$L/get.json" --unset on-failure --unset filter --retry-attempts 2 \
    --format update-json -o "$TMP/update.json" </dev/null 2>/dev/null
expect_code 0 --check "$TMP/update.json"
# Through a pipe.
CHECKS=$((CHECKS + 1))
"$ESMCFG" "${SAFE[@]}" --format cfn-yaml </dev/null | "$ESMCFG" --check - 2>"$TMP/err" ||
    fail "--check - from a pipe: $(cat "$TMP/err")"

# --- every problem, where it is ------------------------------------------------------------
printf '%s\n' '{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q",' \
    ' "FunctionName": "f", "StartingPosition": "LATEST",' \
    ' "BatchSize": 20000, "Foo": 1,' \
    ' "FilterCriteria": {"Filters": [{"Pattern": "not json"}]},' \
    ' "KMSKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}' >"$TMP/c.json"
expect_err 3 "esmcfg: $TMP/c.json:1: EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q is an SQS queue ARN, not a DynamoDB stream ARN
esmcfg: warning: $TMP/c.json:1: MaximumRetryAttempts: with infinite retries and record age, one bad record can block its shard for up to a day; safer: --bisect-batch-on-error, finite --retry-attempts and --max-record-age, and --on-failure
esmcfg: $TMP/c.json:3: BatchSize: 20000 is out of range (1..10000, default 100)
esmcfg: $TMP/c.json:3: Foo: is not a property esmcfg knows (not an option of a DynamoDB stream mapping)
esmcfg: $TMP/c.json:4: FilterCriteria.Filters[0].Pattern: not json is not valid JSON (at character 1: an unexpected character (a value is a string, number, object, array, true, false or null))" \
    --check "$TMP/c.json"

# A template: values, a required property (and the policy, once the values pass).
P=Resources.OrdersProcessOrdersMapping.Properties
sed -e '/StartingPosition:/d' -e 's/TumblingWindowInSeconds: 120/TumblingWindowInSeconds: 1000/' \
    -e 's/sqs:GetQueueUrl/sqs:GetQueueURL/' "$G/full.cfn.yaml" >"$TMP/t.yaml"
expect_err 3 "esmcfg: $TMP/t.yaml:7: $P.StartingPosition: is required (TRIM_HORIZON or LATEST)
esmcfg: $TMP/t.yaml:12: $P.TumblingWindowInSeconds: 1000 is out of range (0..900 s, default 0s (none))" \
    --check "$TMP/t.yaml"
sed -e 's/sqs:GetQueueUrl/sqs:GetQueueURL/' "$G/full.cfn.yaml" >"$TMP/p.yaml"
expect_err 3 "esmcfg: $TMP/p.yaml:45: Resources.OrdersProcessOrdersMappingPolicy.Properties.PolicyDocument.Statement: lacks a permission the mapping needs: Allow sqs:SendMessage, sqs:GetQueueAttributes, sqs:GetQueueUrl on arn:aws:sqs:us-east-1:123456789012:orders-dlq" \
    --check "$TMP/p.yaml"
printf 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n' >"$TMP/noesm.yaml"
expect_err 3 "esmcfg: $TMP/noesm.yaml:2: Resources: has no AWS::Lambda::EventSourceMapping resource" \
    --check "$TMP/noesm.yaml"
# An update request cannot carry the stream.
sed 's/"UUID": \(.*\),/"UUID": \1, "EventSourceArn": "x",/' "$TMP/update.json" >"$TMP/u2.json"
expect_code 3 --check "$TMP/u2.json"
CHECKS=$((CHECKS + 1))
[ "$(head -1 <<<"$err")" = "esmcfg: $TMP/u2.json:2: EventSourceArn: is not part of an update request: a mapping's stream cannot be changed: create a new mapping" ] ||
    fail "--check of an update request with the stream: $err"
printf 'a: [1\n' >"$TMP/syntax.yaml"
expect_code 3 --check "$TMP/syntax.yaml"
case "$err" in "esmcfg: $TMP/syntax.yaml:2: "*) ;; *) fail "syntax error without its line: $err" ;; esac

# --- usage and I/O --------------------------------------------------------------------------
expect_err 4 "esmcfg: --check: $TMP/none.json: No such file or directory" --check "$TMP/none.json"
expect_err 2 'esmcfg: --check FILE checks the file as it is: it takes no --load and no option flags' \
    --check "$G/full.json" --batch-size 5
expect_err 2 'esmcfg: --check FILE checks the file as it is: it takes no --load and no option flags' \
    --check "$G/full.json" --load "$G/full.json"
expect_err 2 'esmcfg: --check needs a value (FILE)' --check

finish
