"""Traffic-model traps of issue 13: routes that multiply traffic, unit slips, and one severity
policy for limit findings in `validate` and `limits`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sls_check.limits import findings_for, rows_for
from sls_check.limits.rows import Row
from sls_check.model import Severity
from tests.conftest import ROOT, graph_of, run, spec_yaml

TODAY = dt.date(2026, 12, 1)
FN: dict[str, Any] = {"type": "lambda", "runtime": "python3.13", "memory_mb": 256, "timeout_s": 10, "duration_ms": 100}


def hits(services: dict[str, Any], rule_id: str, **top: Any) -> list[Any]:
    return [f for f in run(spec_yaml(services, **top), today=TODAY).findings if f.rule_id == rule_id]


# --- routes -------------------------------------------------------------------------------------------


def test_two_routes_without_calls_warn_with_the_way_to_write_them() -> None:
    api = {"type": "api_gateway", "api": "http", "connects": ["create_order", "get_order"]}
    found = hits({"api": api, "create_order": FN, "get_order": FN}, "BPR009")
    assert [(f.service, f.severity, f.location.line) for f in found] == [("api", Severity.WARNING, 9)]  # at `connects:`
    assert "add up to 2" in found[0].message and "create_order, get_order" in found[0].message
    assert "connects: [{to: create_order, calls: 0.5}, {to: get_order, calls: 0.5}]" in found[0].fix


@pytest.mark.parametrize(
    ("connects", "fires"),
    [
        ([{"to": "a", "calls": 0.7}, {"to": "b", "calls": 0.3}], False),
        (["a"], False),
        ([{"to": "a", "calls": 0.5}, "b"], True),  # b gets the full rate: 1.5
        ([{"to": "a", "calls": 0.8}, {"to": "b", "calls": 0.8}], True),
    ],
)
def test_route_shares(connects: list[Any], fires: bool) -> None:
    api = {"type": "api_gateway", "api": "rest", "connects": connects}
    assert bool(hits({"api": api, "a": FN, "b": FN}, "BPR009")) is fires


def test_a_function_that_calls_two_services_is_not_a_router() -> None:
    fn = {**FN, "connects": ["q1", "q2"]}
    assert hits({"fn": fn, "q1": {"type": "sqs"}, "q2": {"type": "sqs"}}, "BPR009") == []


def test_distribution_origins_are_shares_too() -> None:
    cdn = {"type": "cloudfront", "connects": ["site", "api"]}
    api = {"type": "api_gateway", "api": "http"}
    assert [f.service for f in hits({"cdn": cdn, "site": {"type": "s3"}, "api": api}, "BPR009")] == ["cdn"]


def test_init_template_shows_how_to_write_routes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sls_check", "init", "shop"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    text = "".join(p.read_text() for p in tmp_path.glob("*.yaml")) or done.stdout
    assert "{to: create_item, calls: 0.2}" in text and "BPR009" in text


# --- unit slips ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "key", "value", "meant", "unit"),
    [
        ({**FN}, "duration_ms", 0.15, "150", "seconds"),
        ({**FN}, "memory_mb", 2, "2,048", "GB"),
        ({"type": "dynamodb"}, "item_kb", 2048, "2", "bytes"),
        ({"type": "sqs"}, "message_kb", 4096, "4", "bytes"),
        ({"type": "fargate", "cpu": 1}, "memory_gb", 2048, "2", "MB"),
    ],
)
def test_unit_slip_names_the_likely_slip(
    service: dict[str, Any], key: str, value: float, meant: str, unit: str
) -> None:
    found = hits({"svc": {**service, key: value}}, "SLS001")
    assert len(found) == 1 and found[0].severity == Severity.WARNING
    assert f"looks written in {unit} and probably means {meant}" in found[0].message


@pytest.mark.parametrize(
    ("service", "key", "value"),
    [
        ({**FN}, "duration_ms", 1),
        ({**FN}, "memory_mb", 128),
        ({"type": "dynamodb"}, "item_kb", 400),
        ({**FN}, "duration_ms", 0),
    ],
)
def test_plausible_values_are_not_slips(service: dict[str, Any], key: str, value: float) -> None:
    assert hits({"svc": {**service, key: value}}, "SLS001") == []


# --- one severity policy ----------------------------------------------------------------------------


def _sfn(region: str, rps: float) -> str:
    flow = {"type": "step_functions", "workflow": "standard", "transitions": 9}
    return spec_yaml({"flow": flow}, region=region, workload={"rps": rps / 4, "peak_rps": rps})


def test_a_contested_quota_far_over_every_figure_is_an_error() -> None:
    # 400 executions/s x 9 transitions = 3,600/s against 800 (500 in the archived copy): over both
    graph = graph_of(_sfn("eu-central-1", 400))
    row = next(r for r in rows_for(graph) if r.quota == "sfn_state_transitions_rps")
    assert (row.status, row.judged()) == ("over", (Severity.ERROR, ""))
    found = [f for f in findings_for(graph) if f.rule_id == "LIM022"]
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "archived" not in found[0].message and "reference" not in found[0].message  # notes are in explain


def test_a_contested_figure_lowers_only_within_the_published_range() -> None:
    row = Row(
        "flow", "q", "sfn_state_transitions", 800, 900, "transitions/s", True, "", figure="conflict", confirmed=False
    )
    assert row.judged()[0] == Severity.WARNING and "disagree" in row.judged()[1]  # no other figure known
    between = dataclasses.replace(row, alternative=1000)
    severity, reason = between.judged()
    assert severity == Severity.WARNING and "AWS sources give 1,000 as well as 800" in reason
    assert dataclasses.replace(row, alternative=850).judged()[0] == Severity.ERROR  # over both
    assert dataclasses.replace(between, overridden=True).judged()[0] == Severity.ERROR  # the account's own figure


def test_unconfirmed_figures_and_soft_rows_say_why() -> None:
    row = Row(
        "pool", "q", "sfn_state_transitions", 120, 500, "requests/s", True, "", figure="unconfirmed", confirmed=False
    )
    severity, reason = row.judged()
    assert severity == Severity.WARNING and "could not be confirmed at an AWS page" in reason
    soft = dataclasses.replace(row, confirmed=True, figure="confirmed", soft=True)
    assert soft.judged()[0] == Severity.WARNING and "spill-over" in soft.judged()[1]
    assert dataclasses.replace(row, needed=100).judged() == (Severity.WARNING, "")  # warn: 83 %
    assert dataclasses.replace(row, needed=10).judged() == (None, "")


def test_limits_json_and_validate_agree(tmp_path: Path) -> None:
    spec = tmp_path / "arch.yaml"
    spec.write_text(_sfn("eu-central-1", 400))
    env = {"SLSCHECK_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin"}

    def cli(*args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "sls_check", *args], cwd=ROOT, capture_output=True, text=True, env=env
        )
        return json.loads(done.stdout)

    rows = {r["quota"]: r for r in cli("limits", str(spec), "--format", "json")["rows"]}
    findings = {f["rule_id"]: f for f in cli("validate", str(spec), "--format", "json")["findings"]}
    assert rows["sfn_state_transitions_rps"]["status"] == "over"
    assert rows["sfn_state_transitions_rps"]["severity"] == findings["LIM022"]["severity"] == "error"
    assert rows["sfn_start_execution_rps"]["severity"] == findings["LIM021"]["severity"] == "error"
