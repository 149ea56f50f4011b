#!/usr/bin/env python3
"""Check esmcfg's exports against AWS's own models.

json: every document `esmcfg --batch --format json` writes must satisfy
botocore's model of Lambda's CreateEventSourceMapping input: types, required
members, min/max (numbers, string lengths, list and map sizes), regex
patterns (full match) and enums, checked by the walker below, and by
botocore's own ParamValidator. The walker is first tested on hand-made bad
documents, so that it cannot pass by checking nothing.

The AWS CLI, when installed, must take every document with --cli-input-json
(checked up to the connection, to an endpoint that is not there).

cfn-json / cfn-yaml: every template is checked by cfn-lint (CloudFormation's
resource schemas), when cfn-lint is installed.

Values out of AWS's ranges must be refused by esmcfg (non-zero exit, nothing
on stdout).

Environment: ESMCFG, the binary to run (default build/esmcfg).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")

STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
ROLE = "arn:aws:iam::123456789012:role/service-role/process-orders-role"
SQS = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
SNS = "arn:aws:sns:us-east-1:123456789012:orders-failures"
S3 = "arn:aws:s3:::orders-failures"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
BASE = ["--table", STREAM, "--function", "process-orders", "--starting-position", "TRIM_HORIZON"]


def input_shape():
    """The input shape of lambda:CreateEventSourceMapping."""
    model = botocore.session.get_session().get_service_model("lambda")
    return model.operation_model("CreateEventSourceMapping").input_shape


def check_bounds(shape, size, what, path, errors):
    """min/max of the shape against SIZE (a number, a length or a count)."""
    meta = shape.metadata
    if "min" in meta and size < meta["min"]:
        errors.append(f"{path}: {what} {size} is below the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        errors.append(f"{path}: {what} {size} is above the maximum {meta['max']}")


def check_string(shape, value, path, errors):
    """A string: type, length, enum and pattern (full match)."""
    if not isinstance(value, str):
        errors.append(f"{path}: {value!r} is not a string")
        return
    check_bounds(shape, len(value), "length", path, errors)
    if shape.enum and value not in shape.enum:
        errors.append(f"{path}: {value!r} is not one of {shape.enum}")
    pattern = shape.metadata.get("pattern")
    if pattern is not None and re.fullmatch(pattern, value, re.DOTALL) is None:
        errors.append(f"{path}: {value!r} does not match {pattern}")


def check_structure(shape, value, path, errors):
    """A structure: an object with the required members and no others."""
    if not isinstance(value, dict):
        errors.append(f"{path}: {value!r} is not an object")
        return
    for name in shape.required_members:
        if name not in value:
            errors.append(f"{path}: required member {name} is missing")
    for name, member in value.items():
        if name not in shape.members:
            errors.append(f"{path}: unknown member {name}")
        else:
            check(shape.members[name], member, f"{path}.{name}", errors)


def check_list(shape, value, path, errors):
    """A list: its length, then each item."""
    if not isinstance(value, list):
        errors.append(f"{path}: {value!r} is not a list")
        return
    check_bounds(shape, len(value), "length", path, errors)
    for i, item in enumerate(value):
        check(shape.member, item, f"{path}[{i}]", errors)


def check_map(shape, value, path, errors):
    """A map: its size, then each key and value."""
    if not isinstance(value, dict):
        errors.append(f"{path}: {value!r} is not an object")
        return
    check_bounds(shape, len(value), "size", path, errors)
    for k, v in value.items():
        check(shape.key, k, f"{path} key {k!r}", errors)
        check(shape.value, v, f"{path}[{k!r}]", errors)


def check_scalar(shape, value, path, errors):
    """Integers, booleans, floats and timestamps."""
    t = shape.type_name
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: {value!r} is not an integer")
        else:
            check_bounds(shape, value, "value", path, errors)
    elif t == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: {value!r} is not a boolean")
    elif t in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: {value!r} is not a number")
        else:
            check_bounds(shape, value, "value", path, errors)
    elif t == "timestamp":
        if not isinstance(value, (str, int, float)):
            errors.append(f"{path}: {value!r} is not a timestamp")
    else:
        errors.append(f"{path}: no check for shape type {t}")


def check(shape, value, path, errors):
    """Check VALUE against SHAPE recursively, appending problems to ERRORS."""
    kinds = {
        "structure": check_structure,
        "list": check_list,
        "map": check_map,
        "string": check_string,
    }
    kinds.get(shape.type_name, check_scalar)(shape, value, path, errors)


def problems(shape, doc):
    """Every violation in DOC: the walker's, then botocore's ParamValidator's."""
    errors = []
    check(shape, doc, "request", errors)
    report = ParamValidator().validate(doc, shape)
    if report.has_errors():
        errors.append("botocore ParamValidator: " + report.generate_report())
    return errors


