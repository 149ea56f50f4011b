#!/usr/bin/env python3
"""Every figure of issue 8, measured in one run, next to its target.

Run through bench/all.sh (which builds what this needs); directly:
    bench/report.py --build BUILD_DIR [--out DIR] [--quick] [--only SECTIONS]

Prints a plain-text report and writes it, with every raw figure, as
OUT/bench-report.txt and OUT/bench-report.json.  Not a test: the exit code
is 0 whatever the figures are (2 when something could not run at all).

Sections (--only takes a comma list of their names):
  first     time and bytes to the first complete screen, esmcfg vs dialog --form
  keys      bytes per keystroke, esmcfg vs dialog --form vs whiptail --inputbox
  cpu       instructions per keystroke under callgrind
  batch     --batch --format cfn-yaml wall time and peak RSS, vs aws-cdk-lib synth
  memory    peak RSS of the screen with the sample and the 50,000-table inventory
  inventory bench/run.sh (issue 4's inventory scale figures)
"""
import argparse
import atexit
import datetime
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptyrun  # noqa: E402

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(SRC, "examples", "inventory.json")
BIGDIR = os.path.join(os.environ.get("TMPDIR", "/tmp"), "esmcfg-bench-inventory")
BIG = os.path.join(BIGDIR, "inventory.json")
CDK_DIR = os.path.join(SRC, "tests", "oracle", "cdk")
CDK_INPUT = os.path.join(SRC, "bench", "cdk-full.json")

# The screen as a person opens it: table, function and position filled in.
SCREEN_ARGS = ["--inventory", SAMPLE, "--table", "orders", "--function", "process-orders",
               "--starting-position", "LATEST"]
# A full mapping: every option set (the golden full.cfn.yaml's values).
FULL_ARGS = [
    "--batch", "--format", "cfn-yaml", "--inventory", SAMPLE, "--table", "orders",
    "--function", "process-orders:live", "--starting-position", "LATEST",
    "--batch-size", "500", "--max-batching-window", "10s", "--tumbling-window", "2m",
    "--bisect-batch-on-error", "--retry-attempts", "3", "--max-record-age", "1h",
    "--on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
    "--report-batch-item-failures", "--parallelization-factor", "1",
    "--filter", '{"eventName": ["INSERT", "MODIFY"]}',
    "--filter", '{"dynamodb": {"NewImage": {"status": {"S": ["yes: #1"]}}}}',
    "--filter-kms-key",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "--enabled=false", "--metrics", "EventCount", "--tag", "team=payments", "--tag", "env=yes",
]
# dialog --form with the same 17 fields, labels and values as esmcfg's form.
FORM_FIELDS = [
    ("Table", "orders"), ("Function", "process-orders"), ("Starting position", "LATEST"),
    ("Batch size", "100"), ("Batching window", "0"), ("Tumbling window", "0"),
    ("Bisect on error", "false"), ("Retry attempts", "-1"), ("Max record age", "-1"),
    ("On-failure destination", ""), ("Report item failures", "false"),
    ("Parallelization", "1"), ("Filters", ""), ("Filter KMS key", ""), ("Enabled", "true"),
    ("Metrics", ""), ("Tags", ""),
]


def dialog_form_cmd():
    cmd = ["dialog", "--title", "Mapping", "--form", "orders -> process-orders", "0", "0",
           str(len(FORM_FIELDS))]
    for i, (label, value) in enumerate(FORM_FIELDS, 1):
        cmd += [label, str(i), "1", value, str(i), "24", "40", "200"]
    return cmd


WHIPTAIL_CMD = ["whiptail", "--inputbox", "Batch size: 1..10000, default 100", "8", "44", "100"]

ESMCFG_QUIT = ["ESC", "F10", "y"]
DIALOG_QUIT = ["ESC", "ESC"]

KB = 1024


# esmcfg keeps a draft of an unexported mapping (and offers it at the next
# start) under XDG_STATE_HOME: each run gets an empty one, so that no run
# sees another's draft and the user's own are never touched.
STATE = tempfile.mkdtemp(prefix="esmcfg-bench-state-")
os.environ["XDG_STATE_HOME"] = STATE
atexit.register(shutil.rmtree, STATE, True)


def fresh_state():
    shutil.rmtree(STATE, ignore_errors=True)
    os.makedirs(STATE, exist_ok=True)


def pty_run(*args, **kw):
    fresh_state()
    return ptyrun.run(*args, **kw)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def have(tool):
    return shutil.which(tool) is not None


