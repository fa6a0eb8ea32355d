"""The per-type mapping tables (importers/cloudformation.yaml) and their converters."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from sls_check.importers.intrinsics import ResourceRef, Unknown
from sls_check.paths import data_dir


@dataclass(frozen=True)
class KeyRule:
    key: str
    sources: tuple[str, ...]
    convert: str
    values: dict[str, Any] | None = None
    default: Any = None


@dataclass(frozen=True)
class TypeMap:
    cfn_type: str
    service_type: str
    keys: tuple[KeyRule, ...] = ()
    constants: dict[str, Any] = field(default_factory=dict)
    features: dict[str, str] = field(default_factory=dict)
    globals_section: str | None = None
    when: tuple[Any, ...] = ()
    code: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Tables:
    types: dict[str, TypeMap]
    facets: frozenset[str]
    support: tuple[str, ...]
    events: dict[str, dict[str, Any]]

    def tier(self, cfn_type: str) -> str:
        """service, facet, support or unmapped."""
        if cfn_type in self.types:
            return "service"
        if cfn_type in self.facets:
            return "facet"
        if any(fnmatch.fnmatchcase(cfn_type, pattern) for pattern in self.support):
            return "support"
        return "unmapped"


def mapping_file() -> Any:
    return data_dir("importers") / "cloudformation.yaml"


@cache
def tables() -> Tables:
    with mapping_file().open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    types: dict[str, TypeMap] = {}
    for cfn_type, entry in raw["resources"].items():
        rules = []
        for row in entry.get("keys", []):
            src = row["from"]
            rules.append(
                KeyRule(
                    key=row["key"],
                    sources=tuple(src) if isinstance(src, list) else (src,),
                    convert=row["as"],
                    values=row.get("values"),
                    default=row.get("default"),
                )
            )
        types[cfn_type] = TypeMap(
            cfn_type=cfn_type,
            service_type=entry["type"],
            keys=tuple(rules),
            constants=dict(entry.get("set", {})),
            features=dict(entry.get("features", {})),
            globals_section=entry.get("globals"),
            when=tuple(entry.get("when", [])),
            code=tuple(entry.get("code", [])),
        )
    return Tables(
        types=types,
        facets=frozenset(raw.get("facets", [])),
        support=tuple(raw.get("support", [])),
        events=dict(raw.get("events", {})),
    )


@cache
def known_runtimes() -> frozenset[str]:
    with (data_dir("schemas") / "arch.schema.json").open(encoding="utf-8") as fh:
        schema = json.load(fh)
    return frozenset(schema["$defs"]["lambda"]["properties"]["runtime"]["enum"])


def get_path(data: Any, dotted: str) -> Any:
    """The value at a dotted path (`a.b.0`); None when absent."""
    node = data
    for part in dotted.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit():
            index = int(part)
            node = node[index] if index < len(node) else None
        else:
            return None
        if node is None:
            return None
    return node


def path_tuple(dotted: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


class NotConvertible(Exception):
    """The value is known but cannot become the key (a note says which and why)."""


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise NotConvertible(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise NotConvertible(f"{value!r} is not a number") from None
        return int(number) if number.is_integer() else number
    raise NotConvertible(f"{value!r} is not a number")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise NotConvertible(f"{value!r} is not a boolean")


def convert(rule: KeyRule, value: Any) -> Any:
    """The spec value of an evaluated template value; Unknown stays Unknown."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, ResourceRef):
        if rule.convert in ("present",):
            return True
        return Unknown(f"{value.logical_id} is only known after deployment")
    kind = rule.convert
    if kind == "str":
        if isinstance(value, (dict, list)):
            raise NotConvertible("not a string")
        return str(value)
    if kind == "lower":
        return str(value).lower()
    if kind == "int":
        number = _number(value)
        if not float(number).is_integer():
            raise NotConvertible(f"{value!r} is not a whole number")
        return int(number)
    if kind == "number":
        return _number(value)
    if kind == "bool":
        return _bool(value)
    if kind == "kb":
        return _number(value) / 1024
    if kind == "per1024":
        number = _number(value) / 1024
        return int(number) if float(number).is_integer() else number
    if kind == "count":
        if not isinstance(value, list):
            raise NotConvertible("not a list")
        return len(value)
    if kind == "present":
        return value not in (None, False, "", [], {}, "false", "False")
    if kind == "text_kb":
        if not isinstance(value, str):
            return Unknown("the code is not an inline string")
        return round(len(value.encode("utf-8")) / 1024, 3)
    if kind == "list":
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            raise NotConvertible("not a list")
        for item in value:
            if isinstance(item, (Unknown, ResourceRef)):
                return Unknown("a list item is only known after deployment")
        return [str(v) for v in value]
    if kind == "map":
        assert rule.values is not None
        key = value if isinstance(value, str) else json.dumps(value)
        if key in rule.values:
            return rule.values[key]
        for k, v in rule.values.items():  # CloudFormation enum values are case-insensitive in places
            if isinstance(value, str) and k.lower() == value.lower():
                return v
        raise NotConvertible(f"{value!r} is not one of {', '.join(rule.values)}")
    if kind == "runtime":
        if not isinstance(value, str):
            raise NotConvertible("not a string")
        if value not in known_runtimes():
            raise NotConvertible(f"runtime {value!r} is not one slscheck knows")
        return value
    if kind == "env":
        if not isinstance(value, dict):
            raise NotConvertible("not a map")
        return value  # the mapper replaces unknown values with stand-ins
    raise ValueError(f"unknown converter {kind!r}")  # pragma: no cover (the table test catches it)


