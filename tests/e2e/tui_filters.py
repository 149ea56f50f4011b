#!/usr/bin/env python3
"""The filters list editor's templates and tester, through tmux as a person
would use them: open the Filters row, add "Attribute equals" from the
templates (a choice is picked by letter, never typed; the pattern and the
samples it matches), test the filters on the bundled MODIFY and REMOVE
samples, paste a record, load a file, back out with Esc, and export: the
exported filter is the template's pattern. A template's condition ANDed
into an existing filter. A filter that never matches warns on the Filters
row, in F1, in the list and in the export dialog, with the table's stream
view type, at 80x24 and 120x40. At 100x30, 80x24 and 40x10. The bundled
samples work from a folder without examples/ (they are in the binary).

Environment: ESMCFG (the binary), SRCDIR (the source tree)."""
import json
import os
import sys

import tui_screen as ts

BASE = ts.BASE + ["--focus", "filter"]
EVENTS = '{"eventName":["INSERT","MODIFY"]}'
SHIPPED = '{"dynamodb":{"NewImage":{"status":{"S":["SHIPPED"]}}}}'


def flat(screen):
    """The screen's words in one line: box lines out, white space collapsed."""
    for c in "|\u2502\u2503":
        screen = screen.replace(c, " ")
    return " ".join(screen.split())


def squeezed(screen):
    """The screen without box lines and white space (text wrapped anywhere)."""
    return "".join(flat(screen).split())


def open_filters(s):
    s.keys("Enter")
    return s.see("+ add (JSON)", "Enter on the Filters row opens the list")


def add_template(s):
    """Templates: pick Attribute equals, type a bad type, fix it, add."""
    s.keys("t")
    s.see("Attribute starts with", "t lists the templates")
    s.keys("Home", "Down", "Enter")
    s.see("Attribute is required", "an empty attribute is said at once")
    s.type("status")
    s.keys("Down")
    s.type("X")
    s.see("Type       < S >", "typing on a choice inserts nothing")
    s.type("b")
    s.see("Type       < BOOL >", "a letter jumps to the choice starting with it")
    s.type("s")
    s.see("Type       < S >", "and back")
    s.keys("Down")
    s.type("SHIPPED")
    s.see(lambda t: "New filter 2 (ORed with the other filters):" in flat(t)
          and SHIPPED in squeezed(t), "the filter that results is shown as it is built")
    s.see("MODIFY match", "the pattern is tried on the bundled samples")
    s.keys("Enter")
    s.see(lambda t: "added from the template" in t and "Filters (2 of at most 10)" in t,
          "Enter adds the pattern to the list")
    s.see(lambda t: "A record is sent when filter 1 OR filter 2 matches" in flat(t),
          "the list says how Lambda combines the filters")


def run_tester(s):
    """The tester on MODIFY and REMOVE, then back to the list."""
    s.keys("r")
    s.see("Bundled sample: MODIFY", "r lists the bundled samples")
    s.keys("Home", "Down", "Enter")
    s.see(lambda t: "Record: MODIFY" in t and "filters 1, 2 match" in t,
          "MODIFY is sent: both filters match")
    s.keys("Escape", "Down", "Enter")
    s.see(lambda t: "Record: REMOVE" in t and "Dropped: no filter matches" in t
          and 'eventName: the record has "REMOVE"' in t,
          "REMOVE is dropped, with why each filter does not match")
    s.keys("Escape")
    s.see("Paste a record", "Esc goes back to the samples")


def paste_and_load(s, tmp):
    """A pasted record is read once its JSON is complete; a file by path."""
    s.keys("End", "Enter")
    s.see("Paste or type a record", "the paste area opens")
    with open(os.path.join(SRCDIR, "examples", "records", "insert.json")) as f:
        record = f.read()
    path = os.path.join(tmp, "paste.json")
    with open(path, "w") as f:
        f.write(record)
    ts.tmux("load-buffer", path)
    ts.tmux("paste-buffer", "-t", s.name)
    s.see(lambda t: "Record: INSERT" in t and "Filters on the pasted text" in t,
          "the pasted record is tested when its JSON is complete")
    s.keys("Escape", "Up", "Enter")
    s.see("JSON file:", "the file prompt opens")
    event = os.path.join(tmp, "event.json")
    with open(event, "w") as f:
        json.dump({"Records": [json.loads(record)]}, f)
    s.type(event)
    s.keys("Enter")
    s.see("Record: INSERT", "the file's record is tested")
    s.keys("Escape", "Escape")
    s.see("Filters (2 of at most 10)", "Esc twice is back in the list, unchanged")


def test_templates_and_tester(tmp):
    out = os.path.join(tmp, "filters.json")
    s = ts.Screen(tmp, BASE + ["--filter", EVENTS, "-o", out], 100, 30, name="filters")
    open_filters(s)
    add_template(s)
    run_tester(s)
    paste_and_load(s, tmp)
    s.keys("Escape")
    s.keys("F2")
    s.see("Exported API JSON", "F2 exports")
    s.keys("q")
    ts.expect(s.rc() == 0, "quit after the export exits 0")
    s.close()
    with open(out) as f:
        doc = json.load(f)
    patterns = [x["Pattern"] for x in doc["FilterCriteria"]["Filters"]]
    ts.expect(patterns == [EVENTS, SHIPPED], "the export holds the template's pattern: %s"
              % patterns)


