#!/usr/bin/env python3
"""An independent oracle of AWS's accept/reject rules for a DynamoDB-stream
CreateEventSourceMapping, and a random test of esmcfg against it.

The oracle does not read esmcfg's option table. Its rules come from:
  * botocore's model of the Lambda API, read at run time: every min, max,
    pattern and enum of the CreateEventSourceMapping request (a generic
    validator walks the request against the input shape), plus the names a
    function and an alias may have (CreateFunction, CreateAlias);
  * shared/reference/dynamodb-esm-options.md for what the model does not
    say (EXTRA_* constants below, each with its source);
  * shared/DESIGN.md for esmcfg's input syntax: DUR, BOOL, KEY=VALUE.

For each random configuration the test runs
    $ESMCFG --batch --format json ...
and compares the exit code (0 accept, 3 reject) with the oracle; on accept
the JSON written must equal the request the oracle built (durations in
seconds, unset options left out, BatchSize always present); on reject
nothing may be written and stderr must name the offending option.
A fixed sweep of every bound in every DUR syntax follows the random cases,
and a list of probes (cases where the rules are not clear-cut) is run and
reported without counting.

Run:  python3 tests/oracle/aws_rules.py --esmcfg build/esmcfg [-n 300] [--seed S] [-v]
"""
import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys
import time
import unicodedata

# ---------------------------------------------------------------------------
# What the Lambda model does not say, from the reference
# (shared/reference/dynamodb-esm-options.md).

EXTRA_STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST")  # AT_TIMESTAMP: not for DynamoDB
EXTRA_RECORD_AGE_MIN = 60  # "-1 (infinite) or 60..604800 s"; 0..59 is rejected
EXTRA_MAX_FILTERS = 10  # "5 per mapping by default; a quota increase allows up to 10"
# (esmcfg exports 6..10 with a warning naming the quota, refuses 11)
EXTRA_METRICS = ("EventCount",)  # ErrorCount, KafkaMetrics: Kafka sources only
EXTRA_TAG_KEY_LEN = (1, 128)
EXTRA_TAG_VALUE_LEN = (0, 256)
EXTRA_MAX_TAGS = 50
EXTRA_TAG_SYMBOLS = "_.:/=+-@"  # with letters, numbers and spaces (\p{L}\p{Z}\p{N})
EXTRA_FUNCTION_NAME_MAX = 64  # "name part [a-zA-Z0-9-_], max 64 chars"
# A DynamoDB table name: 3..255 of [a-zA-Z0-9_.-] (DynamoDB's naming rules).
TABLE_NAME_RE = re.compile(r"[a-zA-Z0-9_.\-]{3,255}")
# SQS queue (1..80, .fifo counted), SNS topic (1..256) and S3 bucket names
# (3..63, lower case) per those services' naming rules.
QUEUE_NAME_RE = re.compile(r"[A-Za-z0-9_\-]{1,80}|[A-Za-z0-9_\-]{1,75}\.fifo")
TOPIC_NAME_RE = re.compile(r"[A-Za-z0-9_\-]{1,256}|[A-Za-z0-9_\-]{1,251}\.fifo")
BUCKET_NAME_RE = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
KMS_KEY_RESOURCE_RE = re.compile(r"key/[A-Za-z0-9\-]+")  # a key, not an alias

# AWS's effective defaults (the reference's "AWS default" column).
API_DEFAULTS = {
    "BatchSize": 100,
    "BisectBatchOnFunctionError": False,
    "Enabled": True,
    "MaximumBatchingWindowInSeconds": 0,
    "MaximumRecordAgeInSeconds": -1,
    "ParallelizationFactor": 1,
    "MaximumRetryAttempts": -1,
    "TumblingWindowInSeconds": 0,
}

# esmcfg's flags (DESIGN.md "Command line") and the request member each sets.
FLAGS = {
    "table": "EventSourceArn",
    "function": "FunctionName",
    "starting-position": "StartingPosition",
    "batch-size": "BatchSize",
    "bisect-batch-on-error": "BisectBatchOnFunctionError",
    "enabled": "Enabled",
    "max-batching-window": "MaximumBatchingWindowInSeconds",
    "max-record-age": "MaximumRecordAgeInSeconds",
    "on-failure": "DestinationConfig.OnFailure.Destination",
    "parallelization-factor": "ParallelizationFactor",
    "report-batch-item-failures": "FunctionResponseTypes",
    "retry-attempts": "MaximumRetryAttempts",
    "tumbling-window": "TumblingWindowInSeconds",
    "filter": "FilterCriteria.Filters",
    "filter-kms-key": "KMSKeyArn",
    "metrics": "MetricsConfig.Metrics",
    "tag": "Tags",
}
INT_FLAGS = ("batch-size", "parallelization-factor", "retry-attempts")
DURATION_FLAGS = ("max-batching-window", "max-record-age", "tumbling-window")
BOOL_FLAGS = ("bisect-batch-on-error", "enabled", "report-batch-item-failures")
# Options whose special value -1 may be written "infinite" (DESIGN: DUR|-1).
INFINITE_FLAGS = ("max-record-age",)


def flag_of(path):
    """The esmcfg flag that sets request member PATH (or a prefix of it)."""
    for flag, member in FLAGS.items():
        if path == member or any(path.startswith(member + c) for c in ".[<"):
            return flag
    return None


# ---------------------------------------------------------------------------
# The Lambda model


def java_dot(pattern):
    """PATTERN with each '.' outside a character class spelled as Java reads
    it: any character but a line terminator (\\n \\r \\u0085 \\u2028 \\u2029);
    Python's '.' only leaves out \\n. (Where the model means "anything" it
    says [\\s\\S]*, as the Queues member does; Pattern says .*)"""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == ".":
            c = "[^\\n\\r\\u0085\\u2028\\u2029]"
        out.append(c)
        i += 1
    return "".join(out)


