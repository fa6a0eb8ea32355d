"""The corpus figures of the import issue: per-file exit codes, mapped share by resource and by family,
slscheck findings by rule (SAM/CloudFormation and serverless.yml), time and peak memory.

    python benchmarks/corpus_figures.py [--json OUT]

Each of the 87 templates of ../shared/corpus/serverless-patterns/*/template.yaml and the 18
../shared/corpus/serverless-framework/*/serverless.yml is run on its own as `slscheck validate FILE`
(default --fail-on) for its exit code; exit-2 files are listed with the first line of their error.
Coverage counts every resource the importer reads (for serverless.yml also the resources it
synthesizes from functions and events) by tier: service and facet map, support is plumbing (left
out of the share), unmapped is an application service slscheck has no type for. Families group
resource types by their CloudFormation namespace (SAM types under the service they create).
Findings by rule come from one `validate --format json --fail-on never` call per corpus; wall time
and peak RSS of that call (median of --runs) are printed too.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SAM_FAMILY = {
    "Function": "Lambda",
    "LayerVersion": "Lambda",
    "Api": "ApiGateway",
    "HttpApi": "ApiGatewayV2",
    "SimpleTable": "DynamoDB",
    "StateMachine": "StepFunctions",
    "Application": "Serverless::Application",
    "Connector": "Serverless::Connector",
}
FAMILY_ALIAS = {"Events": "EventBridge", "Pipes": "EventBridge", "Scheduler": "EventBridge"}


def family(cfn_type: str) -> str:
    parts = cfn_type.split("::")
    if len(parts) < 3:
        return cfn_type
    if parts[1] == "Serverless":
        return SAM_FAMILY.get(parts[2], cfn_type)
    return FAMILY_ALIAS.get(parts[1], parts[1])


def coverage(files: list[Path]) -> tuple[collections.Counter[str], dict[str, collections.Counter[str]]]:
    """(tier counts, family -> tier counts) over the files, from the importer's own classification."""
    from sls_check.importers import cfn
    from sls_check.importers.assemble import import_files
    from sls_check.model import InputError

    tiers: collections.Counter[str] = collections.Counter()
    families: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    original = cfn.StackMapper._classify

    def classify(self: Any, lid: str, cfn_type: str) -> None:
        before = dict(self.result.tiers)
        original(self, lid, cfn_type)
        for tier, n in self.result.tiers.items():
            if n != before.get(tier, 0):
                tiers[tier] += 1
                families[family(cfn_type)][tier] += 1

    cfn.StackMapper._classify = classify  # type: ignore[method-assign]
    try:
        for path in files:
            with contextlib.suppress(InputError):
                import_files([path], discover=False)
    finally:
        cfn.StackMapper._classify = original  # type: ignore[method-assign]
    return tiers, families


def share(counts: collections.Counter[str]) -> tuple[int, int]:
    mapped = counts["service"] + counts["facet"]
    return mapped, mapped + counts["unmapped"]


def exit_codes(files: list[Path]) -> tuple[collections.Counter[int], list[tuple[str, str]]]:
    codes: collections.Counter[int] = collections.Counter()
    broken: list[tuple[str, str]] = []
    for path in files:
        proc = subprocess.run(
            [sys.executable, "-m", "sls_check", "validate", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        codes[proc.returncode] += 1
        if proc.returncode == 2:
            reason = next((line for line in proc.stderr.splitlines() if line.strip()), "")
            broken.append((str(path.relative_to(SHARED)), reason))
    return codes, broken


def timed(files: list[Path], runs: int) -> tuple[float, collections.Counter[str]]:
    """Median wall time of one validate call over the files, and its findings by rule."""
    cmd = [sys.executable, "-m", "sls_check", "validate", "--format", "json", "--fail-on", "never", *map(str, files)]
    walls, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False).stdout
        walls.append(time.perf_counter() - start)
    data = json.loads(out)
    return statistics.median(walls), collections.Counter(f["rule_id"] for f in data["findings"])


def peak_rss(files: list[Path]) -> int:
    """Peak RSS (MB) of one validate call over the files (a child of a fresh process, so only its own)."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)"
    )
    cmd = [sys.executable, "-m", "sls_check", "validate", "--format", "json", "--fail-on", "never", *map(str, files)]
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sam = sorted((SHARED / "serverless-patterns").glob("*/template.yaml"))
    sls = sorted((SHARED / "serverless-framework").glob("*/serverless.yml"))
    if not sam and not sls:
        print(f"{SHARED} is absent: nothing to measure")
        return 0
    report: dict[str, Any] = {}
    for label, files in (("SAM/CloudFormation", sam), ("serverless.yml", sls)):
        codes, broken = exit_codes(files)
        tiers, families = coverage(files)
        wall, rules = timed(files, args.runs)
        rss = peak_rss(files)
        mapped, total = share(tiers)
        print(f"\n## {label}: {len(files)} files\n")
        print("exit codes: " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())))
        for name, reason in broken:
            print(f"  exit 2: {name}: {reason}")
        print(f"resources by tier: {dict(sorted(tiers.items()))}")
        print(f"non-plumbing resources that map: {mapped}/{total} = {100 * mapped / max(total, 1):.1f} %")
        print("\n| family | service | facet | unmapped | support | mapped % |\n|---|---:|---:|---:|---:|---:|")
        for fam, c in sorted(families.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            m, t = share(c)
            pct = f"{100 * m / t:.0f} %" if t else "(plumbing)"
            print(f"| {fam} | {c['service']} | {c['facet']} | {c['unmapped']} | {c['support']} | {pct} |")
        print(f"\none call over all {len(files)}: {wall:.2f} s wall (median of {args.runs}), peak RSS {rss} MB")
        print("\n| slscheck rule | findings |\n|---|---:|")
        for rule, n in sorted(rules.items()):
            print(f"| {rule} | {n} |")
        report[label] = {
            "files": len(files),
            "exit_codes": dict(codes),
            "exit_2": broken,
            "tiers": dict(tiers),
            "families": {k: dict(v) for k, v in families.items()},
            "wall_s": round(wall, 3),
            "peak_rss_mb": rss,
            "rules": dict(rules),
        }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
