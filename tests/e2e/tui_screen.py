#!/usr/bin/env python3
"""The interactive configurator, driven through tmux as a person would:
open with --focus batch-size, type an out-of-range value and see the range,
fix it and see the preview change, export with F2 and compare the file with
--batch, quit codes 0 and 1, pickers, sizes 80x24 / 120x40 / 40x12 / too
small, resize, LANG=C (ASCII borders), TERM=xterm / vt100, NO_COLOR, and the
terminal restored on SIGTERM.

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ESMCFG = os.environ.get("ESMCFG", "esmcfg")
SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
INVENTORY = os.path.join(SRCDIR, "examples", "inventory.json")
SOCKET = "esmcfg-e2e-%d" % os.getpid()
BASE = ["--inventory", INVENTORY, "--table", "orders", "--function", "process-orders",
        "--starting-position", "LATEST"]
FAILURES = []


def fail(msg, screen=None):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)
    if screen is not None:
        print(screen, file=sys.stderr)


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET] + list(args), check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Screen:
    """One esmcfg run in a tmux window; the exit code lands in a file."""

    def __init__(self, tmp, args, cols=100, rows=30, env=None, name="s"):
        self.name = name
        self.rc_file = os.path.join(tmp, name + ".rc")
        if os.path.exists(self.rc_file):
            os.unlink(self.rc_file)
        # drafts go to the test's own folder, never the person's
        envs = {"TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "",
                "XDG_STATE_HOME": os.path.join(tmp, "state")}
        envs.update(env or {})
        env_words = " ".join("%s=%s" % (k, shq(v)) for k, v in envs.items())
        unset = "-u NO_COLOR " if "NO_COLOR" not in envs else ""
        cmd = "cd %s && env %s%s %s %s; echo $? > %s; sleep 600" % (
            shq(tmp), unset, env_words, shq(ESMCFG), " ".join(shq(a) for a in args),
            shq(self.rc_file))
        tmux("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), cmd)
        self.wait_for(lambda s: "esmcfg" in s, "the first frame")

    def keys(self, *keys):
        for k in keys:
            tmux("send-keys", "-t", self.name, k)
            time.sleep(0.05)
        time.sleep(0.25)
        return self.text()

    def type(self, text):
        tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(0.3)
        return self.text()

    def text(self, colors=False):
        args = ["capture-pane", "-p", "-t", self.name] + (["-e"] if colors else [])
        return tmux(*args).stdout

    def see(self, want, what, timeout=15.0):
        """Wait until the screen shows WANT (a string or a test of the text)."""
        pred = want if callable(want) else (lambda t: want in t)
        return self.wait_for(pred, what, timeout)

    def wait_for(self, pred, what, timeout=15.0):
        end = time.time() + timeout
        while time.time() < end:
            s = self.text()
            if pred(s):
                return s
            time.sleep(0.1)
        fail("%s: timed out waiting for %s" % (self.name, what), self.text())
        return self.text()

    def rc(self, timeout=15.0):
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.rc_file):
                with open(self.rc_file) as f:
                    data = f.read().strip()
                if data:
                    return int(data)
            time.sleep(0.1)
        fail("%s: the program did not exit" % self.name, self.text())
        return None

    def close(self):
        tmux("kill-session", "-t", self.name, check=False)


def shq(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def expect(cond, msg, screen=None):
    if not cond:
        fail(msg, screen)


def boxes_closed(screen, cols, name):
    """Every line that starts a box border ends it at the same place, and no
    line is wider than the terminal."""
    for i, line in enumerate(screen.splitlines()):
        if len(line) > cols:
            fail("%s: line %d wider than %d" % (name, i, cols), screen)
        for opener, closer in (("┌", "┐"), ("└", "┘"), ("+", "+")):
            if line.startswith(opener) and opener != "+":
                if not line.rstrip().endswith(closer):
                    fail("%s: line %d opens a box and does not close it" % (name, i), screen)


def test_edit_preview_export(tmp):
    out = os.path.join(tmp, "out.yaml")
    s = Screen(tmp, BASE + ["--focus", "batch-size", "--format", "cfn-yaml", "-o", out],
               100, 30, name="edit")
    s.type("20000")
    s.see(lambda t: "20000" in t and "1..10000" in t, "typing 20000 shows the valid range at once")
    s.keys("Enter")
    s.see("Not saved: 20000 is out of range", "Enter on 20000 is refused")
    s.keys("C-u")
    s.type("500")
    s.keys("Enter")
    s.see(lambda t: re.search(r"BatchSize: 500\b", t), "the preview shows BatchSize: 500")
    s.see("[modified]", "the title says [modified]")
    s.keys("F2")
    s.see("Exported CloudFormation YAML to ", "F2 says where it went")
    s.see("[exported]", "the title says [exported]")
    s.keys("q")
    expect(s.rc() == 0, "quit after an export exits 0")
    s.close()
    batch = subprocess.run([ESMCFG, "--batch"] + BASE + ["--batch-size", "500", "--format",
                                                          "cfn-yaml"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(out, "rb") as f:
        exported = f.read()
    expect(batch.returncode == 0, "--batch exits 0")
    expect(exported == batch.stdout, "the exported file equals --batch's output")


def test_export_asks_path(tmp):
    s = Screen(tmp, BASE, 80, 24, name="ask")
    s.keys("F2")
    s.see("orders-process-orders", "the export prompt suggests a name")
    path = os.path.join(tmp, "asked.json")
    with open(path, "w") as f:
        f.write("old\n")
    s.keys("C-u")
    s.type(path)
    s.keys("Enter")
    s.see(lambda t: "already exists." in t and "Replace it?" in t, "an existing file asks first")
    s.keys("y")
    s.see("Exported API JSON to ", "y replaces it")
    with open(path) as f:
        expect(f.read().startswith("{"), "the file holds the export")
    s.keys("q")
    expect(s.rc() == 0, "quit after the export exits 0")
    s.close()


def test_quit_codes(tmp):
    s = Screen(tmp, BASE, 80, 24, name="quit1")
    s.keys("q")
    expect(s.rc() == 1, "quit without changes or export exits 1")
    s.close()
    s = Screen(tmp, BASE + ["--focus", "batch-size"], 80, 24, name="quit2")
    s.type("7")
    s.keys("Enter")
    s.keys("F10")
    s.see("Quit without exporting?", "unexported changes ask before quitting")
    s.keys("n")
    s.see(lambda t: "Quit without" not in t, "n keeps the screen")
    s.keys("C-q")
    s.see("Quit without exporting?", "Ctrl-Q asks too")
    s.keys("y")
    expect(s.rc() == 1, "quit without export exits 1")
    s.close()


def test_pickers(tmp):
    s = Screen(tmp, ["--inventory", INVENTORY], 80, 24, name="pick")
    s.keys("Enter")
    s.see(lambda t: "NEW_AND_OLD_IMAGES" in t and " off " in t,
          "the table picker shows stream on/off and view types")
    s.type("sessions")
    s.keys("Down")
    s.see("no stream", "a table without a stream says why")
    s.keys("Enter")
    s.see(lambda t: "Not used" in t and "update-table" in t,
          "picking it is refused with how to enable streams")
    s.keys("C-u")
    s.type("orders")
    s.keys("Enter")
    s.see("orders  stream NEW_AND_OLD_IMAGES", "orders is picked")
    s.keys("Down")
    s.type("proc")
    s.keys("Enter")
    s.see(lambda t: "process-orders" in t.split("\n")[3], "the function is picked")
    s.keys("Down", "Right")
    s.keys("F4")
    s.see("EventSourceArn", "narrow: F4 shows the preview")
    s.keys("F4", "q")
    s.see("Quit without exporting?", "changes ask before quitting")
    s.keys("y")
    expect(s.rc() == 1, "quit exits 1")
    s.close()


def test_sizes(tmp):
    for cols, rows in ((80, 24), (120, 40), (40, 12)):
        name = "size%dx%d" % (cols, rows)
        s = Screen(tmp, BASE, cols, rows, name=name)
        screen = s.text()
        lines = screen.splitlines()
        expect(lines[0].lstrip().startswith("esmcfg"), "%s: the title is on top" % name, screen)
        expect("Mapping" in lines[1], "%s: the form box is under the title" % name, screen)
        expect(("Preview" in lines[1]) == (cols >= 100),
               "%s: side by side only when wide" % name, screen)
        expect("F1 help" in lines[rows - 1], "%s: the key bar is at the bottom" % name, screen)
        boxes_closed(screen, cols, name)
        s.keys("q")
        s.rc()
        s.close()
    s = Screen(tmp, BASE, 30, 8, name="small")
    screen = s.text()
    expect("needs 40x10" in screen and "30x8" in screen,
           "too small: the screen says the size it needs", screen)
    tmux("resize-window", "-t", "small", "-x", "90", "-y", "26")
    screen = s.wait_for(lambda t: "Mapping" in t and t.splitlines()[1].rstrip().endswith("┐"),
                        "the form after growing")
    boxes_closed(screen, 90, "resized")
    tmux("resize-window", "-t", "small", "-x", "120", "-y", "30")
    screen = s.wait_for(lambda t: "Preview" in t.splitlines()[1], "side by side after growing")
    s.keys("q")
    expect(s.rc() == 1, "quit exits 1")
    s.close()


def test_terminals(tmp):
    s = Screen(tmp, BASE, 80, 24, env={"LANG": "C"}, name="asciiC")
    screen = s.text()
    expect(screen.splitlines()[1].startswith("+-"), "LANG=C: ASCII borders", screen)
    expect(all(ord(c) < 128 for c in screen), "LANG=C: nothing but ASCII on screen", screen)
    s.keys("q")
    s.rc()
    s.close()
    s = Screen(tmp, BASE, 80, 24, env={"TERM": "vt100"}, name="vt100")
    s.see("Mapping", "TERM=vt100 draws the form")
    s.keys("F2")
    s.see("Export API JSON", "TERM=vt100: F2 opens the export prompt")
    s.keys("Escape")
    s.see(lambda t: "Export API JSON" not in t, "TERM=vt100: Esc closes it")
    s.keys("F10")
    expect(s.rc() == 1, "TERM=vt100: F10 quits")
    s.close()
    colors = re.compile(r"\x1b\[[0-9;]*(3[0-7]|4[0-7])m")
    s = Screen(tmp, BASE, 80, 24, name="color")
    expect(colors.search(s.text(colors=True)), "TERM=xterm has colours")
    s.keys("q")
    s.rc()
    s.close()
    s = Screen(tmp, BASE, 80, 24, env={"NO_COLOR": "1"}, name="nocolor")
    expect(not colors.search(s.text(colors=True)), "NO_COLOR: no colours",
           s.text(colors=True))
    s.keys("q")
    s.rc()
    s.close()
    s = Screen(tmp, BASE + ["--no-color"], 80, 24, name="nocolorflag")
    expect(not colors.search(s.text(colors=True)), "--no-color: no colours")
    s.keys("q")
    s.rc()
    s.close()


def test_signal_restores(tmp):
    s = Screen(tmp, BASE, 80, 24, name="sig")
    pid = tmux("display-message", "-p", "-t", "sig", "#{pane_pid}").stdout.strip()
    child = subprocess.run(["pgrep", "-P", pid], stdout=subprocess.PIPE, text=True).stdout.split()
    # the shell's child is env's exec of esmcfg
    for c in child:
        os.kill(int(c), 15)
    rc = s.rc()
    expect(rc == 143, "SIGTERM ends with the signal's status (got %s)" % rc)
    screen = s.text()
    expect("Mapping" not in screen, "after SIGTERM the screen is the shell's again", screen)
    s.close()


def run_tests(prefix, tests):
    """Run each of TESTS (functions of a temporary folder) on this process's
    tmux server; the exit code for ctest: 0 ok, 1 a check failed, 77 no tmux."""
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed")
        return 77
    tmp = tempfile.mkdtemp(prefix=prefix)
    # a session that keeps the server up between the tests' own sessions
    tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 3600")
    try:
        for t in tests:
            t(tmp)
    finally:
        tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("ok")
    return 0


def main():
    return run_tests("esmcfg-tui-", (test_edit_preview_export, test_export_asks_path,
                                     test_quit_codes, test_pickers, test_sizes, test_terminals,
                                     test_signal_restores))


if __name__ == "__main__":
    sys.exit(main())
