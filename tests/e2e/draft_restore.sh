#!/usr/bin/env bash
# --restore for scripts: --batch --restore starts from the draft an
# interrupted session left in $XDG_STATE_HOME/esmcfg/draft.json (or
# ~/.local/state/esmcfg/), flags override it, a successful export removes
# it; no draft is exit 4, a damaged draft exit 3, both with the path.
# A batch run without --restore leaves a person's draft alone.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

export XDG_STATE_HOME="$TMP/state"
DRAFT="$XDG_STATE_HOME/esmcfg/draft.json"

# A draft as the screen leaves it: option texts and the context.
write_draft() {
    mkdir -p "$XDG_STATE_HOME/esmcfg"
    cat >"$DRAFT" <<EOF
{
  "esmcfg_draft": 1,
  "saved_at": 1718000000,
  "options": {
    "table": "$STREAM",
    "function": "$FUNCTION_ARN",
    "starting-position": "TRIM_HORIZON",
    "batch-size": "500",
    "max-batching-window": "10s",
    "bisect-batch-on-error": "true",
    "retry-attempts": "10",
    "max-record-age": "1h",
    "on-failure": "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
    "filter": ["{\"eventName\": [\"INSERT\"]}"],
    "tag": ["team=orders"]
  },
  "context": {"table_name": "orders", "function_role": "$ROLE"}
}
EOF
    chmod 0600 "$DRAFT"
}

# --- no draft: exit 4, naming where it looked -----------------------------------
expect_err 4 "esmcfg: --restore: no draft to restore ($DRAFT does not exist)" --batch --restore
(
    unset XDG_STATE_HOME
    export HOME="$TMP/home"
    expect_err 4 "esmcfg: --restore: no draft to restore ($HOME/.local/state/esmcfg/draft.json does not exist)" \
        --batch --restore
    exit "$FAILS"
) || FAILS=$((FAILS + 1))

# --- usage ------------------------------------------------------------------------
expect_err 2 'esmcfg: give either --load FILE or --restore, not both' \
    --batch --restore --load "$TMP/x.json"
expect_err 2 'esmcfg: --check FILE checks the file as it is: it takes no --restore' \
    --restore --check "$TMP/x.json"
expect_err 2 'esmcfg: --restore takes no value' --batch --restore=yes

# --- restored, flags override, the draft removed after the export ----------------
write_draft
run --batch --restore --batch-size 600 --format cfn-json
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] || fail "--batch --restore: exit $rc: $err"
printf '%s' "$out" | python3 -c '
import json, sys
t = json.load(sys.stdin)
r = t["Resources"]
m = [v for v in r.values() if v["Type"] == "AWS::Lambda::EventSourceMapping"][0]["Properties"]
assert m["BatchSize"] == 600, m
assert m["StartingPosition"] == "TRIM_HORIZON", m
assert m["MaximumBatchingWindowInSeconds"] == 10, m
assert m["FilterCriteria"]["Filters"] == [{"Pattern": "{\"eventName\": [\"INSERT\"]}"}], m
assert m["Tags"] == [{"Key": "team", "Value": "orders"}], m
assert any(v["Type"] == "AWS::IAM::Policy" for v in r.values()), "the role was lost"
' || fail "--batch --restore: wrong export: $out"
[ ! -e "$DRAFT" ] || fail "the draft stays after a successful export"

# A failed export keeps the draft.
write_draft
expect_code 3 --batch --restore --batch-size 0
[ -e "$DRAFT" ] || fail "a failed export removed the draft"
expect_code 4 --batch --restore -o "$TMP"
[ -e "$DRAFT" ] || fail "a failed write removed the draft"

# A repeatable flag replaces the draft's list; --unset works as after --load.
run --batch --restore --tag env=prod --unset filter
CHECKS=$((CHECKS + 1))
[ "$rc" = 0 ] && [ "$(json_get Tags)" = '{"env": "prod"}' ] &&
    [ "$(json_get FilterCriteria)" = absent ] ||
    fail "--restore --tag --unset: exit $rc, Tags $(json_get Tags), $(json_get FilterCriteria): $err"

# A batch run without --restore leaves the draft alone.
write_draft
expect_ok "${SAFE[@]}"
[ -e "$DRAFT" ] || fail "a batch run without --restore removed the draft"

# --- a damaged draft: exit 3 (invalid value) or 4 (unreadable), path named ---------
write_draft
sed -i 's/"batch-size": "500"/"batch-size": "0"/' "$DRAFT"
expect_err 3 "esmcfg: --restore: $DRAFT: options.batch-size: 0 is out of range (1..10000, default 100)" \
    --batch --restore
printf '{"esmcfg_draft": 1, "options": {"table": "a\\u001b]0;pwned\\u0007"}}' >"$DRAFT"
run --batch --restore
CHECKS=$((CHECKS + 1))
[ "$rc" = 3 ] || fail "an escape sequence in a draft: exit $rc"
! printf '%s' "$err" | grep -qP '\x1b|\x07' || fail "a raw control character reached stderr: $err"
printf '%s' "$err" | grep -qF 'a\x1b]0;pwned\x07' || fail "not shown escaped: $err"
printf 'not json' >"$DRAFT"
expect_err 3 "esmcfg: --restore: $DRAFT: draft: is not valid JSON" --batch --restore
rm -f "$DRAFT"
mkdir "$DRAFT"
expect_err 4 "esmcfg: --restore: $DRAFT: Is a directory" --batch --restore
rmdir "$DRAFT"

finish
