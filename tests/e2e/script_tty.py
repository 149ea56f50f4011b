#!/usr/bin/env python3
"""The screen as scripts use it, as dialog(1) is used: esmcfg runs on a
pseudo-terminal (its /dev/tty) while stdout is a pipe, so `x=$(esmcfg -o -
...)` captures the export; --output-fd 3 writes it to fd 3; -o FILE to the
file. Exporting (F2) then quitting gives exit 0 and exactly the bytes
--batch writes; quitting without exporting gives exit 1 and writes nothing
anywhere. Also with --load, and --format update-json of a loaded AWS mapping.

Environment: ESMCFG (the binary), FIXTURES (tests/fixtures)."""
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")
FIXTURES = os.environ.get("FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
FULL = os.path.join(FIXTURES, "golden", "full.json")
GET = os.path.join(FIXTURES, "load", "get.json")
F2 = b"\x1b[12~"
QUIT = b"q"
FAILURES = []
CHECKS = 0


def check(cond, msg):
    """Record one check; print it when it fails."""
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def pump(master, seconds, screen):
    """Read the terminal's output for SECONDS into SCREEN (a bytearray)."""
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                screen += os.read(master, 65536)
            except OSError:
                return


def child(args, stdout_w, fd3_path):
    """In the child: stdout to the pipe, fd 3 to FD3_PATH, then esmcfg."""
    os.dup2(stdout_w, 1)
    if fd3_path:
        fd = os.open(fd3_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 3)
    os.environ.update(TERM="xterm", ESCDELAY="25", LANG="C.UTF-8")
    os.environ.pop("NO_COLOR", None)
    os.execv(ESMCFG, [ESMCFG] + args)


def wait_exit(pid, master, screen):
    """The exit code, once the program ends (killed after 10 s: -1)."""
    end = time.time() + 10
    while time.time() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        pump(master, 0.1, screen)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1


def drive(args, keys, fd3_path=None):
    """Run esmcfg ARGS on a new terminal, press KEYS; (exit code, stdout, screen)."""
    r, w = os.pipe()
    pid, master = pty.fork()
    if pid == 0:
        child(args, w, fd3_path)
    os.close(w)
    screen = bytearray()
    pump(master, 1.0, screen)
    for k in keys:
        os.write(master, k)
        pump(master, 0.4, screen)
    rc = wait_exit(pid, master, screen)
    out = bytearray()
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        out += chunk
    os.close(r)
    os.close(master)
    return rc, out.decode(), screen.decode(errors="replace")


def batch(args):
    """What --batch writes for ARGS."""
    p = subprocess.run([ESMCFG, "--batch"] + args, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, check=False)
    return p.stdout


def read(path):
    """A file's text, or None when it does not exist."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_stdout(tmp):
    """-o -: the export on stdout after the screen closes; nothing on cancel."""
    del tmp
    want = read(FULL)
    rc, out, _ = drive(["--load", FULL, "-o", "-"], [F2, QUIT])
    check(rc == 0 and out == want, f"export to stdout: exit {rc}, {out[:200]!r}")
    rc, out, _ = drive(["--load", FULL, "-o", "-"], [QUIT])
    check(rc == 1 and out == "", f"cancel with -o -: exit {rc}, stdout {out[:200]!r}")


def test_output_fd(tmp):
    """--output-fd 3: the export on fd 3 only; fd 3 untouched on cancel."""
    fd3 = os.path.join(tmp, "fd3.json")
    rc, out, _ = drive(["--load", FULL, "--output-fd", "3"], [F2, QUIT], fd3)
    check(rc == 0 and out == "" and read(fd3) == read(FULL),
          f"export to --output-fd 3: exit {rc}, stdout {out[:100]!r}, fd 3 {read(fd3)!r:.200}")
    rc, out, _ = drive(["--load", FULL, "--output-fd", "3"], [QUIT], fd3)
    check(rc == 1 and out == "" and read(fd3) == "",
          f"cancel with --output-fd 3: exit {rc}, fd 3 {read(fd3)!r:.200}")


def test_output_file(tmp):
    """-o FILE: written on export (atomically), not created on cancel."""
    path = os.path.join(tmp, "out.cfn.yaml")
    rc, out, _ = drive(["--load", FULL, "--format", "cfn-yaml", "-o", path], [QUIT])
    check(rc == 1 and out == "" and read(path) is None,
          f"cancel with -o FILE: exit {rc}, file {read(path)!r:.100}")
    rc, out, _ = drive(["--load", FULL, "--format", "cfn-yaml", "-o", path], [F2, QUIT])
    want = batch(["--load", FULL, "--format", "cfn-yaml"])
    check(rc == 0 and out == "" and read(path) == want,
          f"export to -o FILE: exit {rc}, file {read(path)!r:.200}")


def test_update(tmp):
    """A mapping loaded from AWS output: the screen exports update-json as
    --batch does."""
    del tmp
    want = batch(["--load", GET, "--format", "update-json"])
    rc, out, _ = drive(["--load", GET, "--format", "update-json", "-o", "-"], [F2, QUIT])
    check(rc == 0 and want.startswith('{\n  "UUID"') and out == want,
          f"update-json on screen: exit {rc}, {out[:200]!r}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_stdout, test_output_fd, test_output_file, test_update):
            test(tmp)
    if FAILURES:
        print(f"script_tty.py: {len(FAILURES)} of {CHECKS} checks failed", file=sys.stderr)
        return 1
    print(f"script_tty.py: {CHECKS} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
