"""Limits rows as findings for `validate`, by the one severity policy of Row.judged (which
`slscheck limits` shows too): over -> error, warn -> warning; an over row of a soft check, of an
unconfirmed figure, or of a contested figure that the need is not over in every published version,
is a warning whose message says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sls_check.graph import ServiceGraph
from sls_check.limits.catalog import Catalog, load_catalog
from sls_check.limits.engine import rows_for
from sls_check.limits.rows import Row
from sls_check.model import Finding, Location, Severity
from sls_check.reporters.numbers import quantity as fmt
from sls_check.rules_engine.messages import fill

if TYPE_CHECKING:
    from sls_check.rules_engine.packs import RuleSet

Locate = Callable[[tuple[Any, ...]], Location]
# the message every LIM rule carries in rules/limits.yaml (used when no ruleset is at hand)
DEFAULT_MESSAGE = "{service}: {quota} - {needed} of {limit} ({used}){note}"


def values(row: Row, catalog: Catalog) -> dict[str, str]:
    """The placeholders of a LIM rule's `message` (rules/limits.yaml), as text:
    `{service}: {quota} - {needed} of {limit} ({used}){note}`."""
    q = catalog.quotas.get(row.quota)
    needed = (
        f"needs {fmt(row.needed)} {row.unit} at peak" if row.traffic else f"{fmt(row.needed)} {row.unit} configured"
    )
    return {
        "quota": q.title if q is not None else row.quota,
        "needed": needed,
        "limit": fmt(row.limit),
        "used": "no capacity" if row.limit <= 0 else f"{row.used:.0%} used",
        "note": "".join(f"; {part}" for part in (row.note, row.judged()[1]) if part),
    }


def message(row: Row, catalog: Catalog, template: str = DEFAULT_MESSAGE) -> str:
    return fill(template, row.service, values(row, catalog))


def severity(row: Row) -> Severity:
    """The severity of a warn or over row as a finding (Row.judged; an ok row has none)."""
    return row.judged()[0] or Severity.WARNING


def worst_severity(rows: list[Row]) -> Severity | None:
    """The severity the worst row has as a finding (over -> error, warn -> warning); None when all ok."""
    return max((severity(r) for r in rows if r.status != "ok"), default=None)


def _where(graph: ServiceGraph, row: Row, locate: Locate | None) -> Location:
    """The service's key; for account-wide rows the account block, else the workload that sets the traffic."""
    svc = graph.services.get(row.service)
    path: tuple[Any, ...] = ()
    if svc is not None and svc.path:
        path = svc.path
    elif graph.account:
        path = ("account",)
    elif graph.workload:
        path = ("workload",)
    if locate is not None:
        return locate(path)
    return Location(graph.file, 1, 1)


def findings_for(
    graph: ServiceGraph,
    *,
    locate: Locate | None = None,
    account: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    ruleset: RuleSet | None = None,
) -> list[Finding]:
    """Findings for every warn and over row at the graph's traffic (its peak): the LIM rule's name,
    message and fix templates (rules/limits.yaml), the row's severity and the quota's docs."""
    catalog = catalog or load_catalog()
    if ruleset is None:
        from sls_check.rules_engine.packs import load_rules

        ruleset = load_rules()
    out: list[Finding] = []
    for row in rows_for(graph, account=account, catalog=catalog):
        check = catalog.checks[row.check]
        if row.status == "ok" or row.covered_by:
            continue
        rule = ruleset.by_id[check.rule_id]
        text = values(row, catalog)
        out.append(
            Finding(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=severity(row),
                service=row.service,
                message=fill(rule.message, row.service, text),
                fix=fill(rule.fix, row.service, text),
                docs=row.docs,
                location=_where(graph, row, locate),
            )
        )
    return sorted(out, key=Finding.sort_key)
