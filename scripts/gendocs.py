#!/usr/bin/env python3
"""Generate the man page (man/esmcfg.1) and the bash completion
(completions/esmcfg.bash) from the option table, as the built binary
describes it: `esmcfg --list-options` (every option, program flag and
format) and `esmcfg --help` (the exit codes). Nothing about an option is
written here; only the prose around the table is.

    scripts/gendocs.py BUILD/esmcfg            rewrite both files in the tree
    scripts/gendocs.py BUILD/esmcfg --out DIR  write them under DIR instead
                                               (the test compares the two)
"""

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAN_PATH = os.path.join("man", "esmcfg.1")
COMPLETION_PATH = os.path.join("completions", "esmcfg.bash")

# Values a BOOL takes (model/value.c); the completion offers the plain pair.
BOOL_WORDS = ["true", "false"]
# Metavars whose value is a file name.
FILE_METAVARS = {"FILE", "TEMPLATE"}


def run(binary, *args):
    """The binary's stdout for ARGS; fails loudly."""
    p = subprocess.run([binary, *args], capture_output=True, text=True, check=True,
                       stdin=subprocess.DEVNULL)
    return p.stdout


def exit_codes(help_text):
    """[(code, meaning)] from the "Exit codes:" part of --help."""
    part = help_text.split("\nExit codes:\n", 1)[1]
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^  (\d)  (.*)$", part, re.M)]


# ---- roff ----

