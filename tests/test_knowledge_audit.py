"""The knowledge audit (issue 13): stale rules fixed, the runtime table, dates of the run.

Every case runs a spec through the real pipeline (load, schema, graph, rules) and asserts the
rule, its severity and where it points.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sls_check.model import InputError, Severity
from sls_check.runtimes import run_date, runtime_table
from sls_check.spec import arch_schema
from tests.conftest import ROOT, run, spec_yaml


def _one(text: str, rule_id: str, today: dt.date) -> list[tuple[str, Severity, int]]:
    found = run(text, today=today).findings
    return [(f.service, f.severity, f.location.line) for f in found if f.rule_id == rule_id]


FN = {"type": "lambda", "memory_mb": 256, "timeout_s": 10}


# --- the runtime table ----------------------------------------------------------------------------


def test_schema_enum_is_the_runtime_tables_zip_runtimes() -> None:
    enum = arch_schema()["$defs"]["lambda"]["properties"]["runtime"]["enum"]
    assert enum == runtime_table().zip_ids()
    assert "dotnet9" not in enum  # .NET 9 is a container base image only
    assert runtime_table().get("dotnet9") is not None and runtime_table().get("dotnet9").zip is False  # type: ignore[union-attr]
    # the file on disk (what editors read) says the same
    on_disk = json.loads((ROOT / "schemas" / "arch.schema.json").read_text())
    assert on_disk["$defs"]["lambda"]["properties"]["runtime"]["enum"] == enum


def test_the_runtime_table_reads_the_same_with_libyaml_as_with_the_pure_python_loader() -> None:
    """runtime_table() uses yaml.CSafeLoader when PyYAML has it (start-up, issue 12): same data, dates as dates."""
    import yaml

    text = (ROOT / "runtimes" / "lambda.yaml").read_text(encoding="utf-8")
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(text, Loader=loader) == pure
    table = runtime_table()
    assert list(table.runtimes) == [str(k) for k in pure["runtimes"]]
    assert table.get("nodejs20.x").deprecation == dt.date(2026, 4, 30)  # type: ignore[union-attr]


def test_dotnet9_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        run(spec_yaml({"fn": {**FN, "runtime": "dotnet9"}}))
    assert "arch.yaml:9:14:" in str(err.value) and "dotnet9" in str(err.value)


def test_every_runtime_has_a_deprecation_date_and_a_source() -> None:
    for rt in runtime_table().runtimes.values():
        assert rt.deprecation is not None, rt.id
        assert rt.source, rt.id
        assert set(rt.architectures) <= {"x86_64", "arm64"}, rt.id


@pytest.mark.parametrize(
    ("runtime", "today", "expected"),
    [
        ("nodejs20.x", dt.date(2025, 10, 1), []),  # more than 60 days before 2026-04-30
        ("nodejs20.x", dt.date(2026, 2, 28), []),  # 61 days before
        ("nodejs20.x", dt.date(2026, 3, 1), [Severity.WARNING]),
        ("nodejs20.x", dt.date(2026, 4, 30), [Severity.ERROR]),  # the deprecation date itself
        ("nodejs20.x", dt.date(2026, 12, 1), [Severity.ERROR]),
        ("dotnet8", dt.date(2026, 11, 9), [Severity.WARNING]),
        ("dotnet8", dt.date(2026, 11, 10), [Severity.ERROR]),
        ("python3.9", dt.date(2026, 12, 1), [Severity.ERROR]),
        ("python3.13", dt.date(2026, 12, 1), []),
        ("nodejs24.x", dt.date(2026, 12, 1), []),
        ("nodejs22.x", dt.date(2026, 12, 1), []),  # 2027-04-30 is 150 days away
        ("nodejs22.x", dt.date(2027, 3, 15), [Severity.WARNING]),
    ],
)
def test_lmb021_follows_the_date_of_the_run(runtime: str, today: dt.date, expected: list[Severity]) -> None:
    text = spec_yaml({"fn": {**FN, "runtime": runtime}})
    got = _one(text, "LMB021", today)
    assert [sev for _, sev, _ in got] == expected
    if got:
        assert got[0][2] == 9  # points at `runtime:`


def test_lmb021_message_names_the_dates_and_a_successor() -> None:
    text = spec_yaml({"fn": {**FN, "runtime": "nodejs20.x"}})
    f = next(f for f in run(text, today=dt.date(2026, 12, 1)).findings if f.rule_id == "LMB021")
    assert "2026-04-30" in f.message and "2026-06-01" in f.message and "2026-07-01" in f.message
    assert "nodejs24.x" in f.fix
    soon = next(f for f in run(text, today=dt.date(2026, 3, 1)).findings if f.rule_id == "LMB021")
    assert "will be deprecated on 2026-04-30 (60 days" in soon.message


def test_slscheck_today_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLSCHECK_TODAY", "2026-03-01")
    assert run_date() == dt.date(2026, 3, 1)
    assert run_date(dt.date(2020, 1, 1)) == dt.date(2020, 1, 1)  # an explicit date wins
    monkeypatch.setenv("SLSCHECK_TODAY", "tomorrow")
    with pytest.raises(InputError) as err:
        run_date()
    assert "SLSCHECK_TODAY" in str(err.value)


def test_slscheck_today_through_the_cli(tmp_path: Path) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(spec_yaml({"fn": {**FN, "runtime": "nodejs20.x"}}))
    env = {"SLSCHECK_TODAY": "2026-03-01", "PATH": "/usr/bin:/bin"}
    early = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", str(spec), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    found = [f for f in json.loads(early.stdout)["findings"] if f["rule_id"] == "LMB021"]
    assert [f["severity"] for f in found] == ["warning"] and early.returncode == 0
    late = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "SLSCHECK_TODAY": "2026-05-01"},
    )
    assert late.returncode == 1 and "LMB021" in late.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "SLSCHECK_TODAY": "2026-13-01"},
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("<environment>:1:1: SLSCHECK_TODAY")


@pytest.mark.parametrize("today", ["2026-12-01", "2027-01-15"])
def test_samples_use_no_deprecated_runtime(today: str) -> None:
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.yaml"))
    done = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", "--fail-on", "error", "--format", "json", *samples],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SLSCHECK_TODAY": today, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [f for f in json.loads(done.stdout)["findings"] if f["rule_id"] == "LMB021" and f["severity"] == "error"]


# --- SnapStart -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runtime", "fires"),
    [("python3.11", True), ("python3.12", False), ("java11", False), ("dotnet8", False), ("nodejs24.x", True)],
)
def test_lmb010_reads_the_runtime_table(runtime: str, fires: bool) -> None:
    text = spec_yaml({"fn": {**FN, "runtime": runtime, "snapstart": True}})
    assert bool(_one(text, "LMB010", dt.date(2026, 1, 1))) is fires


# --- Step Functions history events ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "fires"),
    [
        ({"transitions": 13000}, True),  # 26,002 events at least
        ({"transitions": 12499}, False),  # 25,000 events
        ({"transitions": 12500}, True),
        ({"transitions": 13000, "history_events": 24000}, False),  # the stated count wins
        ({"history_events": 30000}, True),
    ],
)
def test_sfn004_counts_history_events(keys: dict[str, int], fires: bool) -> None:
    text = spec_yaml({"flow": {"type": "step_functions", "workflow": "standard", **keys}})
    assert bool(_one(text, "SFN004", dt.date(2026, 1, 1))) is fires


def test_sfn004_express_is_not_limited() -> None:
    text = spec_yaml({"flow": {"type": "step_functions", "workflow": "express", "transitions": 30000}})
    assert _one(text, "SFN004", dt.date(2026, 1, 1)) == []


# --- Lambda@Edge restrictions whose sources conflict ---------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "keys", "severity"),
    [
        ("EDG005", {"architecture": "arm64"}, Severity.WARNING),
        ("EDG010", {"tracing": "active"}, Severity.WARNING),
        ("EDG012", {"kms_key": "alias/app"}, Severity.INFO),
    ],
)
def test_edge_restrictions_no_longer_on_the_page_are_not_errors(
    rule_id: str, keys: dict[str, str], severity: Severity
) -> None:
    text = spec_yaml(
        {
            "fn": {"type": "lambda", "runtime": "nodejs22.x", "region": "us-east-1", **keys},
            "cdn": {"type": "cloudfront", "functions": [{"function": "fn", "event": "origin-request"}]},
        }
    )
    got = _one(text, rule_id, dt.date(2026, 1, 1))
    assert [sev for _, sev, _ in got] == [severity]


def test_explain_says_what_conflicts() -> None:
    from sls_check.commands.explain import explain_text
    from sls_check.rules_engine.packs import load_rules

    rules = load_rules()
    text = explain_text(rules.by_id["EDG005"], rules)
    assert "Sources disagree:" in text and "2023" in text and "arm64" in text
