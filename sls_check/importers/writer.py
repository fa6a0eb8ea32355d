"""The imported architecture as a reviewable spec: every key commented with the line it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sls_check.importers.assemble import Imported
from sls_check.rules_engine.packs import RuleSet
from sls_check.rules_engine.runner import engine_finding


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)


def _where(file: str, line: int, base: str) -> str:
    name = file if file != base else Path(file).name
    return f"{name}:{line}"


def render_spec(imported: Imported, ruleset: RuleSet, *, schema: str = "./arch.schema.json") -> str:
    """The spec as YAML text; `schema` is what the editor modeline names (as `slscheck init` writes
    it: a path relative to the spec, to the schema `slscheck schema -o` writes, so it works offline)."""
    doc = imported.doc
    assert doc is not None
    data = doc.data
    base = imported.files[0] if imported.files else ""
    out = [
        f"# yaml-language-server: $schema={schema}",
        f"# Imported by `slscheck import` from {', '.join(imported.files)}; review it before relying on it.",
        "# Each key names the template line it came from; keys without a comment are defaults or the overlay's.",
    ]
    notes = sorted(imported.notes, key=lambda n: (n.location.file, n.location.line, n.location.column, n.rule))
    if notes or imported.unknown:
        out.append("#")
        out.append("# Importer notes:")
    for note in notes:
        if note.rule not in ruleset.by_id:
            continue
        finding = engine_finding(ruleset, note.rule, note.service, note.location, **note.values)
        out.append(f"#   {note.location}: {note.rule} {finding.message}")
    for sid in sorted(imported.unknown):
        for key, why in sorted(imported.unknown[sid].items()):
            out.append(f"#   unknown: {sid}.{key}: {why} (rules that need it were not applied)")
    for key in ("slscheck", "name", "region", "description", "account", "workload"):
        if key in data:
            out.append(_dump({key: data[key]}).rstrip("\n"))
    out.append("services:" if data["services"] else "services: {}")
    for sid, svc in data["services"].items():
        loc = doc.locate(("services", sid), key=True)
        origin = imported.origins.get(sid)
        what = f" ({origin[2]})" if origin else ""
        out.append(f"  {sid}:  # {_where(loc.file, loc.line, base)}{what}")
        for key, value in svc.items():
            text = _dump({key: value}).rstrip("\n").splitlines()
            path = ("services", sid, key)
            comment = ""
            if path in doc.positions and key != "type":
                kloc = doc.locate(path)
                comment = f"  # {_where(kloc.file, kloc.line, base)}"
            out.append("    " + text[0] + comment)
            out.extend("    " + line for line in text[1:])
    return "\n".join(out) + "\n"
