#!/usr/bin/env python3
"""ctest entry: random configurations get the same accept/reject answer from
esmcfg as from AWS's rules (tests/oracle/aws_rules.py), and the accepted ones
the request those rules expect.

Env: ESMCFG (the binary), SRCDIR (the repo); ORACLE_N (cases, default 300),
ORACLE_SEED (reproduce a run; default: a new seed, printed)."""
import os
import sys

SRCDIR = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "oracle"))

import aws_rules  # noqa: E402

if __name__ == "__main__":
    sys.exit(aws_rules.main(sys.argv[1:]))
