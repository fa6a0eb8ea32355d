"""The one benchmark harness: generated specs, timing, per-case peak RSS, cache state, results.

Every benchmarks/bench_*.py times things the same way through this module:

- `process(cmd, runs)`: separate processes, interpreter start-up included. Best and median wall
  time of the runs (the best is the run least disturbed by other processes, as `timeit` advises;
  the median says how noisy the machine was) and the peak RSS of *each case's own* processes,
  read with `os.wait4` per run by a small launcher (RUSAGE_CHILDREN is the maximum over every
  child so far, so a table of it can only grow down the rows; see `_LAUNCH` for the launcher).
- `inprocess(fn, runs)`: the same figures for a call inside this process (RSS: this process).
- The data cache is controlled: by default one unmeasured warm-up run fills a private cache
  folder (`warm`); `--cold` gives every run an empty one.
- `Table`: prints the rows, marks targets missed, and with `--record DIR` writes them as a dated
  JSON file (`<bench>-<YYYY-MM-DD>.json`) with the machine they ran on. A missed target exits 1
  only with `--strict`: on a shared machine a miss is a measurement, not a failure.

The spec generators live here too (`chain`, `fanout`, `scale`), so two benchmarks that time "2,000
services" time the same document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLSCHECK = [sys.executable, "-m", "sls_check"]


# --- generated specs ---------------------------------------------------------------------------


def chain(n: int) -> str:
    """n services in chains api -> fn -> table, with topics, all valid (bench_validate)."""
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


def fanout(n: int) -> str:
    """n services: APIs fanning out to functions that read and write a table and feed a FIFO queue,
    sizes varying per group (bench_limits: the limits calculator has rows to compute)."""
    lines = [
        "slscheck: 1",
        f"name: generated-{n}",
        "region: eu-west-1",
        "workload: {rps: 20, peak_rps: 100}",
        "account: {lambda_concurrency: 100000}",
        "services:",
    ]
    for i in range(n // 4):
        lines += [
            f"  api{i}: {{type: api_gateway, api: http, connects: [{{to: fn{i}, calls: 0.5}}]}}",
            f"  fn{i}: {{type: lambda, runtime: python3.12, timeout_s: 10, duration_ms: {50 + i % 200},"
            f" connects: [{{to: table{i}, reads: 2, writes: 1}}, q{i}]}}",
            f"  table{i}: {{type: dynamodb, item_kb: {1 + i % 7}}}",
            f"  q{i}: {{type: sqs, fifo: true, batch_size: {1 + i % 10}, message_kb: 2}}",
        ]
    return "\n".join(lines) + "\n"


def scale(n: int) -> str:
    """n services in groups of five: API, function, table, queue, worker (bench_scale, up to 20,000)."""
    lines = ["slscheck: 1", f"name: scale-{n}", "region: us-east-1", "workload: {rps: 5}", "services:"]
    for g in range(max(1, n // 5)):
        lines += [
            f"  api{g}: {{type: api_gateway, api: http, connects: [fn{g}]}}",
            f"  fn{g}: {{type: lambda, runtime: python3.12, memory_mb: 512, timeout_s: 10, duration_ms: 50,"
            f" connects: [{{to: t{g}, reads: 1, writes: 1}}, q{g}]}}",
            f"  t{g}: {{type: dynamodb, billing: on_demand, item_kb: 1}}",
            f"  q{g}: {{type: sqs, visibility_timeout_s: 60, connects: [w{g}]}}",
            f"  w{g}: {{type: lambda, runtime: python3.12, memory_mb: 256, timeout_s: 10, duration_ms: 20}}",
        ]
    return "\n".join(lines) + "\n"


def largest_sample() -> Path:
    """The sample with the most services (by size of the file)."""
    return max((ROOT / "samples").glob("*.yaml"), key=lambda p: p.stat().st_size)


# --- timing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    best_s: float
    median_s: float
    runs: int
    peak_rss_mb: float  # of this case's own processes (or of this process, in-process)
    exit_codes: tuple[int, ...] = ()


@contextmanager
def cache_env(cold: bool) -> Iterator[Callable[[], dict[str, str]]]:
    """Environments with a private data cache: the same warm folder for every run, or (cold) a new
    empty one per run."""
    with tempfile.TemporaryDirectory(prefix="slscheck-bench-") as tmp:
        counter = iter(range(1_000_000))

        def env() -> dict[str, str]:
            folder = Path(tmp) / (f"cold-{next(counter)}" if cold else "warm")
            return {**os.environ, "SLSCHECK_CACHE_DIR": str(folder)}

        yield env


# A small launcher process starts each measured command. A child's peak RSS counts the memory of
# the process it was forked from (Linux carries the high-water mark across fork and exec), so a
# command forked straight from a large parent (pytest, a benchmark holding a 2,000-service spec)
# would report that parent's size; forked from this launcher it reports at least the launcher's
# ~10 MB and otherwise its own. The launcher times the child itself (its own start-up excluded).
_LAUNCH = """
import os, sys, time
devnull = os.open(os.devnull, os.O_RDWR)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(devnull, 1); os.dup2(devnull, 2)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _run(cmd: Sequence[str], env: dict[str, str], cwd: Path, timeout: float) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one run of the command (killed after timeout)."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _LAUNCH, *cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    wall, rss_kb, code = done.stdout.split()
    return float(wall), int(rss_kb) / 1024, int(code)  # ru_maxrss is in KB on Linux


