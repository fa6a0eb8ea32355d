"""The usage overlay: what a template cannot say (schemas/overlay.schema.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sls_check.loader import Document, load_file
from sls_check.model import InputError, Problem
from sls_check.paths import data_dir
from sls_check.schema_check import Validator

OVERLAY_NAME = "slscheck.overlay.yaml"
Path_ = tuple[Any, ...]


@cache
def overlay_schema() -> dict[str, Any]:
    with (data_dir("schemas") / "overlay.schema.json").open(encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


@dataclass
class Stack:
    name: str
    template: Path
    region: str | None
    parameters: dict[str, Any]


@dataclass
class Overlay:
    doc: Document
    base: Path
    stacks: list[Stack] = field(default_factory=list)
    services: dict[str, tuple[Any, Path_]] = field(default_factory=dict)
    edges: dict[tuple[str, str], tuple[Any, Path_]] = field(default_factory=dict)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)  # (stack, name, stack, logical id)
    types: dict[tuple[str, str], str] = field(default_factory=dict)  # filled by the importer

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    @property
    def region(self) -> str | None:
        value = self.data.get("region")
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str | None:
        value = self.data.get("name")
        return value if isinstance(value, str) else None

    @property
    def parameters(self) -> dict[str, Any]:
        return {k: _param(v) for k, v in (self.data.get("parameters") or {}).items()}

    def stack_for(self, file: str) -> Stack | None:
        try:
            target = Path(file).resolve()
        except OSError:
            return None
        for stack in self.stacks:
            if stack.template.resolve() == target:
                return stack
        return None

    def external_for(self, stack: str) -> dict[str, tuple[str, str]]:
        out = {}
        for use_stack, name, is_stack, lid in self.links:
            if use_stack == stack:
                out[name] = (self.types.get((is_stack, lid), "AWS::CloudFormation::Stack"), f"@{is_stack}/{lid}")
        return out


def _param(value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def load_overlay(path: Path) -> Overlay:
    doc = load_file(path)
    problems: list[Problem] = []
    for err in Validator(overlay_schema()).validate(doc.data):
        problems.append(Problem(doc.locate(err.path, key=err.at_key), err.message))
    if problems:
        raise InputError(problems)
    overlay = Overlay(doc=doc, base=path.parent)
    for name, entry in (doc.data.get("stacks") or {}).items():
        template = path.parent / entry["template"]
        if not template.is_file():
            raise InputError(
                [Problem(doc.locate(("stacks", name, "template")), f"no such template: {entry['template']}")]
            )
        overlay.stacks.append(
            Stack(
                name=name,
                template=template,
                region=entry.get("region"),
                parameters={k: _param(v) for k, v in (entry.get("parameters") or {}).items()},
            )
        )
    for key, value in (doc.data.get("services") or {}).items():
        overlay.services[key] = (value, ("services", key))
    for key, value in (doc.data.get("edges") or {}).items():
        src, _, dst = key.partition("->")
        overlay.edges[(src.strip(), dst.strip())] = (value, ("edges", key))
    for i, link in enumerate(doc.data.get("links") or []):
        use_stack, _, name = link["use"].partition(".")
        is_stack, _, lid = link["is"].partition(".")
        known = {s.name for s in overlay.stacks}
        for stack, which in ((use_stack, "use"), (is_stack, "is")):
            if stack not in known:
                raise InputError([Problem(doc.locate(("links", i, which)), f"links: no stack {stack!r} in stacks")])
        overlay.links.append((use_stack, name.split(".")[0], is_stack, lid))
    return overlay
