"""Hypothesis strategies generated from our JSON Schemas (schemas/arch.schema.json, config.schema.json).

`from_schema(schema)` walks the keywords the validator supports (sls_check.schema_check.SUPPORTED)
and yields values that fit; `hostile=True` mixes in, at every node, values that do not: extreme and
boundary numbers, wrong types, unicode (bidi and other format characters, line breaks, astral
characters), deep nesting and raw YAML scalars (`0x...`, `.nan`, `1e309`, tags). Specs get service
ids that connect to each other, to themselves, in cycles and to ids that do not exist.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
RAW = "RAWTOKEN"  # a placeholder replaced by a raw YAML scalar after dumping


@cache
def load_schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


EXTREME_NUMBERS = [0, -0.0, -1, 1, 0.5, 1e-300, 2**31, 2**53 + 1, 2**63, 10**18, 1e15, 1.7976931348623157e308, -1e308]
UNICODE = [
    "",
    " ",
    "x\n",
    "\n::error file=a,line=1::x",
    "a\r\nb",
    "vpc-a\u202eelif",  # RIGHT-TO-LEFT OVERRIDE
    "\u200b",  # ZERO WIDTH SPACE
    "\ufeffbom",
    "\U0001f680 rocket",
    "[x](https://evil.example) @team **b** `c`",
    "<script>alert(1)</script>",
    "]]>&\"'",
    "a|b",
    "%0A%25",
    "{service.__class__}",
    "é" * 3,
]
RAW_SCALARS = [
    "0x" + "f" * 300,
    "1" * 400,
    ".nan",
    "-.inf",
    "1e309",
    "0o777",
    "~",
    "yes",
    "!!binary aGVsbG8=",
    "!!str 12",
    "!!float 1",
    "!!int 0x1F",
    "!Ref x",
    "&a [1, 2]",
    "'quoted'",
    "2026-12-01",
]


# printable text (any script, format characters included); raw control characters come from hostile_value
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


def numbers(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if integer:
        lo = None if low is None else int(low) + (1 if "exclusiveMinimum" in schema else 0)
        hi = None if high is None else int(high) - (1 if "exclusiveMaximum" in schema else 0)
        return st.integers(min_value=lo, max_value=hi if hi is None or lo is None or hi >= lo else lo)
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


def _ecma_to_python(pattern: str) -> str:
    return re.sub(r"(?<!\\)\$", r"\\Z", pattern)


def hostile_value(depth: int = 0) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.sampled_from(EXTREME_NUMBERS),
        st.sampled_from(UNICODE),
        st.sampled_from([f"{RAW}{i}" for i in range(len(RAW_SCALARS))]),
        st.booleans(),
        st.none(),
        st.text(max_size=12),
        st.integers(),
    )
    if depth > 2:
        return leaves
    return st.one_of(
        leaves,
        st.lists(leaves, max_size=3),
        st.dictionaries(st.sampled_from(["a", "type", "to", "connects", "0"]), leaves, max_size=2),
        st.integers(min_value=65, max_value=70).map(lambda n: _nested(n)),  # deeper than the loader allows
    )


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


_MEMO: dict[tuple[int, bool, int], st.SearchStrategy[Any]] = {}


def from_schema(schema: Any, root: dict[str, Any], *, hostile: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Built once per (schema node, mode, depth): building the strategy tree costs more than drawing."""
    key = (id(schema), hostile, min(depth, 7))
    if key not in _MEMO:
        valid = _valid(schema, root, hostile=hostile, depth=depth)
        # about 1 node in 10 is hostile: enough to break, few enough that some specs get past the schema
        _MEMO[key] = st.one_of(*[valid] * 9, hostile_value()) if hostile else valid
    return _MEMO[key]


