#!/usr/bin/env python3
"""Updating an existing mapping from a script: aws lambda
get-event-source-mapping output (the fixtures are first checked against
botocore's GetEventSourceMapping / ListEventSourceMappings output shapes),
loaded with --load, changed with flags and --unset, written with --format
update-json. Every request must satisfy botocore's UpdateEventSourceMapping
input shape (the walker of botocore_check.py and botocore's ParamValidator),
carry the UUID and nothing the request does not take, clear what was
removed with the table's values, and be taken by the AWS CLI's
--cli-input-json (up to the connection). What AWS cannot change is refused
with the reason (exit 3), and nothing is written.

Environment: ESMCFG (the binary), FIXTURES (tests/fixtures)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import botocore.session  # noqa: E402
from botocore_check import check, problems  # noqa: E402

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")
FIXTURES = os.environ.get("FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
GET = os.path.join(FIXTURES, "load", "get.json")
GET_YAML = os.path.join(FIXTURES, "load", "get.yaml")
LIST = os.path.join(FIXTURES, "load", "list.json")
CUSTOMERS = "a1b2c3d4-2222-4e5f-8a9b-000000000003"
OTHER_STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/other/stream/2024-01-01T00:00:00.000"
FAILURES = []
CHECKS = [0]

# Every option the person may remove, and what removes it (the list).
ALL_UNSET = ["on-failure", "filter", "filter-kms-key", "retry-attempts", "max-record-age",
             "report-batch-item-failures", "parallelization-factor", "tumbling-window",
             "metrics", "enabled", "bisect-batch-on-error", "max-batching-window"]
CLEARED = {"DestinationConfig": {}, "FilterCriteria": {}, "MetricsConfig": {"Metrics": []},
           "FunctionResponseTypes": [], "MaximumRetryAttempts": -1,
           "MaximumRecordAgeInSeconds": -1, "Enabled": True, "BisectBatchOnFunctionError": False,
           "MaximumBatchingWindowInSeconds": 0}

CASES = [
    ("unchanged", ["--load", GET]),
    ("yaml output", ["--load", GET_YAML]),
    ("changed", ["--load", GET, "--batch-size", "500", "--enabled", "--retry-attempts", "3",
                 "--filter", '{"eventName": ["MODIFY"]}', "--metrics", "",
                 "--report-batch-item-failures=false", "--tumbling-window", "5m"]),
    ("everything removed", ["--load", GET] + [a for o in ALL_UNSET for a in ("--unset", o)]),
    ("picked from a list", ["--load", LIST, "--uuid", CUSTOMERS, "--parallelization-factor", "4",
                            "--on-failure", "arn:aws:sns:us-east-1:123456789012:failures"]),
    ("another function", ["--load", GET, "--function", "process-orders-v2:live"]),
]


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def expect(cond, msg):
    CHECKS[0] += 1
    if not cond:
        fail(msg)


def esmcfg(args):
    p = subprocess.run([ESMCFG, "--batch"] + args, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout, p.stderr


def operation(name):
    return botocore.session.get_session().get_service_model("lambda").operation_model(name)


def check_fixtures():
    """The AWS CLI output fixtures are what botocore's model says AWS returns."""
    for path, op in ((GET, "GetEventSourceMapping"), (LIST, "ListEventSourceMappings")):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = []
        check(operation(op).output_shape, doc, "output", errors)
        expect(not errors, f"{os.path.basename(path)} is not {op} output: {errors}")


def self_test():
    """The checks must catch what the request cannot carry, and a missing UUID."""
    shape = operation("UpdateEventSourceMapping").input_shape
    expect(problems(shape, {"UUID": "u", "EventSourceArn": OTHER_STREAM}) != [],
           "the walker takes EventSourceArn in an update request")
    expect(problems(shape, {"BatchSize": 5}) != [], "the walker takes a request without UUID")
    expect(problems(shape, {"UUID": "u", "BatchSize": 5}) == [], "the walker refuses a good one")


