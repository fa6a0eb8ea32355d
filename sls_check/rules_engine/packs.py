"""Loading rule packs (rules/*.yaml, --rules PATH) and named limits (packs' `limits:`, quotas/)."""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sls_check import REPOSITORY
from sls_check.data_cache import flush, load_checked
from sls_check.graph import Service, ServiceGraph
from sls_check.loader import Document, display_name
from sls_check.model import InputError, Location, Problem, Severity
from sls_check.paths import data_dir
from sls_check.quotas import Quota, load_quotas, quota
from sls_check.safe_regex import PatternError, compile_safe
from sls_check.schema_check import Validator, suggest
from sls_check.spec import Spec, arch_schema

Limit = Quota  # a pack's named limit and a quota are one type (sls_check.quotas)


REPOSITORY_TOKEN = "{repository}"


def expand_repository(docs: str) -> str:
    """A rule's `docs` may start with `{repository}`: the project's own address (sls_check.REPOSITORY),
    so the placeholder is defined once and a fork names its own pages."""
    return REPOSITORY + docs[len(REPOSITORY_TOKEN) :] if docs.startswith(REPOSITORY_TOKEN) else docs


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


def _parse_pack(doc: Document, rules: list[Rule], limits: dict[str, Limit], origin: dict[str, Location]) -> None:
    pack = doc.data["pack"]
    problems: list[Problem] = []
    for name, raw in (doc.data.get("limits") or {}).items():
        loc = doc.locate(("limits", name), key=True)
        if name in limits:
            problems.append(Problem(loc, f"limit {name!r} is already defined at {origin[name]}"))
            continue
        limits[name] = quota(name, raw)
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
                docs=expand_repository(raw["docs"]),
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
    """Quotas of the limits calculator are named limits too (one namespace, read once: sls_check.quotas)."""
    files = load_quotas()
    for name, q in files.quotas.items():
        if name in limits:
            raise InputError([Problem(files.origin[name], f"limit {name!r} is already defined at {origin[name]}")])
        limits[name] = q
        origin[name] = files.origin[name]


def pack_files(extra: list[Path] | None = None) -> list[Path]:
    files = sorted(data_dir("rules").glob("*.yaml"))
    for path in extra or []:
        try:
            found = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        except OSError as exc:  # a name too long, a symlink loop: read_input names the problem
            found = [path]
            if exc.errno not in (errno.ELOOP, errno.ENAMETOOLONG):
                raise InputError.single(display_name(path), 1, 1, f"cannot read: {exc.strerror or exc}") from None
        if not found:  # an empty folder would add nothing, silently
            raise InputError(
                [Problem(Location(display_name(path), 1, 1), "is a folder without rule packs (*.yaml files)")]
            )
        files.extend(found)
    return files


def load_rules(extra: list[Path] | None = None) -> RuleSet:
    """Every built-in pack plus the user's; InputError (file:line:col) for a broken one."""
    # absolute, or the cache below would answer `--rules team.yaml` from another folder's team.yaml
    return _load(tuple(p if p.is_absolute() else Path.cwd() / p for p in pack_files(extra)))


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
            if cond.get("op") == "matches":
                problems += _pattern_problems(rule, cond)
            if "check" in cond:
                problems += _check_problems(rule, cond, limits)
    if problems:
        raise InputError(problems)


def _pattern_problems(rule: Rule, cond: dict[str, Any]) -> list[Problem]:
    """`matches` takes a pattern of the pack (`value`), in the subset safe_regex matches in linear time."""
    if "value" not in cond:
        source = "the spec (key2)" if "key2" in cond else "a named limit"
        return [
            Problem(
                rule.location,
                f"rule {rule.id}: `matches` takes its pattern from `value`, not from {source}: "
                "a value of a spec is data, never a pattern",
            )
        ]
    pattern = cond["value"]
    try:
        compile_safe(pattern)
    except PatternError as exc:
        return [
            Problem(
                rule.location, f"rule {rule.id}: `matches` needs a regular expression, not {_short(pattern)} ({exc})"
            )
        ]
    return []


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_problems(rule: Rule, cond: dict[str, Any], limits: dict[str, Limit]) -> list[Problem]:
    """A named check exists, its `args` fit its schema (rulepack.schema.json $defs/check_args) and
    every limit they name is defined: else every service would get an SLS000 finding."""
    from sls_check.rules_engine.checks import CHECKS

    name = cond["check"]
    if name not in CHECKS:
        return [Problem(rule.location, f"rule {rule.id}: unknown check function {name!r}")]
    schemas = _schema("rulepack.schema.json")["$defs"]["check_args"]["$defs"]
    args = cond.get("args", {})
    if name not in schemas:  # a meta-test keeps CHECKS and the schemas together
        return [
            Problem(
                rule.location,
                f"rule {rule.id}: check {name!r} has no argument schema "
                "(add one under $defs/check_args/$defs in schemas/rulepack.schema.json)",
            )
        ]
    validator = Validator(_schema("rulepack.schema.json"))
    errors = validator.validate(args, schemas[name], ("args",))
    out = [Problem(rule.location, f"rule {rule.id}: check {name}: {e.message}") for e in errors]
    if not errors:
        out += [
            Problem(rule.location, f"rule {rule.id}: check {name}: unknown limit {ref!r}")
            for ref in _limit_refs(name, args)
            if ref not in limits
        ]
    return out


def _limit_refs(name: str, args: Any) -> list[str]:
    """Limit names in a check's args: `limit:NAME` anywhere, and every value the check's schema
    declares a limit name (`$ref: #/$defs/limit_name`)."""
    root = _schema("rulepack.schema.json")
    found: list[str] = []
    stack: list[tuple[Any, Any]] = [(args, root["$defs"]["check_args"]["$defs"][name])]
    while stack:
        item, schema = stack.pop()
        if not isinstance(schema, dict):
            schema = {}
        if schema.get("$ref") == "#/$defs/limit_name" and isinstance(item, str):
            found.append(item)
        elif isinstance(item, str) and item.startswith("limit:"):
            found.append(item[6:])
        elif isinstance(item, dict):
            props = schema.get("properties", {})
            for key, value in item.items():
                stack.append((value, props.get(key, schema.get("additionalProperties"))))
        elif isinstance(item, list):
            stack.extend((value, schema.get("items")) for value in item)
    return sorted(found)


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
