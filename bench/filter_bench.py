#!/usr/bin/env python3
"""Run by bench/filters.sh: esmcfg --test-filter and the Python baseline on
the same records with the same filters, each under bench/peakrss; prints
records per second (wall and CPU), peak RSS and the ratio, and checks that
both count the same records. Figures, not a test (exit 1 only when the
counts differ, which would make the figures meaningless)."""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile

FILTERS = [
    '{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"status": {"S": ["PAID", "SHIPPED"]}}}}',
    '{"dynamodb": {"NewImage": {"region": {"S": [{"prefix": "eu-"}]}, "express": {"BOOL": [true]}}}}',
    '{"eventName": ["REMOVE"], "dynamodb": {"OldImage": {"status": {"S": [{"anything-but": '
    '["CANCELLED"]}]}}}}',
    '{"dynamodb": {"SizeBytes": [{"numeric": [">", 800]}]}}',
]


def run(build, argv, stdin_cmd=None):
    """(wall s, cpu s, peak RSS MB, stdout) of ARGV under peakrss; with
    STDIN_CMD (a shell command), its output is ARGV's standard input."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        cmd = [os.path.join(build, "peakrss"), rss.name] + argv
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if stdin_cmd:
            feed = subprocess.Popen(["sh", "-c", stdin_cmd], stdout=subprocess.PIPE)
            out = subprocess.run(cmd, stdin=feed.stdout, capture_output=True, text=True).stdout
            feed.stdout.close()
            feed.wait()
        else:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        kb, ms, _status = rss.read().split()[:3]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(ms) / 1000, cpu, float(kb) / 1024, out


def esmcfg_counts(out):
    m = re.search(r"^(\d+) records: (\d+) sent", out, re.M)
    per = [int(x) for x in re.findall(r"^  filter \d+ matches (\d+)", out, re.M)]
    return (int(m.group(1)), int(m.group(2)), per) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--file", required=True)
    a = ap.parse_args()
    esmcfg = os.path.join(a.build, "esmcfg")
    flags = sum((["--filter", f] for f in FILTERS), [])
    src = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(["cat", a.file], stdout=subprocess.DEVNULL)  # the file in the page cache
    size = os.path.getsize(a.file)
    rows = []
    t = run(a.build, [esmcfg, "--test-filter", a.file] + flags)
    got = esmcfg_counts(t[3])
    rows.append(("esmcfg, one record per line", t, got))
    n = got[0] if got else 0
    event = "printf '{\"Records\": ['; sed '$!s/$/,/' %s; printf ']}'" % a.file
    t = run(a.build, [esmcfg, "--test-filter", "-"] + flags, event)
    rows.append(("esmcfg, one {\"Records\": [...]} (stdin)", t, esmcfg_counts(t[3])))
    tenth = "head -n %d %s" % (max(n // 10, 1), a.file)
    t = run(a.build, [esmcfg, "--test-filter", "-"] + flags, tenth)
    rows.append(("esmcfg, the first tenth (stdin)", t, esmcfg_counts(t[3])))
    t = run(a.build, [sys.executable, os.path.join(src, "filter_baseline.py"), a.file] + FILTERS)
    parts = t[3].split()
    py = (int(parts[0]), int(parts[1]), [int(x) for x in parts[2:]]) if parts else None
    rows.append(("Python json baseline", t, py))

    print("machine: %d CPUs, load average %s" % (os.cpu_count(),
                                                  " ".join(open("/proc/loadavg").read().split()[:3])))
    print("records: %s, %d records, %.0f MB; filters: %d" % (a.file, n, size / 1e6, len(FILTERS)))
    print("%-42s %10s %10s %12s %12s %9s" % ("", "wall s", "cpu s", "records/s", "rec/cpu-s",
                                              "peak RSS"))
    for name, (wall, cpu, mb, _), counts in rows:
        k = counts[0] if counts else 0
        print("%-42s %10.2f %10.2f %12.0f %12.0f %7.1f MB" % (name, wall, cpu, k / wall if wall else 0,
                                                               k / cpu if cpu else 0, mb))
    e, p = rows[0], rows[3]
    print("esmcfg / Python: %.1fx records per second (wall), %.1fx per CPU second; target >= 2x"
          % (p[1][0] / e[1][0], p[1][1] / e[1][1]))
    print("peak RSS: %.1f MB for all records, %.1f MB for a tenth (bounded: it does not grow "
          "with the file)" % (rows[0][1][2], rows[2][1][2]))
    same = rows[0][2] == p[2] and rows[1][2] == p[2]
    print("counts (records, sent, per filter): esmcfg %s, Python %s: %s"
          % (rows[0][2], p[2], "the same" if same else "DIFFERENT"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