# ---------------------------------------------------------------- 1. first frame

def section_first(b, runs):
    out = {}
    progs = [("esmcfg", [b.esmcfg] + SCREEN_ARGS, ESMCFG_QUIT)]
    if have("dialog"):
        progs.append(("dialog", dialog_form_cmd(), DIALOG_QUIT))
    for cols, rows in ((80, 24), (120, 40)):
        size = "%dx%d" % (cols, rows)
        samples = {name: [] for name, _, _ in progs}
        nbytes = {name: [] for name, _, _ in progs}
        for _ in range(runs):  # interleaved, so that load on the machine hits both alike
            for name, cmd, quit_keys in progs:
                r = pty_run(cmd, [], cols, rows, quiet_ms=150, end_keys=quit_keys,
                               wait_exit=1.0)
                samples[name].append(r["first_ms"])
                nbytes[name].append(r["first_bytes"])
        out[size] = {name: {"ms_median": median(samples[name]), "ms_min": min(samples[name]),
                            "ms_all": samples[name], "bytes": median(nbytes[name]),
                            "bytes_all": sorted(set(nbytes[name]))} for name in samples}
    return out


# ---------------------------------------------------------------- 2. keystrokes

CLEAR_RE = re.compile(rb"\x1b\[[0-9;]*J|\x1b\[H\x1b\[2J|\x1bc")


def esmcfg_key_scenarios():
    """(name, size, extra args, [(key, kind)]).  Kinds: move, digit_start (a
    digit that opens the edit, replacing the value), digit_ok (a digit that
    keeps the value in range), digit_bad (a digit that makes it invalid),
    digit_fix (Backspace back into range), commit (Enter on a changed
    value), toggle / cycle (Space on a boolean, Right on a choice: a value
    committed at once), format (F3: the preview's whole text changes),
    whole (a keystroke that changes the whole screen: help, a picker, the
    narrow screen's form/preview switch), other."""
    moves = [("DOWN", "move")] * 16 + [("UP", "move")] * 16 + [("TAB", "move")] * 4 + \
        [("BTAB", "move")] * 4
    batch = [("1", "digit_start"), ("2", "digit_ok"), ("3", "digit_ok"), ("4", "digit_ok"),
             ("5", "digit_bad"), ("BS", "digit_fix"), ("ENTER", "commit")]
    retry = [("1", "digit_start"), ("0", "digit_ok"), ("0", "digit_ok"), ("0", "digit_ok"),
             ("1", "digit_bad"), ("BS", "digit_fix"), ("ENTER", "commit")]
    par = [("5", "digit_start"), ("0", "digit_bad"), ("BS", "digit_fix"), ("ENTER", "commit")]
    window = [("2", "digit_start"), ("0", "digit_ok"), ("0", "digit_ok"), ("0", "digit_bad"),
              ("BS", "digit_fix"), ("ENTER", "commit")]
    toggles = [("SPACE", "toggle"), ("SPACE", "toggle"), ("DOWN", "move"), ("SPACE", "toggle")]
    cycle = [("RIGHT", "cycle"), ("RIGHT", "cycle"), ("LEFT", "cycle")]
    whole = [("F1", "whole"), ("ESC", "whole"), ("ENTER", "whole"), ("DOWN", "other"),
             ("ESC", "whole"), ("F3", "format"), ("F4", "whole"), ("F3", "format"),
             ("F4", "whole")]
    out = []
    for cols, rows in ((80, 24), (120, 40)):
        size = (cols, rows)
        out += [
            ("moves", size, [], moves),
            ("batch-size", size, ["--focus", "batch-size"], batch),
            ("retry-attempts", size, ["--focus", "retry-attempts"], retry),
            ("parallelization", size, ["--focus", "parallelization-factor"], par),
            ("batching-window", size, ["--focus", "max-batching-window"], window),
            ("booleans", size, ["--focus", "bisect-batch-on-error"], toggles),
            ("position", size, ["--focus", "starting-position"], cycle),
            ("screens", size, [], whole),
        ]
    return out


def summarize(samples):
    """samples: [(kind, bytes, scenario, key, out)] -> per kind figures."""
    kinds = {}
    for kind, n, *_ in samples:
        kinds.setdefault(kind, []).append(n)
    return {k: {"n": len(v), "median": median(v), "max": max(v), "min": min(v)}
            for k, v in kinds.items()}


