"""Loading rule packs (rules/*.yaml, --rules PATH) and named limits (packs' `limits:`, quotas/)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.data_cache import flush, load_checked
from sls_check.graph import Service, ServiceGraph
from sls_check.loader import Document, display_name
from sls_check.model import InputError, Location, Problem, Severity
from sls_check.paths import data_dir
from sls_check.schema_check import Validator, suggest
from sls_check.spec import Spec, arch_schema


@dataclass(frozen=True)
class Limit:
    name: str
    value: float
    unit: str = ""
    docs: str = ""
    checked: str = ""
    by_region: dict[str, float] = field(default_factory=dict)
    account_key: str | None = None
    adjustable: bool | None = None
    description: str = ""

    def resolve(self, region: str, account: dict[str, Any] | None = None) -> float:
        """The account block's override (under the limit's own name, or its older account key),
        else the Region's value, else the default."""
        if account:
            for key in (self.name, self.account_key):
                if key and account.get(key) is not None:
                    return float(account[key])
        return self.by_region.get(region, self.value)


@dataclass
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    docs: str
    checked: str
    message: str
    fix: str
    pack: str
    location: Location
    applies_to: tuple[str, ...] | None = None
    when: dict[str, Any] | None = None
    violation: dict[str, Any] | None = None
    for_each: dict[str, Any] | None = None
    at: str | None = None
    engine: bool = False
    conflict: str = ""
    examples: dict[str, Any] = field(default_factory=dict)
    example_region: str = "us-east-1"

    def applies(self, service: Service) -> bool:
        return self.applies_to is None or service.type in self.applies_to


@dataclass
class RuleSet:
    rules: list[Rule]
    limits: dict[str, Limit]

    def __post_init__(self) -> None:
        self.by_id = {r.id: r for r in self.rules}
        self.by_name = {r.name: r for r in self.rules}

    def find(self, ref: str) -> Rule | None:
        return self.by_id.get(ref.upper()) or self.by_name.get(ref)

    def limit_value(self, name: str, service: Service, graph: ServiceGraph | None = None) -> float:
        limit = self.limits[name]
        return limit.resolve(service.region, graph.account if graph else None)


