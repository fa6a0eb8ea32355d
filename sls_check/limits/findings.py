"""Limits rows as findings for `validate`: over -> error, warn -> warning.

A soft check (scaling rate, provisioned spill-over, warm throughput, S3 prefix
scaling) and a quota whose figure is unconfirmed or contested (status unconfirmed
or conflict in quotas/) never give more than a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sls_check.graph import ServiceGraph
from sls_check.limits.catalog import Catalog, load_catalog
from sls_check.limits.engine import rows_for
from sls_check.limits.rows import Row
from sls_check.model import Finding, Location, Severity
from sls_check.reporters.numbers import quantity as fmt

Locate = Callable[[tuple[Any, ...]], Location]


def message(row: Row, catalog: Catalog) -> str:
    q = catalog.quotas.get(row.quota)
    what = q.title if q is not None else row.quota
    used = "no capacity" if row.limit <= 0 else f"{row.used:.0%} used"
    text = f"{row.service}: {what} - needs {fmt(row.needed)} {row.unit} at peak of {fmt(row.limit)} ({used})"
    if not row.traffic:
        text = f"{row.service}: {what} - {fmt(row.needed)} {row.unit} configured of {fmt(row.limit)} ({used})"
    return f"{text}; {row.note}" if row.note else text


def severity(row: Row) -> Severity:
    if row.status == "over" and not row.soft and row.confirmed:
        return Severity.ERROR
    return Severity.WARNING


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
) -> list[Finding]:
    """Findings for every warn and over row at the graph's traffic (its peak)."""
    catalog = catalog or load_catalog()
    out: list[Finding] = []
    for row in rows_for(graph, account=account, catalog=catalog):
        check = catalog.checks[row.check]
        if row.status == "ok" or row.covered_by:
            continue
        out.append(
            Finding(
                rule_id=check.rule_id,
                rule_name=check.rule_name,
                severity=severity(row),
                service=row.service,
                message=message(row, catalog),
                fix=check.fix,
                docs=row.docs,
                location=_where(graph, row, locate),
            )
        )
    return sorted(out, key=Finding.sort_key)
