"""`slscheck diff OLD NEW`: findings added and removed, cost delta, headroom changes, exit code on new findings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sls_check.api import load
from sls_check.diff import compare
from sls_check.pricing import price_graph
from sls_check.reporters.diff import cost_headline, percent, usd_delta

from .conftest import TODAY, run_cli, spec_yaml


def spec(
    memory: int = 512, peak: int = 100, ephemeral: int | None = None, extra: dict | None = None, comment: str = ""
) -> str:
    fn = {
        "type": "lambda",
        "runtime": "python3.12",
        "architecture": "arm64",
        "memory_mb": memory,
        "timeout_s": 10,
        "duration_ms": 80,
        "connects": [{"to": "items", "reads": 1, "writes": 0.2}],
    }
    if ephemeral is not None:
        fn["ephemeral_storage_mb"] = ephemeral
    services = {
        "api": {"type": "api_gateway", "api": "http", "connects": ["handler"]},
        "handler": fn,
        "items": {"type": "dynamodb", "billing": "on_demand", "item_kb": 1, "storage_gb": 5},
        **(extra or {}),
    }
    return comment + spec_yaml(services, workload={"rps": 20, "peak_rps": peak})


cli = run_cli


def write(tmp: Path, old: str, new: str) -> None:
    (tmp / "old.yaml").write_text(old, encoding="utf-8")
    (tmp / "new.yaml").write_text(new, encoding="utf-8")


def test_formatting() -> None:
    assert usd_delta(Decimal("41.2")) == "+$41" and usd_delta(Decimal("-3.204")) == "-$3.20"
    assert usd_delta(Decimal("0.001")) == "±$0" and usd_delta(Decimal("1234.5")) == "+$1,234"
    assert percent(12.3) == "+12 %" and percent(-4.25) == "-4.2 %" and percent(0.01) == "±0 %"
    assert percent(None) == "new"


def test_moved_lines_and_changed_numbers_are_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, spec(ephemeral=100), spec(ephemeral=200, comment="# moved\n# down\n"))
    d = compare(Path("old.yaml"), Path("new.yaml"), today=TODAY)
    assert d.added == [] and d.removed == [] and d.unchanged == 1


def test_added_and_fixed_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, spec(memory=64), spec(ephemeral=100))
    d = compare(Path("old.yaml"), Path("new.yaml"), today=TODAY)
    assert [(f.rule_id, f.service, f.location.file) for f in d.added] == [("LMB003", "handler", "new.yaml")]
    assert [(f.rule_id, f.location.file) for f in d.removed] == [("LMB001", "old.yaml")]


def test_cost_delta_total_and_per_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, spec(), spec(memory=1024, extra={"jobs": {"type": "sqs"}}))
    d = compare(Path("old.yaml"), Path("new.yaml"), today=TODAY)
    old_total = price_graph(load(Path("old.yaml")).graph).total
    new_total = price_graph(load(Path("new.yaml")).graph).total
    assert (d.old_cost, d.new_cost) == (old_total, new_total) and new_total > old_total
    assert d.cost_delta == new_total - old_total
    assert (
        cost_headline(d) == f"monthly estimate {usd_delta(new_total - old_total)} "
        f"({percent(float((new_total - old_total) / old_total * 100))})"
    )
    by = {s.service: s for s in d.services}
    assert by["handler"].delta > 0
    assert sum((s.delta for s in d.services), Decimal(0)) == d.cost_delta  # unlisted services did not change
    assert by["jobs"].old is None  # a new service
    assert "api" not in by  # unchanged services are not listed


def test_headroom_changes_with_peak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, spec(peak=100), spec(peak=900))
    d = compare(Path("old.yaml"), Path("new.yaml"), today=TODAY)
    api = next(h for h in d.headroom if h.service == "api" and h.quota == "apigw_throttle_rps")
    assert api.old is not None and api.new is not None and api.new < api.old
    assert [h.new for h in d.headroom] == sorted(h.new for h in d.headroom)  # tightest first


def test_exit_code_counts_new_findings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, spec(memory=64), spec(memory=64, peak=150))  # the same error on both sides
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "--no-config")
    assert code == 0, out
    assert out.splitlines()[1].startswith("0 new findings; 0 fixed; monthly estimate ")
    write(tmp_path, spec(), spec(ephemeral=100))
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "--no-config")
    assert code == 1 and "+ new.yaml:" in out and "LMB003" in out
    assert (
        cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "--fail-on", "never", "--no-config")[0] == 0
    )
    (tmp_path / ".slscheck.yaml").write_text("severity: {LMB003: warning}\n")
    assert cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml")[0] == 0  # a warning: below error
    assert cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "--fail-on", "warning")[0] == 1


def test_markdown_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, spec(), spec(memory=1024, ephemeral=100))
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "-f", "markdown", "--no-config")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("### ❌ slscheck: 1 new finding (1 error); 0 fixed; monthly estimate +$")
    assert first.endswith(" %)")
    assert "| `handler` | lambda | $" in out and "**Quota headroom**" not in out  # same peak: no headroom change
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "-f", "json", "--no-config")
    doc = json.loads(out)
    assert [f["rule_id"] for f in doc["findings"]["added"]] == ["LMB003"]
    assert doc["cost"]["delta"] == round(doc["cost"]["new"] - doc["cost"]["old"], 2) > 0


def test_input_problem_in_either_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, spec(), spec().replace("memory_mb: 512", "memroy_mb: 512"))
    code, out, err = cli(capsys, monkeypatch, tmp_path, "diff", "old.yaml", "new.yaml", "--no-config")
    assert code == 2 and out == "" and err.startswith("new.yaml:") and "memroy_mb" in err


def test_old_version_from_elsewhere_gets_the_new_files_suppressions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """CI writes the base version to /tmp: a suppression scoped to infra/*.arch.yaml must still apply to it."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "infra" / "shop.arch.yaml").write_text(spec(memory=64), encoding="utf-8")
    (tmp_path / "base" / "old.yaml").write_text(spec(memory=64), encoding="utf-8")
    (tmp_path / ".slscheck.yaml").write_text(
        "suppress:\n  - {rule: LMB001, file: 'infra/*.arch.yaml', reason: 'health check only'}\n"
    )
    code, out, _ = cli(capsys, monkeypatch, tmp_path, "diff", "base/old.yaml", "infra/shop.arch.yaml", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["findings"]["added"] == [] and doc["findings"]["removed"] == []
