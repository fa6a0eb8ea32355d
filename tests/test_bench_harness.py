"""benchmarks/harness.py: the figures it reports are per case, the record is dated, a miss is not a
failure unless asked. No timing is asserted (speed belongs in benchmarks/, not in tests)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from sls_check.api import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

BIG = [sys.executable, "-c", "x = bytearray(120 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"]
SMALL = [sys.executable, "-c", "pass"]


def test_peak_rss_is_each_cases_own() -> None:
    big = harness.process(BIG, 1, cold=True)
    small = harness.process(SMALL, 1, cold=True)
    assert big.peak_rss_mb > 100 > small.peak_rss_mb  # RUSAGE_CHILDREN would report 120 MB twice
    assert big.exit_codes == (0,) and small.runs == 1 and small.best_s <= small.median_s


def test_generated_specs_load_with_their_service_counts(tmp_path: Path) -> None:
    for generate, n in ((harness.chain, 40), (harness.fanout, 40), (harness.scale, 40)):
        path = tmp_path / f"{generate.__name__}.yaml"
        path.write_text(generate(n), encoding="utf-8")
        assert len(load(path).graph.services) == n, generate.__name__


def test_the_record_is_dated_and_a_miss_fails_only_with_strict(tmp_path: Path, capsys) -> None:
    table = harness.Table("bench_x")
    table.add("fast", harness.Timing(0.1, 0.2, 3, 30.0), 1.0)
    table.add("slow", harness.Timing(2.0, 2.5, 3, 40.0), 1.0)
    path = table.record(tmp_path, dt.date(2026, 12, 2))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert path.name == "bench_x-2026-12-02.json"
    assert [(r["case"], r["missed"], r["timing"]["best_s"]) for r in doc["rows"]] == [
        ("fast", False, 0.1),
        ("slow", True, 2.0),
    ]
    assert set(doc["machine"]) == {"python", "platform", "cpus", "load_average_1m"}
    plain = argparse.Namespace(record=None, strict=False)
    assert table.finish(plain) == 0
    assert table.finish(argparse.Namespace(record=None, strict=True)) == 1
    out = capsys.readouterr().out
    assert "slow" in out and "MISSED" in out.split("slow", 1)[1].splitlines()[0]
