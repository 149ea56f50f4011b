#!/usr/bin/env bash
# Every option's values through the real binary: bounds (min-1, min, max,
# max+1), garbage, overflow, every duration and boolean syntax, and the
# exact "esmcfg: --OPTION: message" on stderr with exit 3.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

# out_of_range FLAG VALUE ALLOWED: exit 3, "VALUE is out of range (ALLOWED)".
out_of_range() {
    expect_err 3 "esmcfg: --$1: $2 is out of range ($3)" "${SAFE[@]}" "--$1=$2"
}

# --- integers ---------------------------------------------------------------
R='1..10000, default 100'
out_of_range batch-size 0 "$R"
out_of_range batch-size -1 "$R"
out_of_range batch-size 10001 "$R"
out_of_range batch-size 99999999999999999999 "$R"
expect_value batch-size 1 BatchSize 1
expect_value batch-size 10000 BatchSize 10000
expect_value batch-size 500 BatchSize 500
expect_err 3 'esmcfg: --batch-size: abc is not a whole number; allowed: 1..10000, default 100' "${SAFE[@]}" --batch-size abc
expect_err 3 'esmcfg: --batch-size: 10x is not a whole number; allowed: 1..10000, default 100' "${SAFE[@]}" --batch-size 10x
expect_err 3 'esmcfg: --batch-size: 0x10 is not a whole number; allowed: 1..10000, default 100' "${SAFE[@]}" --batch-size 0x10
expect_err 3 'esmcfg: --batch-size: 1e3 is not a whole number; allowed: 1..10000, default 100' "${SAFE[@]}" --batch-size 1e3
expect_err 3 'esmcfg: --batch-size: 1.5 is not a whole number (no fractions); allowed: 1..10000, default 100' \
    "${SAFE[@]}" --batch-size 1.5
expect_err 3 "esmcfg: --batch-size: a value is needed ($R)" "${SAFE[@]}" --batch-size ''

R='1..10, default 1'
out_of_range parallelization-factor 0 "$R"
out_of_range parallelization-factor 11 "$R"
out_of_range parallelization-factor 99999999999999999999 "$R"
expect_value parallelization-factor 1 ParallelizationFactor 1
expect_value parallelization-factor 10 ParallelizationFactor 10
expect_err 3 'esmcfg: --parallelization-factor: abc is not a whole number; allowed: 1..10, default 1' \
    "${SAFE[@]}" --parallelization-factor abc
expect_err 3 'esmcfg: --parallelization-factor: 1.5 is not a whole number (no fractions); allowed: 1..10, default 1' \
    "${SAFE[@]}" --parallelization-factor 1.5

R='-1 (infinite) or 0..10000, default -1 (infinite)'
out_of_range retry-attempts -2 "$R"
out_of_range retry-attempts 10001 "$R"
out_of_range retry-attempts 99999999999999999999 "$R"
expect_value retry-attempts -1 MaximumRetryAttempts -1
expect_value retry-attempts 0 MaximumRetryAttempts 0
expect_value retry-attempts 10000 MaximumRetryAttempts 10000
expect_err 3 'esmcfg: --retry-attempts: 10x is not a whole number; allowed: -1 (infinite) or 0..10000, default -1 (infinite)' \
    "${SAFE[@]}" --retry-attempts 10x
# A negative value as a separate argument is the option's value, not a flag.
expect_err 3 "esmcfg: --retry-attempts: -2 is out of range ($R)" "${SAFE[@]}" --retry-attempts -2

# --- durations ----------------------------------------------------------------
R='0..300 s, default 0s'
out_of_range max-batching-window -1 "$R"
out_of_range max-batching-window 301 "$R"
out_of_range max-batching-window 99999999999999999999 "$R"
expect_err 3 "esmcfg: --max-batching-window: 6m (360 s) is out of range ($R)" \
    "${SAFE[@]}" --max-batching-window 6m
expect_err 3 "esmcfg: --max-batching-window: PT301S (301 s) is out of range ($R)" \
    "${SAFE[@]}" --max-batching-window PT301S
expect_value max-batching-window 0 MaximumBatchingWindowInSeconds 0
expect_value max-batching-window 90 MaximumBatchingWindowInSeconds 90
expect_value max-batching-window 30s MaximumBatchingWindowInSeconds 30
expect_value max-batching-window 5m MaximumBatchingWindowInSeconds 300
expect_value max-batching-window 1m30s MaximumBatchingWindowInSeconds 90
expect_value max-batching-window PT5M MaximumBatchingWindowInSeconds 300
expect_value max-batching-window 300 MaximumBatchingWindowInSeconds 300
NOT_DUR='is not a duration (whole seconds: 90, 30s, 5m, 1h, 7d or PT5M); allowed: 0..300 s, default 0s'
expect_err 3 "esmcfg: --max-batching-window: 1.5m is not a whole number of seconds; allowed: 0..300 s, default 0s" \
    "${SAFE[@]}" --max-batching-window 1.5m
