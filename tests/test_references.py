"""One table of the keys that name another service (spec.REFERENCES), read by the reference check
(spec.reference_problems) and by the graph builder (build._edges_of)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sls_check.build import _edges_of
from sls_check.graph import CERTIFICATE, DLQ, FUNCTION, USER_POOL
from sls_check.loader import load_text
from sls_check.spec import REFERENCES, Reference, Spec, arch_schema, reference_problems, references

TYPES = arch_schema()["$defs"]["service"]["properties"]["type"]["enum"]


def _reference_keys_in_the_schema() -> set[tuple[str, tuple[str, ...]]]:
    """Every string key outside `connects` that the schema describes as naming a service:
    a `service_id`, or a description reading "id of ..." / "... service id ..."."""
    defs = arch_schema()["$defs"]
    found: set[tuple[str, tuple[str, ...]]] = set()

    def walk(stype: str, node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        desc = str(node.get("description", ""))
        if node.get("$ref") == "#/$defs/service_id" or (
            node.get("type") == "string" and re.search(r"^id of |\bservice id\b", desc)
        ):
            found.add((stype, path))
        ref = str(node.get("$ref", ""))
        if ref.startswith("#/$defs/") and ref != "#/$defs/service_id":
            walk(stype, defs[ref.rsplit("/", 1)[1]], path)
        for key, value in (node.get("properties") or {}).items():
            if key not in ("connects", "suppress"):
                walk(stype, value, (*path, key))
        if isinstance(node.get("items"), dict):
            walk(stype, node["items"], (*path, "*"))
        for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            walk(stype, branch, path)

    for stype in TYPES:
        walk(stype, defs[stype], ())
    return found


def test_the_table_names_every_reference_key_of_the_schema() -> None:
    assert {(r.service_type, r.path) for r in REFERENCES} == _reference_keys_in_the_schema()


def test_the_table_names_real_types_and_edge_kinds() -> None:
    for ref in REFERENCES:
        assert ref.service_type in TYPES and set(ref.allowed) <= set(TYPES), ref
        assert ref.edge in (None, CERTIFICATE, DLQ, FUNCTION, USER_POOL), ref


def _spec(services: str) -> Spec:
    text = f"slscheck: 1\nname: t\nregion: us-east-1\nservices:\n{services}"
    return Spec(load_text(text.encode(), "t.yaml"))


def _value_at(path: tuple[str, ...], target: str) -> Any:
    """The smallest service fragment that sets path to target (lists: one entry)."""
    value: Any = target
    for key in reversed(path):
        value = [value] if key == "*" else {key: value}
    if path[:1] == ("functions",):
        value["functions"][0]["event"] = "viewer-request"
    return value


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda r: f"{r.service_type}.{'.'.join(r.path)}")
def test_each_reference_is_checked_and_drawn_from_the_table(ref: Reference) -> None:
    fragment = _value_at(ref.path, "other")
    wrong = next(t for t in ("fargate", "dax") if t not in ref.allowed)
    body = _flow({"type": ref.service_type, **fragment})
    spec = _spec(f"  s: {body}\n  other: {{type: {wrong}}}\n")
    assert [(r.path, target) for r, _path, target, _h in references(spec.services["s"]) if r is ref] == [
        (ref.path, "other")
    ]
    messages = [p.message for p in reference_problems(spec)]
    assert messages == [f"'other' is a {wrong}; expected {' or '.join(ref.allowed)}"]
    good = _spec(f"  s: {body}\n  other: {{type: {ref.allowed[0]}}}\n")
    assert reference_problems(good) == []
    unknown = _spec(f"  s: {body}\n")
    assert [p.message for p in reference_problems(unknown)] == ["unknown service 'other'"]
    edges = [(e.kind, e.target, e.path, e.event) for e in _edges_of("s", spec.services["s"])]
    if ref.edge is None:
        assert edges == []
    elif ref.edge_at_entry:
        assert edges == [(ref.edge, "other", ("services", "s", "functions", 0), "viewer-request")]
    else:
        assert edges == [(ref.edge, "other", ("services", "s", *ref.path), None)]