def test_esc_changes_nothing(tmp):
    s = ts.Screen(tmp, BASE, 80, 24, name="filteresc")
    open_filters(s)
    s.keys("t", "Enter")
    s.see("Event names", "the event name template asks for event names")
    s.keys("Escape", "Escape", "Escape")
    s.see(lambda t: "Filters  " in t and "none" in t, "Esc backs out with no filter added")
    s.keys("q")
    ts.expect(s.rc() == 1, "nothing changed: q quits at once with 1")
    s.close()


def test_sizes(tmp):
    # from a folder without examples/: the samples are in the binary
    for cols, rows in ((80, 24), (40, 10)):
        name = "filters%dx%d" % (cols, rows)
        s = ts.Screen(tmp, BASE + ["--filter", EVENTS], cols, rows, name=name)
        open_filters(s)
        s.keys("t")
        screen = s.see("Event name is", "%s: the templates" % name)
        ts.boxes_closed(screen, cols, name)
        s.keys("Escape", "r", "Enter")
        screen = s.see("Record: INSERT", "%s: the tester on INSERT" % name)
        ts.boxes_closed(screen, cols, name)
        s.keys("Escape", "Escape", "Escape", "q")
        ts.expect(s.rc() == 1, "%s: quit exits 1" % name)
        s.close()


def test_template_and(tmp):
    """A template's condition ANDed into filter 1: the filter shown before
    Enter, then exported."""
    out = os.path.join(tmp, "and.json")
    s = ts.Screen(tmp, BASE + ["--filter", EVENTS, "-o", out], 80, 24, name="filterand")
    open_filters(s)
    s.keys("t", "Home", "Down", "Enter")
    s.type("status")
    s.keys("Down", "Down")
    s.type("SHIPPED")
    s.keys("Down")
    s.see("Add to     < a new filter (OR) >", "Add to: a new filter by default")
    s.type("f")
    screen = s.see("Filter 1 becomes (all its fields must match):",
                   "f picks filter 1 (AND), and the result is shown before Enter")
    ts.expect(squeezed('"status": {"S": ["SHIPPED"]}') in squeezed(screen),
              "the merged filter holds the condition: %s" % screen)
    ts.boxes_closed(screen, 80, "filterand")
    s.keys("Enter")
    s.see("filter 1 now also needs", "Enter ANDs the condition into filter 1")
    s.keys("Escape", "F2")
    s.see("Exported API JSON", "F2 exports")
    s.keys("q")
    s.close()
    with open(out) as f:
        doc = json.load(f)
    patterns = [json.loads(x["Pattern"]) for x in doc["FilterCriteria"]["Filters"]]
    ts.expect(patterns == [{"eventName": ["INSERT", "MODIFY"],
                            "dynamodb": {"NewImage": {"status": {"S": ["SHIPPED"]}}}}],
              "one filter with both conditions: %s" % patterns)


NEVER = '{"dynamodb":{"NewImage":{"status":["PAID"]}}}'


def test_warnings(tmp):
    """A filter that never matches, on a KEYS_ONLY table: ~ on the Filters
    row, the warnings in F1, 1~ in the list, and the export dialog."""
    for cols, rows in ((80, 24), (120, 40)):
        name = "filterwarn%dx%d" % (cols, rows)
        args = ["--inventory", ts.INVENTORY, "--table", "inventory-levels", "--function",
                "process-orders", "--starting-position", "LATEST", "--retry-attempts", "1",
                "--on-failure", "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
                "--focus", "filter", "--filter", NEVER]
        s = ts.Screen(tmp, args, cols, rows, name=name)
        screen = s.see("~ filter 1: dynamodb.NewImage", "%s: ~ on the Filters row" % name)
        ts.boxes_closed(screen, cols, name)
        s.keys("F1")
        screen = s.see("Warning:", "%s: F1 lists the warnings" % name)
        words = flat(screen)
        ts.expect("Filters: filter 1: dynamodb.NewImage" in words,
                  "%s: F1: the attribute without its type: %s" % (name, screen))
        if rows >= 40:
            ts.expect("stream view type is KEYS_ONLY" in words,
                      "%s: F1: KEYS_ONLY carries no NewImage: %s" % (name, screen))
        s.keys("Escape", "Enter")
        screen = s.see("1~", "%s: the list marks the filter" % name)
        s.see(lambda t: "A record is sent when filter 1 matches" in flat(t),
              "%s: the list's words" % name)
        ts.boxes_closed(screen, cols, name)
        s.keys("Escape", "F2")
        screen = s.see("warnings (it exports", "%s: the export dialog lists them" % name)
        ts.expect("~ Filters: filter 1:" in flat(screen) and "dynamodb.NewImage" in screen,
                  "%s: the dialog names the filter and the path: %s" % (name, screen))
        if rows >= 40:
            ts.expect("never matches: a stream record holds an" in flat(screen),
                      "%s: the dialog says what is wrong: %s" % (name, screen))
        ts.boxes_closed(screen, cols, name)
        s.keys("Escape", "q", "n")
        s.close()


SRCDIR = ts.SRCDIR


def main():
    return ts.run_tests("esmcfg-filters-", (
        test_templates_and_tester, test_esc_changes_nothing, test_sizes, test_template_and,
        test_warnings))


if __name__ == "__main__":
    sys.exit(main())
