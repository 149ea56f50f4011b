#!/usr/bin/env python3
"""The screen's preset (F6) and apply to AWS (F7), driven through tmux as
a person would, with the replacement aws of tests/fixtures/apply first on
PATH: apply the safe preset, pick the on-failure destination it asks for,
apply to "AWS" and read aws's answer on screen; for an existing mapping
the plan offers the update; a refused create shows aws's words; an
invalid mapping is refused before aws runs.

Environment: ESMCFG (the binary), SRCDIR, FIXTURES."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tui_screen as ts  # noqa: E402  (its Screen and tmux helpers)

FAKE = os.path.join(os.environ.get("FIXTURES", os.path.join(ts.SRCDIR, "tests", "fixtures")),
                    "apply")
STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
UUID = "6d9bce8e-836b-442c-8070-74e77903c815"


def aws_env(tmp, scenario):
    return {"PATH": FAKE + ":" + os.environ["PATH"], "FAKE_AWS_SCENARIO": scenario,
            "FAKE_AWS_LOG": os.path.join(tmp, "aws.log")}


def calls(tmp):
    path = os.path.join(tmp, "aws.log")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def reset_log(tmp):
    open(os.path.join(tmp, "aws.log"), "w").close()


def test_preset_then_create(tmp):
    reset_log(tmp)
    s = ts.Screen(tmp, ts.BASE, 100, 30, env=aws_env(tmp, "none"), name="create")
    s.keys("F6")
    s.see(lambda t: "Preset: safe" in t and "You pick:" in t and "It sets:" in t,
          "F6 lists what the preset sets and what to pick")
    s.keys("y")
    screen = s.see("Now pick On-failure destination", "y says what is left to pick")
    ts.expect("Bisect on error         true" in screen, "the preset set bisect", screen)
    s.keys("Enter")
    s.see("orders-stream-dlq", "Enter on the focused row opens its picker")
    s.type("orders-stream")
    s.keys("Down", "Enter")
    s.see(lambda t: "orders-stream-dlq (SQS queue)" in t, "the destination is picked")
    s.keys("F7")
    s.see(lambda t: "Apply to AWS: the plan" in t and "Create it" in t,
          "F7 shows the plan with the create question")
    screen = s.text()
    ts.expect("Retry attempts" in screen and "orders-stream-dlq" in screen,
              "the plan lists the values", screen)
    s.keys("y")
    s.see(lambda t: "AWS's answer" in t and '"State": "Creating"' in t,
          "y shows aws's answer as it is", 8)
    s.see("Applied: the mapping was created", "the message line says done")
    got = calls(tmp)
    ts.expect([c["argv"][1] for c in got] == ["list-event-source-mappings",
                                             "create-event-source-mapping"],
              "aws was asked to list, then to create: %r" % [c["argv"] for c in got])
    req = got[-1]["request"] if got else {}
    ts.expect(req.get("BisectBatchOnFunctionError") is True and
              req.get("MaximumRetryAttempts") == 3 and
              "orders-stream-dlq" in json.dumps(req.get("DestinationConfig")),
              "the request carries the preset and the destination: %r" % req)
    s.keys("Escape", "q")
    ts.expect(s.rc() == 0, "quit after a successful apply exits 0 without asking")
    s.close()


def test_existing_offers_update(tmp):
    reset_log(tmp)
    args = ["--table", STREAM, "--function", "process-orders", "--starting-position", "LATEST",
            "--batch-size", "500"]
    s = ts.Screen(tmp, args, 80, 24, env=aws_env(tmp, "exists"), name="update")
    s.keys("F7")
    screen = s.see(lambda t: "update mapping " + UUID in t and "Update this mapping" in t,
                   "an existing mapping: the plan offers the update")
    ts.expect("100 (default) -> 500" in screen, "the plan shows the change", screen)
    ts.boxes_closed(screen, 80, "plan at 80x24")
    s.keys("y")
    s.see(lambda t: '"State": "Updating"' in t, "y updates it and shows aws's answer", 8)
    got = calls(tmp)
    last = got[-1] if got else {}
    ts.expect(last.get("argv", ["", ""])[1] == "update-event-source-mapping" and
              last.get("request", {}).get("UUID") == UUID,
              "the update request names the mapping found: %r" % last)
    s.keys("Escape", "q")
    ts.expect(s.rc() == 0, "quit after the update exits 0")
    s.close()


def test_refused_and_failed(tmp):
    reset_log(tmp)
    args = ["--table", STREAM, "--function", "process-orders"]
    s = ts.Screen(tmp, args, 80, 24, env=aws_env(tmp, "conflict"), name="failed")
    s.keys("F7")
    s.see("Cannot apply yet: Starting position", "F7 refuses an invalid mapping with the reason")
    ts.expect(calls(tmp) == [], "aws did not run for an invalid mapping")
    s.keys("Left")
    s.keys("C-d")
    s.see("Create it", "Ctrl-D asks for the plan too")
    s.keys("y")
    s.see(lambda t: "ResourceConflictException" in t and "Apply failed" in t,
          "a refused create shows aws's words and says it failed", 8)
    s.keys("Escape", "q")
    s.see("Quit without exporting?", "a failed apply is no export: quitting asks")
    s.keys("y")
    ts.expect(s.rc() == 1, "quit after a failed apply exits 1")
    s.close()


def main():
    return ts.run_tests("esmcfg-apply-", (
        test_preset_then_create, test_existing_offers_update, test_refused_and_failed))


if __name__ == "__main__":
    sys.exit(main())
