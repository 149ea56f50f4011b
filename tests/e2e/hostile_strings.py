#!/usr/bin/env python3
"""Hostile strings through the real binary: tag keys and values, filter
patterns, role paths, inventory and template contents and file names with
control characters, escape sequences, quotes, colons, '#', newlines,
'!Ref', YAML words (yes, no, on, off, null, ~), leading '-', '*', '&', '@',
very long and invalid UTF-8.

- What AWS takes is written correctly quoted: every export (json, cfn-json,
  cfn-yaml) parses back equal with python's json and yaml (YAML 1.1, where
  yes/no/on/off are booleans), and esmcfg reads its own export back (--load)
  to the same document.
- What AWS would reject is refused, exit 3, with a message naming the flag.
- No raw control character (C0, DEL, C1, bidi override, line separator)
  ever reaches stderr: names and file contents are shown escaped.
- --inventory files may hold any text in runtime and role fields; a
  --merge-into template keeps hostile strings of its other resources.

Environment: ESMCFG (the binary), FIXTURES (tests/fixtures); ESMCFG_TEST_QUICK
set (the valgrind runs): every fourth string only."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")
STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
ROLE = "arn:aws:iam::123456789012:role/process-orders-role"
BASE = ["--batch", "--table", STREAM, "--function", "process-orders",
        "--starting-position", "LATEST", "--function-role", ROLE,
        "--bisect-batch-on-error", "--retry-attempts", "3", "--max-record-age", "1h",
        "--on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-dlq"]
FORMATS = ["json", "cfn-json", "cfn-yaml"]
# Bytes that must never reach a terminal unescaped.
RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]"
                         rb"|\xe2\x81[\xa6-\xa9]")
ESC_TITLE = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
QUICK = bool(os.environ.get("ESMCFG_TEST_QUICK"))
FAILURES = []
CHECKS = [0]
TMP = tempfile.mkdtemp(prefix="esmcfg-hostile-")


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def arg(a):
    return a if isinstance(a, bytes) else a.encode("utf-8", "surrogateescape")


def run(args, stdin=None):
    """Run esmcfg; stderr is always checked for raw control characters."""
    p = subprocess.run([ESMCFG] + [arg(a) for a in args], capture_output=True,
                       stdin=subprocess.DEVNULL if stdin is None else None, input=stdin,
                       timeout=60)
    CHECKS[0] += 1
    m = RAW_CONTROL.search(p.stderr)
    if m:
        fail("raw control byte %r on stderr of %r: %r" % (m.group(0), args[-2:], p.stderr[:300]))
    return p


class CfnLoader(yaml.SafeLoader):
    """YAML 1.1 as python reads it, with CloudFormation's short tags."""


def _tagged(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"!" + tag_suffix: value}


CfnLoader.add_multi_constructor("!", _tagged)


def parse(fmt, out):
    return yaml.load(out, Loader=CfnLoader) if fmt == "cfn-yaml" else json.loads(out)


def mapping_props(fmt, doc):
    if fmt == "json":
        return doc
    res = [r for r in doc["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"]
    return res[0]["Properties"]


def tags_of(fmt, props):
    t = props.get("Tags")
    if fmt == "json":
        return t
    return {x["Key"]: x["Value"] for x in t} if t is not None else None


def exported(extra, what):
    """Export BASE + EXTRA in every format; return {fmt: parsed document}."""
    docs = {}
    for fmt in FORMATS:
        p = run(BASE + extra + ["--format", fmt])
        if p.returncode != 0:
            fail("%s (%s): exit %d: %s" % (what, fmt, p.returncode, p.stderr.decode(errors="replace")))
            return None
        try:
            docs[fmt] = parse(fmt, p.stdout)
        except (ValueError, yaml.YAMLError) as e:
            fail("%s (%s): does not parse back: %s\n%s" % (what, fmt, e, p.stdout[:400]))
            return None
        # esmcfg reads its own export back to the same document.
        path = os.path.join(TMP, "back" + (".yaml" if fmt == "cfn-yaml" else ".json"))
        with open(path, "wb") as f:
            f.write(p.stdout)
        back = run(["--batch", "--load", path, "--format", fmt])
        if back.returncode != 0 or back.stdout != p.stdout:
            fail("%s (%s): --load of the export differs (exit %d): %s" % (
                what, fmt, back.returncode, back.stderr.decode(errors="replace")[:300]))
    return docs


def refused(extra, flag, what, want=None):
    """BASE + EXTRA exits 3 with a message about FLAG."""
    p = run(BASE + extra)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 3 or ("esmcfg: %s: " % flag) not in err or p.stdout:
        fail("%s: want exit 3 naming %s, got %d: %s" % (what, flag, p.returncode, err[:300]))
    elif want and want not in err:
        fail("%s: message lacks %r: %s" % (what, want, err[:300]))


YAML_WORDS = ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "True", "false", "null", "Null",
              "NULL", "0", "012", "0x1F", "1e3", "1_000", ".inf", "-.inf", ".nan", "2024-01-01",
              "12:30:45", "1:2", "=", "@x", "-x", "- x", "-", ":", "a: b", "a:b", "key:",
              " lead", "trail ", "a  b", "+1", "x" * 256, "ü ä", "\u00a0nbsp", "\u3000"]


