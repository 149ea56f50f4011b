#!/usr/bin/env python3
"""The CDK TypeScript export compiles and gives the same mapping as the
CloudFormation export: for each case of beyond_exports.py, the snippet
(--format cdk-ts) is type-checked by tsc against aws-cdk-lib's own types
(strict, no unused imports), run with node in an App, synthesized, and its
AWS::Lambda::EventSourceMapping compared with --format cfn-json, AWS's
defaults filled in (tests/oracle/cdk_equiv.py's comparison).

Needs node and npm: aws-cdk-lib 2.276.0 and typescript come from
tests/oracle/cdk/package-lock.json (`npm ci --prefix tests/oracle/cdk`,
which this test runs when they are missing).

Env: ESMCFG, SRCDIR."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import beyond_exports as bx  # noqa: E402

CDK_DIR = bx.CDK_DIR
MODULES = os.path.join(CDK_DIR, "node_modules")


def ensure_modules():
    """aws-cdk-lib and typescript, installed from the lock file when missing."""
    if all(os.path.isdir(os.path.join(MODULES, m)) for m in ("aws-cdk-lib", "typescript")):
        return None
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        return "node and npm are needed (Node.js 18 or later) to compile and synthesize the CDK export"
    print("beyond_cdk: installing tests/oracle/cdk's packages (npm ci)", flush=True)
    p = subprocess.run([npm, "ci", "--prefix", CDK_DIR, "--no-audit", "--no-fund", "--loglevel=error"],
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        return "npm ci failed (%d): %s" % (p.returncode, p.stderr[-2000:])
    return None


MAIN = """import * as cdk from 'aws-cdk-lib';
%(imports)s

const app = new cdk.App();
const env = { account: '123456789012', region: 'us-east-1' };
const stacks: [string, cdk.Stack][] = [
%(stacks)s
];
const assembly = app.synth();
const out: { [id: string]: unknown } = {};
for (const [id, stack] of stacks) {
  const template = assembly.getStackByName(stack.stackName).template;
  const esms = Object.values(template.Resources || {}).filter(
    (r: any) => r.Type === 'AWS::Lambda::EventSourceMapping');
  out[id] = esms.length === 1 ? (esms[0] as any).Properties : { error: `${esms.length} mappings` };
}
console.log('ESMCFG-RESULT ' + JSON.stringify(out));
"""


def main():
    problem = ensure_modules()
    if problem:
        print("beyond_cdk: " + problem)
        return 1
    names = list(bx.CASES)
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(MODULES, os.path.join(tmp, "node_modules"))
        imports, stacks, files = [], [], ["main.ts"]
        for i, name in enumerate(names):
            text = bx.esmcfg("--format", "cdk-ts", *bx.CASES[name])
            cls = text.split("export class ", 1)[1].split(" ", 1)[0]
            with open(os.path.join(tmp, "case%d.ts" % i), "w", encoding="utf-8") as f:
                f.write(text)
            files.append("case%d.ts" % i)
            imports.append("import { %s as Case%d } from './case%d';" % (cls, i, i))
            stacks.append("  ['%s', new Case%d(app, 'Case%d', { env })]," % (name, i, i))
        with open(os.path.join(tmp, "main.ts"), "w") as f:
            f.write(MAIN % {"imports": "\n".join(imports), "stacks": "\n".join(stacks)})
        with open(os.path.join(tmp, "tsconfig.json"), "w") as f:
            json.dump({"compilerOptions": {"target": "ES2020", "module": "commonjs", "strict": True,
                                           "noUnusedLocals": True, "noImplicitAny": True,
                                           "skipLibCheck": True, "outDir": "out", "rootDir": ".",
                                           "types": []},
                       "files": files}, f)
        tsc = os.path.join(MODULES, "typescript", "bin", "tsc")
        p = subprocess.run(["node", tsc, "-p", tmp], capture_output=True, text=True, timeout=600)
        bx.expect(p.returncode == 0, "tsc: the CDK TypeScript export does not compile:\n%s%s" % (p.stdout, p.stderr))
        if p.returncode != 0:
            print("0 passed, 1 failed")
            return 1
        p = subprocess.run(["node", os.path.join(tmp, "out", "main.js")], capture_output=True, text=True,
                           timeout=600, cwd=tmp)
        bx.expect(p.returncode == 0, "cdk synth failed:\n%s" % p.stderr[-4000:])
        if p.returncode != 0:
            print("0 passed, 1 failed")
            return 1
        lines = [l for l in p.stdout.split("\n") if l.startswith("ESMCFG-RESULT ")]
        bx.expect(len(lines) == 1, "cdk synth printed no result:\n%s" % p.stdout[-4000:])
        synth = json.loads(lines[0][len("ESMCFG-RESULT "):]) if lines else {}
    for name in names:
        got = synth.get(name, {})
        bx.expect("error" not in got, "cdk %s: %s" % (name, got.get("error")))
        want = bx.normalize(bx.cfn_properties(bx.CASES[name]))
        mine = bx.normalize(got)
        bx.expect(mine == want, "cdk %s: the synthesized mapping differs from cfn-json:\n%s\n%s" % (name, mine, want))
    print("%d passed, %d failed" % (bx.CHECKS[0] - len(bx.FAILURES), len(bx.FAILURES)))
    return 1 if bx.FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
