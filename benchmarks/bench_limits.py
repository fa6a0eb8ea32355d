"""How fast the limits calculator is: rows and the --max ceiling, in the library and as a process.

    python benchmarks/bench_limits.py [--runs 7]

Measures the median time of `sls_check.api.limits(path, ceiling=True)` (load, graph, rows,
ceiling) and, apart, of the calculator alone (rows and ceiling on a loaded spec: the graph
rebuilt at three or four rates, the rows at each) on every sample and on generated specs of
200 and 2,000 services; then the whole `slscheck limits --max` process on the largest.
Target: the calculator alone on 2,000 services in <= 1.5 s. Prints a table; with --strict exits 1
when the target is missed (benchmarks/harness.py: a miss on a shared machine is a measurement).
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from sls_check.api import limits  # noqa: E402
from sls_check.build import build_graph  # noqa: E402
from sls_check.limits import find_ceiling, rows_for  # noqa: E402

generated = harness.fanout  # the spec of "200 services" and "2,000 services"


def timed(path: Path, runs: int) -> tuple[float, float, int, str]:
    """Median seconds of the whole library call and of the calculator alone; rows; the first wall."""
    whole, alone = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = limits(path, ceiling=True)
        whole.append(time.perf_counter() - start)
        analysis = result.analysis
        graph = analysis.graph
        shape = graph.entry_peak_rps / graph.entry_rps if graph.entry_rps > 0 else 1.0
        start = time.perf_counter()
        rows_for(graph)
        find_ceiling(
            lambda r, spec=analysis.spec, k=shape: build_graph(spec, rps=r, peak_rps=r * k),
            shape=shape,
            base_rps=graph.entry_rps or 1.0,
            account=graph.account,
        )
        alone.append(time.perf_counter() - start)
    first = result.ceiling.walls[0] if result.ceiling and result.ceiling.walls else None
    wall = f"{first.row.service} {first.row.quota} at {first.rps:,.2f} rps" if first else "-"
    return statistics.median(whole), statistics.median(alone), len(result.rows), wall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    failed = False
    print(f"{'spec':28} {'rows':>6} {'whole':>10} {'calculator':>11}  first wall")
    with tempfile.TemporaryDirectory() as tmp:
        specs = sorted((ROOT / "samples").glob("*.yaml"))
        for n in (200, 2000):
            path = Path(tmp) / f"generated-{n}.yaml"
            path.write_text(generated(n), encoding="utf-8")
            specs.append(path)
        for path in specs:
            whole, alone, rows, wall = timed(path, args.runs)
            print(f"{path.name:28} {rows:6,} {whole * 1000:7.1f} ms {alone * 1000:8.1f} ms  {wall}")
            if path.name == "generated-2000.yaml" and alone > 1.5:
                failed = True
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sls_check", "limits", str(specs[-1]), "--max", "--format", "json"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        print(f"{'process, generated-2000':28} {'':>6} {(time.perf_counter() - start) * 1000:7.1f} ms")
    if failed:
        print("target missed: the calculator alone on 2,000 services took over 1.5 s")
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