def sample(items):
    """All of ITEMS, or every fourth in quick mode."""
    return items[::4] if QUICK else items


def check_tags():
    """Tag values and keys AWS takes come back exactly."""
    for word in sample(YAML_WORDS):
        docs = exported(["--tag", "k=" + word], "tag value %r" % word)
        for fmt, doc in (docs or {}).items():
            got = tags_of(fmt, mapping_props(fmt, doc))
            if got != {"k": word}:
                fail("tag value %r (%s): came back as %r" % (word, fmt, got))
    for word in ["yes", "null", "-x", "@x", "a:b", "0x1F", " lead", "x" * 128]:
        docs = exported(["--tag", word + "=v"], "tag key %r" % word)
        for fmt, doc in (docs or {}).items():
            got = tags_of(fmt, mapping_props(fmt, doc))
            if got != {word: "v"}:
                fail("tag key %r (%s): came back as %r" % (word, fmt, got))
    # What AWS's tag pattern refuses.
    for bad in ["#c", "!Ref x", '"q"', "'q'", "~", "*x", "&a", "|", ">", "%x", "{a}", "[a]",
                "`x", "a\nb", "a\tb", ESC_TITLE, "\u202eevil", "x" * 257]:
        refused(["--tag", "k=" + bad], "--tag", "tag value %r" % bad)
    refused(["--tag", "x" * 129 + "=v"], "--tag", "a 129-character tag key", "1..128")
    refused(["--tag", b"k=\xff\xfe"], "--tag", "invalid UTF-8 tag", "not valid UTF-8")
    refused(["--tag", "aws:x=v"], "--tag", "a reserved aws: tag key")


PATTERN_STRINGS = ["yes", "no", "on", "off", "null", "~", "!Ref x", "!GetAtt a.b", "#c",
                   "a: b", "a #b", '"q"', "'q'", "\\", "- x", "* x", "&a", "*a", "%YAML 1.1",
                   "---", "...", "|", ">", "@x", "`x", "{{x}}", "${AWS::Region}", ESC_TITLE,
                   "\x07bell", "line1\nline2", "\r\n", "\t", "\x00nul", "\x7f", "\u0085",
                   "\u2028", "\u202e", "\ufeff", "ü", "😀", "x" * 3000]


def check_patterns():
    """Filter patterns hold any JSON string: written so they parse back equal."""
    for s in sample(PATTERN_STRINGS):
        for ascii_only in (True,) if QUICK else (True, False):
            pat = json.dumps({"dynamodb": {"NewImage": {"k": {"S": [s]}}}},
                             ensure_ascii=ascii_only)
            if len(pat) > 4096:
                continue
            docs = exported(["--filter", pat], "pattern with %r" % s[:20])
            for fmt, doc in (docs or {}).items():
                got = mapping_props(fmt, doc)["FilterCriteria"]["Filters"][0]["Pattern"]
                if got != pat:
                    fail("pattern with %r (%s): came back as %r" % (s[:20], fmt, got[:80]))
    # A raw control character inside the JSON text is not JSON; shown escaped.
    refused(["--filter", '{"a": ["' + ESC_TITLE + '"]}'], "--filter 1", "a raw escape in a pattern",
            "\\x1b")
    refused(["--filter", '{"a": [1]} # comment'], "--filter 1", "a comment after a pattern")
    refused(["--filter", '{"a": ["' + "x" * 4100 + '"]}'], "--filter 1", "a 4100-character pattern")
    refused(["--filter", b'{"a": ["\xff"]}'], "--filter 1", "invalid UTF-8 in a pattern",
            "not valid UTF-8")


