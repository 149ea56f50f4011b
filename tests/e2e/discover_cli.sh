#!/usr/bin/env bash
# --discover from the command line, against a replacement aws
# (tests/fixtures/discover/aws) that replays recorded answers: what is run
# (argv only, --profile/--region only when given, a session of its own),
# what lands in the inventory (--save-inventory, --batch --table NAME), and
# every failure: no aws, no credentials, access denied, throttling, a call
# that never answers, broken answers, hostile table names.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

FAKE="$FIXTURES/discover"
PWNED=/tmp/esmcfg-discover-pwned
export FAKE_AWS_LOG="$TMP/aws.log" FAKE_AWS_PIDS="$TMP/pids"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION ESMCFG_AWS_TIMEOUT
BIN=$(readlink -f "$ESMCFG")
REQ=(--function process-orders --starting-position LATEST)

# disc SCENARIO ARGS...: run esmcfg with the fake aws first on PATH.
disc() {
    local scenario=$1
    shift
    : >"$FAKE_AWS_LOG"
    FAKE_AWS_SCENARIO=$scenario PATH="$FAKE:$PATH" run "$@"
    all_err=$err
    err=$(settled "$err")
}

# settled TEXT: TEXT without the progress lines that a later one replaced
# (off a terminal a line comes every 2 s, so a loaded machine shows more).
settled() {
    awk '/^esmcfg: discovery: / { last = $0; next }
         { if (last != "") { print last; last = "" } print }
         END { if (last != "") print last }' <<<"$1"
}

# check WHAT CONDITION...: one check; CONDITION is a command.
check() {
    local what=$1
    shift
    CHECKS=$((CHECKS + 1))
    "$@" || fail "$what"
}

# log_py CODE: run Python CODE with `calls` (the fake's log, one dict per
# call) and `argvs`; it prints a problem or nothing.
log_py() {
    python3 - "$FAKE_AWS_LOG" "$BIN" "$1" <<'EOF'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
argvs = [c["argv"] for c in calls]
binary = sys.argv[2]
exec(sys.argv[3])
EOF
}

# expect_log WHAT CODE: the Python check CODE about the log printed nothing.
expect_log() {
    local problem
    problem=$(log_py "$2" 2>&1)
    CHECKS=$((CHECKS + 1))
    [ -z "$problem" ] || fail "$1: $problem"
}

# gone PID: the process is gone (or a zombie nobody reaped) within a second.
gone() {
    for _ in $(seq 20); do
        [ -e "/proc/$1" ] || return 0
        grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# no_escape TEXT: TEXT holds no raw ESC byte.
no_escape() {
    [[ "$1" != *$'\e'* ]]
}

# only_progress TEXT: every line of TEXT is a progress line.
only_progress() {
    ! grep -v '^esmcfg: discovery: tables [0-9]*/[0-9]*, ' <<<"$1"
}

# no_cr TEXT: TEXT holds no carriage return.
no_cr() {
    [[ "$1" != *$'\r'* ]]
}

# inv_py FILE CODE: run Python CODE with `inv`, the saved inventory document.
inv_py() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
inv = json.load(open(sys.argv[1]))
exec(sys.argv[2])
EOF
}

