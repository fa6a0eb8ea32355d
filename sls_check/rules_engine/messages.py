"""Filling a rule's `message` and `fix` templates: `{key}` placeholders with formatted values.

FIELD                                   the placeholder pattern
engine_finding(ruleset, id, svc, at, **values) -> Finding
    a finding of an engine rule (SUP..., LIM...) whose metadata (name, severity, message,
    fix, docs) lives in a pack, its template filled from `values`
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sls_check.model import Finding, Location
from sls_check.reporters.numbers import number

if TYPE_CHECKING:
    from sls_check.rules_engine.packs import RuleSet

FIELD = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")


def fill(template: str, service: str, values: dict[str, Any]) -> str:
    """`{service}` is the service id; other placeholders come from values ("?" when absent)."""
    return FIELD.sub(lambda m: service if m.group(1) == "service" else number(values.get(m.group(1), "?")), template)


def engine_finding(ruleset: RuleSet, rule_id: str, service: str, loc: Location, **values: Any) -> Finding:
    """A finding of an engine rule (SUP..., LIM...) whose metadata lives in a pack."""
    rule = ruleset.by_id[rule_id]
    return Finding(
        rule.id,
        rule.name,
        rule.severity,
        service,
        fill(rule.message, service, values),
        fill(rule.fix, service, values),
        rule.docs,
        loc,
    )