class Model:
    """The parts of botocore's Lambda model the oracle uses."""

    def __init__(self):
        import botocore
        import botocore.session

        self.botocore_version = botocore.__version__
        lam = botocore.session.get_session().get_service_model("lambda")
        self.request = lam.operation_model("CreateEventSourceMapping").input_shape
        need = set(FLAGS.values())
        have = set()
        for path in need:
            try:
                self.shape(path)
                have.add(path)
            except KeyError:
                pass
        if have != need:
            raise SystemExit(
                "botocore %s's Lambda model lacks %s: install a newer botocore (pip install -U botocore)"
                % (self.botocore_version, ", ".join(sorted(need - have)))
            )
        # What a function's own name and an alias may be: a mapping can only
        # name a function that CreateFunction could have made.
        create_fn = lam.operation_model("CreateFunction").input_shape.members["FunctionName"]
        self.function_name_pattern = create_fn.metadata["pattern"]
        alias = lam.operation_model("CreateAlias").input_shape.members["Name"]
        self.alias_max = alias.metadata["max"]
        self.alias_pattern = alias.metadata["pattern"]
        self._re = {}

    def shape(self, path):
        """The shape at dotted PATH below the request ("DestinationConfig.OnFailure.Destination")."""
        shape = self.request
        for part in path.split("."):
            if shape.type_name == "list":
                shape = shape.member
            shape = shape.members[part]
        return shape

    def limits(self, path):
        md = self.shape(path).metadata
        return md.get("min"), md.get("max")

    def regex(self, pattern):
        if pattern not in self._re:
            # Java's \d and \w are ASCII-only, as re.ASCII makes Python's.
            self._re[pattern] = re.compile(java_dot(pattern), re.ASCII)
        return self._re[pattern]

    def matches(self, pattern, text):
        # The model's patterns carry no anchors; Lambda applies them to the
        # whole value (older models spelled them ^...$), so fullmatch.
        return self.regex(pattern).fullmatch(text) is not None

    def validate(self, shape, value, path, errors):
        """Every constraint of SHAPE on VALUE (types, min, max, pattern, enum)."""
        t = shape.type_name
        md = shape.metadata
        lo, hi = md.get("min"), md.get("max")

        def err(msg):
            errors.append((path, msg))

        if t == "structure":
            if not isinstance(value, dict):
                return err("is not an object")
            for name in shape.required_members:
                if name not in value:
                    errors.append((f"{path}.{name}".lstrip("."), "is required"))
            for name, v in value.items():
                sub = f"{path}.{name}".lstrip(".")
                if name not in shape.members:
                    errors.append((sub, "is not a member of %s" % shape.name))
                else:
                    self.validate(shape.members[name], v, sub, errors)
        elif t == "list":
            if not isinstance(value, list):
                return err("is not a list")
            if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
                err("has %d items, the model allows %s..%s" % (len(value), lo, hi))
            for i, v in enumerate(value):
                self.validate(shape.member, v, f"{path}[{i}]", errors)
        elif t == "map":
            if not isinstance(value, dict):
                return err("is not a map")
            if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
                err("has %d entries, the model allows %s..%s" % (len(value), lo, hi))
            for k, v in value.items():
                self.validate(shape.key, k, f"{path}<key>", errors)
                self.validate(shape.value, v, f"{path}[{k!r}]", errors)
        elif t == "string":
            if not isinstance(value, str):
                return err("is not a string")
            if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
                err("is %d characters, the model allows %s..%s" % (len(value), lo, hi))
            if "enum" in md and value not in md["enum"]:
                err("%r is not one of %s" % (value, md["enum"]))
            if "pattern" in md and not self.matches(md["pattern"], value):
                err("%r does not match the model's pattern %s" % (value, md["pattern"]))
        elif t in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                return err("is not an integer")
            if lo is not None and value < lo or hi is not None and value > hi:
                err("%d is outside the model's %s..%s" % (value, lo, hi))
        elif t == "boolean":
            if not isinstance(value, bool):
                err("is not a boolean")
        else:
            err("unexpected shape type %s" % t)


# ---------------------------------------------------------------------------
# esmcfg's input syntax (DESIGN.md), parsed independently


class SyntaxProblem(Exception):
    pass


DUR_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
ISO_RE = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


def join_lines(pattern):
    """PATTERN with its line breaks, and the blanks around them, removed
    outside JSON strings (where a raw line break cannot be)."""
    if "\n" not in pattern and "\r" not in pattern:
        return pattern
    out, in_string, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < len(pattern):
                i += 1
                out.append(pattern[i])
            elif c == '"':
                in_string = False
        elif c in "\r\n":
            while out and out[-1] in " \t":
                out.pop()
            while i + 1 < len(pattern) and pattern[i + 1] in " \t\r\n":
                i += 1
        else:
            in_string = c == '"'
            out.append(c)
        i += 1
    return "".join(out)


def parse_int(text):
    """N: a whole number, optionally negative; nothing else."""
    if not re.fullmatch(r"-?[0-9]+", text):
        raise SyntaxProblem("%r is not a whole number" % text)
    return int(text)


def parse_duration(text, allow_infinite):
    """DUR: 90, 30s, 5m, 1h, 7d or ISO 8601 (PT5M, P1DT2H); -1 / infinite where allowed."""
    if allow_infinite and text == "infinite":
        return -1
    if text.startswith("-"):
        return parse_int(text)
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    m = re.fullmatch(r"([0-9]+)([smhd])", text)
    if m:
        return int(m.group(1)) * DUR_UNITS[m.group(2)]
    m = ISO_RE.fullmatch(text)
    if m and any(m.groups()) and not text.endswith("T"):
        d, h, mi, s = (int(g or 0) for g in m.groups())
        return ((d * 24 + h) * 60 + mi) * 60 + s
    raise SyntaxProblem("%r is not a duration" % text)


BOOLS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


def parse_bool(text):
    """BOOL: true|false|yes|no|on|off|1|0; a bare flag (None) is true."""
    if text is None:
        return True
    if text not in BOOLS:
        raise SyntaxProblem("%r is not a boolean" % text)
    return BOOLS[text]


def set_path(req, path, value):
    parts = path.split(".")
    for p in parts[:-1]:
        req = req.setdefault(p, {})
    req[parts[-1]] = value