def section_keys(b):
    res = {"esmcfg": {}, "dialog": {}, "whiptail": {}}
    for cols, rows in ((80, 24), (120, 40)):
        size = "%dx%d" % (cols, rows)
        samples = []
        for name, (c, r), extra, keys in esmcfg_key_scenarios():
            if (c, r) != (cols, rows):
                continue
            run = pty_run([b.esmcfg] + SCREEN_ARGS + extra, [k for k, _ in keys], c, r,
                             quiet_ms=150, key_quiet_ms=80, end_keys=ESMCFG_QUIT)
            for (k, kind), p in zip(keys, run["per_key"]):
                samples.append((kind, p["bytes"], name, k, p["out"]))
        per_kind = summarize(samples)
        big = [{"scenario": s, "key": k, "kind": kind, "bytes": n}
               for kind, n, s, k, _ in samples if n > 2 * KB]
        full_redraw = [{"scenario": s, "key": k, "kind": kind, "bytes": n}
                       for kind, n, s, k, out in samples
                       if kind not in ("whole", "other") and CLEAR_RE.search(out)]
        res["esmcfg"][size] = {
            "kinds": per_kind,
            "over_2kb": big,
            "over_2kb_not_whole": [x for x in big if x["kind"] != "whole"],
            "one_field_full_redraws": full_redraw,
            "per_key": [{"scenario": s, "key": k, "kind": kind, "bytes": n}
                        for kind, n, s, k, _ in samples],
        }
    if have("dialog"):
        keys = ["DOWN"] * 16 + ["UP"] * 13 + ["5", "0", "0", "0"]
        run = pty_run(dialog_form_cmd(), keys, 80, 24, quiet_ms=150, key_quiet_ms=80,
                         end_keys=DIALOG_QUIT)
        per = run["per_key"]
        res["dialog"] = {
            "move": {"median": median([p["bytes"] for p in per[:29]]),
                     "max": max(p["bytes"] for p in per[:29])},
            "digit": {"median": median([p["bytes"] for p in per[29:]]),
                      "max": max(p["bytes"] for p in per[29:])},
            "per_key": [{"key": p["key"], "bytes": p["bytes"]} for p in per],
        }
    if have("whiptail"):
        keys = ["5", "0", "0", "1"]
        run = pty_run(WHIPTAIL_CMD, keys, 80, 24, quiet_ms=150, key_quiet_ms=80,
                         end_keys=DIALOG_QUIT)
        per = run["per_key"]
        res["whiptail"] = {
            "digit": {"median": median([p["bytes"] for p in per]),
                      "max": max(p["bytes"] for p in per)},
            "per_key": [{"key": p["key"], "bytes": p["bytes"]} for p in per],
        }
    return res


# ---------------------------------------------------------------- 3. callgrind

def callgrind_ir(cmd, keys, cols, rows, tmp):
    """Instructions of one run of CMD under callgrind in a pty with KEYS,
    ended by SIGTERM (the same ending for every run)."""
    out = os.path.join(tmp, "cg.%d.%d" % (os.getpid(), time.monotonic_ns()))
    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "-q"] + cmd
    pty_run(vg, keys, cols, rows, quiet_ms=600, key_quiet_ms=350, wait_exit=0.0,
               key_limit_s=5.0)
    total = None
    for f in glob.glob(out + "*"):
        with open(f, errors="replace") as fh:
            for line in fh:
                if line.startswith(("summary:", "totals:")):
                    total = int(line.split()[1])
        os.unlink(f)
    return total