def _valid(schema: Any, root: dict[str, Any], *, hostile: bool, depth: int) -> st.SearchStrategy[Any]:
    if schema is True or schema == {} or not isinstance(schema, dict):
        return hostile_value(2) if hostile else st.integers(0, 10)
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        merged = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
        return _valid(merged, root, hostile=hostile, depth=depth)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    sub = lambda s: from_schema(s, root, hostile=hostile, depth=depth + 1)  # noqa: E731
    all_of = schema.get("allOf", [])
    branches = [b["then"] for b in all_of if isinstance(b, dict) and "then" in b and "if" in b]
    if branches:  # the service discriminator: one branch per type
        return st.one_of([sub(b) for b in branches])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([sub(b) for b in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_valid({**schema, "type": k}, root, hostile=hostile, depth=depth) for k in kind])
    if kind == "object" or "properties" in schema:
        props: dict[str, Any] = schema.get("properties", {})
        required = [k for k in schema.get("required", []) if k in props]
        optional = {k: sub(v) for k, v in props.items() if k not in required}
        fixed = st.fixed_dictionaries({k: sub(props[k]) for k in required}, optional=optional if depth < 6 else {})
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict) and not props:
            names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
            return st.dictionaries(names, sub(extra), max_size=3 if depth < 4 else 1)
        return fixed
    if kind == "array":
        low = schema.get("minItems", 0)
        return st.lists(sub(schema.get("items", {})), min_size=low, max_size=low + (3 if depth < 4 else 0))
    if kind == "string":
        if "pattern" in schema:
            pattern = re.compile(_ecma_to_python(schema["pattern"]), re.ASCII)  # ECMA-262: \\d is 0-9
            return st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) < 60)
        return st.text(PRINTABLE, min_size=schema.get("minLength", 0), max_size=20)
    if kind == "integer":
        return numbers(schema, integer=True)
    if kind == "number":
        return numbers(schema, integer=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return hostile_value(2) if hostile else st.none()


@st.composite
def specs(draw: st.DrawFn, *, hostile: bool = True) -> dict[str, Any]:
    """A spec: the top level from the schema, 1-6 services from the service schema, edges rewired
    to the spec's own ids (including self-loops and cycles) and now and then to an unknown id."""
    root = load_schema("arch.schema.json")
    top = {k: v for k, v in root["properties"].items() if k != "services"}
    doc: dict[str, Any] = {
        "slscheck": 1,
        "name": draw(st.one_of(st.text(PRINTABLE, min_size=1, max_size=20), st.sampled_from(UNICODE[1:]))),
        "region": draw(from_schema(root["$defs"]["region"], root, hostile=False)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(top)), max_size=3, unique=True)):
        doc[key] = draw(from_schema(top[key], root, hostile=hostile))
    ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True), min_size=1, max_size=6, unique=True))
    service = root["$defs"]["service"]
    services: dict[str, Any] = {}
    pool = [*ids, "nowhere"] if hostile else ids
    for sid in ids:
        value = draw(from_schema(service, root, hostile=hostile))
        services[sid] = _rewired(value, lambda: draw(st.sampled_from(pool)))
    doc["services"] = services
    return doc


REF_KEYS = frozenset({"to", "on_success", "on_failure", "user_pool", "certificate", "dlq", "function"})


def _rewired(value: Any, pick: Any, key: str = "") -> Any:
    """References (edges, associations) pointed at the spec's own ids: self-loops and cycles arise."""
    if isinstance(value, dict):
        return {k: _rewired(v, pick, k) for k, v in value.items()}
    if isinstance(value, list):
        return [pick() if key == "connects" and isinstance(v, str) else _rewired(v, pick) for v in value]
    if key in REF_KEYS and isinstance(value, str):
        return pick()
    return value


def to_yaml(doc: Any) -> str:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
    return re.sub(rf"'?{RAW}(\d+)'?", lambda m: RAW_SCALARS[int(m.group(1))], text)


@st.composite
def configs(draw: st.DrawFn, *, hostile: bool = True) -> dict[str, Any]:
    root = load_schema("config.schema.json")
    value = draw(from_schema(root, root, hostile=hostile))
    return value if isinstance(value, dict) else {"select": value}


def to_toml(doc: dict[str, Any]) -> str:
    """[tool.slscheck] of a pyproject.toml (inline values as JSON where TOML takes them)."""
    lines = ["[project]", 'name = "x"', "", "[tool.slscheck]"]
    for key, value in doc.items():
        lines.append(f"{json.dumps(str(key))} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


@st.composite
def overlays(draw: st.DrawFn, *, hostile: bool = True) -> dict[str, Any]:
    """A usage overlay from schemas/overlay.schema.json, with hostile values mixed in."""
    root = load_schema("overlay.schema.json")
    value = draw(from_schema(root, root, hostile=hostile))
    return value if isinstance(value, dict) else {"workload": value}
