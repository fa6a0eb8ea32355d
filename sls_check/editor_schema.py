"""The spec's JSON Schema as editors and SchemaStore want it (what `slscheck schema` prints and writes).

schemas/arch.schema.json is the one definition (descriptions, `x-unit`, `default`, enums). For editors
every property also gets a `markdownDescription` (the YAML language server and VS Code show it on
hover and in completion) that states the unit, the default and the allowed values, and the schema
carries the `$id` and `title` a SchemaStore entry uses. Nothing here changes what is valid.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sls_check import REPOSITORY
from sls_check.spec import arch_schema

# The address the schema would have once listed in SchemaStore's catalog (its convention:
# https://json.schemastore.org/<name>.json); an identifier, not a download location. Editors in a
# project use the copy `slscheck schema -o` writes, by a relative path (see docs/editors.md).
SCHEMASTORE_ID = "https://json.schemastore.org/slscheck-arch.json"
DESCRIPTION = (
    f"An AWS serverless architecture for slscheck ({REPOSITORY}): services, how requests "
    "flow between them, and the traffic, checked against AWS limits, integration rules, cost and quotas."
)
UNITS = {
    "MB": "MB",
    "GB": "GB",
    "KB": "KB",
    "s": "seconds",
    "ms": "milliseconds",
}


def _literal(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`" if not isinstance(value, str) else f"`{value}`"


def markdown_description(prop: dict[str, Any]) -> str:
    """description, then the facts an editor user needs: unit, default, allowed values, range."""
    lines = [prop.get("description", "").strip()]
    facts: list[str] = []
    unit = prop.get("x-unit")
    if unit:
        facts.append(f"**Unit:** {UNITS.get(unit, unit)}")
    if "default" in prop:
        facts.append(f"**Default:** {_literal(prop['default'])}")
    if "enum" in prop:
        facts.append("**One of:** " + ", ".join(_literal(v) for v in prop["enum"]))
    if "const" in prop:
        facts.append(f"**Value:** {_literal(prop['const'])}")
    low = prop.get("minimum", prop.get("exclusiveMinimum"))
    high = prop.get("maximum", prop.get("exclusiveMaximum"))
    if low is not None or high is not None:
        left = "" if low is None else f"{'>' if 'exclusiveMinimum' in prop else '≥'} {low:,}"
        right = "" if high is None else f"{'<' if 'exclusiveMaximum' in prop else '≤'} {high:,}"
        facts.append("**Range:** " + ", ".join(x for x in (left, right) if x))
    if facts:
        lines.append(" · ".join(facts))
    return "\n\n".join(line for line in lines if line)


def _enrich(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict) and "description" in prop:
                    prop.setdefault("markdownDescription", markdown_description(prop))
        for value in node.values():
            _enrich(value)
    elif isinstance(node, list):
        for value in node:
            _enrich(value)


def editor_schema() -> dict[str, Any]:
    schema = copy.deepcopy(arch_schema())
    _enrich(schema)
    out = {
        "$schema": schema.pop("$schema"),
        "$id": SCHEMASTORE_ID,
        "title": schema.pop("title"),
        "description": DESCRIPTION,
    }
    schema.pop("$id", None)
    schema.pop("description", None)
    out.update(schema)
    return out


def editor_schema_text() -> str:
    return json.dumps(editor_schema(), indent=2, ensure_ascii=False) + "\n"
