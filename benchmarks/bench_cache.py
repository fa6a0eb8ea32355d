"""The pack cache with many installations sharing one cache folder: the cost of a run stays flat.

    python benchmarks/bench_cache.py [--installs 10] [--runs 5]

Copies the package and its data folders into N separate "installations" (as N checkouts,
pre-commit environments or CI caches would be), points them all at one SLSCHECK_CACHE_DIR,
runs `validate samples/web-api.yaml` once in each (each fills the cache with its own
entries), then times installation 1 again: best and median wall time of --runs processes,
and the peak RSS each process reports for itself (never RUSAGE_CHILDREN, which only grows).
The same run with a private cache folder is the baseline. Before the per-installation cache
files, 10 installations made the shared file 3 MB and the run 0.50 s / 35.5 MB instead of
0.36 s / 23.7 MB (code review, 2026-12-01); now both rows should match within noise.
Prints a table; always exits 0 (timings on a shared machine are not a gate).
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
DATA = ("rules", "quotas", "schemas", "pricing", "runtimes")
CHILD = (
    "import resource, sys; from sls_check.cli import main; sys.argv = ['slscheck', 'validate', sys.argv[1]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def install(dest: Path) -> Path:
    shutil.copytree(ROOT / "sls_check", dest / "sls_check", ignore=shutil.ignore_patterns("__pycache__"))
    for name in DATA:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
    return dest


def run(where: Path, cache: Path, spec: Path) -> tuple[float, float]:
    env = {**os.environ, "SLSCHECK_CACHE_DIR": str(cache), "PYTHONPATH": str(where)}
    env.pop("SLSCHECK_NO_CACHE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(spec)], env=env, capture_output=True, text=True, cwd=where)
    elapsed = time.perf_counter() - start
    rss = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("RSS "))
    return elapsed, rss / 1024  # ru_maxrss is in KB on Linux


def measure(where: Path, cache: Path, spec: Path, runs: int) -> tuple[float, float, float, int]:
    results = [run(where, cache, spec) for _ in range(runs)]
    times = [t for t, _ in results]
    size = sum(f.stat().st_size for f in cache.glob("*.json"))
    return min(times), statistics.median(times), max(r for _, r in results), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--installs", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        spec = base / "arch.yaml"
        shutil.copy(ROOT / "samples" / "web-api.yaml", spec)
        installs = [install(base / f"install{i}") for i in range(args.installs)]
        private, shared = base / "private-cache", base / "shared-cache"
        run(installs[0], private, spec)  # warm its own cache
        rows = [("private cache, 1 installation", *measure(installs[0], private, spec, args.runs))]
        for where in installs:
            run(where, shared, spec)  # each installation adds its entries
        rows.append((f"shared cache, {args.installs} installations", *measure(installs[0], shared, spec, args.runs)))
        print(f"{'case':<40} {'best s':>8} {'median s':>9} {'peak RSS MB':>12} {'cache bytes':>12}")
        for name, best, median, rss, size in rows:
            print(f"{name:<40} {best:>8.3f} {median:>9.3f} {rss:>12.1f} {size:>12,}")
        files = sorted(p.name for p in shared.glob("*.json"))
        print(f"shared cache folder: {len(files)} files; a run reads one of them")


if __name__ == "__main__":
    main()
