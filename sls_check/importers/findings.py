"""The importer's notes as findings, and rules that need an unknown value set aside as not applicable."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sls_check.graph import ServiceGraph
from sls_check.model import Finding
from sls_check.rules_engine.packs import Rule, RuleSet
from sls_check.rules_engine.runner import RunResult, engine_finding
from sls_check.spec import Spec

_TEXT: dict[str, str] = {}


def _rule_text(rule: Rule) -> str:
    if rule.id not in _TEXT:
        parts: list[Any] = [rule.message, rule.fix, rule.at or "", rule.when or {}, rule.violation or {}]
        _TEXT[rule.id] = json.dumps(parts, default=str)
    return _TEXT[rule.id]


def _mentions(rule: Rule, key: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])", _rule_text(rule)) is not None


def _neighbours(graph: ServiceGraph, sid: str) -> set[str]:
    out: set[str] = {sid}
    if sid in graph.services:
        out |= {e.target for e in graph.out_edges(sid)} | {e.source for e in graph.in_edges(sid)}
    return out


def apply_importer(
    spec: Spec,
    graph: ServiceGraph,
    ruleset: RuleSet,
    result: RunResult,
    *,
    enabled: Callable[[str], bool] | None = None,
    region_note: bool = True,
) -> None:
    """Add the importer's notes; move findings whose rule needs an unknown value to `suppressed`.
    `region_note=False` leaves out the note on the assumed Region: a run over several inputs gives
    one for all of them (`region_finding`)."""
    imported = spec.doc.importer  # type: ignore[attr-defined]
    unknown: dict[str, dict[str, str]] = imported.unknown
    kept: list[Finding] = []
    for f in result.findings:
        reason = None
        rule = ruleset.by_id.get(f.rule_id)
        if rule is not None and not rule.engine and f.service:
            for sid in sorted(_neighbours(graph, f.service)):
                for key, why in unknown.get(sid, {}).items():
                    if _mentions(rule, key):
                        reason = f"not applicable: {sid}.{key} is unknown ({why})"
                        break
                if reason:
                    break
        if reason:
            result.suppressed.append(replace(f, suppressed_by=reason))
        else:
            kept.append(f)
    for note in imported.notes:
        if note is imported.region_note and not region_note:
            continue
        if note.rule not in ruleset.by_id or (enabled is not None and not enabled(note.rule)):
            continue
        kept.append(engine_finding(ruleset, note.rule, note.service, note.location, **note.values))
    kept.sort(key=Finding.sort_key)
    result.findings[:] = kept
    result.suppressed.sort(key=Finding.sort_key)


def region_finding(ruleset: RuleSet, files: list[str]) -> Finding:
    """One IMP007 finding for every template of a run whose Region is not given."""
    from sls_check.importers.assemble import region_note

    note = region_note(files)
    return engine_finding(ruleset, note.rule, note.service, note.location, **note.values)
