#!/usr/bin/env bash
# --load as scripts use it: every golden export loads and exports again to
# the same bytes (stdout, -o FILE, a pipe through "-"), across formats;
# flags override loaded values; --unset; AWS CLI output with --uuid;
# problems named with FILE:LINE: PATH and exit 3; ambiguity exit 2;
# unreadable files exit 4; nothing written on an error.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

G="$FIXTURES/golden"
L="$FIXTURES/load"

# The --format of a golden file, from its name.
format_of() {
    case $1 in
    *.cfn.json) echo cfn-json ;;
    *.cfn.yaml) echo cfn-yaml ;;
    *) echo json ;;
    esac
}

# --- round trips: export, load, export again: the same bytes -----------------------
# (refs*: references need the inventory of their template; test_load covers them.)
for f in "$G"/{minimal,full,role-sqs,role-sns,role-s3}{.json,.cfn.json,.cfn.yaml}; do
    fmt=$(format_of "$f")
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --batch --load "$f" --format "$fmt" >"$TMP/again" 2>"$TMP/err" </dev/null
    rc=$?
    [ "$rc" = 0 ] && cmp -s "$TMP/again" "$f" ||
        fail "round trip $(basename "$f"): exit $rc, $(diff "$f" "$TMP/again" | head -5) $(cat "$TMP/err")"
    # through a pipe and -o FILE
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --batch --load - --format "$fmt" -o "$TMP/file" <"$f" 2>/dev/null &&
        cmp -s "$TMP/file" "$f" || fail "round trip through stdin and -o: $(basename "$f")"
done

# Across formats: a template loads into the API JSON, the API JSON (with the
# role) into the templates.
for case in full role-sqs role-sns role-s3 minimal; do
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --batch --load "$G/$case.cfn.yaml" --format json 2>/dev/null | cmp -s - "$G/$case.json" ||
        fail "$case: cfn-yaml -> json differs from the golden json"
    role=()
    [ "$case" = minimal ] || role=(--function-role "arn:aws:iam::123456789012:role/service-role/process-orders-role")
    CHECKS=$((CHECKS + 1))
    "$ESMCFG" --batch --load "$G/$case.json" "${role[@]}" --format cfn-json 2>/dev/null |
        cmp -s - "$G/$case.cfn.json" || fail "$case: json -> cfn-json differs from the golden template"
done

# --- flags override what was loaded ------------------------------------------------
run --batch --load "$G/full.json" --batch-size 7 --tag owner=me --enabled
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get BatchSize)" = 7 ] && [ "$(json_get Tags)" = '{"owner": "me"}' ] &&
    [ "$(json_get Enabled)" = true ] && [ "$(json_get MaximumRetryAttempts)" = 3 ] ||
    fail "flags over --load: exit $rc, $out"
# --filter '' empties the loaded filters; the KMS key then needs --unset.
expect_err 3 'esmcfg: --filter-kms-key: needs at least one filter (--filter): the key encrypts the filter criteria' \
    --batch --load "$G/full.json" --filter ''
run --batch --load "$G/full.json" --filter '' --unset filter-kms-key --unset on-failure --unset tag
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get FilterCriteria)" = absent ] && [ "$(json_get KMSKeyArn)" = absent ] &&
    [ "$(json_get DestinationConfig)" = absent ] && [ "$(json_get Tags)" = absent ] ||
    fail "--unset after --load: exit $rc, $out"
# --logical-id renames the loaded template's mapping.
run --batch --load "$G/minimal.cfn.json" --logical-id Renamed --format cfn-json
CHECKS=$((CHECKS + 1))
grep -q '"Renamed": {' <<<"$out" || fail "--logical-id over a loaded template: $out"

# --- AWS CLI output ------------------------------------------------------------------
run --batch --load "$L/get.json"
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get FunctionName)" = '"arn:aws:lambda:us-east-1:123456789012:function:process-orders"' ] &&
    [ "$(json_get Enabled)" = false ] && [ "$(json_get UUID)" = absent ] ||
    fail "get-event-source-mapping output to json: exit $rc, $out"
expect_ok --batch --load "$L/get.yaml" --format json --filter-kms-key arn:aws:kms:us-east-1:123456789012:key/k \
    --report-batch-item-failures=false
run --batch --load "$L/list.json" --uuid a1b2c3d4-2222-4e5f-8a9b-000000000003
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get FunctionName)" = '"arn:aws:lambda:us-east-1:123456789012:function:sync-customers"' ] ||
    fail "--uuid picks from the list: exit $rc, $out"
