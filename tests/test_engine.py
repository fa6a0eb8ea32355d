"""The rule engine: operators, three-valued logic, per-peer rules, suppressions, internal errors, packs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sls_check.graph import Service, ServiceGraph
from sls_check.model import InputError, Severity
from sls_check.rules_engine import checks
from sls_check.rules_engine.conditions import MISSING, OPERATORS, Binding, evaluate
from sls_check.rules_engine.packs import load_rules
from sls_check.rules_engine.runner import run_rules

from .conftest import graph_of, ids, load_spec, run, spec_yaml


def binding(attrs: dict[str, Any]) -> Binding:
    svc = Service("s", "lambda", "us-east-1", attrs, ("services", "s"))
    graph = ServiceGraph()
    graph.add_service(svc)
    return Binding(graph, svc, limit_value=lambda name, s: {"ten": 10}.get(name, MISSING))


def ev(cond: dict[str, Any], attrs: dict[str, Any]) -> bool | None:
    return evaluate(cond, binding(attrs), {})


@pytest.mark.parametrize(
    "value, op, right, expected",
    [
        (0, "gt", 0, False),  # 0 > 0 is false, never "truthy"
        (0, "gte", 0, True),
        (0.0, "eq", 0, True),
        (0, "lt", 1, True),
        (0.0, "lt", 0.5, True),
        (False, "lt", 1, None),  # a boolean is not a number
        (True, "gt", 0, None),
        ("5", "gt", 1, None),  # a string is not a number
        (True, "eq", 1, False),  # True is not 1 in a spec
        (1, "eq", True, False),
        (False, "eq", False, True),
        (0, "eq", False, False),
        ("a", "in", ["a", "b"], True),
        (1, "in", [True], False),
        ("c", "not_in", ["a", "b"], True),
        ("a", "in", "abc", None),  # in needs a list
        ([1, 2], "contains", 2, True),
        ("nodejs20.x", "startswith", "nodejs", True),
        ("python3.12", "matches", r"python3\.1[0-9]", True),
        ("python3.12", "matches", r"python3", False),  # a full match, not a search
        ([1, 2, 3], "len_gt", 2, True),
        ([], "len_gt", 0, False),
        ({}, "len_gte", 0, True),
        (5, "len_gt", 1, None),
    ],
)
def test_operator_table(value: Any, op: str, right: Any, expected: bool | None) -> None:
    assert OPERATORS[op](value, right) is expected


def test_missing_key_is_not_applicable_and_none_too() -> None:
    assert ev({"key": "memory_mb", "op": "gt", "value": 1}, {}) is None
    assert ev({"key": "memory_mb", "op": "gt", "value": 1}, {"memory_mb": None}) is None
    assert ev({"key": "memory_mb", "op": "exists"}, {}) is False
    assert ev({"key": "memory_mb", "op": "missing"}, {}) is True
    assert ev({"key": "memory_mb", "op": "exists"}, {"memory_mb": 0}) is True
    assert ev({"key": "vpc.id", "op": "eq", "value": "v"}, {"vpc": {"id": "v"}}) is True


def test_limit_and_key2_comparisons() -> None:
    assert ev({"key": "a", "op": "gt", "limit": "ten"}, {"a": 11}) is True
    assert ev({"key": "a", "op": "gt", "limit": "ten"}, {"a": 10}) is False
    assert ev({"key": "a", "op": "gt", "limit": "unknown"}, {"a": 10}) is None
    assert ev({"key": "a", "op": "lt", "key2": "b"}, {"a": 1, "b": 2}) is True
    assert ev({"key": "a", "op": "lt", "key2": "b"}, {"a": 1}) is None


def test_three_valued_logic() -> None:
    t, f, na = (
        {"key": "x", "op": "eq", "value": 1},
        {"key": "x", "op": "eq", "value": 2},
        {"key": "nope", "op": "eq", "value": 1},
    )
    attrs = {"x": 1}
    assert ev({"all": [t, t]}, attrs) is True
    assert ev({"all": [t, f]}, attrs) is False
    assert ev({"all": [t, na]}, attrs) is None
    assert ev({"all": [f, na]}, attrs) is False
    assert ev({"any": [f, na]}, attrs) is False
    assert ev({"any": [na, na]}, attrs) is None
    assert ev({"any": [na, t]}, attrs) is True
    assert ev({"not": na}, attrs) is None
    assert ev({"not": f}, attrs) is True


def test_connects_to_and_from() -> None:
    g = graph_of(spec_yaml({"fn": {"type": "lambda", "connects": ["q"]}, "q": {"type": "sqs", "fifo": True}}))
    fn = Binding(g, g.services["fn"])
    q = Binding(g, g.services["q"])
    assert (
        evaluate({"connects_to": {"types": ["sqs"], "where": {"key": "peer.fifo", "op": "eq", "value": True}}}, fn, {})
        is True
    )
    assert evaluate({"connects_to": {"types": ["sns"]}}, fn, {}) is False
    assert (
        evaluate({"connects_to": {"types": ["sqs"], "where": {"key": "peer.nope", "op": "eq", "value": 1}}}, fn, {})
        is None
    )
    assert evaluate({"connected_from": {"types": ["lambda"]}}, q, {}) is True


def test_rule_that_raises_becomes_an_internal_error_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(b: Binding, args: dict[str, Any]) -> list[dict[str, Any]]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(checks.CHECKS, "env_size", boom)
    result = run(spec_yaml({"fn": {"type": "lambda", "env": {"A": "b"}, "memory_mb": 20480}}))
    assert "SLS000" in ids(result.findings) and "LMB001" in ids(result.findings)
    internal = next(f for f in result.findings if f.rule_id == "SLS000")
    assert "LMB004" in internal.message and "ZeroDivisionError" in internal.message
    assert internal.location.line == 5  # at the service


def test_findings_are_sorted_deterministically() -> None:
    text = spec_yaml(
        {"b": {"type": "lambda", "timeout_s": 1000, "memory_mb": 99999}, "a": {"type": "lambda", "memory_mb": 64}}
    )
    first = run(text).findings
    assert first == run(text).findings
    assert [(f.location.line, f.rule_id) for f in first] == sorted((f.location.line, f.rule_id) for f in first)


def suppressed(entry: dict[str, Any], **svc: Any) -> Any:
    return run(spec_yaml({"fn": {"type": "lambda", "memory_mb": 20480, **svc, "suppress": [entry]}}))


def test_suppression_with_reason_hides_and_is_counted() -> None:
    result = suppressed({"rule": "LMB001", "reason": "load test only"})
    assert "LMB001" not in ids(result.findings)
    assert [f.rule_id for f in result.suppressed] == ["LMB001"]
    assert result.suppressed[0].suppressed_by == "load test only"


def test_suppression_by_rule_name() -> None:
    assert ids(suppressed({"rule": "lambda-memory-range", "reason": "x"}).suppressed) == ["LMB001"]


@pytest.mark.parametrize(
    "entry, expected",
    [
        ({"rule": "LMB001"}, "SUP001"),
        ({"rule": "LMB001", "reason": "  "}, "SUP001"),
        ({"rule": "LMB999", "reason": "x"}, "SUP002"),
        ({"rule": "LMB002", "reason": "x"}, "SUP003"),
        ({"rule": "LMB001", "reason": "x", "until": "2026-11-25"}, "SUP004"),
    ],
)
def test_untrustworthy_suppressions_are_findings(entry: dict[str, Any], expected: str) -> None:
    result = suppressed(entry)
    assert expected in ids(result.findings)
    if expected != "SUP003":  # not honoured: the finding stays
        assert "LMB001" in ids(result.findings)


def test_suppression_until_today_still_applies() -> None:
    result = suppressed({"rule": "LMB001", "reason": "x", "until": "2026-11-26"})
    assert "LMB001" not in ids(result.findings) and "SUP004" not in ids(result.findings)


def test_sup_severities() -> None:
    result = suppressed({"rule": "LMB002", "reason": "x"})
    assert next(f for f in result.findings if f.rule_id == "SUP003").severity == Severity.WARNING


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text)
    return path


GOOD_PACK = """pack: mine
description: A team's own rules.
rules:
  - id: TEAM001
    name: team-memory-floor
    severity: warning
    summary: Our functions use at least 256 MB.
    rationale: Below 256 MB our cold starts are too slow.
    docs: https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
    checked: 2026-11-26
    applies_to: [lambda]
    violation: {key: memory_mb, op: lt, value: 256}
    at: memory_mb
    message: "memory_mb is {memory_mb} MB; the team minimum is 256 MB"
    fix: Set memory_mb to 256 or more.
    examples:
      bad: {fn: {type: lambda, memory_mb: 128}}
      good: {fn: {type: lambda, memory_mb: 256}}
