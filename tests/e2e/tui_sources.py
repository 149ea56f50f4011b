#!/usr/bin/env python3
"""Where the screen's tables and functions come from, through tmux:
- a SAM template (--inventory examples/template.yaml) next to the
  account's inventory: the pickers show both (template items marked
  "template" with their logical ID), picking the template's table and
  function exports Fn::GetAtt / Ref, equal to --batch with the logical IDs;
- --merge-into: the merged template's items are references, another
  template's are refused with why;
- F5 runs live discovery with the replacement aws of tests/fixtures/discover:
  progress in the message line while keys work, Esc stops a call that never
  answers, results land in the picker, the CLI's own error is shown when
  it fails (no aws, no credentials, access denied) and names can still be
  typed; --discover that failed before the screen opened is said on it.

Environment: ESMCFG (the binary), SRCDIR (the source tree), FIXTURES."""
import os
import subprocess
import sys

import tui_screen as ts

SRCDIR = os.path.abspath(ts.SRCDIR)
TEMPLATE = os.path.join(SRCDIR, "examples", "template.yaml")
INVENTORY = os.path.join(SRCDIR, "examples", "inventory.json")
FAKE = os.path.join(os.environ.get("FIXTURES", os.path.join(SRCDIR, "tests", "fixtures")),
                    "discover")


def aws_env(scenario, path=None):
    return {"PATH": path or (FAKE + ":" + os.environ["PATH"]), "FAKE_AWS_SCENARIO": scenario,
            "AWS_REGION": "us-east-1", "ESMCFG_AWS_TIMEOUT": "60"}


def row(screen, label):
    """The form line holding LABEL."""
    for line in screen.splitlines():
        if label in line:
            return line
    return ""


