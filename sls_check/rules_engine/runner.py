"""Run rules over a service graph: findings, suppressions, internal errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sls_check.graph import Service, ServiceGraph
from sls_check.model import Finding, Location, Severity
from sls_check.rules_engine.checks import CHECKS
from sls_check.rules_engine.conditions import MISSING, Binding, evaluate, peers
from sls_check.rules_engine.packs import Rule, RuleSet
from sls_check.spec import Spec

_FIELD = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")
INTERNAL = "SLS000"


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


def fmt(value: Any) -> str:
    """Numbers with thousands separators and no trailing zeros; lists joined; VPC maps by id."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
        return text
    if isinstance(value, list):
        return ", ".join(fmt(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return str(value["id"]) if "id" in value else ", ".join(f"{k}={fmt(v)}" for k, v in value.items())
    if value is None:
        return "none"
    return str(value)


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


def _bindings(rule: Rule, graph: ServiceGraph, svc: Service, ruleset: RuleSet) -> list[Binding]:
    def limit_value(name: str, service: Service) -> float:
        return ruleset.limit_value(name, service, graph)

    base = Binding(graph, svc, limit_value=limit_value)
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


def evaluate_rule(rule: Rule, graph: ServiceGraph, svc: Service, ruleset: RuleSet, locator: _Locator) -> list[Finding]:
    found: list[Finding] = []
    also: dict[int, list[str]] = {}  # index in found -> further peers with the same finding
    for b in _bindings(rule, graph, svc, ruleset):
        if rule.when is not None and evaluate(rule.when, b, CHECKS) is not True:
            continue
        hits: list[dict[str, Any]] = []
        assert rule.violation is not None
        if evaluate(rule.violation, b, CHECKS, hits) is not True:
            continue
        for extra in hits or [{}]:
            loc = locator.key(b.service, extra["at"]) if "at" in extra else locator.at(rule.at, b)
            finding = _finding(rule, b, loc, ruleset, extra)
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
        found[i] = Finding(**{**found[i].__dict__, "message": f"{found[i].message} (also through {fmt(others)})"})
    return found


def _internal_error(rule: Rule, svc: Service, loc: Location, exc: Exception) -> Finding:
    return Finding(
        rule_id=INTERNAL,
        rule_name="internal-error",
        severity=Severity.ERROR,
        service=svc.id,
        message=f"rule {rule.id} ({rule.name}) failed on this service: {type(exc).__name__}: {exc}",
        fix="This is a bug in slscheck or in a rule pack; the other rules still ran. Please report it with the spec.",
        docs="https://github.com/slscheck/slscheck/issues",
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
    findings: list[Finding] = [f for f in extra_findings or [] if enabled is None or enabled(f.rule_id)]
    by_type: dict[str, list[Service]] = {}
    for svc in graph.services.values():
        by_type.setdefault(svc.type, []).append(svc)
    everything = list(graph.services.values())
    for rule in ruleset.rules:
        if rule.engine or (enabled is not None and not enabled(rule.id)):
            continue
        targets = everything if rule.applies_to is None else [s for t in rule.applies_to for s in by_type.get(t, ())]
        for svc in targets:
            try:
                findings.extend(evaluate_rule(rule, graph, svc, ruleset, locator))
            except Exception as exc:  # a broken rule must not stop the others
                findings.append(_internal_error(rule, svc, locator.service(svc), exc))
    result = apply_suppressions(spec, graph, ruleset, findings, today or dt.date.today(), enabled=enabled)
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    return result


def engine_finding(ruleset: RuleSet, rule_id: str, service: str, loc: Location, **values: Any) -> Finding:
    """A finding of an engine rule (SUP..., LIM...) whose metadata lives in a pack."""
    rule = ruleset.by_id[rule_id]
    text = _FIELD.sub(lambda m: fmt(values.get(m.group(1), "?")) if m.group(1) != "service" else service, rule.message)
    fix = _FIELD.sub(lambda m: fmt(values.get(m.group(1), "?")) if m.group(1) != "service" else service, rule.fix)
    return Finding(rule.id, rule.name, rule.severity, service, text, fix, rule.docs, loc)


def apply_suppressions(
    spec: Spec,
    graph: ServiceGraph,
    ruleset: RuleSet,
    findings: list[Finding],
    today: dt.date,
    enabled: Callable[[str], bool] | None = None,
) -> RunResult:
    result = RunResult()
    active: dict[tuple[str, str], tuple[str, list[int]]] = {}  # (service, rule id) -> (reason, uses)
    meta: list[Finding] = []
    for sid, svc in spec.services.items():
        for i, entry in enumerate(svc.get("suppress", [])):
            path = ("services", sid, "suppress", i)
            loc = spec.locate(path)
            rule = ruleset.find(entry["rule"])
            reason = (entry.get("reason") or "").strip()
            if rule is None:
                meta.append(engine_finding(ruleset, "SUP002", sid, spec.locate((*path, "rule")), rule=entry["rule"]))
                continue
            if not reason:
                meta.append(engine_finding(ruleset, "SUP001", sid, loc, rule=rule.id))
                continue
            until = entry.get("until")
            if until and dt.date.fromisoformat(until) < today:
                meta.append(
                    engine_finding(ruleset, "SUP004", sid, spec.locate((*path, "until")), rule=rule.id, until=until)
                )
                continue
            active[(sid, rule.id)] = (reason, [0, i])
    for f in findings:
        hit = active.get((f.service, f.rule_id))
        if hit and not f.rule_id.startswith("SUP"):
            hit[1][0] += 1
            result.suppressed.append(Finding(**{**f.__dict__, "suppressed_by": hit[0]}))
        else:
            result.findings.append(f)
    for (sid, rule_id), (_reason, (uses, index)) in active.items():
        if uses == 0 and (enabled is None or enabled(rule_id)):
            meta.append(
                engine_finding(ruleset, "SUP003", sid, spec.locate(("services", sid, "suppress", index)), rule=rule_id)
            )
    result.findings.extend(f for f in meta if enabled is None or enabled(f.rule_id))
    return result