def process(cmd: Sequence[str], runs: int, *, cold: bool = False, cwd: Path = ROOT, timeout: float = 600) -> Timing:
    """Time a command as separate processes: best and median of `runs`, after one unmeasured
    warm-up run unless `cold` (every run then starts with an empty data cache)."""
    with cache_env(cold) as env:
        if not cold:
            _run(cmd, env(), cwd, timeout)
        results = [_run(cmd, env(), cwd, timeout) for _ in range(runs)]
    walls = [w for w, _, _ in results]
    return Timing(
        min(walls), statistics.median(walls), runs, max(r for _, r, _ in results), tuple(c for *_, c in results)
    )


def inprocess(fn: Callable[[], object], runs: int, *, warmup: bool = True) -> Timing:
    """Time a call in this process: best and median of `runs` (after one warm-up call)."""
    if warmup:
        fn()
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Timing(min(walls), statistics.median(walls), runs, rss)


# --- results -----------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    timing: Timing
    target_s: float | None = None  # judged on the best run
    note: str = ""

    @property
    def missed(self) -> bool:
        return self.target_s is not None and self.timing.best_s > self.target_s


@dataclass
class Table:
    bench: str
    rows: list[Row] = field(default_factory=list)

    def add(self, case: str, timing: Timing, target_s: float | None = None, note: str = "") -> Row:
        row = Row(case, timing, target_s, note)
        self.rows.append(row)
        return row

    def render(self) -> str:
        width = max([len(r.case) for r in self.rows] + [4])
        head = f"{'case':<{width}} {'best s':>8} {'median s':>9} {'target':>7} {'peak RSS MB':>12}"
        lines = [machine_line(), "", head]
        for r in self.rows:
            target = "" if r.target_s is None else f"{r.target_s:.2f}"
            flag = "  MISSED" if r.missed else ""
            lines.append(
                f"{r.case:<{width}} {r.timing.best_s:>8.3f} {r.timing.median_s:>9.3f} {target:>7} "
                f"{r.timing.peak_rss_mb:>12.1f}{flag}{'  ' + r.note if r.note else ''}"
            )
        return "\n".join(lines)

    def record(self, folder: Path, today: dt.date | None = None) -> Path:
        """Write the rows as <bench>-<date>.json in folder (the dated record of a run)."""
        day = (today or dt.date.today()).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.bench}-{day}.json"
        doc = {
            "bench": self.bench,
            "date": day,
            "machine": machine(),
            "rows": [{**asdict(r), "missed": r.missed} for r in self.rows],
        }
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        return path

    def finish(self, args: argparse.Namespace) -> int:
        """Print, record when asked, and the exit code: 1 for a missed target only with --strict."""
        print(self.render())
        if args.record:
            print(f"\nrecorded: {self.record(Path(args.record))}")
        return 1 if args.strict and any(r.missed for r in self.rows) else 0


def machine() -> dict[str, object]:
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(load, 2),
    }


def machine_line() -> str:
    m = machine()
    return f"python {m['python']} on {m['cpus']} CPUs (load average {m['load_average_1m']}), best and median of runs"


def parser(description: str, runs: int) -> argparse.ArgumentParser:
    """The options every benchmark takes: --runs, --cold, --record DIR, --strict."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--runs", type=int, default=runs, help=f"measured runs per case (default {runs})")
    p.add_argument("--cold", action="store_true", help="an empty data cache for every run (default: warm)")
    p.add_argument("--record", metavar="DIR", help="also write the rows to DIR/<bench>-<date>.json")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return p