def build_request(config):
    """The CreateEventSourceMapping request CONFIG describes, and the
    syntax problems met (as (flag, message)). CONFIG: [(flag, value)],
    value None for a bare boolean flag."""
    req, problems = {}, []
    filters, tags, tag_keys = [], {}, []
    for flag, value in config:
        try:
            if flag in INT_FLAGS:
                set_path(req, FLAGS[flag], parse_int(value))
            elif flag in DURATION_FLAGS:
                set_path(req, FLAGS[flag], parse_duration(value, flag in INFINITE_FLAGS))
            elif flag == "report-batch-item-failures":
                if parse_bool(value):
                    req["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
            elif flag in BOOL_FLAGS:
                set_path(req, FLAGS[flag], parse_bool(value))
            elif flag == "filter":
                # esmcfg joins a pattern written over several lines into one
                # (the model's Pattern is '.*', a single line).
                filters.append({"Pattern": join_lines(value)})
            elif flag == "metrics":
                req["MetricsConfig"] = {"Metrics": [m for m in value.split(",")]}
            elif flag == "tag":
                if "=" not in value:
                    raise SyntaxProblem("%r is not KEY=VALUE" % value)
                k, v = value.split("=", 1)
                tag_keys.append(k)
                tags[k] = v
            else:
                set_path(req, FLAGS[flag], value)
        except SyntaxProblem as e:
            problems.append((flag, str(e)))
    if filters:
        req["FilterCriteria"] = {"Filters": filters}
    if tags:
        req["Tags"] = tags
    req["_tag_keys"] = tag_keys
    return req, problems


# ---------------------------------------------------------------------------
# AWS's rules


def split_arn(text):
    """(partition, service, region, account, resource) or None."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return tuple(parts[1:])


def tag_text_ok(s):
    for c in s:
        if c in EXTRA_TAG_SYMBOLS:
            continue
        if unicodedata.category(c)[0] in "LNZ":
            continue
        return False
    return True


class Oracle:
    def __init__(self, model):
        self.m = model

    def function_problems(self, name, stream_region):
        """The reference's rules on FunctionName beyond the model's pattern:
        the name part is a name CreateFunction takes (1..64), the qualifier
        $LATEST, a version or an alias, a full ARN in the stream's region."""
        out = []
        fn_re = self.m.regex(self.m.function_name_pattern)
        m = fn_re.fullmatch(name)
        if not m:
            out.append("%r is not a function name, partial ARN or ARN that CreateFunction could make" % name)
            return out
        # groups: 1 arn prefix, 2 partition, 3 region:, ... name group, qualifier
        parts = name.split(":")
        if parts[0] == "arn":
            if len(parts) < 7:
                out.append("%r is not a full function ARN" % name)
                return out
            region, fname, qual = parts[3], parts[6], parts[7] if len(parts) > 7 else None
            if stream_region is not None and region != stream_region:
                out.append("function region %s differs from the stream's %s" % (region, stream_region))
        elif len(parts) >= 3 and parts[1] == "function":
            fname, qual = parts[2], parts[3] if len(parts) > 3 else None
        elif len(parts) <= 2:
            fname, qual = parts[0], parts[1] if len(parts) > 1 else None
        else:
            out.append("%r: only NAME, ACCOUNT:function:NAME or a full ARN (with :QUALIFIER)" % name)
            return out
        if len(fname) > EXTRA_FUNCTION_NAME_MAX:
            out.append("function name part is %d characters (at most %d)" % (len(fname), EXTRA_FUNCTION_NAME_MAX))
        if qual is not None and qual != "$LATEST" and not re.fullmatch(r"[0-9]+", qual):
            if len(qual) > self.m.alias_max or not self.m.matches(self.m.alias_pattern, qual):
                out.append("qualifier %r is not $LATEST, a version or an alias name" % qual)
        return out

    def stream_problems(self, arn):
        a = split_arn(arn)
        if not a or a[1] != "dynamodb":
            return ["%r is not a DynamoDB stream ARN" % arn]
        partition, _, region, account, resource = a
        m = re.fullmatch(r"table/([^/]+)/stream/([^/]+)", resource)
        if not m:
            return ["%r is not a stream ARN (table/NAME/stream/LABEL)" % arn]
        if not region or not account:
            return ["%r lacks its region or account" % arn]
        if not TABLE_NAME_RE.fullmatch(m.group(1)):
            return ["table name %r is not 3..255 of [a-zA-Z0-9_.-]" % m.group(1)]
        return []

    def destination_problems(self, arn):
        a = split_arn(arn)
        if not a:
            return ["%r is not an ARN" % arn]
        partition, service, region, account, resource = a
        if service == "sqs" and region and account:
            if not QUEUE_NAME_RE.fullmatch(resource):
                return ["%r is not an SQS queue name" % resource]
        elif service == "sns" and region and account:
            if not TOPIC_NAME_RE.fullmatch(resource):
                return ["%r is not an SNS topic name" % resource]
        elif service == "s3" and not region and not account:
            if not BUCKET_NAME_RE.fullmatch(resource) or ".." in resource:
                return ["%r is not an S3 bucket name" % resource]
        else:
            return ["%r is not an SQS queue, SNS topic or S3 bucket ARN" % arn]
        if service in ("sqs", "sns") and resource.endswith(".fifo"):
            return ["%r is a FIFO %s; stream mappings need a standard one" % (arn, service)]
        return []

    def kms_problems(self, arn):
        a = split_arn(arn)
        if not a or a[1] != "kms" or not a[2] or not a[3] or not KMS_KEY_RESOURCE_RE.fullmatch(a[4]):
            return ["%r is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)" % arn]
        return []

    def judge(self, config):
        """(accept, expected request, [(flag, why)])."""
        req, problems = build_request(config)
        tag_keys = req.pop("_tag_keys")
        errors = list(problems)
        # The model: types, ranges, patterns, enums; FunctionName required.
        model_errors = []
        self.m.validate(self.m.request, req, "", model_errors)
        errors += [(flag_of(p) or p, "%s %s" % (p, msg)) for p, msg in model_errors]
        # The reference.
        arn = req.get("EventSourceArn")
        stream_region = None
        if arn is None:
            errors.append(("table", "a DynamoDB stream is required"))
        else:
            sp = self.stream_problems(arn)
            errors += [("table", e) for e in sp]
            if not sp:
                stream_region = split_arn(arn)[2]
        if "FunctionName" in req:
            errors += [("function", e) for e in self.function_problems(req["FunctionName"], stream_region)]
        pos = req.get("StartingPosition")
        if pos is None:
            errors.append(("starting-position", "required for a stream"))
        elif pos not in EXTRA_STARTING_POSITIONS:
            errors.append(("starting-position", "%r is not %s" % (pos, " or ".join(EXTRA_STARTING_POSITIONS))))
        age = req.get("MaximumRecordAgeInSeconds")
        if isinstance(age, int) and age != -1 and age < EXTRA_RECORD_AGE_MIN:
            errors.append(("max-record-age", "%d: -1 or at least %d" % (age, EXTRA_RECORD_AGE_MIN)))
        dest = req.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        if dest is not None:
            errors += [("on-failure", e) for e in self.destination_problems(dest)]
        filters = req.get("FilterCriteria", {}).get("Filters", [])
        if len(filters) > EXTRA_MAX_FILTERS:
            errors.append(("filter", "%d filters, at most %d" % (len(filters), EXTRA_MAX_FILTERS)))
        for f in filters:
            try:
                obj = json.loads(f["Pattern"], parse_constant=_no_constant)
                if not isinstance(obj, dict):
                    errors.append(("filter", "%.40r is not a JSON object" % f["Pattern"]))
                elif _leaf_problem(obj):
                    errors.append(("filter", "%.40r: %s" % (f["Pattern"], _leaf_problem(obj))))
            except ValueError:
                errors.append(("filter", "%.40r is not JSON" % f["Pattern"]))
        if "KMSKeyArn" in req:
            errors += [("filter-kms-key", e) for e in self.kms_problems(req["KMSKeyArn"])]
            if not filters:
                errors.append(("filter-kms-key", "a filter KMS key needs at least one filter"))
        for metric in req.get("MetricsConfig", {}).get("Metrics", []):
            if metric not in EXTRA_METRICS:
                errors.append(("metrics", "%r is not a DynamoDB stream metric %s" % (metric, EXTRA_METRICS)))
        tags = req.get("Tags", {})
        if len(tag_keys) != len(set(tag_keys)):
            errors.append(("tag", "a tag key is given twice"))
        if len(tags) > EXTRA_MAX_TAGS:
            errors.append(("tag", "%d tags, at most %d" % (len(tags), EXTRA_MAX_TAGS)))
        for k, v in tags.items():
            if not EXTRA_TAG_KEY_LEN[0] <= len(k) <= EXTRA_TAG_KEY_LEN[1]:
                errors.append(("tag", "key of %d characters" % len(k)))
            if not EXTRA_TAG_VALUE_LEN[0] <= len(v) <= EXTRA_TAG_VALUE_LEN[1]:
                errors.append(("tag", "value of %d characters" % len(v)))
            if not tag_text_ok(k) or not tag_text_ok(v):
                errors.append(("tag", "%r=%r has a character tags do not allow" % (k, v)))
            if k.lower().startswith("aws:"):
                errors.append(("tag", "%r: the aws: prefix is reserved" % k))
        expected = dict(req)
        expected.setdefault("BatchSize", API_DEFAULTS["BatchSize"])
        return not errors, expected, errors


def _no_constant(name):
    raise ValueError("%s is not JSON" % name)


# ---------------------------------------------------------------------------
# Random configurations

REGIONS = {
    "aws": ["us-east-1", "us-west-2", "eu-west-2", "eu-central-1", "ap-southeast-1", "ap-northeast-3",
            "sa-east-1", "ca-central-1", "me-south-1", "il-central-1", "af-south-1"],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
    "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
}
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
def _leaf_problem(obj):
    """The reference's shape rule: objects nest, every leaf is a non-empty list."""
    if not obj:
        return "an empty object"
    for v in obj.values():
        if isinstance(v, dict):
            why = _leaf_problem(v)
            if why:
                return why
        elif not isinstance(v, list) or not v:
            return "a leaf that is not a non-empty list"
    return None


PATTERNS = [
    '{"eventName": ["INSERT"]}',
    '{"eventName":["INSERT","MODIFY"]}',
    '{"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "order#"}]}}}}',
    '{"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",100]}]}}}}',
    '{ "eventName" : [ "REMOVE" ] , "userIdentity": {"type": ["Service"]} }',
    '{"dynamodb": {"NewImage": {"note": {"S": ["line 1\\nline 2"]}}}}',
    '{"dynamodb": {"NewImage": {"status": {"S": [{"anything-but": ["DONE"]}]}}}}',
    '{"dynamodb": {"NewImage": {"email": {"S": [{"exists": true}]}}}}',
    '{"dynamodb": {"NewImage": {"city": {"S": ["Zürich", "Köln"]}}}}',
    '{"awsRegion": ["eu-west-2"], "eventSource": ["aws:dynamodb"]}',
]
# A pattern laid out on several lines: the model's Pattern is ".*", which
# (in Java, as in every AWS SDK's validator) does not match a line break.
MULTILINE_PATTERN = '{\n  "eventName": ["REMOVE"],\n  "userIdentity": {"type": ["Service"]}\n}'
BAD_PATTERNS = ['["INSERT"]', '"eventName"', "42", "null", "true", '{"eventName": ["INSERT"]', "{eventName: 1}",
                '{"a": [1]} x', '{"a": [NaN]}', "{'a': [1]}", "not json",
                '{"a": "x"}', '{"a": []}', '{}', '{"a": {}}']
BAD_INTS = ["", "abc", "1.5", "1e3", "12a", "0x10", "99999999999999999999999", "١٢", "--5"]
BAD_DURATIONS = ["", "abc", "1.5m", "5x", "PT", "P", "PT1.5M", "-5s", "5 m", "PT-5S", "1e3", "P1Y", "P1M",
                 "T5M", "5mm", "m5", "99999999999999999999999s", "P99999999999999999999D", "0.5", "5min"]
BAD_BOOLS = ["maybe", "2", "", "y", "enable", "t"]


class Generator:
    def __init__(self, model, rng):
        self.m = model
        self.r = rng

    def chance(self, p):
        return self.r.random() < p

    def word(self, n, alphabet=ALNUM + "-_"):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def account(self):
        return "".join(self.r.choice("0123456789") for _ in range(12))

    # -- the source --------------------------------------------------------
    def environment(self):
        partition = self.r.choice(["aws"] * 6 + ["aws-cn", "aws-us-gov"])
        return partition, self.r.choice(REGIONS[partition]), self.account()

    def table_name(self):
        n = self.r.choice([3, 255, self.r.randint(3, 30), self.r.randint(3, 30)])
        return self.word(n, ALNUM + "_.-")

    def stream_arn(self, env, table=None):
        partition, region, account = env
        label = "20%02d-%02d-%02dT%02d:%02d:%02d.%03d" % (
            self.r.randint(15, 26), self.r.randint(1, 12), self.r.randint(1, 28),
            self.r.randint(0, 23), self.r.randint(0, 59), self.r.randint(0, 59), self.r.randint(0, 999))
        return "arn:%s:dynamodb:%s:%s:table/%s/stream/%s" % (partition, region, account, table or self.table_name(), label)

    def bad_stream(self, env):
        partition, region, account = env
        return self.r.choice([
            "arn:%s:dynamodb:%s:%s:table/%s" % (partition, region, account, self.table_name()),
            "arn:%s:kinesis:%s:%s:stream/%s" % (partition, region, account, self.word(8)),
            "arn:%s:dynamodb:%s:%s:table/%s/stream/" % (partition, region, account, self.table_name()),
            self.stream_arn(env, self.word(2)),
            self.stream_arn(env, self.word(256, ALNUM)),
            self.stream_arn(env, "my table"),
            self.stream_arn((partition, region, account[:11])),
            self.stream_arn((partition, "useast1", account)),
            self.stream_arn((partition, "", account)),
            self.stream_arn(("amazon", region, account)),
            "arn:%s:sqs:%s:%s:%s" % (partition, region, account, self.word(8)),
            self.word(8),
            "",
        ])

    def function(self, env):
        partition, region, account = env
        if self.chance(0.1):  # out of bounds / garbage
            name = self.r.choice([
                self.word(EXTRA_FUNCTION_NAME_MAX + 1), "my fn", "fn!", "fn.name", "", "a:b:c:d",
                self.word(8) + ":al!as", self.word(8) + ":" + self.word(self.m.alias_max + 1),
                "arn:%s:lambda:%s:%s:function:%s" % (partition, region, account[:10], self.word(8)),
                "arn:%s:lambda:%s:%s:function:%s" % (partition, self.other_region(partition, region), account, self.word(8)),
                "arn:%s:sqs:%s:%s:%s" % (partition, region, account, self.word(8)),
            ])
            return name
        n = self.r.choice([1, EXTRA_FUNCTION_NAME_MAX, self.r.randint(1, 30), self.r.randint(1, 30)])
        name = self.word(n)
        qual = self.r.choice([None, None, "$LATEST", str(self.r.randint(1, 999)), "live",
                              self.word(self.m.alias_max, ALNUM), "prod-" + self.word(4)])
        form = self.r.choice(["name", "name", "partial", "arn", "arn"])
        base = {"name": name,
                "partial": "%s:function:%s" % (account, name),
                "arn": "arn:%s:lambda:%s:%s:function:%s" % (partition, region, account, name)}[form]
        return base + (":" + qual if qual else "")

    def other_region(self, partition, region):
        others = [r for r in REGIONS[partition] if r != region]
        return self.r.choice(others)

    # -- numbers -----------------------------------------------------------
    def int_value(self, path, special=None):
        lo, hi = self.m.limits(path)
        roll = self.r.random()
        if roll < 0.45:
            return str(self.r.randint(lo, hi))
        if roll < 0.85:
            return str(self.r.choice([lo, hi, lo, hi, lo - 1, hi + 1] + ([special] if special is not None else [])))
        return self.r.choice(BAD_INTS + [str(hi * 1000), "-" + str(hi)])

    def seconds_text(self, s):
        """S seconds in one of the DUR syntaxes that can say it."""
        if s < 0:
            return str(s)
        forms = [str(s), "%ds" % s, "PT%dS" % s]
        if s % 60 == 0:
            forms += ["%dm" % (s // 60), "PT%dM" % (s // 60)]
        if s % 3600 == 0:
            forms += ["%dh" % (s // 3600), "PT%dH" % (s // 3600)]
        if s % 86400 == 0:
            forms += ["%dd" % (s // 86400), "P%dD" % (s // 86400)]
        d, rest = divmod(s, 86400)
        h, rest = divmod(rest, 3600)
        mi, sec = divmod(rest, 60)
        iso = "P" + ("%dD" % d if d else "")
        if h or mi or sec:
            iso += "T" + ("%dH" % h if h else "") + ("%dM" % mi if mi else "") + ("%dS" % sec if sec else "")
        if iso != "P":
            forms.append(iso)
        return self.r.choice(forms)

    def duration_value(self, flag):
        path = FLAGS[flag]
        lo, hi = self.m.limits(path)
        infinite = flag in INFINITE_FLAGS
        if infinite:
            lo_valid = EXTRA_RECORD_AGE_MIN
        else:
            lo_valid = lo
        roll = self.r.random()
        if roll < 0.45:
            s = self.r.choice([self.r.randint(lo_valid, hi), self.r.randint(lo_valid, hi) // 60 * 60,
                               self.r.randint(0, hi // 3600) * 3600 if hi >= 3600 else lo_valid,
                               self.r.randint(0, hi // 86400) * 86400 if hi >= 86400 else hi])
            s = max(lo_valid, min(hi, s))
            return self.seconds_text(s)
        if roll < 0.85:
            bounds = [lo_valid, hi, lo_valid - 1, hi + 1, lo, lo - 1]
            if infinite:
                bounds += [-1, 0, 59, -1]
            s = self.r.choice(bounds)
            if infinite and s == -1 and self.chance(0.5):
                return "infinite"
            return self.seconds_text(s)
        bad = list(BAD_DURATIONS)
        if not infinite:
            bad.append("infinite")
        return self.r.choice(bad)

    def bool_value(self):
        roll = self.r.random()
        if roll < 0.3:
            return None
        if roll < 0.92:
            return self.r.choice(list(BOOLS))
        return self.r.choice(BAD_BOOLS)

    # -- destinations, keys, filters, metrics, tags ----------------------------
    def destination(self, env):
        partition, region, account = env
        if self.chance(0.05):
            region = self.other_region(partition, region)
        hi = self.m.limits("DestinationConfig.OnFailure.Destination")[1]
        if self.chance(0.8):
            kind = self.r.choice(["sqs", "sns", "s3"])
            if kind == "sqs":
                return "arn:%s:sqs:%s:%s:%s" % (partition, region, account, self.word(self.r.choice([1, 80, 12])))
            if kind == "sns":
                return "arn:%s:sns:%s:%s:%s" % (partition, region, account, self.word(self.r.choice([1, 256, 12])))
            n = self.r.choice([3, 63, 12])
            inner = self.word(n - 2, "abcdefghijklmnopqrstuvwxyz0123456789-") if n > 2 else ""
            return "arn:%s:s3:::%s" % (partition, self.r.choice("abc123") + inner + self.r.choice("xyz789"))
        return self.r.choice([
            "arn:%s:sqs:%s:%s:%s.fifo" % (partition, region, account, self.word(10)),
            "arn:%s:sns:%s:%s:%s.fifo" % (partition, region, account, self.word(10)),
            "arn:%s:sqs:%s:%s:%s" % (partition, region, account, self.word(81)),
            "arn:%s:sns:%s:%s:%s" % (partition, region, account, self.word(257)),
            "arn:%s:s3:::%s" % (partition, "Upper-Case-Bucket"),
            "arn:%s:s3:::%s" % (partition, "ab"),
            "arn:%s:lambda:%s:%s:function:%s" % (partition, region, account, self.word(8)),
            "arn:%s:kinesis:%s:%s:stream/%s" % (partition, region, account, self.word(8)),
            "arn:%s:dynamodb:%s:%s:table/%s" % (partition, region, account, self.table_name()),
            "arn:%s:sqs:%s:%s:%s" % (partition, region, account, "q.x"),
            self.too_long_destination(region, account, hi + 1),
            "not-an-arn",
            "",
        ])

    def too_long_destination(self, region, account, n):
        """An SNS ARN of N characters: only a (fictional) long partition gets
        a valid topic name past the model's limit."""
        fixed = len("arn:aws-:sns:%s:%s:" % (region, account)) + 256
        return "arn:aws-%s:sns:%s:%s:%s" % ("x" * (n - fixed), region, account, self.word(256))

    def kms_key(self, env):
        partition, region, account = env
        key = self.r.choice(["%08x-%04x-%04x-%04x-%012x" % tuple(self.r.getrandbits(b) for b in (32, 16, 16, 16, 48)),
                             "mrk-%032x" % self.r.getrandbits(128)])
        if self.chance(0.85):
            return "arn:%s:kms:%s:%s:key/%s" % (partition, region, account, key)
        return self.r.choice([
            "arn:%s:kms:%s:%s:alias/%s" % (partition, region, account, self.word(8)),
            "arn:%s:kms:%s:%s:key/" % (partition, region, account),
            key, "", "arn:%s:sqs:%s:%s:%s" % (partition, region, account, self.word(8)),
        ])

    def sized_pattern(self, n, pad="x"):
        """A valid pattern of exactly N characters."""
        head, tail = '{"dynamodb": {"NewImage": {"note": {"S": ["', '"]}}}}'
        return head + pad * (n - len(head) - len(tail)) + tail

    def patterns(self):
        hi = self.m.limits("FilterCriteria.Filters.Pattern")[1]
        count = self.r.choice([1, 1, 2, 3, 5, 6, EXTRA_MAX_FILTERS, EXTRA_MAX_FILTERS + 1])
        out = []
        for _ in range(count):
            roll = self.r.random()
            if roll < 0.03:
                p = MULTILINE_PATTERN
            elif roll < 0.75:
                p = self.r.choice(PATTERNS)
            elif roll < 0.9:
                p = self.sized_pattern(self.r.choice([hi, hi + 1, hi - 1]), self.r.choice(["x", "é"]))
            else:
                p = self.r.choice(BAD_PATTERNS)
            if p not in out:
                out.append(p)
        return out

    def metrics(self):
        if self.chance(0.85):
            return "EventCount"
        return self.r.choice(["ErrorCount", "KafkaMetrics", "Bogus", "EventCount,ErrorCount"])

    def tag_text(self, n, value=False):
        alphabet = ALNUM + "_.:/+-@  " + ("=" if value else "")
        s = self.word(n, alphabet)
        if self.chance(0.05) and n:
            s = s[:-1] + self.r.choice(["é", "日", "٣", "½", "\u00a0", "\u2003", "€", "🙂", "#", "!", "*", "\t"])
        return s

    def tags(self):
        roll = self.r.random()
        count = self.r.randint(1, 3) if roll < 0.8 else self.r.choice([EXTRA_MAX_TAGS, EXTRA_MAX_TAGS + 1])
        kmin, kmax = EXTRA_TAG_KEY_LEN
        vmin, vmax = EXTRA_TAG_VALUE_LEN
        out, keys = [], set()
        for i in range(count):
            klen = self.r.choice([kmin, kmax, self.r.randint(kmin, 20)] + ([kmax + 1] if count < 5 else []))
            vlen = self.r.choice([vmin, vmax, self.r.randint(vmin, 30)] + ([vmax + 1] if count < 5 else []))
            k = self.tag_text(klen)
            if k.strip() != k and not self.chance(0.3):
                k = self.word(klen)  # spaces at a key's ends: now and then
            if count < 5 and self.chance(0.05):
                k = self.r.choice(["aws:", "AWS:", "Aws:"]) + k
            if k in keys or not k:
                k = "k%d" % i + (k or "")[: kmax - 4]
            keys.add(k)
            v = self.tag_text(vlen, value=True)
            if v.strip() != v and not self.chance(0.3):
                v = self.word(vlen)
            out.append("%s=%s" % (k, v))
        if count < 5 and self.chance(0.05):
            out.append(self.r.choice(["novalue", "=empty-key", "a=b,c"]))
        return out

    # -- a whole configuration ---------------------------------------------
    def config(self):
        """[(flag, value)] for one random configuration."""
        env = self.environment()
        out = []
        if self.chance(0.03):
            pass  # no --table
        elif self.chance(0.06):
            out.append(("table", self.bad_stream(env)))
        else:
            out.append(("table", self.stream_arn(env)))
        if not self.chance(0.03):
            out.append(("function", self.function(env)))
        if not self.chance(0.04):
            pos = self.r.choice(EXTRA_STARTING_POSITIONS) if self.chance(0.93) else self.r.choice(
                ["AT_TIMESTAMP", "BEGINNING", "", "TRIM-HORIZON"])
            out.append(("starting-position", pos))
        opts = []
        p = self.r.choice([0.15, 0.35, 0.6])
        for flag in ("batch-size", "parallelization-factor"):
            if self.chance(p):
                opts.append((flag, self.int_value(FLAGS[flag])))
        if self.chance(p):
            opts.append(("retry-attempts", self.int_value(FLAGS["retry-attempts"], special=-1)))
        for flag in DURATION_FLAGS:
            if self.chance(p):
                opts.append((flag, self.duration_value(flag)))
        for flag in BOOL_FLAGS:
            if self.chance(p):
                opts.append((flag, self.bool_value()))
        if self.chance(p):
            opts.append(("on-failure", self.destination(env)))
        if self.chance(p):
            opts += [("filter", f) for f in self.patterns()]
        if self.chance(p * (0.9 if any(f == "filter" for f, _ in opts) else 0.3)):
            opts.append(("filter-kms-key", self.kms_key(env)))
        if self.chance(p):
            opts.append(("metrics", self.metrics()))
        if self.chance(p):
            opts += [("tag", t) for t in self.tags()]
        self.r.shuffle(opts)
        return out + opts


# ---------------------------------------------------------------------------
# Running esmcfg


def argv_for(config, rng, fmt="json"):
    """The command-line arguments for CONFIG, in --flag VALUE or --flag=VALUE form."""
    args = ["--batch", "--format", fmt]
    for flag, value in config:
        if value is None:
            args.append("--" + flag)
        elif flag in BOOL_FLAGS or rng.random() < 0.3:
            args.append("--%s=%s" % (flag, value))
        else:
            args += ["--" + flag, value]
    return args


def run_esmcfg(esmcfg, args):
    p = subprocess.run([esmcfg] + args, capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def shell_join(args):
    """ARGS as one line of bash: control characters in $'...' quoting."""
    out = []
    for a in args:
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in a):
            body = "".join("\\%s" % c if c in "\\'" else c if 0x20 <= ord(c) != 0x7F else "\\x%02x" % ord(c)
                           for c in a)
            out.append("$'%s'" % body)
        else:
            out.append(shlex.quote(a))
    return " ".join(out)


def describe(config):
    return ", ".join("%s=%s" % (f, _short(v)) for f, v in config)


def _short(v):
    if v is None:
        return "(bare)"
    if len(v) <= 60:
        return repr(v)
    return "%r...%r (%d chars)" % (v[:30], v[-12:], len(v))


def diff_lines(name, got, want, got_label="esmcfg", want_label="expected"):
    """Lines saying how GOT differs from WANT (dicts key by key)."""
    if isinstance(got, dict) and isinstance(want, dict):
        out = []
        for k in sorted(set(got) | set(want), key=str):
            if got.get(k, "<absent>") != want.get(k, "<absent>"):
                sub = "%s[%s]" % (name, _short(str(k))) if name else str(k)
                out += diff_lines(sub, got.get(k, "<absent>"), want.get(k, "<absent>"), got_label, want_label)
        return out
    show = lambda v: _short(v) if isinstance(v, str) else _short(json.dumps(v, ensure_ascii=False))
    return ["%s: %s %s, %s %s" % (name, got_label, show(got), want_label, show(want))]


def check_case(esmcfg, oracle, config, rng):
    """None when esmcfg agrees with the oracle, else a list of lines saying how not."""
    accept, expected, errors = oracle.judge(config)
    args = argv_for(config, rng)
    rc, out, err = run_esmcfg(esmcfg, args)
    problems = []
    if accept:
        if rc != 0:
            problems.append("oracle ACCEPTS, esmcfg exits %d: %s" % (rc, err.strip().splitlines()[:3]))
        else:
            try:
                got = json.loads(out)
            except ValueError as e:
                got = None
                problems.append("esmcfg's stdout is not JSON (%s): %.200r" % (e, out))
            if got is not None:
                if got.get("FunctionResponseTypes") == [] and "FunctionResponseTypes" not in expected:
                    del got["FunctionResponseTypes"]
                if got != expected:
                    problems.append("both accept, but the JSON differs:")
                    problems += ["  " + line for line in diff_lines("", got, expected)]
    else:
        if rc == 0:
            problems.append("oracle REJECTS (%s), esmcfg accepts" % "; ".join("--%s: %s" % e for e in errors))
        elif rc != 3:
            problems.append("oracle rejects (%s), esmcfg exits %d (invalid configuration is 3): %s" % (
                "; ".join("--%s: %s" % e for e in errors), rc, err.strip().splitlines()[:3]))
        else:
            if out:
                problems.append("esmcfg rejects but still wrote %d bytes to stdout" % len(out))
            flags = {f for f, _ in errors}
            if len(flags) == 1:
                (flag,) = flags
                if "--" + flag not in err:
                    problems.append("esmcfg rejects, but stderr does not name --%s (oracle: %s): %s" % (
                        flag, errors[0][1], err.strip().splitlines()[:3]))
    if problems:
        return ["$ " + shell_join([esmcfg] + args)] + problems
    return None


# ---------------------------------------------------------------------------
# Probes: fixed cases where the rules are not clear-cut. They are run and
# reported, never counted as failures; the report discusses each.

STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
BASE = [("table", STREAM), ("function", "process-orders"), ("starting-position", "LATEST")]
PROBES = [
    ("qualifier $LATEST.PUBLISHED (in the ESM model's FunctionName pattern, not CreateFunction's)",
     [("table", STREAM), ("function", "process-orders:$LATEST.PUBLISHED"), ("starting-position", "LATEST")]),
    ("stream in an ISO region (the model's Arn pattern has no -iso regions)",
     [("table", "arn:aws-iso:dynamodb:us-iso-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"),
      ("function", "f"), ("starting-position", "LATEST")]),
    ("compound duration 1h30m (DESIGN: 'anything else is an error')", BASE + [("max-record-age", "1h30m")]),
    ("week unit 1w", BASE + [("max-record-age", "1w")]),
    ("ISO week P1W", BASE + [("max-record-age", "P1W")]),
    ("lower-case ISO pt5m", BASE + [("max-batching-window", "pt5m")]),
    ("upper-case unit 5M", BASE + [("max-batching-window", "5M")]),
    ("duration with spaces ' 90 '", BASE + [("max-batching-window", " 90 ")]),
    ("leading zeros 0090", BASE + [("batch-size", "0090")]),
    ("plus sign +90", BASE + [("batch-size", "+90")]),
    ("-0 retry attempts", BASE + [("retry-attempts", "-0")]),
    ("retry attempts 'infinite' (max-record-age takes it)", BASE + [("retry-attempts", "infinite")]),
    ("lower-case starting position", [("table", STREAM), ("function", "f"), ("starting-position", "latest")]),
    ("upper-case boolean TRUE", BASE + [("enabled", "TRUE")]),
    ("metrics 'none' (--help lists it as allowed)", BASE + [("metrics", "none")]),
    ("metrics '' (no metrics)", BASE + [("metrics", "")]),
    ("filter '' (no filters)", BASE + [("filter", "")]),
    ("empty filter pattern {}", BASE + [("filter", "{}")]),
    ("duplicate metric EventCount,EventCount", BASE + [("metrics", "EventCount,EventCount")]),
    ("tag value with trailing space", BASE + [("tag", "team=data ")]),
    ("tag key with leading space", BASE + [("tag", " team=data")]),
    ("tag value ending in a tab (not a tag character)", BASE + [("tag", "team=data\t")]),
    ("tag value with a euro sign (\\p{Sc}, not a letter)", BASE + [("tag", "cost=5\u20ac")]),
    ("tag value with an emoji", BASE + [("tag", "mood=\U0001F642")]),
    ("tag value with a no-break space (\\p{Zs})", BASE + [("tag", "city=New\u00a0York")]),
    ("tag value with a fraction sign \u00bd (\\p{No})", BASE + [("tag", "share=\u00bd")]),
    ("tag value starting with aws:", BASE + [("tag", "owner=aws:team")]),
    ("same tag key twice", BASE + [("tag", "a=1"), ("tag", "a=2")]),
    ("two tags in one --tag a=1,b=2", BASE + [("tag", "a=1,b=2")]),
    ("on-failure in another region", BASE + [("on-failure", "arn:aws:sqs:eu-west-1:123456789012:dlq")]),
    ("on-failure empty", BASE + [("on-failure", "")]),
    ("filter-kms-key as a key alias ARN", BASE + [("filter", '{"a": ["b"]}'),
     ("filter-kms-key", "arn:aws:kms:us-east-1:123456789012:alias/filters")]),
    ("function REGION:ACCOUNT:function:NAME (matches the model's pattern)",
     [("table", STREAM), ("function", "us-east-1:123456789012:function:f"), ("starting-position", "LATEST")]),
    ("function given as a 12-digit name", [("table", STREAM), ("function", "123456789012"), ("starting-position", "LATEST")]),
    ("starting position given twice", BASE + [("starting-position", "TRIM_HORIZON")]),
]


def run_probes(esmcfg, oracle, verbose):
    lines = []
    rng = random.Random(0)
    for what, config in PROBES:
        accept, expected, errors = oracle.judge(config)
        args = argv_for(config, rng)
        rc, out, err = run_esmcfg(esmcfg, args)
        got = None
        if rc == 0:
            try:
                got = json.loads(out)
            except ValueError:
                got = out
        verdict = "accept" if accept else "reject (%s)" % "; ".join("--%s: %s" % e for e in errors)
        note = ""
        if rc == 0 and accept and got != expected:
            note = " but writes %s" % json.dumps({k: v for k, v in got.items() if expected.get(k) != v}, ensure_ascii=False)
        agree = (rc == 0) == accept and not note
        lines.append("  %s %s: esmcfg exit %d%s; oracle: %s" % ("same" if agree else "DIFF", what, rc, note, verdict))
        if verbose and rc != 0:
            lines.append("      esmcfg: %s" % err.strip().splitlines()[:2])
    return lines


# ---------------------------------------------------------------------------
# Bounds sweep: every numeric option at min-1, min, max, max+1 (and the
# special values), each in every DUR syntax that can say it.


def sweep_configs(model):
    out = []
    for flag in INT_FLAGS:
        lo, hi = model.limits(FLAGS[flag])
        for v in sorted({lo - 1, lo, hi, hi + 1, -1, 0}):
            out.append(BASE + [(flag, str(v))])
    for flag in DURATION_FLAGS:
        lo, hi = model.limits(FLAGS[flag])
        values = {lo - 1, lo, hi, hi + 1, 0, 60}
        if flag in INFINITE_FLAGS:
            values |= {EXTRA_RECORD_AGE_MIN - 1, EXTRA_RECORD_AGE_MIN, -2}
        for s in sorted(values):
            texts = {str(s)}
            if s >= 0:
                texts |= {"%ds" % s, "PT%dS" % s}
                if s % 60 == 0:
                    texts |= {"%dm" % (s // 60), "PT%dM" % (s // 60)}
                if s % 3600 == 0:
                    texts |= {"%dh" % (s // 3600), "PT%dH" % (s // 3600)}
                if s % 86400 == 0:
                    texts |= {"%dd" % (s // 86400), "P%dD" % (s // 86400)}
            for t in sorted(texts):
                out.append(BASE + [(flag, t)])
        out.append(BASE + [(flag, "infinite")])
    hi = model.limits("FilterCriteria.Filters.Pattern")[1]
    gen = Generator(model, random.Random(0))
    for n in (hi, hi + 1):
        for pad in ("x", "é"):
            out.append(BASE + [("filter", gen.sized_pattern(n, pad))])
    for n in (EXTRA_MAX_FILTERS, EXTRA_MAX_FILTERS + 1):
        out.append(BASE + [("filter", '{"n": [%d]}' % i) for i in range(n)])
    for n in (EXTRA_MAX_TAGS, EXTRA_MAX_TAGS + 1):
        out.append(BASE + [("tag", "k%d=v" % i) for i in range(n)])
    for kl, vl in ((EXTRA_TAG_KEY_LEN[1], EXTRA_TAG_VALUE_LEN[1]), (EXTRA_TAG_KEY_LEN[1] + 1, 1),
                   (1, EXTRA_TAG_VALUE_LEN[1] + 1), (1, 0)):
        out.append(BASE + [("tag", "k" * kl + "=" + "v" * vl)])
    out.append(BASE + [("tag", "é" * EXTRA_TAG_KEY_LEN[1] + "=" + "日" * EXTRA_TAG_VALUE_LEN[1])])
    return out


# ---------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esmcfg", default=os.environ.get("ESMCFG"), help="the esmcfg binary (default $ESMCFG)")
    ap.add_argument("-n", type=int, default=int(os.environ.get("ORACLE_N", "300")), help="random cases (default 300, $ORACLE_N)")
    ap.add_argument("--seed", type=int, default=int(os.environ["ORACLE_SEED"]) if os.environ.get("ORACLE_SEED") else None,
                    help="random seed (default: new each run, printed; $ORACLE_SEED)")
    ap.add_argument("--no-sweep", action="store_true", help="skip the fixed bounds sweep")
    ap.add_argument("--no-probes", action="store_true", help="skip the informational probes")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    if not a.esmcfg:
        ap.error("no esmcfg binary: give --esmcfg or set ESMCFG")
    seed = a.seed if a.seed is not None else int(time.time() * 1000) % 2**31
    model = Model()
    oracle = Oracle(model)
    print("aws_rules: botocore %s, seed %d (reproduce: ORACLE_SEED=%d), %d random cases" % (
        model.botocore_version, seed, seed, a.n))
    rng = random.Random(seed)
    gen = Generator(model, rng)
    cases = [("random", gen.config()) for _ in range(a.n)]
    if not a.no_sweep:
        cases += [("sweep", c) for c in sweep_configs(model)]
    passed = failed = 0
    tally = {}
    for i, (kind, config) in enumerate(cases):
        accept = oracle.judge(config)[0]
        problems = check_case(a.esmcfg, oracle, config, rng)
        key = (kind, "accept" if accept else "reject", "fail" if problems else "pass")
        tally[key] = tally.get(key, 0) + 1
        if problems:
            failed += 1
            print("FAIL %s #%d: %s" % (kind, i, describe(config)))
            for line in problems:
                print("    " + line)
        else:
            passed += 1
            if a.verbose:
                print("ok   %s #%d (%s): %s" % (kind, i, "accept" if accept else "reject", describe(config)))
    for kind in ("random", "sweep"):
        parts = ["%s %s %d" % (v, r, tally.get((kind, v, r), 0)) for v in ("accept", "reject") for r in ("pass", "fail")]
        if any(tally.get((kind, v, r)) for v in ("accept", "reject") for r in ("pass", "fail")):
            print("%s: %s" % (kind, ", ".join(parts)))
    if not a.no_probes:
        print("probes (informational, not counted):")
        for line in run_probes(a.esmcfg, oracle, a.verbose):
            print(line)
    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("reproduce: ORACLE_SEED=%d ESMCFG=%s python3 %s -n %d" % (seed, a.esmcfg, os.path.abspath(__file__), a.n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
