#!/usr/bin/env bash
# --apply against a replacement aws (tests/fixtures/apply/aws): the plan on
# stderr, the look for an existing mapping, create (the request is exactly
# --format json), update of an existing mapping only with
# --update-existing (the request is the update-json of the listed mapping:
# only what changed), refusals (two mappings, a starting position that
# cannot change), aws's answer on stdout as it is, aws's failures (denied,
# conflict, timeout) as exit 4, argv only (a hostile function name stays
# one word), the request's temporary file removed, and the confirmation on
# the terminal without --batch.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

FAKE="$FIXTURES/apply"
export FAKE_AWS_LOG="$TMP/aws.log"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION ESMCFG_AWS_TIMEOUT
REQ=(--table "$STREAM" --function "$FUNCTION" --starting-position LATEST --bisect-batch-on-error
    --retry-attempts 3 --max-record-age 1h --on-failure arn:aws:sqs:us-east-1:123456789012:orders-dlq)

# apply SCENARIO ARGS...: esmcfg with the fake aws first on PATH.
apply() {
    local scenario=$1
    shift
    : >"$FAKE_AWS_LOG"
    FAKE_AWS_SCENARIO=$scenario PATH="$FAKE:$PATH" run "$@"
}

# check WHAT CONDITION...: one check.
check() {
    local what=$1
    shift
    CHECKS=$((CHECKS + 1))
    "$@" || fail "$what"
}

# log_py CODE: Python CODE with `calls` (the fake's log); prints a problem or nothing.
log_py() {
    python3 - "$FAKE_AWS_LOG" "$1" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
exec(sys.argv[2])
PY
}

# expect_log WHAT CODE: the check CODE about the log printed nothing.
expect_log() {
    local problem
    problem=$(log_py "$2" 2>&1)
    CHECKS=$((CHECKS + 1))
    [ -z "$problem" ] || fail "$1: $problem"
}

# --- no mapping yet: list, then create with the json export --------------------
"$ESMCFG" --batch "${REQ[@]}" --batch-size 500 --tag team=payments >"$TMP/want.json" 2>/dev/null
apply none --batch --apply "${REQ[@]}" --batch-size 500 --tag team=payments
check "create: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "create: aws's answer on stdout as it is" grep -q '"State": "Creating"' "$TMP/out"
check "create: the plan on stderr" grep -q '^esmcfg: plan: create a mapping of stream .* to function process-orders:$' "$TMP/err"
check "create: the plan lists the values" grep -q '^  Batch size  *500$' "$TMP/err"
expect_log "create: calls" "
want = [['lambda', 'list-event-source-mappings', '--event-source-arn=$STREAM',
         '--function-name=process-orders', '--output', 'json'],
        ['lambda', 'create-event-source-mapping', '--cli-input-json']]
got = [c['argv'][:len(w)] for c, w in zip(calls, want)]
if len(calls) != 2 or got != want: print(json.dumps([c['argv'] for c in calls]))
"
expect_log "create: the request is the json export" "
want = json.load(open('$TMP/want.json'))
if calls[-1]['request'] != want: print(calls[-1]['request'])
"
expect_log "create: aws in a session of its own, no terminal, no pager" "
for c in calls:
    if not c['own_session'] or c['stdin_tty'] or c['env'].get('AWS_PAGER') != '': print(c)
"
expect_log "create: the temporary request file is gone" "
import os
path = calls[-1]['argv'][3][len('file://'):]
if not path.startswith('/') or os.path.exists(path): print(path)
"

# --- a mapping exists ------------------------------------------------------------
apply exists --batch --apply "${REQ[@]}" --batch-size 500
check "exists, --batch: exit 3 ($rc)" [ "$rc" = 3 ]
check "exists, --batch: says to add --update-existing" grep -q 'exists (6d9bce8e-836b-442c-8070-74e77903c815, Enabled): creating another fails with ResourceConflictException; add --update-existing to update it' "$TMP/err"
check "exists, --batch: nothing on stdout" [ -z "$out" ]
expect_log "exists, --batch: only the list call" "
if [c['argv'][1] for c in calls] != ['list-event-source-mappings']: print(calls)
"
apply exists --batch --apply --update-existing "${REQ[@]}" --batch-size 500
check "update: exit 0 ($rc): $err" [ "$rc" = 0 ]
check "update: the plan shows the change" grep -q '^  Batch size  *100 (default) -> 500$' "$TMP/err"
check "update: aws's answer" grep -q '"State": "Updating"' "$TMP/out"
expect_log "update: the update request of the listed mapping" "
r = calls[-1]['request']
if calls[-1]['argv'][1] != 'update-event-source-mapping' or r.get('UUID') != '6d9bce8e-836b-442c-8070-74e77903c815' or r.get('BatchSize') != 500 or 'StartingPosition' in r or 'EventSourceArn' in r: print(r)
"
apply exists --batch --apply --update-existing --table "$STREAM" --function "$FUNCTION" --starting-position LATEST
check "no change: exit 0 ($rc)" [ "$rc" = 0 ]
check "no change: says so" grep -q 'already has these values: nothing to do' "$TMP/err"
expect_log "no change: no update call" "
if len(calls) != 1: print([c['argv'] for c in calls])
"
apply exists --batch --apply --update-existing "${REQ[@]/LATEST/TRIM_HORIZON}"
check "starting position: exit 3 ($rc)" [ "$rc" = 3 ]
check "starting position: why, and what to do" grep -q "a mapping's starting position cannot be changed: create a new mapping (or delete mapping 6d9bce8e-836b-442c-8070-74e77903c815 first: aws lambda delete-event-source-mapping --uuid 6d9bce8e-836b-442c-8070-74e77903c815)" "$TMP/err"
apply two --batch --apply --update-existing "${REQ[@]}"
check "two mappings: exit 3 ($rc)" [ "$rc" = 3 ]
check "two mappings: both named" grep -q '2 mappings of this stream to this function exist (6d9bce8e-836b-442c-8070-74e77903c815, 77777777-836b-442c-8070-74e77903c815)' "$TMP/err"