"""


def test_user_pack_with_rules_option(tmp_path: Path) -> None:
    ruleset = load_rules([write(tmp_path, GOOD_PACK)])
    spec = load_spec(spec_yaml({"fn": {"type": "lambda"}}))
    from sls_check.build import build_graph

    result = run_rules(spec, build_graph(spec), ruleset, today=dt.date(2026, 11, 26))
    (f,) = [f for f in result.findings if f.rule_id == "TEAM001"]
    assert f.message == "memory_mb is 128 MB; the team minimum is 256 MB" and f.severity == Severity.WARNING
    assert f.location.line == 5  # memory_mb is a default: the finding points at the service


@pytest.mark.parametrize(
    "change, fragment",
    [
        (("severity: warning", "severity: fatal"), "severity"),
        (("id: TEAM001", "id: LMB001"), "already defined"),
        (("op: lt", "op: lessthan"), "op"),
        (("    fix: Set memory_mb to 256 or more.\n", ""), "fix"),
        (("{key: memory_mb, op: lt, value: 256}", "{check: no_such_check}"), "no_such_check"),
        (("{key: memory_mb, op: lt, value: 256}", "{key: memory_mb, op: lt, limit: no_such_limit}"), "no_such_limit"),
        (("pack: mine", "pack: mine\npack: again"), "duplicate key"),
    ],
)
def test_broken_pack_is_an_input_error_with_position(tmp_path: Path, change: tuple[str, str], fragment: str) -> None:
    path = write(tmp_path, GOOD_PACK.replace(*change))
    with pytest.raises(InputError) as err:
        load_rules([path])
    text = str(err.value)
    assert "pack.yaml:" in text and fragment in text


@pytest.mark.parametrize(
    ("value", "right", "expected"),
    [([1, 2], 2, True), ([1, 2, 3], 2, False), ("ab", 2, True), ({}, 0, True), (5, 1, None)],
)
def test_len_lte_includes_the_boundary(value: Any, right: Any, expected: bool | None) -> None:
    assert OPERATORS["len_lte"](value, right) is expected


def test_region_facts_are_computed_from_the_graph_and_never_stored_on_it() -> None:
    from sls_check.rules_engine.conditions import RegionFacts, region_facts

    g = graph_of(
        spec_yaml(
            {
                "a": {"type": "lambda", "runtime": "python3.12", "reserved_concurrency": 400},
                "b": {"type": "lambda", "runtime": "python3.12", "provisioned_concurrency": 50},
                "c": {"type": "lambda", "runtime": "python3.12"},
                "d": {"type": "lambda", "runtime": "python3.12", "region": "eu-west-1", "reserved_concurrency": 0},
            }
        )
    )
    facts = region_facts(g)
    assert {r: [(s.id, n, label) for s, n, label in f.concurrency_takers] for r, f in facts.items()} == {
        "us-east-1": [("a", 400.0, "a"), ("b", 50.0, "b (provisioned)")],
        "eu-west-1": [("d", 0.0, "d")],
    }
    assert Binding(g, g.services["c"]).region("ap-south-1") == RegionFacts()
    assert not hasattr(g, "memo")  # a check has no scratch space on the graph to write into


@pytest.mark.parametrize(
    ("api", "cert_region", "expected"),
    [
        ("rest", "eu-west-1", ["APG001"]),  # REST defaults to edge-optimized: certificate must be in us-east-1
        ("http", "us-east-1", ["APG002"]),  # HTTP defaults to regional: certificate in the API's Region
        (None, "eu-west-1", []),  # API type unset: the endpoint is unknown, no endpoint rule judges it
        (None, "us-east-1", []),
    ],
)
def test_endpoint_default_follows_the_api_type_and_is_unknown_without_one(
    api: str | None, cert_region: str, expected: list[str]
) -> None:
    svc: dict[str, Any] = {"type": "api_gateway", "custom_domain": {"name": "api.example.com", "certificate": "cert"}}
    if api:
        svc["api"] = api
    text = spec_yaml(
        {"api": svc, "cert": {"type": "acm_certificate", "domain": "api.example.com", "region": cert_region}},
        region="eu-west-1",
    )
    found = [i for i in ids(run(text).findings) if i in ("APG001", "APG002")]
    assert found == expected
