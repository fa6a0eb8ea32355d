"""`slscheck report`: wall time on the largest sample, where it goes, and what the report path imports.

    python benchmarks/bench_report.py [--runs 3] [--spec samples/vpc-database.yaml]

1. Wall time of `slscheck report SPEC -o FILE` (separate processes; best and median of --runs).
2. In one process: collecting the numbers (validate, the bill at the workload, the 41-rate sweep
   with break-even, limits with --max), importing matplotlib, drawing each chart to SVG.
3. Import cost (`python -X importtime`, best of --runs, cumulative microseconds): `sls_check.cli`
   (what validate, cost and limits pay at start-up; it imports nothing of the report path),
   `matplotlib`, `matplotlib.figure` (what the report pays), networkx (the layered layout).
Prints a table; always exits 0 (timings on a shared machine are not a gate).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def largest_sample() -> Path:
    return max((ROOT / "samples").glob("*.yaml"), key=lambda p: p.stat().st_size).relative_to(ROOT)


def wall(spec: Path, runs: int) -> list[float]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "sls_check", "report", str(spec), "-o", f"{tmp}/r.html"], cwd=ROOT, check=True
            )
            out.append(time.perf_counter() - start)
    return out


STAGES = """
import time, sys
from pathlib import Path
t0 = time.perf_counter()
from sls_check.report.collect import collect
r = collect(Path(sys.argv[1]))
t1 = time.perf_counter()
import matplotlib.figure
t2 = time.perf_counter()
from sls_check.report.charts import charts, svg
from sls_check.report.html import anchors_for
parts = []
for c in charts(r, anchors_for(r, "s1")):
    a = time.perf_counter(); svg(c); parts.append(f"{c.key} {time.perf_counter() - a:.2f}")
print(f"collect {t1 - t0:.2f} s; import matplotlib.figure {t2 - t1:.2f} s; charts (s): {', '.join(parts)}")
"""


def importtime(statement: str, module: str, runs: int) -> int:
    best = None
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement], cwd=ROOT, capture_output=True, text=True
        )
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                value = int(parts[1])
                best = value if best is None else min(best, value)
    return best or 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=None)
    args = parser.parse_args()
    spec = args.spec or largest_sample()
    times = wall(spec, args.runs)
    print(
        f"slscheck report {spec}: best {min(times):.2f} s, median {statistics.median(times):.2f} s ({args.runs} runs)"
    )
    subprocess.run([sys.executable, "-c", STAGES, str(spec)], cwd=ROOT, check=True)
    rows = [
        ("sls_check.cli (validate/cost/limits start-up)", "import sls_check.cli", "sls_check.cli"),
        ("matplotlib", "import sls_check.cli; import matplotlib", "matplotlib"),
        ("matplotlib.figure", "import sls_check.cli; import matplotlib.figure", "matplotlib.figure"),
        (
            "sls_check.report.html (own modules)",
            "import sls_check.cli; import sls_check.report.html",
            "sls_check.report.html",
        ),
        ("networkx", "import sls_check.cli; import networkx", "networkx"),
    ]
    for label, statement, module in rows:
        print(f"import {label}: {importtime(statement, module, args.runs) / 1000:.0f} ms (best of {args.runs})")


if __name__ == "__main__":
    main()