# --- aws fails ---------------------------------------------------------------------
apply conflict --batch --apply "${REQ[@]}"
check "conflict: exit 4 ($rc)" [ "$rc" = 4 ]
check "conflict: aws's words on stderr" grep -q '^An error occurred (ResourceConflictException) when calling the CreateEventSourceMapping operation' "$TMP/err"
check "conflict: esmcfg names the call" grep -q '^esmcfg: --apply: aws lambda create-event-source-mapping: An error occurred (ResourceConflictException)' "$TMP/err"
apply denied --batch --apply "${REQ[@]}"
check "denied: exit 4 ($rc)" [ "$rc" = 4 ]
check "denied: message" grep -q '^esmcfg: --apply: aws lambda list-event-source-mappings: An error occurred (AccessDeniedException)' "$TMP/err"
start=$(date +%s)
ESMCFG_AWS_TIMEOUT=1 apply slow --batch --apply "${REQ[@]}"
check "timeout: exit 4 ($rc)" [ "$rc" = 4 ]
check "timeout: message" grep -q 'list-event-source-mappings: timed out after 1 s' "$TMP/err"
check "timeout: within seconds" [ $(($(date +%s) - start)) -lt 10 ]
: >"$FAKE_AWS_LOG"
PATH=/usr/bin:/bin run --batch --apply "${REQ[@]}"
check "no aws: exit 4 ($rc)" [ "$rc" = 4 ]
check "no aws: message" grep -q 'aws CLI not found on PATH' "$TMP/err"

# --- invalid before anything runs; a hostile name stays one word ----------------
apply none --batch --apply --table "$STREAM" --function "$FUNCTION"
check "invalid: exit 3 ($rc)" [ "$rc" = 3 ]
expect_log "invalid: aws never ran" "
if calls: print(calls)
"
apply none --batch --apply --table "$STREAM" --function='-x$(touch /tmp/esmcfg-apply-pwned)' --starting-position LATEST
expect_log "hostile function: one argv word" "
if calls and '--function-name=-x\$(touch /tmp/esmcfg-apply-pwned)' not in calls[0]['argv']: print(calls[0]['argv'])
"
check "hostile function: no shell ran it" [ ! -e /tmp/esmcfg-apply-pwned ]
expect_code 2 --apply --check "$FIXTURES/golden/full.json"
expect_code 2 --batch --update-existing "${REQ[@]}"
expect_code 2 --batch --apply -o "$TMP/x" "${REQ[@]}"
apply none --batch --apply --preset safe --table "$STREAM" --function "$FUNCTION" --starting-position LATEST
check "preset without --on-failure: exit 3 ($rc)" [ "$rc" = 3 ]
check "preset without --on-failure: message" grep -q '^esmcfg: --preset safe needs --on-failure ARN: ' "$TMP/err"

# --- without --batch: asked on the terminal ------------------------------------------
# answer ANSWER SCENARIO ARGS...: run in a pseudo-terminal, answer the question; sets rc, out.
answer() {
    local ans=$1 scenario=$2
    shift 2
    : >"$FAKE_AWS_LOG"
    # (python3 may be a pyenv shim that puts its own folders, a real aws
    # among them, first on PATH: the child gets the PATH meant for it)
    out=$(FAKE_AWS_SCENARIO=$scenario CHILD_PATH="$FAKE:$PATH" python3 - "$ESMCFG" "$ans" "$@" <<'PY'
import os, pty, sys, time
binary, ans, args = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["PATH"] = os.environ["CHILD_PATH"]
    os.execv(binary, [binary] + args)
buf = b""
deadline = time.time() + 20
while b"[y/N]" not in buf and time.time() < deadline:
    try:
        buf += os.read(fd, 4096)
    except OSError:
        break
os.write(fd, (ans + "\n").encode())
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status))
PY
    )
    rc=$?
}
answer y none --apply "${REQ[@]}"
check "asked, yes: exit 0 ($rc)" [ "$rc" = 0 ]
check "asked, yes: the question" grep -q 'Create it? \[y/N\]' <<<"$out"
check "asked, yes: created" grep -q '"State": "Creating"' <<<"$out"
answer n none --apply "${REQ[@]}"
check "asked, no: exit 1 ($rc)" [ "$rc" = 1 ]
expect_log "asked, no: only the list call" "
if len(calls) != 1: print([c['argv'] for c in calls])
"
answer y exists --apply "${REQ[@]}" --batch-size 7
check "asked to update, yes: exit 0 ($rc)" [ "$rc" = 0 ]
check "asked to update: the question" grep -q 'exists (6d9bce8e-836b-442c-8070-74e77903c815). Update it? \[y/N\]' <<<"$out"
expect_log "asked to update: updated" "
if calls[-1]['argv'][1] != 'update-event-source-mapping' or calls[-1]['request']['BatchSize'] != 7: print(calls[-1])
"
FAKE_AWS_SCENARIO=none PATH="$FAKE:$PATH" setsid "$ESMCFG" --apply "${REQ[@]}" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
check "no terminal to ask on: exit 4 ($rc)" [ "$rc" = 4 ]
check "no terminal: message" grep -q 'no terminal to confirm on: add --batch' "$TMP/err"

finish
