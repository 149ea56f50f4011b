#!/usr/bin/env python3
"""The Terraform, SAM and CDK Python exports say the same mapping as the
CloudFormation export, checked with the tools that read them where this
machine has them:

- Terraform: parsed by an HCL reader of this test (blocks, attributes,
  strings with every escape, lists, maps, heredocs), turned back into
  CloudFormation properties through the option table's names
  (--list-options), and compared with --format cfn-json (AWS's defaults
  filled in, as tests/oracle/cdk_equiv.py compares); `terraform fmt -check`
  when terraform is installed; HashiCorp's HCL parser (@cdktf/hcl2json in
  tests/oracle/cdk) when installed, which must read the same values;
- SAM: read as YAML, the event's properties compared the same way;
  transformed by AWS's own SAM translator (samtranslator) when installed,
  whose AWS::Lambda::EventSourceMapping must be the same mapping; linted
  by cfn-lint when installed (the function's code added, as a person
  adds it);
- CDK Python: `python3 -m py_compile`.

Env: ESMCFG, SRCDIR."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")
SRCDIR = os.environ.get("SRCDIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SRCDIR, "tests", "oracle"))
CDK_DIR = os.path.join(SRCDIR, "tests", "oracle", "cdk")
FAILURES = []
CHECKS = [0]
SKIPPED = []

STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
ROLE = "arn:aws:iam::123456789012:role/service-role/process-orders-role"
BASE = ["--table", STREAM, "--starting-position", "LATEST"]
CASES = {
    "minimal": BASE + ["--function", "process-orders"],
    "full-sqs": BASE + ["--function", "arn:aws:lambda:us-east-1:123456789012:function:process-orders:live",
                        "--batch-size", "500", "--max-batching-window", "10s", "--tumbling-window", "2m",
                        "--bisect-batch-on-error", "--retry-attempts", "3", "--max-record-age", "1h",
                        "--on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
                        "--report-batch-item-failures", "--parallelization-factor", "1",
                        "--filter", '{"eventName": ["INSERT", "MODIFY"]}',
                        "--filter", '{"dynamodb": {"NewImage": {"note": {"S": ["a\\"b\\\\c ${x} %{y} $${z} \u00e9 \\u2028"]}}}}',
                        "--filter-kms-key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                        "--enabled=false", "--metrics", "EventCount", "--tag", "team=payments",
                        "--tag", "a b=c: d", "--function-role", ROLE],
    "sns-infinite": BASE + ["--function", "123456789012:function:audit-writer:7", "--retry-attempts", "-1",
                            "--max-record-age", "-1", "--on-failure", "arn:aws:sns:us-east-1:123456789012:alerts",
                            "--parallelization-factor", "10", "--function-role", ROLE],
    "s3": BASE + ["--function", "arn:aws:lambda:us-east-1:123456789012:function:thumbs", "--on-failure",
                  "arn:aws:s3:::orders-failures", "--batch-size", "10000", "--report-batch-item-failures=false",
                  "--function-role", "arn:aws:iam::123456789012:role/thumbs-role"],
}


def expect(cond, msg):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def esmcfg(*args):
    p = subprocess.run([ESMCFG, "--batch", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise SystemExit("esmcfg %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def table():
    out = subprocess.run([ESMCFG, "--list-options"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["options"]


def cfn_properties(args):
    t = json.loads(esmcfg("--format", "cfn-json", *args))
    return next(r["Properties"] for r in t["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping")


def normalize(props):
    """PROPS as AWS reads them (cdk_equiv.effective): defaults filled in."""
    import cdk_equiv
    got, unknown = cdk_equiv.effective(props, {"region": "us-east-1", "account": "123456789012"})
    expect(not unknown, "properties the comparison does not know: %s" % unknown)
    return got


def put(obj, path, value):
    keys = path.split(".")
    for k in keys[:-1]:
        obj = obj.setdefault(k, {})
    obj[keys[-1]] = value


# ---------------------------------------------------------------------------
# A reader of the HCL esmcfg writes (and a little more).

TOKEN = re.compile(r'\s*(?:(#[^\n]*)|(<<-?([A-Za-z_]+)\n)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_.-]*)|'
                   r'(-?[0-9]+(?:\.[0-9]+)?)|([{}\[\]=,]))')


def hcl_string(lit):
    """An HCL quoted string's value: escapes, and $${ / %%{ for literal ${ / %{."""
    s, out, i = lit[1:-1], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n == "u":
                out.append(chr(int(s[i + 2:i + 6], 16)))
                i += 6
                continue
            if n == "U":
                out.append(chr(int(s[i + 2:i + 10], 16)))
                i += 10
                continue
            out.append({"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}[n])
            i += 2
        elif c in "$%" and s[i + 1:i + 3] == c + "{":
            out.append(c + "{")
            i += 3
        elif c in "$%" and s[i + 1:i + 2] == "{":
            raise ValueError("a live template sequence in %s" % lit)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def hcl_tokens(text):
    pos, toks = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError("HCL: unexpected text at %r" % text[pos:pos + 40])
        pos = m.end()
        if m.group(1):
            continue
        if m.group(2):
            tag = m.group(3)
            end = re.compile(r"^[ \t]*%s$" % tag, re.M).search(text, pos)
            body = text[pos:end.start()]
            lines = body.split("\n")[:-1] if body.endswith("\n") else body.split("\n")
            indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
            toks.append(("str", "\n".join(l[indent:] for l in lines) + "\n"))
            pos = end.end()
        elif m.group(4):
            toks.append(("str", hcl_string(m.group(4))))
        elif m.group(5):
            toks.append(("id", {"true": True, "false": False}.get(m.group(5), m.group(5))))
        elif m.group(6):
            toks.append(("num", int(m.group(6)) if "." not in m.group(6) else float(m.group(6))))
        else:
            toks.append(("p", m.group(7)))
    return toks


def hcl_value(toks, i):
    kind, v = toks[i]
    if kind == "p" and v == "[":
        out, i = [], i + 1
        while toks[i] != ("p", "]"):
            x, i = hcl_value(toks, i)
            out.append(x)
            if toks[i] == ("p", ","):
                i += 1
        return out, i + 1
    if kind == "p" and v == "{":
        out, i = {}, i + 1
        while toks[i] != ("p", "}"):
            k = toks[i][1]
            assert toks[i + 1] == ("p", "="), toks[i:i + 3]
            x, i = hcl_value(toks, i + 2)
            out[k] = x
            if toks[i] == ("p", ","):
                i += 1
        return out, i + 1
    return v, i + 1


def hcl_body(toks, i):
    """Attributes and blocks up to the closing brace: {name: value or [block...]}."""
    body = {}
    while i < len(toks) and toks[i] != ("p", "}"):
        name = toks[i][1]
        labels = []
        i += 1
        while toks[i][0] == "str":
            labels.append(toks[i][1])
            i += 1
        if toks[i] == ("p", "="):
            assert name not in body, "attribute %s twice" % name
            body[name], i = hcl_value(toks, i + 1)
        else:
            assert toks[i] == ("p", "{"), toks[i]
            inner, i = hcl_body(toks, i + 1)
            assert toks[i] == ("p", "}")
            i += 1
            body.setdefault(name, []).append((labels, inner))
    return body, i


def parse_hcl(text):
    body, i = hcl_body(hcl_tokens(text), 0)
    assert i == len(hcl_tokens(text)), "text after the last block"
    return body


def terraform_to_cfn(resource, options):
    """The mapping's CloudFormation properties from the Terraform arguments,
    through each option's terraform and cfn names."""
    props = {}
    for o in options:
        tf, cfn = o["names"]["terraform"], o["names"]["cfn"]
        segs = tf.split(".")
        node = resource
        for s in segs[:-1]:
            if s not in node:
                node = None
                break
            blocks = node[s]
            if o["type"] == "patterns" and s == segs[-2]:
                node = [b[1] for b in blocks]
                break
            assert len(blocks) == 1, blocks
            node = blocks[0][1]
        if node is None:
            continue
        if o["type"] == "patterns":
            put(props, cfn, [{"Pattern": b[segs[-1]]} for b in node])
            continue
        if segs[-1] not in node:
            continue
        v = node[segs[-1]]
        if o["type"] == "tags":
            v = [{"Key": k, "Value": x} for k, x in v.items()]
        put(props, cfn, v)
    return props


def check_terraform(options):
    hcl2json = os.path.join(CDK_DIR, "node_modules", "@cdktf", "hcl2json")
    has_hcl2json = os.path.isdir(hcl2json) and shutil.which("node")
    terraform = shutil.which("terraform")
    if not terraform:
        SKIPPED.append("terraform fmt (terraform not installed)")
    if not has_hcl2json:
        SKIPPED.append("HashiCorp's HCL parser (npm ci --prefix tests/oracle/cdk installs @cdktf/hcl2json)")
    for name, args in CASES.items():
        text = esmcfg("--format", "terraform", *args)
        try:
            doc = parse_hcl(text)
        except (ValueError, AssertionError, IndexError, KeyError) as e:
            expect(False, "terraform %s: not readable: %s\n%s" % (name, e, text))
            continue
        esm = doc["resource"]
        kinds = {labels[0]: labels[1] for labels, _ in esm}
        expect("aws_lambda_event_source_mapping" in kinds, "terraform %s: no mapping resource" % name)
        body = next(b for labels, b in esm if labels[0] == "aws_lambda_event_source_mapping")
        got = normalize(terraform_to_cfn(body, options))
        want = normalize(cfn_properties(args))
        expect(got == want, "terraform %s: differs from cfn-json:\n%s\n%s" % (name, got, want))
        has_role = "--function-role" in args
        expect(("aws_iam_role_policy" in kinds) == has_role, "terraform %s: the role policy" % name)
        if has_role:
            policy = next(b for labels, b in esm if labels[0] == "aws_iam_role_policy")
            cfn = json.loads(esmcfg("--format", "cfn-json", *args))
            doc_want = next(r["Properties"]["PolicyDocument"] for r in cfn["Resources"].values()
                            if r["Type"] == "AWS::IAM::Policy")
            expect(json.loads(policy["policy"]) == doc_want, "terraform %s: policy document" % name)
            role = args[args.index("--function-role") + 1]
            expect(policy["role"] == role.rsplit("/", 1)[1], "terraform %s: policy role" % name)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "main.tf")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            if terraform:
                p = subprocess.run([terraform, "fmt", "-check", "-diff", path], capture_output=True, text=True)
                expect(p.returncode == 0, "terraform fmt -check %s:\n%s%s" % (name, p.stdout, p.stderr))
            if has_hcl2json:
                js = ("const {parse} = require('@cdktf/hcl2json'); const fs = require('fs');"
                      "parse('main.tf', fs.readFileSync(process.argv[1], 'utf8'))"
                      ".then(j => process.stdout.write(JSON.stringify(j)))"
                      ".catch(e => { console.error(String(e)); process.exit(1); });")
                p = subprocess.run(["node", "-e", js, path], capture_output=True, text=True,
                                   cwd=CDK_DIR, env=dict(os.environ, NODE_PATH=os.path.join(CDK_DIR, "node_modules")))
                expect(p.returncode == 0, "hcl2json %s: %s" % (name, p.stderr))
                if p.returncode == 0:
                    theirs = json.loads(p.stdout)["resource"]["aws_lambda_event_source_mapping"]
                    res = next(iter(theirs.values()))[0]
                    mine = {k: v for k, v in body.items() if not isinstance(v, list) or k == "function_response_types"
                            or (v and not isinstance(v[0], tuple))}
                    for k, v in mine.items():
                        if k == "depends_on":
                            continue
                        t = res.get(k)
                        if isinstance(t, str):  # HCL's JSON form keeps $${ and %%{
                            t = t.replace("$${", "${").replace("%%{", "%{")
                        expect(t == v, "hcl2json %s: %s is %r, this reader %r" % (name, k, t, v))
                    for f in res.get("filter_criteria", [{}])[0].get("filter", []):
                        pat = f["pattern"].replace("$${", "${").replace("%%{", "%{")
                        expect(any(pat == b["pattern"] for b in [x[1] for x in body["filter_criteria"][0][1]["filter"]]),
                               "hcl2json %s: pattern %r" % (name, pat))


# ---------------------------------------------------------------------------


def check_sam(options):
    try:
        import yaml
    except ImportError:
        SKIPPED.append("SAM (no PyYAML)")
        return
    try:
        from samtranslator.translator.transform import transform
    except ImportError:
        transform = None
        SKIPPED.append("AWS's SAM translator (pip install aws-sam-translator)")
    cfn_lint = shutil.which("cfn-lint")
    if not cfn_lint:
        SKIPPED.append("cfn-lint")
    for name, args in CASES.items():
        text = esmcfg("--format", "sam", *args)
        t = yaml.safe_load(text)
        expect(t.get("Transform") == "AWS::Serverless-2016-10-31", "sam %s: Transform" % name)
        fns = [(k, r) for k, r in t["Resources"].items() if r["Type"] == "AWS::Serverless::Function"]
        expect(len(fns) == 1, "sam %s: one function" % name)
        fid, fn = fns[0]
        events = fn["Properties"]["Events"]
        expect(len(events) == 1, "sam %s: one event" % name)
        ev = next(iter(events.values()))
        expect(ev["Type"] == "DynamoDB", "sam %s: DynamoDB event" % name)
        props = dict(ev["Properties"])
        on = props.get("DestinationConfig", {}).get("OnFailure", {})
        kind = on.pop("Type", None)
        if "--on-failure" in args:
            dest = args[args.index("--on-failure") + 1]
            expect(kind == {"sqs": "SQS", "sns": "SNS", "s3": "S3"}[dest.split(":")[2]], "sam %s: Type %s" % (name, kind))
        back = {}
        for o in options:
            sam, cfn = o["names"]["sam"], o["names"]["cfn"]
            if sam and sam.split(".")[0] in props:
                back[cfn.split(".")[0]] = props[sam.split(".")[0]]
        want = cfn_properties(args)
        want_fn = want.pop("FunctionName")
        want.pop("Tags", None)
        back_n, want_n = normalize(dict(back, FunctionName=want_fn)), normalize(dict(want, FunctionName=want_fn))
        expect(back_n == want_n, "sam %s: differs from cfn-json:\n%s\n%s" % (name, back_n, want_n))
        expect(("# Tags are not part of SAM's DynamoDB event" in text) == ("--tag" in args), "sam %s: tags note" % name)
        # the function's code, as a person adds it; then SAM's translator and cfn-lint
        fn["Properties"].update({"InlineCode": "def handler(e, c): pass", "Handler": "index.handler",
                                 "Runtime": "python3.12"})
        if transform:
            os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

            class NoPolicies:
                def load(self):
                    return {}
            out = transform(json.loads(json.dumps(t)), {}, NoPolicies())
            esms = [r["Properties"] for r in out["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"]
            expect(len(esms) == 1, "sam %s: SAM makes one mapping" % name)
            if esms:
                got = dict(esms[0])
                got.pop("FunctionName")
                got["FunctionName"] = want_fn
                got_n = normalize(got)
                expect(got_n == want_n, "sam %s: SAM's translation differs:\n%s\n%s" % (name, got_n, want_n))
        if cfn_lint:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "template.yaml")
                with open(path, "w", encoding="utf-8") as f:
                    yaml.safe_dump(t, f, sort_keys=False)
                p = subprocess.run([cfn_lint, "--regions", "us-east-1", path], capture_output=True, text=True)
                errors = [l for l in p.stdout.splitlines() if re.match(r"^E\d", l)]
                expect(not errors, "cfn-lint sam %s: %s" % (name, p.stdout))


def check_python():
    for name, args in CASES.items():
        text = esmcfg("--format", "cdk-python", *args)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "stack.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            p = subprocess.run([sys.executable, "-m", "py_compile", path], capture_output=True, text=True)
            expect(p.returncode == 0, "py_compile cdk-python %s: %s\n%s" % (name, p.stderr, text))


def main():
    options = table()
    check_terraform(options)
    check_sam(options)
    check_python()
    for s in SKIPPED:
        print("beyond_exports: not checked here: %s" % s)
    print("%d passed, %d failed" % (CHECKS[0] - len(FAILURES), len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