# --- an account that answers everything ---------------------------------------
disc success --discover --region us-east-1 --save-inventory "$TMP/inv.json"
check "success: exit $rc, stderr: $err" [ "$rc" = 0 ]
check "success: stderr: $err" [ "$err" = 'esmcfg: discovery: tables 4/4, functions 3, queues 2, topics 1' ]
check "success: stdout: $out" [ -z "$out" ]
problem=$(inv_py "$TMP/inv.json" '
t = {x["arn"].split("/")[-1]: x for x in inv.get("tables", [])}
f = {x["arn"].split(":")[-1]: x for x in inv.get("functions", [])}
want_stream = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-03-01T10:15:30.123"
if set(t) != {"orders", "customers", "events", "audit-log"}: print("tables", sorted(t))
elif t["orders"].get("stream_arn") != want_stream: print("orders stream", t["orders"])
elif t["orders"].get("stream_view_type") != "NEW_AND_OLD_IMAGES": print("orders view", t["orders"])
elif t["events"].get("stream_view_type") != "KEYS_ONLY": print("events view", t["events"])
elif "stream_arn" in t["customers"]: print("customers has no stream", t["customers"])
elif "stream_arn" in t["audit-log"]: print("audit-log stream is disabled", t["audit-log"])
elif set(f) != {"process-orders", "audit-writer", "thumbnailer"}: print("functions", sorted(f))
elif f["process-orders"].get("role") != "arn:aws:iam::123456789012:role/process-orders-role": print("role", f)
elif f["audit-writer"].get("runtime") != "nodejs20.x": print("runtime", f["audit-writer"])
elif len(inv.get("queues", [])) != 2 or len(inv.get("topics", [])) != 1: print("queues/topics", inv)
' 2>&1)
check "success: saved inventory: $problem" [ -z "$problem" ]
# The saved document reads back.
run --batch --inventory "$TMP/inv.json" --table orders "${REQ[@]}"
check "success: saved inventory reads back: exit $rc: $err" [ "$rc" = 0 ]

expect_log 'what was run' '
lists = [a[:2] for a in argvs if a[1] != "describe-table"]
described = sorted(a[2] for a in argvs if a[1] == "describe-table")
if sorted(lists) != [["dynamodb", "list-tables"], ["lambda", "list-functions"], ["sns", "list-topics"], ["sqs", "list-queues"]]: print("lists", lists)
elif described != ["--table-name=audit-log", "--table-name=customers", "--table-name=events", "--table-name=orders"]: print("described", described)
for c in calls:
    a = c["argv"]
    tail = a[3:] if a[1] == "describe-table" else a[2:]
    if tail != ["--output", "json", "--region", "us-east-1"]: print("flags", a)
    if c["parent"] != binary: print("parent is", c["parent"], "not", binary)
    if not c["own_session"] or c["terminal"] or c["stdin_tty"]: print("session/terminal", c)
    if c["env"].get("AWS_PAGER") != "" or c["env"].get("AWS_CLI_AUTO_PROMPT") != "off": print("env", c["env"])
    if "AWS_PROFILE" in c["env"] or "AWS_REGION" in c["env"]: print("env", c["env"])
'

# --profile and --region are passed when given ...
disc success --discover --profile prod --region eu-west-1 --save-inventory "$TMP/inv2.json"
check "--profile: exit $rc: $err" [ "$rc" = 0 ]
expect_log '--profile --region' '
for a in argvs:
    if a[-6:] != ["--output", "json", "--profile", "prod", "--region", "eu-west-1"]: print(a)
'
# ... and left to aws's own AWS_PROFILE / AWS_REGION otherwise.
AWS_PROFILE=prod AWS_REGION=eu-west-1 disc success --discover --save-inventory "$TMP/inv3.json"
check "AWS_PROFILE: exit $rc: $err" [ "$rc" = 0 ]
expect_log 'AWS_PROFILE and AWS_REGION from the environment' '
for c in calls:
    if "--profile" in c["argv"] or "--region" in c["argv"]: print("flag passed", c["argv"])
    if c["env"].get("AWS_PROFILE") != "prod" or c["env"].get("AWS_REGION") != "eu-west-1": print("env", c["env"])
'
# No region anywhere: aws's own message, once for the four calls.
disc success --discover --save-inventory "$TMP/none.json"
check "no region: exit $rc" [ "$rc" = 4 ]
check "no region: stderr: $err" [ "$err" = 'esmcfg: discovery: 4 calls failed
esmcfg: aws dynamodb list-tables, aws lambda list-functions, aws sqs list-queues, aws sns list-topics: You must specify a region. You can also configure your region by running "aws configure".' ]
check "no region: nothing saved" [ ! -e "$TMP/none.json" ]
disc success --discover --profile nosuch --region us-east-1 --save-inventory "$TMP/none.json"
check "unknown profile: exit $rc: $err" [ "$rc" = 4 ]
check "unknown profile: stderr: $err" \
    [ "$(tail -n1 <<<"$err")" = 'esmcfg: aws dynamodb list-tables, aws lambda list-functions, aws sqs list-queues, aws sns list-topics: The config profile (nosuch) could not be found' ]

# --batch resolves --table NAME and the function's role through what was found.
disc success --batch --discover --region us-east-1 --table orders "${REQ[@]}" --format cfn-json
check "batch: exit $rc: $err" [ "$rc" = 0 ]
check "batch: stream and role: $out" grep -q 'table/orders/stream/2024-03-01T10:15:30.123' <<<"$out"
check "batch: role: $out" grep -q 'process-orders-role' <<<"$out"
check "batch: progress on stderr: $err" grep -qx 'esmcfg: discovery: tables 4/4, functions 3, queues 2, topics 1' <<<"$err"
disc success --batch --discover --region us-east-1 --table customers "${REQ[@]}"
check "batch: a table without a stream: exit $rc" [ "$rc" = 3 ]
check "batch: a table without a stream: $err" grep -q 'customers.*stream' <<<"$err"

# --batch with --save-inventory: both written, or neither.
disc success --batch --discover --region us-east-1 --table orders "${REQ[@]}" \
    --save-inventory "$TMP/b.json" -o "$TMP/b.export.json"
check "batch+save: exit $rc: $err" [ "$rc" = 0 ]
check "batch+save: inventory written" [ -s "$TMP/b.json" ]
check "batch+save: export written" [ -s "$TMP/b.export.json" ]
disc success --batch --discover --region us-east-1 --table orders --function process-orders \
    --save-inventory "$TMP/b2.json"
check "batch+save, invalid mapping: exit $rc" [ "$rc" = 3 ]
check "batch+save, invalid mapping: nothing saved" [ ! -e "$TMP/b2.json" ]

# An account with nothing in it (sqs list-queues then prints nothing at all).
disc empty --discover --region us-east-1 --save-inventory "$TMP/empty.json"
check "empty: exit $rc: $err" [ "$rc" = 0 ]
check "empty: stderr: $err" [ "$err" = 'esmcfg: discovery: tables 0/0, functions 0, queues 0, topics 0' ]
check "empty: saved" [ -s "$TMP/empty.json" ]

# --- failures --------------------------------------------------------------------
# No aws at all.
PATH="$TMP/nowhere" "$ESMCFG" --batch --discover --table orders "${REQ[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
out=$(cat "$TMP/out")
err=$(cat "$TMP/err")
check "no aws: exit $rc" [ "$rc" = 4 ]
check "no aws: stderr: $err" [ "$err" = 'esmcfg: aws CLI not found on PATH: install it or use --inventory FILE' ]
check "no aws: stdout: $out" [ -z "$out" ]

# No credentials: the CLI's words, one line for the four calls, exit 4.
disc no-credentials --batch --discover --region us-east-1 --table orders "${REQ[@]}"
check "no credentials: exit $rc" [ "$rc" = 4 ]
check "no credentials: stderr: $err" [ "$err" = 'esmcfg: discovery: 4 calls failed
esmcfg: aws dynamodb list-tables, aws lambda list-functions, aws sqs list-queues, aws sns list-topics: Unable to locate credentials. You can configure credentials by running "aws configure".' ]
check "no credentials: stdout: $out" [ -z "$out" ]

# Access denied for tables and queues: functions and topics still found,
# both refusals reported, and headless that is exit 4 with nothing written.
disc access-denied --discover --region us-east-1 --save-inventory "$TMP/denied.json"
check "access denied: exit $rc" [ "$rc" = 4 ]
check "access denied: stderr: $err" [ "$err" = 'esmcfg: discovery: functions 3, topics 1, 2 calls failed
esmcfg: aws dynamodb list-tables: An error occurred (AccessDeniedException) when calling the ListTables operation: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: dynamodb:ListTables on resource: arn:aws:dynamodb:us-east-1:123456789012:table/* because no identity-based policy allows the dynamodb:ListTables action
esmcfg: aws sqs list-queues: An error occurred (AccessDenied) when calling the ListQueues operation: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sqs:listqueues on resource: arn:aws:sqs:us-east-1:123456789012: because no identity-based policy allows the sqs:listqueues action' ]
check "access denied: nothing saved" [ ! -e "$TMP/denied.json" ]

# Throttling: the table and the functions that gave up are reported; a table
# deleted between list-tables and describe-table is not an error.
disc throttled --discover --region us-east-1 --save-inventory "$TMP/thr.json"
check "throttled: exit $rc" [ "$rc" = 4 ]
check "throttled: stderr: $err" [ "$err" = 'esmcfg: discovery: tables 4/4, queues 2, topics 1, 2 calls failed
esmcfg: aws dynamodb describe-table --table-name customers: An error occurred (ThrottlingException) when calling the DescribeTable operation (reached max retries: 2): Rate of requests exceeds the allowed throughput.
esmcfg: aws lambda list-functions: An error occurred (TooManyRequestsException) when calling the ListFunctions operation (reached max retries: 2): Rate exceeded' ]

# Broken answers: half a JSON document, a crash with a traceback.
disc broken --discover --region us-east-1 --save-inventory "$TMP/broken.json"
check "broken: exit $rc" [ "$rc" = 4 ]
check "broken: stderr: $err" [ "$err" = 'esmcfg: discovery: tables 1/1, functions 3, 2 calls failed
esmcfg: aws sqs list-queues: KeyError: '"'"'QueueUrls'"'"'
esmcfg: aws sns list-topics: the answer is not valid JSON' ]

# A call that never answers, and leaves a helper holding its pipes: killed
# (its whole process group) after ESMCFG_AWS_TIMEOUT seconds.
: >"$FAKE_AWS_PIDS"
start=$(date +%s)
ESMCFG_AWS_TIMEOUT=5 disc slow --discover --region us-east-1 --save-inventory "$TMP/slow.json"
elapsed=$(($(date +%s) - start))
check "slow: exit $rc" [ "$rc" = 4 ]
check "slow: stderr: $err" [ "$err" = 'esmcfg: discovery: tables 3/3, functions 3, queues 2, topics 1, 1 call failed
esmcfg: aws dynamodb describe-table --table-name slow: timed out after 5 s' ]
check "slow: took ${elapsed}s" [ "$elapsed" -lt 20 ]
helper=$(head -n1 "$FAKE_AWS_PIDS")
check "slow: helper recorded" [ -n "$helper" ]
check "slow: helper $helper still alive" gone "$helper"

# Stopped while discovery runs (SIGTERM; a background job ignores SIGINT): the
# aws processes go too, and esmcfg dies of the signal.
: >"$FAKE_AWS_PIDS"
: >"$FAKE_AWS_LOG"
FAKE_AWS_SCENARIO=slow PATH="$FAKE:$PATH" "$ESMCFG" --discover --region us-east-1 \
    --save-inventory "$TMP/int.json" >/dev/null 2>"$TMP/int.err" &
pid=$!
for _ in $(seq 50); do
    [ -s "$FAKE_AWS_PIDS" ] && break
    sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
rc=$?
helper=$(head -n1 "$FAKE_AWS_PIDS")
check "SIGTERM: exit $rc" [ "$rc" = 143 ]
check "SIGTERM: helper '$helper' still alive" gone "${helper:-none}"
check "SIGTERM: nothing saved" [ ! -e "$TMP/int.json" ]

# A few at a time: never more than four aws at once.
mkdir -p "$TMP/running"
FAKE_AWS_RUNNING="$TMP/running" disc many --discover --region us-east-1 --save-inventory "$TMP/many.json"
check "many: exit $rc: $err" [ "$rc" = 0 ]
# Off a terminal progress is plain lines, at most one every 2 s, then the last.
check "many: stderr: $err" [ "$(tail -n1 <<<"$err")" = 'esmcfg: discovery: tables 20/20, functions 3, queues 2, topics 1' ]
check "many: progress lines: $all_err" only_progress "$all_err"
check "many: no \r off a terminal" no_cr "$all_err"
expect_log 'a few at a time' '
most = max(c["running"] for c in calls)
if not 2 <= most <= 4: print("at most", most, "ran at once")
'

# --- hostile table names: argv only, never a shell; shown escaped --------------
rm -f "$PWNED"
disc hostile --batch --discover --region us-east-1 --table orders "${REQ[@]}"
check "hostile: exit $rc" [ "$rc" = 4 ]
check "hostile: a shell ran a table name" [ ! -e "$PWNED" ]
check "hostile: raw escape on stderr" no_escape "$err"
# shellcheck disable=SC2016 # the $(...) is Python text, for aws to receive as it is
expect_log 'hostile names reach aws as one word each' '
want = ["$(touch /tmp/esmcfg-discover-pwned)", "x; touch /tmp/esmcfg-discover-pwned",
        "`touch /tmp/esmcfg-discover-pwned`", "red\x1b[31mtable\x1b[0m", "--region", "orders"]
got = [a[2] for a in argvs if a[1] == "describe-table"]
if sorted(got) != sorted("--table-name=" + w for w in want): print(got)
for a in argvs:
    if a[1] == "describe-table" and a[3:] != ["--output", "json", "--region", "us-east-1"]: print(a)
'
check "hostile: \$(...) shown quoted: $err" grep -qF "esmcfg: aws dynamodb describe-table --table-name '\$(touch /tmp/esmcfg-discover-pwned)': An error occurred (ValidationException)" <<<"$err"
check "hostile: escapes shown escaped: $err" grep -qF "aws dynamodb describe-table --table-name 'red\\x1b[31mtable\\x1b[0m': An error occurred (ValidationException) when calling the DescribeTable operation: 1 validation error detected: Value 'red\\x1b[31mtable\\x1b[0m' at" <<<"$err"

# --- flags -----------------------------------------------------------------------
expect_err 2 'esmcfg: --profile: needs a profile name' --discover --profile ''
expect_err 2 'esmcfg: --region: -x is not a region name' --discover --region -x
expect_err 2 'esmcfg: --save-inventory: needs a file name' --discover --save-inventory ''
expect_err 2 'esmcfg: --discover takes no value' --discover=yes
expect_err 2 'esmcfg: --save-inventory: nothing to save: add --discover or --inventory FILE' \
    --save-inventory "$TMP/x.json"
check "usage: nothing saved" [ ! -e "$TMP/x.json" ]
# --save-inventory also converts --inventory files (here AWS CLI output).
run --inventory "$TMP/inv.json" --save-inventory "$TMP/conv.json"
check "convert: exit $rc: $err" [ "$rc" = 0 ]
check "convert: the same document" cmp -s "$TMP/inv.json" "$TMP/conv.json"
# A folder that cannot be written: exit 4, the reason.
disc success --discover --region us-east-1 --save-inventory "$TMP/no/such/dir/inv.json"
check "unwritable: exit $rc" [ "$rc" = 4 ]
check "unwritable: $err" grep -q '^esmcfg: --save-inventory: .*no/such/dir' <<<"$err"

finish