def section_cpu(b):
    """Per case: a run with SETUP keys, and one with SETUP + N measured keys;
    the difference over N."""
    if not have("valgrind"):
        return {"error": "valgrind not installed"}
    tmp = tempfile.mkdtemp(prefix="esmcfg-cg-")
    e = [b.esmcfg] + SCREEN_ARGS
    cases = [
        ("esmcfg", "first frame (start, draw, SIGTERM)", e, [], None, 80, 24),
        ("esmcfg", "move (Down)", e, [], ["DOWN"] * 10, 80, 24),
        ("esmcfg", "move (Up)", e, ["DOWN"] * 10, ["UP"] * 10, 80, 24),
        ("esmcfg", "digit in range", e + ["--focus", "batch-size"], ["1"], ["2", "3", "4"], 80, 24),
        ("esmcfg", "digit making it invalid", e + ["--focus", "batch-size"], list("1234"), ["5"],
         80, 24),
        ("esmcfg", "commit (Enter)", e + ["--focus", "batch-size"], list("500"), ["ENTER"], 80, 24),
        ("esmcfg", "commit (Enter), preview shown", e + ["--focus", "batch-size"], list("500"),
         ["ENTER"], 120, 40),
        ("esmcfg", "toggle (Space), preview shown", e + ["--focus", "bisect-batch-on-error"], [],
         ["SPACE"] * 4, 120, 40),
        ("esmcfg", "move (Down), preview shown", e, [], ["DOWN"] * 10, 120, 40),
    ]
    if have("dialog"):
        d = dialog_form_cmd()
        cases += [("dialog", "first frame", d, [], None, 80, 24),
                  ("dialog", "move (Down)", d, [], ["DOWN"] * 10, 80, 24),
                  ("dialog", "digit", d, [], ["5", "0", "0"], 80, 24)]
    if have("whiptail"):
        cases += [("whiptail", "digit", WHIPTAIL_CMD, [], ["5", "0", "0"], 80, 24)]
    res = []
    base_cache = {}
    for prog, what, cmd, setup, keys, cols, rows in cases:
        ck = (tuple(cmd), tuple(setup), cols, rows)
        if ck not in base_cache:
            base_cache[ck] = callgrind_ir(cmd, setup, cols, rows, tmp)
        base = base_cache[ck]
        if keys is None:
            res.append({"program": prog, "case": what, "size": "%dx%d" % (cols, rows),
                        "instructions": base})
            continue
        full = callgrind_ir(cmd, setup + keys, cols, rows, tmp)
        per = (full - base) / len(keys) if full is not None and base is not None else None
        res.append({"program": prog, "case": what, "size": "%dx%d" % (cols, rows),
                    "keys": len(keys), "instructions_per_key": per,
                    "run_with_keys": full, "baseline": base})
    shutil.rmtree(tmp, ignore_errors=True)
    return res


# ---------------------------------------------------------------- 4. batch

def peak_rss(b, cmd, runs, stdin=None, cwd=None):
    """[(maxrss_kb, wall_ms)] of RUNS runs of CMD through the peakrss helper."""
    fd, path = tempfile.mkstemp(prefix="esmcfg-rss-")
    os.close(fd)
    for _ in range(runs):
        subprocess.run([b.peakrss, path] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=cwd)
    with open(path) as f:
        rows = [tuple(float(x) for x in line.split()[:2]) for line in f if line.strip()]
    os.unlink(path)
    return rows


