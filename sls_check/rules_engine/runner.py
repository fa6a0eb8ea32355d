"""Run rules over a service graph: findings, suppressions, internal errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sls_check import ISSUES
from sls_check.graph import Service, ServiceGraph
from sls_check.model import Finding, Location, Severity
from sls_check.reporters.numbers import number as fmt
from sls_check.rules_engine.checks import CHECKS
from sls_check.rules_engine.conditions import MISSING, Binding, RegionFacts, evaluate, peers, region_facts
from sls_check.rules_engine.messages import FIELD as _FIELD
from sls_check.rules_engine.messages import engine_finding
from sls_check.rules_engine.packs import Rule, RuleSet
from sls_check.rules_engine.suppressions import apply_spec
from sls_check.runtimes import run_date
from sls_check.spec import Spec

INTERNAL = "SLS000"
__all__ = ["INTERNAL", "RunResult", "apply_suppressions", "engine_finding", "fmt", "run_rules"]


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def render(template: str, b: Binding, ruleset: RuleSet, extra: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in extra:
            return fmt(extra[name])
        if name == "service":
            return b.service.id
        if name.startswith("limit:"):
            limit = name[6:]
            if limit in ruleset.limits:
                return fmt(ruleset.limits[limit].resolve(b.service.region, b.graph.account))
            return "?"
        if name == "peer" and b.peer:
            return b.peer.id
        value = b.lookup(name)
        return "not set" if value is MISSING else fmt(value)

    return _FIELD.sub(one, template)


class _Locator:
    def __init__(self, spec: Spec):
        self.spec = spec

    def service(self, svc: Service) -> Location:
        return self.spec.locate(svc.path, key=True)

    def key(self, svc: Service, key: str) -> Location:
        path = (*svc.path, *key.split("."))
        positions = self.spec.doc.positions
        # point at the deepest part of the key that is written in the spec
        while len(path) > len(svc.path):
            if path in positions:
                return self.spec.locate(path)
            path = path[:-1]
        return self.service(svc)

    def at(self, rule_at: str | None, b: Binding) -> Location:
        if not rule_at:
            return self.service(b.service)
        if rule_at == "edge" and b.edge is not None:
            return self.spec.locate(b.edge.path)
        if rule_at.startswith("peer.") and b.peer is not None:
            return self.key(b.peer, rule_at[5:])
        return self.key(b.service, rule_at)


def _bindings(
    rule: Rule,
    graph: ServiceGraph,
    svc: Service,
    ruleset: RuleSet,
    today: dt.date | None = None,
    regions: Mapping[str, RegionFacts] | None = None,
) -> list[Binding]:
    def limit_value(name: str, service: Service) -> float:
        return ruleset.limit_value(name, service, graph)

    base = Binding(graph, svc, limit_value=limit_value, today=today, regions=regions)
    if not rule.for_each:
        return [base]
    out = rule.for_each["direction"] == "out"
    return [base.with_peer(peer, edge) for peer, edge in peers(graph, svc, out, rule.for_each)]


def _finding(rule: Rule, b: Binding, loc: Location, ruleset: RuleSet, extra: dict[str, Any]) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        service=b.service.id,
        message=render(rule.message, b, ruleset, extra),
        fix=render(rule.fix, b, ruleset, extra),
        docs=rule.docs,
        location=loc,
    )


def evaluate_rule(
    rule: Rule,
    graph: ServiceGraph,
    svc: Service,
    ruleset: RuleSet,
    locator: _Locator,
    today: dt.date | None = None,
    regions: Mapping[str, RegionFacts] | None = None,
) -> list[Finding]:
    """The findings of one rule on one service: for each binding (the service, or each peer of
    `for_each`) where `when` holds, the violation's hits rendered with the rule's message and fix
    at the rule's `at` position; one finding per place, further peers named in it."""
    found: list[Finding] = []
    also: dict[int, list[str]] = {}  # index in found -> further peers with the same finding
    violation = rule.violation  # never None for a rule that runs here (packs checks it on load)
    for b in _bindings(rule, graph, svc, ruleset, today, regions):
        if rule.when is not None and evaluate(rule.when, b, CHECKS) is not True:
            continue
        hits: list[dict[str, Any]] = []
        if violation is None or evaluate(violation, b, CHECKS, hits) is not True:
            continue
        for extra in hits or [{}]:
            loc = locator.key(b.service, extra["at"]) if "at" in extra else locator.at(rule.at, b)
            finding = _finding(rule, b, loc, ruleset, extra)
            if "severity" in extra:  # a check that grades its own hits (LMB021: warning before a date, error after)
                finding = replace(finding, severity=Severity.parse(str(extra["severity"])))
            # one problem of the service seen through several peers (a Lambda@Edge function shared
            # by two distributions): one finding at one place with one fix, naming the other peers
            same = next(
                (i for i, f in enumerate(found) if b.peer is not None and f.location == loc and f.fix == finding.fix),
                None,
            )
            if same is None or b.peer is None:
                found.append(finding)
            elif b.peer.id not in also.setdefault(same, []):
                also[same].append(b.peer.id)
    for i, others in also.items():
        found[i] = replace(found[i], message=f"{found[i].message} (also through {fmt(others)})")
    return found


def _internal_error(rule: Rule, svc: Service, loc: Location, exc: Exception) -> Finding:
    return Finding(
        rule_id=INTERNAL,
        rule_name="internal-error",
        severity=Severity.ERROR,
        service=svc.id,
        message=f"rule {rule.id} ({rule.name}) failed on this service: {type(exc).__name__}: {exc}",
        fix="This is a bug in slscheck or in a rule pack; the other rules still ran. Please report it with the spec.",
        docs=ISSUES,
        location=loc,
    )


def run_rules(
    spec: Spec,
    graph: ServiceGraph,
    ruleset: RuleSet,
    *,
    today: dt.date | None = None,
    extra_findings: list[Finding] | None = None,
    enabled: Callable[[str], bool] | None = None,
) -> RunResult:
    """`enabled` (rule id -> bool, from the configuration's select/ignore) skips rules that are off;
    a suppression of a rule that is off is not reported as unused."""
    locator = _Locator(spec)
    today = run_date(today)
    findings: list[Finding] = [f for f in extra_findings or [] if enabled is None or enabled(f.rule_id)]
    by_type: dict[str, list[Service]] = {}
    for svc in graph.services.values():
        by_type.setdefault(svc.type, []).append(svc)
    everything = list(graph.services.values())
    regions = region_facts(graph)
    for rule in ruleset.rules:
        if rule.engine or (enabled is not None and not enabled(rule.id)):
            continue
        targets = everything if rule.applies_to is None else [s for t in rule.applies_to for s in by_type.get(t, ())]
        for svc in targets:
            try:
                findings.extend(evaluate_rule(rule, graph, svc, ruleset, locator, today, regions))
            except Exception as exc:  # a broken rule must not stop the others
                findings.append(_internal_error(rule, svc, locator.service(svc), exc))
    result = apply_suppressions(spec, graph, ruleset, findings, today, enabled=enabled)
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    return result


def apply_suppressions(
    spec: Spec,
    graph: ServiceGraph,
    ruleset: RuleSet,
    findings: list[Finding],
    today: dt.date,
    enabled: Callable[[str], bool] | None = None,
) -> RunResult:
    """The spec's own `suppress:` entries (sls_check.rules_engine.suppressions does the work)."""
    kept, hidden = apply_spec(spec, ruleset, findings, today, enabled)
    return RunResult(kept, hidden)