expect_err 3 "esmcfg: --max-batching-window: abc $NOT_DUR" "${SAFE[@]}" --max-batching-window abc
expect_err 3 "esmcfg: --max-batching-window: 10x $NOT_DUR" "${SAFE[@]}" --max-batching-window 10x
# infinite is only for options that allow -1.
expect_err 3 "esmcfg: --max-batching-window: infinite $NOT_DUR" \
    "${SAFE[@]}" --max-batching-window infinite

R='0..900 s, default 0s (none)'
out_of_range tumbling-window -1 "$R"
out_of_range tumbling-window 901 "$R"
expect_err 3 "esmcfg: --tumbling-window: 16m (960 s) is out of range ($R)" \
    "${SAFE[@]}" --tumbling-window 16m
expect_value tumbling-window 0 TumblingWindowInSeconds 0
expect_value tumbling-window 900 TumblingWindowInSeconds 900
expect_value tumbling-window 15m TumblingWindowInSeconds 900
expect_value tumbling-window PT15M TumblingWindowInSeconds 900

R='-1 (infinite) or 60..604800 s, default -1 (infinite)'
out_of_range max-record-age -2 "$R"
out_of_range max-record-age 0 "$R"
out_of_range max-record-age 59 "$R"
out_of_range max-record-age 604801 "$R"
expect_err 3 "esmcfg: --max-record-age: 8d (691200 s) is out of range ($R)" \
    "${SAFE[@]}" --max-record-age 8d
expect_err 3 "esmcfg: --max-record-age: 59s (59 s) is out of range ($R)" \
    "${SAFE[@]}" --max-record-age 59s
expect_value max-record-age -1 MaximumRecordAgeInSeconds -1
expect_value max-record-age infinite MaximumRecordAgeInSeconds -1
expect_value max-record-age 60 MaximumRecordAgeInSeconds 60
expect_value max-record-age 1m MaximumRecordAgeInSeconds 60
expect_value max-record-age 1h MaximumRecordAgeInSeconds 3600
expect_value max-record-age 7d MaximumRecordAgeInSeconds 604800
expect_value max-record-age 604800 MaximumRecordAgeInSeconds 604800
expect_value max-record-age PT1H MaximumRecordAgeInSeconds 3600
expect_value max-record-age P7D MaximumRecordAgeInSeconds 604800
expect_err 3 "esmcfg: --max-record-age: 1.5h is not a whole number of seconds; allowed: -1 (infinite) or 60..604800 s, default -1 (infinite)" \
    "${SAFE[@]}" --max-record-age 1.5h
expect_err 3 "esmcfg: --max-record-age: -1.5 is not a whole number (no fractions); allowed: -1 (infinite) or 60..604800 s, default -1 (infinite)" \
    "${SAFE[@]}" --max-record-age -1.5

# --- booleans -----------------------------------------------------------------
for v in true yes on 1 TRUE Yes; do
    expect_value bisect-batch-on-error "$v" BisectBatchOnFunctionError true
    expect_value enabled "$v" Enabled true
    expect_value report-batch-item-failures "$v" FunctionResponseTypes '["ReportBatchItemFailures"]'
done
for v in false no off 0 FALSE; do
    expect_value bisect-batch-on-error "$v" BisectBatchOnFunctionError false
    expect_value enabled "$v" Enabled false
    expect_value report-batch-item-failures "$v" FunctionResponseTypes absent
done
# A bare flag means true.
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --enabled --report-batch-item-failures
[ "$rc" = 0 ] && [ "$(json_get Enabled)" = true ] &&
    [ "$(json_get FunctionResponseTypes)" = '["ReportBatchItemFailures"]' ] ||
    fail "bare boolean flags: exit $rc, $out $err"
BOOL_MSG='is not a boolean (true, false, yes, no, on, off, 1 or 0)'
for f in bisect-batch-on-error enabled report-batch-item-failures; do
    expect_err 3 "esmcfg: --$f: maybe $BOOL_MSG" "${SAFE[@]}" "--$f=maybe"
    expect_err 3 "esmcfg: --$f: 2 $BOOL_MSG" "${SAFE[@]}" "--$f=2"
    # The value of a BOOL flag goes after '='; a separate word is a usage error.
    expect_err 2 "esmcfg: unexpected argument 'false' (a BOOL value goes after '=': --$f=false)" \
        "${SAFE[@]}" "--$f" false