def section_batch(b, runs, cdk_runs):
    res = {}
    cmd = [b.esmcfg] + FULL_ARGS + ["-o", "/dev/null"]
    check = subprocess.run([b.esmcfg] + FULL_ARGS, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
    res["exit_code"] = check.returncode
    res["template_bytes"] = len(check.stdout)
    res["command"] = "esmcfg " + " ".join(_shq(a) for a in FULL_ARGS[:])
    if have("hyperfine"):
        j = tempfile.mktemp(prefix="esmcfg-hf-", suffix=".json")
        subprocess.run(["hyperfine", "-N", "--warmup", "20", "--runs", str(runs), "--style",
                        "none", "--export-json", j, "-i", " ".join(_shq(a) for a in cmd)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(j) as f:
            r = json.load(f)["results"][0]
        os.unlink(j)
        times = [t * 1000 for t in r["times"]]
        res["timer"] = "hyperfine -N (no shell), %d warm-up runs" % 20
    else:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t) * 1000)
        res["timer"] = "python subprocess loop (hyperfine not installed)"
    res["runs"] = len(times)
    res["ms_median"] = median(times)
    res["ms_min"] = min(times)
    res["ms_p90"] = sorted(times)[int(len(times) * 0.9)]
    rss = peak_rss(b, cmd, 20)
    res["rss_kb_max"] = max(r[0] for r in rss)
    res["rss_kb_median"] = median([r[0] for r in rss])
    # the empty process, for scale: what exec alone costs here
    rss_true = peak_rss(b, ["true"], 5)
    res["true_rss_kb"] = max(r[0] for r in rss_true)
    # aws-cdk-lib: one synth of the same DynamoEventSource per node process
    synth = os.path.join(CDK_DIR, "synth.js")
    if have("node") and os.path.isdir(os.path.join(CDK_DIR, "node_modules", "aws-cdk-lib")):
        ver = json.load(open(os.path.join(CDK_DIR, "node_modules", "aws-cdk-lib",
                                          "package.json")))["version"]
        out = subprocess.run(["node", synth, CDK_INPUT], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        ok = out.returncode == 0 and '"properties"' in out.stdout
        rows = peak_rss(b, ["node", synth, CDK_INPUT], cdk_runs)
        res["cdk"] = {"version": ver, "ok": ok, "runs": len(rows),
                      "ms_median": median([r[1] for r in rows]),
                      "ms_all": [r[1] for r in rows],
                      "rss_kb_median": median([r[0] for r in rows]),
                      "rss_kb_max": max(r[0] for r in rows),
                      "command": "node tests/oracle/cdk/synth.js bench/cdk-full.json"}
        res["cdk"]["time_ratio"] = res["cdk"]["ms_median"] / res["ms_median"]
        res["cdk"]["rss_ratio"] = res["cdk"]["rss_kb_median"] / res["rss_kb_max"]
    else:
        res["cdk"] = {"error": "node or aws-cdk-lib missing (bench/all.sh installs it)"}
    return res


def _shq(s):
    return s if re.fullmatch(r"[A-Za-z0-9_./=:,@+-]+", s) else "'" + s.replace("'", "'\\''") + "'"


# ---------------------------------------------------------------- 5. memory

def screen_rss(b, args, keys, cols=80, rows=24):
    fd, path = tempfile.mkstemp(prefix="esmcfg-rss-")
    os.close(fd)
    r = pty_run([b.peakrss, path, b.esmcfg] + args, keys, cols, rows, quiet_ms=300,
                   key_quiet_ms=200, end_keys=["ESC", "ESC", "F10", "y"], wait_exit=3.0)
    with open(path) as f:
        line = f.read().split()
    os.unlink(path)
    return {"rss_kb": int(line[0]) if line else None, "first_ms": r["first_ms"],
            "keys": keys}


def section_memory(b):
    res = {}
    picker = ["ENTER", "o", "r", "d", "e", "r", "DOWN", "DOWN", "ESC", "F1", "ESC", "F4", "F4"]
    res["sample"] = screen_rss(b, SCREEN_ARGS, picker)
    if os.path.exists(BIG):
        res["big"] = screen_rss(b, ["--inventory", BIG, "--starting-position", "LATEST"], picker)
        res["big"]["inventory"] = BIG
        res["big"]["inventory_mb"] = os.path.getsize(BIG) / 1e6
    else:
        res["big"] = {"error": "no %s (bench/gen_inventory.py makes it)" % BIG}
    return res


# ---------------------------------------------------------------- 6. inventory

def section_inventory(b):
    p = subprocess.run(["sh", os.path.join(SRC, "bench", "run.sh"), b.build],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = p.stdout
    res = {"exit_code": p.returncode, "output": text, "inputs": []}
    cur = None
    for line in text.splitlines():
        if line.startswith("esmcfg's inventory document") or line.startswith("AWS CLI output"):
            cur = {"input": line.rstrip(":")}
            res["inputs"].append(cur)
        elif cur is not None:
            m = re.match(r"\s+items\s+(\d+)", line)
            if m:
                cur["items"] = int(m.group(1))
            m = re.match(r"\s+load\s+([\d.]+) s", line)
            if m:
                cur["load_s"] = float(m.group(1))
            m = re.match(r"\s+memory\s+([\d.]+) MB peak, ([\d.]+) MB held", line)
            if m:
                cur["peak_mb"], cur["held_mb"] = float(m.group(1)), float(m.group(2))
            m = re.match(r"\s+keystroke\s+([\d.]+) ms", line)
            if m:
                cur["keystroke_ms"] = float(m.group(1))
            m = re.match(r"\s+first\s+([\d.]+) ms", line)
            if m:
                cur["first_search_ms"] = float(m.group(1))
            m = re.match(r"\s+find\s+([\d.]+) ms", line)
            if m:
                cur["find_ms"] = float(m.group(1))
    return res


# ---------------------------------------------------------------- the report

class Table:
    def __init__(self):
        self.rows = []

    def section(self, title):
        self.rows.append(("#", title))

    def row(self, figure, value, versus, target, met):
        self.rows.append((figure, value, versus, target, met))

    def text(self):
        head = ("figure", "esmcfg", "compared with", "target", "met")
        widths = [0] * 5
        for r in [head] + [r for r in self.rows if r[0] != "#"]:
            for i, c in enumerate(r):
                widths[i] = max(widths[i], len(str(c)))
        widths[0] = min(widths[0], 58)
        fmt = "  ".join("%%-%ds" % w for w in widths)
        lines = [fmt % head, "  ".join("-" * w for w in widths)]
        for r in self.rows:
            if r[0] == "#":
                lines.append("")
                lines.append("== " + r[1])
            else:
                lines.append((fmt % tuple(str(c) for c in r)).rstrip())
        return "\n".join(lines)

    def json(self):
        out, sec = [], None
        for r in self.rows:
            if r[0] == "#":
                sec = r[1]
            else:
                out.append({"section": sec, "figure": r[0], "esmcfg": r[1], "compared_with": r[2],
                            "target": r[3], "met": r[4]})
        return out


def yn(ok):
    return "n/a" if ok is None else ("yes" if ok else "NO")


def fmt_b(n):
    return "-" if n is None else "%d B" % n


def build_table(r):
    t = Table()
    if "first" in r:
        t.section("1. First frame (exec until the first complete screen; median of %d runs, "
                  "interleaved with dialog --form, 17 fields)" % r["meta"]["first_runs"])
        for size, limit in (("80x24", 8 * KB), ("120x40", 16 * KB)):
            f = r["first"][size]
            e, d = f["esmcfg"], f.get("dialog")
            dv = ("dialog %.1f ms (min %.1f)" % (d["ms_median"], d["ms_min"]) if d
                  else "dialog not installed")
            t.row("first frame time %s" % size,
                  "%.1f ms (min %.1f)" % (e["ms_median"], e["ms_min"]), dv,
                  "<= dialog", yn(d and e["ms_median"] <= d["ms_median"]))
            dv = "dialog %s" % fmt_b(d["bytes"]) if d else "-"
            t.row("first frame bytes %s" % size, fmt_b(e["bytes"]), dv, "<= %d B" % limit,
                  yn(e["bytes"] <= limit))
    if "keys" in r:
        t.section("2. Bytes per keystroke (what crosses the link; TERM=xterm-256color)")
        k = r["keys"]
        d, w = k.get("dialog") or {}, k.get("whiptail") or {}
        for size in ("80x24", "120x40"):
            kinds = k["esmcfg"][size]["kinds"]

            def g(kind, stat="median"):
                return kinds.get(kind, {}).get(stat)
            cmp_digit = ("dialog %s, whiptail %s" % (fmt_b(d.get("digit", {}).get("median")),
                                                     fmt_b(w.get("digit", {}).get("median")))
                         if size == "80x24" else "")
            t.row("digit in range, median %s (n=%d)" % (size, kinds["digit_ok"]["n"]),
                  fmt_b(g("digit_ok")), cmp_digit, "<= 12 B", yn(g("digit_ok") <= 12))
            t.row("digit that starts the edit, max %s" % size, fmt_b(g("digit_start", "max")),
                  "", "(reported)", "")
            t.row("digit making it invalid, max %s (n=%d)" % (size, kinds["digit_bad"]["n"]),
                  fmt_b(g("digit_bad", "max")), "", "<= 200 B", yn(g("digit_bad", "max") <= 200))
            t.row("Backspace back into range, max %s" % size, fmt_b(g("digit_fix", "max")), "",
                  "(reported)", "")
            cmp_move = ("dialog median %s" % fmt_b(d.get("move", {}).get("median"))
                        if size == "80x24" else "")
            t.row("move between fields, median %s (n=%d)" % (size, kinds["move"]["n"]),
                  fmt_b(g("move")), cmp_move, "<= 150 B", yn(g("move") <= 150))
            t.row("move between fields, max %s" % size, fmt_b(g("move", "max")),
                  "dialog max %s" % fmt_b(d.get("move", {}).get("max")) if size == "80x24" else "",
                  "<= 150 B", yn(g("move", "max") <= 150))
            for kind, what in (("commit", "commit (Enter)"), ("toggle", "commit (Space toggle)"),
                               ("cycle", "commit (Left/Right cycle)")):
                t.row("%s, max %s%s" % (what, size, ", preview shown" if size == "120x40" else ""),
                      fmt_b(g(kind, "max")), "", "<= 600 B", yn(g(kind, "max") <= 600))
            ks = k["esmcfg"][size]
            worst = max((p["bytes"] for p in ks["per_key"] if p["kind"] != "whole"), default=0)
            t.row("largest keystroke that is not a whole-screen change %s" % size, fmt_b(worst),
                  "", "<= 2048 B", yn(worst <= 2 * KB))
            t.row("F3, the preview's format (its whole text), max %s" % size,
                  fmt_b(g("format", "max")), "", "(reported)", "")
            t.row("largest whole-screen keystroke (help, picker, preview) %s" % size,
                  fmt_b(g("whole", "max")), "", "(allowed > 2 KB)", "")
            t.row("one-field keystrokes that clear the screen %s" % size,
                  str(len(ks["one_field_full_redraws"])), "", "0",
                  yn(not ks["one_field_full_redraws"]))
    if "cpu" in r:
        t.section("3. CPU per keystroke (instructions under callgrind; run with keys minus "
                  "the same run without them, over the keys)")
        cpu = r["cpu"]
        if isinstance(cpu, dict):
            t.row("callgrind", cpu.get("error"), "", "", "")
        else:
            others = {(c["program"], c["case"]): c for c in cpu if c["program"] != "esmcfg"}
            for c in cpu:
                if c["program"] != "esmcfg":
                    continue
                if "instructions" in c:
                    v = "%.2f M instr" % (c["instructions"] / 1e6) if c["instructions"] else "-"
                    dd = others.get(("dialog", "first frame"))
                    vs = "dialog %.2f M" % (dd["instructions"] / 1e6) if dd and dd.get(
                        "instructions") else ""
                else:
                    p = c["instructions_per_key"]
                    v = "%.0f k instr/key" % (p / 1e3) if p is not None else "-"
                    vs = ""
                    if c["case"].startswith("move") and c["size"] == "80x24":
                        dd = others.get(("dialog", "move (Down)"))
                        if dd and dd.get("instructions_per_key") is not None:
                            vs = "dialog %.0f k" % (dd["instructions_per_key"] / 1e3)
                    if c["case"].startswith("digit in range"):
                        parts = []
                        for prog in ("dialog", "whiptail"):
                            dd = others.get((prog, "digit"))
                            if dd and dd.get("instructions_per_key") is not None:
                                parts.append("%s %.0f k" % (prog, dd["instructions_per_key"] / 1e3))
                        vs = ", ".join(parts)
                t.row("%s %s" % (c["case"], c["size"]), v, vs, "(reported)", "")
    if "batch" in r:
        bt = r["batch"]
        t.section("4. Batch export (esmcfg --batch --format cfn-yaml, full mapping; "
                  "median of %d runs)" % bt["runs"])
        cdk = bt.get("cdk", {})
        vs = ("aws-cdk-lib %s: %.0f ms" % (cdk["version"], cdk["ms_median"])
              if "ms_median" in cdk else cdk.get("error", ""))
        t.row("wall time, median", "%.2f ms (min %.2f)" % (bt["ms_median"], bt["ms_min"]), vs,
              "<= 5 ms",
              yn(bt["ms_median"] <= 5))
        vs = ("aws-cdk-lib %.1f MB" % (cdk["rss_kb_median"] / 1024)
              if "rss_kb_median" in cdk else "")
        t.row("peak RSS (max of 20 runs)", "%.2f MB" % (bt["rss_kb_max"] / 1024), vs, "<= 4 MB",
              yn(bt["rss_kb_max"] <= 4 * 1024))
        if "time_ratio" in cdk:
            t.row("aws-cdk-lib synth / esmcfg, time", "1", "%.0fx" % cdk["time_ratio"],
                  "(reported)", "")
            t.row("aws-cdk-lib synth / esmcfg, peak RSS", "1", "%.0fx" % cdk["rss_ratio"],
                  "(reported)", "")
    if "memory" in r:
        m = r["memory"]
        t.section("5. Memory of the screen (peak RSS; the table picker opened and filtered, "
                  "help, preview)")
        s = m["sample"]
        t.row("sample inventory (examples/inventory.json)",
              "%.2f MB" % (s["rss_kb"] / 1024) if s.get("rss_kb") else "-", "", "<= 8 MB",
              yn(s.get("rss_kb") is not None and s["rss_kb"] <= 8 * 1024))
        g = m["big"]
        t.row("50,000-table inventory", "%.2f MB" % (g["rss_kb"] / 1024) if g.get("rss_kb")
              else g.get("error", "-"), "", "<= 64 MB",
              yn(g.get("rss_kb") is not None and g["rss_kb"] <= 64 * 1024))
    if "inventory" in r:
        t.section("6. Inventory scale (bench/run.sh: 50,000 tables + 20,000 functions)")
        for inp in r["inventory"]["inputs"]:
            name = "own document" if inp["input"].startswith("esmcfg") else "AWS CLI output"
            if "load_s" in inp:
                t.row("%s: load" % name, "%.3f s" % inp["load_s"], "", "< 0.5 s",
                      yn(inp["load_s"] < 0.5))
            if "peak_mb" in inp:
                t.row("%s: memory peak" % name, "%.1f MB" % inp["peak_mb"],
                      "held %.1f MB" % inp.get("held_mb", 0), "< 64 MB", yn(inp["peak_mb"] < 64))
            if "keystroke_ms" in inp:
                t.row("%s: filter keystroke, worst mean" % name, "%.2f ms" % inp["keystroke_ms"],
                      "", "< 10 ms", yn(inp["keystroke_ms"] < 10))
            if "first_search_ms" in inp:
                t.row("%s: build search text once" % name, "%.2f ms" % inp["first_search_ms"],
                      "", "(reported)", "")
        if not r["inventory"]["inputs"]:
            t.row("bench/run.sh", "failed (exit %d)" % r["inventory"]["exit_code"], "", "", "NO")
    return t


def strip_bytes(o):
    if isinstance(o, dict):
        return {k: strip_bytes(v) for k, v in o.items() if not isinstance(v, bytes)}
    if isinstance(o, list):
        return [strip_bytes(v) for v in o]
    return o


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--out")
    ap.add_argument("--esmcfg", help="the binary (default BUILD/esmcfg)")
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    ap.add_argument("--only", help="comma list of sections")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.out = os.path.abspath(a.out or a.build)
    a.esmcfg = os.path.abspath(a.esmcfg or os.path.join(a.build, "esmcfg"))
    a.peakrss = os.path.join(a.build, "peakrss")
    sections = (a.only or "first,keys,cpu,batch,memory,inventory").split(",")
    first_runs = 7 if a.quick else 21
    r = {"meta": {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "esmcfg": a.esmcfg,
        "version": subprocess.run([a.esmcfg, "--version"], stdout=subprocess.PIPE,
                                  text=True).stdout.strip(),
        "machine": "%s, %d CPUs, load average %s" % (
            platform.machine(), os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])),
        "term": "TERM=xterm-256color LANG=C.UTF-8",
        "dialog": _version(["dialog", "--version"]),
        "whiptail": _version(["whiptail", "--version"]),
        "node": _version(["node", "--version"]),
        "first_runs": first_runs,
    }}
    t0 = time.time()
    if "first" in sections:
        log("1/6 first frame ...")
        r["first"] = section_first(a, first_runs)
    if "keys" in sections:
        log("2/6 bytes per keystroke ...")
        r["keys"] = section_keys(a)
    if "cpu" in sections:
        log("3/6 instructions per keystroke (callgrind) ...")
        r["cpu"] = section_cpu(a)
    if "batch" in sections:
        log("4/6 batch export and aws-cdk-lib ...")
        r["batch"] = section_batch(a, 100 if a.quick else 300, 3 if a.quick else 5)
    if "memory" in sections:
        log("5/6 memory of the screen ...")
        r["memory"] = section_memory(a)
    if "inventory" in sections:
        log("6/6 inventory scale (bench/run.sh) ...")
        r["inventory"] = section_inventory(a)
    r["meta"]["seconds"] = round(time.time() - t0, 1)
    t = build_table(r)
    head = ["esmcfg benchmarks (issue 8), %s" % r["meta"]["date"],
            "binary: %s (%s)" % (a.esmcfg, r["meta"]["version"]),
            "machine: %s" % r["meta"]["machine"],
            "terminal: %s; dialog %s; whiptail %s; node %s" % (
                r["meta"]["term"], r["meta"]["dialog"], r["meta"]["whiptail"], r["meta"]["node"]),
            "took %.0f s" % r["meta"]["seconds"], ""]
    text = "\n".join(head) + t.text() + "\n"
    if "inventory" in r:
        text += "\nbench/run.sh output:\n" + r["inventory"]["output"]
    print(text)
    r["table"] = t.json()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bench-report.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "bench-report.json"), "w") as f:
        json.dump(strip_bytes(r), f, indent=1)
        f.write("\n")
    log("wrote %s and %s" % (os.path.join(a.out, "bench-report.txt"),
                             os.path.join(a.out, "bench-report.json")))


def _version(cmd):
    if not have(cmd[0]):
        return "not installed"
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return (p.stdout.strip().splitlines() or ["?"])[0]


if __name__ == "__main__":
    main()
