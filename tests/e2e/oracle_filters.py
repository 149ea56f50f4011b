#!/usr/bin/env python3
"""esmcfg's filter check and matcher against aws/event-ruler, from outside.

1. The recorded verdicts (tests/oracle/filter_verdicts.jsonl: thousands of
   random patterns and stream records from tests/oracle/filter_cases.py,
   with what event-ruler said of each) replayed through esmcfg in one
   process (filter_replay, built beside esmcfg): accept/refuse and match
   must agree, except for the differences filter_replay lists where
   Lambda's page says otherwise.
2. The fixture is what the generator makes for its seed (else: regenerate
   it with the command in its header).
3. With ESMCFG_EVENT_RULER=/path/to/run.sh: fresh cases (ORACLE_SEED, else a
   new seed, printed; ORACLE_N, default 2000) through the live event-ruler
   and replayed the same way. Without it, says that it skipped.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

SRC = os.environ.get("SRCDIR") or os.path.join(os.path.dirname(__file__), "..", "..")
ORACLE = os.path.join(SRC, "tests", "oracle")
FIXTURE = os.path.join(ORACLE, "filter_verdicts.jsonl")
sys.path.insert(0, ORACLE)
import filter_cases  # noqa: E402


def replay_binary():
    esmcfg = os.environ.get("ESMCFG", "")
    path = os.environ.get("FILTER_REPLAY") or os.path.join(os.path.dirname(esmcfg), "filter_replay")
    if not os.access(path, os.X_OK):
        sys.exit("oracle_filters: no filter_replay at %s (it is built beside esmcfg)" % path)
    return path


def replay(binary, fixture, what):
    p = subprocess.run([binary, fixture], capture_output=True, text=True, check=False)
    print("%s: %s" % (what, p.stdout.strip()))
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        sys.exit("oracle_filters: %s: esmcfg and event-ruler disagree (see above)" % what)


def header_of(fixture):
    with open(fixture, encoding="utf-8") as f:
        first = f.readline()
    if not first.startswith("# "):
        sys.exit("oracle_filters: %s has no header line" % fixture)
    return json.loads(first[2:])


def check_generator(fixture):
    """The fixture's cases are the generator's for the header's seed and count."""
    h = header_of(fixture)
    want = {c["id"]: c for c in filter_cases.cases(h["n"], h["seed"])}
    n = 0
    with open(fixture, encoding="utf-8") as f:
        for text in f:
            if text.startswith("#") or not text.strip():
                continue
            got = json.loads(text)
            c = want.get(got["id"])
            if not c or c["pattern"] != got["pattern"] or c["event"] != got.get("event"):
                sys.exit("oracle_filters: case %s of the fixture is not what "
                         "tests/oracle/filter_cases.py makes now: regenerate it with: %s"
                         % (got["id"], h["regenerate"]))
            n += 1
    if n != h["n"]:
        sys.exit("oracle_filters: the fixture holds %d cases, its header says %d" % (n, h["n"]))
    print("fixture: %d cases from seed %d, event-ruler: %s" % (n, h["seed"], h["event_ruler"]))


def live(binary, command):
    seed = int(os.environ.get("ORACLE_SEED") or random.randrange(1, 10 ** 6))
    n = int(os.environ.get("ORACLE_N") or 2000)
    print("live event-ruler: %d cases, seed %d (ORACLE_SEED=%d repeats them)" % (n, seed, seed))
    case_list = list(filter_cases.cases(n, seed))
    verdicts, about = filter_cases.run_oracle(command, case_list)
    print("live event-ruler: %s" % about)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for r in filter_cases.recorded(case_list, verdicts):
            f.write(filter_cases.line(r) + "\n")
    try:
        replay(binary, f.name, "live")
    finally:
        os.unlink(f.name)


def main():
    binary = replay_binary()
    check_generator(FIXTURE)
    replay(binary, FIXTURE, "recorded")
    command = os.environ.get("ESMCFG_EVENT_RULER")
    if command:
        live(binary, command)
    else:
        print("SKIPPED: the live event-ruler check (set ESMCFG_EVENT_RULER=/path/to/run.sh, "
              "see tests/oracle/README.md)")


if __name__ == "__main__":
    main()
