#!/usr/bin/env python3
"""Seeded random filter patterns and DynamoDB stream records, for checking
esmcfg's filter check and matcher against aws/event-ruler from outside.

    tests/oracle/filter_cases.py [-n N] [--seed S] > cases.jsonl
    ESMCFG_EVENT_RULER=/path/to/run.sh \
        tests/oracle/filter_cases.py --record tests/oracle/filter_verdicts.jsonl

One JSON line per case: {"id", "pattern" (JSON text), "event" (JSON text)},
the input of tests/oracle/RulerOracle.java. With --record, the cases are
run through event-ruler once (ESMCFG_EVENT_RULER: a command that reads such
lines and answers {"id", "valid", "error", "match"} per line, e.g. the
run.sh that builds RulerOracle.java against event-ruler's jar) and written
with its verdicts, after a header line naming the generator, the seed and
the event-ruler build: the fixture e2e.oracle_filters replays. Standard
library only.

Each case is a stream record (eventName, dynamodb.Keys/NewImage/OldImage
with S, N, BOOL, NULL, M, L, SS, NS attributes, lists of maps, numbers at
the edges of event-ruler's exact range) and a pattern built from it: paths
that exist, do not exist or stop at an object; values taken from the record,
changed a little (case, one character, another spelling of a number) or
unrelated; every operator of Lambda's table and EventBridge's extra ones;
$or nested and ANDed with fields; members named twice; {"exists": false}
beside other fields of a list of maps; and invalid forms (empty lists,
scalars, unknown operators, bad numeric ranges, numbers beyond the exact
range, anything-but mixes, bad wildcards and CIDR blocks, $or with one
object or reserved words, broken JSON).

Left out on purpose: anything-but with wildcard (the oracle build does not
evaluate it faithfully, see its README), cidr blocks of every address
and others wider than /4 (0.0.0.0/0, ::/1: that build also matches numbers and
the other IP version with them), empty member names, strings that
look like IP addresses outside cidr (event-ruler compares those as
addresses; Lambda's page says equals is the text), patterns over 4096
characters.
"""
import argparse
import json
import os
import random
import subprocess
import sys

WORDS = ["PAID", "paid", "Paid", "SHIPPED", "pending", "new", "x.txt", "x.PNG", "a*b", "a\\b",
         "", " ", "ab", "abc", "abcd", "Straße", "STRASSE", "strasse", "ΣΊΣΥΦΟΣ", "σίσυφος",
         "école", "ÉCOLE", "İstanbul", "istanbul", "ǅemal", "ǆemal", "Ⱥx", "ⱥX", "😀x", "😀X",
         "a\"b", "quote\"", "tab\t", "ünï", "ÜNÏ", "x-1", "X-1", "us-east-1", "eu-west-1",
         "ΐ", "Ϊ́", "ﬁle", "FILE", "o-1001", "O-1001", "12", "012", "1e3"]
NUMBERS = ["0", "-0", "1", "1.0", "1.5", "-3", "10", "1e1", "1E1", "100", "3e2", "300",
           "300.0", "0.1", "1e-1", "0.000001", "0.0000001", "1.000001", "1.0000001",
           "5000000000", "5e9", "5000000000.000001", "-5000000000", "5000000001", "1e10",
           "123456.123456", "2.5", "99.99", "-0.5", "7", "1e400", "42"]
EVENT_NAMES = ["INSERT", "MODIFY", "REMOVE"]
# A number written as it is in the record's text ("300.0", "1e400"): json.dumps
# would respell it.
RAW = "\x00num:"


def raw(text):
    return RAW + text


def dumps(v, ascii_only):
    """V as compact JSON text, raw numbers written as they are."""
    text = json.dumps(v, ensure_ascii=ascii_only, separators=(",", ":"))
    while '"' + RAW.replace("\x00", "\\u0000") in text:
        start = text.index('"' + RAW.replace("\x00", "\\u0000"))
        end = text.index('"', start + 1)
        text = text[:start] + text[start + 1 + len("\\u0000num:"):end] + text[end + 1:]
    return text


def value_of(v):
    """What a leaf holds, raw numbers as numbers (text when not finite)."""
    if isinstance(v, str) and v.startswith(RAW):
        x = float(v[len(RAW):])
        return x if x not in (float("inf"), float("-inf")) else 1.0
    return v


ATTRS = ["status", "total", "qty", "name", "flag", "note", "tags", "items", "addr", "codes",
         "id", "email", "a.b"]


