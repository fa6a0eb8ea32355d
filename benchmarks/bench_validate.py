"""How fast `slscheck validate` is as a whole process (what a pre-commit hook feels).

    python benchmarks/bench_validate.py [--runs 15]

Measures, as separate processes (interpreter start-up included), the median wall time
and the peak RSS of: the import of the CLI; one sample; all samples at once; generated
specs of 200 and 2,000 services. Targets: a sample in <= 0.5 s (about a tenth of a
second is Python and typer starting), 2,000 services in <= 2 s. With CFN_LINT=/path/to/cfn-lint
it also times cfn-lint on a real SAM template of ../shared/corpus for comparison (on the
machine of 2026-11-26, 2 CPUs, fresh venv: cfn-lint 1.58.0 2.2-2.6 s and 138 MB for one template;
slscheck 0.49 s and 24 MB for a sample, 1.2 s and 40 MB for 2,000 services).
Prints a table; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generated(n: int) -> str:
    """n services in chains api -> fn -> table, with queues and topics, all valid."""
    lines = [
        "slscheck: 1",
        f"name: generated-{n}",
        "region: eu-west-1",
        "workload: {rps: 100, peak_rps: 500}",
        "services:",
    ]
    for i in range(n // 4):
        lines += [
            f"  api{i}: {{type: api_gateway, api: http, connects: [fn{i}]}}",
            f"  fn{i}:",
            "    type: lambda",
            "    runtime: python3.12",
            "    memory_mb: 512",
            "    timeout_s: 10",
            "    duration_ms: 80",
            "    package: {format: zip, zipped_mb: 5, unzipped_mb: 20}",
            "    env: {TABLE: t, LOG_LEVEL: info}",
            f"    connects: [{{to: table{i}, reads: 2, writes: 1}}, topic{i}]",
            f"  table{i}: {{type: dynamodb, billing: on_demand, item_kb: 1}}",
            f"  topic{i}: {{type: sns, message_kb: 2}}",
        ]
    return "\n".join(lines) + "\n"


def measure(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the peak RSS (MB) over the runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), peak_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    slscheck = [sys.executable, "-m", "sls_check"]
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.yaml"))
    rows: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = {}
        for n in (200, 2000):
            path = Path(tmp) / f"gen{n}.yaml"
            path.write_text(generated(n))
            big[n] = str(path)
        cases = [
            ("import only (python -c 'import sls_check.cli')", [sys.executable, "-c", "import sls_check.cli"], 0.35),
            ("validate samples/web-api.yaml", [*slscheck, "validate", "samples/web-api.yaml"], 0.5),
            (f"validate all {len(samples)} samples", [*slscheck, "validate", *samples], 0.6),
            ("validate 200 services", [*slscheck, "validate", big[200]], 0.75),
            ("validate 2,000 services", [*slscheck, "validate", big[2000]], 2.0),
        ]
        corpus = sorted((ROOT.parent / "shared" / "corpus").glob("serverless-patterns/*/template.yaml"))
        if os.environ.get("CFN_LINT") and corpus:
            cases.append(
                (f"for comparison: cfn-lint {corpus[0].parent.name}", [os.environ["CFN_LINT"], str(corpus[0])], 99.0)
            )
        for name, cmd, target in cases:
            wall, rss = measure(cmd, args.runs if "2,000" not in name else max(3, args.runs // 5))
            rows.append((name, wall, rss, target))
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs, median of runs\n")
    print(f"{'case':<52} {'wall s':>8} {'target':>8} {'peak RSS MB':>12}")
    missed = 0
    for name, wall, rss, target in rows:
        flag = "" if wall <= target else "  MISSED"
        missed += bool(flag)
        print(f"{name:<52} {wall:>8.3f} {target:>8.2f} {rss:>12.1f}{flag}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