def test_template_pick(tmp):
    out = os.path.join(tmp, "tpl.yaml")
    s = ts.Screen(tmp, ["--inventory", TEMPLATE, "--inventory", INVENTORY, "--format",
                        "cfn-yaml", "-o", out], 80, 24, name="tpl")
    s.keys("Enter")
    screen = s.see(lambda t: "OrdersTable (tem" in t and "us-east-1" in t,
                   "the table picker lists the template's and the account's tables")
    ts.expect("template" in row(screen, "OrdersTable"), "template rows say template", screen)
    ts.expect(" off " in row(screen, "sessions"), "sessions has no stream", screen)
    screen = s.see(lambda t: "Fn::GetAtt" in t and "OrdersTable.StreamArn" in t,
                   "the detail under the list says how the export will refer to it")
    s.keys("Enter")
    s.see(lambda t: "OrdersTable in the template" in row(t, "Table"),
          "the row shows the table and its logical ID")
    s.keys("Down", "Enter")
    s.type("ProcessOrdersFunction")
    s.see("Ref ProcessOrdersFunction", "the template's function, found by logical ID")
    s.keys("Enter")
    s.see(lambda t: "ProcessOrdersFunction" in row(t, "Function"), "the function is picked")
    s.keys("Down", "Right")
    s.keys("F2")
    s.see("Exported CloudFormation YAML", "exported")
    s.keys("q")
    ts.expect(s.rc() == 0, "exit 0 after the export")
    s.close()
    batch = subprocess.run([ts.ESMCFG, "--batch", "--inventory", TEMPLATE, "--inventory",
                            INVENTORY, "--table", "OrdersTable", "--function",
                            "ProcessOrdersFunction", "--starting-position", "TRIM_HORIZON",
                            "--format", "cfn-yaml"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    with open(out, "rb") as f:
        mine = f.read()
    ts.expect(batch.returncode == 0, "--batch with the logical IDs exits 0", batch.stderr)
    ts.expect(mine == batch.stdout, "the screen's export equals --batch's",
              mine.decode() + "\n---\n" + batch.stdout.decode())
    ts.expect(b"Fn::GetAtt:\n        - OrdersTable\n        - StreamArn" in mine,
              "the export refers to the template's table", mine.decode())


def test_merge_into(tmp):
    out = os.path.join(tmp, "merged.yaml")
    s = ts.Screen(tmp, ["--merge-into", TEMPLATE, "--inventory", INVENTORY, "-o", out],
                  80, 24, name="merge")
    s.keys("Enter")
    s.type("OrdersTable")
    s.see(lambda t: "Fn::GetAtt" in t and "OrdersTable.StreamArn" in t,
          "--merge-into the template: a reference")
    s.keys("Enter", "Down", "Enter")
    s.type("ProcessOrdersFunction")
    s.keys("Enter", "Down", "Right", "F2")
    s.see("Exported", "exported")
    s.keys("q")
    ts.expect(s.rc() == 0, "merge: exit 0")
    s.close()
    with open(out) as f:
        merged = f.read()
    with open(TEMPLATE) as f:
        original = f.read()
    ts.expect(merged.startswith(original.rstrip("\n")[:200]), "merge: the template is kept")
    ts.expect("AWS::Lambda::EventSourceMapping" in merged, "merge: the mapping is added", merged)

    other = os.path.join(tmp, "other.yaml")
    with open(other, "w") as f:
        f.write("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n"
                "    Type: AWS::SNS::Topic\n")
    s = ts.Screen(tmp, ["--merge-into", other, "--inventory", TEMPLATE, "--inventory",
                        INVENTORY], 80, 24, name="merge2")
    s.keys("Enter")
    s.type("OrdersTable")
    s.see("another template", "another template's table is refused before Enter")
    s.keys("Enter")
    s.see("Not used", "Enter on it says why")
    s.keys("Escape", "q")
    s.rc()
    s.close()


def test_discover_on_screen(tmp):
    s = ts.Screen(tmp, [], 80, 24, env=aws_env("slow"), name="disc")
    s.keys("Enter")
    s.see("F5 discovers it with the AWS CLI", "an empty picker says F5 discovers")
    s.keys("Escape", "F5")
    s.see(lambda t: "Discovering with the AWS CLI: tables 2/3" in t,
          "progress in the message line", timeout=8)
    s.see("Esc stop discovery", "the key bar says Esc stops it")
    s.keys("Down")  # keys still work while it runs
    s.see(lambda t: "Lambda function name or ARN" in t, "moving works meanwhile")
    s.keys("Up", "Enter")
    s.see("discovering: tables 2/3", "the picker says discovery runs")
    s.keys("Escape", "Escape")
    s.see("Discovery stopped: ", "Esc on the form stops it")
    s.keys("Enter")
    s.see(lambda t: "orders" in t and "events" in t and "aws CLI" in t,
          "what answered is in the picker")
    s.keys("Escape", "q")
    ts.expect(s.rc() == 1, "disc: exit 1")
    s.close()

    s = ts.Screen(tmp, [], 80, 24, env=aws_env("success"), name="disc2")
    s.keys("Down", "F5")
    s.see("Discovery done", "success: done", timeout=10)
    s.keys("Enter")
    s.see(lambda t: "process-orders" in t and "python3.12" in t and "us-east-1" in t,
          "success: the function picker shows runtime and region")
    s.keys("Escape", "q")
    s.rc()
    s.close()


def test_discover_failures(tmp):
    s = ts.Screen(tmp, [], 80, 24, env=aws_env("access-denied"), name="denied")
    s.keys("F5")
    s.see(lambda t: "An error occurred (AccessDeniedException)" in t and "ListTables" in t,
          "access denied: the CLI's own error", timeout=10)
    # names can still be typed
    s.keys("Enter")
    s.type("arn:aws:dynamodb:us-east-1:123456789012:table/typed/stream/2026-02-02T00:00:00.000")
    s.keys("Enter")
    s.see(lambda t: "typed" in row(t, "Table"), "a stream ARN typed by hand is used")
    s.keys("q", "y")
    s.rc()
    s.close()

    s = ts.Screen(tmp, [], 80, 24, env=aws_env("none", path="/usr/bin:/bin"), name="noaws")
    s.keys("F5")
    s.see("aws CLI not found on PATH", "no aws: said as the CLI says it")
    s.keys("q")
    s.rc()
    s.close()

    s = ts.Screen(tmp, [], 80, 24, env=aws_env("no-credentials"), name="nocreds")
    s.keys("F5")
    s.see("Unable to locate credentials", "no credentials: the CLI's words", timeout=10)
    s.keys("q")
    s.rc()
    s.close()

    # --discover before the screen opened, and failed: said on the screen
    s = ts.Screen(tmp, ["--discover"], 80, 24, env=aws_env("access-denied"), name="before")
    s.see(lambda t: "--discover: aws dynamodb list-tables: An error occurred" in t,
          "--discover's failure is on the screen", timeout=10)
    s.keys("q")
    s.rc()
    s.close()


def main():
    return ts.run_tests("esmcfg-src-", (
        test_template_pick, test_merge_into, test_discover_on_screen, test_discover_failures))


if __name__ == "__main__":
    sys.exit(main())
