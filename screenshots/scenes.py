#!/usr/bin/env python3
"""Drive the real esmcfg through the scenes of screenshots/scenes.txt in
tmux, as a person at a terminal would, and capture each final screen.

    scenes.py [--esmcfg BIN] [--scenes FILE] [--out DIR] [--only NAME,...]
              [--text] [--html] [--png] [--list]

--text writes NAME.txt (plain text), --html NAME.html (through ansi2html.py),
--png NAME.png (the HTML through headless Chromium). Every run checks each
scene's `expect` and `absent` strings and the right edge, and exits 1 when a
scene no longer renders; tests/e2e/screenshot_scenes.py runs this check
without pictures.

The scene file
--------------
Blank lines and lines starting with `#` are ignored. `scene NAME` starts a
scene; the lines after it, up to the next `scene`, describe it:

    caption TEXT      one line for the README
    size COLSxROWS    the terminal (default 80x24)
    env NAME=VALUE... added to the fixed environment (TERM=xterm-256color,
                      LANG=C.UTF-8, TZ=UTC, HOME the working directory,
                      nothing else inherited but PATH); NAME= (empty)
                      removes the variable
    args WORDS...     esmcfg's command line, split as a shell would (quotes);
                      $SRCDIR is the source tree, $WORK the working directory,
                      $PATH the caller's PATH (also in env values)
    file PATH TEXT    create PATH (relative to $WORK) holding TEXT and a
                      newline before esmcfg starts
    keys KEY...       tmux send-keys names: Enter Escape Up Down Left Right
                      Tab BTab F1..F12 C-u Space ...
    type TEXT         TEXT typed literally (the rest of the line)
    wait TEXT         wait (up to 5 s) until TEXT is on the screen
    gone TEXT         wait (up to 5 s) until TEXT is no longer on the screen
    sleep SECONDS
    expect TEXT       the final screen must show TEXT
    absent TEXT       the final screen must not show TEXT

The working directory is a fresh temporary directory holding a copy of
the source tree's examples/, so `--inventory examples/inventory.json`
works as in the README and the screen shows that short path. The steps
(keys, type, wait, gone, sleep) run in order; before the capture the
runner waits for every `expect` and for the screen to stand still. Each scene runs in its own tmux server (tmux -f /dev/null, so no
user configuration), which is killed afterwards.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)

BASE_ENV = {
    "TERM": "xterm-256color",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
}
STEP_WORDS = ("keys", "type", "wait", "gone", "sleep")
LEFT_BORDERS = "│┃║┌┏╔└┗╚├┣╠|"
RIGHT_BORDERS = "│┃║┐┓╗┘┛╝┤┫╣|"


class SceneError(Exception):
    pass


class Scene:
    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.caption = ""
        self.cols, self.rows = 80, 24
        self.env = {}
        self.args = []
        self.files = []  # (path, text)
        self.steps = []  # (word, text, lineno)
        self.expect = []
        self.absent = []


def parse(path):
    """The scenes of PATH, in order."""
    scenes = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            word, _, rest = line.strip().partition(" ")
            rest = rest.strip()
            where = "%s:%d" % (path, lineno)
            if word == "scene":
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rest):
                    raise SceneError("%s: a scene name is [a-z0-9-]+: %r" % (where, rest))
                if any(s.name == rest for s in scenes):
                    raise SceneError("%s: scene %s twice" % (where, rest))
                cur = Scene(rest, lineno)
                scenes.append(cur)
                continue
            if cur is None:
                raise SceneError("%s: %s before the first scene" % (where, word))
            if word == "caption":
                cur.caption = rest
            elif word == "size":
                m = re.fullmatch(r"(\d+)x(\d+)", rest)
                if not m:
                    raise SceneError("%s: size is COLSxROWS: %r" % (where, rest))
                cur.cols, cur.rows = int(m.group(1)), int(m.group(2))
            elif word == "env":
                for item in shlex.split(rest):
                    k, eq, v = item.partition("=")
                    if not eq:
                        raise SceneError("%s: env takes NAME=VALUE: %r" % (where, item))
                    cur.env[k] = v
            elif word == "args":
                cur.args = shlex.split(rest)
            elif word == "file":
                path, _, text = rest.partition(" ")
                if not path or os.path.isabs(path) or ".." in path.split("/"):
                    raise SceneError("%s: file PATH TEXT, PATH inside $WORK" % where)
                cur.files.append((path, text))
            elif word in STEP_WORDS:
                if word == "sleep":
                    float(rest)
                cur.steps.append((word, rest, lineno))
            elif word == "expect":
                cur.expect.append(rest)
            elif word == "absent":
                cur.absent.append(rest)
            else:
                raise SceneError("%s: unknown word %r" % (where, word))
    for s in scenes:
        if not s.caption:
            raise SceneError("%s:%d: scene %s has no caption" % (path, s.lineno, s.name))
        if not s.expect:
            raise SceneError("%s:%d: scene %s expects nothing" % (path, s.lineno, s.name))
    return scenes


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(s):
    return sum(cell_width(c) for c in s)


def check_edges(text, cols, rows):
    """Problems with the right edge: a line wider than the terminal, a row
    that starts with a box's left border but does not end with a right
    border in the last column, more rows than the terminal."""
    problems = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > rows:
        problems.append("%d rows on a %d-row terminal" % (len(lines), rows))
    for i, line in enumerate(lines):
        w = text_width(line)
        if w > cols:
            problems.append("row %d is %d columns wide (terminal %d)" % (i, w, cols))
        stripped = line.rstrip(" ")
        if stripped and stripped[0] in LEFT_BORDERS:
            if text_width(stripped) != cols or stripped[-1] not in RIGHT_BORDERS:
                problems.append("row %d opens a box at the left edge and does not close it "
                                "in column %d: %r" % (i, cols, stripped[-12:]))
        if len(stripped) > 1 and stripped[0] == "+" and stripped[1] in "-+":
            if text_width(stripped) != cols or stripped[-1] != "+":
                problems.append("row %d: an ASCII box border that does not reach column %d"
                                % (i, cols))
    return problems


class Runner:
    """One scene in its own tmux server."""

    serial = 0

    def __init__(self, scene, esmcfg, terminfo=None, verbose=False):
        self.scene = scene
        self.esmcfg = os.path.abspath(esmcfg) if os.sep in esmcfg else esmcfg
        self.terminfo = terminfo
        self.verbose = verbose
        Runner.serial += 1
        self.socket = "esmcfg-shot-%d-%d-%s" % (os.getpid(), Runner.serial, scene.name)
        self.tmp = tempfile.mkdtemp(prefix="esmcfg-scene-")
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)
        self.rc_file = os.path.join(self.tmp, "rc")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-f", "/dev/null", "-L", self.socket] + list(args),
                              check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)

    def expand(self, word):
        return (word.replace("$SRCDIR", SRCDIR).replace("$WORK", self.work)
                .replace("$PATH", os.environ.get("PATH", "/usr/bin:/bin")))

    def start(self):
        s = self.scene
        shutil.copytree(os.path.join(SRCDIR, "examples"), os.path.join(self.work, "examples"))
        for name, content in s.files:
            path = os.path.join(self.work, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content + "\n")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.work}
        env.update(BASE_ENV)
        for k, v in s.env.items():
            if v == "":
                env.pop(k, None)
            else:
                env[k] = self.expand(v)
        if self.terminfo:
            env["TERMINFO"] = self.terminfo
        argv = [self.esmcfg] + [self.expand(a) for a in s.args]
        cmd = "cd %s && env -i %s %s; echo $? > %s; exec sleep 600" % (
            shlex.quote(self.work),
            " ".join(shlex.quote("%s=%s" % kv) for kv in sorted(env.items())),
            " ".join(shlex.quote(a) for a in argv), shlex.quote(self.rc_file))
        self.tmux("new-session", "-d", "-s", "scene", "-x", str(s.cols), "-y", str(s.rows),
                  "/bin/sh -c %s" % shlex.quote(cmd))
        self.tmux("set-option", "-t", "scene", "status", "off", check=False)

    def capture(self, codes=False):
        args = ["capture-pane", "-p", "-t", "scene"]
        if codes:
            args += ["-e", "-N"]
        return self.tmux(*args).stdout

    def cursor(self):
        out = self.tmux("display-message", "-p", "-t", "scene",
                        "#{cursor_flag} #{cursor_x} #{cursor_y}").stdout.split()
        if len(out) == 3 and out[0] == "1":
            return int(out[1]), int(out[2])
        return None

    def exited(self):
        return os.path.exists(self.rc_file)

    def wait(self, pred, what, timeout=5.0):
        end = time.time() + timeout
        while True:
            text = self.capture()
            if pred(text):
                return text
            if time.time() > end or self.exited():
                raise SceneError("timed out waiting for %s" % what)
            time.sleep(0.05)

    def run_steps(self):
        self.wait(lambda t: t.strip() != "", "the first frame")
        for word, text, lineno in self.scene.steps:
            if self.verbose:
                print("  %s: %s %s" % (self.scene.name, word, text), file=sys.stderr)
            try:
                if word == "keys":
                    for k in text.split():
                        self.tmux("send-keys", "-t", "scene", k)
                        time.sleep(0.05)
                elif word == "type":
                    self.tmux("send-keys", "-t", "scene", "-l", text)
                elif word == "wait":
                    self.wait(lambda t, s=text: s in t, repr(text))
                elif word == "gone":
                    self.wait(lambda t, s=text: s not in t, "%r to go away" % text)
                elif word == "sleep":
                    time.sleep(float(text))
            except SceneError as e:
                raise SceneError("line %d (%s %s): %s" % (lineno, word, text, e))
        if self.exited():
            raise SceneError("esmcfg exited (status %s)" % open(self.rc_file).read().strip())

    def settle(self, timeout=5.0):
        """Wait for every expected string, then for two equal captures."""
        s = self.scene
        try:
            self.wait(lambda t: all(e in t for e in s.expect), "the expected text", timeout)
        except SceneError:
            pass  # reported by check()
        last = None
        end = time.time() + 2.0
        while time.time() < end:
            cur = self.capture(codes=True)
            if cur == last:
                break
            last = cur
            time.sleep(0.15)

    def check(self, text):
        s = self.scene
        problems = ["missing %r" % e for e in s.expect if e not in text]
        problems += ["shows %r, which it must not" % a for a in s.absent if a in text]
        problems += check_edges(text, s.cols, s.rows)
        return problems

    def close(self):
        sock = self.tmux("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
        self.tmux("kill-server", check=False)
        if sock and os.path.basename(sock) == self.socket:
            try:
                os.unlink(sock)
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def bce_free_terminfo(terms, tmp):
    """A terminfo directory holding TERMS without `bce`. tmux's
    capture-pane leaves out cells that an erase (EL, ECH, ED) coloured
    with the background; without bce ncurses writes those cells as
    coloured spaces instead, which the capture keeps. On screen the two
    are the same picture."""
    src = os.path.join(tmp, "src")
    os.makedirs(src)
    done = set()
    for term in terms:
        if term in done:
            continue
        done.add(term)
        out = subprocess.run(["infocmp", "-x", "-1", term], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        if out.returncode != 0:
            continue
        lines = [l for l in out.stdout.splitlines() if l.strip() != "bce,"]
        path = os.path.join(src, term + ".src")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run(["tic", "-x", "-o", tmp, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return tmp


def run_scene(scene, esmcfg, codes=False, terminfo=None, verbose=False):
    """(plain text, ANSI text or None, cursor, problems)."""
    r = Runner(scene, esmcfg, terminfo=terminfo, verbose=verbose)
    try:
        r.start()
        try:
            r.run_steps()
        except SceneError as e:
            return r.capture(), None, None, [str(e)]
        r.settle()
        ansi = r.capture(codes=True) if codes else None
        cursor = r.cursor() if codes else None
        text = r.capture()
        return text, ansi, cursor, r.check(text)
    finally:
        r.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esmcfg", default=os.environ.get("ESMCFG"),
                    help="the binary (default: $ESMCFG, else build/esmcfg)")
    ap.add_argument("--scenes", default=os.path.join(HERE, "scenes.txt"))
    ap.add_argument("--out", default=HERE, help="where NAME.png etc. go")
    ap.add_argument("--only", help="comma-separated scene names")
    ap.add_argument("--text", action="store_true", help="write NAME.txt")
    ap.add_argument("--html", action="store_true", help="write NAME.html")
    ap.add_argument("--png", action="store_true", help="write NAME.png (headless Chromium)")
    ap.add_argument("--list", action="store_true", help="print NAME<TAB>caption and stop")
    ap.add_argument("--captions", action="store_true",
                    help="print the README lines ![caption](screenshots/NAME.png)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)

    try:
        scenes = parse(a.scenes)
    except SceneError as e:
        print("scenes: %s" % e, file=sys.stderr)
        return 2
    if a.only:
        want = a.only.split(",")
        unknown = [w for w in want if w not in {s.name for s in scenes}]
        if unknown:
            print("scenes: no scene %s" % ", ".join(unknown), file=sys.stderr)
            return 2
        scenes = [s for s in scenes if s.name in want]
    if a.list or a.captions:
        for s in scenes:
            if a.list:
                print("%s\t%s" % (s.name, s.caption))
            else:
                print("![%s](screenshots/%s.png)" % (s.caption, s.name))
        return 0
    esmcfg = a.esmcfg or os.path.join(SRCDIR, "build", "esmcfg")
    if not os.access(esmcfg, os.X_OK):
        print("scenes: no esmcfg binary at %s (--esmcfg or $ESMCFG)" % esmcfg, file=sys.stderr)
        return 2
    esmcfg = os.path.abspath(esmcfg)
    if not shutil.which("tmux"):
        print("scenes: tmux is not installed", file=sys.stderr)
        return 2

    pictures = a.html or a.png
    terminfo = None
    tmp = tempfile.mkdtemp(prefix="esmcfg-shots-")
    try:
        if pictures:
            import ansi2html
            terms = [s.env.get("TERM", BASE_ENV["TERM"]) for s in scenes]
            terminfo = bce_free_terminfo(terms, os.path.join(tmp, "terminfo"))
        os.makedirs(a.out, exist_ok=True)
        failed = 0
        for s in scenes:
            text, ansi, cursor, problems = run_scene(s, esmcfg, codes=pictures,
                                                     terminfo=terminfo, verbose=a.verbose)
            status = "ok" if not problems else "FAIL"
            print("%-20s %-4s %dx%d  %s" % (s.name, status, s.cols, s.rows, s.caption),
                  flush=True)
            if problems:
                failed += 1
                for p in problems:
                    print("    %s" % p)
                print("    the screen was:\n" + "\n".join("    | " + l for l in
                                                          text.rstrip("\n").split("\n")),
                      flush=True)
                continue
            base = os.path.join(a.out, s.name)
            if a.text:
                with open(base + ".txt", "w", encoding="utf-8") as f:
                    f.write(text)
            if pictures:
                html_path = base + ".html" if a.html else os.path.join(tmp, s.name + ".html")
                page = ansi2html.Page(s.cols, s.rows)
                page.feed(ansi)
                if cursor:
                    page.cursor(*cursor)
                with open(html_path, "w", encoding="utf-8") as f:
                    f.write(page.html(title="esmcfg: " + s.caption))
                if a.png:
                    ansi2html.screenshot(html_path, base + ".png", page, tmp)
        if failed:
            print("%d of %d scene(s) failed" % (failed, len(scenes)), file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    sys.exit(main())
