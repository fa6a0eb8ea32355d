"""slscheck over the 87 SAM/CloudFormation templates of ../shared/corpus in one call, beside cfn-lint.

    python benchmarks/bench_import.py [--runs 3] [--cfn-lint PATH]

Runs, as separate processes, `slscheck validate --format json --fail-on never` over all templates
(one call) and, when it is installed (PATH, or --cfn-lint), `cfn-lint --format json` over the same
files. Prints wall time (median), peak RSS and the findings of each by rule. Target: slscheck under
3 s for the 87 templates on a 2-core machine. Also times `import sls_check.cli` with and without the
importer (a plain spec run must not import it). Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "serverless-patterns"
TARGET_S = 3.0


def run(cmd: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB of the child, stdout)."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (child)
        out = os.open("/tmp/bench_import.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.chdir(ROOT)
        os.execvp(cmd[0], cmd)
    _, _status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall, int(usage.ru_maxrss / 1024), Path("/tmp/bench_import.out").read_text(errors="replace")


def by_rule_slscheck(out: str) -> collections.Counter[str]:
    data = json.loads(out)
    return collections.Counter(f["rule_id"] for f in data["findings"])


def by_rule_cfnlint(out: str) -> collections.Counter[str]:
    try:
        data = json.loads(out or "[]")
    except ValueError:
        return collections.Counter({"(unparsed output)": 1})
    return collections.Counter(m.get("Rule", {}).get("Id", "?") for m in data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cfn-lint", default=shutil.which("cfn-lint"))
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    files = sorted(str(p) for p in CORPUS.glob("*/template.yaml"))
    if not files:
        print(f"{CORPUS} is absent: nothing to measure")
        return 0
    sls = [sys.executable, "-m", "sls_check", "validate", "--format", "json", "--fail-on", "never", *files]
    walls, rss, out = [], 0, ""
    for _ in range(args.runs):
        wall, peak, out = run(sls)
        walls.append(wall)
        rss = max(rss, peak)
    sls_wall = statistics.median(walls)
    sls_rules = by_rule_slscheck(out)
    rows = [("slscheck", sls_wall, rss, sum(sls_rules.values()))]
    lint_rules: collections.Counter[str] = collections.Counter()
    if args.cfn_lint:
        wall, peak, lint_out = run([args.cfn_lint, "--format", "json", "--", *files])
        lint_rules = by_rule_cfnlint(lint_out)
        rows.append(("cfn-lint", wall, peak, sum(lint_rules.values())))
    print(f"{len(files)} templates, one call each tool (median of {args.runs} for slscheck)\n")
    print("| tool | wall s | peak RSS MB | findings |\n|---|---:|---:|---:|")
    for name, wall, peak, count in rows:
        print(f"| {name} | {wall:.2f} | {peak} | {count} |")
    print("\n| slscheck rule | findings |\n|---|---:|")
    for rule, n in sorted(sls_rules.items()):
        print(f"| {rule} | {n} |")
    if lint_rules:
        print("\n| cfn-lint rule | findings |\n|---|---:|")
        for rule, n in sorted(lint_rules.items()):
            print(f"| {rule} | {n} |")
    imports = []
    for code in ("import sls_check.cli", "import sls_check.cli, sls_check.importers"):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
            times.append(time.perf_counter() - start)
        imports.append(min(times))
    print(f"\nstart-up: `import sls_check.cli` {imports[0]:.3f} s; with the importer {imports[1]:.3f} s")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    ok = sls_wall < TARGET_S
    print(f"\ntarget: all templates in under {TARGET_S:g} s: {'met' if ok else 'MISSED'} ({sls_wall:.2f} s)")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
