"""Meta-tests of the rule packs: every rule is complete, and its examples run as tests.

`examples.bad` must produce the rule's finding on the first service of `bad` through the real
pipeline (load, schema, graph, rules); `examples.good` must not produce it at all.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sls_check.build import build_graph
from sls_check.loader import load_text
from sls_check.model import Finding
from sls_check.rules_engine.packs import Rule, load_rules
from sls_check.rules_engine.runner import run_rules
from sls_check.spec import arch_schema, check_spec

ROOT = Path(__file__).resolve().parent.parent
RULESET = load_rules()
RULES = [r for r in RULESET.rules if not r.engine]
CHECKED = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELD = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")
SERVICE_TYPES = arch_schema()["$defs"]["service"]["properties"]["type"]["enum"]


def _spec_text(rule: Rule, services: dict[str, Any]) -> str:
    doc = {"slscheck": 1, "name": "example", "region": rule.example_region, "services": services}
    return yaml.safe_dump(doc, sort_keys=False)


def _findings(rule: Rule, which: str) -> list[Finding]:
    services = rule.examples[which]
    spec = check_spec(load_text(_spec_text(rule, services).encode(), f"{rule.id}-{which}.yaml"))
    rps = rule.examples.get(f"{which}_rps")
    graph = build_graph(spec, rps=rps)
    return run_rules(spec, graph, RULESET).findings


def _ids(rules: list[Rule]) -> list[str]:
    return [r.id for r in rules]


def test_packs_load_and_have_rules() -> None:
    written = {r["id"] for p in sorted((ROOT / "rules").glob("*.yaml")) for r in yaml.safe_load(p.read_text())["rules"]}
    assert sorted(r.id for r in RULESET.rules) == sorted(written)  # every rule written in a pack, each once
    packs = {r.pack for r in RULES}
    for pack in (
        "lambda",
        "edge",
        "apigateway",
        "dynamodb",
        "messaging",
        "stepfunctions",
        "data",
        "containers",
        "cognito",
        "integration",
        "bestpractice",
    ):
        assert pack in packs, f"pack {pack} has no rules"


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_rule_is_complete(rule: Rule) -> None:
    for attr in ("id", "name", "summary", "rationale", "fix", "message", "docs"):
        assert getattr(rule, attr).strip(), f"{rule.id} has no {attr}"
    assert rule.docs.startswith("https://"), f"{rule.id}: docs must be an https address"
    assert CHECKED.match(rule.checked), f"{rule.id}: checked must be a date YYYY-MM-DD"
    assert rule.violation is not None, f"{rule.id} has no violation condition"
    assert isinstance(rule.examples.get("bad"), dict) and rule.examples["bad"], f"{rule.id} has no examples.bad"
    assert isinstance(rule.examples.get("good"), dict) and rule.examples["good"], f"{rule.id} has no examples.good"
    for svc_type in rule.applies_to or ():
        assert svc_type in SERVICE_TYPES, f"{rule.id}: applies_to names unknown type {svc_type}"


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_conflicting_rules_are_warnings_and_explained(rule: Rule) -> None:
    if rule.conflict:
        assert rule.severity.label != "error", f"{rule.id}: a rule resting on conflicting sources is a warning"


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_limits_referenced_exist(rule: Rule) -> None:
    for text in (rule.message, rule.fix):
        for name in FIELD.findall(text):
            if name.startswith("limit:"):
                assert name[6:] in RULESET.limits, f"{rule.id}: unknown limit {name[6:]} in a template"


def _first_service(rule: Rule) -> str:
    return next(iter(rule.examples["bad"]))


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_bad_example_triggers(rule: Rule) -> None:
    findings = _findings(rule, "bad")
    internal = [f for f in findings if f.rule_id == "SLS000"]
    assert not internal, f"{rule.id}: internal error {internal[0].message}"
    mine = [f for f in findings if f.rule_id == rule.id]
    assert mine, f"{rule.id}: examples.bad produced no {rule.id} finding (got {[f.rule_id for f in findings]})"
    first = _first_service(rule)
    assert any(f.service == first for f in mine), f"{rule.id}: the finding is not on {first}"
    for f in mine:
        for text in (f.message, f.fix):
            assert "?" not in text, f"{rule.id}: unknown template name in {text!r}"
            assert "not set" not in text, f"{rule.id}: a template variable is not set in {text!r}"


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_good_example_passes(rule: Rule) -> None:
    findings = _findings(rule, "good")
    internal = [f for f in findings if f.rule_id == "SLS000"]
    assert not internal, f"{rule.id}: internal error {internal[0].message}"
    mine = [f for f in findings if f.rule_id == rule.id]
    assert not mine, f"{rule.id}: examples.good still produces {mine[0].message!r}"


def test_templates_name_only_known_variables() -> None:
    """A template name the renderer cannot resolve prints `?`: catch it statically for limits."""
    for rule in RULES:
        for name in FIELD.findall(rule.message + rule.fix):
            assert not name.startswith("limit:") or name[6:] in RULESET.limits, (rule.id, name)


def _readme_section(begin: str, end: str) -> str:
    readme = ROOT / "docs" / "rules.md"  # the rule tables moved from the README to docs/rules.md
    assert readme.is_file(), "docs/rules.md is missing"
    text = readme.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        pytest.fail(
            f"docs/rules.md has no section between {begin} and {end}; add both markers and run "
            "`python scripts/update_readme_rules.py`"
        )
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def test_readme_rule_table_is_current() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sls_check", "rules", "--format", "markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    section = _readme_section("<!-- rules:begin -->", "<!-- rules:end -->")
    assert section == out.strip("\n"), "the README rule table drifted: run `python scripts/update_readme_rules.py`"


def test_readme_service_table_is_current() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import update_readme_rules
    finally:
        sys.path.pop(0)
    section = _readme_section("<!-- service-rules:begin -->", "<!-- service-rules:end -->")
    assert section == update_readme_rules.service_table(RULESET).strip("\n"), (
        "the README service table drifted: run `python scripts/update_readme_rules.py`"
    )


def test_every_service_type_has_rules() -> None:
    covered = {t for r in RULES for t in (r.applies_to or ())}
    assert set(SERVICE_TYPES) <= covered, f"no rule for {sorted(set(SERVICE_TYPES) - covered)}"


def test_samples_stay_clean() -> None:
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.yaml"))
    done = subprocess.run(
        [sys.executable, "-m", "sls_check", "validate", *samples], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_broken_samples_produce_their_area() -> None:
    broken = ROOT / "samples" / "broken"
    for pack in (
        "lambda",
        "edge",
        "apigateway",
        "dynamodb",
        "messaging",
        "stepfunctions",
        "data",
        "containers",
        "cognito",
        "integration",
        "bestpractice",
    ):
        path = broken / f"{pack}.yaml"
        assert path.is_file(), f"samples/broken/{pack}.yaml is missing"
        spec = check_spec(load_text(path.read_bytes(), str(path)))
        findings = run_rules(spec, build_graph(spec), RULESET).findings
        packs = {RULESET.by_id[f.rule_id].pack for f in findings if f.rule_id in RULESET.by_id}
        assert pack in packs, f"samples/broken/{pack}.yaml produces no {pack} finding"


def _arg_limits(node: object) -> list[str]:
    if isinstance(node, dict):
        return [name for value in node.values() for name in _arg_limits(value)]
    if isinstance(node, list):
        return [name for value in node for name in _arg_limits(value)]
    return [node[6:]] if isinstance(node, str) and node.startswith("limit:") else []


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_check_arguments_name_known_limits(rule: Rule) -> None:
    for name in _arg_limits([rule.when, rule.violation]):
        assert name in RULESET.limits, f"{rule.id}: named check argument refers to unknown limit {name}"


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_explain_prints_everything_offline(rule: Rule) -> None:
    from sls_check.commands.explain import explain_text

    text = explain_text(rule, RULESET)
    for part in (rule.id, rule.summary, rule.docs, rule.checked, "Triggers it:", "Does not:", "Fix:", "Reports:"):
        assert part in text, f"{rule.id}: explain lacks {part!r}"
    if rule.conflict:
        assert "Sources disagree:" in text
    assert "{limit:" not in text, f"{rule.id}: explain shows an unrendered limit"


def test_certificate_wildcards_cover_one_label() -> None:
    from sls_check.rules_engine.checks import _covers

    assert _covers("*.example.com", "www.example.com")
    assert not _covers("*.example.com", "example.com")
    assert not _covers("*.example.com", "a.b.example.com")
    assert _covers("Example.COM.", "example.com")


def test_fargate_memory_steps() -> None:
    from sls_check.rules_engine.checks import _fargate_memories

    assert _fargate_memories([0.5, 1, 2]) == [0.5, 1.0, 2.0]
    assert _fargate_memories({"min": 16, "max": 60, "step": 4})[:3] == [16.0, 20.0, 24.0]
    assert _fargate_memories({"min": 16, "max": 60, "step": 4})[-1] == 60.0


def _spec_findings(services: dict[str, Any], rule_id: str, region: str = "us-east-1") -> list[Finding]:
    doc = {"slscheck": 1, "name": "t", "region": region, "services": services}
    spec = check_spec(load_text(yaml.safe_dump(doc).encode(), "t.yaml"))
    return [f for f in run_rules(spec, build_graph(spec), RULESET).findings if f.rule_id == rule_id]


def test_unreserved_pool_counts_one_region_and_reports_once() -> None:
    services = {
        "a": {"type": "lambda", "runtime": "python3.13", "reserved_concurrency": 500},
        "b": {"type": "lambda", "runtime": "python3.13", "reserved_concurrency": 500},
        "c": {"type": "lambda", "runtime": "python3.13", "reserved_concurrency": 800, "region": "eu-west-1"},
    }
    found = _spec_findings(services, "LMB016")
    assert [f.service for f in found] == ["a"]
    assert "reserve 1,000 executions" in found[0].message and "100 over" in found[0].message


def test_account_override_raises_the_unreserved_pool() -> None:
    services = {"a": {"type": "lambda", "runtime": "python3.13", "reserved_concurrency": 1500}}
    doc = {
        "slscheck": 1,
        "name": "t",
        "region": "us-east-1",
        "account": {"lambda_concurrency": 3000},
        "services": services,
    }
    spec = check_spec(load_text(yaml.safe_dump(doc).encode(), "t.yaml"))
    assert not [f for f in run_rules(spec, build_graph(spec), RULESET).findings if f.rule_id == "LMB016"]


def test_payload_chain_uses_the_async_limit_for_sns_and_the_queue_maximum() -> None:
    services = {
        "topic": {"type": "sns", "message_kb": 800, "max_message_kb": 1024, "connects": ["fn", "q"]},
        "fn": {"type": "lambda", "runtime": "python3.13"},
        "q": {"type": "sqs", "max_message_kb": 512},
    }
    found = _spec_findings(services, "INT004")
    assert sorted(f.message for f in found) == [
        "topic sends 800 KB (message_kb) to q, but the queue takes at most 512 KB",
    ]
    services["topic"]["message_kb"] = 1024
    services["q"]["max_message_kb"] = 1024
    assert not _spec_findings(services, "INT004")


def test_api_timeout_uses_the_integration_timeout_when_set() -> None:
    services = {
        "api": {
            "type": "api_gateway",
            "api": "rest",
            "endpoint": "regional",
            "integration_timeout_s": 120,
            "connects": ["fn"],
        },
        "fn": {"type": "lambda", "runtime": "python3.13", "timeout_s": 90},
    }
    assert not _spec_findings(services, "INT001")
    services["fn"]["timeout_s"] = 150
    (found,) = _spec_findings(services, "INT001")
    assert "times out at 120 s" in found.message
