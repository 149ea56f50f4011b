#!/usr/bin/env python3
"""Drive a terminal program in a pseudo-terminal and count what it sends.

What an SSH user feels: the time from exec until the first complete screen
has been written to the terminal, its size in bytes, and for each keystroke
the bytes written back until the screen goes quiet.  The same driver runs
esmcfg, dialog and whiptail, so that their figures compare.

As a library (bench/report.py):   run(cmd, keys, cols, rows, ...) -> dict
As a command, to look at one run:
    bench/ptyrun.py [--size 80x24] [--keys 'j,j,5,ENTER'] [--dump] -- CMD...
Keys are comma-separated names (see KEYS) or literal characters.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

# What an xterm in keypad-transmit mode (smkx, which curses programs set)
# sends for each key.
KEYS = {
    "UP": b"\x1bOA", "DOWN": b"\x1bOB", "RIGHT": b"\x1bOC", "LEFT": b"\x1bOD",
    "TAB": b"\t", "BTAB": b"\x1b[Z", "ENTER": b"\r", "ESC": b"\x1b",
    "BS": b"\x7f", "SPACE": b" ", "F1": b"\x1bOP", "F2": b"\x1bOQ", "F3": b"\x1bOR",
    "F4": b"\x1bOS", "F10": b"\x1b[21~", "HOME": b"\x1bOH", "END": b"\x1bOF",
    "COMMA": b",", "CTRL-U": b"\x15", "CTRL-Q": b"\x11",
}


def key_bytes(name):
    return KEYS.get(name, name.encode())


def parse_keys(spec):
    return [k for k in spec.split(",") if k] if spec else []


def _read_until_quiet(fd, quiet_s, limit_s, t_ref):
    """Bytes until nothing has come for QUIET_S (after at least one byte), or
    LIMIT_S (nothing at all); and the time of the last byte relative to
    T_REF."""
    buf = bytearray()
    start = time.perf_counter()
    last = None
    while True:
        now = time.perf_counter()
        if now - start > limit_s:
            break
        wait = quiet_s if last is not None else limit_s - (now - start)
        r, _, _ = select.select([fd], [], [], max(0.0, wait))
        if not r:
            if last is not None:
                break
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        last = time.perf_counter()
    return bytes(buf), ((last if last is not None else start) - t_ref)


def _env(extra):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(extra or {})
    return env


def run(cmd, keys=(), cols=80, rows=24, quiet_ms=120, env=None, end_keys=(),
        wait_exit=2.0, key_quiet_ms=None, key_limit_s=1.0):
    """Run CMD in a COLSxROWS pty; type KEYS one at a time; then END_KEYS
    (not measured); then SIGTERM if still running.  A key that brings no
    output at all costs KEY_LIMIT_S of waiting.  Returns a dict:
    first_ms, first_bytes, first (the bytes), per_key [{key, bytes, ms, out}],
    status (the wait status)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    e = _env(env)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(master)
            if slave > 2:
                os.close(slave)
            os.execvpe(cmd[0], cmd, e)
        finally:
            os._exit(127)
    os.close(slave)
    first, first_s = _read_until_quiet(master, quiet_ms / 1000, 15, t0)
    per = []
    kq = (key_quiet_ms or quiet_ms) / 1000
    for k in keys:
        os.write(master, key_bytes(k))
        t = time.perf_counter()
        out, dt = _read_until_quiet(master, kq, key_limit_s, t)
        per.append({"key": k, "bytes": len(out), "ms": round(dt * 1000, 3), "out": out})
    for k in end_keys:
        os.write(master, key_bytes(k))
        _read_until_quiet(master, kq, kq, time.perf_counter())
    status = None
    end = time.perf_counter() + wait_exit
    while time.perf_counter() < end:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = st
            break
        # keep draining so the child never blocks on a full pty
        r, _, _ = select.select([master], [], [], 0.02)
        if r:
            try:
                os.read(master, 65536)
            except OSError:
                pass
    if status is None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        end = time.perf_counter() + 30
        while status is None and time.perf_counter() < end:
            p, st = os.waitpid(pid, os.WNOHANG)
            if p:
                status = st
                break
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    os.read(master, 65536)
                except OSError:
                    pass
        if status is None:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    os.close(master)
    return {"first_ms": round(first_s * 1000, 3), "first_bytes": len(first), "first": first,
            "per_key": per, "status": status}


def main():
    args = sys.argv[1:]
    cols, rows, keys, dump = 80, 24, [], False
    while args and args[0] != "--":
        a = args.pop(0)
        if a == "--size":
            cols, rows = map(int, args.pop(0).split("x"))
        elif a == "--keys":
            keys = parse_keys(args.pop(0))
        elif a == "--dump":
            dump = True
        else:
            sys.exit(__doc__)
    r = run(args[1:], keys, cols, rows)
    print("first frame: %.1f ms, %d bytes" % (r["first_ms"], r["first_bytes"]))
    if dump:
        print("  " + repr(r["first"]))
    for p in r["per_key"]:
        print("%-8s %6d bytes %8.2f ms" % (p["key"], p["bytes"], p["ms"]))
        if dump:
            print("  " + repr(p["out"]))


if __name__ == "__main__":
    main()
