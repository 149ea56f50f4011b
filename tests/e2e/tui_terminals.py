#!/usr/bin/env python3
"""Odd terminals, through tmux: 20x6 and 40x12, a storm of 50 resizes
(with a picker, help and the preview open), TERM=dumb, an unknown TERM,
TERM unset or empty (a clear message and exit 4: ncurses cannot draw
there), TERM=vt100, linux and screen (drawn, keys work). Nothing crashes:
stderr is kept and must hold no sanitizer report.

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import os
import random
import sys
import time

import tui_screen as ts

INVENTORY = ts.INVENTORY
BASE = ts.BASE
CANNOT = "use --batch, or set TERM (e.g. xterm)"


class Run:
    """One esmcfg run in a tmux session with stderr kept in a file."""

    def __init__(self, tmp, name, args, cols=80, rows=24, env=None, unset=()):
        self.name = name
        self.rc_file = os.path.join(tmp, name + ".rc")
        self.err_file = os.path.join(tmp, name + ".err")
        for f in (self.rc_file, self.err_file):
            if os.path.exists(f):
                os.unlink(f)
        envs = {"TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "",
                "XDG_STATE_HOME": os.path.join(tmp, "state")}
        envs.update(env or {})
        for u in unset:
            envs.pop(u, None)
        words = " ".join("-u %s" % u for u in ("NO_COLOR",) + tuple(unset))
        words += " " + " ".join("%s=%s" % (k, ts.shq(v)) for k, v in envs.items())
        cmd = "cd %s && env %s %s %s 2>%s; echo $? > %s; sleep 600" % (
            ts.shq(tmp), words, ts.shq(ts.ESMCFG), " ".join(ts.shq(a) for a in args),
            ts.shq(self.err_file), ts.shq(self.rc_file))
        ts.tmux("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), cmd)

    def text(self):
        return ts.tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys):
        for k in keys:
            ts.tmux("send-keys", "-t", self.name, k)
            time.sleep(0.05)
        time.sleep(0.25)
        return self.text()

    def see(self, pred, what, timeout=15.0):
        pred = pred if callable(pred) else (lambda t, want=pred: want in t)
        end = time.time() + timeout
        while time.time() < end:
            s = self.text()
            if pred(s):
                return s
            time.sleep(0.1)
        ts.fail("%s: timed out waiting for %s" % (self.name, what), self.text())
        return self.text()

    def resize(self, cols, rows):
        ts.tmux("resize-window", "-t", self.name, "-x", str(cols), "-y", str(rows))

    def rc(self, timeout=15.0):
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.rc_file):
                with open(self.rc_file) as f:
                    data = f.read().strip()
                if data:
                    return int(data)
            time.sleep(0.1)
        ts.fail("%s: the program did not exit" % self.name, self.text())
        return None

    def stderr(self):
        try:
            with open(self.err_file) as f:
                return f.read()
        except OSError:
            return ""

    def clean_exit(self, want_rc):
        rc = self.rc()
        ts.expect(rc == want_rc, "%s: exit %s, want %s" % (self.name, rc, want_rc), self.stderr())
        err = self.stderr()
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error", "Segmentation"):
            ts.expect(bad not in err, "%s: %s on stderr" % (self.name, bad), err)
        ts.tmux("kill-session", "-t", self.name, check=False)


def test_tiny(tmp):
    r = Run(tmp, "tiny", BASE, 20, 6)
    screen = r.see(lambda t: "20x6" in t, "the size note")
    ts.expect("needs 40x10" in screen, "20x6: says what it needs", screen)
    ts.expect("q to" in screen and "quit" in screen, "20x6: says how to leave, wrapped", screen)
    for i, line in enumerate(screen.splitlines()):
        ts.expect(len(line) <= 20, "20x6: line %d is wider than the terminal" % i, screen)
    r.keys("Enter", "F2", "x")  # nothing happens below the minimum
    ts.expect("needs 40x10" in r.text(), "20x6: keys do not draw garbage", r.text())
    r.keys("q")
    r.clean_exit(1)

    r = Run(tmp, "small", BASE + ["--focus", "batch-size"], 40, 12)
    screen = r.see(lambda t: "Mapping" in t, "the form at 40x12")
    ts.boxes_closed(screen, 40, "40x12")
    ts.expect("F1 help" in screen.splitlines()[11], "40x12: the key bar at the bottom", screen)
    r.keys("Up", "Up", "Up", "Enter")
    screen = r.see(lambda t: "orders" in t and "Table" in t, "40x12: the table picker")
    ts.boxes_closed(screen, 40, "40x12 picker")
    r.keys("Escape", "F1")
    screen = r.see("Help", "40x12: help")
    ts.boxes_closed(screen, 40, "40x12 help")
    r.keys("Escape", "F4")
    r.see("EventSourceArn", "40x12: the preview")
    r.keys("F4", "q")
    r.clean_exit(1)


def test_resize_storm(tmp):
    sizes = [(20, 6), (40, 12), (80, 24), (200, 50), (100, 30), (41, 10), (39, 9), (120, 40),
             (60, 15), (1000 // 7, 33)]
    rnd = random.Random(6)
    for opener, what in ((["Enter"], "picker"), (["F1"], "help"), (["F4"], "preview"),
                         (["Down", "Down", "Down", "5"], "edit")):
        name = "storm-" + what
        r = Run(tmp, name, BASE, 80, 24)
        r.see(lambda t: "Mapping" in t, "%s: the first frame" % name)
        r.keys(*opener)
        for _ in range(50):
            c, l = rnd.choice(sizes)
            r.resize(c, l)
            time.sleep(rnd.choice((0, 0.005, 0.02)))
        r.resize(80, 24)
        screen = r.see(lambda t: len(t.splitlines()) >= 24 and t.splitlines()[23].strip() and
                       t.splitlines()[0].lstrip().startswith("esmcfg"),
                       "%s: the frame after the storm" % name)
        ts.boxes_closed(screen, 80, name)
        lines = screen.splitlines()
        ts.expect(lines and lines[0].lstrip().startswith("esmcfg"),
                  "%s: the title is back on top" % name, screen)
        if what == "picker":
            ts.expect("Table" in screen and "orders" in screen,
                      "%s: the picker is still open" % name, screen)
        if what == "edit":
            ts.expect("5" in screen, "%s: the edit buffer survived" % name, screen)
        r.keys("Escape", "Escape")
        r.keys("F10")
        if "Quit" in r.text():
            r.keys("y")
        r.clean_exit(1)


def test_cannot_draw(tmp):
    cases = [
        ("dumb", {"TERM": "dumb"}, (), "terminal type 'dumb' cannot draw the screen"),
        ("unknown", {"TERM": "xyzzy"}, (), "terminal type 'xyzzy' is not known here"),
        ("empty", {"TERM": ""}, (), "TERM is not set"),
        ("unset", {}, ("TERM",), "TERM is not set"),
        ("hostile", {"TERM": "x\x1b[2Jterm"}, (), "terminal type 'x\\x1b[2Jterm' is not known"),
    ]
    for name, env, unset, want in cases:
        r = Run(tmp, "term-" + name, BASE, 80, 24, env=env, unset=unset)
        rc = r.rc()
        err = r.stderr()
        ts.expect(rc == 4, "TERM %s: exit 4 (got %s)" % (name, rc), err)
        ts.expect(want in err and CANNOT in err, "TERM %s: says why and what to do" % name, err)
        ts.expect("\x1b" not in err, "TERM %s: no escape reaches the terminal" % name, repr(err))
        ts.expect(err.count("\n") == 1, "TERM %s: one line" % name, err)
        r.clean_exit(4)


def test_terms_that_draw(tmp):
    for term in ("vt100", "linux", "screen", "xterm-256color"):
        for lang in ("C.UTF-8", "C"):
            name = "draw-%s-%s" % (term, lang.replace(".", ""))
            r = Run(tmp, name, BASE + ["--focus", "batch-size"], 80, 24,
                    env={"TERM": term, "LANG": lang})
            screen = r.see(lambda t: "Mapping" in t, "%s: the form" % name)
            ts.boxes_closed(screen, 80, name)
            if lang == "C":
                ts.expect(all(ord(c) < 128 for c in screen), "%s: ASCII only" % name, screen)
            r.keys("4", "2", "Enter")
            r.see("42 records", "%s: typing a value" % name)
            r.keys("F1")
            r.see("Help", "%s: F1 opens help" % name)
            r.keys("Escape", "F10")
            r.see("Quit without exporting?", "%s: F10 asks" % name)
            r.keys("y")
            r.clean_exit(1)


def main():
    return ts.run_tests("esmcfg-terms-", (
        test_tiny, test_resize_storm, test_cannot_draw, test_terms_that_draw))


if __name__ == "__main__":
    sys.exit(main())