@cache
def _schema(name: str) -> dict[str, Any]:
    with (data_dir("schemas") / name).open(encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def _validated(doc: Document, schema_name: str) -> None:
    errors = Validator(_schema(schema_name)).validate(doc.data)
    if errors:
        raise InputError([Problem(doc.locate(e.path, key=e.at_key), e.message) for e in errors])


def _limit(name: str, raw: dict[str, Any]) -> Limit:
    return Limit(
        name=name,
        value=float(raw["value"]),
        unit=str(raw.get("unit", "")),
        docs=str(raw.get("docs", raw.get("source", ""))),
        checked=str(raw.get("checked", "")),
        by_region={k: float(v) for k, v in (raw.get("by_region") or {}).items()},
        account_key=raw.get("account_key"),
        adjustable=raw.get("adjustable"),
        description=str(raw.get("description", raw.get("name", ""))),
    )


def _parse_pack(doc: Document, rules: list[Rule], limits: dict[str, Limit], origin: dict[str, Location]) -> None:
    pack = doc.data["pack"]
    problems: list[Problem] = []
    for name, raw in (doc.data.get("limits") or {}).items():
        loc = doc.locate(("limits", name), key=True)
        if name in limits:
            problems.append(Problem(loc, f"limit {name!r} is already defined at {origin[name]}"))
            continue
        limits[name] = _limit(name, raw)
        origin[name] = loc
    for i, raw in enumerate(doc.data.get("rules", [])):
        loc = doc.locate(("rules", i))
        if not raw.get("engine") and "violation" not in raw:
            problems.append(Problem(loc, f"rule {raw['id']} has no violation condition (and is not engine: true)"))
        rules.append(
            Rule(
                id=raw["id"],
                name=raw["name"],
                severity=Severity.parse(raw["severity"]),
                summary=raw["summary"],
                rationale=raw["rationale"].strip(),
                docs=raw["docs"],
                checked=str(raw["checked"]),
                message=raw["message"].strip(),
                fix=raw["fix"].strip(),
                pack=pack,
                location=loc,
                applies_to=tuple(raw["applies_to"]) if "applies_to" in raw else None,
                when=raw.get("when"),
                violation=raw.get("violation"),
                for_each=raw.get("for_each"),
                at=raw.get("at"),
                engine=bool(raw.get("engine", False)),
                conflict=raw.get("conflict", ""),
                examples=raw.get("examples", {}),
                example_region=raw.get("example_region", "us-east-1"),
            )
        )
    if problems:
        raise InputError(problems)


def _quota_limits(limits: dict[str, Limit], origin: dict[str, Location]) -> None:
    """Quotas of the limits calculator are named limits too (one namespace)."""
    folder = data_dir("quotas")
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        doc = load_checked(path, "quotas", lambda d: None)
        entries = doc.data.get("quotas", {})
        if not isinstance(entries, dict):
            continue
        for name, raw in entries.items():
            if not isinstance(raw, dict) or "value" not in raw or not isinstance(raw["value"], (int, float)):
                continue
            loc = doc.locate(("quotas", name), key=True)
            if name in limits:
                raise InputError([Problem(loc, f"limit {name!r} is already defined at {origin[name]}")])
            limits[name] = _limit(name, raw)
            origin[name] = loc


def pack_files(extra: list[Path] | None = None) -> list[Path]:
    files = sorted(data_dir("rules").glob("*.yaml"))
    for path in extra or []:
        found = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        if not found:  # an empty folder would add nothing, silently
            raise InputError(
                [Problem(Location(display_name(path), 1, 1), "is a folder without rule packs (*.yaml files)")]
            )
        files.extend(found)
    return files


def load_rules(extra: list[Path] | None = None) -> RuleSet:
    """Every built-in pack plus the user's; InputError (file:line:col) for a broken one."""
    return _load(tuple(pack_files(extra)))


@cache
def _load(files: tuple[Path, ...]) -> RuleSet:
    rules: list[Rule] = []
    limits: dict[str, Limit] = {}
    origin: dict[str, Location] = {}
    schema = (data_dir("schemas") / "rulepack.schema.json").stat()
    purpose = f"rulepack {schema.st_size} {schema.st_mtime_ns}"  # a changed schema revalidates every pack
    for path in files:
        doc = load_checked(path, purpose, lambda d: _validated(d, "rulepack.schema.json"))
        _parse_pack(doc, rules, limits, origin)
    _quota_limits(limits, origin)
    _check_references(rules, limits)
    flush()
    return RuleSet(rules, limits)


def _check_references(rules: list[Rule], limits: dict[str, Limit]) -> None:
    from sls_check.rules_engine.checks import CHECKS

    problems: list[Problem] = []
    seen: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.id, rule.name):
            if key in seen:
                problems.append(Problem(rule.location, f"rule {key} is already defined at {seen[key].location}"))
            seen[key] = rule
        for cond in _walk(rule.when, rule.violation):
            if "limit" in cond and cond["limit"] not in limits:
                problems.append(Problem(rule.location, f"rule {rule.id}: unknown limit {cond['limit']!r}"))
            if cond.get("op") == "matches" and "value" in cond:  # else every service gets an SLS000 finding
                pattern = cond["value"]
                try:
                    if not isinstance(pattern, str):
                        raise re.error("not a string")
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(
                        Problem(
                            rule.location,
                            f"rule {rule.id}: `matches` needs a regular expression, not {pattern!r} ({exc})",
                        )
                    )
            if "check" in cond and cond["check"] not in CHECKS:
                problems.append(Problem(rule.location, f"rule {rule.id}: unknown check function {cond['check']!r}"))
    if problems:
        raise InputError(problems)


def _walk(*conds: dict[str, Any] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [c for c in conds if c]
    while stack:
        cond = stack.pop()
        out.append(cond)
        for key in ("all", "any"):
            stack.extend(cond.get(key, []))
        if "not" in cond:
            stack.append(cond["not"])
        for key in ("connects_to", "connected_from"):
            if key in cond and "where" in cond[key]:
                stack.append(cond[key]["where"])
    return out


def account_problems(spec: Spec, ruleset: RuleSet) -> list[Problem]:
    """Keys of the spec's `account` block that name no override: neither a key of the schema nor a
    named limit or quota (by the id `slscheck explain` shows), or a limit AWS does not raise
    (only limits marked `adjustable: true` in their data can be declared raised)."""
    account = spec.data.get("account")
    if not isinstance(account, dict):
        return []
    declared = set(arch_schema()["properties"]["account"].get("properties", {}))
    keys = {limit.account_key for limit in ruleset.limits.values() if limit.account_key}
    names = sorted(set(ruleset.limits) | keys | declared)
    problems: list[Problem] = []
    for key in account:
        if key in declared or key in keys:
            continue
        limit = ruleset.limits.get(key)
        where = spec.locate(("account", key), key=True)
        if limit is None:
            problems.append(Problem(where, f"account.{key} names no limit or quota{suggest(key, names)}"))
        elif limit.adjustable is not True:
            problems.append(Problem(where, f"account.{key}: {key} is a fixed limit (AWS does not raise it)"))
    return problems