done

# --- enum ---------------------------------------------------------------------
expect_value starting-position TRIM_HORIZON StartingPosition '"TRIM_HORIZON"'
expect_value starting-position latest StartingPosition '"LATEST"'
expect_err 3 'esmcfg: --starting-position: AT_TIMESTAMP is not allowed (TRIM_HORIZON or LATEST)' \
    "${SAFE[@]}" --starting-position AT_TIMESTAMP

# --- ARNs -----------------------------------------------------------------------
ACCT=123456789012
expect_value on-failure "arn:aws:sqs:us-east-1:$ACCT:orders-dlq" \
    DestinationConfig.OnFailure.Destination "\"arn:aws:sqs:us-east-1:$ACCT:orders-dlq\""
expect_value on-failure arn:aws:s3:::orders-failures \
    DestinationConfig.OnFailure.Destination '"arn:aws:s3:::orders-failures"'
expect_err 3 "esmcfg: --on-failure: orders.fifo is a FIFO queue; stream failures need a standard one" \
    "${SAFE[@]}" --on-failure "arn:aws:sqs:us-east-1:$ACCT:orders.fifo"
expect_err 3 "esmcfg: --on-failure: arn:aws:lambda:us-east-1:$ACCT:function:x is a Lambda function ARN; an on-failure destination is an SQS queue, SNS topic or S3 bucket ARN" \
    "${SAFE[@]}" --on-failure "arn:aws:lambda:us-east-1:$ACCT:function:x"
expect_err 3 "esmcfg: --on-failure: abc is not a valid ARN: it does not start with arn:" \
    "${SAFE[@]}" --on-failure abc
KEY="arn:aws:kms:us-east-1:$ACCT:key/1234abcd-12ab-34cd-56ef-1234567890ab"
expect_err 3 'esmcfg: --filter-kms-key: needs at least one filter (--filter): the key encrypts the filter criteria' \
    "${SAFE[@]}" --filter-kms-key "$KEY"
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --filter-kms-key "$KEY" --filter '{"eventName": ["INSERT"]}'
[ "$rc" = 0 ] && [ "$(json_get KMSKeyArn)" = "\"$KEY\"" ] || fail "KMS key with a filter: $rc $err"
expect_err 3 "esmcfg: --filter-kms-key: arn:aws:kms:us-east-1:$ACCT:alias/x is not a valid ARN: a KMS key ARN ends in key/KEY_ID (not an alias)" \
    "${SAFE[@]}" --filter '{"a": [1]}' --filter-kms-key "arn:aws:kms:us-east-1:$ACCT:alias/x"

# --- function -------------------------------------------------------------------
expect_value function "$FUNCTION_ARN" FunctionName "\"$FUNCTION_ARN\""
expect_value function process-orders:live FunctionName '"process-orders:live"'
expect_err 3 'esmcfg: --function: bad name! is not a function name or ARN: the name is 1..64 of a-z A-Z 0-9 - _' \
    "${SAFE[@]}" --function 'bad name!'
expect_err 3 'esmcfg: --function: is in region eu-west-1 but the stream is in us-east-1 (a mapping cannot cross regions)' \
    "${SAFE[@]}" --function "arn:aws:lambda:eu-west-1:$ACCT:function:process-orders"

# --- lists ----------------------------------------------------------------------
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --filter '{"eventName": ["INSERT"]}' --filter '{"eventName": ["MODIFY"]}'
[ "$rc" = 0 ] && [ "$(json_get FilterCriteria.Filters)" = '[{"Pattern": "{\"eventName\": [\"INSERT\"]}"}, {"Pattern": "{\"eventName\": [\"MODIFY\"]}"}]' ] ||
    fail "two filters: $rc $(json_get FilterCriteria.Filters) $err"
expect_err 3 'esmcfg: --filter 1: [1] is not a JSON object: a filter pattern is one, e.g. {"eventName": ["INSERT"]}' \
    "${SAFE[@]}" --filter '[1]'
expect_err 3 'esmcfg: --filter 1: { is not valid JSON (at character 2: the text ends inside an object)' \
    "${SAFE[@]}" --filter '{'
# The one filter check: the filter's number, the JSON path, the value, what is allowed.
expect_err 3 'esmcfg: --filter 2: a: "x" is not a list: a field'"'"'s conditions are a list, e.g. ["x"]' \
    "${SAFE[@]}" --filter '{"b": [1]}' --filter '{"a": "x"}'
