"""Benchmark: `slscheck cost` over a 100-point rps sweep of the largest sample, as a whole process.

    python benchmarks/bench_cost.py [--runs 5] [--points 100]

Runs `python -m sls_check cost SAMPLE --rps r1,...,r100 --format json` in a fresh process
(interpreter start, imports, YAML, schema check, 100 graph flows, 100 bills and break-evens,
JSON out) and reports the best and median wall time. Target: <= 0.5 s, judged on the best
of the runs (the run least disturbed by other processes, as `timeit` advises); the median
is printed next to it, and both belong in any report of the figure.

For context it also times, each in a fresh process, `python -c pass` (the interpreter and
its site packages on this machine, at its current load), `python -m sls_check --version` (the
CLI's own start-up: interpreter, typer, rich; typer 0.29 also imports pydantic to coerce
options when a command runs) and the same sweep through the library alone
(`sls_check.api.cost` + `reporters.cost.dumps`, no typer).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.5


def largest_sample() -> Path:
    samples = sorted((ROOT / "samples").glob("*.yaml"))
    return max(samples, key=lambda p: (len(yaml.safe_load(p.read_text(encoding="utf-8"))["services"]), p.name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--points", type=int, default=100)
    args = parser.parse_args()
    sample = largest_sample()
    rates = ",".join(str(round(1 + i * 10, 2)) for i in range(args.points))  # 1 .. 991 rps
    cmd = [sys.executable, "-m", "sls_check", "cost", str(sample.relative_to(ROOT)), "--rps", rates, "--format", "json"]
    library = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from sls_check.api import cost; "
        "from sls_check.reporters.cost import dumps; "
        f"sys.stdout.write(dumps(cost(Path({str(sample.relative_to(ROOT))!r}), "
        f"rps=[float(r) for r in {rates!r}.split(',')])))",
    ]
    version = [sys.executable, "-m", "sls_check", "--version"]
    bare = [sys.executable, "-c", "pass"]
    print(
        f"sample: {sample.name} ({len(yaml.safe_load(sample.read_text())['services'])} services), "
        f"{args.points} rps points, {args.runs} runs each, wall time of a fresh process"
    )
    results = {}
    for label, argv in (
        ("python -c pass (interpreter start-up)", bare),
        ("slscheck --version (CLI start-up only)", version),
        ("slscheck cost --rps <100 values> --format json", cmd),
        ("library only: report.cost + dumps", library),
    ):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 2
        if argv not in (version, bare):
            assert len(json.loads(done.stdout)["scenarios"]) == args.points
        results[label] = min(times)
        print(f"  {label:<48} best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    best = results["slscheck cost --rps <100 values> --format json"]
    print(f"target <= {TARGET_S} s for the whole cost process (best run): {'ok' if best <= TARGET_S else 'over'}")
    return 0 if best <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