def check_names():
    """Names in ARNs and the function name have strict character sets."""
    for bad in ["$(touch /tmp/esmcfg-hostile-pwned)", "`id`", "a;b", "a b", "*", "a#b", "a:b:c:d",
                "!Ref", ESC_TITLE, "ye\ns", "x" * 81]:
        refused(["--function", bad], "--function", "function name %r" % bad)
        refused(["--on-failure", "arn:aws:sqs:us-east-1:123456789012:" + bad], "--on-failure",
                "queue name %r" % bad)
    refused(["--function", "x" * 65], "--function", "a 65-character function name")
    # Names AWS takes, however odd: exported quoted.
    for odd in ["-x", "yes", "null", "0x1F", "1e3"]:
        docs = exported(["--function", odd, "--on-failure",
                         "arn:aws:sqs:us-east-1:123456789012:" + odd], "name %r" % odd)
        for fmt, doc in (docs or {}).items():
            got = mapping_props(fmt, doc)["FunctionName"]
            if got != odd and not (isinstance(got, str) and got.endswith(":" + odd)):
                fail("function %r (%s): came back as %r" % (odd, fmt, got))
    for bad in ["$(touch /tmp/esmcfg-hostile-pwned)", ESC_TITLE, "a b"]:
        p = run(BASE + ["--table", bad])
        if p.returncode != 3:
            fail("table %r: exit %d" % (bad, p.returncode))
    refused(["--logical-id", "a-b"], "--logical-id", "a logical ID with '-'")
    refused(["--logical-id", "!Ref"], "--logical-id", "a logical ID '!Ref'")
    # IAM role paths take any printable ASCII: quoted in the policy's Roles.
    for path in ['a"b#: !Ref', "yes", "- x", "%x", "{a}"]:
        role = "arn:aws:iam::123456789012:role/" + path + "/name"
        p = run(BASE[:-2] + ["--function-role", role, "--format", "cfn-yaml"])
        if p.returncode != 0:
            # The role path is not needed in the template: refusing is fine
            # as long as the message is clear.
            if p.returncode != 3 or b"--function-role" not in p.stderr:
                fail("role path %r: exit %d: %r" % (path, p.returncode, p.stderr[:200]))
            continue
        doc = parse("cfn-yaml", p.stdout)
        roles = [r["Properties"]["Roles"] for r in doc["Resources"].values()
                 if r["Type"] == "AWS::IAM::Policy"]
        if roles != [["name"]]:
            fail("role path %r: Roles %r" % (path, roles))
    if os.path.exists("/tmp/esmcfg-hostile-pwned"):
        fail("a name ran a command")