class Gen:
    def __init__(self, rng):
        self.r = rng

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def word(self):
        return self.pick(WORDS)

    def number(self):
        return self.pick(NUMBERS)

    # ---- records ----

    def typed(self, depth=0):
        k = self.r.randrange(10 if depth < 2 else 7)
        if k < 3:
            return {"S": self.word()}
        if k < 5:
            return {"N": self.pick(["42", "129.9", "0", "-7", "1e3", "12"])}
        if k == 5:
            return {"BOOL": self.chance(0.5)}
        if k == 6:
            return {"NULL": True} if self.chance(0.5) else {"SS": self.r.sample(WORDS[:12], 2)}
        if k == 7:
            return {"M": {self.pick(ATTRS[:6]): self.typed(depth + 1) for _ in range(2)}}
        if k == 8:
            return {"L": [self.typed(depth + 1) for _ in range(self.r.randrange(0, 4))]}
        return {"L": [{"M": {"sku": {"S": self.pick(["X", "Y", "Z"])},
                             "n": {"N": self.pick(["1", "2", "3"])},
                             **({"gift": {"BOOL": True}} if self.chance(0.4) else {})}}
                      for _ in range(self.r.randrange(1, 4))]}

    def image(self):
        names = self.r.sample(ATTRS, self.r.randrange(1, 5))
        return {n: self.typed() for n in names}

    def record(self):
        name = self.pick(EVENT_NAMES)
        ddb = {"Keys": {"id": {"S": self.pick(["o-1001", "O-1001", "o-2002"])}},
               "SizeBytes": int(self.pick(["7", "42", "300", "0", "-3"]))}
        if self.chance(0.3):
            ddb["SequenceNumber"] = "1%020d" % self.r.randrange(10 ** 6)
            ddb["StreamViewType"] = "NEW_AND_OLD_IMAGES"
        # numbers as JSON numbers, spelled every way (only SizeBytes and friends are numbers in
        # a stream record; extra fields exercise the same rules)
        ddb["ApproximateCreationDateTime"] = raw(self.number())
        if name != "REMOVE":
            ddb["NewImage"] = self.image()
        if name != "INSERT":
            ddb["OldImage"] = self.image()
        rec = {"eventID": "e%d" % self.r.randrange(1000), "eventName": name,
               "eventSource": "aws:dynamodb", "awsRegion":
               self.pick(["us-east-1", "eu-west-1"]), "dynamodb": ddb}
        if self.chance(0.3):
            rec["eventVersion"] = "1.1"
        if self.chance(0.3):
            rec["n"] = raw(self.pick(NUMBERS))
        if self.chance(0.3):
            rec["vals"] = [self.pick([self.word(), 5, 1.5, None, True, [1, "x"]])
                           for _ in range(self.r.randrange(0, 4))]
        if self.chance(0.2):
            rec["dynamodb"]["NewImage" if name != "REMOVE" else "OldImage"]["ip"] = {
                "S": self.pick(["10.0.0.5", "10.0.1.9", "192.168.0.1", "::1", "2001:db8::7"])}
        if self.chance(0.1):
            rec["a.b"] = {"c": "dot"}
        return rec

    # ---- leaves of a record, to aim conditions at ----

    def leaves(self, v, path, out, in_list=False):
        if isinstance(v, dict):
            for k, x in v.items():
                self.leaves(x, path + [k], out, in_list)
        elif isinstance(v, list):
            for x in v:
                self.leaves(x, path, out, True)
        else:
            out.append((path, value_of(v), in_list))

    # ---- conditions ----

    def near_string(self, s):
        k = self.r.randrange(7)
        if k == 0 or not s:
            return s
        if k == 1:
            return s.upper()
        if k == 2:
            return s.lower()
        if k == 3:
            return s[:-1]
        if k == 4:
            return s + "x"
        if k == 5:
            return s.swapcase()
        return self.word()

    def number_text(self, v):
        """Another spelling (or another value) of number V."""
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return self.number()
        k = self.r.randrange(5)
        if k == 0:
            return json.dumps(v)
        if k == 1 and float(v) == int(v) and abs(v) < 1e15:
            return "%d.0" % int(v)
        if k == 2 and float(v) == int(v) and v != 0 and abs(v) < 1e15:
            return "%de0" % int(v)
        return self.number()

    def numeric(self, v):
        base = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 1.0
        if abs(base) > 5e9:
            base = 1.0

        def operand():
            if self.chance(0.15):
                return self.number()
            d = self.pick([0, 0, 1, -1, 0.5, -0.5, 1e-6, 100])
            x = round(base + d, 6)
            return json.dumps(int(x)) if x == int(x) else repr(x)

        k = self.r.randrange(6)
        if k == 0:
            return '["=", %s]' % operand()
        if k == 1:
            return '["%s", %s]' % (self.pick(["<", "<="]), operand())
        if k == 2:
            return '["%s", %s]' % (self.pick([">", ">="]), operand())
        a, b = operand(), operand()
        lo, hi = (a, b) if float(a) <= float(b) else (b, a)
        if self.chance(0.1):
            lo, hi = hi, lo
        return '["%s", %s, "%s", %s]' % (self.pick([">", ">="]), lo, self.pick(["<", "<="]), hi)

    def condition(self, v):
        """One condition (JSON text) aimed at leaf value V."""
        if isinstance(v, str) and any(c in v for c in ".:") and v.replace(".", "").replace(
                ":", "").strip("0123456789abcdefABCDEF") == "":
            v = self.word()  # an IP address: event-ruler compares its text as an address
        s = v if isinstance(v, str) else self.word()
        k = self.r.randrange(22)
        q = json.dumps
        if k < 3:
            if isinstance(v, str):
                return q(self.near_string(v), ensure_ascii=self.chance(0.3))
            if isinstance(v, bool) or v is None:
                return self.pick([q(v), "true", "false", "null", q(str(v))])
            return self.number_text(v) if self.chance(0.8) else q(str(v))
        if k == 3:
            return '{"prefix": %s}' % q(s[:self.r.randrange(0, len(s) + 2)])
        if k == 4:
            return '{"suffix": %s}' % q(s[-self.r.randrange(0, len(s) + 1):] if s else "")
        if k in (5, 6):
            return '{"equals-ignore-case": %s}' % q(self.near_string(s), ensure_ascii=False)
        if k == 7:
            return '{"anything-but": %s}' % q(self.near_string(s))
        if k == 8:
            return '{"anything-but": [%s, %s]}' % (q(self.near_string(s)), q(self.word()))
        if k == 9:
            n = v if isinstance(v, (int, float)) and not isinstance(v, bool) else 1
            return '{"anything-but": [%s, %s]}' % (self.number_text(n), self.number())
        if k == 10:
            p = s[:self.r.randrange(1, len(s) + 1)] if s else "a"
            return '{"anything-but": {"%s": %s}}' % (self.pick(["prefix", "suffix"]), q(p))
        if k == 11:
            return '{"anything-but": {"equals-ignore-case": %s}}' % q(
                [self.near_string(s), self.word()] if self.chance(0.5) else self.near_string(s))
        if k in (12, 13):
            return '{"numeric": %s}' % self.numeric(v)
        if k == 14:
            return '{"exists": %s}' % self.pick(["true", "false"])
        if k == 15:
            w = s.replace("\\", "\\\\").replace("*", "\\*")
            cut = self.r.randrange(0, len(w) + 1)
            return '{"wildcard": %s}' % q(self.pick([w[:cut] + "*", "*" + w[cut:], w, "*",
                                                       w[:cut] + "*" + w[cut:]]))
        if k == 16:
            return '{"cidr": %s}' % q(self.pick(["10.0.0.0/24", "10.0.0.0/8", "10.0.0.5/30",
                                                 "192.168.0.0/16", "2001:db8::/32",
                                                 "10.0.0.0/30", "::1/120"]))
        if k == 17:
            return '{"%s": {"equals-ignore-case": %s}}' % (self.pick(["prefix", "suffix"]),
                                                            q(self.near_string(s)[:4]))
        if k == 18:
            return '{"exactly": %s}' % q(self.near_string(s))
        if k == 19:
            return self.pick(["null", "true", "false", q(""), "0"])
        return q(self.word())

    def cond_list(self, v):
        return "[%s]" % ", ".join(self.condition(v) for _ in range(self.r.randrange(1, 4)))

    # ---- patterns ----

    def nest(self, path, inner):
        """{"a": {"b": INNER}} for PATH [a, b] (keys may join with '.')."""
        if len(path) >= 2 and self.chance(0.05):
            path = path[:-2] + [path[-2] + "." + path[-1]]
        text = inner
        for k in reversed(path):
            text = "{%s: %s}" % (json.dumps(k, ensure_ascii=False), text)
        return text

    def field(self, rec, leaves):
        """(path, condition list text) for one field."""
        k = self.r.randrange(10)
        if k < 7 and leaves:
            path, v, _ = self.pick(leaves)
            return list(path), self.cond_list(v)
        if k == 7:  # a path that stops at an object
            return ["dynamodb", self.pick(["NewImage", "OldImage", "Keys"])], self.cond_list("x")
        if k == 8:  # a path the record does not have
            return ["dynamodb", "NewImage", self.pick(ATTRS), self.pick(["S", "N"])], \
                self.cond_list(self.word())
        return [self.pick(["eventName", "awsRegion", "n", "vals", "missing"])], \
            self.cond_list(self.pick(EVENT_NAMES + ["x"]))

    def merge(self, fields):
        """Nest fields sharing a prefix into one object text (a member may repeat)."""
        if not fields:
            return "{}"
        groups = {}
        order = []
        for path, inner in fields:
            head = path[0]
            if head not in groups or self.chance(0.05):  # a member named twice
                order.append((head, len(order)))
                groups.setdefault(head, []).append([])
            groups[head][-1].append((path[1:], inner))
        parts = []
        seen = {}
        for head, _ in order:
            i = seen.get(head, 0)
            seen[head] = i + 1
            members = groups[head][i]
            leaf = [m for m in members if not m[0]]
            deeper = [m for m in members if m[0]]
            key = json.dumps(head, ensure_ascii=False)
            if leaf:
                parts.append("%s: %s" % (key, leaf[-1][1]))
            if deeper:
                parts.append("%s: %s" % (key, self.merge(deeper)))
        return "{%s}" % ", ".join(parts)

    def pattern(self, rec):
        leaves = []
        self.leaves(rec, [], leaves)
        fields = [self.field(rec, leaves) for _ in range(self.r.randrange(1, 4))]
        # a list of maps: two fields of its elements, perhaps one of them absent
        lists = [(p, v) for p, v, in_list in leaves if in_list and "M" in p]
        if lists and self.chance(0.3):
            p, v = self.pick(lists)
            base = p[:p.index("M") + 1]
            fields.append((base + ["sku", "S"], self.cond_list(self.pick(["X", "Y"]))))
            other = self.pick(["n", "gift", "zz"])
            fields.append((base + [other, "BOOL" if other == "gift" else "N"],
                           '[{"exists": false}]' if self.chance(0.5) else self.cond_list("2")))
        text = self.merge(fields)
        if self.chance(0.25):
            text = self.with_or(text, rec, leaves)
        return text

    def with_or(self, text, rec, leaves, depth=0):
        alts = []
        for _ in range(self.r.randrange(2, 4)):
            if depth < 2 and self.chance(0.2):
                alts.append(self.with_or(self.merge([self.field(rec, leaves)]), rec, leaves,
                                         depth + 1))
            else:
                alts.append(self.merge([self.field(rec, leaves)]))
        body = text[1:-1]
        orpart = '"$or": [%s]' % ", ".join(alts)
        if self.chance(0.3) and body.startswith('"dynamodb": {'):  # an $or one level down
            return '{"dynamodb": {%s, %s' % (orpart, body[len('"dynamodb": {'):] + "}")
        return "{%s}" % (", ".join([body, orpart]) if self.chance(0.5) else
                         ", ".join([orpart, body]))

    # ---- invalid forms ----

    def invalid(self, text):
        bad = self.pick([
            '{"a": []}', '{"a": "x"}', '{"a": 5}', '{}', '{"a": {}}', '[1]', '"x"',
            '{"a": [[1]]}', '{"a": [{}]}', '{"a": [{"prefix": "a", "suffix": "b"}]}',
            '{"a": [{"bogus": 1}]}', '{"a": [{"prefix": 1}]}', '{"a": [{"suffix": null}]}',
            '{"a": [{"numeric": ["<", 5, ">", 1]}]}', '{"a": [{"numeric": [">", 5, "<", 5]}]}',
            '{"a": [{"numeric": [">", 1.0000001]}]}', '{"a": [{"numeric": ["=", 5000000001]}]}',
            '{"a": [{"numeric": ["=", "5"]}]}', '{"a": [{"numeric": [5]}]}',
            '{"a": [{"numeric": ["<=", 1, "<", 2]}]}', '{"a": [{"numeric": []}]}',
            '{"a": [{"numeric": ["!=", 1]}]}', '{"a": [{"numeric": [">", 1, "<"]}]}',
            '{"a": [{"anything-but": ["x", 1]}]}', '{"a": [{"anything-but": []}]}',
            '{"a": [{"anything-but": null}]}', '{"a": [{"anything-but": {"prefix": ""}}]}',
            '{"a": [{"anything-but": {"suffix": ""}}]}', '{"a": [{"anything-but": {"bogus": "x"}}]}',
            '{"a": [{"anything-but": [1e10]}]}', '{"a": [{"anything-but": 0.0000001}]}',
            '{"a": [{"anything-but": {"prefix": 5}}]}', '{"a": [{"anything-but": true}]}',
            '{"a": [{"anything-but": {"equals-ignore-case": [1]}}]}',
            '{"a": [{"exists": "true"}]}', '{"a": [{"exists": true, "prefix": "x"}]}',
            '{"a": [{"wildcard": "a**b"}]}', '{"a": [{"wildcard": "a\\\\b"}]}',
            '{"a": [{"wildcard": 5}]}', '{"a": [{"cidr": "10.0.0.0"}]}',
            '{"a": [{"cidr": "10.0.0.0/33"}]}', '{"a": [{"cidr": "300.0.0.0/8"}]}',
            '{"a": [{"cidr": "::/129"}]}', '{"a": [{"equals-ignore-case": 1}]}',
            '{"a": [{"prefix": {"bogus": "x"}}]}', '{"a": [{"prefix": {"equals-ignore-case": 1}}]}',
            '{"$or": [{"a": [1]}]}', '{"$or": []}', '{"$or": [{"a": [1]}, 5]}',
            '{"$or": [{"a": [1]}, {"prefix": [1]}]}', '{"$or": [{"a": [1]}, {}]}',
            '{"$or": "x"}', '{"$or": [{"a": []}, {"b": [1]}]}', '{"a": [01]}',
            '{"a": [1,]}', '{"a": [1]', '{"a" [1]}', "{'a': [1]}", '{"a": [tru]}',
            '{"a": ["\\ud800"]}', '{"a": ["x\\q"]}', '{"a": [NaN]}', '{"a": [1.]}',
            '{"a": [1]} x', '{"a": [1]}{"b": [2]}',
        ])
        if self.chance(0.5):
            return bad
        # the same defect deep inside the generated pattern
        inner = bad[1:-1] if bad.startswith("{") and bad.endswith("}") and bad != "{}" else None
        if inner and text.startswith("{") and text != "{}":
            return "{%s, %s}" % (text[1:-1], inner)
        return bad