expect_err 2 "esmcfg: $L/list.json:2: EventSourceMappings: holds 2 DynamoDB stream mappings; pick one with --uuid: 6d9bce8e-836b-442c-8070-74e77903c815 (orders -> arn:aws:lambda:us-east-1:123456789012:function:process-orders), a1b2c3d4-2222-4e5f-8a9b-000000000003 (customers -> arn:aws:lambda:us-east-1:123456789012:function:sync-customers)" \
    --batch --load "$L/list.json"
expect_err 3 "esmcfg: $L/list.json:2: EventSourceMappings: has no mapping with UUID 0000" \
    --batch --load "$L/list.json" --uuid 0000
expect_err 3 "esmcfg: $G/full.json: --uuid picks a mapping from AWS CLI output; this is json" \
    --batch --load "$G/full.json" --uuid 0000

# --- problems: where they are, all of them, exit 3 -----------------------------------
sed -e 's/BatchSize: 500/BatchSize: 0/' -e 's/MaximumRetryAttempts: 3/MaximumRetryAttempts: "3"/' \
    -e 's/KmsKeyArn:/KMSKeyArn:/' "$G/full.cfn.yaml" >"$TMP/bad.yaml"
P=Resources.OrdersProcessOrdersMapping.Properties
expect_err 3 "esmcfg: $TMP/bad.yaml:11: $P.BatchSize: 0 is out of range (1..10000, default 100)
esmcfg: $TMP/bad.yaml:15: $P.MaximumRetryAttempts: is a string, not a number (-1 (infinite) or 0..10000, default -1 (infinite))
esmcfg: $TMP/bad.yaml:27: $P.KMSKeyArn: is not a property esmcfg knows here (did you mean KmsKeyArn?)" \
    --batch --load "$TMP/bad.yaml"
printf '{\n  "BatchSize": 5,\n  oops\n}\n' >"$TMP/bad.json"
expect_err 3 "esmcfg: $TMP/bad.json:3: invalid JSON at column 4" --batch --load "$TMP/bad.json"
printf 'Resources:\n  A: [1\n' >"$TMP/bad2.yaml"
expect_code 3 --batch --load "$TMP/bad2.yaml"
case "$err" in "esmcfg: $TMP/bad2.yaml:3: "*) ;; *) fail "YAML syntax error without its line: $err" ;; esac
sed 's/500/0/' "$G/full.json" >"$TMP/piped.json"
CHECKS=$((CHECKS + 1))
"$ESMCFG" --batch --load - <"$TMP/piped.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 3 ] && [ ! -s "$TMP/out" ] &&
    [ "$(cat "$TMP/err")" = 'esmcfg: stdin:5: BatchSize: 0 is out of range (1..10000, default 100)' ] ||
    fail "--load - with a problem: exit $rc, $(cat "$TMP/err")"
expect_err 3 "esmcfg: $TMP/u.json: is an update request, which holds only changes: load the mapping itself (aws lambda get-event-source-mapping --uuid UUID)" \
    --batch --load "$(printf '{"UUID": "u", "BatchSize": 5}' >"$TMP/u.json" && echo "$TMP/u.json")"
expect_err 4 "esmcfg: --load: $TMP/missing.json: No such file or directory" --batch --load "$TMP/missing.json"
# Usage: --uuid and --unset need --load; --unset needs an option's name.
expect_err 2 'esmcfg: --uuid picks the mapping to load: give --load FILE too' --batch --uuid x
expect_err 2 'esmcfg: --unset resets a loaded option: give --load FILE too' "${SAFE[@]}" --unset tag
expect_err 2 'esmcfg: --unset: nope is not an option (see esmcfg --list-options)' --batch --unset nope

# --- nothing is written on an error ----------------------------------------------------
printf 'precious\n' >"$TMP/keep.json"
expect_code 3 --batch --load "$TMP/bad.yaml" -o "$TMP/keep.json"
expect_code 2 --batch --load "$L/list.json" -o "$TMP/keep.json"
expect_code 4 --batch --load "$TMP/missing.json" -o "$TMP/keep.json"
CHECKS=$((CHECKS + 1))
[ "$(cat "$TMP/keep.json")" = precious ] || fail "-o FILE changed on a --load error"

# --- on screen: problems are reported before the screen opens --------------------------
if command -v setsid >/dev/null; then
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" --load "$TMP/bad.yaml" </dev/null >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 3 ] && [ ! -s "$TMP/out" ] && grep -q "bad.yaml:11: " "$TMP/err" ||
        fail "--load on screen with problems: exit $rc, $(cat "$TMP/err")"
    CHECKS=$((CHECKS + 1))
    setsid -w "$ESMCFG" --load "$G/full.json" </dev/null >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 4 ] && [ "$(cat "$TMP/err")" = 'esmcfg: no terminal: use --batch' ] && [ ! -s "$TMP/out" ] ||
        fail "--load on screen without a terminal: exit $rc, $(cat "$TMP/err")"
fi

finish