expect_err 3 'esmcfg: --filter 1: a[0]: "bogus" is not an operator; Lambda has prefix, suffix, equals-ignore-case, anything-but, numeric, exists (EventBridge also has wildcard, cidr, exactly)' \
    "${SAFE[@]}" --filter '{"a": [{"bogus": 1}]}'
LONG=$(python3 -c 'print("{\"a\": [\"" + "x" * 4086 + "\"]}")') # 4097 characters
expect_err 3 'esmcfg: --filter 1: pattern of 4097 characters is too long (at most 4096)' \
    "${SAFE[@]}" --filter "$LONG"
OK4096=$(python3 -c 'print("{\"a\": [\"" + "x" * 4085 + "\"]}")')
expect_code 0 "${SAFE[@]}" --filter "$OK4096"
f() { printf -- '--filter\n{"eventID": ["%s"]}\n' "$@"; }
mapfile -t FIVE < <(f 1 2 3 4 5)
mapfile -t TEN < <(f 1 2 3 4 5 6 7 8 9 10)
expect_code 0 "${SAFE[@]}" "${FIVE[@]}"
# 6..10 filters: exported, with a warning naming the quota; 11: refused.
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" "${FIVE[@]}" --filter '{"eventID": ["6"]}'
[ "$rc" = 0 ] && [ "$err" = 'esmcfg: warning: --filter: 6 filters: Lambda takes 5 per mapping by default and refuses more unless the service quota "Filters per event source mapping" is raised (at most 10)' ] ||
    fail "6 filters: $rc $err"
expect_code 0 "${SAFE[@]}" "${TEN[@]}"
expect_code 3 "${SAFE[@]}" "${TEN[@]}" --filter '{"eventID": ["11"]}'
case "$err" in "esmcfg: --filter 11: at most 10 allowed"*) ;; *) fail "11 filters: $err" ;; esac
expect_err 3 'esmcfg: --filter 2: {"a":[1]} is given twice' "${SAFE[@]}" --filter '{"a":[1]}' --filter '{"a":[1]}'
# A pattern written over several lines is joined into one (the API takes one line).
expect_value filter $'{\n  "a": [1],\n  "b": ["x y"]\n}' FilterCriteria.Filters '[{"Pattern": "{\"a\": [1],\"b\": [\"x y\"]}"}]'

expect_value metrics EventCount MetricsConfig.Metrics '["EventCount"]'
expect_err 3 'esmcfg: --metrics: ErrorCount is not allowed (none or EventCount, default none)' \
    "${SAFE[@]}" --metrics ErrorCount
# --metrics is not repeatable: the last one wins; an empty list means none.
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --metrics EventCount --metrics ''
[ "$rc" = 0 ] && [ "$(json_get MetricsConfig)" = absent ] || fail "--metrics '': $rc $out $err"
expect_code 0 "${SAFE[@]}" --metrics ,

CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --tag team=orders --tag env=
[ "$rc" = 0 ] && [ "$(json_get Tags)" = '{"team": "orders", "env": ""}' ] ||
    fail "tags: $rc $(json_get Tags) $err"
expect_err 3 'esmcfg: --tag: novalue is not KEY=VALUE' "${SAFE[@]}" --tag novalue
expect_err 3 'esmcfg: --tag: aws:x=1 has a key starting with aws:, which AWS reserves' \
    "${SAFE[@]}" --tag aws:x=1
expect_err 3 'esmcfg: --tag: a is given twice' "${SAFE[@]}" --tag a=1 --tag a=2

# --- every value error is reported, not just the first ---------------------------
expect_err 3 "esmcfg: --batch-size: 0 is out of range (1..10000, default 100)
esmcfg: --parallelization-factor: 11 is out of range (1..10, default 1)
esmcfg: --max-record-age: 59 is out of range (-1 (infinite) or 60..604800 s, default -1 (infinite))
esmcfg: --tag: novalue is not KEY=VALUE" \
    "${SAFE[@]}" --batch-size 0 --parallelization-factor 11 --max-record-age 59 --tag novalue
# ... followed by the validation errors of the options that parsed.
expect_err 3 "esmcfg: --batch-size: 0 is out of range (1..10000, default 100)
esmcfg: --function: is required (a function name or ARN, optionally with :ALIAS or :VERSION)" \
    --batch --table "$STREAM" --starting-position LATEST --batch-size 0

# A later value of a flag that is not repeatable replaces the earlier one.
expect_value batch-size 7 BatchSize 7
CHECKS=$((CHECKS + 1))
run "${SAFE[@]}" --batch-size 5 --batch-size 6
[ "$(json_get BatchSize)" = 6 ] || fail "last --batch-size wins: $out"

finish
