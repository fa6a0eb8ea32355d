"""Every default the code applies is stated once, in schemas/arch.schema.json (`default`).

The engines read defaults through `spec.setting` / `spec.edge_setting`, which look them up in the
schema; a fallback literal of their own (`svc.get("memory_mb", 128)`, `q.get("batch_size") or 1`)
would be a second copy that `slscheck schema` and docs/spec.md cannot show. These tests keep it so.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from sls_check.graph import Service
from sls_check.schema_check import Validator
from sls_check.spec import arch_schema, edge_setting, resolved_attrs, setting, stated_defaults

PACKAGE = Path(__file__).resolve().parent.parent / "sls_check"
# The modules that read service keys: the importers, the price-list tool, the configuration, the rule
# packs and the runtime table read other documents (whose keys may share a name with a spec key).
ENGINE_MODULES = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if not {"importers", "pricelist"} & set(p.relative_to(PACKAGE).parts)
    and p.name not in ("config.py", "packs.py", "runtimes.py")
)


def _service_types() -> list[str]:
    return list(arch_schema()["$defs"]["service"]["properties"]["type"]["enum"])


def _spec_keys() -> set[str]:
    """Every key a service or an edge may have (the names a fallback literal could shadow)."""
    defs = arch_schema()["$defs"]
    keys = set(defs["edge"]["properties"])
    for stype in _service_types():
        keys |= set(defs[stype]["properties"])
    return keys - {"type", "region", "description", "connects", "suppress"}


def _stated() -> list[tuple[str, str, Any]]:
    return [(t, k, v) for t in [*_service_types(), "edge"] for k, v in stated_defaults(t).items()]


def _fallbacks(path: Path) -> list[str]:
    """`x.get("spec_key", literal)` and `x.get("spec_key") or literal` in one module."""
    keys = _spec_keys()
    found: list[str] = []

    def spec_get(node: ast.AST) -> str | None:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in keys
        ):
            return str(node.args[0].value)
        return None

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        key = spec_get(node)
        if key and isinstance(node, ast.Call) and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            found.append(f"{path.name}:{node.lineno}: .get({key!r}, {node.args[1].value!r})")
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
            key = spec_get(node.values[0])
            if key and isinstance(node.values[1], ast.Constant) and node.values[1].value not in ("", None):
                found.append(f"{path.name}:{node.lineno}: .get({key!r}) or {node.values[1].value!r}")
    return found


# Not defaults: a provisioned table without rcu or wcu is an error finding (DDB rule "lacks rcu or
# wcu; CreateTable needs both"); the limits calculator's account sum counts the missing figure as none.
NOT_DEFAULTS = {".get('rcu') or 0", ".get('wcu') or 0"}


def test_no_engine_keeps_a_default_of_its_own() -> None:
    found = [line for path in ENGINE_MODULES for line in _fallbacks(path) if line.split(": ", 1)[1] not in NOT_DEFAULTS]
    assert found == [], "read these through spec.setting and state the default in the schema"


def test_the_fallback_scan_finds_the_pattern() -> None:
    source = 'def f(s):\n    return s.get("memory_mb", 128), s.get("batch_size") or 1, s.get("nope", 3)\n'
    path = Path(__file__).parent / "__scan_probe__.py"
    try:
        path.write_text(source, encoding="utf-8")
        assert _fallbacks(path) == [
            "__scan_probe__.py:2: .get('memory_mb', 128)",
            "__scan_probe__.py:2: .get('batch_size') or 1",
        ]
    finally:
        path.unlink()


@pytest.mark.parametrize(("stype", "key", "value"), _stated(), ids=lambda x: str(x))
def test_every_stated_default_is_a_valid_value_of_its_key(stype: str, key: str, value: Any) -> None:
    prop = arch_schema()["$defs"][stype]["properties"][key]
    schema = {"$defs": arch_schema()["$defs"], **prop}
    assert Validator(schema).validate(value) == []


def test_assumed_defaults_are_stated_and_left_unset_for_rules() -> None:
    defs = arch_schema()["$defs"]
    assumed = {(t, k) for t in _service_types() for k, p in defs[t]["properties"].items() if p.get("x-assumed") is True}
    assert ("lambda", "duration_ms") in assumed and ("fargate", "cpu") in assumed and ("dax", "nodes") in assumed
    for stype, key in assumed:
        prop = defs[stype]["properties"][key]
        assert "default" in prop, (stype, key)
        assert "Unset, the cost model assumes the default" in prop["description"], (stype, key)
        attrs = resolved_attrs({"type": stype}, "us-east-1")
        assert key not in attrs, (stype, key)  # a rule sees the key as not given
        assert setting(Service("s", stype, "us-east-1", attrs), key) == prop["default"]
    for stype in _service_types():
        filled = resolved_attrs({"type": stype}, "us-east-1")
        for key, value in stated_defaults(stype).items():
            if (stype, key) not in assumed:
                assert filled[key] == value, (stype, key)


def test_settings_read_the_schema_and_prefer_the_spec() -> None:
    fn = Service("fn", "lambda", "us-east-1", {"memory_mb": 1024})
    assert setting(fn, "memory_mb") == 1024
    assert setting(fn, "duration_ms") == 100
    assert edge_setting({"to": "t"}, "calls") == 1
    assert edge_setting({"to": "t", "reads": 2}, "reads") == 2
    assert edge_setting({"to": "t"}, "writes") == 0
    with pytest.raises(KeyError):
        setting(fn, "handler")  # no stated default: the engine may not invent one