def cases(n, seed):
    g = Gen(random.Random(seed))
    for i in range(n):
        rec = g.record()
        pat = g.pattern(rec)
        if g.chance(0.15):
            pat = g.invalid(pat)
        yield {"id": i, "pattern": pat, "event": dumps(rec, g.chance(0.3))}


def line(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def run_oracle(command, case_list):
    """Event-ruler's verdicts for CASE_LIST, and the first line it says about itself."""
    text = "".join(line(c) + "\n" for c in case_list)
    p = subprocess.run([command], input=text, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit("filter_cases.py: %s failed (exit %d): %s" % (command, p.returncode, p.stderr))
    verdicts = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    if len(verdicts) != len(case_list):
        sys.exit("filter_cases.py: %s answered %d lines for %d cases" % (command, len(verdicts),
                                                                          len(case_list)))
    about = [x for x in p.stderr.splitlines() if x.startswith("RulerOracle:")]
    return verdicts, about[0][len("RulerOracle: "):] if about else "(the oracle did not say)"


def recorded(case_list, verdicts):
    """The cases with event-ruler's verdicts (id, pattern, event, valid, match, error...)."""
    out = []
    for c, v in zip(case_list, verdicts):
        if v.get("id") != c["id"]:
            sys.exit("filter_cases.py: verdict %r answers case %r" % (v.get("id"), c["id"]))
        r = dict(c)
        for k in ("valid", "match", "error", "error_reason", "event_error"):
            if k in v:  # (messages shortened: the fixture stays small)
                r[k] = v[k][:100] if isinstance(v[k], str) else v[k]
        out.append(r)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--record", metavar="FILE",
                    help="write the cases with event-ruler's verdicts (needs ESMCFG_EVENT_RULER)")
    a = ap.parse_args()
    case_list = list(cases(a.n, a.seed))
    if not a.record:
        for c in case_list:
            print(line(c))
        return
    command = os.environ.get("ESMCFG_EVENT_RULER")
    if not command:
        sys.exit("filter_cases.py: --record needs ESMCFG_EVENT_RULER=/path/to/run.sh")
    verdicts, about = run_oracle(command, case_list)
    header = {"generator": "tests/oracle/filter_cases.py", "seed": a.seed, "n": a.n,
              "event_ruler": about, "driver": "tests/oracle/RulerOracle.java",
              "regenerate": "ESMCFG_EVENT_RULER=/path/to/run.sh tests/oracle/filter_cases.py "
                            "-n %d --seed %d --record %s" % (a.n, a.seed, a.record)}
    with open(a.record + ".tmp", "w", encoding="utf-8") as f:
        f.write("# " + line(header) + "\n")
        for r in recorded(case_list, verdicts):
            f.write(line(r) + "\n")
    os.replace(a.record + ".tmp", a.record)


if __name__ == "__main__":
    main()
