"""Benchmark: time against size for `validate`, `cost` and `limits` (issue 15, review C6).

    python benchmarks/bench_scale.py [--sizes 200,2000,20000] [--runs 1] [--timeout 300]

Builds a spec of N services (repeating groups of api_gateway -> lambda -> dynamodb, sqs -> lambda,
so every engine has work on every service), writes it to a temporary folder and runs each command
as a whole process (`python -m sls_check CMD spec.yaml --format json`, and `cost` also in its text
form, the one that rendered one rich table per service), best of --runs. It prints the seconds
per size and the growth exponent between consecutive sizes (log(t2/t1) / log(n2/n1): 1.0 is
linear, 2.0 quadratic). The review measured `cost` on 20,000 services at over 120 s (killed).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

COMMANDS = {
    "validate": ["validate", "spec.yaml", "--no-config", "--format", "json"],
    "cost": ["cost", "spec.yaml", "--format", "json"],
    "cost text": ["cost", "spec.yaml"],
    "limits": ["limits", "spec.yaml", "--format", "json"],
}


spec = harness.scale  # groups of five services (tests/test_hostile_size.py uses it too)


def run(args: list[str], cwd: Path, timeout: float) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "sls_check", *args], cwd=cwd, env=env, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return math.inf, -1
    return time.perf_counter() - start, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300)
    opts = parser.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")]
    table: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            (folder / "spec.yaml").write_text(spec(n), encoding="utf-8")
            for name, args in COMMANDS.items():
                best, code = min(run(args, folder, opts.timeout) for _ in range(opts.runs))
                table[name].append(best)
                print(f"{name:10} {n:>7,} services: {best:8.2f} s (exit {code})", flush=True)
    print()
    print("| command | " + " | ".join(f"{n:,} services" for n in sizes) + " | growth |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name, times in table.items():
        points = list(zip(sizes, times, strict=True))
        growth = [
            f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"
            for (n1, t1), (n2, t2) in itertools.pairwise(points)
            if math.isfinite(t1) and math.isfinite(t2) and t1 > 0
        ]
        cells = " | ".join(f"{t:.2f} s" for t in times)
        print(f"| {name} | {cells} | {', '.join(growth) or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
