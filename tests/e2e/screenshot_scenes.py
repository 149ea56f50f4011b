#!/usr/bin/env python3
"""The README's screenshot scenes (screenshots/scenes.txt), replayed
headless: the same key sequences through tmux, text capture only, no
pictures. A scene fails when an expected string is missing, a forbidden one
shows, a box does not close at the right edge or a row is wider than the
terminal, so a change that breaks a screenshot breaks the suite first.
Also: every scene has its PNG, every PNG its scene, and every
screenshots/NAME.png the README names exists.

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import os
import re
import shutil
import sys

SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHOTS = os.path.join(SRCDIR, "screenshots")
sys.path.insert(0, SHOTS)

import scenes  # noqa: E402  (screenshots/scenes.py)


def main():
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed")
        return 77
    esmcfg = os.environ.get("ESMCFG", "esmcfg")
    failures = []
    all_scenes = scenes.parse(os.path.join(SHOTS, "scenes.txt"))
    for s in all_scenes:
        text, _, _, problems = scenes.run_scene(s, esmcfg)
        if problems:
            failures.append(s.name)
            print("FAIL: scene %s (%dx%d, screenshots/scenes.txt line %d):" %
                  (s.name, s.cols, s.rows, s.lineno), file=sys.stderr)
            for p in problems:
                print("    " + p, file=sys.stderr)
            print("\n".join("    | " + l for l in text.rstrip("\n").split("\n")),
                  file=sys.stderr)
        else:
            print("ok: %s" % s.name)

    names = {s.name for s in all_scenes}
    pngs = {f[:-4] for f in os.listdir(SHOTS) if f.endswith(".png")}
    for n in sorted(names - pngs):
        failures.append(n)
        print("FAIL: scene %s has no screenshots/%s.png (run screenshots/make.sh)" % (n, n),
              file=sys.stderr)
    for n in sorted(pngs - names):
        failures.append(n)
        print("FAIL: screenshots/%s.png has no scene in screenshots/scenes.txt" % n,
              file=sys.stderr)
    readme = os.path.join(SRCDIR, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            for ref in sorted(set(re.findall(r"screenshots/([A-Za-z0-9_.-]+\.png)", f.read()))):
                if not os.path.exists(os.path.join(SHOTS, ref)):
                    failures.append(ref)
                    print("FAIL: README.md shows screenshots/%s, which does not exist" % ref,
                          file=sys.stderr)

    if failures:
        print("%d problem(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: %d scenes" % len(all_scenes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
