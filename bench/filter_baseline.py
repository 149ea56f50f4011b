#!/usr/bin/env python3
"""The Python baseline of bench/filters.sh: the same filters matched the
plain way, json.loads per line and a small walk, so that esmcfg's
--test-filter has a peer in the same run.

    bench/filter_baseline.py RECORDS.jsonl PATTERN...

Prints "records sent per-filter-counts" as one line. Handles what the
benchmark's patterns use (values, prefix, anything-but, numeric, exists,
nested fields); a record value that is a list is not looked into.
"""
import json
import sys


def leaf_ok(v, cond):
    if isinstance(cond, dict):
        (op, arg), = cond.items()
        if op == "prefix":
            return isinstance(v, str) and v.startswith(arg)
        if op == "anything-but":
            return not (isinstance(v, str) and v in (arg if isinstance(arg, list) else [arg]))
        if op == "numeric":
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return False
            ops = {"=": v.__eq__, "<": v.__lt__, "<=": v.__le__, ">": v.__gt__, ">=": v.__ge__}
            return all(ops[arg[i]](arg[i + 1]) for i in range(0, len(arg), 2))
        if op == "exists":
            return arg
        raise ValueError("the baseline has no %s" % op)
    return type(v) is type(cond) and v == cond


def matches(pat, rec):
    for key, want in pat.items():
        v = rec.get(key) if isinstance(rec, dict) else None
        if isinstance(want, dict):
            if not matches(want, v if isinstance(v, dict) else {}):
                return False
        elif v is None or isinstance(v, (dict, list)):
            if not any(isinstance(c, dict) and c.get("exists") is False for c in want):
                return False
        elif not any(leaf_ok(v, c) for c in want):
            return False
    return True


def main():
    patterns = [json.loads(p) for p in sys.argv[2:]]
    counts = [0] * len(patterns)
    n = sent = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            n += 1
            hit = False
            for i, p in enumerate(patterns):
                if matches(p, rec):
                    counts[i] += 1
                    hit = True
            sent += hit
    print(n, sent, " ".join(map(str, counts)))


if __name__ == "__main__":
    main()