def self_test(shape):
    """The walker must catch each of these hand-made violations."""
    good = {"EventSourceArn": STREAM, "FunctionName": "process-orders",
            "StartingPosition": "LATEST", "BatchSize": 100}
    assert problems(shape, good) == [], problems(shape, good)
    bad = [
        {"FunctionName": None},
        {"BatchSize": 0},
        {"BatchSize": 10001},
        {"BatchSize": "100"},
        {"BatchSize": True},
        {"Enabled": 1},
        {"StartingPosition": "AT_START"},
        {"FunctionName": "bad name"},
        {"FunctionName": "x" * 257},
        {"EventSourceArn": "arn:aws:dynamodb:us-east-1:1234:table/t"},
        {"MaximumRecordAgeInSeconds": -2},
        {"FunctionResponseTypes": ["ReportBatchItemFailures", "ReportBatchItemFailures"]},
        {"FunctionResponseTypes": ["Report"]},
        {"FilterCriteria": {"Filters": [{"Pattern": "x" * 4097}]}},
        {"FilterCriteria": {"Filters": [{"Patern": "{}"}]}},
        {"MetricsConfig": {"Metrics": ["Events"]}},
        {"Tags": {"k": 1}},
        {"Tags": [{"Key": "k", "Value": "v"}]},
        {"KmsKeyArn": KMS},
        {"DestinationConfig": {"OnFailure": {"Destination": "x" * 351}}},
    ]
    for change in bad:
        doc = dict(good)
        for k, v in change.items():
            if v is None:
                doc.pop(k)
            else:
                doc[k] = v
        found = []
        check(shape, doc, "request", found)
        if not found:
            sys.exit(f"FAIL: the checker missed a violation: {change}")
    print(f"ok: the checker catches {len(bad)} hand-made violations")


def long_pattern(size, fill="I"):
    """A filter pattern (a JSON object) of exactly SIZE characters."""
    head, tail = '{"eventName": ["', '"]}'
    return head + fill * (size - len(head) - len(tail)) + tail


def cases():
    """(name, extra flags) of mappings esmcfg must export validly."""
    full = [
        "--starting-position", "LATEST", "--batch-size", "500",
        "--bisect-batch-on-error", "--enabled=false", "--max-batching-window", "10s",
        "--max-record-age", "1h", "--on-failure", SQS, "--parallelization-factor", "1",
        "--report-batch-item-failures", "--retry-attempts", "3", "--tumbling-window", "2m",
        "--filter", '{"eventName": ["INSERT"]}',
        "--filter", '{"dynamodb": {"NewImage": {"s": {"S": ["yes: #1"]}}}}',
        "--filter-kms-key", KMS, "--metrics", "EventCount",
        "--tag", "team=payments", "--tag", "env=yes",
    ]
    low = ["--batch-size", "1", "--max-batching-window", "0", "--tumbling-window", "0",
           "--retry-attempts", "0", "--max-record-age", "60", "--parallelization-factor", "1"]
    high = ["--batch-size", "10000", "--max-batching-window", "5m", "--tumbling-window", "15m",
            "--retry-attempts", "10000", "--max-record-age", "7d",
            "--parallelization-factor", "10"]
    infinite = ["--retry-attempts", "-1", "--max-record-age", "-1"]
    many = [f for c in "ABCDE" for f in ("--filter", long_pattern(4096, c))]
    many += [f for i in range(50) for f in ("--tag", f"k{i:03d}" + "k" * 124 + "=" + "v" * 256)]
    off = ["--bisect-batch-on-error=false", "--report-batch-item-failures=false",
           "--enabled=true", "--metrics", ""]
    return [
        ("minimal", []),
        ("every option", full),
        ("lower bounds", low),
        ("upper bounds", high),
        ("infinite", infinite),
        ("5 longest filters, 50 longest tags", many),
        ("booleans off", off),
        ("SNS destination", ["--on-failure", SNS]),
        ("S3 destination", ["--on-failure", S3]),
        ("function name:alias", ["--function", "process-orders:live"]),
        ("function partial ARN", ["--function", "123456789012:function:process-orders"]),
        ("function ARN:version", ["--function",
                                  "arn:aws:lambda:us-east-1:123456789012:function:process-orders:7"]),
        ("function 64-char name", ["--function", "f" * 64]),
    ]