def roff(text):
    """TEXT escaped for roff: backslashes, hyphens (as \\-), leading dots."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def sentence(text):
    """TEXT with a capital first letter and a final period."""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def option_synopsis(o):
    """`--batch-size N` / `--enabled[=BOOL]` in roff."""
    flag = f"\\fB{roff(o['flag'])}\\fR"
    if o["value"] == "optional":
        return f"{flag}[=\\fI{roff(o['metavar'])}\\fR]"
    return f"{flag} \\fI{roff(o['metavar'])}\\fR"


def option_names(o):
    """"CDK: batchSize; API: BatchSize; CloudFormation: BatchSize"."""
    n = o["names"]
    parts = []
    if n["cdk"]:
        parts.append(f"CDK: {n['cdk']} ({n['snake']})")
    parts.append(f"API: {n['api']}")
    parts.append(f"CloudFormation: {n['cfn']}")
    if n.get("terraform"):
        parts.append(f"Terraform: {n['terraform']}")
    if n.get("sam"):
        parts.append(f"SAM: {n['sam']}")
    if n["api_read"]:
        parts.append(f"get\\-event\\-source\\-mapping output: {n['api_read']}")
    return "; ".join(p if "\\-" in p else roff(p) for p in parts) + "."


def option_entry(o):
    """One .TP entry of the options list."""
    lines = [".TP", option_synopsis(o) + ("  (repeatable)" if o["repeatable"] else "")]
    lines.append(roff(sentence(o["help"])) + " " + roff(o["long_help"]))
    lines.append(".br")
    lines.append(roff(("Required: " if o["required"] else "Allowed: ") + o["allowed"] + "."))
    if o["update"]["note"]:
        lines.append(".br")
        lines.append(roff("Updating: " + o["update"]["note"] + "."))
    lines.append(".br")
    lines.append(option_names(o))
    return lines


def flag_entry(f):
    """One .TP entry of the program flags."""
    head = f"\\fB{roff(f['flag'])}\\fR"
    if f["short"]:
        head = f"\\fB{roff(f['short'])}\\fR, " + head
    if f["metavar"]:
        head += f" \\fI{roff(f['metavar'])}\\fR"
    if f["repeatable"]:
        head += "  (repeatable)"
    return [".TP", head, roff(sentence(f["help"]))]


DESCRIPTION = """\
esmcfg configures one AWS Lambda event source mapping that reads a DynamoDB
stream: the options of aws-cdk-lib's DynamoEventSource and of
CloudFormation's AWS::Lambda::EventSourceMapping. Without --batch it opens a
form on the terminal (/dev/tty) with every option range-checked as it is
typed and a preview of the export; with --batch it validates the options
given as flags and writes the export, for scripts.
.PP
The export goes to standard output, to -o FILE (written atomically), or to
the file descriptor of --output-fd N. The screen is drawn on /dev/tty, so
x=$(esmcfg ...) captures the export while a person uses the screen. Nothing
is written when esmcfg exits with a status other than 0, and an existing
output file is never left half-written.
.PP
DUR is whole seconds: 90, 30s, 5m, 1h, 7d, 1h30m or ISO 8601 (PT5M, P7D).
BOOL is true, false, yes, no, on, off, 1 or 0; a bare boolean flag means true,
and a value must follow '=' (--enabled=false)."""

COMING_BACK = """\
--load FILE starts from an earlier export (json, cfn-json or cfn-yaml) or
from the output of aws lambda get-event-source-mapping or
list-event-source-mappings (JSON or YAML); the kind is told from the
content. Its values go through the same checks as flags, and each problem is
reported with where it is: FILE:LINE: PATH: message, PATH being the JSON path
of the property. Flags given with --load override the loaded values; a
repeatable flag (--filter, --tag) replaces the loaded list (--filter ''
empties it), and --unset OPTION puts an option back to AWS's default.
Export, load and export again gives the same bytes.
.PP
A list with several DynamoDB stream mappings needs --uuid to pick one; a
template with several mappings needs --logical-id.
.PP
A mapping loaded from AWS output has a UUID: --format update-json then writes
the UpdateEventSourceMapping request (aws lambda update-event-source-mapping
--cli-input-json file://FILE), with an explicit clearing value for every
option that was removed since it was loaded (FilterCriteria {},
DestinationConfig {}, KMSKeyArn "", retries -1, ...). Options AWS cannot
change on an existing mapping are refused with the reason, and are read-only
on the screen.
.PP
--check FILE validates a file as esmcfg would export it (any format, or AWS
output): unknown properties, each value, the required options, the rules
across options and a template's IAM policy. Every problem is printed with
where it is; the exit status is 0 or 3."""

EXAMPLES = [
    ("Export the API request for a stream, in a script:",
     "esmcfg \\-\\-batch \\-\\-table \"$STREAM_ARN\" \\-\\-function process\\-orders \\e\n"
     "    \\-\\-starting\\-position LATEST \\-\\-batch\\-size 500 > esm.json\n"
     "aws lambda create\\-event\\-source\\-mapping \\-\\-cli\\-input\\-json file://esm.json"),
    ("Let a person fill in the rest, and capture the template:",
     "tpl=$(esmcfg \\-\\-inventory inv.json \\-\\-table orders \\-\\-format cfn\\-yaml \\-o \\-) ||\n"
     "    echo \"cancelled: $?\""),
    ("As dialog(1) does, with the export on file descriptor 3:",
     "esmcfg \\-\\-load esm.json \\-\\-output\\-fd 3 3>new.json"),
    ("Change an existing mapping: remove its on\\-failure destination and raise the\n"
     "batch size:",
     "aws lambda get\\-event\\-source\\-mapping \\-\\-uuid \"$UUID\" |\n"
     "    esmcfg \\-\\-batch \\-\\-load \\- \\-\\-unset on\\-failure \\-\\-batch\\-size 500 \\e\n"
     "    \\-\\-format update\\-json > update.json\n"
     "aws lambda update\\-event\\-source\\-mapping \\-\\-cli\\-input\\-json file://update.json"),
    ("Check a template before deploying it:",
     "esmcfg \\-\\-check stack.yaml"),
    ("See which of a mapping's filters a sample record passes:",
     "esmcfg \\-\\-test\\-filter examples/records/modify.json \\-\\-load esm.json"),
    ("Create the mapping with a safe start, or update the one that exists:",
     "esmcfg \\-\\-batch \\-\\-apply \\-\\-update\\-existing \\-\\-preset safe \\e\n"
     "    \\-\\-table \"$STREAM_ARN\" \\-\\-function process\\-orders \\e\n"
     "    \\-\\-starting\\-position LATEST \\-\\-on\\-failure \"$DLQ_ARN\""),
]


def preset_entries(doc):
    """The presets, each value with its reason."""
    out = []
    for p in doc.get("presets", []):
        out += [".TP", f"\\fB\\-\\-preset {roff(p['name'])}\\fR", roff(sentence(p["summary"]))]
        for s in p["settings"]:
            out += [".br", roff(f"--{s['option']} {s['value']}: {sentence(s['why'])}")]
        if p["must_pick"]:
            out += [".br", roff(f"--{p['must_pick']['option']}: yours to give: "
                                f"{sentence(p['must_pick']['why'])}")]
    return out


def key_entries(doc):
    """The screen's keys, by section, as its help screen lists them."""
    out, section = [], None
    for k in doc.get("keys", []):
        if k["section"] != section:
            section = k["section"]
            out.append(f".SS {roff(section)}")
        out += [".TP", f"\\fB{roff(k['keys'])}\\fR", roff(sentence(k["does"]))]
    return out


def prose(text):
    """A block of prose: escaped, keeping the .PP macros it holds."""
    return [line if line == ".PP" else roff(line) for line in text.split("\n")]


def man_page(doc, codes):
    """The whole man page."""
    out = [f'.TH ESMCFG 1 "" "esmcfg {doc["version"]}" "User Commands"',
           ".\\\" Generated by scripts/gendocs.py from esmcfg --list-options; do not edit.",
           ".nh", ".ad l",
           ".SH NAME",
           "esmcfg \\- configure an AWS Lambda event source mapping that reads a DynamoDB stream",
           ".SH SYNOPSIS",
           ".B esmcfg", "[\\fIOPTIONS\\fR]", ".br",
           ".B esmcfg \\-\\-batch", "[\\fIOPTIONS\\fR]", ".br",
           ".B esmcfg \\-\\-check", "\\fIFILE\\fR", ".br",
           ".B esmcfg \\-\\-list\\-options",
           ".SH DESCRIPTION"]
    out += prose(DESCRIPTION)
    out.append(".SH OPTIONS OF THE MAPPING")
    groups = []
    for o in doc["options"]:
        if o["group"] not in groups:
            groups.append(o["group"])
    for g in groups:
        out.append(f".SS {roff(g)}")
        for o in doc["options"]:
            if o["group"] == g:
                out += option_entry(o)
    out.append(".SH PROGRAM FLAGS")
    for f in doc["flags"]:
        out += flag_entry(f)
    out.append(".SH FORMATS")
    for f in doc["formats"]:
        out += [".TP", f"\\fB{roff(f['name'])}\\fR", roff(f"{f['title']} ({f['extension']})")]
    out.append(".SH PRESETS")
    out.append(roff("--preset NAME sets these values first; option flags override them."))
    out += preset_entries(doc)
    out.append(".SH KEYS")
    out.append(roff("On the screen (F1 shows the same list, with the focused option's help)."))
    out += key_entries(doc)
    out.append(".SH COMING BACK TO A MAPPING")
    out += prose(COMING_BACK)
    out.append(".SH EXIT STATUS")
    for code, meaning in codes:
        out += [".TP", f"\\fB{code}\\fR", roff(sentence(meaning))]
    out.append(".SH EXAMPLES")
    for what, cmd in EXAMPLES:
        out += [".PP", what, ".PP", ".nf", ".RS 4", cmd, ".RE", ".fi"]
    out += [".SH SEE ALSO", "\\fBaws\\fR(1), \\fBdialog\\fR(1)"]
    return "\n".join(out) + "\n"


# ---- bash completion ----

def value_words(metavar, choices, doc):
    """The words a flag's value completes to, or None for a file name."""
    if choices:
        return choices
    if metavar in FILE_METAVARS:
        return None
    if metavar == "FORMAT":
        return [f["name"] for f in doc["formats"]]
    if metavar == "OPTION":
        return [o["name"] for o in doc["options"]]
    if metavar == "BOOL":
        return BOOL_WORDS
    return []


def case_arms(entries):
    """`    --a|--b) words="x y" ;;` lines, flags with the same words together."""
    by_words = {}
    for flag, words in entries:
        key = "\x00files" if words is None else " ".join(words)
        by_words.setdefault(key, []).append(flag)
    arms = []
    for key, flags in by_words.items():
        pattern = "|".join(flags)
        if key == "\x00files":
            arms.append(f"    {pattern}) _esmcfg_files; return 0 ;;")
        else:
            arms.append(f'    {pattern}) words="{key}" ;;')
    return "\n".join(arms)


COMPLETION = """\
# bash completion for esmcfg(1).
# Generated by scripts/gendocs.py from `esmcfg --list-options`; do not edit.
# shellcheck shell=bash

# File names for FILE arguments.
_esmcfg_files()
{{
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}}

# The values of FLAG (given as a separate word or after '=').
_esmcfg_values()
{{
    local words=
    case $1 in
{value_arms}
    *) return 1 ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return 0
}}

_esmcfg()
{{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${{COMP_WORDS[COMP_CWORD - 1]}}
    COMPREPLY=()
    # --flag=value: '=' may be a word of its own (COMP_WORDBREAKS) or not.
    if [ "$cur" = "=" ] && [[ $prev == --* ]]; then
        cur=
        _esmcfg_values "$prev"
        return 0
    fi
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
        _esmcfg_values "${{COMP_WORDS[COMP_CWORD - 2]}}"
        return 0
    fi
    if [[ $cur == --*=* ]]; then
        local flag=${{cur%%=*}}
        cur=${{cur#*=}}
        _esmcfg_values "$flag" && COMPREPLY=("${{COMPREPLY[@]/#/$flag=}}")
        return 0
    fi
    case $prev in
{separate_flags}) _esmcfg_values "$prev" && return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "{all_flags}" -- "$cur")
    fi
    return 0
}}
complete -F _esmcfg esmcfg
"""


def completion(doc):
    """The whole completion script."""
    entries = []      # (flag, words) for every flag with a value
    separate = []     # flags whose value is the next word
    all_flags = []
    for o in doc["options"]:
        entries.append((o["flag"], value_words(o["metavar"], o["choices"], doc)))
        all_flags.append(o["flag"])
        if o["value"] == "required":
            separate.append(o["flag"])
    for f in doc["flags"]:
        names = [f["flag"]] + ([f["short"]] if f["short"] else [])
        all_flags += names
        if f["metavar"]:
            words = value_words(f["metavar"], None, doc)
            entries += [(n, words) for n in names]
            separate += names
    # Flags whose value is free text complete to nothing, but still take the next word.
    return COMPLETION.format(value_arms=case_arms(entries),
                             separate_flags="    " + "|".join(separate),
                             all_flags=" ".join(all_flags))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("esmcfg", help="the built esmcfg binary")
    ap.add_argument("--out", default=ROOT, help="write under this folder (default: the tree)")
    args = ap.parse_args()
    doc = json.loads(run(args.esmcfg, "--list-options"))
    codes = exit_codes(run(args.esmcfg, "--help"))
    for rel, text in ((MAN_PATH, man_page(doc, codes)), (COMPLETION_PATH, completion(doc))):
        path = os.path.join(args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