def check_request(name, doc):
    """One update request against the model and the table's rules."""
    shape = operation("UpdateEventSourceMapping").input_shape
    errs = problems(shape, doc)
    expect(not errs, f"{name}: not an UpdateEventSourceMapping request: {errs}")
    expect(list(doc)[0] == "UUID", f"{name}: the UUID is not first: {list(doc)}")
    for key in ("EventSourceArn", "StartingPosition", "Tags"):
        expect(key not in doc, f"{name}: the request carries {key}")


def check_cases(tmp):
    """Each case's request; the files for the AWS CLI."""
    files = []
    for i, (name, args) in enumerate(CASES):
        rc, out, err = esmcfg(args + ["--format", "update-json"])
        expect(rc == 0, f"{name}: exit {rc}: {err}")
        if rc != 0:
            continue
        doc = json.loads(out)
        check_request(name, doc)
        if name == "everything removed":
            for key, want in CLEARED.items():
                expect(doc.get(key) == want, f"{name}: {key} is {doc.get(key)!r}, want {want!r}")
        path = os.path.join(tmp, f"update{i}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(out)
        files.append((name, path))
    return files


def check_aws_cli(files):
    """`aws lambda update-event-source-mapping --cli-input-json file://X` takes
    each request, up to connecting to an endpoint that is not there."""
    aws = shutil.which("aws")
    if not aws:
        print("skip: the AWS CLI is not installed")
        return
    env = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="y", AWS_MAX_ATTEMPTS="1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    for name, path in files:
        p = subprocess.run([aws, "lambda", "update-event-source-mapping", "--cli-input-json",
                            "file://" + path, "--endpoint-url", "http://127.0.0.1:9",
                            "--region", "us-east-1", "--cli-connect-timeout", "2"],
                           capture_output=True, text=True, env=env, timeout=120,
                           stdin=subprocess.DEVNULL)
        said = (p.stdout + p.stderr).strip()
        expect("Could not connect to the endpoint URL" in said, f"{name}: aws CLI: {said[:1000]}")


REFUSED = [
    (["--load", GET, "--table", OTHER_STREAM],
     "esmcfg: --table: a mapping's stream cannot be changed: create a new mapping"),
    (["--load", GET, "--starting-position", "LATEST"],
     "esmcfg: --starting-position: a mapping's starting position cannot be changed: create a "
     "new mapping"),
    (["--load", GET, "--tag", "team=payments"],
     "esmcfg: --tag: tags are not part of the update request: change them with aws lambda "
     "tag-resource and untag-resource"),
    (["--load", os.path.join(FIXTURES, "golden", "full.json")],
     "esmcfg: --format update-json: update-json needs an existing mapping: --load the output of "
     "aws lambda get-event-source-mapping --uuid UUID"),
]


def check_refused(tmp):
    """Changes the request cannot carry: exit 3, the reason, nothing written."""
    out_path = os.path.join(tmp, "refused.json")
    for args, want in REFUSED:
        rc, out, err = esmcfg(args + ["--format", "update-json", "-o", out_path])
        errs = [line for line in err.splitlines() if not line.startswith("esmcfg: warning: ")]
        expect(rc == 3 and errs == [want] and not os.path.exists(out_path),
               f"{args[2:]}: exit {rc}, stderr {err!r}")
    # The starting position set to the value it has is no change.
    rc, _, err = esmcfg(["--load", GET, "--starting-position", "TRIM_HORIZON", "--format",
                         "update-json"])
    expect(rc == 0, f"the same starting position: exit {rc}: {err}")


def main():
    self_test()
    check_fixtures()
    with tempfile.TemporaryDirectory() as tmp:
        files = check_cases(tmp)
        check_aws_cli(files)
        check_refused(tmp)
    if FAILURES:
        print(f"script_update.py: {len(FAILURES)} of {CHECKS[0]} checks failed", file=sys.stderr)
        return 1
    print(f"script_update.py: {CHECKS[0]} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