def markdown_table() -> str:
    """The mapping table of docs/import.md (a test keeps the two equal)."""
    t = tables()
    rows = ["| CloudFormation / SAM type | property | spec key | how |", "|---|---|---|---|"]
    for cfn_type, typemap in t.types.items():
        head = f"`{cfn_type}`"
        rows.append(f"| {head} | (type) | `type: {typemap.service_type}` | {_when_text(typemap)} |")
        for key, value in typemap.constants.items():
            rows.append(f"| {head} | (always) | `{key}: {value}` | |")
        for rule in typemap.keys:
            how = rule.convert
            if rule.values:
                how += ": " + ", ".join(f"{k} -> {_show(v)}" for k, v in rule.values.items())
            if rule.default is not None:
                how += f"; absent: {rule.default}"
            rows.append(f"| {head} | `{' or '.join(rule.sources)}` | `{rule.key}` | {how} |")
        for feature, path in typemap.features.items():
            rows.append(f"| {head} | `{path}` | `features: {feature}` | set when present |")
        for row in typemap.code:
            note = f": {row['note']}" if row.get("note") else ""
            rows.append(f"| {head} | `{row['from']}` | `{row['key']}` | in code{note} |")
    return "\n".join(rows) + "\n"


def _when_text(typemap: TypeMap) -> str:
    if not typemap.when:
        return ""
    parts = []
    for alt in typemap.when:
        parts.append(f"`{alt}` set" if isinstance(alt, str) else ", ".join(f"`{k}` = {v}" for k, v in alt.items()))
    return "only when " + " or ".join(parts)


def events_table() -> str:
    rows = ["| SAM event type | source property | edge |", "|---|---|---|"]
    for kind, spec in tables().events.items():
        if "unmodelled" in spec:
            rows.append(
                f"| `{kind}` | | none: {spec['unmodelled']} is not modelled; the target is an entry point (IMP003) |"
            )
        elif spec.get("eventbridge") == "rule":
            rows.append(
                f"| `{kind}` | `{spec['source']}` (absent: the default bus, `DefaultEventBus`) "
                "| bus -> function/state machine, `rule` the event's rule |"
            )
        elif "eventbridge" in spec:
            what = "an EventBridge Scheduler schedule" if spec["eventbridge"] == "scheduler" else "a scheduled rule"
            rows.append(
                f"| `{kind}` | `{spec['source']}` (the expression) | {what} (`FunctionEventName`, type eventbridge "
                "with `schedule`) -> function/state machine |"
            )
        else:
            implicit = f" (absent: SAM's implicit `{spec['implicit']}`)" if "implicit" in spec else ""
            rows.append(f"| `{kind}` | `{spec['source']}`{implicit} | source -> function/state machine |")
    return "\n".join(rows) + "\n"


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def write_docs(path: Any = None) -> None:
    """Regenerate the two generated tables of docs/import.md."""
    from pathlib import Path

    target = Path(path) if path else Path(__file__).resolve().parents[2] / "docs" / "import.md"
    text = target.read_text(encoding="utf-8")
    for name, table in (("events", events_table()), ("mapping", markdown_table())):
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        i, j = text.index(start) + len(start), text.index(end)
        text = text[:i] + table + text[j:]
    target.write_text(text, encoding="utf-8")
