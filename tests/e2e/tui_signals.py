#!/usr/bin/env python3
"""The terminal is always given back, and no work is lost.

esmcfg runs on a pseudo-terminal of its own (its controlling terminal,
stdin, stdout and stderr), under `sh -c 'esmcfg ...; echo RC=$?; stty -a'`.
Once its screen is up it gets a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT)
or crashes (SIGSEGV, SIGABRT); then `stty -a`, run in the same terminal
afterwards, must show echo and icanon back on, and the shell must see the
process die of that very signal (the handler restores, then re-raises).

Drafts: after a committed change, a hangup (the terminal's master side
closed, as when an SSH link drops) or SIGTERM leaves the draft in
$XDG_STATE_HOME/esmcfg/draft.json, mode 0600; the next start asks
"Restore the unsaved mapping from <time>? y/n", y brings the change back,
and an export removes the draft. --restore takes it without asking.

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import fcntl
import json
import os
import pty
import re
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

ESMCFG = os.environ.get("ESMCFG", "esmcfg")
SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
INVENTORY = os.path.join(SRCDIR, "examples", "inventory.json")
BASE = ["--inventory", INVENTORY, "--table", "orders", "--function", "process-orders",
        "--starting-position", "LATEST"]
FAILS = []


def check(ok, what, detail=None):
    if not ok:
        FAILS.append(what)
        print("FAIL: " + what, file=sys.stderr)
        if detail:
            print(detail[-3000:], file=sys.stderr)


def shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


class Pty:
    """sh -c SCRIPT on a new pseudo-terminal of 80x24."""

    def __init__(self, script, env):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def child():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        self.proc = subprocess.Popen(["sh", "-c", script], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, preexec_fn=child, close_fds=True)
        os.close(slave)
        self.out = b""

    def read_until(self, pred, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            text = self.out.decode("utf-8", "replace")
            if pred(text):
                return True
            r, _, _ = select.select([self.master], [], [], 0.1)
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    return pred(self.out.decode("utf-8", "replace"))
                self.out += data
        return pred(self.out.decode("utf-8", "replace"))

    def send(self, data):
        os.write(self.master, data.encode())
        time.sleep(0.2)

    def esmcfg_pid(self):
        """The esmcfg process under the shell."""
        for _ in range(50):
            kids = subprocess.run(["pgrep", "-P", str(self.proc.pid)], stdout=subprocess.PIPE,
                                  text=True).stdout.split()
            if kids:
                return int(kids[0])
            time.sleep(0.1)
        return None

    def hang_up(self):
        os.close(self.master)
        self.master = None

    def close(self):
        if self.master is not None:
            os.close(self.master)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def environment(tmp):
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", LC_ALL="",
               XDG_STATE_HOME=os.path.join(tmp, "state"))
    env.pop("NO_COLOR", None)
    return env


def flag_on(stty, name):
    """Whether `stty -a` lists NAME without a leading '-'."""
    words = re.split(r"[\s;]+", stty)
    return name in words and "-" + name not in words


def test_signal(tmp, sig):
    name = signal.Signals(sig).name
    script = "%s %s; echo RC=$?; stty -a; echo END" % (shq(ESMCFG), " ".join(map(shq, BASE)))
    t = Pty(script, environment(tmp))
    up = t.read_until(lambda s: "Mapping" in s and "F10" in s)
    check(up, "%s: the screen came up" % name, t.out.decode("utf-8", "replace"))
    pid = t.esmcfg_pid()
    check(pid is not None, "%s: esmcfg's pid" % name)
    if pid:
        os.kill(pid, sig)
    done = t.read_until(lambda s: "END" in s)
    text = t.out.decode("utf-8", "replace")
    check(done, "%s: the shell went on after esmcfg" % name, text)
    after = text[text.find("RC="):] if "RC=" in text else ""
    m = re.search(r"RC=(\d+)", after)
    rc = int(m.group(1)) if m else None
    check(rc == 128 + sig, "%s: died of the signal itself (status %s, want %d)" %
          (name, rc, 128 + sig), text)
    check(flag_on(after, "echo"), "%s: echo is back on" % name, after)
    check(flag_on(after, "icanon"), "%s: icanon is back on" % name, after)
    check(flag_on(after, "isig"), "%s: isig is back on" % name, after)
    check(flag_on(after, "icrnl"), "%s: icrnl is back on" % name, after)
    # the cursor is shown and the alternate screen left before the shell speaks
    tail = text[text.rfind("\x1b[?1049h"):] if "\x1b[?1049h" in text else text
    check("\x1b[?1049l" in tail, "%s: the alternate screen was left" % name, repr(tail[-400:]))
    t.close()


def draft_file(tmp):
    return os.path.join(tmp, "state", "esmcfg", "draft.json")


def change_batch_size(t, value):
    """Focus is on batch-size (--focus): type VALUE and Enter."""
    t.send(value)
    t.send("\r")
    return t.read_until(lambda s: (value + " records") in s)


def test_hangup_keeps_draft(tmp):
    path = draft_file(tmp)
    if os.path.exists(path):
        os.unlink(path)
    script = "exec %s %s --focus batch-size" % (shq(ESMCFG), " ".join(map(shq, BASE)))
    t = Pty(script, environment(tmp))
    check(t.read_until(lambda s: "Mapping" in s), "hangup: the screen came up")
    check(change_batch_size(t, "777"), "hangup: the change is on screen",
          t.out.decode("utf-8", "replace")[-2000:])
    t.hang_up()  # the link drops: the kernel sends SIGHUP
    try:
        rc = t.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        t.proc.kill()
        rc = None
    check(rc == -signal.SIGHUP, "hangup: esmcfg died of SIGHUP (got %s)" % rc)
    check(os.path.exists(path), "hangup: the draft is there")
    if os.path.exists(path):
        check(os.stat(path).st_mode & 0o777 == 0o600, "hangup: the draft is 0600")
        with open(path) as f:
            doc = json.load(f)
        check(doc.get("options", {}).get("batch-size") == "777",
              "hangup: the draft holds the change: %r" % doc)
    t.close()


def test_restore_question(tmp):
    """The draft of test_hangup_keeps_draft is offered, taken, and gone after an export."""
    out = os.path.join(tmp, "out.json")
    script = "%s %s -o %s; echo RC=$?; echo END" % (shq(ESMCFG), " ".join(map(shq, BASE)),
                                                   shq(out))
    t = Pty(script, environment(tmp))
    asked = t.read_until(lambda s: "Restore the unsaved mapping from" in s)
    check(asked, "restore: the question is asked", t.out.decode("utf-8", "replace")[-2000:])
    t.send("y")
    check(t.read_until(lambda s: "777 records" in s), "restore: y brings the change back")
    t.send("\x1bOQ")  # F2: export to -o
    check(t.read_until(lambda s: "Exported" in s), "restore: exported")
    check(not os.path.exists(draft_file(tmp)), "restore: the export removed the draft")
    t.send("q")
    check(t.read_until(lambda s: "RC=0" in s), "restore: quit after the export exits 0",
          t.out.decode("utf-8", "replace")[-500:])
    with open(out) as f:
        check('"BatchSize": 777' in f.read(), "restore: the export holds the restored value")
    t.close()


def test_sigterm_and_restore_flag(tmp):
    path = draft_file(tmp)
    script = "exec %s %s --focus batch-size" % (shq(ESMCFG), " ".join(map(shq, BASE)))
    t = Pty(script, environment(tmp))
    check(t.read_until(lambda s: "Mapping" in s), "sigterm: the screen came up")
    change_batch_size(t, "333")
    t.proc.send_signal(signal.SIGTERM)
    try:
        rc = t.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == -signal.SIGTERM, "sigterm: esmcfg died of SIGTERM (got %s)" % rc)
    check(os.path.exists(path), "sigterm: the draft is there")
    t.close()
    # --restore: no question, the draft in place, flags over it
    script = "%s %s --restore --retry-attempts 5; echo RC=$?; echo END" % (
        shq(ESMCFG), " ".join(map(shq, BASE)))
    t = Pty(script, environment(tmp))
    seen = t.read_until(lambda s: "333 records" in s and "--restore" in s)
    text = t.out.decode("utf-8", "replace")
    check(seen, "--restore: the draft is in place and said so", text[-2000:])
    check("Restore the unsaved" not in text, "--restore: no question")
    t.send("\x1b[21~")  # F10
    t.read_until(lambda s: "Quit" in s, 3)
    t.send("y")
    check(t.read_until(lambda s: "RC=1" in s), "--restore: quit without export exits 1",
          t.out.decode("utf-8", "replace")[-500:])
    t.close()


def main():
    with tempfile.TemporaryDirectory(prefix="esmcfg-sig-") as tmp:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
                    signal.SIGSEGV, signal.SIGABRT):
            test_signal(tmp, sig)
        test_hangup_keeps_draft(tmp)
        test_restore_question(tmp)
        test_sigterm_and_restore_flag(tmp)
    if FAILS:
        print("%d check(s) failed" % len(FAILS), file=sys.stderr)
        return 1
    print("tui_signals.py: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