def check_inventory():
    """Inventory files: any text in runtime; names checked and shown escaped."""
    inv = {"esmcfg_inventory": 1,
           "tables": [{"arn": "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
                       "stream_arn": STREAM}],
           "functions": [{"arn": "arn:aws:lambda:us-east-1:123456789012:function:process-orders",
                          "role": ROLE, "runtime": ESC_TITLE + "!Ref #: yes\n- x"}]}
    path = os.path.join(TMP, "inv.json")
    with open(path, "w") as f:
        json.dump(inv, f)
    p = run(["--batch", "--inventory", path, "--table", "orders", "--function", "process-orders",
             "--starting-position", "LATEST", "--format", "cfn-yaml"])
    if p.returncode != 0:
        fail("an inventory with a hostile runtime: exit %d: %r" % (p.returncode, p.stderr[:300]))
    elif ESC_TITLE.encode() in p.stdout:
        fail("the runtime reached the export")
    else:
        parse("cfn-yaml", p.stdout)
    # Hostile names and roles are refused, naming the file, escaped.
    for field, kind, value in [
            ("arn", "tables", "arn:aws:dynamodb:us-east-1:123456789012:table/" + ESC_TITLE),
            ("arn", "functions", "arn:aws:lambda:us-east-1:123456789012:function:" + ESC_TITLE),
            ("role", "functions", ESC_TITLE),
            ("arn", "queues", "arn:aws:sqs:us-east-1:123456789012:" + "$(touch x)")]:
        item = {"arn": "arn:aws:lambda:us-east-1:123456789012:function:f"} if field == "role" else {}
        item[field] = value
        bad = {"esmcfg_inventory": 1, kind: [item]}
        with open(path, "w") as f:
            json.dump(bad, f)
        p = run(BASE + ["--inventory", path])
        if p.returncode != 3 or b"--inventory: " + path.encode() not in p.stderr:
            fail("inventory %s.%s %r: exit %d: %r" % (kind, field, value, p.returncode,
                                                     p.stderr[:300]))
    # A hostile file name and raw control bytes in the file.
    hdir = os.path.join(TMP, "dir" + ESC_TITLE)
    os.mkdir(hdir)
    hpath = os.path.join(hdir, "inv\n.json")
    with open(hpath, "wb") as f:
        f.write(b'{"esmcfg_inventory": 1, "tables": [{"arn": "x\x1b[2J"}]}')
    p = run(BASE + ["--inventory", hpath])
    if p.returncode != 3:
        fail("raw control bytes in an inventory: exit %d" % p.returncode)
    for flag in ["--load", "--merge-into", "--inventory", "-o"]:
        p = run(BASE + [flag, os.path.join(hdir, "no\x1b[2J", "missing\x9b.json")])
        if p.returncode != 4:
            fail("%s with a hostile missing path: exit %d: %r" % (flag, p.returncode,
                                                                 p.stderr[:200]))
    p = run(["--check", os.path.join(hdir, "missing.json")])
    if p.returncode != 4:
        fail("--check with a hostile missing path: exit %d" % p.returncode)
    # A template as inventory with hostile names in its properties.
    tmpl = {"Resources": {
        "Orders": {"Type": "AWS::DynamoDB::Table",
                   "Properties": {"TableName": ESC_TITLE,
                                  "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}}},
        "Fn": {"Type": "AWS::Lambda::Function",
               "Properties": {"FunctionName": "!Ref x", "Runtime": ESC_TITLE}}}}
    tpath = os.path.join(TMP, "template.json")
    with open(tpath, "w") as f:
        json.dump(tmpl, f)
    p = run(["--batch", "--inventory", tpath, "--table", "Orders", "--function", "Fn",
             "--starting-position", "LATEST", "--format", "cfn-yaml"])
    if p.returncode not in (0, 3):
        fail("a template with hostile names: exit %d: %r" % (p.returncode, p.stderr[:300]))


def check_load_contents():
    """--load and --check of documents with hostile keys and values."""
    doc = {"Resources": {"M": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
        "EventSourceArn": STREAM, "FunctionName": "process-orders", "StartingPosition": "LATEST",
        ESC_TITLE: 1, "BatchSize": ESC_TITLE, "Tags": [{"Key": ESC_TITLE, "Value": "yes"}]}}}}
    path = os.path.join(TMP, "hostile.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    for args in (["--batch", "--load", path], ["--check", path]):
        p = run(args)
        if p.returncode != 3 or b"\\x1b" not in p.stderr:
            fail("%s of hostile contents: exit %d: %r" % (args[-2], p.returncode, p.stderr[:300]))
    ypath = os.path.join(TMP, "hostile.yaml")
    with open(ypath, "w") as f:
        f.write("Resources:\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n"
                "      EventSourceArn: " + STREAM + "\n      FunctionName: !Ref Fn\n"
                "      StartingPosition: LATEST\n      BatchSize: yes\n"
                "      \"\\e]0;x\\a\": on\n")
    p = run(["--check", ypath])
    if p.returncode != 3:
        fail("--check of hostile YAML: exit %d: %r" % (p.returncode, p.stderr[:300]))


def check_merge():
    """--merge-into keeps a template's hostile strings and stays valid YAML."""
    text = ("AWSTemplateFormatVersion: '2010-09-09'\n"
            "# a comment: with 'quotes', \"double\", #hash and !Ref\n"
            "Resources:\n"
            "  Other:\n"
            "    Type: AWS::SNS::Topic\n"
            "    Properties:\n"
            "      TopicName: !Sub '${AWS::StackName}-yes'\n"
            "      DisplayName: \"no: \\\"quoted\\\" \\u00e4 \\t tab\"\n"
            "      Tags:\n"
            "        - Key: 'on'\n"
            "          Value: '- x'\n"
            "        - Key: null\n"
            "          Value: ~\n")
    path = os.path.join(TMP, "merge.yaml")
    with open(path, "w") as f:
        f.write(text)
    p = run(BASE + ["--merge-into", path])
    if p.returncode != 0:
        fail("--merge-into a hostile template: exit %d: %r" % (p.returncode, p.stderr[:300]))
        return
    out = p.stdout.decode()
    if not out.startswith(text[:text.index("Resources:")]):
        fail("--merge-into changed the text before Resources")
    before = yaml.load(text, Loader=CfnLoader)
    after = yaml.load(out, Loader=CfnLoader)
    if after["Resources"]["Other"] != before["Resources"]["Other"]:
        fail("--merge-into changed another resource: %r" % after["Resources"]["Other"])


def main():
    try:
        check_tags()
        check_patterns()
        check_names()
        check_inventory()
        check_load_contents()
        check_merge()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    name = os.path.basename(__file__)
    if FAILURES:
        print("%s: %d of %d checks failed" % (name, len(FAILURES), CHECKS[0]), file=sys.stderr)
        sys.exit(1)
    print("%s: %d checks passed" % (name, CHECKS[0]))


if __name__ == "__main__":
    main()
