#!/usr/bin/env python3
"""esmcfg --discover with stderr on a terminal: progress is one line
rewritten with \\r and ended with a newline, and the aws processes it runs
have no terminal of their own (so they can never stop to prompt), even
though esmcfg has one. Uses the replacement aws of tests/fixtures/discover."""
import fcntl
import json
import os
import pty
import subprocess
import sys
import tempfile
import termios

ESMCFG = os.environ["ESMCFG"]
FAKE = os.path.join(os.environ["FIXTURES"], "discover")
FAILS = []


def check(ok, what):
    if not ok:
        FAILS.append(what)


def run_on_tty(scenario, log, args):
    """Run esmcfg with the pty as its controlling terminal and stderr."""
    master, slave = pty.openpty()

    def take_terminal():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = dict(os.environ, PATH=FAKE + ":" + os.environ["PATH"], FAKE_AWS_SCENARIO=scenario,
               FAKE_AWS_LOG=log, AWS_REGION="us-east-1")
    p = subprocess.Popen([ESMCFG] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave, env=env, preexec_fn=take_terminal)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every slave end is closed
            break
        if not data:
            break
        chunks.append(data)
    out = p.stdout.read()
    rc = p.wait(timeout=60)
    os.close(master)
    return rc, out, b"".join(chunks).decode("utf-8", "replace")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "aws.log")
        inv = os.path.join(tmp, "inv.json")
        rc, out, err = run_on_tty("many", log, ["--discover", "--save-inventory", inv])
        check(rc == 0, "exit %d, stderr %r" % (rc, err))
        check(out == b"", "stdout %r" % out)
        final = "esmcfg: discovery: tables 20/20, functions 3, queues 2, topics 1"
        check(err.startswith("\r"), "progress does not start with \\r: %r" % err)
        check(err.endswith(final + "\r\n") or err.rstrip(" \r\n").endswith(final),
              "last progress line: %r" % err[-120:])
        check(err.count("\n") == 1, "more than one line on the terminal: %r" % err)
        check("\x1b" not in err, "escape sequences in the progress: %r" % err)
        calls = [json.loads(line) for line in open(log)]
        check(len(calls) == 24, "%d calls" % len(calls))
        for c in calls:
            check(not c["terminal"], "aws could open /dev/tty: %r" % c)
            check(c["own_session"], "aws not in a session of its own: %r" % c)
            check("--region" not in c["argv"], "--region passed though only AWS_REGION is set")
    for f in FAILS:
        print("FAIL:", f, file=sys.stderr)
    if FAILS:
        sys.exit(1)
    print("discover_tty.py: all checks passed")


main()
