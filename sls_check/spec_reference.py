"""The spec reference of docs/spec.md, generated from schemas/arch.schema.json (a test keeps them equal)."""

from __future__ import annotations

import json
from typing import Any

from sls_check.reporters.escape import markdown_cell as _cell
from sls_check.spec import arch_schema

BEGIN, END = "<!-- spec-reference:begin -->", "<!-- spec-reference:end -->"
COMMON = ("type", "region", "description", "connects", "rps", "peak_rps", "monthly_requests", "suppress")


def _type(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return " | ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if kind == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"map of {_type(prop['additionalProperties'])}"
    return str(kind) if not isinstance(kind, list) else " or ".join(kind)


def _table(props: dict[str, Any], required: list[str], skip: tuple[str, ...] = ()) -> list[str]:
    rows = ["| key | type | unit | default | description |", "|---|---|---|---|---|"]
    for key, prop in props.items():
        if key in skip:
            continue
        default = json.dumps(prop["default"]) if "default" in prop else ("required" if key in required else "")
        rows.append(
            f"| `{key}` | {_cell(_type(prop))} | {prop.get('x-unit', '')} | {_cell(default)} | "
            f"{_cell(prop.get('description', ''))} |"
        )
    return rows


def markdown() -> str:
    schema = arch_schema()
    defs = schema["$defs"]
    out = ["### Top level", ""]
    out += _table(schema["properties"], schema.get("required", []))
    for block in ("account", "workload"):
        out += ["", f"### `{block}`", ""]
        out += _table(schema["properties"][block]["properties"], [])
    out += ["", "### Keys every service may have", ""]
    common = {k: v for k, v in defs["lambda"]["properties"].items() if k in COMMON}
    common["type"] = defs["service"]["properties"]["type"]
    out += _table(common, ["type"])
    out += ["", "An edge (an entry of `connects`) is a service id or a map:", ""]
    out += _table(defs["edge"]["properties"], defs["edge"].get("required", []))
    out += ["", "A suppression (an entry of `suppress`):", ""]
    out += _table(defs["suppression"]["properties"], defs["suppression"].get("required", []))
    out += ["", "A `vpc` is a VPC id or a map:", ""]
    out += _table(defs["vpc_map"]["properties"], defs["vpc_map"].get("required", []))
    for branch in defs["package"]["allOf"]:
        fmt = branch["if"]["properties"]["format"]["const"]
        out += ["", f"A Lambda `package` with `format: {fmt}`:", ""]
        out += _table(branch["then"]["properties"], ["format"])
    layer_map = next(p for p in defs["layer"]["anyOf"] if p.get("type") == "object")
    out += ["", "A layer (an entry of `package.layers`) is a name or a map:", ""]
    out += _table(layer_map["properties"], layer_map.get("required", []))
    for stype in defs["service"]["properties"]["type"]["enum"]:
        out += ["", f"### `{stype}`", ""]
        d = defs[stype]
        out += _table(d["properties"], d.get("required", []), skip=COMMON)
    return "\n".join(out) + "\n"


def section() -> str:
    return f"{BEGIN}\n{markdown()}{END}"
