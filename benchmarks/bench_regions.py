"""Benchmark: `cost` start-up does not grow with the number of Regions shipped.

    python benchmarks/bench_regions.py [--runs 7] [--extra 90]

Builds two price directories in a temporary folder: the shipped pricing/ as it is, and the same
with `--extra` more Regions per table (copies of the us-east-1 files under made-up Region names,
ap-fake-1 ... so every table has about ten times the Region files). Then prices the largest
sample in us-east-1, in a fresh process each time (`SLSCHECK_PRICES_DIR` points the loader at the
directory as a user cache, which is read first), and reports the best and median wall time of
each. Loading reads only the Region files a spec uses, so the two should be equal within noise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "event-pipeline.yaml"


def build(folder: Path, extra: int) -> Path:
    target = folder / f"prices-{extra}"
    shutil.copytree(ROOT / "pricing", target)
    for table in [p for p in target.iterdir() if p.is_dir()]:
        source = table / "us-east-1.yaml"
        if not source.is_file():
            continue
        text = source.read_text(encoding="utf-8")
        for i in range(1, extra + 1):
            name = f"ap-fake-{i}"
            (table / f"{name}.yaml").write_text(text.replace("region: us-east-1", f"region: {name}"), encoding="utf-8")
    return target


def timed(prices: Path, runs: int) -> list[float]:
    env = dict(os.environ, SLSCHECK_PRICES_DIR=str(prices))
    cmd = [sys.executable, "-m", "sls_check", "cost", str(SAMPLE), "--region", "us-east-1", "--format", "json"]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--extra", type=int, default=90)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shipped, many = build(Path(tmp), 0), build(Path(tmp), args.extra)
        files = [sum(1 for _ in d.rglob("*.yaml")) for d in (shipped, many)]
        for label, directory, n in (("shipped Regions", shipped, files[0]), ("+ more Regions", many, files[1])):
            times = timed(directory, args.runs)
            print(f"{label:<16} {n:>5} price files: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