def refused():
    """(name, extra flags) of values AWS rejects, which esmcfg must refuse."""
    return [
        ("batch size 0", ["--batch-size", "0"]),
        ("batch size 10001", ["--batch-size", "10001"]),
        ("batching window 301", ["--max-batching-window", "301"]),
        ("tumbling window 901", ["--tumbling-window", "901"]),
        ("record age 59", ["--max-record-age", "59"]),
        ("record age 7d+1s", ["--max-record-age", "604801"]),
        ("retries -2", ["--retry-attempts", "-2"]),
        ("retries 10001", ["--retry-attempts", "10001"]),
        ("parallelization 11", ["--parallelization-factor", "11"]),
        ("AT_TIMESTAMP", ["--starting-position", "AT_TIMESTAMP"]),
        ("pattern 4097", ["--filter", long_pattern(4097)]),
        ("6 filters", [f for i in range(6) for f in ("--filter", "{}")]),
        ("function 65-char name", ["--function", "f" * 65]),
        ("unknown metric", ["--metrics", "KafkaMetrics"]),
        ("destination 351", ["--on-failure", SQS[:-1] + "q" * (351 - len(SQS) + 1)]),
    ]


def run(fmt, flags):
    """Run esmcfg in batch mode; returns (exit code, stdout, stderr)."""
    argv = [ESMCFG, "--batch", "--format", fmt] + BASE + flags
    p = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def check_json_exports(shape):
    """Every case exports a valid request; returns the failures."""
    failures = []
    for name, flags in cases():
        rc, out, err = run("json", flags)
        if rc != 0:
            failures.append(f"{name}: exit {rc}: {err.strip()}")
            continue
        found = problems(shape, json.loads(out))
        failures += [f"{name}: {p}" for p in found]
        print(f"{'ok' if not found else 'FAIL'}: json {name}")
    return failures


def check_refusals():
    """Every out-of-range value is refused with nothing on stdout."""
    failures = []
    for name, flags in refused():
        rc, out, _ = run("json", flags)
        if rc == 0 or out:
            failures.append(f"{name}: exit {rc}, {len(out)} bytes on stdout; AWS rejects it")
        print(f"{'ok' if rc and not out else 'FAIL'}: refuses {name}")
    return failures


def check_aws_cli():
    """`aws lambda create-event-source-mapping --cli-input-json file://X` takes
    every case's document: it gets as far as connecting to an endpoint that
    is not there, after the CLI's own parameter validation."""
    aws = shutil.which("aws")
    if not aws:
        print("skip: the AWS CLI is not installed")
        return []
    env = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="y",
               AWS_MAX_ATTEMPTS="1", AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, flags) in enumerate(cases()):
            rc, out, err = run("json", flags)
            if rc != 0:
                continue  # reported by check_json_exports
            path = os.path.join(tmp, f"case{i}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
            p = subprocess.run(
                [aws, "lambda", "create-event-source-mapping", "--cli-input-json",
                 "file://" + path, "--endpoint-url", "http://127.0.0.1:9",
                 "--region", "us-east-1", "--cli-connect-timeout", "2"],
                capture_output=True, text=True, env=env, timeout=120,
                stdin=subprocess.DEVNULL)
            said = (p.stdout + p.stderr).strip()
            ok = "Could not connect to the endpoint URL" in said
            if not ok:
                failures.append(f"{name}: aws CLI: {said[:2000]}")
            print(f"{'ok' if ok else 'FAIL'}: aws CLI takes {name}")
    return failures


def check_templates():
    """cfn-lint passes every case's templates (with the IAM policy)."""
    lint = shutil.which("cfn-lint")
    if not lint:
        print("skip: cfn-lint is not installed")
        return []
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, flags) in enumerate(cases()):
            for fmt, ext in (("cfn-json", "json"), ("cfn-yaml", "yaml")):
                rc, out, err = run(fmt, flags + ["--function-role", ROLE])
                if rc != 0:
                    failures.append(f"{name} {fmt}: exit {rc}: {err.strip()}")
                    continue
                path = os.path.join(tmp, f"case{i}.{ext}")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(out)
                p = subprocess.run([lint, path], capture_output=True, text=True)
                if p.returncode != 0:
                    report = (p.stdout + p.stderr)[:2000]
                    failures.append(f"{name} {fmt}: cfn-lint:\n{report}")
                print(f"{'ok' if p.returncode == 0 else 'FAIL'}: cfn-lint {fmt} {name}")
    return failures


def main():
    shape = input_shape()
    self_test(shape)
    failures = check_json_exports(shape) + check_refusals()
    failures += check_aws_cli() + check_templates()
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
