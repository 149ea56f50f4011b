#!/usr/bin/env python3
"""Does esmcfg export the same effective mapping as aws-cdk-lib?

For N random configurations that AWS accepts (the oracle in aws_rules.py
decides; values in range and on the bounds, every DUR syntax), this runs
    $ESMCFG --batch --format cfn-json ...
for each, writes the same configurations as DynamoEventSource props, runs
cdk/synth.js once (one App, one Stack per configuration, one synth), and
compares the two AWS::Lambda::EventSourceMapping resources property by
property: each side's value, or AWS's default where the side leaves the
property out.

How an esmcfg option becomes a CDK prop (what a CDK user would write):
  --table STREAM_ARN        dynamodb.Table.fromTableAttributes({tableArn, tableStreamArn})
  --function F[:Q]          lambda.Function.fromFunctionAttributes({functionArn, sameEnvironment,
                            role}) in a Stack whose env is the stream's region and the function's
                            account; with a qualifier, lambda.Version.fromVersionAttributes
                            (Function.fromFunctionAttributes would drop it)
  DUR (90, 30s, 5m, 1h, 7d) Duration.seconds/minutes/hours/days(n); ISO 8601 through Duration.parse
  --max-record-age -1|infinite   left unset: the CDK's Duration cannot be negative and an
                            unset maxRecordAge is AWS's -1
  --retry-attempts -1       retryAttempts: -1 (the CDK takes -1 as infinite)
  --on-failure ARN          SqsDlq / SnsDlq / S3OnFailureDestination of the imported resource
  --filter JSON             FilterCriteria.filter(JSON.parse(text)): the CDK re-serializes the
                            pattern, so patterns are compared as parsed JSON
  --filter-kms-key ARN      filterEncryption: kms.Key.fromKeyArn
  --metrics EventCount      metricsConfig: {metrics: [MetricType.EVENT_COUNT]}
  --tag K=V                 DynamoEventSource has no tags prop: cdk.Tags.of(stack).add(K, V),
                            which tags the mapping (the CDK sorts tags by key: compared as a map)

Run: python3 tests/oracle/cdk_equiv.py --esmcfg build/esmcfg [-n 100] [--seed S] [-v]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_rules  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CDK_DIR = os.path.join(HERE, "cdk")

# AWS's defaults for an absent property (the reference's "AWS default"):
# the scalars from aws_rules, and "none" for the rest.
CFN_DEFAULTS = dict(aws_rules.API_DEFAULTS)
CFN_DEFAULTS.update({
    "DestinationConfig": None,  # no destination: discarded records are dropped
    "FunctionResponseTypes": [],
    "FilterCriteria": [],
    "KmsKeyArn": None,  # AWS-owned key
    "MetricsConfig": [],
    "Tags": {},
})
REQUIRED = ("EventSourceArn", "FunctionName", "StartingPosition")


# ---------------------------------------------------------------------------
# Configurations AWS accepts


def valid_config(gen, oracle):
    """A random configuration the oracle accepts: offending options are
    dropped until none is left (the required three are regenerated)."""
    while True:
        config = gen.config()
        for _ in range(10):
            accept, _, errors = oracle.judge(config)
            if accept:
                return config
            bad = {flag for flag, _ in errors}
            if bad & {"table", "function", "starting-position"} or any(f not in aws_rules.FLAGS for f in bad):
                break
            config = [(f, v) for f, v in config if f not in bad]


def function_parts(text):
    """(region, account, name, qualifier) of a function name, partial ARN or
    ARN; region and account None when the text does not say."""
    parts = text.split(":")
    if parts[0] == "arn":
        return parts[3], parts[4], parts[6], parts[7] if len(parts) > 7 else None
    if len(parts) >= 3 and parts[1] == "function":
        return None, parts[0], parts[2], parts[3] if len(parts) > 3 else None
    return None, None, parts[0], parts[1] if len(parts) > 1 else None


def cdk_duration(text):
    """A DUR as the CDK user writes it; None for -1 / infinite."""
    if text in ("-1", "infinite"):
        return None
    if text.startswith("P"):
        return {"iso": text}
    m = re.fullmatch(r"([0-9]+)([smhd]?)", text)
    unit = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
    return {"unit": unit, "amount": int(m.group(1))}


def cdk_input(case_id, config):
    """The synth.js input for CONFIG, and the env its stack is in."""
    values = {}
    for flag, value in config:
        if flag in ("filter", "tag"):
            values.setdefault(flag, []).append(value)
        else:
            values[flag] = value
    stream = values["table"]
    partition, _, region, stream_account, _ = aws_rules.split_arn(stream)
    fregion, faccount, fname, qualifier = function_parts(values["function"])
    account = faccount or stream_account
    props = {"startingPosition": values["starting-position"]}
    for flag, prop in (("batch-size", "batchSize"), ("parallelization-factor", "parallelizationFactor"),
                       ("retry-attempts", "retryAttempts")):
        if flag in values:
            props[prop] = int(values[flag])
    for flag, prop in (("bisect-batch-on-error", "bisectBatchOnError"), ("enabled", "enabled"),
                       ("report-batch-item-failures", "reportBatchItemFailures")):
        if flag in values:
            props[prop] = aws_rules.parse_bool(values[flag])
    for flag, prop in (("max-batching-window", "maxBatchingWindow"), ("max-record-age", "maxRecordAge"),
                       ("tumbling-window", "tumblingWindow")):
        if flag in values:
            d = cdk_duration(values[flag])
            if d is not None:
                props[prop] = d
    if "on-failure" in values:
        arn = values["on-failure"]
        props["onFailure"] = {"kind": aws_rules.split_arn(arn)[1], "arn": arn}
    if "filter" in values:
        props["filters"] = values["filter"]
    if "filter-kms-key" in values:
        props["filterEncryption"] = values["filter-kms-key"]
    if "metrics" in values:
        props["metrics"] = values["metrics"].split(",")
    tags = {}
    for t in values.get("tag", []):
        k, v = t.split("=", 1)
        tags[k] = v
    env = {"account": account, "region": region}
    return {
        "id": case_id,
        "env": env,
        "table": {"arn": stream.split("/stream/")[0], "streamArn": stream},
        "function": {"arn": "arn:%s:lambda:%s:%s:function:%s" % (partition, region, account, fname),
                     "qualifier": qualifier},
        "props": props,
        "tags": tags,
    }


# ---------------------------------------------------------------------------
# The effective mapping


def effective(props, env):
    """PROPS (an AWS::Lambda::EventSourceMapping's Properties) as AWS reads
    them: every property present, defaults filled in, lists and maps in a
    comparable form, the function as (region, account, name, qualifier)."""
    out, unknown = {}, []
    for k in props:
        if k not in CFN_DEFAULTS and k not in REQUIRED:
            unknown.append(k)
    for k in REQUIRED:
        out[k] = props.get(k)
    fn = props.get("FunctionName")
    if isinstance(fn, str):
        region, account, name, qualifier = function_parts(fn)
        out["FunctionName"] = (region or env["region"], account or env["account"], name, qualifier)
    for k, default in CFN_DEFAULTS.items():
        v = props.get(k)
        if k == "DestinationConfig":
            v = (v or {}).get("OnFailure", {}).get("Destination")
            extra = set((props.get(k) or {})) - {"OnFailure"}
            if extra:
                unknown.append("DestinationConfig." + ",".join(sorted(extra)))
        elif k == "FilterCriteria":
            v = sorted(json.dumps(json.loads(f["Pattern"]), sort_keys=True, ensure_ascii=False)
                       for f in (v or {}).get("Filters", []) or [])
        elif k == "MetricsConfig":
            v = sorted((v or {}).get("Metrics", []) or [])
        elif k == "FunctionResponseTypes":
            v = sorted(v or [])
        elif k == "Tags":
            v = {t["Key"]: t["Value"] for t in v} if isinstance(v, list) else (v or {})
        if v is None:
            v = default
        out[k] = v
    return out, unknown


def esmcfg_mapping(esmcfg, config, rng):
    args = aws_rules.argv_for(config, rng, fmt="cfn-json")
    rc, out, err = aws_rules.run_esmcfg(esmcfg, args)
    cmd = aws_rules.shell_join([esmcfg] + args)
    if rc != 0:
        return cmd, None, "esmcfg exits %d: %s" % (rc, err.strip().splitlines()[:3])
    try:
        template = json.loads(out)
    except ValueError as e:
        return cmd, None, "esmcfg's cfn-json is not JSON: %s" % e
    found = [r for r in template.get("Resources", {}).values() if r.get("Type") == "AWS::Lambda::EventSourceMapping"]
    if len(found) != 1:
        return cmd, None, "esmcfg's template has %d event source mappings" % len(found)
    return cmd, found[0].get("Properties", {}), None


# ---------------------------------------------------------------------------
# node and the CDK


def ensure_node_modules(quiet=True):
    """Install aws-cdk-lib from package-lock.json when it is not there yet."""
    if os.path.isdir(os.path.join(CDK_DIR, "node_modules", "aws-cdk-lib")):
        return None
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        return "node and npm are needed (Node.js 18 or later) to run aws-cdk-lib"
    print("cdk_equiv: installing aws-cdk-lib (npm ci --prefix %s)" % CDK_DIR, flush=True)
    p = subprocess.run([npm, "ci", "--prefix", CDK_DIR, "--no-audit", "--no-fund", "--loglevel=error"],
                       capture_output=quiet, text=True, timeout=600)
    if p.returncode != 0:
        return "npm ci failed (%d): %s" % (p.returncode, (p.stderr or "").strip()[-2000:])
    return None


def run_cdk(inputs):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(inputs, f)
        path = f.name
    try:
        p = subprocess.run(["node", os.path.join(CDK_DIR, "synth.js"), path],
                           capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise SystemExit("cdk synth failed (%d):\n%s" % (p.returncode, p.stderr[-4000:]))
    return {r["id"]: r for r in json.loads(p.stdout)}


# ---------------------------------------------------------------------------


def compare(case_id, config, cmd, esm_props, esm_error, cdk_result, env, verbose):
    lines = []
    if esm_error:
        lines.append(esm_error)
    if "error" in cdk_result:
        lines.append("the CDK refuses it: %s" % cdk_result["error"])
    if lines:
        return lines
    a, a_unknown = effective(esm_props, env)
    b, b_unknown = effective(cdk_result["properties"], env)
    for k in a_unknown:
        lines.append("esmcfg writes a property the comparison does not know: %s" % k)
    for k in b_unknown:
        lines.append("the CDK writes a property the comparison does not know: %s" % k)
    for k in a:
        if a[k] != b[k]:
            lines += aws_rules.diff_lines(k, a[k], b[k], "esmcfg", "CDK")
            if verbose:
                lines.append("    raw esmcfg %s / CDK %s" % (json.dumps(esm_props.get(k), ensure_ascii=False),
                                                            json.dumps(cdk_result["properties"].get(k), ensure_ascii=False)))
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esmcfg", default=os.environ.get("ESMCFG"), help="the esmcfg binary (default $ESMCFG)")
    ap.add_argument("-n", type=int, default=int(os.environ.get("ORACLE_CDK_N", "100")),
                    help="configurations (default 100, $ORACLE_CDK_N)")
    ap.add_argument("--seed", type=int, default=int(os.environ["ORACLE_SEED"]) if os.environ.get("ORACLE_SEED") else None,
                    help="random seed (default: new each run, printed; $ORACLE_SEED)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    if not a.esmcfg:
        ap.error("no esmcfg binary: give --esmcfg or set ESMCFG")
    problem = ensure_node_modules()
    if problem:
        print("cdk_equiv: " + problem)
        return 1
    seed = a.seed if a.seed is not None else int(time.time() * 1000) % 2**31
    model = aws_rules.Model()
    oracle = aws_rules.Oracle(model)
    rng = random.Random(seed)
    gen = aws_rules.Generator(model, rng)
    version = json.load(open(os.path.join(CDK_DIR, "node_modules", "aws-cdk-lib", "package.json")))["version"]
    print("cdk_equiv: aws-cdk-lib %s, seed %d (reproduce: ORACLE_SEED=%d), %d configurations" % (
        version, seed, seed, a.n), flush=True)
    cases = []
    for i in range(a.n):
        config = valid_config(gen, oracle)
        cmd, props, err = esmcfg_mapping(a.esmcfg, config, rng)
        inp = cdk_input(i, config)
        cases.append((i, config, cmd, props, err, inp))
    t0 = time.time()
    results = run_cdk([c[5] for c in cases])
    if a.verbose:
        print("cdk synth of %d stacks: %.1f s" % (len(cases), time.time() - t0))
    passed = failed = 0
    for i, config, cmd, props, err, inp in cases:
        lines = compare(i, config, cmd, props, err, results.get(i, {"error": "no result"}), inp["env"], a.verbose)
        if lines:
            failed += 1
            print("FAIL #%d: %s" % (i, aws_rules.describe(config)))
            print("    $ " + cmd)
            for line in lines:
                print("    " + line)
        else:
            passed += 1
            if a.verbose:
                print("ok   #%d: %s" % (i, aws_rules.describe(config)))
    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("reproduce: ORACLE_SEED=%d ESMCFG=%s python3 %s -n %d" % (seed, a.esmcfg, os.path.abspath(__file__), a.n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
