#!/usr/bin/env python3
"""ctest entry: for random configurations AWS accepts, esmcfg's CloudFormation
mapping has the same effective properties as the one aws-cdk-lib's
DynamoEventSource synthesizes (tests/oracle/cdk_equiv.py, tests/oracle/cdk/).
Installs aws-cdk-lib from tests/oracle/cdk/package-lock.json on first run
(needs node and npm).

Env: ESMCFG (the binary), SRCDIR (the repo); ORACLE_CDK_N (configurations,
default 100), ORACLE_SEED (reproduce a run; default: a new seed, printed)."""
import os
import sys

SRCDIR = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "oracle"))

import cdk_equiv  # noqa: E402

if __name__ == "__main__":
    sys.exit(cdk_equiv.main(sys.argv[1:]))
