#!/usr/bin/env python3
"""The documentation generated from the option table stays true to it:

- man/esmcfg.1 and completions/esmcfg.bash are what scripts/gendocs.py
  writes from the binary now (stale files fail: rerun the script);
- every option of the table, and every program flag, is in --help, in the
  man page and in the completion, as is every exit code;
- --list-options holds every field a script needs, for every option;
- the man page renders without a groff warning;
- the completion completes flags, enum values, booleans after '=',
  formats, option names and file names.

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ESMCFG = os.environ.get("ESMCFG", "build/esmcfg")
SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MAN = os.path.join("man", "esmcfg.1")
COMPLETION = os.path.join("completions", "esmcfg.bash")
FAILURES = []
CHECKS = [0]
OPTION_FIELDS = {"flag", "name", "label", "group", "names", "type", "metavar", "value", "unit",
                 "limits", "special", "default", "allowed", "required", "always_export",
                 "repeatable", "choices", "update", "help", "long_help"}


def expect(cond, msg):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def output(*args):
    return subprocess.run([ESMCFG, *args], capture_output=True, text=True, check=True,
                          stdin=subprocess.DEVNULL).stdout


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_fresh(tmp):
    """The committed files are what the generator writes now."""
    subprocess.run([sys.executable, os.path.join(SRCDIR, "scripts", "gendocs.py"), ESMCFG,
                    "--out", tmp], check=True, capture_output=True)
    for rel in (MAN, COMPLETION):
        expect(read(os.path.join(tmp, rel)) == read(os.path.join(SRCDIR, rel)),
               f"{rel} is stale: run scripts/gendocs.py BUILD/esmcfg and commit it")


def man_flag(flag):
    """FLAG as the man page writes it: \\fB\\-\\-batch\\-size\\fR."""
    return "\\fB" + flag.replace("-", "\\-") + "\\fR"


def check_coverage(doc):
    """Every option and program flag in --help, the man page and the completion."""
    help_text = output("--help")
    man = read(os.path.join(SRCDIR, MAN))
    completion = read(os.path.join(SRCDIR, COMPLETION))
    flags = [o["flag"] for o in doc["options"]] + [f["flag"] for f in doc["flags"]]
    for flag in flags:
        expect(re.search(r"^  (-., )?" + re.escape(flag) + r"([ [=]|$)", help_text, re.M),
               f"--help lacks {flag}")
        expect(man_flag(flag) in man, f"the man page lacks {flag}")
        expect(re.search(r"[ \"|]" + re.escape(flag) + r"[ \"|)]", completion),
               f"the completion lacks {flag}")
    for o in doc["options"]:
        for choice in o["choices"] or []:
            expect(choice in completion, f"the completion lacks {o['flag']}'s value {choice}")
        expect(o["names"]["api"] in man, f"the man page lacks {o['names']['api']}")
    codes = re.findall(r"^  (\d)  ", help_text.split("Exit codes:")[1], re.M)
    expect(codes == ["0", "1", "2", "3", "4"], f"--help's exit codes: {codes}")
    for code in codes:
        expect(f".TP\n\\fB{code}\\fR\n" in man, f"the man page lacks exit code {code}")


def check_list_options(doc):
    """--list-options: every field for every option, names unique."""
    names = [o["name"] for o in doc["options"]]
    expect(len(names) == len(set(names)) and len(names) > 10, f"option names: {names}")
    for o in doc["options"]:
        expect(OPTION_FIELDS <= set(o), f"{o['flag']} lacks {OPTION_FIELDS - set(o)}")
        expect(set(o["names"]) >= {"cdk", "snake", "api", "cfn"}, f"{o['flag']}: {o['names']}")
        if o["type"] in ("int", "duration"):
            expect({"min", "max"} <= set(o["limits"]), f"{o['flag']}: limits {o['limits']}")
            expect(isinstance(o["default"]["value"], int), f"{o['flag']}: default {o['default']}")
        if o["type"] in ("enum", "enum-list"):
            expect(bool(o["choices"]), f"{o['flag']}: no choices")
    ra = [o for o in doc["options"] if o["name"] == "retry-attempts"][0]
    expect(ra["special"] == {"value": -1, "name": "infinite"}, f"retry-attempts: {ra['special']}")
    immutable = sorted(o["name"] for o in doc["options"] if o["update"]["immutable"])
    expect(immutable == ["starting-position", "table"], f"immutable options: {immutable}")
    fmts = [f["name"] for f in doc["formats"]]
    expect("update-json" in fmts, f"formats: {fmts}")
    # the screen's keys, from the key table, for the man page's KEYS
    keys = {(k["section"], k["keys"]) for k in doc["keys"]}
    for want in (("On the form", "F2, Ctrl-S"), ("On the form", "F7, Ctrl-D"),
                 ("In the filters list", "t"), ("Editing a value", "Esc")):
        expect(want in keys, f"--list-options keys lack {want}")
    expect(all(k["does"] for k in doc["keys"]), "a key without what it does")


def check_man_renders():
    """groff formats the page without a warning."""
    if not shutil.which("groff"):
        print("skip: groff is not installed")
        return
    p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(SRCDIR, MAN)],
                       capture_output=True, text=True)
    expect(p.returncode == 0 and p.stderr == "", f"groff: {p.stderr}")


def complete(words, cwd):
    """What the completion offers for WORDS (the last one being completed)."""
    script = (f"source {json.dumps(os.path.join(SRCDIR, COMPLETION))}\n"
              "COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); _esmcfg\n"
              "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    p = subprocess.run(["bash", "-c", script, "bash", *words], capture_output=True, text=True,
                       cwd=cwd, check=True)
    return [w for w in p.stdout.split("\n") if w]


def check_completion(doc, tmp):
    """The completion's answers for flags, values and files."""
    open(os.path.join(tmp, "esm.json"), "w").close()
    options = [o["name"] for o in doc["options"]]
    fmts = [f["name"] for f in doc["formats"]]
    cases = [
        (["esmcfg", "--starting-pos"], ["--starting-position"]),
        (["esmcfg", "--starting-position", ""], ["TRIM_HORIZON", "LATEST"]),
        (["esmcfg", "--metrics", ""], ["EventCount"]),
        (["esmcfg", "--enabled", "=", "f"], ["false"]),
        (["esmcfg", "--report-batch-item-failures=t"], ["--report-batch-item-failures=true"]),
        (["esmcfg", "--format", ""], fmts),
        (["esmcfg", "--unset", ""], options),
        (["esmcfg", "--focus", "batch-s"], ["batch-size"]),
        (["esmcfg", "--load", "es"], ["esm.json"]),
        (["esmcfg", "--check", "es"], ["esm.json"]),
        (["esmcfg", "-o", "es"], ["esm.json"]),
        (["esmcfg", "--batch-size", ""], []),
    ]
    for words, want in cases:
        got = complete(words, tmp)
        expect(got == want, f"completing {words[1:]}: {got}, want {want}")
    every = complete(["esmcfg", "--"], tmp)
    for o in doc["options"]:
        expect(o["flag"] in every, f"'--' does not complete to {o['flag']}")


def main():
    doc = json.loads(output("--list-options"))
    with tempfile.TemporaryDirectory() as tmp:
        check_fresh(tmp)
        check_coverage(doc)
        check_list_options(doc)
        check_man_renders()
        check_completion(doc, tmp)
    if FAILURES:
        print(f"script_docs.py: {len(FAILURES)} of {CHECKS[0]} checks failed", file=sys.stderr)
        return 1
    print(f"script_docs.py: {CHECKS[0]} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
